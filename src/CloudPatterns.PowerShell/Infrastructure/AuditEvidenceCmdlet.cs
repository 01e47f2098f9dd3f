using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Core.DisasterRecovery;
using CloudPatterns.PowerShell.Completion;

namespace CloudPatterns.PowerShell.Infrastructure;

/// <summary>
/// Base of the cmdlets that read DR evidence: the bucket, where it lives, and which records to choose (by protected
/// account and region from the pipeline, resource, period). The whole chain is always verified; the filters only choose.
/// </summary>
public abstract class AuditEvidenceCmdlet : AwsCmdlet
{
    private readonly HashSet<string> _accounts = new(StringComparer.Ordinal);
    private readonly HashSet<string> _regions = new(StringComparer.Ordinal);
    private bool _allAccounts;
    private bool _allRegions;

    [Parameter(Mandatory = true, Position = 0)]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.BucketName))]
    public string Bucket { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Id", "Account")]
    [ArgumentCompleter(typeof(AccountIdCompleter))]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.AccountId))]
    public string[]? AccountId { get; set; }

    /// <summary>Only evidence about resources in these regions (the protected resources' regions, as AccountId).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(RegionCompleter))]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.Region))]
    public string[]? Region { get; set; }

    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? ResourceArn { get; set; }

    [Parameter]
    public DateTime? From { get; set; }

    [Parameter]
    public DateTime? To { get; set; }

    [Parameter]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.AccountId))]
    public string? EvidenceAccountId { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(RegionCompleter))]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.Region))]
    public string? EvidenceRegion { get; set; }

    /// <summary>The KMS key whose signatures are trusted (id, ARN or alias); default: the evidence template's alias for the bucket.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SigningKeyId { get; set; }

    protected override string? ConnectionRegion => EvidenceRegion;

    protected override void ProcessRecord()
    {
        if (From is { } from && To is { } to && from.ToUniversalTime() > to.ToUniversalTime())
        {
            ThrowTerminating(new ArgumentException($"-From {from:u} is after -To {to:u}: the period is empty. Give -From before -To."), "InvalidPeriod", ErrorCategory.InvalidArgument, From);
        }

        if (AccountId is null)
        {
            _allAccounts = true;
        }
        else
        {
            _accounts.UnionWith(AccountId);
        }

        if (Region is null)
        {
            _allRegions = true;
        }
        else
        {
            _regions.UnionWith(Region);
        }
    }

    /// <summary>The bucket's account and region, as the clients reach it.</summary>
    protected Task<AwsTarget> GetBucketTargetAsync(AwsSession session, CancellationToken cancellation) =>
        session.GetTargetAsync(EvidenceAccountId ?? session.CallerAccountId, EvidenceRegion, cancellation);

    /// <summary>
    /// Every verified record the filters choose, in chain order (typed as object: see FanOutCmdlet). A removed record
    /// (RecordType Missing) says nothing of its account or resource, so only the period filters it. A warning names
    /// the period and bucket when nothing is chosen.
    /// </summary>
    protected async IAsyncEnumerable<object> ChosenEvidenceAsync(PipelineQueue queue, AwsTarget bucket, [EnumeratorCancellation] CancellationToken cancellation)
    {
        var patterns = ResourceArn?.Select(p => new WildcardPattern(p, WildcardOptions.IgnoreCase)).ToArray();
        DateTime? from = From?.ToUniversalTime();
        DateTime? to = To?.ToUniversalTime();
        EvidenceSigningKey key = await EvidenceSigningKey.LoadAsync(bucket.Kms, SigningKeyId ?? EvidenceSigningKey.DefaultAlias(Bucket), cancellation).ConfigureAwait(false);
        int chosen = 0;
        foreach (AuditEvidence evidence in await EvidenceVerifier.VerifyAsync(bucket.S3, Bucket, key, bucket.AccountId, bucket.Region, cancellation).ConfigureAwait(false))
        {
            bool missing = evidence.RecordType == EvidenceRecordType.Missing;
            if ((missing || _allAccounts || (evidence.AccountId is { } account && _accounts.Contains(account)))
                && (missing || _allRegions || (evidence.Region is { } region && _regions.Contains(region)))
                && (missing || patterns is null || (evidence.ResourceArn is { } arn && patterns.Any(p => p.IsMatch(arn))))
                && (from is null || evidence.RecordedAt is null || evidence.RecordedAt >= from)
                && (to is null || evidence.RecordedAt is null || evidence.RecordedAt <= to))
            {
                chosen++;
                yield return evidence;
            }
        }

        if (chosen == 0)
        {
            string period = $"from {(From is { } f ? f.ToUniversalTime().ToString("u", CultureInfo.InvariantCulture) : "the first record")} to {(To is { } t ? t.ToUniversalTime().ToString("u", CultureInfo.InvariantCulture) : "now")}";
            queue.Post(() => WriteWarning($"No evidence in s3://{Bucket} {period}{(_allAccounts && _allRegions && patterns is null ? "" : " for the accounts, regions and resources given")}."));
        }
    }
}
