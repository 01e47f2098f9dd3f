using System.Globalization;
using System.Text.RegularExpressions;

namespace CloudPatterns.LocalCloud.Services.CloudWatch;

/// <summary>The ANOMALY_DETECTION_BAND item of an anomaly detection alarm: the metric item it reads and its width in standard deviations.</summary>
internal sealed record AnomalyBand(string Id, string MetricId, double Width);

/// <summary>
/// Anomaly detection alarms (docs/localcloud-cloudwatch.md, "Anomaly detection alarms"): ThresholdMetricId names an
/// item <c>ANOMALY_DETECTION_BAND(m1[, width])</c> of Metrics, the comparison is one of the three band operators, and
/// the band and the metric it reads both return data. LocalCloud's model: the band is the mean of the metric's values
/// over the training periods, plus and minus width standard deviations.
/// </summary>
internal static partial class AnomalyBands
{
    /// <summary>How many of the alarm's periods before now train the model (CloudWatch trains on up to two weeks).</summary>
    public const int TrainingPeriods = 288;

    public static readonly IReadOnlyDictionary<string, string> Comparisons = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["LessThanLowerOrGreaterThanUpperThreshold"] = "outside",
        ["LessThanLowerThreshold"] = "less than the lower bound of",
        ["GreaterThanUpperThreshold"] = "greater than the upper bound of",
    };

    /// <summary>
    /// PutMetricAlarm's pairing: ThresholdMetricId with Metrics, one of the band comparisons and no Threshold; the band
    /// comparisons only with ThresholdMetricId.
    /// </summary>
    public static void CheckAlarm(string? thresholdMetricId, string comparison, double? threshold, int metricItems)
    {
        var bandComparison = Comparisons.ContainsKey(comparison);
        if (thresholdMetricId is null)
        {
            if (bandComparison)
            {
                throw AlarmQueries.Invalid($"ComparisonOperator {comparison} is for anomaly detection alarms only: give ThresholdMetricId (the Id of an ANOMALY_DETECTION_BAND item of Metrics) instead of Threshold.");
            }

            return;
        }

        if (!bandComparison || threshold is not null || metricItems == 0)
        {
            throw AlarmQueries.Invalid(
                $"An anomaly detection alarm (ThresholdMetricId {thresholdMetricId}) takes Metrics, no Threshold, and ComparisonOperator {string.Join(", ", Comparisons.Keys)}; given: ComparisonOperator {comparison}{(threshold is null ? "" : ", Threshold")}{(metricItems == 0 ? ", no Metrics" : "")}.");
        }
    }

    /// <summary>The band item of <paramref name="queries"/> that <paramref name="thresholdMetricId"/> names, checked with the rest of the items.</summary>
    public static AnomalyBand Check(List<AlarmQuery> queries, string thresholdMetricId)
    {
        var item = queries.FirstOrDefault(query => query.Id == thresholdMetricId)
            ?? throw AlarmQueries.Invalid($"ThresholdMetricId {thresholdMetricId} is not an Id of Metrics ({string.Join(", ", queries.Select(query => query.Id))}).");
        var match = item.Expression is null ? null : BandPattern().Match(item.Expression);
        if (match is not { Success: true })
        {
            throw AlarmQueries.Invalid($"ThresholdMetricId {thresholdMetricId} must name an item whose Expression is ANOMALY_DETECTION_BAND(id[, standard deviations]).");
        }

        var width = match.Groups[2].Success ? double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) : 2;
        var band = new AnomalyBand(item.Id, match.Groups[1].Value, width);
        var others = queries.Where(query => query.Id != band.Id).ToList();
        AlarmQueries.CheckExpressions(others, "Metrics");
        var returned = others.Where(query => query.ReturnData).Select(query => query.Id).ToList();
        if (!others.Any(query => query.Id == band.MetricId) || !item.ReturnData || returned.Count != 1 || returned[0] != band.MetricId)
        {
            throw AlarmQueries.Invalid(
                $"In an anomaly detection alarm the band {band.Id} and the item it reads ({band.MetricId}, an Id of Metrics) return data (ReturnData true), and no other item does; returning data now: {string.Join(", ", queries.Where(query => query.ReturnData).Select(query => query.Id))}.");
        }

        return band;
    }

    /// <summary>The band's bounds from the training values; null without any.</summary>
    public static (double Lower, double Upper)? Bounds(AnomalyBand band, IReadOnlyCollection<double> training)
    {
        if (training.Count == 0)
        {
            return null;
        }

        var mean = training.Average();
        var deviation = Math.Sqrt(training.Sum(value => (value - mean) * (value - mean)) / training.Count);
        return (mean - (band.Width * deviation), mean + (band.Width * deviation));
    }

    public static bool Breaches(string comparison, double value, (double Lower, double Upper) bounds) => comparison switch
    {
        "LessThanLowerThreshold" => value < bounds.Lower,
        "GreaterThanUpperThreshold" => value > bounds.Upper,
        _ => value < bounds.Lower || value > bounds.Upper,
    };

    [GeneratedRegex(@"^\s*ANOMALY_DETECTION_BAND\s*\(\s*([a-z][A-Za-z0-9_]*)\s*(?:,\s*([0-9]+(?:\.[0-9]+)?)\s*)?\)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex BandPattern();
}
