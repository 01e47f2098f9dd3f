using System.Security.Cryptography;

namespace CloudPatterns.LocalCloud.Services.Resources;

/// <summary>
/// A kind of resource that AWS Backup protects and restores: its Backup resource type, how its ARN is formed, and
/// how a restored resource gets its name.
/// </summary>
internal sealed class ResourceKind
{
    private readonly string arnService;
    private readonly string arnResourcePrefix;
    private readonly string? generatedNamePrefix;
    private readonly bool globalArn;

    private ResourceKind(string backupResourceType, string arnService, string arnResourcePrefix, string? restoreNameKey, string? generatedNamePrefix, bool globalArn = false)
    {
        this.globalArn = globalArn;
        BackupResourceType = backupResourceType;
        this.arnService = arnService;
        this.arnResourcePrefix = arnResourcePrefix;
        RestoreNameKey = restoreNameKey;
        this.generatedNamePrefix = generatedNamePrefix;
    }

    /// <summary>RDS DB instances, named by DBInstanceIdentifier.</summary>
    public static ResourceKind RdsDbInstance { get; } = new(
        "RDS", "rds", "db:", "DBInstanceIdentifier", null);

    /// <summary>Aurora DB clusters (Backup's "Aurora"), named by DBClusterIdentifier; their instances are RdsDbInstance records.</summary>
    public static ResourceKind AuroraCluster { get; } = new(
        "Aurora", "rds", "cluster:", "DBClusterIdentifier", null);

    /// <summary>EBS volumes, named by the vol-… id AWS generates.</summary>
    public static ResourceKind EbsVolume { get; } = new(
        "EBS", "ec2", "volume/", null, "vol-");

    /// <summary>DynamoDB tables, named by TableName.</summary>
    public static ResourceKind DynamoDbTable { get; } = new(
        "DynamoDB", "dynamodb", "table/", "TargetTableName", null);

    /// <summary>
    /// S3 buckets, named by the bucket name; their ARN has no region or account (arn:aws:s3:::name). They live in S3's
    /// own store, not in <see cref="CloudResourceStore"/>: Backup captures and restores them through its S3 kind
    /// (docs/localcloud-backup-kinds.md).
    /// </summary>
    public static ResourceKind S3Bucket { get; } = new(
        "S3", "s3", "", "DestinationBucketName", null, globalArn: true);

    /// <summary>EC2 instances, named by the i-… id AWS generates; they live in the fleet, and a backup makes an image (Backup's EC2 kind).</summary>
    public static ResourceKind Ec2Instance { get; } = new(
        "EC2", "ec2", "instance/", null, "i-");

    /// <summary>EFS file systems, named by the fs-… id AWS generates; they live in EFS's store (Backup's EFS kind).</summary>
    public static ResourceKind EfsFileSystem { get; } = new(
        "EFS", "elasticfilesystem", "file-system/", null, "fs-");

    public static IReadOnlyList<ResourceKind> All { get; } = [RdsDbInstance, AuroraCluster, EbsVolume, DynamoDbTable, S3Bucket, Ec2Instance, EfsFileSystem];

    /// <summary>The ResourceType AWS Backup reports, e.g. "RDS".</summary>
    public string BackupResourceType { get; }

    /// <summary>
    /// The restore metadata key that names the restored resource (RDS DBInstanceIdentifier, DynamoDB
    /// TargetTableName); null when AWS generates the name (EBS volume ids).
    /// </summary>
    public string? RestoreNameKey { get; }

    public string Arn(string region, string accountId, string name) =>
        globalArn ? $"arn:aws:{arnService}:::{arnResourcePrefix}{name}" : $"arn:aws:{arnService}:{region}:{accountId}:{arnResourcePrefix}{name}";

    /// <summary>A new AWS-generated name (vol-…); only for kinds without <see cref="RestoreNameKey"/>.</summary>
    public string GenerateName() =>
        (generatedNamePrefix ?? throw new InvalidOperationException($"{BackupResourceType} resources are named by the caller.")) + RandomHex(17);

    public static ResourceKind? FromBackupResourceType(string? resourceType) =>
        All.FirstOrDefault(kind => string.Equals(kind.BackupResourceType, resourceType, StringComparison.OrdinalIgnoreCase));

    public static string RandomHex(int length) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes((length + 1) / 2))[..length];
}
