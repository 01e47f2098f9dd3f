using CloudPatterns.LocalCloud.Identity;

namespace CloudPatterns.LocalCloud;

/// <summary>The emulated organization LocalCloud was seeded with: accounts, OUs, roles, regions and credentials.</summary>
public sealed class SeedOrganization
{
    internal SeedOrganization(
        string id,
        string rootId,
        string managementAccountId,
        IReadOnlyList<string> regions,
        IReadOnlyList<SeedOrganizationalUnit> organizationalUnits,
        IReadOnlyList<SeedAccount> accounts)
    {
        Id = id;
        RootId = rootId;
        ManagementAccountId = managementAccountId;
        Regions = regions;
        OrganizationalUnits = organizationalUnits;
        Accounts = accounts;
        accountsById = accounts.ToDictionary(account => account.Id, StringComparer.Ordinal);
        ManagementAccount = accountsById[managementAccountId];
        ExecutionRoleExternalId = accounts
            .SelectMany(account => account.Roles)
            .Where(role => role.Name == ExecutionRoleName)
            .Select(role => role.TrustPolicy.RequiredExternalId)
            .FirstOrDefault(externalId => externalId is not null);
    }

    /// <summary>The role the module assumes with an ExternalId; its trust policy's condition names the ExternalId.</summary>
    public const string ExecutionRoleName = "CloudPatternsExecution";

    private readonly Dictionary<string, SeedAccount> accountsById;

    /// <summary>Organization id, e.g. o-lc0example01.</summary>
    public string Id { get; }

    /// <summary>Root id, e.g. r-lc01.</summary>
    public string RootId { get; }

    public string Arn => $"arn:aws:organizations::{ManagementAccountId}:organization/{Id}";

    public string RootArn => $"arn:aws:organizations::{ManagementAccountId}:root/{Id}/{RootId}";

    public string ManagementAccountId { get; }

    public SeedAccount ManagementAccount { get; }

    /// <summary>Long-term admin credentials of the management account.</summary>
    public SeedAccessKey ManagementCredentials => ManagementAccount.Admin;

    /// <summary>Regions of the organization; the first is the primary region.</summary>
    public IReadOnlyList<string> Regions { get; }

    public string PrimaryRegion => Regions[0];

    /// <summary>Every OU, parents before their children.</summary>
    public IReadOnlyList<SeedOrganizationalUnit> OrganizationalUnits { get; }

    /// <summary>Every account, the management account included, in seed order.</summary>
    public IReadOnlyList<SeedAccount> Accounts { get; }

    /// <summary>The ExternalId that the CloudPatternsExecution roles' trust policies require (null when none does).</summary>
    public string? ExecutionRoleExternalId { get; }

    public SeedAccount? FindAccount(string accountId) => accountsById.GetValueOrDefault(accountId);

    /// <summary>The ISSUED ACM certificates the seed gives its workload accounts, one per account and region.</summary>
    public IReadOnlyList<SeedCertificate> Certificates { get; internal init; } = [];
}

/// <summary>An ISSUED, DNS-validated ACM certificate of an account and region, for a domain name.</summary>
public sealed record SeedCertificate(string AccountId, string Region, string DomainName);

/// <summary>An account of the seeded organization.</summary>
public sealed class SeedAccount
{
    internal SeedAccount(
        string id,
        string name,
        string email,
        string organizationalUnitPath,
        IReadOnlyDictionary<string, string> tags,
        SeedAccessKey admin,
        IReadOnlyList<SeedRole> roles,
        bool isManagementAccount,
        DateTimeOffset joined)
    {
        Id = id;
        Name = name;
        Email = email;
        OrganizationalUnitPath = organizationalUnitPath;
        Tags = tags;
        Admin = admin;
        Roles = roles;
        IsManagementAccount = isManagementAccount;
        Joined = joined;
    }

    public string Id { get; }

    public string Name { get; }

    public string Email { get; }

    /// <summary>Path of the OU holding the account: "/" for the root, "/Workloads/Prod" for a nested OU.</summary>
    public string OrganizationalUnitPath { get; }

    public IReadOnlyDictionary<string, string> Tags { get; }

    /// <summary>The account's admin IAM user and its long-term access key.</summary>
    public SeedAccessKey Admin { get; }

    public IReadOnlyList<SeedRole> Roles { get; }

    public bool IsManagementAccount { get; }

    public DateTimeOffset Joined { get; }

    public string AdminUserArn => $"arn:aws:iam::{Id}:user/{Admin.UserName}";

    public SeedRole? FindRole(string name) => Roles.FirstOrDefault(role => role.Name == name);

    /// <summary>Resources the account starts with (RDS DB instances, EBS volumes, DynamoDB tables, Aurora clusters, S3 buckets, EC2 instances, EFS file systems).</summary>
    public IReadOnlyList<SeedResource> Resources { get; internal init; } = [];
}

/// <summary>A resource an account starts with, of a type AWS Backup protects.</summary>
public sealed class SeedResource
{
    internal SeedResource(string type, string region, string name, IReadOnlyDictionary<string, string> tags, IReadOnlyDictionary<string, string> properties, IReadOnlyDictionary<string, string> contents)
    {
        Type = type;
        Region = region;
        Name = name;
        Tags = tags;
        Properties = properties;
        Contents = contents;
    }

    /// <summary>The resource types a seed may name, as AWS Backup names them.</summary>
    public static IReadOnlyList<string> Types { get; } = ["RDS", "EBS", "DynamoDB", "Aurora", "S3", "EC2", "EFS"];

    /// <summary>RDS, EBS, DynamoDB, Aurora, S3, EC2 or EFS.</summary>
    public string Type { get; }

    public string Region { get; }

    /// <summary>
    /// DB instance identifier, volume id (vol-…), table name, DB cluster identifier, bucket name, instance id (i-…) or
    /// file system creation token.
    /// </summary>
    public string Name { get; }

    /// <summary>What a bucket or file system holds: object key or file path (from the root) → text content.</summary>
    public IReadOnlyDictionary<string, string> Contents { get; }

    public IReadOnlyDictionary<string, string> Tags { get; }

    /// <summary>Type-specific properties, e.g. Engine and DBInstanceClass, or volumeSize and availabilityZone.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; }
}

/// <summary>An IAM user's long-term access key. ToString never shows the secret.</summary>
public sealed class SeedAccessKey
{
    internal SeedAccessKey(string userName, string accessKeyId, string secretAccessKey)
    {
        UserName = userName;
        AccessKeyId = accessKeyId;
        SecretAccessKey = secretAccessKey;
    }

    public string UserName { get; }

    public string AccessKeyId { get; }

    public string SecretAccessKey { get; }

    public override string ToString() => AccessKeyId;
}

/// <summary>An IAM role with its trust policy and the AWS managed policies attached to it.</summary>
public sealed class SeedRole
{
    internal SeedRole(string accountId, string name, int maxSessionDurationSeconds, string trustPolicyDocument, IReadOnlyList<string> managedPolicyArns)
    {
        ManagedPolicyArns = managedPolicyArns;
        AccountId = accountId;
        Name = name;
        MaxSessionDurationSeconds = maxSessionDurationSeconds;
        TrustPolicyDocument = trustPolicyDocument;
        TrustPolicy = PolicyDocument.Parse(trustPolicyDocument);
    }

    public string AccountId { get; }

    public string Name { get; }

    public string Arn => $"arn:aws:iam::{AccountId}:role/{Name}";

    /// <summary>Longest session AssumeRole grants for this role (IAM's MaxSessionDuration, 3600 by default).</summary>
    public int MaxSessionDurationSeconds { get; }

    /// <summary>The trust policy as the JSON document given in the seed.</summary>
    public string TrustPolicyDocument { get; }

    internal PolicyDocument TrustPolicy { get; }

    /// <summary>The AWS managed policies the role carries (OrganizationAccountAccessRole: AdministratorAccess).</summary>
    public IReadOnlyList<string> ManagedPolicyArns { get; }
}

/// <summary>An organizational unit.</summary>
public sealed class SeedOrganizationalUnit
{
    internal SeedOrganizationalUnit(string id, string name, string path, string parentId, IReadOnlyDictionary<string, string> tags)
    {
        Id = id;
        Name = name;
        Path = path;
        ParentId = parentId;
        Tags = tags;
    }

    /// <summary>OU id, e.g. ou-lc01-1a2b3c4d.</summary>
    public string Id { get; }

    public string Name { get; }

    /// <summary>Path from the root, e.g. "/Workloads/Prod".</summary>
    public string Path { get; }

    /// <summary>Id of the parent root or OU.</summary>
    public string ParentId { get; }

    public IReadOnlyDictionary<string, string> Tags { get; }
}
