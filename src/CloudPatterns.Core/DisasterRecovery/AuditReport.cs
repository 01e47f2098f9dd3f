using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>
/// What an auditor reads from verified evidence of a period: success rate, RTO and RPO against their targets per
/// account and resource type, monthly trends, the drills, coverage of the organization's protected resources, the
/// failures, the integrity of the chain, and the SOC 2 / ISO/IEC 27001:2022 controls it supports (docs/evidence.md).
/// </summary>
public sealed class AuditReport
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private AuditReport(IReadOnlyList<AuditEvidence> records, DateTime generatedAt, string bucket, DateTime? from, DateTime? to, ProtectedResourceInventory? inventory)
    {
        Records = records;
        GeneratedAt = generatedAt;
        Bucket = bucket;
        From = from;
        To = to;
        ValidationRecords = records.Where(r => r.Kind != EvidenceKind.Drill).ToList();
        Drills = records.Where(r => r.Kind == EvidenceKind.Drill).ToList();
        Groups = ValidationRecords
            .GroupBy(r => (r.AccountId ?? "", r.ResourceType ?? ""))
            .OrderBy(g => g.Key.Item1, StringComparer.Ordinal).ThenBy(g => g.Key.Item2, StringComparer.Ordinal)
            .Select(g => new AuditReportGroup(g.Key.Item1, g.Key.Item2, g.ToList()))
            .ToList();
        Trends = AuditTrendMonth.Of(ValidationRecords, from, to);
        Coverage = inventory is null ? null : new AuditCoverage(inventory, ValidationRecords);
    }

    /// <summary>Every record chosen: validations, drills and the entries of removed records.</summary>
    public IReadOnlyList<AuditEvidence> Records { get; }

    public DateTime GeneratedAt { get; }

    public string Bucket { get; }

    /// <summary>The start of the period covered (UTC); null: from the first record.</summary>
    public DateTime? From { get; }

    /// <summary>The end of the period covered (UTC); null: up to the report's generation.</summary>
    public DateTime? To { get; }

    /// <summary>Restore validations (and removed records, whose kind nobody can tell: they count against the rate).</summary>
    public IReadOnlyList<AuditEvidence> ValidationRecords { get; }

    /// <summary>DR drills (records of kind drill): failovers into an isolated copy, with their timeline.</summary>
    public IReadOnlyList<AuditEvidence> Drills { get; }

    public IReadOnlyList<AuditReportGroup> Groups { get; }

    /// <summary>Success rate and RTO per calendar month of the period.</summary>
    public IReadOnlyList<AuditTrendMonth> Trends { get; }

    /// <summary>Protected resources against validated ones, per account; null when not asked for.</summary>
    public AuditCoverage? Coverage { get; }

    public int Validations => ValidationRecords.Count;

    /// <summary>Validations that passed AND whose evidence verified: a forged "Passed" never counts.</summary>
    public int Passed => ValidationRecords.Count(PassedAndVerified);

    public int DrillsPassed => Drills.Count(PassedAndVerified);

    /// <summary>Share of validations that passed, 0 to 1; null without validations.</summary>
    public double? SuccessRate => Validations == 0 ? null : (double)Passed / Validations;

    /// <summary>There is evidence, and every record's hash, signature, chain link, digest, versions and retention verified.</summary>
    public bool ChainIntact => Records.Count > 0 && Records.All(r => r.Verified);

    /// <summary>Records that failed verification (forged, replaced, added as a new version, removed): tampering.</summary>
    public IReadOnlyList<AuditEvidence> Tampered => Records.Where(r => !r.Verified).ToList();

    public IEnumerable<AuditEvidence> Failures => Records.Where(r => r.Outcome != CheckOutcome.Passed || !r.Verified);

    /// <summary>Failed validations and drills that name no alert: a failure nobody was told of.</summary>
    public IReadOnlyList<AuditEvidence> Unalerted => Records.Where(r => r.RecordType == EvidenceRecordType.Validation && r.Outcome is CheckOutcome.Failed && string.IsNullOrEmpty(r.AlertTopicArn)).ToList();

    internal static bool PassedAndVerified(AuditEvidence record) => record.Outcome == CheckOutcome.Passed && record.Verified;

    /// <summary>
    /// The controls the evidence speaks to, each Supported only by evidence in the period: no validations, a broken
    /// chain, or a failure nobody was alerted to never support a control.
    /// </summary>
    public IReadOnlyList<AuditControl> Controls
    {
        get
        {
            bool any = Validations > 0;
            int unalerted = Unalerted.Count;
            string alerting = unalerted == 0 ? "every failure was alerted" : $"{unalerted} failures were alerted to nobody (no SNS topic configured)";
            string none = "No restore validations in the period: nothing supports this control.";
            return new[]
            {
                new AuditControl("SOC 2", "A1.2", "Recovery infrastructure: backups and recovery are in place and monitored", any && Passed > 0 && unalerted == 0,
                    any ? $"{Validations} restore validations of {ValidationRecords.Select(r => r.ResourceArn).Distinct().Count()} protected resources{CoverageText()}; {alerting}." : none),
                new AuditControl("SOC 2", "A1.3", "Recovery plan testing", (any && Passed > 0) || DrillsPassed > 0,
                    $"{Passed} of {Validations} restores completed and met their checks; {DrillsPassed} of {Drills.Count} DR drills passed; RTO and RPO measured against targets."),
                new AuditControl("SOC 2", "CC7.5", "Recovery from incidents", any && Failures.All(f => f.Verified) && unalerted == 0,
                    any ? $"Failed validations are recorded with their failed checks; {alerting}; restored resources are deleted." : none),
                new AuditControl("ISO/IEC 27001:2022", "A.5.30", "ICT readiness for business continuity", any && SuccessRate >= 0.95 && DrillsPassed > 0,
                    $"Success rate {Percent(SuccessRate)}; {(DrillsPassed > 0 ? $"{DrillsPassed} DR drills passed" : "no passed DR drill in the period (a failover exercise is what tests ICT continuity)")}; RTO/RPO per account and resource type below."),
                new AuditControl("ISO/IEC 27001:2022", "A.8.13", "Information backup", ChainIntact && any && Passed > 0,
                    !any ? none : ChainIntact ? "Every evidence record verified: SHA-256, KMS signature, hash chain, signed digests, one version each, S3 Object Lock COMPLIANCE retention." : $"{Tampered.Count} evidence records failed verification: the evidence was tampered with (see the tampering section)."),
            };
        }
    }

    public static AuditReport Build(IEnumerable<AuditEvidence> records, DateTime generatedAt, string bucket, DateTime? from = null, DateTime? to = null, ProtectedResourceInventory? inventory = null) =>
        new(records.ToList(), generatedAt, bucket, from?.ToUniversalTime(), to?.ToUniversalTime(), inventory);

    /// <summary>The period as a sentence: "2026-01-01 00:00:00Z to 2026-06-30 23:59:59Z".</summary>
    public string PeriodText =>
        $"{(From is { } f ? f.ToString("u", CultureInfo.InvariantCulture) : Records.Select(r => r.RecordedAt).Min() is { } first ? first.ToString("u", CultureInfo.InvariantCulture) : "the first record")} to {(To ?? GeneratedAt).ToString("u", CultureInfo.InvariantCulture)}";

    private string CoverageText() => Coverage is { } c ? $" ({c.Validated} of {c.Protected} protected resources of the organization validated)" : "";

    public string ToJson() => JsonSerializer.Serialize(new
    {
        GeneratedAt,
        Bucket,
        Period = new { From, To, Text = PeriodText },
        Validations,
        Passed,
        SuccessRate,
        ChainIntact,
        Tampered = Tampered.Count,
        Tampering = Tampered.Select(t => new { t.Key, t.RecordType, t.RunId, t.Sequence, t.Versions, t.Failures }),
        Groups = Groups.Select(g => new { g.AccountId, g.ResourceType, g.Validations, g.Passed, g.SuccessRate, RtoMaxSeconds = g.RtoMax?.TotalSeconds, RtoTargetSeconds = g.RtoTarget?.TotalSeconds, g.RtoMet, RpoMaxSeconds = g.RpoMax?.TotalSeconds, RpoTargetSeconds = g.RpoTarget?.TotalSeconds, g.RpoMet }),
        Trends = Trends.Select(t => new { t.Month, t.Validations, t.Passed, t.SuccessRate, RtoMaxSeconds = t.RtoMax?.TotalSeconds, RtoMeanSeconds = t.RtoMean?.TotalSeconds, RtoTargetSeconds = t.RtoTarget?.TotalSeconds }),
        Coverage = Coverage is null ? null : new
        {
            Coverage.Protected,
            Coverage.Validated,
            Coverage.Rate,
            Accounts = Coverage.Accounts.Select(a => new { a.AccountId, a.Protected, Validated = a.Validated, a.FailedOnly, a.NotValidated, a.Rate }),
            Coverage.Unreadable,
        },
        Drills = Drills.Select(d => new { d.Key, d.AccountId, d.Region, d.ResourceArn, d.RecordedAt, d.Outcome, d.Verified, RtoSeconds = d.Rto?.TotalSeconds, RtoTargetSeconds = d.RtoTarget?.TotalSeconds, RpoSeconds = d.Rpo?.TotalSeconds, RpoTargetSeconds = d.RpoTarget?.TotalSeconds, d.Timeline }),
        Controls,
        Failures = Failures.Select(f => new { f.Key, f.Kind, f.AccountId, f.ResourceArn, f.Outcome, f.FailedChecks, f.AlertTopicArn, f.Verified, f.Failures }),
        Records = Records.Select(r => new { r.Key, r.RecordType, r.Kind, r.AccountId, r.Region, r.ResourceArn, r.ResourceType, r.RecordedAt, r.Outcome, RtoSeconds = r.Rto?.TotalSeconds, RpoSeconds = r.Rpo?.TotalSeconds, r.Verified, r.Reason, r.Sha256 }),
    }, JsonOptions);

    /// <summary>One row per record, RFC 4180 quoting.</summary>
    public string ToCsv()
    {
        var text = new StringBuilder();
        text.AppendLine("RecordedAt,RecordType,Kind,AccountId,Region,ResourceType,ResourceArn,Outcome,RtoSeconds,RtoTargetSeconds,RpoSeconds,RpoTargetSeconds,FailedChecks,Verified,Failures,Key,Sha256");
        foreach (AuditEvidence r in Records)
        {
            text.AppendLine(string.Join(",", new[]
            {
                r.RecordedAt?.ToString("o", CultureInfo.InvariantCulture), r.RecordType, r.Kind, r.AccountId, r.Region, r.ResourceType, r.ResourceArn, r.Outcome,
                Seconds(r.Rto), Seconds(r.RtoTarget), Seconds(r.Rpo), Seconds(r.RpoTarget), string.Join("; ", r.FailedChecks),
                r.Verified ? "true" : "false", string.Join(" | ", r.Failures), r.Key, r.Sha256,
            }.Select(Csv)));
        }

        return text.ToString();
    }

    /// <summary>One self-contained HTML file: inline styles and SVG charts, no scripts or external resources.</summary>
    public string ToHtml() => AuditReportHtml.Render(this);

    public string Render(string format) => format.ToUpperInvariant() switch
    {
        "HTML" => ToHtml(),
        "JSON" => ToJson(),
        "CSV" => ToCsv(),
        _ => throw new ArgumentException($"Unknown report format '{format}': use Html, Json or Csv.", nameof(format)),
    };

    internal static string Percent(double? rate) => rate is { } r ? r.ToString("0.#%", CultureInfo.InvariantCulture) : "n/a";

    private static string? Seconds(TimeSpan? value) => value?.TotalSeconds.ToString(CultureInfo.InvariantCulture);

    private static string Csv(string? value) =>
        value is null ? "" : value.IndexOfAny(new[] { ',', '"', '\n', '\r' }) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
}

/// <summary>The validations of one account and resource type.</summary>
public sealed class AuditReportGroup
{
    internal AuditReportGroup(string accountId, string resourceType, IReadOnlyList<AuditEvidence> records)
    {
        AccountId = accountId;
        ResourceType = resourceType;
        Validations = records.Count;
        Passed = records.Count(r => r.Outcome == CheckOutcome.Passed && r.Verified);
        RtoMax = records.Max(r => r.Rto);
        RtoTarget = records.Min(r => r.RtoTarget);
        RtoMet = records.Count(r => r.Rto is { } rto && r.RtoTarget is { } target && rto <= target);
        RpoMax = records.Max(r => r.Rpo);
        RpoTarget = records.Min(r => r.RpoTarget);
        RpoMet = records.Count(r => r.Rpo is { } rpo && r.RpoTarget is { } target && rpo <= target);
    }

    public string AccountId { get; }

    public string ResourceType { get; }

    public int Validations { get; }

    public int Passed { get; }

    public double? SuccessRate => Validations == 0 ? null : (double)Passed / Validations;

    public TimeSpan? RtoMax { get; }

    public TimeSpan? RtoTarget { get; }

    public int RtoMet { get; }

    public TimeSpan? RpoMax { get; }

    public TimeSpan? RpoTarget { get; }

    public int RpoMet { get; }
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
