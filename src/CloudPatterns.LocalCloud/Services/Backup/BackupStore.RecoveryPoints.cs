using CloudPatterns.LocalCloud.Services.Resources;

namespace CloudPatterns.LocalCloud.Services.Backup;

// BackupStore: recovery points.
internal sealed partial class BackupStore
{
    public RecoveryPoint GetRecoveryPoint(BackupVault vault, string recoveryPointArn)
    {
        lock (gate)
        {
            return recoveryPointsByArn.GetValueOrDefault(recoveryPointArn) is { } point && point.Vault == vault
                ? point
                : throw BackupErrors.ResourceNotFound($"Recovery point {recoveryPointArn} does not exist in backup vault {vault.Name}.");
        }
    }

    /// <summary>A recovery point of the caller's account and region by ARN alone (StartCopyJob, StartRestoreJob).</summary>
    public RecoveryPoint GetRecoveryPoint(string accountId, string region, string recoveryPointArn)
    {
        lock (gate)
        {
            return recoveryPointsByArn.GetValueOrDefault(recoveryPointArn) is { } point && point.Vault.AccountId == accountId && point.Vault.Region == region
                ? point
                : throw BackupErrors.ResourceNotFound($"Recovery point {recoveryPointArn} does not exist.");
        }
    }

    public IReadOnlyList<RecoveryPoint> RecoveryPointsIn(BackupVault vault)
    {
        lock (gate)
        {
            return recoveryPointsByArn.Values.Where(point => point.Vault == vault).OrderByDescending(point => point.CreationDate).ToList();
        }
    }

    /// <summary>Recovery points of the account and region, newest first (ListRecoveryPointsByResource, ListProtectedResources).</summary>
    public IReadOnlyList<RecoveryPoint> RecoveryPointsOf(string accountId, string region)
    {
        lock (gate)
        {
            return recoveryPointsByArn.Values.Where(point => point.Vault.AccountId == accountId && point.Vault.Region == region).OrderByDescending(point => point.CreationDate).ToList();
        }
    }

    public void DeleteRecoveryPoint(RecoveryPoint point)
    {
        lock (gate)
        {
            if (point.Vault.Lock is not null)
            {
                // (inferred) text: AWS refuses deletions in a locked vault with InvalidRequestException.
                throw BackupErrors.InvalidRequest($"Recovery point {point.Arn} cannot be deleted because backup vault {point.Vault.Name} is protected by Vault Lock.");
            }

            recoveryPointsByArn.Remove(point.Arn);
        }
    }

    public void UpdateLifecycle(RecoveryPoint point, Lifecycle lifecycle)
    {
        lock (gate)
        {
            if (point.Vault.Lock is { } vaultLock && (!vaultLock.Admits(lifecycle) || lifecycle.DeleteAfterDays < point.Lifecycle.DeleteAfterDays))
            {
                // (inferred) text: a lock forbids shortening retention or leaving its range.
                throw BackupErrors.InvalidRequest($"The lifecycle of recovery point {point.Arn} cannot be shortened or set outside the Vault Lock retention of backup vault {point.Vault.Name}.");
            }

            point.Lifecycle = lifecycle;
        }
    }
}
