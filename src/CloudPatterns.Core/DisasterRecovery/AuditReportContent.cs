using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>The records a report lists, each list read once as it is written (from memory, or from a spool file).</summary>
internal sealed class AuditReportRows
{
    public AuditReportRows(Func<IEnumerable<AuditEvidence>> records, Func<IEnumerable<AuditEvidence>> drills, Func<IEnumerable<AuditEvidence>> tampered, Func<IEnumerable<AuditEvidence>> failures)
    {
        Records = records;
        Drills = drills;
        Tampered = tampered;
        Failures = failures;
    }

    /// <summary>Every record, in the order read (the JSON and CSV forms list them all).</summary>
    public Func<IEnumerable<AuditEvidence>> Records { get; }

    public Func<IEnumerable<AuditEvidence>> Drills { get; }

    public Func<IEnumerable<AuditEvidence>> Tampered { get; }

    public Func<IEnumerable<AuditEvidence>> Failures { get; }
}

/// <summary>
/// What a report says, from its accumulated figures and its record lists, and the writing of it in each format
/// straight to a stream: the figures are computed once, the lists are written row by row.
/// </summary>
internal sealed class AuditReportContent
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The rows written between flushes of the JSON writer (it buffers until flushed).</summary>
    private const int JsonRowsPerFlush = 256;

    public AuditReportContent(AuditReportTotals totals, AuditReportRows rows, DateTime generatedAt, string bucket, DateTime? from, DateTime? to, ProtectedResourceInventory? inventory)
    {
        Totals = totals;
        Rows = rows;
        GeneratedAt = generatedAt;
        Bucket = bucket;
        From = from;
        To = to;
        Groups = totals.Groups();
        Trends = totals.Trends(from, to);
        Coverage = totals.Coverage(inventory);
    }

    public AuditReportTotals Totals { get; }

    public AuditReportRows Rows { get; }

    public DateTime GeneratedAt { get; }

    public string Bucket { get; }

    public DateTime? From { get; }

    public DateTime? To { get; }

    public IReadOnlyList<AuditReportGroup> Groups { get; }

    public IReadOnlyList<AuditTrendMonth> Trends { get; }

    public AuditCoverage? Coverage { get; }

    public double? SuccessRate => Totals.Validations == 0 ? null : (double)Totals.Passed / Totals.Validations;

    public bool ChainIntact => Totals.Records > 0 && Totals.Tampered == 0;

    public string PeriodText =>
        $"{(From is { } f ? f.ToString("u", CultureInfo.InvariantCulture) : Totals.FirstRecordedAt is { } first ? first.ToString("u", CultureInfo.InvariantCulture) : "the first record")} to {(To ?? GeneratedAt).ToString("u", CultureInfo.InvariantCulture)}";

    /// <summary>
    /// The controls the evidence speaks to, each Supported only by evidence in the period: no validations, a broken
    /// chain, or a failure nobody was alerted to never support a control.
    /// </summary>
    public IReadOnlyList<AuditControl> Controls()
    {
        AuditReportTotals t = Totals;
        bool any = t.Validations > 0;
        string alerting = t.Unalerted == 0 ? "every failure was alerted" : $"{t.Unalerted} failures were alerted to nobody (no SNS topic configured)";
        string none = "No restore validations in the period: nothing supports this control.";
        string coverage = Coverage is { } c ? $" ({c.Validated} of {c.Protected} protected resources of the organization validated)" : "";
        return new[]
        {
            new AuditControl("SOC 2", "A1.2", "Recovery infrastructure: backups and recovery are in place and monitored", any && t.Passed > 0 && t.Unalerted == 0,
                any ? $"{t.Validations} restore validations of {t.ValidatedResources} protected resources{coverage}; {alerting}." : none),
            new AuditControl("SOC 2", "A1.3", "Recovery plan testing", (any && t.Passed > 0) || t.DrillsPassed > 0,
                $"{t.Passed} of {t.Validations} restores completed and met their checks; {t.DrillsPassed} of {t.Drills} DR drills passed; RTO and RPO measured against targets."),
            new AuditControl("SOC 2", "CC7.5", "Recovery from incidents", any && t.Tampered == 0 && t.Unalerted == 0,
                any ? $"Failed validations are recorded with their failed checks; {alerting}; restored resources are deleted." : none),
            new AuditControl("ISO/IEC 27001:2022", "A.5.30", "ICT readiness for business continuity", any && SuccessRate >= 0.95 && t.DrillsPassed > 0,
                $"Success rate {AuditReport.Percent(SuccessRate)}; {(t.DrillsPassed > 0 ? $"{t.DrillsPassed} DR drills passed" : "no passed DR drill in the period (a failover exercise is what tests ICT continuity)")}; RTO/RPO per account and resource type below."),
            new AuditControl("ISO/IEC 27001:2022", "A.8.13", "Information backup", ChainIntact && any && t.Passed > 0,
                !any ? none : ChainIntact ? "Every evidence record verified: SHA-256, KMS signature, hash chain, signed digests, one version each, S3 Object Lock COMPLIANCE retention." : $"{t.Tampered} evidence records failed verification: the evidence was tampered with (see the tampering section)."),
        };
    }

    /// <summary>Html, Json or Csv, as UTF-8 without a byte order mark.</summary>
    public void Write(Stream stream, string format)
    {
        switch (format.ToUpperInvariant())
        {
            case "HTML":
                WriteText(stream, writer => AuditReportHtml.Write(this, writer));
                break;
            case "JSON":
                WriteJson(stream);
                break;
            case "CSV":
                WriteText(stream, WriteCsv);
                break;
            default:
                throw new ArgumentException($"Unknown report format '{format}': use Html, Json or Csv.", nameof(format));
        }
    }

    public string Render(string format)
    {
        using var stream = new MemoryStream();
        Write(stream, format);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteText(Stream stream, Action<TextWriter> write)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16, leaveOpen: true);
        write(writer);
    }

    private void WriteJson(Stream stream)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JsonOptions.Encoder ?? JavaScriptEncoder.Default });
        void Value(string name, object? value)
        {
            json.WritePropertyName(name);
            JsonSerializer.Serialize(json, value, JsonOptions);
        }

        void Array(string name, IEnumerable<object> items)
        {
            json.WriteStartArray(name);
            int written = 0;
            foreach (object item in items)
            {
                JsonSerializer.Serialize(json, item, JsonOptions);
                if (++written % JsonRowsPerFlush == 0)
                {
                    json.Flush();
                }
            }

            json.WriteEndArray();
        }

        json.WriteStartObject();
        Value("generatedAt", GeneratedAt);
        Value("bucket", Bucket);
        Value("period", new { From, To, Text = PeriodText });
        Value("validations", Totals.Validations);
        Value("passed", Totals.Passed);
        Value("successRate", SuccessRate);
        Value("chainIntact", ChainIntact);
        Value("tampered", Totals.Tampered);
        Array("tampering", Rows.Tampered().Select(t => new { t.Key, t.RecordType, t.RunId, t.Sequence, t.Versions, t.Failures }));
        Array("groups", Groups.Select(g => new { g.AccountId, g.ResourceType, g.Validations, g.Passed, g.SuccessRate, RtoMaxSeconds = g.RtoMax?.TotalSeconds, RtoTargetSeconds = g.RtoTarget?.TotalSeconds, g.RtoMet, RpoMaxSeconds = g.RpoMax?.TotalSeconds, RpoTargetSeconds = g.RpoTarget?.TotalSeconds, g.RpoMet }));
        Array("trends", Trends.Select(t => new { t.Month, t.Validations, t.Passed, t.SuccessRate, RtoMaxSeconds = t.RtoMax?.TotalSeconds, RtoMeanSeconds = t.RtoMean?.TotalSeconds, RtoTargetSeconds = t.RtoTarget?.TotalSeconds }));
        Value("coverage", Coverage is null ? null : new
        {
            Coverage.Protected,
            Coverage.Validated,
            Coverage.Rate,
            Accounts = Coverage.Accounts.Select(a => new { a.AccountId, a.Protected, Validated = a.Validated, a.FailedOnly, a.NotValidated, a.Rate }),
            Coverage.Unreadable,
        });
        Array("drills", Rows.Drills().Select(d => new { d.Key, d.AccountId, d.Region, d.ResourceArn, d.RecordedAt, d.Outcome, d.Verified, RtoSeconds = d.Rto?.TotalSeconds, RtoTargetSeconds = d.RtoTarget?.TotalSeconds, RpoSeconds = d.Rpo?.TotalSeconds, RpoTargetSeconds = d.RpoTarget?.TotalSeconds, d.Timeline }));
        Value("controls", Controls());
        Array("failures", Rows.Failures().Select(f => new { f.Key, f.Kind, f.AccountId, f.ResourceArn, f.Outcome, f.FailedChecks, f.AlertTopicArn, f.Verified, f.Failures }));
        Array("records", Rows.Records().Select(r => new { r.Key, r.RecordType, r.Kind, r.AccountId, r.Region, r.ResourceArn, r.ResourceType, r.RecordedAt, r.Outcome, RtoSeconds = r.Rto?.TotalSeconds, RpoSeconds = r.Rpo?.TotalSeconds, r.Verified, r.Reason, r.Sha256 }));
        json.WriteEndObject();
    }

    /// <summary>One row per record, RFC 4180 quoting.</summary>
    private void WriteCsv(TextWriter text)
    {
        text.WriteLine("RecordedAt,RecordType,Kind,AccountId,Region,ResourceType,ResourceArn,Outcome,RtoSeconds,RtoTargetSeconds,RpoSeconds,RpoTargetSeconds,FailedChecks,Verified,Failures,Key,Sha256");
        foreach (AuditEvidence r in Rows.Records())
        {
            text.WriteLine(string.Join(",", new[]
            {
                r.RecordedAt?.ToString("o", CultureInfo.InvariantCulture), r.RecordType, r.Kind, r.AccountId, r.Region, r.ResourceType, r.ResourceArn, r.Outcome,
                Seconds(r.Rto), Seconds(r.RtoTarget), Seconds(r.Rpo), Seconds(r.RpoTarget), string.Join("; ", r.FailedChecks),
                r.Verified ? "true" : "false", string.Join(" | ", r.Failures), r.Key, r.Sha256,
            }.Select(Csv)));
        }
    }

    private static string? Seconds(TimeSpan? value) => value?.TotalSeconds.ToString(CultureInfo.InvariantCulture);

    private static string Csv(string? value) =>
        value is null ? "" : value.IndexOfAny(new[] { ',', '"', '\n', '\r' }) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
}
