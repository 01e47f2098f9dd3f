using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.CloudWatch;

namespace CloudPatterns.LocalCloud.Tests.CloudWatch;

/// <summary>Anomaly detection alarms: the band from the training periods, the three band comparisons, and PutMetricAlarm's pairing rules.</summary>
public sealed class AnomalyAlarmEvaluatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 30, TimeSpan.Zero);

    [Theory]
    [InlineData(100, "GreaterThanUpperThreshold", AlarmStates.Alarm)]
    [InlineData(100, "LessThanLowerThreshold", AlarmStates.Ok)]
    [InlineData(100, "LessThanLowerOrGreaterThanUpperThreshold", AlarmStates.Alarm)]
    [InlineData(-80, "LessThanLowerThreshold", AlarmStates.Alarm)]
    [InlineData(-80, "GreaterThanUpperThreshold", AlarmStates.Ok)]
    [InlineData(10, "LessThanLowerOrGreaterThanUpperThreshold", AlarmStates.Ok)]
    public void TheNewestValueIsComparedWithTheBandOfTheTrainingPeriods(double newest, string comparison, string expected)
    {
        // Twenty quiet minutes around 10 (9, 10, 11 in turn), then the newest value.
        var series = new MetricSeries { Namespace = "N", MetricName = "M", Dimensions = [] };
        series.Datapoints.Add(new Datapoint(Now, 1, newest, newest, newest, null));
        series.Datapoints.AddRange(Enumerable.Range(1, 20).Select(minutes => new Datapoint(Now.AddMinutes(-minutes), 1, 9 + (minutes % 3), 9 + (minutes % 3), 9 + (minutes % 3), null)));

        var (state, reason) = AlarmEvaluator.Evaluate(Alarm(comparison), _ => series, Now);

        Assert.Equal(expected, state);
        Assert.Matches(@"the band \(-?[0-9.]+ to [0-9.]+\)", reason);
    }

    [Fact]
    public void WithoutDataTheAlarmIsInsufficient()
    {
        var (state, _) = AlarmEvaluator.Evaluate(Alarm("GreaterThanUpperThreshold"), _ => null, Now);

        Assert.Equal(AlarmStates.InsufficientData, state);
    }

    [Theory]
    [InlineData("breaching", AlarmStates.Alarm)]
    [InlineData("notBreaching", AlarmStates.Ok)]
    public void WithoutDataMissingDataThatCountsDecides(string treatMissingData, string expected)
    {
        // No data, so no band yet: the missing periods count as the setting says (it used to fail looking up the
        // band comparison among the threshold ones).
        var (state, reason) = AlarmEvaluator.Evaluate(Alarm("LessThanLowerOrGreaterThanUpperThreshold") with { TreatMissingData = treatMissingData }, _ => null, Now);

        Assert.Equal(expected, state);
        Assert.Contains("outside the band", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ad1", "GreaterThanThreshold", null, 2, "takes Metrics, no Threshold, and ComparisonOperator")]
    [InlineData("ad1", "GreaterThanUpperThreshold", 5.0, 2, "given: ComparisonOperator GreaterThanUpperThreshold, Threshold")]
    [InlineData("ad1", "GreaterThanUpperThreshold", null, 0, "no Metrics")]
    [InlineData(null, "LessThanLowerThreshold", 5.0, 2, "is for anomaly detection alarms only")]
    public void PutMetricAlarmPairsThresholdMetricIdWithTheBandComparisons(string? thresholdMetricId, string comparison, double? threshold, int items, string message)
    {
        var error = Assert.Throws<AwsServiceException>(() => AnomalyBands.CheckAlarm(thresholdMetricId, comparison, threshold, items));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("m1", true, "must name an item whose Expression is ANOMALY_DETECTION_BAND")]
    [InlineData("nope", true, "ThresholdMetricId nope is not an Id of Metrics (m1, ad1)")]
    [InlineData("ad1", false, "return data (ReturnData true), and no other item does; returning data now: ad1")]
    public void TheBandItemIsCheckedWithTheItemItReads(string thresholdMetricId, bool metricReturnsData, string message)
    {
        var queries = Queries().Select(query => query.Id == "m1" ? query with { ReturnData = metricReturnsData } : query).ToList();

        var error = Assert.Throws<AwsServiceException>(() => AnomalyBands.Check(queries, thresholdMetricId));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    private static List<AlarmQuery> Queries() =>
    [
        new("m1", null, "N", "M", [], "Average", 60, null, null, true),
        new("ad1", "ANOMALY_DETECTION_BAND(m1, 2)", null, null, [], null, null, null, null, true),
    ];

    private static MetricAlarm Alarm(string comparison) => new()
    {
        AlarmName = "a",
        AlarmArn = "arn:aws:cloudwatch:us-east-2:111111111111:alarm:a",
        AccountId = "111111111111",
        Region = "us-east-2",
        Period = 60,
        Metrics = Queries(),
        EvaluationPeriods = 1,
        Threshold = 0,
        ThresholdMetricId = "ad1",
        ComparisonOperator = comparison,
        AlarmConfigurationUpdatedTimestamp = Now,
    };
}
