using System.Text.Json;

namespace CloudPatterns.LocalCloud.Tests.Events;

/// <summary>
/// CloudFormation creates AWS::Events::EventBus, EventBusPolicy and Rule and AWS::Scheduler::ScheduleGroup and Schedule
/// for real (python/events_stack_client.py): their Ref/GetAtt values, the resources as the services' APIs show them,
/// delivery through the stack's rule, an update, and deletion.
/// </summary>
public sealed class EventsStackTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    private const string Production = "333333333333";
    private const string Management = "111111111111";

    [Fact]
    public async Task StacksCreateEventBridgeAndSchedulerResourcesForReal()
    {
        var results = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.AdminOf(Production), "events_stack_client.py", Management);

        Assert.Equal("CREATE_COMPLETE", results.Text("created"));
        Assert.Empty(results.GetProperty("reasons").EnumerateArray());
        var outputs = results.GetProperty("outputs");
        Assert.Equal("orchestrator", outputs.Text("BusName"));
        Assert.Equal($"arn:aws:events:us-east-2:{Production}:event-bus/orchestrator", outputs.Text("BusArn"));
        var ruleName = outputs.Text("RuleRef")!.Split('|')[1];
        Assert.Equal($"orchestrator|{ruleName}", outputs.Text("RuleRef"));
        Assert.StartsWith("orchestrator-events-Rule-", ruleName, StringComparison.Ordinal);
        Assert.Equal($"arn:aws:events:us-east-2:{Production}:rule/orchestrator/{ruleName}", outputs.Text("RuleArn"));
        Assert.Equal($"arn:aws:events:us-east-2:{Production}:rule/nightly-validation", outputs.Text("NightlyArn"));
        Assert.Equal("member", outputs.Text("PolicyRef"));
        Assert.Equal($"arn:aws:scheduler:us-east-2:{Production}:schedule-group/orchestrator", outputs.Text("GroupArn"));
        Assert.Equal($"arn:aws:scheduler:us-east-2:{Production}:schedule/orchestrator/{outputs.Text("ScheduleRef")}", outputs.Text("ScheduleArn"));

        Assert.Equal("""{"source":["app.validation"]}""", results.At("rule", "EventPattern").GetString());
        var target = Assert.Single(results.GetProperty("targets").EnumerateArray());
        Assert.Equal("$.detail", target.Text("InputPath"));
        Assert.Equal("DISABLED", results.Text("nightly"));
        Assert.Equal($"arn:aws:iam::{Management}:root", results.At("policy", "Statement")[0].At("Principal", "AWS").GetString());
        Assert.Equal("member", results.At("policy", "Statement")[0].Text("Sid"));
        var schedule = results.GetProperty("schedule");
        Assert.Equal("Europe/London", schedule.Text("ScheduleExpressionTimezone"));
        Assert.Equal(30, schedule.At("FlexibleTimeWindow", "MaximumWindowInMinutes").GetInt32());
        Assert.Equal(2, schedule.At("Target", "RetryPolicy", "MaximumRetryAttempts").GetInt32());

        Assert.Equal("UPDATE_COMPLETE", results.Text("updated"));
        Assert.Equal("app.other", results.At("updatedPattern", "source")[0].GetString());
        await fixture.Server.State.EventDelivery.DrainAsync();
        // Before the update the event matched (its detail reached the topic); after it, the same event did not.
        Assert.Equal(["""{"run":1}"""], fixture.Server.State.Sns.Messages(outputs.Text("Topic")).Select(message => message.Message).ToList());

        Assert.Equal("DELETE_COMPLETE", results.Text("deleted"));
        Assert.Equal("ResourceNotFoundException: Event bus orchestrator does not exist.", results.Text("busGone"));
        Assert.Equal("ResourceNotFoundException: Rule nightly-validation does not exist on EventBus default.", results.Text("nightlyGone"));
        Assert.Equal("ResourceNotFoundException: Schedule group orchestrator does not exist.", results.Text("groupGone"));
    }
}
