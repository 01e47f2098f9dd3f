using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>The validations of one calendar month (UTC): how many, how many passed, and the RTO they measured.</summary>
public sealed class AuditTrendMonth
{
    private AuditTrendMonth(DateTime month, Totals? totals)
    {
        Month = month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        Validations = totals?.Validations ?? 0;
        Passed = totals?.Passed ?? 0;
        RtoMax = totals?.RtoCount > 0 ? totals.RtoMax : null;
        RtoMean = totals?.RtoCount > 0 ? TimeSpan.FromSeconds(totals.RtoSecondsSum / totals.RtoCount) : null;
        RtoTarget = totals?.RtoTargetMin is { } target && target > TimeSpan.Zero ? target : null;
    }

    /// <summary>yyyy-MM.</summary>
    public string Month { get; }

    public int Validations { get; }

    public int Passed { get; }

    /// <summary>0 to 1; null in a month without validations (a gap, shown as such).</summary>
    public double? SuccessRate => Validations == 0 ? null : (double)Passed / Validations;

    public TimeSpan? RtoMax { get; }

    public TimeSpan? RtoMean { get; }

    public TimeSpan? RtoTarget { get; }

    /// <summary>
    /// Every month from <paramref name="first"/> to <paramref name="last"/> (the period's, or the records' when the
    /// period is open), so a month without validations shows as a gap instead of disappearing. At most
    /// <paramref name="maxMonths"/>, the latest.
    /// </summary>
    internal static IReadOnlyList<AuditTrendMonth> Of(IReadOnlyDictionary<DateTime, Totals> months, DateTime? first, DateTime? last, int maxMonths = 36)
    {
        if (first is null || last is null || first > last)
        {
            return Array.Empty<AuditTrendMonth>();
        }

        var all = new List<DateTime>();
        for (DateTime month = MonthOf(first.Value); month <= MonthOf(last.Value); month = month.AddMonths(1))
        {
            all.Add(month);
        }

        return all.Skip(Math.Max(0, all.Count - maxMonths))
            .Select(month => new AuditTrendMonth(month, months.TryGetValue(month, out Totals? totals) ? totals : null))
            .ToList();
    }

    internal static DateTime MonthOf(DateTime at) => new(at.Year, at.Month, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>One month's figures, accumulated as its validations stream by (the RTO mean sums in record order).</summary>
    internal sealed class Totals
    {
        public int Validations { get; private set; }

        public int Passed { get; private set; }

        public int RtoCount { get; private set; }

        public double RtoSecondsSum { get; private set; }

        public TimeSpan RtoMax { get; private set; }

        public TimeSpan? RtoTargetMin { get; private set; }

        public void Add(AuditEvidence validation)
        {
            Validations++;
            Passed += AuditReport.PassedAndVerified(validation) ? 1 : 0;
            if (validation.Rto is { } rto)
            {
                RtoMax = RtoCount == 0 || rto > RtoMax ? rto : RtoMax;
                RtoSecondsSum += rto.TotalSeconds;
                RtoCount++;
            }

            if (validation.RtoTarget is { } target && (RtoTargetMin is null || target < RtoTargetMin))
            {
                RtoTargetMin = target;
            }
        }
    }
}
