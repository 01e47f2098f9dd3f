namespace CloudPatterns.LocalCloud.Tests.CloudWatch;

/// <summary>
/// Percentile alarms through boto3 (python/percentile_alarm_client.py, docs/localcloud-cloudwatch.md): ExtendedStatistic
/// decides the state from the raw values, a statistic set has no percentile, EvaluateLowSampleCountPercentile ignore
/// keeps the state while samples are few, GetMetricStatistics and GetMetricData compute extended statistics, and a
/// stack creates such an alarm.
/// </summary>
public sealed class PercentileAlarmTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    private const string Account = "333333333333";

    [Fact]
    public async Task PercentileAlarmsAreEvaluatedFromRawValuesAndRefusedAsCloudWatchDoes()
    {
        var results = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.AdminOf(Account), "percentile_alarm_client.py");

        var p99 = results.GetProperty("p99");
        Assert.Equal("ALARM", p99.Text("state"));
        Assert.Contains("[100.0 (", p99.Text("reason"), StringComparison.Ordinal);
        Assert.Equal("p99", p99.Text("extended"));
        Assert.False(p99.GetProperty("hasStatistic").GetBoolean());
        Assert.Equal("OK", results.Text("p90"));
        Assert.Equal("INSUFFICIENT_DATA", results.Text("summarised"));
        Assert.Equal("INSUFFICIENT_DATA", results.GetProperty("ignored").Text("state"));
        Assert.Equal("ignore", results.GetProperty("ignored").Text("setting"));

        var statistics = Assert.Single(results.GetProperty("statistics").EnumerateArray());
        Assert.Equal(1, statistics.GetProperty("p50").GetDouble());
        Assert.Equal(100, statistics.GetProperty("p99").GetDouble());
        var data = results.GetProperty("data");
        Assert.Equal(1, Assert.Single(data.GetProperty("iqm").EnumerateArray()).GetDouble());
        Assert.Equal(95, Assert.Single(data.GetProperty("tc").EnumerateArray()).GetDouble());

        var refusals = results.GetProperty("refusals");
        Assert.StartsWith("InvalidParameterCombination: Exactly one of Statistic and ExtendedStatistic", refusals.Text("both"), StringComparison.Ordinal);
        Assert.StartsWith("InvalidParameterCombination: Exactly one of Statistic and ExtendedStatistic", refusals.Text("neither"), StringComparison.Ordinal);
        Assert.Equal("InvalidParameterValue: The value p101 for parameter ExtendedStatistic is invalid.", refusals.Text("p101"));
        Assert.Equal("InvalidParameterValue: The value sometimes for parameter EvaluateLowSampleCountPercentile is invalid.", refusals.Text("low_sample"));
        Assert.Equal("InvalidParameterValue: The value tm90 for parameter ExtendedStatistics is invalid.", refusals.Text("statistics_tm90"));
        Assert.Empty(results.GetProperty("refusedKept").EnumerateArray());

        var stack = results.GetProperty("stack");
        Assert.Equal("CREATE_COMPLETE", stack.Text("created"));
        Assert.Equal("p99.5", stack.Text("extended"));
        Assert.Equal("ALARM", stack.Text("state"));
    }
}
