using System.Text.Json;
using CloudPatterns.LocalCloud.Tests.Lambda;

namespace CloudPatterns.LocalCloud.Tests.Events;

/// <summary>
/// EventBridge Scheduler through boto3 (python/scheduler_client.py): schedules invoke their targets as their role on the
/// simulated clock; a role that does not trust scheduler.amazonaws.com or may not call the target fails the invocation
/// into the dead-letter topic, or the SQS queue LocalCloud keeps (docs/localcloud-delivery.md); the context attribute
/// keywords in an input are replaced at each attempt.
/// </summary>
public sealed class SchedulerBoto3Tests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    private const string Production = "333333333333";

    [Fact]
    public async Task SchedulesInvokeTheirTargetsWithTheirRoleOnTheSimulatedClock()
    {
        var results = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.AdminOf(Production), "scheduler_client.py", TestFunctionPackage.ZipPath, Production);
        await fixture.Server.State.ScheduleDelivery.DrainAsync();
        var sns = fixture.Server.State.Sns;

        // rate(5 minutes) over 11 minutes: two invocations of the function, with the schedule's Input.
        var invoked = results.GetProperty("invoked").EnumerateArray().ToList();
        Assert.Equal(2, invoked.Count);
        Assert.All(invoked, item => Assert.Equal("every-five", item.Text("kind")));

        // at() in Asia/Kolkata (UTC+5:30, no daylight saving) 7 minutes ahead ran once; the schedule ending after 6 minutes ran once; the disabled never.
        var published = sns.Messages(results.Text("out")).Select(message => JsonDocument.Parse(message.Message).RootElement).ToList();
        Assert.Equal(["ended", "once-in-kolkata", "with-context"], published.Select(message => message.Text("kind")).Order(StringComparer.Ordinal).ToList());

        // The keywords, replaced: the schedule's ARN, the time it was due (UTC), the first attempt and its execution id.
        var context = published.Single(message => message.Text("kind") == "with-context");
        Assert.Equal($"arn:aws:scheduler:us-east-2:{Production}:schedule/default/with-context", context.Text("arn"));
        Assert.Equal(results.Text("at") + "Z", context.Text("time"));
        Assert.Equal("1", context.Text("attempt"));
        Assert.Matches("^[0-9a-f]{16}$", context.Text("execution"));

        // An SQS dead-letter queue (AWS's kind) keeps the failed invocation with its attributes.
        var queued = Assert.Single(fixture.Server.State.DeadLetters.Read(results.Text("queue")));
        Assert.Equal("to-queue", JsonDocument.Parse(queued.Body).RootElement.Text("kind"));
        Assert.Equal("AccessDeniedException", queued.Attributes["ERROR_CODE"]);
        Assert.Equal($"arn:aws:scheduler:us-east-2:{Production}:schedule/default/to-queue", queued.Attributes["SCHEDULE_ARN"]);

        var dead = fixture.Server.State.DeadLetters.Read(results.Text("dlq"));
        Assert.Equal(["unpermitted", "unpermitted", "untrusted", "untrusted"],
            dead.Select(message => JsonDocument.Parse(message.Body).RootElement.Text("kind")).Order(StringComparer.Ordinal).ToList());
        Assert.All(dead, message =>
        {
            Assert.Equal("AccessDeniedException", message.Attributes["ERROR_CODE"]);
            Assert.Equal("0", message.Attributes["RETRY_ATTEMPTS"]);
            Assert.StartsWith($"arn:aws:scheduler:us-east-2:{Production}:schedule/default/", message.Attributes["SCHEDULE_ARN"], StringComparison.Ordinal);
        });
        Assert.Contains("must exist and trust scheduler.amazonaws.com", dead.First(message => message.Body.Contains("untrusted", StringComparison.Ordinal)).Attributes["ERROR_MESSAGE"], StringComparison.Ordinal);
        Assert.Contains("is not authorized to perform: lambda:InvokeFunction", dead.First(message => message.Body.Contains("unpermitted", StringComparison.Ordinal)).Attributes["ERROR_MESSAGE"], StringComparison.Ordinal);

        // A topic as the dead-letter target is refused, in Scheduler's words.
        Assert.Equal("ValidationException", results.Text("topicRefused", "code"));
        Assert.StartsWith("1 validation error detected: Value 'arn:aws:sns:us-east-2:", results.Text("topicRefused", "message"), StringComparison.Ordinal);
        Assert.EndsWith("' at 'target.deadLetterConfig.arn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:aws[a-z-]*:sqs:[a-z0-9\\-]+:\\d{12}:[a-zA-Z0-9\\-_]+", results.Text("topicRefused", "message"), StringComparison.Ordinal);
        Assert.Equal($"arn:aws:scheduler:us-east-2:{Production}:schedule/default/once-in-kolkata", results.Text("onceArn"));
    }
}
