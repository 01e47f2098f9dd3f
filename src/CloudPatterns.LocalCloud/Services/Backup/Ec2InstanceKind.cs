using System.Text.Json;
using CloudPatterns.LocalCloud.Services.Ec2;
using CloudPatterns.LocalCloud.Services.Fleet;
using CloudPatterns.LocalCloud.Services.Resources;

namespace CloudPatterns.LocalCloud.Services.Backup;

/// <summary>
/// EC2 instances as AWS Backup protects them (docs/localcloud-backup-kinds.md, "EC2"): a backup registers an image
/// (AMI) of the instance with an EBS snapshot per device, which DescribeImages shows; a restore launches a new
/// instance from that image with the restore metadata's InstanceType, SubnetId and SecurityGroupIds; it boots on the
/// fleet's clock (pending, running, status checks). The source instance is never touched.
/// </summary>
internal sealed class Ec2InstanceKind(FleetStore fleet, Ec2Images images, IVpcDirectory vpcs, Func<string, string, string, bool> securityGroupExists) : IStoreBackedKind
{
    /// <summary>The image the backup made; kept with the recovery point's resource record, not restore metadata.</summary>
    private const string ImageAttribute = "localcloud:imageId";
    private const string ZoneAttribute = "localcloud:availabilityZone";
    private const string TypeKey = "InstanceType";
    private const string SubnetKey = "SubnetId";
    private const string GroupsKey = "SecurityGroupIds";

    public ResourceKind Kind => ResourceKind.Ec2Instance;

    public IReadOnlyList<CloudResource> Selectable(string accountId, string region) => fleet.Use(_ =>
        fleet.Instances(accountId, region).Where(instance => instance.Active)
            .Select(instance => new CloudResource(Kind, accountId, region, instance.Id, instance.LaunchTime, UserTags(instance), new Dictionary<string, string>(StringComparer.Ordinal)))
            .ToList());

    public CloudResource? Capture(string resourceArn, string accountId, string region, DateTimeOffset now)
    {
        if (resourceArn.Split(':') is not ["arn", "aws", "ec2", var arnRegion, var account, var resource] || account != accountId || arnRegion != region || !resource.StartsWith("instance/", StringComparison.Ordinal))
        {
            return null;
        }

        var id = resource["instance/".Length..];
        var instance = fleet.Use(_ => fleet.Instance(id) is { Active: true } found && found.AccountId == accountId && found.Region == region
            ? (found.Placement, found.InstanceType, found.SecurityGroupIds, found.LaunchTime, Tags: UserTags(found))
            : default);
        if (instance.Placement is null)
        {
            return null;
        }

        // (inferred) name, description and tag: AWS Backup's AMIs are named AwsBackup_<instance id>_<suffix>.
        var image = images.Register(accountId, region, $"AwsBackup_{id}_{Guid.NewGuid():N}", "This image is created by the AWS Backup service.",
            [("/dev/xvda", 8, "gp3")], new Dictionary<string, string>(StringComparer.Ordinal) { ["aws:backup:source-resource"] = id }, now);
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ImageAttribute] = image.Id,
            [ZoneAttribute] = instance.Placement.AvailabilityZone,
            [TypeKey] = instance.InstanceType,
            [GroupsKey] = JsonSerializer.Serialize(instance.SecurityGroupIds),
        };
        if (instance.Placement.SubnetId is { } subnet)
        {
            attributes[SubnetKey] = subnet;
        }

        return new CloudResource(Kind, accountId, region, id, instance.LaunchTime, instance.Tags, attributes);
    }

    public IReadOnlyDictionary<string, string> RestoreMetadata(CloudResource captured) =>
        captured.Attributes.Where(attribute => !attribute.Key.StartsWith("localcloud:", StringComparison.Ordinal)).ToDictionary(StringComparer.Ordinal);

    public void CheckRestore(CloudResource captured, IReadOnlyDictionary<string, string> metadata)
    {
        if (metadata.TryGetValue(GroupsKey, out var groups) && SecurityGroups(groups) is null)
        {
            // (inferred) text.
            throw BackupErrors.InvalidParameterValue($"Restore metadata SecurityGroupIds must be a JSON array of security group ids, such as [\"sg-0123456789abcdef0\"], not {groups}.");
        }

        if (metadata.TryGetValue(TypeKey, out var type) && string.IsNullOrWhiteSpace(type))
        {
            throw BackupErrors.InvalidParameterValue("Restore metadata InstanceType must name an instance type, such as t3.micro.");
        }
    }

    public (string? CreatedArn, string? Failure) Restore(CloudResource captured, string accountId, string region, IReadOnlyDictionary<string, string> metadata, bool copySourceTags, DateTimeOffset time)
    {
        var imageId = captured.Attributes[ImageAttribute];
        if (images.Find(captured.AccountId, captured.Region, imageId) is null)
        {
            // (inferred) text: the backup's image was deregistered.
            return (null, $"Restore failed: InvalidAMIID.NotFound: The image id '[{imageId}]' does not exist");
        }

        var attributes = captured.Attributes;
        var subnet = metadata.GetValueOrDefault(SubnetKey) ?? (accountId == captured.AccountId && region == captured.Region ? attributes.GetValueOrDefault(SubnetKey) : null);
        string zone;
        if (subnet is null)
        {
            zone = accountId == captured.AccountId && region == captured.Region ? attributes[ZoneAttribute] : region + "a";
        }
        else if (vpcs.Subnet(accountId, region, subnet) is { } found)
        {
            zone = found.AvailabilityZone;
        }
        else
        {
            return (null, $"Restore failed: InvalidSubnetID.NotFound: The subnet ID '{subnet}' does not exist");
        }

        var groups = SecurityGroups(metadata.GetValueOrDefault(GroupsKey) ?? attributes[GroupsKey]) ?? [];
        if (groups.FirstOrDefault(group => !securityGroupExists(accountId, region, group)) is { } missing)
        {
            return (null, $"Restore failed: InvalidGroup.NotFound: The security group '{missing}' does not exist");
        }

        var instance = fleet.Launch(accountId, region, imageId, metadata.GetValueOrDefault(TypeKey) ?? attributes[TypeKey], new Placement(subnet, zone), groups,
            copySourceTags ? captured.Tags : new Dictionary<string, string>(), time);
        return (Kind.Arn(region, accountId, instance.Id), null);
    }

    public void DeleteRestored(string accountId, string createdArn)
    {
        var parts = createdArn.Split(':');
        fleet.TerminateInstances(accountId, parts[3], [parts[5]["instance/".Length..]]);
    }

    /// <summary>The instance's tags without the aws: ones AWS adds (which a selection cannot name and a restore does not copy).</summary>
    private static Dictionary<string, string> UserTags(FleetInstance instance) =>
        instance.Tags.Where(tag => !tag.Key.StartsWith("aws:", StringComparison.Ordinal)).ToDictionary(StringComparer.Ordinal);

    private static List<string>? SecurityGroups(string text)
    {
        try
        {
            return JsonSerializer.Deserialize<List<string>>(text) is { } groups && groups.All(group => !string.IsNullOrWhiteSpace(group)) ? groups : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
