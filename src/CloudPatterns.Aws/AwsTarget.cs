using System;
using CloudPatterns.Aws.Backup;
using CloudPatterns.Aws.CloudFormation;
using CloudPatterns.Aws.Organizations;
using CloudPatterns.Aws.Protocol;

namespace CloudPatterns.Aws;

/// <summary>One account in one region, with clients that sign as the caller (own account) or as the assumed role.</summary>
public sealed class AwsTarget : IDisposable
{
    private readonly AwsClientContext context;
    private readonly Lazy<OrganizationsClient> organizations;
    private readonly Lazy<BackupClient> backup;
    private readonly Lazy<CloudFormationClient> cloudFormation;

    internal AwsTarget(AwsClientContext context, string? roleArn)
    {
        this.context = context;
        RoleArn = roleArn;
        organizations = new Lazy<OrganizationsClient>(() => new OrganizationsClient(context));
        backup = new Lazy<BackupClient>(() => new BackupClient(context));
        cloudFormation = new Lazy<CloudFormationClient>(() => new CloudFormationClient(context));
    }

    public string AccountId => context.AccountId!;

    public string Region => context.Region;

    /// <summary>The role the clients act as; null in the caller's own account, where the caller's credentials are used.</summary>
    public string? RoleArn { get; }

    public OrganizationsClient Organizations => organizations.Value;

    public BackupClient Backup => backup.Value;

    public CloudFormationClient CloudFormation => cloudFormation.Value;

    public void Dispose()
    {
        DisposeCreated(organizations);
        DisposeCreated(backup);
        DisposeCreated(cloudFormation);
    }

    private static void DisposeCreated<T>(Lazy<T> client)
        where T : IDisposable
    {
        if (client.IsValueCreated)
        {
            client.Value.Dispose();
        }
    }
}
