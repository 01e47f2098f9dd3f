using CloudPatterns.LocalCloud.Services.CloudWatch;

namespace CloudPatterns.LocalCloud.Tests.CloudWatch;

/// <summary>Alarm states from data: M out of N periods, and what missing data counts as.</summary>
public sealed class AlarmEvaluatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 30, TimeSpan.Zero);

    [Theory]
    [InlineData(new double[] { 5, 5, 5 }, 3, null, "missing", AlarmStates.Alarm)]
    [InlineData(new double[] { 5, 0, 5 }, 3, null, "missing", AlarmStates.Ok)]
    [InlineData(new double[] { 5, 0, 5 }, 3, 2, "missing", AlarmStates.Alarm)]
    [InlineData(new double[] { 5 }, 3, null, "missing", AlarmStates.Ok)]
    [InlineData(new double[] { 5, 0 }, 1, null, "missing", AlarmStates.Alarm)]
    [InlineData(new double[] { 0, 5 }, 1, null, "missing", AlarmStates.Ok)]
    [InlineData(new double[] { 5 }, 3, null, "breaching", AlarmStates.Alarm)]
    [InlineData(new double[0], 2, null, "missing", AlarmStates.InsufficientData)]
    [InlineData(new double[0], 2, null, "notBreaching", AlarmStates.Ok)]
    [InlineData(new double[0], 2, null, "ignore", AlarmStates.InsufficientData)]
    public void Evaluate_CountsBreachingPeriods(double[] newestFirst, int evaluationPeriods, int? datapointsToAlarm, string treatMissingData, string expected)
    {
        var series = new MetricSeries { Namespace = "N", MetricName = "M", Dimensions = [] };
        series.Datapoints.AddRange(newestFirst.Select((value, index) => new Datapoint(Now.AddMinutes(-index), 1, value, value, value, null)));
        var alarm = Alarm(evaluationPeriods, datapointsToAlarm, treatMissingData);

        var (state, reason) = AlarmEvaluator.Evaluate(alarm, _ => series, Now);

        Assert.Equal(expected, state);
        Assert.False(string.IsNullOrEmpty(reason));
    }

    [Theory]
    [InlineData(3, AlarmStates.Alarm)]
    [InlineData(4, AlarmStates.InsufficientData)]
    public void Evaluate_WithMissingData_UsesTheLatestDataInARangeOfNPlusTwoPeriods(int minutesAgo, string expected)
    {
        var series = new MetricSeries { Namespace = "N", MetricName = "M", Dimensions = [] };
        series.Datapoints.Add(new Datapoint(Now.AddMinutes(-minutesAgo), 1, 9, 9, 9, null));

        var (state, _) = AlarmEvaluator.Evaluate(Alarm(2, 1, "missing"), _ => series, Now);

        Assert.Equal(expected, state);
    }

    [Fact]
    public void Evaluate_DataBeforeTheEvaluationRange_IsInsufficient()
    {
        var series = new MetricSeries { Namespace = "N", MetricName = "M", Dimensions = [] };
        series.Datapoints.Add(new Datapoint(Now.AddMinutes(-10), 1, 9, 9, 9, null));

        var (state, reason) = AlarmEvaluator.Evaluate(Alarm(2, null, "missing"), _ => series, Now);

        Assert.Equal(AlarmStates.InsufficientData, state);
        Assert.Equal("Insufficient Data: 2 datapoints were unknown.", reason);
    }

    [Theory]
    [InlineData("ignore", 100, AlarmStates.InsufficientData)]
    [InlineData("evaluate", 100, AlarmStates.Alarm)]
    [InlineData("ignore", 1000, AlarmStates.Alarm)]
    public void Evaluate_PercentileAlarm_IgnoringLowSamples_KeepsItsStateWhileTheEvaluatedPeriodHasFewSamples(string lowSampleCount, double samples, string expected)
    {
        // The data is in the previous period (the current one is empty), as when a minute ends between put and evaluation.
        var series = new MetricSeries { Namespace = "N", MetricName = "M", Dimensions = [] };
        series.Datapoints.Add(new Datapoint(Now.AddMinutes(-1), samples, (samples * 0.95) + (samples * 0.05 * 100), 1, 100, null)
        {
            Samples = [new Sample(1, samples * 0.95), new Sample(100, samples * 0.05)],
        });
        var alarm = Alarm(1, null, "missing") with { Statistic = null, ExtendedStatistic = "p99", EvaluateLowSampleCountPercentile = lowSampleCount };

        var (state, _) = AlarmEvaluator.Evaluate(alarm, _ => series, Now);

        Assert.Equal(expected, state);
    }

    private static MetricAlarm Alarm(int evaluationPeriods, int? datapointsToAlarm, string treatMissingData) => new()
    {
        AlarmName = "a",
        AlarmArn = "arn:aws:cloudwatch:us-east-2:111111111111:alarm:a",
        AccountId = "111111111111",
        Region = "us-east-2",
        MetricName = "M",
        Namespace = "N",
        Statistic = "Maximum",
        Period = 60,
        EvaluationPeriods = evaluationPeriods,
        DatapointsToAlarm = datapointsToAlarm,
        Threshold = 1,
        ComparisonOperator = "GreaterThanOrEqualToThreshold",
        TreatMissingData = treatMissingData,
        AlarmConfigurationUpdatedTimestamp = Now,
    };
}
