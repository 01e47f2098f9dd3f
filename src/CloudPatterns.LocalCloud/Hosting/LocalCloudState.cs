using CloudPatterns.LocalCloud.Admin;
using CloudPatterns.LocalCloud.Identity;
using CloudPatterns.LocalCloud.Services.Backup;
using CloudPatterns.LocalCloud.Services.CloudFormation;
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

    public BackupStore Backup { get; } = new();

    public StackStore Stacks { get; } = new();

    public FaultInjector Faults { get; } = new();

    public RequestLog RequestLog { get; } = new();

    public S3Store S3 { get; } = new(clock);

    public SnsStore Sns { get; } = new(clock);

    public CloudWatchStore CloudWatch { get; } = new(clock);
}
