using System.Text.Json;
using CloudPatterns.LocalCloud.Tests.Lambda;

namespace CloudPatterns.LocalCloud.Tests.Events;

/// <summary>
/// EventBridge Scheduler through boto3 (python/scheduler_client.py): schedules invoke their targets as their role on the
/// simulated clock; a role that does not trust scheduler.amazonaws.com or may not call the target fails the invocation
/// into the dead-letter topic.
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
        var published = sns.Messages(results.Text("out")).Select(message => JsonDocument.Parse(message.Message).RootElement.Text("kind")).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["ended", "once-in-kolkata"], published);

        var dead = sns.Messages(results.Text("dlq"));
        Assert.Equal(["unpermitted", "unpermitted", "untrusted", "untrusted"],
            dead.Select(message => JsonDocument.Parse(message.Message).RootElement.Text("kind")).Order(StringComparer.Ordinal).ToList());
        Assert.All(dead, message =>
        {
            Assert.Equal("AccessDeniedException", message.MessageAttributes["ERROR_CODE"]);
            Assert.Equal("0", message.MessageAttributes["RETRY_ATTEMPTS"]);
            Assert.StartsWith($"arn:aws:scheduler:us-east-2:{Production}:schedule/default/", message.MessageAttributes["SCHEDULE_ARN"], StringComparison.Ordinal);
        });
        Assert.Contains("must exist and trust scheduler.amazonaws.com", dead.First(message => message.Message.Contains("untrusted", StringComparison.Ordinal)).MessageAttributes["ERROR_MESSAGE"], StringComparison.Ordinal);
        Assert.Contains("is not authorized to perform: lambda:InvokeFunction", dead.First(message => message.Message.Contains("unpermitted", StringComparison.Ordinal)).MessageAttributes["ERROR_MESSAGE"], StringComparison.Ordinal);
        Assert.Equal($"arn:aws:scheduler:us-east-2:{Production}:schedule/default/once-in-kolkata", results.Text("onceArn"));
    }
}
