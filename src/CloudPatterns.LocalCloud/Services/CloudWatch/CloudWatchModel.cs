namespace CloudPatterns.LocalCloud.Services.CloudWatch;

internal sealed record Dimension(string Name, string Value);

/// <summary>
/// An aggregate of samples: what PutMetricData stores and what statistics are computed from. <see cref="Samples"/>
/// keeps the raw values of a datum given as Values (and Counts), which extended statistics need.
/// </summary>
internal sealed record Datapoint(DateTimeOffset Timestamp, double SampleCount, double Sum, double Minimum, double Maximum, string? Unit)
{
    /// <summary>The statistics every datapoint has; extended statistics (percentiles and others) are <see cref="ExtendedStatistic"/>.</summary>
    public static readonly IReadOnlyList<string> Statistics = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"];

    /// <summary>The raw values, when PutMetricData gave them as Values; null for a single Value or a StatisticSet.</summary>
    public IReadOnlyList<Sample>? Samples { get; init; }

    /// <summary>Whether <paramref name="name"/> is a statistic LocalCloud computes: one of <see cref="Statistics"/> or an extended statistic.</summary>
    public static bool IsStatistic(string name) => Statistics.Contains(name) || ExtendedStatistic.Parse(name) is not null;

    /// <summary>
    /// The statistic's value, or null when CloudWatch has none (an extended statistic of data without raw values).
    /// </summary>
    public double? Value(string name) => name switch
    {
        "SampleCount" => SampleCount,
        "Average" => Sum / SampleCount,
        "Sum" => Sum,
        "Minimum" => Minimum,
        "Maximum" => Maximum,
        _ => ExtendedStatistic.Parse(name) is { } extended
            ? RawSamples() is { } samples ? extended.Compute(samples) : null
            : throw new ArgumentOutOfRangeException(nameof(name), name, "Not a CloudWatch statistic."),
    };

    /// <summary>
    /// The raw values behind the aggregate. A statistic set has them only when all its values are equal (Minimum
    /// equals Maximum and Sum is Minimum times SampleCount, which a single Value always is): CloudWatch computes
    /// percentiles of statistic sets only then (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Percentiles).
    /// </summary>
    public IReadOnlyList<Sample>? RawSamples() =>
        Samples ?? (Minimum == Maximum && Math.Abs(Sum - (Minimum * SampleCount)) <= 1e-9 * Math.Max(1, Math.Abs(Sum)) ? [new Sample(Minimum, SampleCount)] : null);

    /// <summary>The datapoints of one period combined, stamped with the period's start.</summary>
    public static Datapoint Combine(DateTimeOffset periodStart, IReadOnlyCollection<Datapoint> points)
    {
        var raw = points.Select(point => point.RawSamples()).ToList();
        return new Datapoint(
            periodStart,
            points.Sum(point => point.SampleCount),
            points.Sum(point => point.Sum),
            points.Min(point => point.Minimum),
            points.Max(point => point.Maximum),
            points.Select(point => point.Unit).FirstOrDefault(unit => unit is not null))
        {
            Samples = raw.All(samples => samples is not null) ? [.. raw.SelectMany(samples => samples!)] : null,
        };
    }
}

/// <summary>One metric (namespace, name, dimensions) and its datapoints; mutable only under the store's lock.</summary>
internal sealed class MetricSeries
{
    public required string Namespace { get; init; }

    public required string MetricName { get; init; }

    /// <summary>Sorted by name, so equal dimension sets compare equal.</summary>
    public required List<Dimension> Dimensions { get; init; }

    public List<Datapoint> Datapoints { get; init; } = [];

    public static string Key(string metricNamespace, string metricName, IEnumerable<Dimension> dimensions) =>
        string.Join('\n', [metricNamespace, metricName, .. dimensions.OrderBy(dimension => dimension.Name, StringComparer.Ordinal).Select(dimension => $"{dimension.Name}={dimension.Value}")]);

    public string Key() => Key(Namespace, MetricName, Dimensions);

    /// <summary>
    /// Per-period aggregates in [start, end): periods are aligned to <paramref name="start"/>; only periods with data appear.
    /// </summary>
    public IEnumerable<Datapoint> Periods(DateTimeOffset start, DateTimeOffset end, int periodSeconds, string? unit) => Datapoints
        .Where(point => point.Timestamp >= start && point.Timestamp < end && (unit is null || point.Unit == unit))
        .GroupBy(point => (long)(point.Timestamp - start).TotalSeconds / periodSeconds)
        .OrderBy(group => group.Key)
        .Select(group => Datapoint.Combine(start.AddSeconds(group.Key * periodSeconds), group.ToList()));
}

/// <summary>A metric alarm: its configuration (as PutMetricAlarm gave it) and its state. Immutable; state changes replace it.</summary>
internal sealed record MetricAlarm
{
    public required string AlarmName { get; init; }

    public required string AlarmArn { get; init; }

    public required string AccountId { get; init; }

    public required string Region { get; init; }

    public string? AlarmDescription { get; init; }

    public bool ActionsEnabled { get; init; } = true;

    public List<string> OKActions { get; init; } = [];

    public List<string> AlarmActions { get; init; } = [];

    public List<string> InsufficientDataActions { get; init; } = [];

    /// <summary>The single metric (null for a metric math alarm, whose metrics are in <see cref="Metrics"/>).</summary>
    public string? MetricName { get; init; }

    public string? Namespace { get; init; }

    public string? Statistic { get; init; }

    /// <summary>A single-metric alarm's percentile or other extended statistic (instead of <see cref="Statistic"/>).</summary>
    public string? ExtendedStatistic { get; init; }

    /// <summary>"ignore": a percentile alarm keeps its state while a period has too few samples; "evaluate" or null: always evaluated.</summary>
    public string? EvaluateLowSampleCountPercentile { get; init; }

    /// <summary>A metric math alarm's queries (empty for a single-metric alarm).</summary>
    public List<AlarmQuery> Metrics { get; init; } = [];

    public List<Dimension> Dimensions { get; init; } = [];

    public required int Period { get; init; }

    public string? Unit { get; init; }

    public required int EvaluationPeriods { get; init; }

    public int? DatapointsToAlarm { get; init; }

    public required double Threshold { get; init; }

    /// <summary>An anomaly detection alarm's band item (the Id of its ANOMALY_DETECTION_BAND); null for a threshold alarm, whose Threshold counts.</summary>
    public string? ThresholdMetricId { get; init; }

    public required string ComparisonOperator { get; init; }

    public string TreatMissingData { get; init; } = "missing";

    public required DateTimeOffset AlarmConfigurationUpdatedTimestamp { get; init; }

    public string StateValue { get; init; } = AlarmStates.InsufficientData;

    public string StateReason { get; init; } = "Unchecked: Initial alarm creation";

    public DateTimeOffset StateUpdatedTimestamp { get; init; }

    public DateTimeOffset StateTransitionedTimestamp { get; init; }

    /// <summary>The keys (<see cref="MetricSeries.Key(string, string, IEnumerable{Dimension})"/>) of the metrics the alarm reads.</summary>
    public IEnumerable<string> MetricKeys() => Metrics.Count == 0
        ? [MetricSeries.Key(Namespace!, MetricName!, Dimensions)]
        : Metrics.Where(query => query.Expression is null).Select(query => MetricSeries.Key(query.Namespace!, query.MetricName!, query.Dimensions));

    public List<string> ActionsFor(string state) => state switch
    {
        AlarmStates.Alarm => AlarmActions,
        AlarmStates.Ok => OKActions,
        _ => InsufficientDataActions,
    };
}

internal static class AlarmStates
{
    public const string Ok = "OK";
    public const string Alarm = "ALARM";
    public const string InsufficientData = "INSUFFICIENT_DATA";
}
