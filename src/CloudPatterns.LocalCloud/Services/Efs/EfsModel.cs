using System.Security.Cryptography;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Efs;

/// <summary>
/// An EFS file system. Its life cycle is derived from the sandbox clock: creating until <see cref="AvailableAt"/>,
/// then available. <see cref="Files"/> is what a sandbox wrote into it (path → bytes) through the admin API, since the
/// file system's data is only reachable over NFS in AWS (docs/localcloud-efs.md).
/// </summary>
internal sealed class EfsFileSystem
{
    public required string AccountId { get; init; }

    public required string Region { get; init; }

    public required string Id { get; init; }

    public required string CreationToken { get; init; }

    public required DateTimeOffset CreationTime { get; init; }

    public required DateTimeOffset AvailableAt { get; init; }

    public string PerformanceMode { get; init; } = "generalPurpose";

    public string ThroughputMode { get; set; } = "bursting";

    public double? ProvisionedThroughputInMibps { get; set; }

    public bool Encrypted { get; init; }

    public string? KmsKeyArn { get; init; }

    /// <summary>One Zone storage: the zone's name; null for Regional file systems.</summary>
    public string? AvailabilityZoneName { get; init; }

    public List<EfsTag> Tags { get; set; } = [];

    /// <summary>ENABLED or DISABLED (automatic backups with AWS Backup's default plan).</summary>
    public string BackupPolicy { get; set; } = "DISABLED";

    public SortedDictionary<string, byte[]> Files { get; init; } = new(StringComparer.Ordinal);

    public string Arn => $"arn:aws:elasticfilesystem:{Region}:{AccountId}:file-system/{Id}";

    public string LifeCycleState(DateTimeOffset now) => now >= AvailableAt ? "available" : "creating";

    /// <summary>The metered size: the bytes of every file plus the 6 KiB of metadata AWS reports for an empty file system.</summary>
    public long SizeInBytes => EfsStore.EmptySize + Files.Values.Sum(content => (long)content.Length);

    public string? Name => Tags.LastOrDefault(tag => tag.Key == "Name")?.Value;
}

internal sealed record EfsTag(string Key, string Value);

/// <summary>A mount target: one per Availability Zone for a file system, in a subnet of one VPC.</summary>
internal sealed class EfsMountTarget
{
    public required string AccountId { get; init; }

    public required string Region { get; init; }

    public required string Id { get; init; }

    public required string FileSystemId { get; init; }

    public required string SubnetId { get; init; }

    public required string VpcId { get; init; }

    public required string AvailabilityZoneName { get; init; }

    public required string IpAddress { get; init; }

    public required string NetworkInterfaceId { get; init; }

    public required IReadOnlyList<string> SecurityGroups { get; init; }

    public required DateTimeOffset AvailableAt { get; init; }

    public string LifeCycleState(DateTimeOffset now) => now >= AvailableAt ? "available" : "creating";
}

/// <summary>An access point: an application's entry into a file system, with its POSIX user and root directory.</summary>
internal sealed class EfsAccessPoint
{
    public required string AccountId { get; init; }

    public required string Region { get; init; }

    public required string Id { get; init; }

    public required string ClientToken { get; init; }

    public required string FileSystemId { get; init; }

    /// <summary>The request's PosixUser and RootDirectory as given (JSON), echoed by DescribeAccessPoints.</summary>
    public string? PosixUser { get; init; }

    public string? RootDirectory { get; init; }

    public List<EfsTag> Tags { get; set; } = [];

    public string Arn => $"arn:aws:elasticfilesystem:{Region}:{AccountId}:access-point/{Id}";

    public string? Name => Tags.LastOrDefault(tag => tag.Key == "Name")?.Value;
}

/// <summary>EFS's errors: each has an ErrorCode member beside Message (botocore model efs/2015-02-01).</summary>
internal static class EfsErrors
{
    public static AwsServiceException Error(int status, string code, string message, params (string Name, string Value)[] fields) =>
        new(status, code, message)
        {
            JsonMessageMember = "Message",
            Fields = [new("ErrorCode", code), .. fields.Select(field => new KeyValuePair<string, string>(field.Name, field.Value))],
        };

    public static AwsServiceException BadRequest(string message) => Error(400, "BadRequest", message);

    public static AwsServiceException FileSystemNotFound(string id) => Error(404, "FileSystemNotFound", $"File system '{id}' does not exist.");

    public static AwsServiceException IncorrectState(string id, string state) =>
        Error(409, "IncorrectFileSystemLifeCycleState", $"File system '{id}' is {state}; it must be available.");

    public static string NewId(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(9))[..17];
}
