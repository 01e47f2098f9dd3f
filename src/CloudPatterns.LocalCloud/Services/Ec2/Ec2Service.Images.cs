using System.Xml.Linq;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Ec2;

/// <summary>Images (those AWS Backup creates) and TerminateInstances (docs/localcloud-backup-kinds.md, "EC2").</summary>
internal sealed partial class Ec2Service
{
    private void AddImageOperations()
    {
        operations["DescribeImages"] = (false, DescribeImages);
        operations["DeregisterImage"] = (true, DeregisterImage);
        operations["TerminateInstances"] = (true, TerminateInstances);
    }

    /// <summary>
    /// The account's images, by ImageId.N (an unknown id fails the call), Owner.N ("self" or the account) and the
    /// image-id, name, state and tag:Key filters. LocalCloud has no public images.
    /// </summary>
    private IEnumerable<XElement> DescribeImages(AwsRequest request, QueryParameters parameters)
    {
        var ids = List(parameters, "ImageId");
        var owners = List(parameters, "Owner");
        var available = images.List(request.AccountId, request.Region);
        if (FirstUnknown(ids, available.Select(image => image.Id)) is { } missing)
        {
            throw new AwsServiceException(400, "InvalidAMIID.NotFound", $"The image id '[{missing}]' does not exist");
        }

        var filters = Filters(parameters);
        var selected = owners.All(owner => owner is "self" || owner == request.AccountId) || owners.Count == 0
            ? available.Where(image => (ids.Count == 0 || ids.Contains(image.Id)) && filters.All(filter => filter.Values.Contains(ImageFilter(image, filter.Name))))
            : [];
        yield return Element("imagesSet", selected.Select(image => Element("item", Image(image))).ToList());
    }

    private IEnumerable<XElement> DeregisterImage(AwsRequest request, QueryParameters parameters)
    {
        var id = parameters.Get("ImageId") ?? throw new AwsServiceException(400, "MissingParameter", "The request must contain the parameter ImageId");
        if (!images.Deregister(request.AccountId, request.Region, id))
        {
            throw new AwsServiceException(400, "InvalidAMIID.NotFound", $"The image id '[{id}]' does not exist");
        }

        yield return Element("return", "true");
    }

    private IEnumerable<XElement> TerminateInstances(AwsRequest request, QueryParameters parameters)
    {
        var ids = List(parameters, "InstanceId");
        if (ids.Count == 0)
        {
            throw new AwsServiceException(400, "MissingParameter", "The request must contain the parameter InstanceId");
        }

        var changes = fleet.TerminateInstances(request.AccountId, request.Region, ids);
        yield return Element("instancesSet", changes.Select(change => Element("item", new[]
        {
            Element("instanceId", change.Instance.Id),
            State(change.Instance, "currentState"),
            Element("previousState", new[] { Element("code", StateCodes[change.PreviousState].ToString(System.Globalization.CultureInfo.InvariantCulture)), Element("name", change.PreviousState) }),
        })).ToList());
    }

    private static string? ImageFilter(MachineImage image, string filter) => filter switch
    {
        "image-id" => image.Id,
        "name" => image.Name,
        "state" => "available",
        _ when filter.StartsWith("tag:", StringComparison.Ordinal) => image.Tags.GetValueOrDefault(filter[4..]),
        _ => throw new AwsServiceException(400, "InvalidParameterValue", $"The filter '{filter}' is invalid"),
    };

    private static IEnumerable<XElement> Image(MachineImage image) =>
    [
        Element("imageId", image.Id),
        Element("imageLocation", $"{image.AccountId}/{image.Name}"),
        Element("imageState", "available"),
        Element("imageOwnerId", image.AccountId),
        Element("creationDate", Time(image.CreationDate)),
        Element("isPublic", "false"),
        Element("architecture", "x86_64"),
        Element("imageType", "machine"),
        Element("name", image.Name),
        Element("description", image.Description),
        Element("rootDeviceType", "ebs"),
        Element("rootDeviceName", image.Devices.FirstOrDefault()?.DeviceName ?? "/dev/xvda"),
        Element("blockDeviceMapping", image.Devices.Select(device => Element("item", new[]
        {
            Element("deviceName", device.DeviceName),
            Element("ebs", new[]
            {
                Element("snapshotId", device.SnapshotId),
                Element("volumeSize", device.VolumeSize.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                Element("deleteOnTermination", "true"),
                Element("volumeType", device.VolumeType),
                Element("encrypted", "false"),
            }),
        })).ToList()),
        Element("virtualizationType", "hvm"),
        Element("hypervisor", "xen"),
        Element("enaSupport", "true"),
        Element("tagSet", image.Tags.Select(tag => Element("item", new[] { Element("key", tag.Key), Element("value", tag.Value) })).ToList()),
    ];
}
