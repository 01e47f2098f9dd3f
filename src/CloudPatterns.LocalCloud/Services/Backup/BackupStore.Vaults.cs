using System.Text.Json;
using CloudPatterns.LocalCloud.Identity;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Resources;

namespace CloudPatterns.LocalCloud.Services.Backup;

// BackupStore: vaults.
internal sealed partial class BackupStore
{
    public BackupVault CreateVault(string accountId, string region, string name, string? encryptionKeyArn, string? creatorRequestId, DateTimeOffset now)
    {
        var keyArn = encryptionKeyArn ?? kms.BackupManagedKey(accountId, region).Arn;
        if (encryptionKeyArn is not null)
        {
            try
            {
                kms.Find(accountId, region, encryptionKeyArn);
            }
            catch (AwsServiceException)
            {
                // (inferred) AWS refuses a key it cannot find; its exact text is unknown.
                throw BackupErrors.InvalidParameterValue($"Invalid EncryptionKeyArn: {encryptionKeyArn} is not an existing KMS key.");
            }
        }

        var vault = new BackupVault(accountId, region, name, keyArn, now, creatorRequestId);
        lock (gate)
        {
            if (vaultsByArn.TryGetValue(vault.Arn, out var existing))
            {
                throw BackupErrors.AlreadyExists("Backup vault with the same name already exists", existing.Arn, existing.CreatorRequestId);
            }

            vaultsByArn.Add(vault.Arn, vault);
        }

        return vault;
    }

    public BackupVault GetVault(string accountId, string region, string name)
    {
        lock (gate)
        {
            return vaultsByArn.GetValueOrDefault(BackupVault.ArnOf(region, accountId, name)) ?? throw BackupErrors.UnknownVault();
        }
    }

    public IReadOnlyList<BackupVault> ListVaults(string accountId, string region)
    {
        lock (gate)
        {
            return vaultsByArn.Values.Where(vault => vault.AccountId == accountId && vault.Region == region).OrderBy(vault => vault.Name, StringComparer.Ordinal).ToList();
        }
    }

    public void DeleteVault(BackupVault vault)
    {
        lock (gate)
        {
            if (RecoveryPointsIn(vault).Count > 0)
            {
                throw BackupErrors.InvalidRequest("Backup vault cannot be deleted because it contains recovery points.", "ERROR_9101");
            }

            vaultsByArn.Remove(vault.Arn);
        }
    }

    public void SetAccessPolicy(BackupVault vault, string? document)
    {
        PolicyDocument? policy = null;
        if (document is not null)
        {
            try
            {
                policy = PolicyDocument.Parse(document);
            }
            catch (Exception error) when (error is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
            {
                throw BackupErrors.InvalidParameterValue($"Invalid vault access policy: {error.Message}");
            }
        }

        lock (gate)
        {
            vault.AccessPolicyDocument = document;
            vault.AccessPolicy = policy;
        }
    }

    public void SetLock(BackupVault vault, long? minRetentionDays, long? maxRetentionDays, long? changeableForDays, DateTimeOffset now)
    {
        // Limits from the API reference; the texts are inferred (docs/aws-behaviour.md section 4).
        if (changeableForDays is < 3 or > 36500)
        {
            throw BackupErrors.InvalidParameterValue("ChangeableForDays must be between 3 and 36500 days.");
        }

        if (minRetentionDays is < 1 or > 36500 || maxRetentionDays is < 1 or > 36500 || minRetentionDays > maxRetentionDays)
        {
            throw BackupErrors.InvalidParameterValue("MinRetentionDays and MaxRetentionDays must be between 1 and 36500 days, and MinRetentionDays must not exceed MaxRetentionDays.");
        }

        lock (gate)
        {
            RefuseIfImmutable(vault, now);
            vault.Lock = new VaultLock(minRetentionDays, maxRetentionDays, changeableForDays is { } days ? now.AddDays(days) : null);
        }
    }

    public void DeleteLock(BackupVault vault, DateTimeOffset now)
    {
        lock (gate)
        {
            RefuseIfImmutable(vault, now);
            vault.Lock = null;
        }
    }

    private static void RefuseIfImmutable(BackupVault vault, DateTimeOffset now)
    {
        if (vault.Lock is { } existing && existing.IsImmutable(now))
        {
            throw BackupErrors.InvalidRequest($"Backup vault {vault.Name} is locked in compliance mode since {existing.LockDate:O}; its lock configuration can no longer be changed or deleted.");
        }
    }

    public void SetNotifications(BackupVault vault, VaultNotifications? notifications)
    {
        lock (gate)
        {
            vault.Notifications = notifications;
        }
    }
}
