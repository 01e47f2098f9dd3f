using System.Management.Automation;
using System.Threading.Tasks;
using CloudPatterns.Core.DisasterRecovery;
using CloudPatterns.PowerShell.Infrastructure;

namespace CloudPatterns.PowerShell.Cmdlets;

/// <summary>
/// Get-AuditEvidence: the DR evidence records of a bucket, each verified (its SHA-256 and KMS signature, its link to
/// the record before it, its signed digest, one version only, the Object Lock retention S3 holds), with the records
/// proven removed, filtered by period, protected account and resource.
/// </summary>
[Cmdlet(VerbsCommon.Get, "AuditEvidence")]
[OutputType(typeof(AuditEvidence))]
public sealed class GetAuditEvidenceCommand : AuditEvidenceCmdlet
{
    protected override void EndProcessing()
    {
        RunAws(async (queue, session, cancellation) =>
        {
            var bucket = await GetBucketTargetAsync(session, cancellation).ConfigureAwait(false);
            await foreach (object evidence in ChosenEvidenceAsync(queue, bucket, cancellation).ConfigureAwait(false))
            {
                queue.Output(evidence);
            }
        }, Bucket ?? VaultAccountId);
        base.EndProcessing();
    }
}
