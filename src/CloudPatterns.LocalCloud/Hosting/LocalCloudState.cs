using CloudPatterns.LocalCloud.Admin;
using CloudPatterns.LocalCloud.CloudFormation.Stacks;
using CloudPatterns.LocalCloud.Identity;
using CloudPatterns.LocalCloud.Services.Backup;

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
}
