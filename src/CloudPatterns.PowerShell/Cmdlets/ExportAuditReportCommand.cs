using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Threading.Tasks;
using CloudPatterns.Core.DisasterRecovery;
using CloudPatterns.PowerShell.Infrastructure;

namespace CloudPatterns.PowerShell.Cmdlets;

/// <summary>Export-AuditReport: verified DR evidence as a report an auditor can read (HTML, JSON or CSV).</summary>
[Cmdlet(VerbsData.Export, "AuditReport", SupportsShouldProcess = true)]
[OutputType(typeof(AuditReportFile))]
public sealed class ExportAuditReportCommand : AuditEvidenceCmdlet
{
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    [Parameter]
    [ValidateSet("Html", "Json", "Csv")]
    public string Format { get; set; } = "Html";

    protected override void EndProcessing()
    {
        string path = GetUnresolvedProviderPathFromPSPath(Path);
        RunAws(async (queue, session, cancellation) =>
        {
            var bucket = await GetBucketTargetAsync(session, cancellation).ConfigureAwait(false);
            var records = new List<AuditEvidence>();
            await foreach (object evidence in ChosenEvidenceAsync(queue, bucket, cancellation).ConfigureAwait(false))
            {
                records.Add((AuditEvidence)evidence);
            }

            AuditReport report = AuditReport.Build(records, DateTime.UtcNow, BucketName);
            string content = report.Render(Format);
            queue.Post(() =>
            {
                if (ShouldProcess(path, $"Write a {Format} audit report of {records.Count} evidence records"))
                {
                    File.WriteAllText(path, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
                    WriteObject(new AuditReportFile(bucket.AccountId, bucket.Region, path, Format, report.Validations, report.SuccessRate, report.ChainIntact));
                }
            });
        }, Bucket ?? VaultAccountId);
        base.EndProcessing();
    }
}
