using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>
/// What an auditor reads from verified evidence of a period: success rate, RTO and RPO against their targets per
/// account and resource type, monthly trends, the drills, coverage of the organization's protected resources, the
/// failures, the integrity of the chain, and the SOC 2 / ISO/IEC 27001:2022 controls it supports (docs/evidence.md).
/// This form holds its records in memory; <see cref="AuditReportSpool"/> writes the same report from records as they
/// stream, holding only the figures.
/// </summary>
public sealed class AuditReport
{
    private readonly AuditReportContent content;

    private AuditReport(IReadOnlyList<AuditEvidence> records, DateTime generatedAt, string bucket, DateTime? from, DateTime? to, ProtectedResourceInventory? inventory)
    {
        Records = records;
        ValidationRecords = records.Where(r => r.Kind != EvidenceKind.Drill).ToList();
        Drills = records.Where(r => r.Kind == EvidenceKind.Drill).ToList();
        var totals = new AuditReportTotals();
        foreach (AuditEvidence record in records)
        {
            totals.Add(record);
        }

        content = new AuditReportContent(totals, new AuditReportRows(() => Records, () => Drills, () => Tampered, () => Failures), generatedAt, bucket, from, to, inventory);
    }

    /// <summary>Every record chosen: validations, drills and the entries of removed records.</summary>
    public IReadOnlyList<AuditEvidence> Records { get; }

    public DateTime GeneratedAt => content.GeneratedAt;

    public string Bucket => content.Bucket;

    /// <summary>The start of the period covered (UTC); null: from the first record.</summary>
    public DateTime? From => content.From;

    /// <summary>The end of the period covered (UTC); null: up to the report's generation.</summary>
    public DateTime? To => content.To;

    /// <summary>Restore validations (and removed records, whose kind nobody can tell: they count against the rate).</summary>
    public IReadOnlyList<AuditEvidence> ValidationRecords { get; }

    /// <summary>DR drills (records of kind drill): failovers into an isolated copy, with their timeline.</summary>
    public IReadOnlyList<AuditEvidence> Drills { get; }

    public IReadOnlyList<AuditReportGroup> Groups => content.Groups;

    /// <summary>Success rate and RTO per calendar month of the period.</summary>
    public IReadOnlyList<AuditTrendMonth> Trends => content.Trends;

    /// <summary>Protected resources against validated ones, per account; null when not asked for.</summary>
    public AuditCoverage? Coverage => content.Coverage;

    public int Validations => content.Totals.Validations;

    /// <summary>Validations that passed AND whose evidence verified: a forged "Passed" never counts.</summary>
    public int Passed => content.Totals.Passed;

    public int DrillsPassed => content.Totals.DrillsPassed;

    /// <summary>Share of validations that passed, 0 to 1; null without validations.</summary>
    public double? SuccessRate => content.SuccessRate;

    /// <summary>There is evidence, and every record's hash, signature, chain link, digest, versions and retention verified.</summary>
    public bool ChainIntact => content.ChainIntact;

    /// <summary>Records that failed verification (forged, replaced, added as a new version, removed): tampering.</summary>
    public IReadOnlyList<AuditEvidence> Tampered => Records.Where(r => !r.Verified).ToList();

    public IEnumerable<AuditEvidence> Failures => Records.Where(IsFailure);

    /// <summary>Failed validations and drills that name no alert: a failure nobody was told of.</summary>
    public IReadOnlyList<AuditEvidence> Unalerted => Records.Where(IsUnalerted).ToList();

    /// <summary>
    /// The controls the evidence speaks to, each Supported only by evidence in the period: no validations, a broken
    /// chain, or a failure nobody was alerted to never support a control.
    /// </summary>
    public IReadOnlyList<AuditControl> Controls => content.Controls();

    /// <summary>The period as a sentence: "2026-01-01 00:00:00Z to 2026-06-30 23:59:59Z".</summary>
    public string PeriodText => content.PeriodText;

    internal static bool PassedAndVerified(AuditEvidence record) => record.Outcome == CheckOutcome.Passed && record.Verified;

    /// <summary>A record the failures section lists: not passed, or not verified.</summary>
    internal static bool IsFailure(AuditEvidence record) => record.Outcome != CheckOutcome.Passed || !record.Verified;

    internal static bool IsUnalerted(AuditEvidence record) =>
        record.RecordType == EvidenceRecordType.Validation && record.Outcome is CheckOutcome.Failed && string.IsNullOrEmpty(record.AlertTopicArn);

    public static AuditReport Build(IEnumerable<AuditEvidence> records, DateTime generatedAt, string bucket, DateTime? from = null, DateTime? to = null, ProtectedResourceInventory? inventory = null) =>
        new(records.ToList(), generatedAt, bucket, from?.ToUniversalTime(), to?.ToUniversalTime(), inventory);

    public string ToJson() => content.Render("Json");

    /// <summary>One row per record, RFC 4180 quoting.</summary>
    public string ToCsv() => content.Render("Csv");

    /// <summary>One self-contained HTML file: inline styles and SVG charts, no scripts or external resources.</summary>
    public string ToHtml() => content.Render("Html");

    public string Render(string format) => content.Render(format);

    internal static string Percent(double? rate) => rate is { } r ? r.ToString("0.#%", CultureInfo.InvariantCulture) : "n/a";
}

/// <summary>The validations of one account and resource type.</summary>
public sealed class AuditReportGroup
{
    internal AuditReportGroup(string accountId, string resourceType)
    {
        AccountId = accountId;
        ResourceType = resourceType;
    }

    public string AccountId { get; }

    public string ResourceType { get; }

    public int Validations { get; private set; }

    public int Passed { get; private set; }

    public double? SuccessRate => Validations == 0 ? null : (double)Passed / Validations;

    public TimeSpan? RtoMax { get; private set; }

    public TimeSpan? RtoTarget { get; private set; }

    public int RtoMet { get; private set; }

    public TimeSpan? RpoMax { get; private set; }

    public TimeSpan? RpoTarget { get; private set; }

    public int RpoMet { get; private set; }

    internal void Add(AuditEvidence record)
    {
        Validations++;
        Passed += record.Outcome == CheckOutcome.Passed && record.Verified ? 1 : 0;
        RtoMax = Larger(RtoMax, record.Rto);
        RtoTarget = Smaller(RtoTarget, record.RtoTarget);
        RtoMet += record.Rto is { } rto && record.RtoTarget is { } rtoTarget && rto <= rtoTarget ? 1 : 0;
        RpoMax = Larger(RpoMax, record.Rpo);
        RpoTarget = Smaller(RpoTarget, record.RpoTarget);
        RpoMet += record.Rpo is { } rpo && record.RpoTarget is { } rpoTarget && rpo <= rpoTarget ? 1 : 0;
    }

    private static TimeSpan? Larger(TimeSpan? current, TimeSpan? value) => value is { } v && (current is null || v > current) ? v : current;

    private static TimeSpan? Smaller(TimeSpan? current, TimeSpan? value) => value is { } v && (current is null || v < current) ? v : current;
}

/// <summary>One control of a framework and what the evidence says about it.</summary>
public sealed class AuditControl
{
    public AuditControl(string framework, string control, string title, bool supported, string evidence)
    {
        Framework = framework;
        Control = control;
        Title = title;
        Supported = supported;
        Evidence = evidence;
    }

    public string Framework { get; }

    public string Control { get; }

    public string Title { get; }

    public bool Supported { get; }

    public string Evidence { get; }
}
