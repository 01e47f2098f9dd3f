namespace CloudPatterns.LocalCloud.Services.CloudWatch;

internal sealed record Dimension(string Name, string Value);

/// <summary>An aggregate of samples: what PutMetricData stores and what statistics are computed from.</summary>
internal sealed record Datapoint(DateTimeOffset Timestamp, double SampleCount, double Sum, double Minimum, double Maximum, string? Unit)
{
    /// <summary>The statistics CloudWatch computes (percentiles are not emulated).</summary>
    public static readonly IReadOnlyList<string> Statistics = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"];

    public double Statistic(string name) => name switch
    {
        "SampleCount" => SampleCount,
        "Average" => Sum / SampleCount,
        "Sum" => Sum,
        "Minimum" => Minimum,
        "Maximum" => Maximum,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Not a CloudWatch statistic."),
    };

    /// <summary>The datapoints of one period combined, stamped with the period's start.</summary>
    public static Datapoint Combine(DateTimeOffset periodStart, IReadOnlyCollection<Datapoint> points) => new(
        periodStart,
        points.Sum(point => point.SampleCount),
        points.Sum(point => point.Sum),
        points.Min(point => point.Minimum),
        points.Max(point => point.Maximum),
        points.Select(point => point.Unit).FirstOrDefault(unit => unit is not null));
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
