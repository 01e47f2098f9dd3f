using CloudPatterns.LocalCloud.Identity;
using CloudPatterns.LocalCloud.Services.Backup;
using CloudPatterns.LocalCloud.Services.CloudFormation;

namespace CloudPatterns.LocalCloud.Hosting;

/// <summary>Everything one LocalCloud instance holds in memory; each store is thread-safe.</summary>
internal sealed class LocalCloudState(SeedOrganization organization, LocalCloudClock clock)
{
    public SeedOrganization Organization { get; } = organization;

    public LocalCloudClock Clock { get; } = clock;

    public CredentialStore Credentials { get; } = new(organization);

    public BackupStore Backup { get; } = new();

    public StackStore Stacks { get; } = new();
}
