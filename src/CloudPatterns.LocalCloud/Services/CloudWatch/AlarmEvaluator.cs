using System.Globalization;

namespace CloudPatterns.LocalCloud.Services.CloudWatch;

/// <summary>
/// Decides a metric alarm's state from its metric's data, as CloudWatch does for "M out of N" alarms. Periods are
/// aligned to the period length and the current one counts, so freshly put data takes effect at once. With
/// <c>TreatMissingData</c> missing or ignore, CloudWatch looks at an evaluation range a little longer than N and
/// uses the most recent N periods that have data (here: N + 2 periods); with breaching or notBreaching, the last N
/// periods count and an empty one is what the setting says. ALARM when at least <c>DatapointsToAlarm</c> periods
/// breach; with no data at all, INSUFFICIENT_DATA (or the current state when missing data is ignored).
/// </summary>
internal static class AlarmEvaluator
{
    private const int ExtraRangePeriods = 2;

    public static readonly IReadOnlyDictionary<string, string> Comparisons = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["GreaterThanOrEqualToThreshold"] = "greater than or equal to",
        ["GreaterThanThreshold"] = "greater than",
        ["LessThanThreshold"] = "less than",
        ["LessThanOrEqualToThreshold"] = "less than or equal to",
    };

    /// <summary>The alarm's state and reason now; <paramref name="series"/> finds a metric by its key (null: no data).</summary>
    public static (string State, string Reason) Evaluate(MetricAlarm alarm, Func<string, MetricSeries?> series, DateTimeOffset now)
    {
        if (IgnoresLowSamples(alarm, series, now))
        {
            return (alarm.StateValue, alarm.StateReason);
        }

        var values = Evaluated(alarm, series, now);
        var bounds = alarm.ThresholdMetricId is null ? null : BandBounds(alarm, series, now);
        var missingCounts = alarm.TreatMissingData is "breaching" or "notBreaching";
        var missing = alarm.EvaluationPeriods - values.Count;
        var breaching = values.Count(point => bounds is { } band ? AnomalyBands.Breaches(alarm.ComparisonOperator, point.Value, band) : Breaches(alarm, point.Value))
            + (alarm.TreatMissingData == "breaching" ? missing : 0);
        var counted = values.Count + (missingCounts ? missing : 0);
        if (counted == 0)
        {
            return alarm.TreatMissingData == "ignore"
                ? (alarm.StateValue, alarm.StateReason)
                : (AlarmStates.InsufficientData, $"Insufficient Data: {alarm.EvaluationPeriods} datapoint{Plural(alarm.EvaluationPeriods)} were unknown.");
        }

        var listed = string.Join(", ", values.Select(point =>
            string.Create(CultureInfo.InvariantCulture, $"{point.Value:0.0##############} ({point.Timestamp.UtcDateTime:dd/MM/yy HH:mm:ss})")));
        // An anomaly detection alarm without any data has no band yet; missing data that counts (breaching,
        // notBreaching) still decides its state.
        var comparison = alarm.ThresholdMetricId is null ? Comparisons[alarm.ComparisonOperator] : AnomalyBands.Comparisons[alarm.ComparisonOperator];
        var against = bounds is { } range ? $"the band ({Number(range.Lower)} to {Number(range.Upper)})"
            : alarm.ThresholdMetricId is null ? $"the threshold ({Number(alarm.Threshold)})" : "the band";
        var required = alarm.DatapointsToAlarm ?? alarm.EvaluationPeriods;
        return breaching >= required
            ? (AlarmStates.Alarm, $"Threshold Crossed: {breaching} out of the last {alarm.EvaluationPeriods} datapoints [{listed}] {(breaching == 1 ? "was" : "were")} {comparison} {against} (minimum {required} datapoint{Plural(required)} for OK -> ALARM transition).")
            : (AlarmStates.Ok, $"Threshold Crossed: {counted - breaching} datapoint{Plural(counted - breaching)} [{listed}] {(counted - breaching == 1 ? "was" : "were")} not {comparison} {against}.");
    }

    /// <summary>An anomaly detection alarm's band now: from the values of its training periods, ending with the current one.</summary>
    private static (double Lower, double Upper)? BandBounds(MetricAlarm alarm, Func<string, MetricSeries?> series, DateTimeOffset now)
    {
        var period = TimeSpan.FromSeconds(alarm.Period);
        var currentStart = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % period.Ticks), TimeSpan.Zero);
        var training = Values(alarm, series, currentStart - (period * (AnomalyBands.TrainingPeriods - 1)), currentStart + period).Select(point => point.Value).ToList();
        return AnomalyBands.Bounds(AnomalyBands.Check(alarm.Metrics, alarm.ThresholdMetricId!), training);
    }

    private static string Number(double value) => value.ToString("0.0##############", CultureInfo.InvariantCulture);

    /// <summary>The newest value the alarm evaluates now (what a scaling policy it invokes reads as the metric's value), or null with no data.</summary>
    public static double? Latest(MetricAlarm alarm, Func<string, MetricSeries?> series, DateTimeOffset now) =>
        Evaluated(alarm, series, now) is { Count: > 0 } values ? values[^1].Value : null;

    /// <summary>The last N periods with data of the evaluation range that ends with the current period.</summary>
    private static List<(DateTimeOffset Timestamp, double Value)> Evaluated(MetricAlarm alarm, Func<string, MetricSeries?> series, DateTimeOffset now)
    {
        var (start, end) = EvaluationRange(alarm, now);
        return Values(alarm, series, start, end)
            .TakeLast(alarm.EvaluationPeriods)
            .ToList();
    }

    /// <summary>The evaluation range: N periods ending with the current one, N + 2 when missing data is missing or ignore.</summary>
    private static (DateTimeOffset Start, DateTimeOffset End) EvaluationRange(MetricAlarm alarm, DateTimeOffset now)
    {
        var period = TimeSpan.FromSeconds(alarm.Period);
        var currentStart = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % period.Ticks), TimeSpan.Zero);
        var missingCounts = alarm.TreatMissingData is "breaching" or "notBreaching";
        var rangePeriods = alarm.EvaluationPeriods + (missingCounts ? 0 : ExtraRangePeriods);
        return (currentStart - (period * (rangePeriods - 1)), currentStart + period);
    }

    /// <summary>
    /// One value per period of the range that has data: the metric's statistic, or (metric math) the returned
    /// expression over each metric's statistic, every metric read over the alarm's period.
    /// </summary>
    private static IEnumerable<(DateTimeOffset Timestamp, double Value)> Values(MetricAlarm alarm, Func<string, MetricSeries?> series, DateTimeOffset start, DateTimeOffset end)
    {
        if (alarm.Metrics.Count == 0)
        {
            return Points(series(alarm.MetricKeys().Single())?.Periods(start, end, alarm.Period, alarm.Unit), alarm.Statistic ?? alarm.ExtendedStatistic!);
        }

        var timestamps = Enumerable.Range(0, (int)((end - start).Ticks / TimeSpan.FromSeconds(alarm.Period).Ticks))
            .Select(index => start.AddSeconds((double)index * alarm.Period))
            .ToList();
        var result = AlarmQueries.Values(
            alarm.Metrics,
            (query, _) => new MathValue.Series(new SortedDictionary<DateTimeOffset, double>(
                Points(series(MetricSeries.Key(query.Namespace!, query.MetricName!, query.Dimensions))?.Periods(start, end, alarm.Period, query.Unit), query.Stat!)
                    .ToDictionary(point => point.Timestamp, point => point.Value))),
            timestamps,
            alarm.Period,
            alarm.ThresholdMetricId is null ? alarm.Metrics.Single(query => query.ReturnData).Id : AnomalyBands.Check(alarm.Metrics, alarm.ThresholdMetricId).MetricId);
        return result is MathValue.Series returned ? returned.Points.Select(point => (point.Key, point.Value)) : [];
    }

    /// <summary>The statistic per period; a period where it has no value (a percentile of a statistic set) is missing data.</summary>
    internal static IEnumerable<(DateTimeOffset Timestamp, double Value)> Points(IEnumerable<Datapoint>? periods, string statistic) =>
        (periods ?? []).Select(point => (point.Timestamp, Value: point.Value(statistic)))
            .Where(point => point.Value is not null)
            .Select(point => (point.Timestamp, point.Value!.Value));

    /// <summary>
    /// A percentile alarm with EvaluateLowSampleCountPercentile "ignore" keeps its state while a period it would
    /// evaluate (the last N with data of its evaluation range) has too few samples to be significant
    /// (<see cref="ExtendedStatistic.TooFewSamples"/>).
    /// </summary>
    private static bool IgnoresLowSamples(MetricAlarm alarm, Func<string, MetricSeries?> series, DateTimeOffset now)
    {
        if (alarm.EvaluateLowSampleCountPercentile != "ignore" || alarm.ExtendedStatistic is null || ExtendedStatistic.Parse(alarm.ExtendedStatistic) is not { IsPercentile: true } percentile)
        {
            return false;
        }

        var (start, end) = EvaluationRange(alarm, now);
        return series(alarm.MetricKeys().Single())?.Periods(start, end, alarm.Period, alarm.Unit)
            .TakeLast(alarm.EvaluationPeriods)
            .Any(point => percentile.TooFewSamples(point.SampleCount)) ?? false;
    }

    private static bool Breaches(MetricAlarm alarm, double value) => alarm.ComparisonOperator switch
    {
        "GreaterThanOrEqualToThreshold" => value >= alarm.Threshold,
        "GreaterThanThreshold" => value > alarm.Threshold,
        "LessThanThreshold" => value < alarm.Threshold,
        _ => value <= alarm.Threshold,
    };

    private static string Plural(int count) => count == 1 ? "" : "s";
}
