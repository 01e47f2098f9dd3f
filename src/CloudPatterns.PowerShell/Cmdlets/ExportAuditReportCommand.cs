using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Core.DisasterRecovery;
using CloudPatterns.Core.Organizations;
using CloudPatterns.PowerShell.Completion;
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

    /// <summary>Regions whose AWS Backup protected resources the coverage section counts (none: no coverage section).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(RegionCompleter))]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.Region))]
    public string[]? CoverageRegion { get; set; }

    /// <summary>The accounts the coverage reads (default: every account of the organization).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(AccountIdCompleter))]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.AccountId))]
    public string[]? CoverageAccountId { get; set; }

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

            ProtectedResourceInventory? inventory = CoverageRegion is { Length: > 0 } regions
                ? await ProtectedResourceInventory.ReadAsync(session, CoverageAccountId ?? (await OrgDirectory.ListAccountsAsync(session, cancellation).ConfigureAwait(false)).Select(a => a.Id), regions, FanOutOptions.DefaultThrottleLimit, cancellation).ConfigureAwait(false)
                : null;
            AuditReport report = AuditReport.Build(records, DateTime.UtcNow, BucketName, From, To, inventory);
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
