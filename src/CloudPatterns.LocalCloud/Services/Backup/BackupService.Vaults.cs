using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Backup;

// BackupService: vaults.
internal sealed partial class BackupService
{
    private JsonObject CreateBackupVault(Call call)
    {
        var name = call.Path("backupVaultName");
        if (!VaultNamePattern().IsMatch(name))
        {
            throw BackupErrors.InvalidParameterValue($"1 validation error detected: Value '{name}' at 'backupVaultName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9\\-\\_]{{2,50}}$");
        }

        var keyArn = call.Body.GetStringOrNull("EncryptionKeyArn");
        if (keyArn is not null)
        {
            // The caller's permissions on the vault's key, as the AWS Backup guide lists them (docs/localcloud-authorization.md, "Backup vault keys").
            foreach (var action in CloudPatterns.Authorization.ResourceTypeActions.VaultKeyActions)
            {
                call.Request.Demand("backup", action, keyArn);
            }
        }

        var vault = store.CreateVault(call.AccountId, call.Region, name, keyArn, call.Body.GetStringOrNull("CreatorRequestId"), call.Now);
        return new JsonObject
        {
            ["BackupVaultName"] = vault.Name,
            ["BackupVaultArn"] = vault.Arn,
            ["CreationDate"] = Epoch(vault.CreationDate),
        };
    }

    private JsonObject DescribeVault(BackupVault vault) => new()
    {
        ["BackupVaultName"] = vault.Name,
        ["BackupVaultArn"] = vault.Arn,
        ["VaultType"] = "BACKUP_VAULT",
        ["VaultState"] = "AVAILABLE",
        ["CreationDate"] = Epoch(vault.CreationDate),
        ["EncryptionKeyArn"] = vault.EncryptionKeyArn,
        ["CreatorRequestId"] = vault.CreatorRequestId,
        ["NumberOfRecoveryPoints"] = store.RecoveryPointsIn(vault).Count,
        ["Locked"] = vault.Lock is not null,
        ["MinRetentionDays"] = vault.Lock?.MinRetentionDays,
        ["MaxRetentionDays"] = vault.Lock?.MaxRetentionDays,
        ["LockDate"] = Epoch(vault.Lock?.LockDate),
    };

    private JsonObject GetBackupVaultAccessPolicy(Call call)
    {
        var vault = Vault(call);
        return new JsonObject
        {
            ["BackupVaultName"] = vault.Name,
            ["BackupVaultArn"] = vault.Arn,
            // (inferred) text for a vault without a policy.
            ["Policy"] = vault.AccessPolicyDocument ?? throw BackupErrors.ResourceNotFound($"Backup vault {vault.Name} has no access policy."),
        };
    }

    private JsonObject GetBackupVaultNotifications(Call call)
    {
        var vault = Vault(call);
        var notifications = vault.Notifications
            ?? throw BackupErrors.ResourceNotFound($"Backup vault {vault.Name} has no notification configuration."); // (inferred) text
        return new JsonObject
        {
            ["BackupVaultName"] = vault.Name,
            ["BackupVaultArn"] = vault.Arn,
            ["SNSTopicArn"] = notifications.TopicArn,
            ["BackupVaultEvents"] = Strings(notifications.Events),
        };
    }

    /// <summary>
    /// The caller's vault named in the path. Another account's vault (backupVaultAccountId) is refused like an
    /// unknown one: vault sharing for reads is not emulated.
    /// </summary>
    private BackupVault Vault(Call call) => call.Query("backupVaultAccountId") is { } owner && owner != call.AccountId
        ? throw BackupErrors.UnknownVault()
        : store.GetVault(call.AccountId, call.Region, call.Path("backupVaultName"));
}
