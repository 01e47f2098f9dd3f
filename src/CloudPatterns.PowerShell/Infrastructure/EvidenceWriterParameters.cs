using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Core;
using CloudPatterns.Core.DisasterRecovery;

namespace CloudPatterns.PowerShell.Infrastructure;

/// <summary>
/// Where a cmdlet that writes DR evidence (Invoke-DrValidation, Invoke-DrFailover -Drill) writes it: the bucket, the
/// account and region it lives in, the signing key and the retention. A parameter object the cmdlets return from
/// GetDynamicParameters, as <see cref="MultiAzParameters"/>, so they share it without a base class of their own. Every
/// value not given comes from the DR configuration (Get-DrConfiguration).
/// </summary>
public sealed class EvidenceWriterParameters
{
    // The name is checked with the cmdlet's other inputs (AwsIdentifiers.BucketNameProblem), so one error lists every problem.
    [Parameter]
    [Alias("EvidenceBucketName")]
    public string? EvidenceBucket { get; set; }

    [Parameter]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.AccountId))]
    public string? EvidenceAccountId { get; set; }

    [Parameter]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.Region))]
    public string? EvidenceRegion { get; set; }

    /// <summary>The KMS key that signs the evidence (id, ARN or alias); default: the evidence template's alias for the bucket.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? EvidenceSigningKeyId { get; set; }

    [Parameter]
    [ValidateRange(1, 36500)]
    public int EvidenceRetentionDays { get; set; } = EvidenceStore.DefaultRetentionDays;

    /// <summary>The bucket given, else the one the DR configuration names.</summary>
    public string Bucket(DrConfiguration? configuration) =>
        EvidenceBucket ?? configuration?.EvidenceBucketName ?? throw new PreflightException(new[] { "No evidence bucket: give -EvidenceBucket, or -VaultAccountId whose DR configuration names one." });

    /// <summary>Opens the evidence store these parameters name (a run of its own, or <paramref name="resumeRunId"/>'s).</summary>
    public Task<EvidenceStore> OpenAsync(AwsSession session, DrConfiguration? configuration, string? resumeRunId, CancellationToken cancellation) =>
        EvidenceStore.OpenAsync(session, EvidenceAccountId ?? configuration?.EvidenceAccountId ?? session.CallerAccountId, EvidenceRegion ?? configuration?.EvidenceRegion,
            Bucket(configuration), EvidenceSigningKeyId, EvidenceRetentionDays, resumeRunId, cancellation);
}
