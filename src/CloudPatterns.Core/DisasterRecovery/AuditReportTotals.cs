using System;
using System.Collections.Generic;
using System.Linq;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>
/// The figures of an audit report, accumulated one record at a time: counts, one entry per account and resource type,
/// one per month, and the sets of validated resources (bounded by the number of resources, not of records). Nothing
/// here holds a record, so a report over any number of records keeps only these (docs/evidence.md, "The report").
/// </summary>
internal sealed class AuditReportTotals
{
    private readonly Dictionary<(string AccountId, string ResourceType), AuditReportGroup> groups = new();
    private readonly Dictionary<DateTime, AuditTrendMonth.Totals> months = new();

    /// <summary>Resources (non-null ARNs) any validation touched, and those with a verified, passed one.</summary>
    private readonly HashSet<string> validatedArns = new(StringComparer.Ordinal);
    private readonly HashSet<string> passedArns = new(StringComparer.Ordinal);
    private bool validationWithoutArn;

    public int Records { get; private set; }

    public int Validations { get; private set; }

    public int Passed { get; private set; }

    public int Drills { get; private set; }

    public int DrillsPassed { get; private set; }

    public int Tampered { get; private set; }

    public int Failures { get; private set; }

    public int Unalerted { get; private set; }

    /// <summary>The earliest record time of any record (validations and drills).</summary>
    public DateTime? FirstRecordedAt { get; private set; }

    /// <summary>The earliest and latest record time of the dated validations: the months of an open period.</summary>
    public DateTime? FirstValidationAt { get; private set; }

    public DateTime? LastValidationAt { get; private set; }

    /// <summary>Distinct resources validated, counting a validation without an ARN as one more (as LINQ's Distinct does).</summary>
    public int ValidatedResources => validatedArns.Count + (validationWithoutArn ? 1 : 0);

    public void Add(AuditEvidence record)
    {
        Records++;
        FirstRecordedAt = Earlier(FirstRecordedAt, record.RecordedAt);
        bool passed = AuditReport.PassedAndVerified(record);
        if (!record.Verified)
        {
            Tampered++;
        }

        if (AuditReport.IsFailure(record))
        {
            Failures++;
        }

        if (AuditReport.IsUnalerted(record))
        {
            Unalerted++;
        }

        if (record.Kind == EvidenceKind.Drill)
        {
            Drills++;
            DrillsPassed += passed ? 1 : 0;
            return;
        }

        Validations++;
        Passed += passed ? 1 : 0;
        var key = (record.AccountId ?? "", record.ResourceType ?? "");
        if (!groups.TryGetValue(key, out AuditReportGroup? group))
        {
            groups.Add(key, group = new AuditReportGroup(key.Item1, key.Item2));
        }

        group.Add(record);
        if (record.ResourceArn is { } arn)
        {
            validatedArns.Add(arn);
            if (record.Verified && record.Outcome == CheckOutcome.Passed)
            {
                passedArns.Add(arn);
            }
        }
        else
        {
            validationWithoutArn = true;
        }

        if (record.RecordedAt is { } at)
        {
            FirstValidationAt = Earlier(FirstValidationAt, at);
            LastValidationAt = LastValidationAt is { } last && last >= at ? last : at;
            DateTime month = AuditTrendMonth.MonthOf(at);
            if (!months.TryGetValue(month, out AuditTrendMonth.Totals? totals))
            {
                months.Add(month, totals = new AuditTrendMonth.Totals());
            }

            totals.Add(record);
        }
    }

    /// <summary>Per account and resource type, ordered by both (ordinal).</summary>
    public IReadOnlyList<AuditReportGroup> Groups() =>
        groups.Values.OrderBy(g => g.AccountId, StringComparer.Ordinal).ThenBy(g => g.ResourceType, StringComparer.Ordinal).ToList();

    public IReadOnlyList<AuditTrendMonth> Trends(DateTime? from, DateTime? to) => AuditTrendMonth.Of(months, from ?? FirstValidationAt, to ?? LastValidationAt);

    public AuditCoverage? Coverage(ProtectedResourceInventory? inventory) => inventory is null ? null : new AuditCoverage(inventory, passedArns, validatedArns);

    private static DateTime? Earlier(DateTime? current, DateTime? candidate) =>
        candidate is { } at && (current is null || at < current) ? at : current;
}
