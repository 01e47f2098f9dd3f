using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.Json;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>
/// What an auditor reads from verified evidence: success rate, RTO and RPO against their targets per account and
/// resource type, the failures, the integrity of the chain, and the SOC 2 / ISO/IEC 27001:2022 controls it supports.
/// </summary>
public sealed class AuditReport
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private AuditReport(IReadOnlyList<AuditEvidence> records, DateTime generatedAt, string bucket)
    {
        Records = records;
        GeneratedAt = generatedAt;
        Bucket = bucket;
        Groups = records
            .GroupBy(r => (r.AccountId ?? "", r.ResourceType ?? ""))
            .OrderBy(g => g.Key.Item1, StringComparer.Ordinal).ThenBy(g => g.Key.Item2, StringComparer.Ordinal)
            .Select(g => new AuditReportGroup(g.Key.Item1, g.Key.Item2, g.ToList()))
            .ToList();
    }

    public IReadOnlyList<AuditEvidence> Records { get; }

    public DateTime GeneratedAt { get; }

    public string Bucket { get; }

    public IReadOnlyList<AuditReportGroup> Groups { get; }

    public int Validations => Records.Count;

    /// <summary>Validations that passed AND whose evidence verified: a forged "Passed" never counts.</summary>
    public int Passed => Records.Count(r => r.Outcome == CheckOutcome.Passed && r.Verified);

    /// <summary>Share of validations that passed, 0 to 1; null without validations.</summary>
    public double? SuccessRate => Records.Count == 0 ? null : (double)Passed / Records.Count;

    /// <summary>There is evidence, and every record's hash, signature, chain link, digest, versions and retention verified.</summary>
    public bool ChainIntact => Records.Count > 0 && Records.All(r => r.Verified);

    /// <summary>Records that failed verification (forged, replaced, added as a new version, removed): tampering.</summary>
    public IReadOnlyList<AuditEvidence> Tampered => Records.Where(r => !r.Verified).ToList();

    public IEnumerable<AuditEvidence> Failures => Records.Where(r => r.Outcome != CheckOutcome.Passed || !r.Verified);

    /// <summary>The controls the evidence speaks to, each with whether this evidence supports it.</summary>
    public IReadOnlyList<AuditControl> Controls => new[]
    {
        new AuditControl("SOC 2", "A1.2", "Recovery infrastructure: backups and recovery are in place and monitored", Validations > 0,
            $"{Validations} restore validations of {Records.Select(r => r.ResourceArn).Distinct().Count()} protected resources."),
        new AuditControl("SOC 2", "A1.3", "Recovery plan testing", Validations > 0 && Passed > 0,
            $"{Passed} of {Validations} restores completed and met their checks; RTO and RPO measured against targets."),
        new AuditControl("SOC 2", "CC7.5", "Recovery from incidents", Failures.All(f => f.Verified),
            "Failed validations are recorded with their failed checks and alerted; restored resources are deleted."),
        new AuditControl("ISO/IEC 27001:2022", "A.5.30", "ICT readiness for business continuity", Validations > 0 && SuccessRate >= 0.95,
            $"Success rate {Percent(SuccessRate)}; RTO/RPO per account and resource type below."),
        new AuditControl("ISO/IEC 27001:2022", "A.8.13", "Information backup", ChainIntact && Validations > 0,
            ChainIntact ? "Every evidence record verified: SHA-256, KMS signature, hash chain, signed digests, one version each, S3 Object Lock COMPLIANCE retention." : $"{Tampered.Count} evidence records failed verification: the evidence was tampered with (see the tampering section)."),
    };

    public static AuditReport Build(IEnumerable<AuditEvidence> records, DateTime generatedAt, string bucket) =>
        new(records.ToList(), generatedAt, bucket);

    public string ToJson() => JsonSerializer.Serialize(new
    {
        GeneratedAt,
        Bucket,
        Validations,
        Passed,
        SuccessRate,
        ChainIntact,
        Tampered = Tampered.Count,
        Tampering = Tampered.Select(t => new { t.Key, t.RecordType, t.RunId, t.Sequence, t.Versions, t.Failures }),
        Groups = Groups.Select(g => new { g.AccountId, g.ResourceType, g.Validations, g.Passed, g.SuccessRate, RtoMaxSeconds = g.RtoMax?.TotalSeconds, RtoTargetSeconds = g.RtoTarget?.TotalSeconds, g.RtoMet, RpoMaxSeconds = g.RpoMax?.TotalSeconds, RpoTargetSeconds = g.RpoTarget?.TotalSeconds, g.RpoMet }),
        Controls,
        Failures = Failures.Select(f => new { f.Key, f.AccountId, f.ResourceArn, f.Outcome, f.FailedChecks, f.Verified, f.Failures }),
        Records = Records.Select(r => new { r.Key, r.RecordType, r.AccountId, r.Region, r.ResourceArn, r.ResourceType, r.RecordedAt, r.Outcome, RtoSeconds = r.Rto?.TotalSeconds, RpoSeconds = r.Rpo?.TotalSeconds, r.Verified, r.Reason, r.Sha256 }),
    }, JsonOptions);

    /// <summary>One row per record, RFC 4180 quoting.</summary>
    public string ToCsv()
    {
        var text = new StringBuilder();
        text.AppendLine("RecordedAt,RecordType,AccountId,Region,ResourceType,ResourceArn,Outcome,RtoSeconds,RtoTargetSeconds,RpoSeconds,RpoTargetSeconds,FailedChecks,Verified,Failures,Key,Sha256");
        foreach (AuditEvidence r in Records)
        {
            text.AppendLine(string.Join(",", new[]
            {
                r.RecordedAt?.ToString("o", CultureInfo.InvariantCulture), r.RecordType, r.AccountId, r.Region, r.ResourceType, r.ResourceArn, r.Outcome,
                Seconds(r.Rto), Seconds(r.RtoTarget), Seconds(r.Rpo), Seconds(r.RpoTarget), string.Join("; ", r.FailedChecks),
                r.Verified ? "true" : "false", string.Join(" | ", r.Failures), r.Key, r.Sha256,
            }.Select(Csv)));
        }

        return text.ToString();
    }

    /// <summary>One self-contained HTML file: inline styles and SVG charts, no scripts or external resources.</summary>
    public string ToHtml()
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Disaster recovery audit report</title><style>")
            .Append("body{font-family:system-ui,sans-serif;margin:2rem;color:#1b1b1b}table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}")
            .Append("th{background:#f0f0f0}.pass{color:#11602a}.fail{color:#a4161a;font-weight:bold}.kpi{display:inline-block;margin-right:2rem;font-size:1.4rem}")
            .Append(".tamper{border:3px solid #a4161a;background:#fde8e8;padding:1rem;margin:1rem 0}")
            .Append("</style></head><body>");
        html.Append("<h1>Disaster recovery audit report</h1>")
            .Append($"<p>Evidence bucket <code>{E(Bucket)}</code>, generated {E(GeneratedAt.ToString("u", CultureInfo.InvariantCulture))}.</p>")
            .Append($"<p><span class=\"kpi\">Validations: {Validations}</span><span class=\"kpi\">Success rate: {Percent(SuccessRate)}</span>")
            .Append($"<span class=\"kpi {(ChainIntact ? "pass" : "fail")}\">Evidence chain: {(ChainIntact ? "intact" : Records.Count == 0 ? "NO EVIDENCE" : "BROKEN")}</span></p>");
        html.Append(TamperingSection());
        html.Append("<h2>Success rate per account and resource type</h2>").Append(Bars(Groups.Select(g => ($"{g.AccountId} {g.ResourceType}", g.SuccessRate ?? 0)).ToList()));
        html.Append("<h2>RTO and RPO against targets</h2><table><tr><th>Account</th><th>Resource type</th><th>Validations</th><th>Passed</th><th>Longest RTO</th><th>RTO target</th><th>RTO met</th><th>Oldest RPO</th><th>RPO target</th><th>RPO met</th></tr>");
        foreach (AuditReportGroup g in Groups)
        {
            html.Append($"<tr><td>{E(g.AccountId)}</td><td>{E(g.ResourceType)}</td><td>{g.Validations}</td><td>{g.Passed}</td><td>{g.RtoMax}</td><td>{g.RtoTarget}</td><td>{g.RtoMet}/{g.Validations}</td><td>{g.RpoMax}</td><td>{g.RpoTarget}</td><td>{g.RpoMet}/{g.Validations}</td></tr>");
        }

        html.Append("</table><h2>Controls</h2><table><tr><th>Framework</th><th>Control</th><th>Title</th><th>Status</th><th>Evidence</th></tr>");
        foreach (AuditControl c in Controls)
        {
            html.Append($"<tr><td>{E(c.Framework)}</td><td>{E(c.Control)}</td><td>{E(c.Title)}</td><td class=\"{(c.Supported ? "pass" : "fail")}\">{(c.Supported ? "Supported" : "Not supported")}</td><td>{E(c.Evidence)}</td></tr>");
        }

        html.Append("</table><h2>Failures</h2>");
        List<AuditEvidence> failures = Failures.ToList();
        if (failures.Count == 0)
        {
            html.Append("<p class=\"pass\">None.</p>");
        }
        else
        {
            html.Append("<table><tr><th>Recorded</th><th>Account</th><th>Resource</th><th>Outcome</th><th>Failed checks</th><th>Verification</th><th>Key</th></tr>");
            foreach (AuditEvidence f in failures)
            {
                html.Append($"<tr><td>{f.RecordedAt:u}</td><td>{E(f.AccountId)}</td><td>{E(f.ResourceArn)}</td><td class=\"{(f.Outcome == CheckOutcome.Passed ? "pass" : "fail")}\">{E(f.Outcome)}</td><td>{E(string.Join(", ", f.FailedChecks))}</td><td class=\"{(f.Verified ? "pass" : "fail")}\">{(f.Verified ? "verified" : E(string.Join(" ", f.Failures)))}</td><td><code>{E(f.Key)}</code></td></tr>");
            }

            html.Append("</table>");
        }

        return html.Append("</body></html>").ToString();
    }

    /// <summary>The banner and table of every record that failed verification, first thing after the figures.</summary>
    private string TamperingSection()
    {
        IReadOnlyList<AuditEvidence> tampered = Tampered;
        if (tampered.Count == 0)
        {
            return "";
        }

        var html = new StringBuilder("<div class=\"tamper\" role=\"alert\">")
            .Append($"<h2 class=\"fail\">EVIDENCE TAMPERING DETECTED: {tampered.Count} of {Records.Count} records failed verification</h2>")
            .Append("<p>These records were forged, replaced, added as new versions, signed with another key, or removed. The figures above count none of them as passed.</p>")
            .Append("<table><tr><th>Key</th><th>Kind</th><th>Run</th><th>Versions</th><th>Why</th></tr>");
        foreach (AuditEvidence t in tampered)
        {
            html.Append($"<tr><td><code>{E(t.Key)}</code></td><td>{E(t.RecordType)}</td><td>{E(t.RunId)}</td><td>{E(string.Join(", ", t.Versions))}</td><td class=\"fail\">{E(string.Join(" ", t.Failures))}</td></tr>");
        }

        return html.Append("</table></div>").ToString();
    }

    public string Render(string format) => format.ToUpperInvariant() switch
    {
        "HTML" => ToHtml(),
        "JSON" => ToJson(),
        "CSV" => ToCsv(),
        _ => throw new ArgumentException($"Unknown report format '{format}': use Html, Json or Csv.", nameof(format)),
    };

    private static string Bars(IReadOnlyList<(string Label, double Rate)> bars)
    {
        const int Row = 24;
        var svg = new StringBuilder($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"{Math.Max(1, bars.Count) * Row + 4}\" role=\"img\" aria-label=\"Success rate per account and resource type\">");
        for (int i = 0; i < bars.Count; i++)
        {
            int y = i * Row + 2;
            double width = 360 * bars[i].Rate;
            svg.Append($"<text x=\"0\" y=\"{y + 16}\" font-size=\"12\">{E(bars[i].Label)}</text>")
                .Append($"<rect x=\"220\" y=\"{y + 3}\" width=\"360\" height=\"16\" fill=\"#eee\"/>")
                .Append($"<rect x=\"220\" y=\"{y + 3}\" width=\"{width.ToString("0.#", CultureInfo.InvariantCulture)}\" height=\"16\" fill=\"{(bars[i].Rate >= 0.95 ? "#2b9348" : "#d00000")}\"/>")
                .Append($"<text x=\"590\" y=\"{y + 16}\" font-size=\"12\">{Percent(bars[i].Rate)}</text>");
        }

        return svg.Append("</svg>").ToString();
    }

    private static string Percent(double? rate) => rate is { } r ? r.ToString("0.#%", CultureInfo.InvariantCulture) : "n/a";

    private static string? Seconds(TimeSpan? value) => value?.TotalSeconds.ToString(CultureInfo.InvariantCulture);

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

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
