namespace CloudPatterns.LocalCloud.Tests.CloudWatch;

/// <summary>
/// Anomaly detection alarms through boto3 (python/anomaly_alarm_client.py, docs/localcloud-cloudwatch.md): created with
/// ThresholdMetricId, described without a Threshold, refused when the pairing is wrong, and created by a stack.
/// </summary>
public sealed class AnomalyAlarmTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    private const string Account = "333333333333";

    [Fact]
    public async Task AnomalyDetectionAlarmsAreCreatedDescribedAndRefusedAsCloudWatchDoes()
    {
        var results = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.AdminOf(Account), "anomaly_alarm_client.py");

        // One value of 10: the band is 10 to 10, and 10 is inside it.
        Assert.Equal("OK", results.Text("state"));
        Assert.Contains("not outside the band (10.0 to 10.0)", results.Text("reason"), StringComparison.Ordinal);
        Assert.Equal("ad1", results.Text("thresholdMetricId"));
        Assert.False(results.GetProperty("hasThreshold").GetBoolean());
        Assert.Equal("LessThanLowerOrGreaterThanUpperThreshold", results.Text("comparison"));

        var refusals = results.GetProperty("refusals");
        Assert.StartsWith("ValidationError: An anomaly detection alarm (ThresholdMetricId ad1) takes Metrics, no Threshold", refusals.Text("threshold"), StringComparison.Ordinal);
        Assert.StartsWith("ValidationError: ComparisonOperator GreaterThanUpperThreshold is for anomaly detection alarms only", refusals.Text("no_band_id"), StringComparison.Ordinal);
        Assert.StartsWith("ValidationError: ThresholdMetricId m1 must name an item whose Expression is ANOMALY_DETECTION_BAND", refusals.Text("not_a_band"), StringComparison.Ordinal);
        Assert.Empty(results.GetProperty("refusedKept").EnumerateArray());

        var stack = results.GetProperty("stack");
        Assert.Equal("CREATE_COMPLETE", stack.Text("created"));
        Assert.Equal("ad1", stack.Text("thresholdMetricId"));
        Assert.Equal(2, stack.GetProperty("metrics").GetInt32());
    }
}
