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

    /// <summary>The evidence bucket; default: the one Set-CrossAccountBackup recorded in -VaultAccountId.</summary>
    [Parameter(Position = 0)]
    [Alias("EvidenceBucketName")]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.BucketName))]
    public string? Bucket { get; set; }

    /// <summary>The vault account whose DR configuration (Get-DrConfiguration) names the bucket and where it lives.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(AccountIdCompleter))]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.AccountId))]
    public string? VaultAccountId { get; set; }

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
            ThrowTerminating(new ArgumentException($"-From {from:u} is after -To {to:u}: the period is empty. Give -From before -To."), ErrorReason.InvalidPeriod, ErrorCategory.InvalidArgument, From);
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
    protected async Task<AwsTarget> GetBucketTargetAsync(AwsSession session, CancellationToken cancellation)
    {
        if (Bucket is null)
        {
            _configuration = await DrConfiguration.RequireAsync(session, VaultAccountId!, EvidenceRegion ?? session.Region, cancellation).ConfigureAwait(false);
        }

        return await session.GetTargetAsync(EvidenceAccountId ?? _configuration?.EvidenceAccountId ?? session.CallerAccountId, EvidenceRegion ?? _configuration?.EvidenceRegion, cancellation).ConfigureAwait(false);
    }

    /// <summary>The bucket given, or the configuration's once <see cref="GetBucketTargetAsync"/> has read it.</summary>
    protected string BucketName => Bucket ?? _configuration?.EvidenceBucketName ?? string.Empty;

    protected override void BeginProcessing()
    {
        if (Bucket is null && VaultAccountId is null)
        {
            ThrowInvalidInvocation("Give -VaultAccountId (the DR configuration Set-CrossAccountBackup recorded there names the evidence bucket), or -Bucket.", null);
        }

        base.BeginProcessing();
    }

    private DrConfiguration? _configuration;

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
        EvidenceSigningKey key = await EvidenceSigningKey.LoadAsync(bucket.Kms, SigningKeyId ?? EvidenceSigningKey.DefaultAlias(BucketName), cancellation).ConfigureAwait(false);
        int chosen = 0;
        await foreach (AuditEvidence evidence in EvidenceVerifier.VerifyAsync(bucket.S3, BucketName, key, bucket.AccountId, bucket.Region, cancellation).ConfigureAwait(false))
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
            queue.Post(() => WriteWarning($"No evidence in s3://{BucketName} {period}{(_allAccounts && _allRegions && patterns is null ? "" : " for the accounts, regions and resources given")}."));
        }
    }
}
