using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Aws.Backup;
using CloudPatterns.Aws.CloudFormation;

namespace CloudPatterns.Core.Organizations;

/// <summary>Cheap listings of one account and region, for tab completion: its stacks and its backup vaults.</summary>
public static class TargetDirectory
{
    /// <summary>The stacks of the account (the caller's when null) and region (the session's when null), with their status.</summary>
    public static async Task<IReadOnlyList<OrgEntry>> ListStacksAsync(AwsSession session, string? accountId, string? region, CancellationToken cancellationToken)
    {
        AwsTarget target = await session.GetTargetAsync(accountId ?? session.CallerAccountId, region, cancellationToken).ConfigureAwait(false);
        var stacks = new List<OrgEntry>();
        await foreach (Stack stack in target.CloudFormation.DescribeAllStacksAsync(cancellationToken).ConfigureAwait(false))
        {
            stacks.Add(new OrgEntry(stack.StackName ?? string.Empty, stack.StackStatus ?? string.Empty));
        }
        return stacks;
    }

    /// <summary>The backup vaults of the account and region, with how many recovery points each holds.</summary>
    public static async Task<IReadOnlyList<OrgEntry>> ListBackupVaultsAsync(AwsSession session, string? accountId, string? region, CancellationToken cancellationToken)
    {
        AwsTarget target = await session.GetTargetAsync(accountId ?? session.CallerAccountId, region, cancellationToken).ConfigureAwait(false);
        var vaults = new List<OrgEntry>();
        await foreach (BackupVaultListMember vault in target.Backup.ListAllBackupVaultsAsync(cancellationToken).ConfigureAwait(false))
        {
            vaults.Add(new OrgEntry(vault.BackupVaultName ?? string.Empty, $"{vault.NumberOfRecoveryPoints ?? 0} recovery points"));
        }
        return vaults;
    }
}
