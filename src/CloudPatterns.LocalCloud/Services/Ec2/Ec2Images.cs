using System.Security.Cryptography;

namespace CloudPatterns.LocalCloud.Services.Ec2;

/// <summary>One EBS snapshot of an image's block device mapping.</summary>
internal sealed record ImageDevice(string DeviceName, string SnapshotId, int VolumeSize, string VolumeType);

/// <summary>An Amazon Machine Image of one account and region (docs/localcloud-backup-kinds.md, "EC2").</summary>
internal sealed record MachineImage(
    string Id,
    string AccountId,
    string Region,
    string Name,
    string Description,
    DateTimeOffset CreationDate,
    IReadOnlyList<ImageDevice> Devices,
    IReadOnlyDictionary<string, string> Tags)
{
    /// <summary>Image ARNs have no account: arn:aws:ec2:REGION::image/ami-….</summary>
    public string Arn => $"arn:aws:ec2:{Region}::image/{Id}";
}

/// <summary>
/// The images LocalCloud holds: those AWS Backup creates when it backs up an EC2 instance. DescribeImages and
/// DeregisterImage read and remove them. Thread-safe.
/// </summary>
internal sealed class Ec2Images
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, MachineImage> images = new(StringComparer.Ordinal);

    public MachineImage Register(string accountId, string region, string name, string description, IReadOnlyList<(string DeviceName, int VolumeSize, string VolumeType)> devices, IReadOnlyDictionary<string, string> tags, DateTimeOffset now)
    {
        var image = new MachineImage(
            NewId("ami-"), accountId, region, name, description, now,
            [.. devices.Select(device => new ImageDevice(device.DeviceName, NewId("snap-"), device.VolumeSize, device.VolumeType))], tags);
        lock (gate)
        {
            images.Add(image.Id, image);
        }

        return image;
    }

    public MachineImage? Find(string accountId, string region, string imageId)
    {
        lock (gate)
        {
            return images.GetValueOrDefault(imageId) is { } image && image.AccountId == accountId && image.Region == region ? image : null;
        }
    }

    /// <summary>The account's images in a region, oldest first.</summary>
    public IReadOnlyList<MachineImage> List(string accountId, string region)
    {
        lock (gate)
        {
            return [.. images.Values.Where(image => image.AccountId == accountId && image.Region == region).OrderBy(image => image.CreationDate).ThenBy(image => image.Id, StringComparer.Ordinal)];
        }
    }

    public bool Deregister(string accountId, string region, string imageId)
    {
        lock (gate)
        {
            return images.GetValueOrDefault(imageId) is { } image && image.AccountId == accountId && image.Region == region && images.Remove(imageId);
        }
    }

    private static string NewId(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(9))[..17];
}
