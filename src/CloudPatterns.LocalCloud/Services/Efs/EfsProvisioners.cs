using System.Globalization;
using System.Text.Json;
using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.CloudFormation;

namespace CloudPatterns.LocalCloud.Services.Efs;

/// <summary>
/// AWS::EFS::FileSystem through CreateFileSystem's checks: Ref is the file system id; GetAtt Arn and FileSystemId. The
/// handler returns once the file system is available. BackupPolicy.Status, ThroughputMode and tags change in place.
/// </summary>
internal sealed class EfsFileSystemProvisioner(EfsOperations efs, TimeProvider clock) : ServiceProvisioner(clock)
{
    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties)
    {
        var created = efs.CreateFileSystem(request.Stack.AccountId, request.Stack.Region, new FileSystemRequest(
            ResourceIdentities.GeneratedName(request), properties.GetStringOrNull("PerformanceMode"), properties.GetStringOrNull("ThroughputMode"),
            Number(properties, "ProvisionedThroughputInMibps"), Flag(properties, "Encrypted") == true, properties.GetStringOrNull("KmsKeyId"),
            properties.GetStringOrNull("AvailabilityZoneName"), properties.GetObjectOrNull("BackupPolicy")?.GetStringOrNull("Status") == "ENABLED",
            EfsOperations.TagsOf(properties, "FileSystemTags")), waited: true);
        return Provisioned(created.Id, ("Arn", created.Arn), ("FileSystemId", created.Id));
    }

    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current)
    {
        var tags = EfsOperations.TagsOf(properties, "FileSystemTags");
        var violations = new List<string>();
        EfsOperations.CheckTags(violations, tags);
        EfsOperations.ThrowIfAny(violations);
        efs.Store.Change(request.Stack.AccountId, request.Stack.Region, current.PhysicalId, fileSystem =>
        {
            fileSystem.BackupPolicy = properties.GetObjectOrNull("BackupPolicy")?.GetStringOrNull("Status") == "ENABLED" ? "ENABLED" : "DISABLED";
            fileSystem.ThroughputMode = properties.GetStringOrNull("ThroughputMode") ?? "bursting";
            fileSystem.ProvisionedThroughputInMibps = Number(properties, "ProvisionedThroughputInMibps");
            fileSystem.Tags = tags;
            return fileSystem;
        });
        return current;
    }

    protected override void Delete(ResourceRequest request, ProvisionedResource current)
    {
        if (Exists(request, current))
        {
            efs.Store.Delete(request.Stack.AccountId, request.Stack.Region, current.PhysicalId);
        }
    }

    protected override bool Exists(ResourceRequest request, ProvisionedResource current) =>
        efs.Store.List(request.Stack.AccountId, request.Stack.Region, null, null).Any(entry => entry.FileSystem.Id == current.PhysicalId);
}

/// <summary>AWS::EFS::MountTarget through CreateMountTarget's checks: Ref is the mount target id; GetAtt Id and IpAddress. Every property needs a replacement.</summary>
internal sealed class EfsMountTargetProvisioner(EfsOperations efs, TimeProvider clock) : ServiceProvisioner(clock)
{
    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties)
    {
        var created = efs.CreateMountTarget(request.Stack.AccountId, request.Stack.Region, properties.GetStringOrNull("FileSystemId"), properties.GetStringOrNull("SubnetId"),
            properties.GetStringOrNull("IpAddress"), properties.GetStringsOrEmpty("SecurityGroups"), waited: true);
        return Provisioned(created.Id, ("Id", created.Id), ("IpAddress", created.IpAddress));
    }

    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current) => current;

    protected override void Delete(ResourceRequest request, ProvisionedResource current)
    {
        if (Exists(request, current))
        {
            efs.Store.DeleteMountTarget(request.Stack.AccountId, request.Stack.Region, current.PhysicalId);
        }
    }

    protected override bool Exists(ResourceRequest request, ProvisionedResource current)
    {
        try
        {
            efs.Store.MountTargets(request.Stack.AccountId, request.Stack.Region, null, current.PhysicalId, null);
            return true;
        }
        catch (AwsServiceException)
        {
            return false;
        }
    }
}

/// <summary>
/// AWS::EFS::AccessPoint through CreateAccessPoint's checks: Ref is the access point id; GetAtt Arn and AccessPointId.
/// The template's PosixUser and CreationInfo ids are strings; the API takes numbers.
/// </summary>
internal sealed class EfsAccessPointProvisioner(EfsOperations efs, TimeProvider clock) : ServiceProvisioner(clock)
{
    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties)
    {
        var created = efs.CreateAccessPoint(request.Stack.AccountId, request.Stack.Region, properties.GetStringOrNull("ClientToken") ?? ResourceIdentities.GeneratedName(request),
            properties.GetStringOrNull("FileSystemId"), Numbered(properties.GetObjectOrNull("PosixUser")), Numbered(properties.GetObjectOrNull("RootDirectory")),
            EfsOperations.TagsOf(properties, "AccessPointTags"));
        return Provisioned(created.Id, ("Arn", created.Arn), ("AccessPointId", created.Id));
    }

    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current)
    {
        var tags = EfsOperations.TagsOf(properties, "AccessPointTags");
        efs.Store.Tags(request.Stack.AccountId, request.Stack.Region, current.PhysicalId, _ => tags);
        return current;
    }

    protected override void Delete(ResourceRequest request, ProvisionedResource current)
    {
        if (Exists(request, current))
        {
            efs.Store.DeleteAccessPoint(request.Stack.AccountId, request.Stack.Region, current.PhysicalId);
        }
    }

    protected override bool Exists(ResourceRequest request, ProvisionedResource current) =>
        efs.Store.AccessPoints(request.Stack.AccountId, request.Stack.Region, null, null).Any(point => point.Id == current.PhysicalId);

    /// <summary>The object with numeric strings ("1000") as numbers, recursively, as the API's members are.</summary>
    private static JsonElement? Numbered(JsonElement? element) => element is { } given ? JsonSerializer.SerializeToElement(Convert(given)) : null;

    private static object? Convert(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(member => member.Name, member => member.Name is "Permissions" or "Path" ? (member.Value.ValueKind == JsonValueKind.String ? member.Value.GetString() : member.Value.GetRawText()) : Convert(member.Value), StringComparer.Ordinal),
        JsonValueKind.Array => element.EnumerateArray().Select(Convert).ToList(),
        JsonValueKind.String when long.TryParse(element.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) => number,
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.GetInt64(),
        _ => null,
    };
}
