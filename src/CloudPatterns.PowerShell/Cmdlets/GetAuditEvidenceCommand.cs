using System.Management.Automation;
using System.Threading.Tasks;
using CloudPatterns.Core.DisasterRecovery;
using CloudPatterns.PowerShell.Infrastructure;

namespace CloudPatterns.PowerShell.Cmdlets;

/// <summary>
/// Get-AuditEvidence: the DR evidence records of a bucket, each verified (its SHA-256, its link to the record before
/// it, the Object Lock retention S3 holds), filtered by period, protected account and resource.
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
            await foreach (object evidence in ChosenEvidenceAsync(bucket, cancellation).ConfigureAwait(false))
            {
                queue.Output(evidence);
            }
        }, Bucket);
        base.EndProcessing();
    }
}
