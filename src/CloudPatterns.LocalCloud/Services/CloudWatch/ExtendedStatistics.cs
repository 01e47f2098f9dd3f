using System.Globalization;
using System.Text.RegularExpressions;

namespace CloudPatterns.LocalCloud.Services.CloudWatch;

/// <summary>One raw value of a metric and how many times it was seen (PutMetricData's Values and Counts).</summary>
internal readonly record struct Sample(double Value, double Count);

/// <summary>
/// CloudWatch's extended statistics over a period's raw values (docs/localcloud-cloudwatch.md, "Percentiles and
/// other extended statistics"): percentiles <c>pNN.NN</c>, trimmed mean/count/sum <c>tmNN</c>, <c>tcNN</c>,
/// <c>tsNN</c>, winsorized mean <c>wmNN</c>, <c>IQM</c>, and the bracket forms <c>TM(a%:b%)</c>, <c>TC(…)</c>,
/// <c>TS(…)</c>, <c>WM(a%:b%)</c>, <c>PR(n:m)</c> with either bound optional.
/// </summary>
internal sealed partial record ExtendedStatistic(string Kind, double? Lower, double? Upper, bool Percent)
{
    /// <summary>The statistic a name gives, or null when the name is none of the forms above.</summary>
    public static ExtendedStatistic? Parse(string name)
    {
        if (name == "IQM")
        {
            return new ExtendedStatistic("tm", 25, 75, Percent: true);
        }

        if (ShortForm().Match(name) is { Success: true } shortForm)
        {
            var bound = Number(shortForm.Groups["n"].Value);
            var kind = shortForm.Groups["kind"].Value;
            return bound is not { } value || value < 0 || value > 100 || (kind != "p" && value == 0) ? null
                : kind == "p" ? new ExtendedStatistic("p", null, value, Percent: true)
                : new ExtendedStatistic(kind, null, value, Percent: true);
        }

        if (BracketForm().Match(name) is not { Success: true } bracket)
        {
            return null;
        }

        var lower = bracket.Groups["lower"].Value;
        var upper = bracket.Groups["upper"].Value;
        var percents = new[] { lower, upper }.Where(text => text.Length > 0).Select(text => text.EndsWith('%')).Distinct().ToList();
        var isPercent = percents.Count == 1 && percents[0];
        var form = bracket.Groups["kind"].Value.ToLowerInvariant();
        if (percents.Count != 1 || (form == "pr" && isPercent) || (form == "wm" && !isPercent))
        {
            return null;
        }

        var low = lower.Length == 0 ? (double?)null : Number(lower.TrimEnd('%'));
        var high = upper.Length == 0 ? (double?)null : Number(upper.TrimEnd('%'));
        var valid = (lower.Length == 0 || low is not null) && (upper.Length == 0 || high is not null)
            && (!isPercent || ((low ?? 0) is >= 0 and <= 100 && (high ?? 100) is >= 0 and <= 100))
            && (low is null || high is null || low < high);
        return valid ? new ExtendedStatistic(form, low, high, isPercent) : null;
    }

    /// <summary>Whether this is a percentile <c>pNN.NN</c> (what GetMetricStatistics' ExtendedStatistics takes).</summary>
    public bool IsPercentile => Kind == "p";

    /// <summary>
    /// The statistic over a period's samples, or null when CloudWatch has none: no raw values (statistic sets), a
    /// percentile of a metric with a negative value, or nothing between the bounds.
    /// </summary>
    public double? Compute(IReadOnlyList<Sample> samples)
    {
        var sorted = samples.Where(sample => sample.Count > 0).OrderBy(sample => sample.Value).ToList();
        var total = sorted.Sum(sample => sample.Count);
        if (total <= 0)
        {
            return null;
        }

        if (Kind == "p")
        {
            return sorted[0].Value < 0 ? null : Percentile(sorted, total, Upper!.Value);
        }

        if (Kind == "pr")
        {
            return 100 * sorted.Where(sample => Inside(sample.Value)).Sum(sample => sample.Count) / total;
        }

        // Percent bounds cut the ranks: the lowest Lower% and the highest (100 - Upper)% of the samples' weight.
        // Value bounds keep the values above Lower and up to Upper.
        var kept = Percent ? Ranked(sorted, total, (Lower ?? 0) / 100 * total, (Upper ?? 100) / 100 * total)
            : sorted.Where(sample => Inside(sample.Value)).ToList();
        var count = kept.Sum(sample => sample.Count);
        var sum = kept.Sum(sample => sample.Value * sample.Count);
        return Kind switch
        {
            "tc" => count,
            "ts" => sum,
            "tm" => count > 0 ? sum / count : null,
            _ => Winsorized(sorted, total),
        };
    }

    /// <summary>
    /// CloudWatch lets a percentile alarm skip periods with too few samples to be significant: fewer than
    /// 10/(1-p) for p in [0.5, 1), fewer than 10/p below 0.5 (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/percentiles-with-low-samples.html).
    /// </summary>
    public bool TooFewSamples(double sampleCount)
    {
        if (Kind != "p" || Upper is not { } percent || percent is 0 or 100)
        {
            return false;
        }

        var fraction = percent / 100;
        return sampleCount < (fraction >= 0.5 ? 10 / (1 - fraction) : 10 / fraction);
    }

    private bool Inside(double value) => (Lower is not { } low || value > low) && (Upper is not { } high || value <= high);

    /// <summary>Nearest rank: the smallest value whose cumulative weight reaches percent% of the total (p0 is the minimum).</summary>
    private static double Percentile(List<Sample> sorted, double total, double percent)
    {
        var rank = percent / 100 * total;
        var cumulative = 0.0;
        foreach (var sample in sorted)
        {
            cumulative += sample.Count;
            if (cumulative >= rank - 1e-9)
            {
                return sample.Value;
            }
        }

        return sorted[^1].Value;
    }

    /// <summary>The part of each sample's weight that falls between the cumulative weights <paramref name="from"/> and <paramref name="to"/>.</summary>
    private static List<Sample> Ranked(List<Sample> sorted, double total, double from, double to)
    {
        var kept = new List<Sample>();
        var start = 0.0;
        foreach (var sample in sorted)
        {
            var weight = Math.Min(start + sample.Count, to) - Math.Max(start, from);
            if (weight > 1e-12)
            {
                kept.Add(sample with { Count = weight });
            }

            start += sample.Count;
        }

        return kept;
    }

    /// <summary>The mean with the samples below the lower and above the upper percentile set to those percentiles.</summary>
    private double Winsorized(List<Sample> sorted, double total)
    {
        var low = Percentile(sorted, total, Lower ?? 0);
        var high = Percentile(sorted, total, Upper ?? 100);
        return sorted.Sum(sample => Math.Clamp(sample.Value, low, high) * sample.Count) / total;
    }

    private static double? Number(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;

    [GeneratedRegex(@"^(?<kind>p|tm|tc|ts|wm)(?<n>\d{1,3}(\.\d{1,10})?)$")]
    private static partial Regex ShortForm();

    [GeneratedRegex(@"^(?<kind>TM|TC|TS|WM|PR|tm|tc|ts|wm|pr)\((?<lower>-?[0-9.eE+]*%?):(?<upper>-?[0-9.eE+]*%?)\)$")]
    private static partial Regex BracketForm();
}
