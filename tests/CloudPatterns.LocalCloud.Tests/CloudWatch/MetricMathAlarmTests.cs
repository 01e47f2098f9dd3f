using System.Text.Json;

namespace CloudPatterns.LocalCloud.Tests.CloudWatch;

/// <summary>
/// Metric math alarms through boto3 (python/metric_math_client.py, docs/localcloud-cloudwatch.md): IF with AND and OR,
/// arithmetic, SUM across metrics and FILL decide the state from the metrics' data; DescribeAlarms shows Metrics
/// instead of a single metric; PutMetricAlarm refuses a mixed request, two returned items, unknown ids and functions,
/// a number for a result and a cycle, and keeps nothing; AWS::CloudWatch::Alarm takes Metrics through a stack's life.
/// </summary>
public sealed class MetricMathAlarmTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    private const string Account = "333333333333";

    [Fact]
    public async Task MetricMathAlarmsAreEvaluatedFromTheirMetricsAndRefusedAsCloudWatchRefusesThem()
    {
        var results = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.AdminOf(Account), "metric_math_client.py");

        var states = results.GetProperty("states");
        // Headroom 80 and 70 both reach one instance's share (100/2): 1 AND 1 = 1, at the threshold.
        Assert.Equal("ALARM", states.Text("overcapacity-a"));
        // Memory headroom 40 does not: 1 AND 0 = 0.
        Assert.Equal("OK", states.Text("overcapacity-b"));
        // 20 > 50 OR 60 > 50.
        Assert.Equal("ALARM", states.Text("either-high"));
        // 4 + 7 >= 10.
        Assert.Equal("ALARM", states.Text("sum"));
        // No errors reported: filled with 0 the rate is 0; unfilled there is no data point at all.
        Assert.Equal("OK", states.Text("rate-filled"));
        Assert.Equal("INSUFFICIENT_DATA", states.Text("rate-unfilled"));
        Assert.StartsWith("Threshold Crossed: 1 out of the last 1 datapoints [1.0 (", results.Text("reason"), StringComparison.Ordinal);

        // The ALARM notification's Trigger names the Metrics, not a single metric.
        var trigger = JsonDocument.Parse(Assert.Single(fixture.Server.State.Sns.Messages(results.Text("topic")!)).Message).RootElement.GetProperty("Trigger");
        Assert.Equal(5, trigger.GetProperty("Metrics").GetArrayLength());
        Assert.False(trigger.TryGetProperty("MetricName", out _));
        Assert.Equal("GreaterThanOrEqualToThreshold", trigger.Text("ComparisonOperator"));

        var keys = results.GetProperty("shownKeys").EnumerateArray().Select(key => key.GetString()).ToList();
        Assert.Contains("Metrics", keys);
        Assert.DoesNotContain("MetricName", keys);
        Assert.DoesNotContain("Period", keys);
        var shown = results.GetProperty("shownMetrics").EnumerateArray().ToList();
        Assert.Equal(["overcapacity", "capacity", "instances", "cpu", "memory"], shown.Select(item => item.Text("Id")).ToList());
        Assert.True(shown[0].GetProperty("ReturnData").GetBoolean());
        Assert.Equal("Sum", shown[2].GetProperty("MetricStat").Text("Stat"));

        var refusals = results.GetProperty("refusals");
        Assert.StartsWith("ValidationError: With Metrics (a metric math alarm), Namespace, MetricName may not be given", refusals.Text("both"), StringComparison.Ordinal);
        Assert.Equal("ValidationError: Exactly one item of Metrics must have ReturnData true (the default), not 2: e, m.", refusals.Text("two_returned"));
        Assert.Equal("ValidationError: The expression of e reads nope, which is not an Id of Metrics (e, m).", refusals.Text("unknown_id"));
        Assert.StartsWith("ValidationError: The expression of e is invalid: Unknown function FROB", refusals.Text("unknown_function"), StringComparison.Ordinal);
        Assert.Equal("ValidationError: The expression of e must give a single time series for an alarm, and it gives a number.", refusals.Text("number"));
        Assert.Contains("depends on itself", refusals.Text("cycle"), StringComparison.Ordinal);
        Assert.Empty(results.GetProperty("refusedKept").EnumerateArray());

        var stack = results.GetProperty("stack");
        Assert.Equal("CREATE_COMPLETE", stack.Text("created"));
        Assert.Equal("ALARM", stack.Text("state"));
        Assert.Equal(5, stack.GetProperty("metrics").GetInt32());
        Assert.Equal("UPDATE_COMPLETE", stack.Text("updated"));
        Assert.Equal(2, stack.GetProperty("threshold").GetDouble());
        Assert.Equal(0, stack.GetProperty("left").GetInt32());
    }
}
