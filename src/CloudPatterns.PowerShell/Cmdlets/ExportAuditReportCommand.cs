using System;
using System.Linq;
using System.Management.Automation;
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
            using var spool = new AuditReportSpool(Format);
            await foreach (object evidence in ChosenEvidenceAsync(queue, bucket, cancellation).ConfigureAwait(false))
            {
                spool.Add((AuditEvidence)evidence);
            }

            ProtectedResourceInventory? inventory = CoverageRegion is { Length: > 0 } regions
                ? await ProtectedResourceInventory.ReadAsync(session, CoverageAccountId ?? (await OrgDirectory.ListAccountsAsync(session, cancellation).ConfigureAwait(false)).Select(a => a.Id), regions, FanOutOptions.DefaultThrottleLimit, cancellation).ConfigureAwait(false)
                : null;
            DateTime generatedAt = DateTime.UtcNow;
            if (await queue.AskAsync(() => ShouldProcess(path, $"Write a {Format} audit report of {spool.Records} evidence records"), cancellation).ConfigureAwait(false))
            {
                spool.WriteTo(path, generatedAt, BucketName, From, To, inventory);
                var written = new AuditReportFile(bucket.AccountId, bucket.Region, path, Format, spool.Validations, spool.SuccessRate, spool.ChainIntact);
                queue.Post(() => WriteObject(written));
            }
        }, Bucket ?? VaultAccountId);
        base.EndProcessing();
    }
}
