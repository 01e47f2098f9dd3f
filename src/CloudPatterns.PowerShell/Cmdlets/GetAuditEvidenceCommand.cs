using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Core.DisasterRecovery;
using CloudPatterns.PowerShell.Completion;
using CloudPatterns.PowerShell.Infrastructure;

namespace CloudPatterns.PowerShell.Cmdlets;

/// <summary>
/// Get-AuditEvidence: the DR evidence records of a bucket, each verified (its SHA-256, its link to the record before
/// it, the Object Lock retention S3 holds), filtered by period, protected account and resource.
/// </summary>
[Cmdlet(VerbsCommon.Get, "AuditEvidence")]
[OutputType(typeof(AuditEvidence))]
public sealed class GetAuditEvidenceCommand : AwsCmdlet
{
    private readonly HashSet<string> _accounts = new(StringComparer.Ordinal);
    private bool _allAccounts;

    [Parameter(Mandatory = true, Position = 0)]
    [ValidatePattern("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    public string Bucket { get; set; } = "";

    /// <summary>Only evidence about resources of these accounts; binds from Get-OrgAccount and our own output.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Id", "Account")]
    [ArgumentCompleter(typeof(AccountIdCompleter))]
    [ValidatePattern("^\\d{12}$")]
    public string[]? AccountId { get; set; }

    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? ResourceArn { get; set; }

    [Parameter]
    public DateTime? From { get; set; }

    [Parameter]
    public DateTime? To { get; set; }

    [Parameter]
    [ValidatePattern("^\\d{12}$")]
    public string? EvidenceAccountId { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(RegionCompleter))]
    [ValidatePattern(RegionPattern)]
    public string? EvidenceRegion { get; set; }

    protected override string? ConnectionRegion => EvidenceRegion;

    protected override void ProcessRecord()
    {
        if (AccountId is null)
        {
            _allAccounts = true;
        }
        else
        {
            _accounts.UnionWith(AccountId);
        }
    }

    protected override void EndProcessing()
    {
        var patterns = ResourceArn?.Select(p => new WildcardPattern(p, WildcardOptions.IgnoreCase)).ToArray();
        DateTime? from = From?.ToUniversalTime();
        DateTime? to = To?.ToUniversalTime();
        RunAws(async (queue, cancellation) =>
        {
            var session = await GetSessionAsync(queue, cancellation).ConfigureAwait(false);
            AwsTarget bucketTarget = await session.GetTargetAsync(EvidenceAccountId ?? session.CallerAccountId, EvidenceRegion, cancellation).ConfigureAwait(false);
            // The whole chain is verified; the filters only choose what is written.
            await foreach (AuditEvidence evidence in EvidenceVerifier.VerifyAsync(bucketTarget.S3, Bucket, bucketTarget.AccountId, bucketTarget.Region, cancellation).ConfigureAwait(false))
            {
                if ((_allAccounts || (evidence.AccountId is { } account && _accounts.Contains(account)))
                    && (patterns is null || (evidence.ResourceArn is { } arn && patterns.Any(p => p.IsMatch(arn))))
                    && (from is null || evidence.RecordedAt >= from)
                    && (to is null || evidence.RecordedAt <= to))
                {
                    queue.Post(() => WriteObject(evidence));
                }
            }
        }, Bucket);
        base.EndProcessing();
    }
}
