using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>
/// An audit report built as its records stream: each record adds to the figures (<see cref="AuditReportTotals"/>) and,
/// when a section lists it, is appended to that section's spool file in a private temporary folder. Writing the report
/// reads each spool back row by row, so memory does not grow with the record count; the content is exactly
/// <see cref="AuditReport"/>'s (docs/evidence.md, "The report"). Dispose deletes the spool files.
/// </summary>
public sealed class AuditReportSpool : IDisposable
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly AuditReportTotals totals = new();
    private readonly string folder;
    private readonly string format;
    private readonly Section records;
    private readonly Section drills;
    private readonly Section tampered;
    private readonly Section failures;

    public AuditReportSpool(string format)
    {
        this.format = format.ToUpperInvariant() is "HTML" or "JSON" or "CSV" ? format : throw new ArgumentException($"Unknown report format '{format}': use Html, Json or Csv.", nameof(format));
        folder = Path.Combine(Path.GetTempPath(), "cloudpatterns-report-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        records = new Section(Path.Combine(folder, "records.jsonl"));
        drills = new Section(Path.Combine(folder, "drills.jsonl"));
        tampered = new Section(Path.Combine(folder, "tampered.jsonl"));
        failures = new Section(Path.Combine(folder, "failures.jsonl"));
    }

    /// <summary>The private temporary folder of the spool files.</summary>
    internal string Folder => folder;

    /// <summary>Records added so far.</summary>
    public int Records => totals.Records;

    public int Validations => totals.Validations;

    public double? SuccessRate => totals.Validations == 0 ? null : (double)totals.Passed / totals.Validations;

    public bool ChainIntact => totals.Records > 0 && totals.Tampered == 0;

    public void Add(AuditEvidence record)
    {
        totals.Add(record);
        if (format.ToUpperInvariant() is "JSON" or "CSV")
        {
            records.Append(record);
        }

        if (record.Kind == EvidenceKind.Drill)
        {
            drills.Append(record);
        }

        if (!record.Verified)
        {
            tampered.Append(record);
        }

        if (AuditReport.IsFailure(record))
        {
            failures.Append(record);
        }
    }

    /// <summary>Writes the report of every record added to <paramref name="path"/> (UTF-8, no byte order mark).</summary>
    public void WriteTo(string path, DateTime generatedAt, string bucket, DateTime? from, DateTime? to, ProtectedResourceInventory? inventory)
    {
        var rows = new AuditReportRows(records.Read, drills.Read, tampered.Read, failures.Read);
        var content = new AuditReportContent(totals, rows, generatedAt, bucket, from?.ToUniversalTime(), to?.ToUniversalTime(), inventory);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        content.Write(file, format);
    }

    public void Dispose()
    {
        foreach (Section section in new[] { records, drills, tampered, failures })
        {
            section.Dispose();
        }

        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A spool still open elsewhere (antivirus, an indexer): the temporary folder is left for the system to clean.
        }
    }

    /// <summary>One list of the report: records appended as JSON lines, read back in the same order.</summary>
    private sealed class Section : IDisposable
    {
        private readonly string path;
        private StreamWriter? writer;
        private bool any;

        public Section(string path) => this.path = path;

        public void Append(AuditEvidence record)
        {
            writer ??= new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.None, 1 << 16), Utf8);
            writer.WriteLine(JsonSerializer.Serialize(record));
            any = true;
        }

        /// <summary>Closes the file for writing and reads it back, one record at a time.</summary>
        public IEnumerable<AuditEvidence> Read()
        {
            Dispose();
            return any ? File.ReadLines(path, Utf8).Select(line => JsonSerializer.Deserialize<AuditEvidence>(line)!) : Enumerable.Empty<AuditEvidence>();
        }

        public void Dispose()
        {
            writer?.Dispose();
            writer = null;
        }
    }
}
