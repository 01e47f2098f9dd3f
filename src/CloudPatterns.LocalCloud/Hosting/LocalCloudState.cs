using CloudPatterns.LocalCloud.Admin;
using CloudPatterns.LocalCloud.Identity;
using CloudPatterns.LocalCloud.Services.Backup;
using CloudPatterns.LocalCloud.CloudFormation.Stacks;
using CloudPatterns.LocalCloud.Services.CloudWatch;
using CloudPatterns.LocalCloud.Services.S3;
using CloudPatterns.LocalCloud.Services.Sns;

namespace CloudPatterns.LocalCloud.Hosting;

/// <summary>Everything one LocalCloud instance holds in memory; each store is thread-safe.</summary>
internal sealed class LocalCloudState(SeedOrganization organization, LocalCloudClock clock)
{
    public SeedOrganization Organization { get; } = organization;

    public LocalCloudClock Clock { get; } = clock;

    public CredentialStore Credentials { get; } = new(organization);

    public FaultInjector Faults { get; } = new();

    public RequestLog RequestLog { get; } = new();

    public BackupStore Backup { get; } = new();

    public CloudFormationEngine CloudFormation { get; } = new(clock);

    public S3Store S3 { get; } = new(clock);

    public SnsStore Sns { get; } = new(clock);

    public CloudWatchStore CloudWatch { get; } = new(clock);

    /// <summary>
    /// What the <c>--state</c> file keeps, one part per store: the one place a store registers its serialiser.
    /// The seed organization is not state (it is loaded from the seed at every start); neither are the request
    /// log and fault rules (diagnostics of one run) nor STS session credentials (secrets, never written to disk;
    /// clients assume their roles again after a restart).
    /// </summary>
    public IReadOnlyList<StatePart> PersistentParts =>
    [
        StatePart.Of("clock", () => Clock.Offset, offset => Clock.Advance(offset - Clock.Offset)),
        StatePart.Of("backup", SaveBackup, RestoreBackup),
        StatePart.Of("cloudformation", CloudFormation.Save, CloudFormation.Restore),
        StatePart.Of("s3", S3.Snapshot, S3.Restore),
        StatePart.Of("sns", Sns.Snapshot, Sns.Restore),
        StatePart.Of("cloudwatch", CloudWatch.Snapshot, CloudWatch.Restore),
    ];

    private SavedBackup SaveBackup() => new(
        Backup.AllGlobalSettings(),
        [.. Backup.AllVaults().Select(entry => new SavedVault(entry.AccountId, entry.Region, entry.Vault))]);

    private void RestoreBackup(SavedBackup saved)
    {
        foreach (var (region, settings) in saved.GlobalSettings)
        {
            Backup.SetGlobalSettings(region, settings);
        }

        foreach (var vault in saved.Vaults)
        {
            Backup.AddVault(vault.AccountId, vault.Region, vault.Vault);
        }
    }

    private sealed record SavedBackup(IReadOnlyDictionary<string, BackupGlobalSettings> GlobalSettings, IReadOnlyList<SavedVault> Vaults);

    private sealed record SavedVault(string AccountId, string Region, BackupVault Vault);
}
