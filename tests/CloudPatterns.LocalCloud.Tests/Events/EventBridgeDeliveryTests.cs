using System.Text.Json;
using CloudPatterns.LocalCloud.Tests.Lambda;

namespace CloudPatterns.LocalCloud.Tests.Events;

/// <summary>
/// What EventBridge delivers (python/events_delivery_client.py sets it up through boto3): each target's input, SNS topic
/// policies and another account's bus policy deciding delivery, retries then the dead-letter topic with EventBridge's
/// attributes, disabled rules, schedule rules on the simulated clock, and the AWS/Events metrics.
/// </summary>
public sealed class EventBridgeDeliveryTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    private const string Production = "333333333333";
    private const string Management = "111111111111";

    [Fact]
    public async Task TargetsReceiveTheirInputAndRefusalsGoToTheDeadLetterQueue()
    {
        var management = fixture.Organization.FindAccount(Management)!.Admin;
        var results = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.AdminOf(Production), "events_delivery_client.py",
            TestFunctionPackage.ZipPath, Production, management.AccessKeyId, management.SecretAccessKey, Management);
        await fixture.Server.State.EventDelivery.DrainAsync();
        var sns = fixture.Server.State.Sns;
        string[] Messages(string topic) => [.. sns.Messages(results.Text("topics", topic)).Select(message => message.Message)];

        var whole = Messages("whole").Select(text => JsonDocument.Parse(text).RootElement).ToList();
        // Each target's deliveries run concurrently: compare in order of job id.
        Assert.Equal(["j-1", "j-2"], whole.Select(item => item.At("detail", "job", "id").GetString()).Order(StringComparer.Ordinal).ToList());
        Assert.All(whole, item => Assert.Equal("Job", item.Text("detail-type")));
        Assert.Equal(["""{"id":"j-1","size":7,"text":"a \"quoted\" word"}""", """{"id":"j-2","size":7,"text":"a \"quoted\" word"}"""], Messages("path").Order(StringComparer.Ordinal));
        Assert.Equal(["""{"fixed": true}""", """{"fixed": true}"""], Messages("constant"));
        Assert.Equal(
            """{"job": "j-1", "size": 7, "resource": "arn:aws:backup:us-east-2:1:recovery-point:R", "rule": "jobs"}""",
            Messages("transformed").Order(StringComparer.Ordinal).First());
        Assert.Empty(Messages("closed"));
        Assert.Empty(Messages("disabled"));

        // A topic as the dead-letter target is refused: EventBridge takes an SQS queue only.
        Assert.Equal("ValidationException", results.Text("topicRefused", "code"));
        Assert.Contains($"The dead-letter queue {results.Text("topics", "closed")} of target topic-dlq is not an Amazon SQS queue ARN", results.Text("topicRefused", "message"), StringComparison.Ordinal);

        // The closed topic (no policy for events.amazonaws.com): not retried, straight to the dead-letter queue; the
        // throttled function: retried twice.
        var dead = fixture.Server.State.DeadLetters.Read(results.Text("topics", "dlq"));
        var closed = dead.Where(message => message.Attributes["TARGET_ARN"] == results.Text("topics", "closed")).ToList();
        Assert.Equal(2, closed.Count);
        Assert.All(closed, message =>
        {
            Assert.Equal("NO_PERMISSIONS", message.Attributes["ERROR_CODE"]);
            Assert.Equal("0", message.Attributes["RETRY_ATTEMPTS"]);
            Assert.Equal($"arn:aws:events:us-east-2:{Production}:rule/jobs", message.Attributes["RULE_ARN"]);
        });
        var throttled = dead.Where(message => message.Attributes["TARGET_ARN"].EndsWith(":function:throttled", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, throttled.Count);
        Assert.All(throttled, message =>
        {
            Assert.Equal("THROTTLING", message.Attributes["ERROR_CODE"]);
            Assert.Equal("2", message.Attributes["RETRY_ATTEMPTS"]);
            Assert.Equal("MaximumRetryAttempts", message.Attributes["EXHAUSTED_RETRY_CONDITION"]);
            Assert.Equal("j", JsonDocument.Parse(message.Body).RootElement.At("detail", "job", "id").GetString()![..1]);
        });

        // Another account's bus: the first event was refused (no policy), the second forwarded as is, sender's account kept.
        Assert.Equal(1, results.GetProperty("refusedForward").GetDouble());
        Assert.Equal($"arn:aws:iam::{Production}:root", results.At("policy", "Statement")[0].At("Principal", "AWS").GetString());
        var forwarded = Assert.Single(sns.Messages(results.Text("forwarded")));
        var forwardedEvent = JsonDocument.Parse(forwarded.Message).RootElement;
        Assert.Equal("j-2", forwardedEvent.At("detail", "job", "id").GetString());
        Assert.Equal(Production, forwardedEvent.Text("account"));

        // rate(5 minutes) over 11 simulated minutes: two Scheduled Events.
        var scheduled = Messages("scheduled").Select(text => JsonDocument.Parse(text).RootElement).OrderBy(item => item.Text("time"), StringComparer.Ordinal).ToList();
        Assert.Equal(2, scheduled.Count);
        Assert.All(scheduled, item =>
        {
            Assert.Equal("Scheduled Event", item.Text("detail-type"));
            Assert.Equal("aws.events", item.Text("source"));
            Assert.Equal([results.Text("everyFive")], item.GetProperty("resources").EnumerateArray().Select(resource => resource.GetString()).ToList());
        });
        Assert.Equal(TimeSpan.FromMinutes(5), DateTimeOffset.Parse(scheduled[1].Text("time")!, System.Globalization.CultureInfo.InvariantCulture) - DateTimeOffset.Parse(scheduled[0].Text("time")!, System.Globalization.CultureInfo.InvariantCulture));

        var metrics = fixture.Server.State.CloudWatch;
        var now = fixture.Server.State.Clock.GetUtcNow();
        double Sum(string metric, string rule) => metrics.GetStatistics(Production, "us-east-2", new Services.CloudWatch.MetricQuery(
            "AWS/Events", metric, [new Services.CloudWatch.Dimension("RuleName", rule)], now.AddDays(-30), now.AddDays(30), 86_400 * 60, null)).Sum(point => point.Sum);
        Assert.Equal(2, Sum("TriggeredRules", "jobs"));
        Assert.Equal(8, Sum("Invocations", "jobs"));
        Assert.Equal(2, Sum("FailedInvocations", "jobs"));
        Assert.Equal(0, Sum("TriggeredRules", "jobs-disabled"));
    }
}
