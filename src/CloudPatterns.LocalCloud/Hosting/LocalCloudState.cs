using CloudPatterns.LocalCloud.Admin;
using CloudPatterns.LocalCloud.CloudFormation.Stacks;
using CloudPatterns.LocalCloud.Identity;
using CloudPatterns.LocalCloud.Services.Backup;
using CloudPatterns.LocalCloud.Services.Kms;
using CloudPatterns.LocalCloud.Services.Resources;

namespace CloudPatterns.LocalCloud.Hosting;

/// <summary>Everything one LocalCloud instance holds in memory; each store is thread-safe.</summary>
internal sealed class LocalCloudState
{
    public LocalCloudState(SeedOrganization organization, LocalCloudClock clock)
    {
        Organization = organization;
        Clock = clock;
        CloudFormation = new CloudFormationEngine(new CloudFormationEngineOptions { Clock = clock });
        Credentials = new CredentialStore(organization);
        Kms = new KmsStore(organization.Id, clock);
        Backup = new BackupStore(organization, Kms, Resources, RoleExists);
        foreach (var account in organization.Accounts)
        {
            foreach (var resource in account.Resources)
            {
                var kind = ResourceKind.FromBackupResourceType(resource.Type)!;
                Resources.TryAdd(new CloudResource(kind, account.Id, resource.Region, resource.Name, account.Joined, resource.Tags, resource.Properties));
            }
        }
    }

    public SeedOrganization Organization { get; }

    public LocalCloudClock Clock { get; }

    public CredentialStore Credentials { get; }

    public KmsStore Kms { get; }

    /// <summary>RDS DB instances, EBS volumes and DynamoDB tables: what Backup protects and restores.</summary>
    public CloudResourceStore Resources { get; } = new();

    public BackupStore Backup { get; }

    public CloudFormationEngine CloudFormation { get; }

    public FaultInjector Faults { get; } = new();

    public RequestLog RequestLog { get; } = new();

    /// <summary>Whether an IAM role ARN names a role of the seed (path included, e.g. role/service-role/X).</summary>
    private bool RoleExists(string roleArn) =>
        roleArn.Split(':', 6) is ["arn", "aws", "iam", "", var accountId, _]
        && Organization.FindAccount(accountId)?.Roles.Any(role => role.Arn == roleArn) == true;
}
