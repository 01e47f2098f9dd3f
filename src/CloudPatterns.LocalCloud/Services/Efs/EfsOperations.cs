using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Ec2;
using CloudPatterns.LocalCloud.Services.Kms;

namespace CloudPatterns.LocalCloud.Services.Efs;

/// <summary>What CreateFileSystem asks for (the API's members; AWS::EFS::FileSystem's are mapped onto them).</summary>
internal sealed record FileSystemRequest(
    string? CreationToken, string? PerformanceMode, string? ThroughputMode, double? ProvisionedThroughputInMibps,
    bool Encrypted, string? KmsKeyId, string? AvailabilityZoneName, bool? Backup, IReadOnlyList<EfsTag> Tags);

/// <summary>
/// EFS's checks and changes, shared by the API (EfsService), CloudFormation (EfsProvisioners) and Backup's EFS kind:
/// each refuses with EFS's codes before anything changes (docs/localcloud-efs.md).
/// </summary>
internal sealed partial class EfsOperations(EfsStore store, KmsStore kms, IVpcDirectory vpcs, Func<string, string, string, bool> securityGroupExists)
{
    public EfsStore Store => store;

    /// <summary>
    /// CreateFileSystem's checks, then a new file system that is creating for <see cref="EfsStore.FileSystemCreation"/>;
    /// <paramref name="waited"/> (CloudFormation, whose handler returns once it is available; a restore job, which ends
    /// once its file system is) makes it available at once; <paramref name="at"/> is a restore job's end.
    /// </summary>
    public EfsFileSystem CreateFileSystem(string accountId, string region, FileSystemRequest request, bool waited = false, DateTimeOffset? at = null)
    {
        var violations = new List<string>();
        ModelConstraints.CheckString(violations, "creationToken", request.CreationToken, 1, 64, ".+");
        Enum(violations, "performanceMode", request.PerformanceMode, "generalPurpose", "maxIO");
        Enum(violations, "throughputMode", request.ThroughputMode, "bursting", "provisioned", "elastic");
        ModelConstraints.CheckString(violations, "availabilityZoneName", request.AvailabilityZoneName, 1, 64, ".+", required: false);
        CheckTags(violations, request.Tags);
        ThrowIfAny(violations);
        var throughput = request.ThroughputMode ?? "bursting";
        if (throughput == "provisioned" && request.ProvisionedThroughputInMibps is not > 0)
        {
            throw EfsErrors.BadRequest("ThroughputMode provisioned needs ProvisionedThroughputInMibps (greater than 0).");
        }

        if (throughput != "provisioned" && request.ProvisionedThroughputInMibps is not null)
        {
            throw EfsErrors.BadRequest($"ProvisionedThroughputInMibps is allowed only with ThroughputMode provisioned, not {throughput}.");
        }

        if (request.KmsKeyId is not null && !request.Encrypted)
        {
            throw EfsErrors.BadRequest($"KmsKeyId {request.KmsKeyId} is given but Encrypted is not true; a key is allowed only for an encrypted file system.");
        }

        if (request.AvailabilityZoneName is { } zone && !(zone.StartsWith(region, StringComparison.Ordinal) && zone.Length == region.Length + 1 && char.IsAsciiLetterLower(zone[^1])))
        {
            throw EfsErrors.Error(400, "UnsupportedAvailabilityZone", $"Availability Zone {zone} is not a zone of {region}.");
        }

        if (request.AvailabilityZoneName is not null && request.PerformanceMode == "maxIO")
        {
            throw EfsErrors.BadRequest("One Zone file systems (AvailabilityZoneName) support only PerformanceMode generalPurpose, not maxIO.");
        }

        string? keyArn = null;
        if (request.Encrypted)
        {
            try
            {
                keyArn = (request.KmsKeyId is { } given ? kms.Find(accountId, region, given) : kms.AwsManagedKey(accountId, region, AwsManagedKeyService.Efs)).Arn;
            }
            catch (AwsServiceException error) when (error.Code == "NotFoundException")
            {
                throw EfsErrors.BadRequest($"KmsKeyId {request.KmsKeyId} does not name a KMS key of account {accountId} in {region}: {error.Message}");
            }
        }

        var now = at ?? store.Now;
        return store.Create(new EfsFileSystem
        {
            AccountId = accountId,
            Region = region,
            Id = EfsErrors.NewId("fs-"),
            CreationToken = request.CreationToken!,
            CreationTime = now,
            AvailableAt = waited ? now : now + EfsStore.FileSystemCreation,
            PerformanceMode = request.PerformanceMode ?? "generalPurpose",
            ThroughputMode = throughput,
            ProvisionedThroughputInMibps = request.ProvisionedThroughputInMibps,
            Encrypted = request.Encrypted,
            KmsKeyArn = keyArn,
            AvailabilityZoneName = request.AvailabilityZoneName,
            Tags = [.. request.Tags],
            BackupPolicy = request.Backup == true ? "ENABLED" : "DISABLED",
        });
    }

    /// <summary>
    /// A mount target in a subnet LocalCloud knows (made by CloudFormation): one per Availability Zone and all in one
    /// VPC (MountTargetConflict), in the zone of a One Zone file system (AvailabilityZonesMismatch).
    /// </summary>
    public EfsMountTarget CreateMountTarget(string accountId, string region, string? fileSystemId, string? subnetId, string? ipAddress, IReadOnlyList<string> securityGroups, bool waited = false)
    {
        var violations = new List<string>();
        ModelConstraints.CheckString(violations, "fileSystemId", fileSystemId, 1, 128, FileSystemIdPattern);
        ModelConstraints.CheckString(violations, "subnetId", subnetId, 15, 47, "^subnet-[0-9a-f]{8,40}$");
        ModelConstraints.CheckString(violations, "ipAddress", ipAddress, 7, 15, @"^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$", required: false);
        ThrowIfAny(violations);
        if (securityGroups.Count > 5)
        {
            throw EfsErrors.Error(400, "SecurityGroupLimitExceeded", $"{securityGroups.Count} security groups given; a mount target takes at most 5.");
        }

        var subnet = vpcs.Subnet(accountId, region, subnetId!)
            ?? throw EfsErrors.Error(400, "SubnetNotFound", $"Subnet '{subnetId}' does not exist in account {accountId}, {region}.");
        if (securityGroups.FirstOrDefault(group => !securityGroupExists(accountId, region, group)) is { } missing)
        {
            throw EfsErrors.Error(400, "SecurityGroupNotFound", $"Security group '{missing}' does not exist in account {accountId}, {region}.");
        }

        return store.AddMountTarget(accountId, region, fileSystemId!, (fileSystem, existing) =>
        {
            store.RequireAvailable(fileSystem);
            if (existing.FirstOrDefault(other => other.AvailabilityZoneName == subnet.AvailabilityZone) is { } sameZone)
            {
                throw EfsErrors.Error(409, "MountTargetConflict", $"File system '{fileSystem.Id}' already has mount target '{sameZone.Id}' in Availability Zone {subnet.AvailabilityZone}; a file system has one mount target per zone.");
            }

            if (existing.FirstOrDefault(other => other.VpcId != subnet.VpcId) is { } otherVpc)
            {
                throw EfsErrors.Error(409, "MountTargetConflict", $"File system '{fileSystem.Id}' has mount targets in {otherVpc.VpcId}; subnet '{subnetId}' is in {subnet.VpcId}. All mount targets of a file system are in one VPC.");
            }

            if (fileSystem.AvailabilityZoneName is { } zone && zone != subnet.AvailabilityZone)
            {
                throw EfsErrors.Error(400, "AvailabilityZonesMismatch", $"File system '{fileSystem.Id}' is One Zone in {zone}; subnet '{subnetId}' is in {subnet.AvailabilityZone}.");
            }

            var id = EfsErrors.NewId("fsmt-");
            return new EfsMountTarget
            {
                AccountId = accountId,
                Region = region,
                Id = id,
                FileSystemId = fileSystem.Id,
                SubnetId = subnetId!,
                VpcId = subnet.VpcId,
                AvailabilityZoneName = subnet.AvailabilityZone,
                IpAddress = ipAddress ?? AddressIn(vpcs.VpcCidr(accountId, region, subnet.VpcId), existing.Count),
                NetworkInterfaceId = "eni-" + id["fsmt-".Length..],
                SecurityGroups = [.. securityGroups],
                AvailableAt = waited ? store.Now : store.Now + EfsStore.MountTargetCreation,
            };
        });
    }

    public EfsAccessPoint CreateAccessPoint(string accountId, string region, string? clientToken, string? fileSystemId, JsonElement? posixUser, JsonElement? rootDirectory, IReadOnlyList<EfsTag> tags)
    {
        var violations = new List<string>();
        ModelConstraints.CheckString(violations, "clientToken", clientToken, 1, 64, ".+");
        ModelConstraints.CheckString(violations, "fileSystemId", fileSystemId, 1, 128, FileSystemIdPattern);
        ModelConstraints.CheckString(violations, "rootDirectory.path", rootDirectory?.GetStringOrNull("Path"), 1, 100, null, required: false);
        if (posixUser is { } user && (user.GetInt64OrNull("Uid") is null || user.GetInt64OrNull("Gid") is null))
        {
            violations.Add("Value null at 'posixUser.uid' or 'posixUser.gid' failed to satisfy constraint: Member must not be null");
        }

        if (rootDirectory?.GetObjectOrNull("CreationInfo") is { } creation && creation.GetStringOrNull("Permissions") is var permissions && (permissions is null || !PermissionsPattern().IsMatch(permissions)))
        {
            violations.Add($"Value '{permissions ?? "null"}' at 'rootDirectory.creationInfo.permissions' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[0-7]{{3,4}}$");
        }

        CheckTags(violations, tags);
        ThrowIfAny(violations);
        return store.AddAccessPoint(new EfsAccessPoint
        {
            AccountId = accountId,
            Region = region,
            Id = EfsErrors.NewId("fsap-"),
            ClientToken = clientToken!,
            FileSystemId = fileSystemId!,
            PosixUser = posixUser?.GetRawText(),
            RootDirectory = rootDirectory?.GetRawText(),
            Tags = [.. tags],
        });
    }

    /// <summary>Tags of a request body's "Tags" array (Key, Value) or a template's tag list.</summary>
    public static List<EfsTag> TagsOf(JsonElement? body, string member) =>
        body is { } element ? [.. element.GetArrayOrEmpty(member).Select(tag => new EfsTag(tag.GetStringOrNull("Key") ?? "", tag.GetStringOrNull("Value") ?? ""))] : [];

    public static void CheckTags(List<string> violations, IReadOnlyList<EfsTag> tags)
    {
        foreach (var tag in tags)
        {
            ModelConstraints.CheckString(violations, "tags.member.key", tag.Key, 1, 128, null);
            ModelConstraints.CheckString(violations, "tags.member.value", tag.Value, 0, 256, null);
            if (tag.Key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add($"Value '{tag.Key}' at 'tags.member.key' failed to satisfy constraint: the key can't start with aws:");
            }
        }
    }

    /// <summary>EFS writes its model violations as BadRequest (botocore's efs model has no ValidationException on these operations).</summary>
    public static void ThrowIfAny(List<string> violations)
    {
        if (violations.Count > 0)
        {
            throw EfsErrors.BadRequest($"{violations.Count} validation error{(violations.Count == 1 ? "" : "s")} detected: {string.Join("; ", violations)}");
        }
    }

    public const string FileSystemIdPattern = "^(arn:aws[-a-z]*:elasticfilesystem:[0-9a-z-:]+:file-system/fs-[0-9a-f]{8,40}|fs-[0-9a-f]{8,40})$";

    private static void Enum(List<string> violations, string member, string? value, params string[] allowed)
    {
        if (value is not null && !allowed.Contains(value, StringComparer.Ordinal))
        {
            violations.Add($"Value '{value}' at '{member}' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", allowed)}]");
        }
    }

    /// <summary>A private address for the nth mount target: the VPC's network with host part 100 + n (inferred).</summary>
    private static string AddressIn(string? cidr, int index)
    {
        var parts = (cidr ?? "10.0.0.0/16").Split('/')[0].Split('.');
        return string.Create(CultureInfo.InvariantCulture, $"{parts[0]}.{parts[1]}.{index}.{100 + index}");
    }

    [GeneratedRegex("^[0-7]{3,4}$")]
    private static partial Regex PermissionsPattern();
}
