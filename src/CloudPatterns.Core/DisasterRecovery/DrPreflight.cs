using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon.S3;
using Amazon.S3.Model;
using CloudPatterns.Aws;
using CloudPatterns.Aws.Backup;
using CloudPatterns.Aws.Restore;
using Account = CloudPatterns.Aws.Organizations.Account;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>
/// The checks the DR cmdlets make before their first change: first the input on its own (no AWS call), then what only
/// AWS can tell, with read-only calls — the regions are enabled for the account, the accounts are ACTIVE members of the
/// organization, the roles can be assumed, the vault and the evidence bucket exist and the bucket locks records in
/// COMPLIANCE mode. Each check lists every problem it finds, so one run shows them all.
/// </summary>
public static class DrPreflight
{
    /// <summary>What is wrong with an Invoke-DrValidation call on its own; empty when nothing is.</summary>
    public static IReadOnlyList<string> ValidationInputProblems(DrValidationOptions options, string? evidenceBucket, string? evidenceRegion, IEnumerable<string>? regions, string? resumeRunId = null)
    {
        var problems = new List<string>();
        foreach (var (parameter, value) in new[] { ("RtoTarget", options.RtoTarget), ("RpoTarget", options.RpoTarget), ("Window", options.Window), ("PollInterval", options.PollInterval), ("Timeout", options.Timeout) })
        {
            if (value <= TimeSpan.Zero)
            {
                problems.Add($"-{parameter} {value} is not longer than zero: give a positive duration such as 04:00:00.");
            }
        }

        if (evidenceBucket is not null && AwsIdentifiers.BucketNameProblem("EvidenceBucket", evidenceBucket) is { } bucket)
        {
            problems.Add(bucket);
        }

        if (resumeRunId is not null && !EvidenceStore.IsRunId(resumeRunId))
        {
            problems.Add($"-ResumeRunId '{resumeRunId}' is not a run id: give one Invoke-DrValidation printed, such as 20261205T040000123Z-1a2b3c.");
        }

        problems.AddRange(RegionCheck.Problems("Region", regions));
        problems.AddRange(RegionCheck.Problems("EvidenceRegion", evidenceRegion is null ? null : new[] { evidenceRegion }));
        return problems;
    }

    /// <summary>What AWS says is wrong with a validation run's targets and evidence bucket (read-only calls).</summary>
    public static async Task<IReadOnlyList<string>> ValidationAwsProblemsAsync(
        AwsSession session,
        IReadOnlyList<FanOutTarget> vaults,
        string vaultName,
        string? evidenceAccountId,
        string? evidenceRegion,
        string evidenceBucket,
        CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var regions = vaults.Select(vault => vault.Region).Append(evidenceRegion ?? session.Region);
        problems.AddRange(await DisabledRegionProblemsAsync(session, regions, cancellationToken).ConfigureAwait(false));
        if (problems.Count > 0)
        {
            return problems;
        }

        foreach (FanOutTarget vault in vaults)
        {
            if (await TargetAsync(session, vault.AccountId, vault.Region, problems, cancellationToken).ConfigureAwait(false) is { } target
                && await BackupVaultProblemAsync(target, vaultName, cancellationToken).ConfigureAwait(false) is { } missing)
            {
                problems.Add(missing);
            }
        }

        if (await TargetAsync(session, evidenceAccountId ?? session.CallerAccountId, evidenceRegion, problems, cancellationToken).ConfigureAwait(false) is { } evidence)
        {
            problems.AddRange(await EvidenceBucketProblemsAsync(evidence, evidenceBucket, cancellationToken).ConfigureAwait(false));
        }

        return problems;
    }

    /// <summary>What AWS says is wrong with Set-CrossAccountBackup's settings (read-only calls).</summary>
    /// <param name="workloadRoles">Whether the workload accounts' roles are checked too (not when a stack set deploys to them).</param>
    public static async Task<IReadOnlyList<string>> SetupAwsProblemsAsync(AwsSession session, CrossAccountBackupSettings settings, bool workloadRoles, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        problems.AddRange(await DisabledRegionProblemsAsync(session, new[] { settings.PrimaryRegion, settings.DrRegion }, cancellationToken).ConfigureAwait(false));
        if (problems.Count > 0)
        {
            return problems;
        }

        AwsTarget caller = await session.GetTargetAsync(session.CallerAccountId, settings.PrimaryRegion, cancellationToken).ConfigureAwait(false);
        var members = new Dictionary<string, Account>(StringComparer.Ordinal);
        await foreach (Account account in caller.Organizations.ListAllAccountsAsync(cancellationToken).ConfigureAwait(false))
        {
            members[account.Id ?? ""] = account;
        }

        var accounts = settings.AccountIds.Select(id => ("AccountId", id))
            .Append(("VaultAccountId", settings.VaultAccountId))
            .Concat(settings.DrAccountId is { } dr ? new[] { ("DrAccountId", dr) } : Array.Empty<(string, string)>())
            .Distinct()
            .ToList();
        foreach (var (parameter, accountId) in accounts)
        {
            if (!members.TryGetValue(accountId, out Account? member))
            {
                problems.Add($"-{parameter} {accountId} is not an account of the organization: give a member account (Get-OrgAccount lists them).");
            }
            else if (member.Status != "ACTIVE")
            {
                problems.Add($"-{parameter} {accountId} ({member.Name}) is {member.Status} in the organization, not ACTIVE: only active accounts can be set up.");
            }
            else if (workloadRoles || parameter != "AccountId")
            {
                await TargetAsync(session, accountId, settings.PrimaryRegion, problems, cancellationToken).ConfigureAwait(false);
            }
        }

        return problems;
    }

    /// <summary>Regions AWS knows but the caller's account cannot use (not enabled, or not served by the endpoint).</summary>
    private static async Task<IEnumerable<string>> DisabledRegionProblemsAsync(AwsSession session, IEnumerable<string> regions, CancellationToken cancellationToken)
    {
        AwsTarget caller = await session.GetTargetAsync(session.CallerAccountId, session.Region, cancellationToken).ConfigureAwait(false);
        DescribeRegionsResponse enabled = await caller.Ec2.DescribeRegionsAsync(new DescribeRegionsRequest(), cancellationToken).ConfigureAwait(false);
        var usable = new HashSet<string>(enabled.Regions.Where(region => region.OptInStatus != "not-opted-in").Select(region => region.RegionName ?? ""), StringComparer.Ordinal);
        return regions.Where(region => !string.IsNullOrEmpty(region)).Distinct(StringComparer.Ordinal).Where(region => !usable.Contains(region))
            .Select(region => $"Region {region} is not enabled for account {session.CallerAccountId} (EC2 DescribeRegions lists {string.Join(", ", usable.OrderBy(name => name, StringComparer.Ordinal))}): enable it or give one of those.")
            .ToList();
    }

    private static async Task<AwsTarget?> TargetAsync(AwsSession session, string accountId, string? region, List<string> problems, CancellationToken cancellationToken)
    {
        try
        {
            return await session.GetTargetAsync(accountId, region, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsRoleAssumptionException refused)
        {
            problems.Add(refused.Message);
            return null;
        }
    }

    /// <summary>
    /// AWS Backup answers AccessDeniedException, not ResourceNotFoundException, for a vault the account does not have
    /// (AWS-BEHAVIOUR.md section 4), so the vault's absence is named as such.
    /// </summary>
    internal static async Task<string?> BackupVaultProblemAsync(AwsTarget target, string vaultName, CancellationToken cancellationToken)
    {
        try
        {
            await target.Backup.DescribeBackupVaultAsync(new DescribeBackupVaultRequest { BackupVaultName = vaultName }, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Amazon.Runtime.AmazonServiceException error) when (error.ErrorCode is "AccessDeniedException" && error.Message.Contains("not authorized to perform"))
        {
            // A refusal of the caller's policies names the action: a missing permission, not a missing vault.
            return $"Backup vault {vaultName} in {target.AccountId} {target.Region} could not be read: {error.Message}. Give the role the action (Get-CloudPatternsPolicy -Job DrValidation lists what it needs).";
        }
        catch (Amazon.Runtime.AmazonServiceException error) when (error.ErrorCode is "AccessDeniedException" or "ResourceNotFoundException")
        {
            return $"Backup vault {vaultName} does not exist in {target.AccountId} {target.Region} (AWS Backup answered {error.ErrorCode}, which it also answers for a vault the account does not have): check -BackupVaultName and the account and region.";
        }
    }

    private static async Task<IEnumerable<string>> EvidenceBucketProblemsAsync(AwsTarget target, string bucket, CancellationToken cancellationToken)
    {
        try
        {
            GetObjectLockConfigurationResponse response = await target.S3.GetObjectLockConfigurationAsync(new GetObjectLockConfigurationRequest { BucketName = bucket }, cancellationToken).ConfigureAwait(false);
            ObjectLockRule? rule = response.ObjectLockConfiguration?.Rule;
            return rule?.DefaultRetention?.Mode == ObjectLockRetentionMode.Compliance
                ? Enumerable.Empty<string>()
                : new[] { $"Evidence bucket {bucket} in {target.AccountId} keeps no COMPLIANCE default retention (its Object Lock default is {rule?.DefaultRetention?.Mode?.Value ?? "none"}): deploy it with Set-CrossAccountBackup, which sets COMPLIANCE retention." };
        }
        catch (AmazonS3Exception error) when (error.ErrorCode == "NoSuchBucket")
        {
            return new[] { $"Evidence bucket {bucket} does not exist in {target.AccountId}: create it with Set-CrossAccountBackup -EvidenceBucketName {bucket}, or give the bucket it created." };
        }
        catch (AmazonS3Exception error) when (error.ErrorCode == "ObjectLockConfigurationNotFoundError")
        {
            return new[] { $"Evidence bucket {bucket} in {target.AccountId} has no Object Lock: evidence there could be changed or deleted. Use a bucket created with Object Lock (Set-CrossAccountBackup creates one)." };
        }
    }
}
