using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Backup;

// BackupService: recovery points.
internal sealed partial class BackupService
{
    private JsonObject ListRecoveryPointsByBackupVault(Call call)
    {
        var points = store.RecoveryPointsIn(Vault(call))
            .Where(point => call.Query("resourceArn") is not { } arn || point.Source.Arn == arn)
            .Where(point => call.Query("resourceType") is not { } type || point.Source.Kind.BackupResourceType == type)
            .Where(point => call.Query("backupPlanId") is not { } planId || point.CreatedBy?.PlanId == planId)
            .ToList();
        return Page(call, "RecoveryPoints", points, RecoveryPointJson);
    }

    private JsonObject UpdateRecoveryPointLifecycle(Call call)
    {
        var point = RecoveryPoint(call);
        store.UpdateLifecycle(point, Lifecycle.From(call.Body.GetObjectOrNull("Lifecycle")));
        return new JsonObject
        {
            ["BackupVaultArn"] = point.Vault.Arn,
            ["RecoveryPointArn"] = point.Arn,
            ["Lifecycle"] = point.Lifecycle.ToJson(),
            ["CalculatedLifecycle"] = point.Lifecycle.Calculated(point.CreationDate),
        };
    }

    private JsonObject GetRecoveryPointRestoreMetadata(Call call)
    {
        var point = RecoveryPoint(call);
        var metadata = new JsonObject(store.RestoreMetadataOf(point).Select(attribute => KeyValuePair.Create(attribute.Key, (JsonNode?)attribute.Value)));

        return new JsonObject
        {
            ["BackupVaultArn"] = point.Vault.Arn,
            ["RecoveryPointArn"] = point.Arn,
            ["RestoreMetadata"] = metadata,
            ["ResourceType"] = point.Source.Kind.BackupResourceType,
        };
    }

    private JsonObject ListProtectedResources(Call call)
    {
        var latestPerResource = store.RecoveryPointsOf(call.AccountId, call.Region)
            .GroupBy(point => point.Source.Arn, StringComparer.Ordinal)
            .Select(group => group.First())
            .OrderBy(point => point.Source.Arn, StringComparer.Ordinal)
            .ToList();
        return Page(call, "Results", latestPerResource, point => new JsonObject
        {
            ["ResourceArn"] = point.Source.Arn,
            ["ResourceType"] = point.Source.Kind.BackupResourceType,
            ["LastBackupTime"] = Epoch(point.LastBackupTime),
            ["ResourceName"] = point.Source.Name,
            ["LastBackupVaultArn"] = point.Vault.Arn,
            ["LastRecoveryPointArn"] = point.Arn,
        });
    }

    private static JsonObject RecoveryPointJson(RecoveryPoint point) => new()
    {
        ["RecoveryPointArn"] = point.Arn,
        ["BackupVaultName"] = point.Vault.Name,
        ["BackupVaultArn"] = point.Vault.Arn,
        ["SourceBackupVaultArn"] = point.SourceBackupVaultArn,
        ["ResourceArn"] = point.Source.Arn,
        ["ResourceType"] = point.Source.Kind.BackupResourceType,
        ["CreatedBy"] = point.CreatedBy?.ToJson(),
        ["IamRoleArn"] = point.IamRoleArn,
        ["Status"] = "COMPLETED",
        ["CreationDate"] = Epoch(point.CreationDate),
        ["InitiationDate"] = Epoch(point.CreationDate),
        ["CompletionDate"] = Epoch(point.LastBackupTime),
        ["BackupSizeInBytes"] = 0,
        ["CalculatedLifecycle"] = point.Lifecycle.Calculated(point.CreationDate),
        ["Lifecycle"] = point.Lifecycle.ToJson(),
        ["EncryptionKeyArn"] = point.Vault.EncryptionKeyArn,
        ["IsEncrypted"] = true,
        ["LastRestoreTime"] = Epoch(point.LastRestoreTime),
        ["IsParent"] = false,
        ["ResourceName"] = point.Source.Name,
        ["VaultType"] = "BACKUP_VAULT",
    };

    private static JsonObject RecoveryPointByResourceJson(RecoveryPoint point) => new()
    {
        ["RecoveryPointArn"] = point.Arn,
        ["CreationDate"] = Epoch(point.CreationDate),
        ["Status"] = "COMPLETED",
        ["EncryptionKeyArn"] = point.Vault.EncryptionKeyArn,
        ["BackupSizeBytes"] = 0,
        ["BackupVaultName"] = point.Vault.Name,
        ["IsParent"] = false,
        ["ResourceName"] = point.Source.Name,
        ["VaultType"] = "BACKUP_VAULT",
    };

    private RecoveryPoint RecoveryPoint(Call call) => store.GetRecoveryPoint(Vault(call), call.Path("recoveryPointArn"));
}
