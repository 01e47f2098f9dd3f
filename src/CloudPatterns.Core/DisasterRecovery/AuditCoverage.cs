using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Aws.Backup;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>A resource AWS Backup protects (ListProtectedResources), where it was read.</summary>
public sealed class ProtectedResourceEntry
{
    public ProtectedResourceEntry(string accountId, string region, string resourceArn, string? resourceType, DateTime? lastBackupTime)
    {
        AccountId = accountId;
        Region = region;
        ResourceArn = resourceArn;
        ResourceType = resourceType;
        LastBackupTime = lastBackupTime;
    }

    /// <summary>The resource's own account (from its ARN; the account read when the ARN names none, as S3's do).</summary>
    public string AccountId { get; }

    public string Region { get; }

    public string ResourceArn { get; }

    public string? ResourceType { get; }

    public DateTime? LastBackupTime { get; }
}

/// <summary>An account and region whose protected resources could not be read, and why.</summary>
public sealed class UnreadableCoverageTarget
{
    public UnreadableCoverageTarget(string accountId, string region, string reason)
    {
        AccountId = accountId;
        Region = region;
        Reason = reason;
    }

    public string AccountId { get; }

    public string Region { get; }

    public string Reason { get; }
}

/// <summary>The protected resources of the organization as the module's role can read them, per account and region.</summary>
public sealed class ProtectedResourceInventory
{
    public ProtectedResourceInventory(IReadOnlyList<ProtectedResourceEntry> resources, IReadOnlyList<UnreadableCoverageTarget> unreadable)
    {
        Resources = resources;
        Unreadable = unreadable;
    }

    public IReadOnlyList<ProtectedResourceEntry> Resources { get; }

    public IReadOnlyList<UnreadableCoverageTarget> Unreadable { get; }

    /// <summary>
    /// ListProtectedResources in every account and region given, as the session's role (at most
    /// <paramref name="throttleLimit"/> at once). A target AWS refuses is kept as unreadable, with the reason, and the
    /// others go on: a coverage figure that silently skipped accounts would overstate it.
    /// </summary>
    public static async Task<ProtectedResourceInventory> ReadAsync(AwsSession session, IEnumerable<string> accountIds, IEnumerable<string> regions, int throttleLimit, CancellationToken cancellationToken)
    {
        var targets = accountIds.Distinct(StringComparer.Ordinal).SelectMany(account => regions.Distinct(StringComparer.Ordinal).Select(region => (account, region))).ToList();
        using var gate = new SemaphoreSlim(Math.Max(1, throttleLimit));
        var reads = targets.Select(async target =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                AwsTarget aws = await session.GetTargetAsync(target.account, target.region, cancellationToken).ConfigureAwait(false);
                var found = new List<ProtectedResourceEntry>();
                await foreach (ProtectedResource resource in aws.Backup.ListAllProtectedResourcesAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (resource.ResourceArn is { Length: > 0 } arn)
                    {
                        AwsArn? parsed = AwsArn.TryParse(arn);
                        found.Add(new ProtectedResourceEntry(
                            parsed?.AccountId is { Length: > 0 } owner ? owner : target.account, parsed?.Region is { Length: > 0 } at ? at : target.region, arn, resource.ResourceType, resource.LastBackupTime?.ToUniversalTime()));
                    }
                }

                return (Found: found, Unreadable: (UnreadableCoverageTarget?)null);
            }
            catch (Exception error) when (AwsFailure.Describe(error) is { } failure)
            {
                return (Found: new List<ProtectedResourceEntry>(), Unreadable: new UnreadableCoverageTarget(target.account, target.region, failure.Summary));
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        var results = await Task.WhenAll(reads).ConfigureAwait(false);
        List<ProtectedResourceEntry> resources = results.SelectMany(r => r.Found)
            .GroupBy(r => r.ResourceArn, StringComparer.Ordinal).Select(g => g.OrderByDescending(r => r.LastBackupTime).First())
            .OrderBy(r => r.AccountId, StringComparer.Ordinal).ThenBy(r => r.ResourceArn, StringComparer.Ordinal).ToList();
        List<UnreadableCoverageTarget> unreadable = results.Select(r => r.Unreadable).OfType<UnreadableCoverageTarget>()
            .OrderBy(u => u.AccountId, StringComparer.Ordinal).ThenBy(u => u.Region, StringComparer.Ordinal).ToList();
        return new ProtectedResourceInventory(resources, unreadable);
    }
}

/// <summary>One account's protected resources against those validated in the report's period.</summary>
public sealed class AuditCoverageAccount
{
    internal AuditCoverageAccount(string accountId, IReadOnlyList<ProtectedResourceEntry> protectedResources, ISet<string> passed, ISet<string> failed)
    {
        AccountId = accountId;
        Protected = protectedResources.Count;
        Validated = protectedResources.Where(r => passed.Contains(r.ResourceArn)).Select(r => r.ResourceArn).ToList();
        FailedOnly = protectedResources.Where(r => !passed.Contains(r.ResourceArn) && failed.Contains(r.ResourceArn)).Select(r => r.ResourceArn).ToList();
        NotValidated = protectedResources.Where(r => !passed.Contains(r.ResourceArn) && !failed.Contains(r.ResourceArn)).Select(r => r.ResourceArn).ToList();
    }

    public string AccountId { get; }

    public int Protected { get; }

    /// <summary>Protected resources with a verified, passed validation in the period.</summary>
    public IReadOnlyList<string> Validated { get; }

    /// <summary>Protected resources whose every validation in the period failed.</summary>
    public IReadOnlyList<string> FailedOnly { get; }

    /// <summary>Protected resources no validation in the period touched.</summary>
    public IReadOnlyList<string> NotValidated { get; }

    /// <summary>Share of protected resources validated, 0 to 1; null without protected resources.</summary>
    public double? Rate => Protected == 0 ? null : (double)Validated.Count / Protected;
}

/// <summary>Coverage of the organization: per account, protected (AWS Backup) against validated (evidence in the period).</summary>
public sealed class AuditCoverage
{
    /// <summary>From the resources with a verified, passed validation and those any validation touched (a report's running sets).</summary>
    internal AuditCoverage(ProtectedResourceInventory inventory, ISet<string> passed, ISet<string> failed)
    {
        Accounts = inventory.Resources.GroupBy(r => r.AccountId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new AuditCoverageAccount(g.Key, g.ToList(), passed, failed)).ToList();
        Unreadable = inventory.Unreadable;
    }

    public IReadOnlyList<AuditCoverageAccount> Accounts { get; }

    public IReadOnlyList<UnreadableCoverageTarget> Unreadable { get; }

    public int Protected => Accounts.Sum(a => a.Protected);

    public int Validated => Accounts.Sum(a => a.Validated.Count);

    /// <summary>Share of the organization's protected resources validated in the period; null when none are protected.</summary>
    public double? Rate => Protected == 0 ? null : (double)Validated / Protected;
}
