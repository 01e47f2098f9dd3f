using System.Collections.Concurrent;

namespace CloudPatterns.LocalCloud.Services.Backup;

/// <summary>A backup vault.</summary>
internal sealed record BackupVault(
    string Name,
    string Arn,
    DateTimeOffset CreationDate,
    string EncryptionKeyArn,
    string? CreatorRequestId,
    IReadOnlyDictionary<string, string> Tags);

/// <summary>The organization's Backup global settings in one region.</summary>
internal sealed record BackupGlobalSettings(bool CrossAccountBackupEnabled, DateTimeOffset? LastUpdateTime);

/// <summary>AWS Backup state: vaults per account and region, global settings per region. Thread-safe.</summary>
internal sealed class BackupStore
{
    private readonly ConcurrentDictionary<(string AccountId, string Region), ConcurrentDictionary<string, BackupVault>> vaults = new();
    private readonly ConcurrentDictionary<string, BackupGlobalSettings> globalSettings = new(StringComparer.Ordinal);

    /// <summary>Adds a vault; returns the existing one instead when the name is taken.</summary>
    public BackupVault AddVault(string accountId, string region, BackupVault vault) =>
        VaultsOf(accountId, region).GetOrAdd(vault.Name, vault);

    public BackupVault? FindVault(string accountId, string region, string name) =>
        VaultsOf(accountId, region).GetValueOrDefault(name);

    /// <summary>Vaults in creation order.</summary>
    public IReadOnlyList<BackupVault> ListVaults(string accountId, string region) =>
        [.. VaultsOf(accountId, region).Values.OrderBy(vault => vault.CreationDate).ThenBy(vault => vault.Name, StringComparer.Ordinal)];

    public BackupGlobalSettings GetGlobalSettings(string region) =>
        globalSettings.GetValueOrDefault(region) ?? new BackupGlobalSettings(CrossAccountBackupEnabled: false, LastUpdateTime: null);

    public void SetGlobalSettings(string region, BackupGlobalSettings settings) => globalSettings[region] = settings;

    private ConcurrentDictionary<string, BackupVault> VaultsOf(string accountId, string region) =>
        vaults.GetOrAdd((accountId, region), _ => new ConcurrentDictionary<string, BackupVault>(StringComparer.Ordinal));
}
