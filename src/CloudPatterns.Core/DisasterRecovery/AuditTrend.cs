using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>The validations of one calendar month (UTC): how many, how many passed, and the RTO they measured.</summary>
public sealed class AuditTrendMonth
{
    internal AuditTrendMonth(DateTime month, IReadOnlyList<AuditEvidence> validations)
    {
        Month = month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        Validations = validations.Count;
        Passed = validations.Count(AuditReport.PassedAndVerified);
        List<TimeSpan> rtos = validations.Select(v => v.Rto).OfType<TimeSpan>().ToList();
        RtoMax = rtos.Count == 0 ? null : rtos.Max();
        RtoMean = rtos.Count == 0 ? null : TimeSpan.FromSeconds(rtos.Average(r => r.TotalSeconds));
        RtoTarget = validations.Select(v => v.RtoTarget).OfType<TimeSpan>().DefaultIfEmpty().Min() is { } target && target > TimeSpan.Zero ? target : null;
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
    /// Every month from the period's first to its last (the months of the records when the period is open), so a
    /// month without validations shows as a gap instead of disappearing. At most <paramref name="maxMonths"/>, the latest.
    /// </summary>
    internal static IReadOnlyList<AuditTrendMonth> Of(IReadOnlyList<AuditEvidence> validations, DateTime? from, DateTime? to, int maxMonths = 36)
    {
        List<AuditEvidence> dated = validations.Where(v => v.RecordedAt is not null).ToList();
        DateTime? first = from ?? dated.Select(v => v.RecordedAt).Min();
        DateTime? last = to ?? dated.Select(v => v.RecordedAt).Max();
        if (first is null || last is null || first > last)
        {
            return Array.Empty<AuditTrendMonth>();
        }

        var months = new List<DateTime>();
        for (DateTime month = MonthOf(first.Value); month <= MonthOf(last.Value); month = month.AddMonths(1))
        {
            months.Add(month);
        }

        return months.Skip(Math.Max(0, months.Count - maxMonths))
            .Select(month => new AuditTrendMonth(month, dated.Where(v => MonthOf(v.RecordedAt!.Value) == month).ToList()))
            .ToList();
    }

    private static DateTime MonthOf(DateTime at) => new(at.Year, at.Month, 1, 0, 0, 0, DateTimeKind.Utc);
}
