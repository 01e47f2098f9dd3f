using System.Collections.Concurrent;

namespace CloudPatterns.LocalCloud.Services.Resources;

/// <summary>
/// The restorable resources of every account and region, by ARN: what the seed, CloudFormation and Backup restores
/// create, what RDS/EC2/DynamoDB describe and delete, and what backup selections pick by ARN or tag. Thread-safe.
/// </summary>
internal sealed class CloudResourceStore
{
    private readonly ConcurrentDictionary<string, CloudResource> resources = new(StringComparer.Ordinal);

    /// <summary>Adds a resource; false when one with the same ARN exists.</summary>
    public bool TryAdd(CloudResource resource) => resources.TryAdd(resource.Arn, resource);

    /// <summary>Puts a changed record in place of the one with its ARN (CloudFormation's in-place updates).</summary>
    public void Replace(CloudResource resource) => resources[resource.Arn] = resource;

    public CloudResource? Find(string arn) => resources.GetValueOrDefault(arn);

    public CloudResource? Find(ResourceKind kind, string accountId, string region, string name) => Find(kind.Arn(region, accountId, name));

    /// <summary>The resources of one kind in an account and region, oldest first.</summary>
    public IReadOnlyList<CloudResource> List(ResourceKind kind, string accountId, string region) =>
        resources.Values
            .Where(resource => resource.Kind == kind && resource.AccountId == accountId && resource.Region == region)
            .OrderBy(resource => resource.CreationTime)
            .ThenBy(resource => resource.Name, StringComparer.Ordinal)
            .ToList();

    /// <summary>Every resource in an account and region, whatever its kind.</summary>
    public IReadOnlyList<CloudResource> List(string accountId, string region) =>
        ResourceKind.All.SelectMany(kind => List(kind, accountId, region)).ToList();

    public CloudResource? Remove(string arn) => resources.TryRemove(arn, out var removed) ? removed : null;

    /// <summary>Every resource, for the state file.</summary>
    public IReadOnlyList<CloudResourceSnapshot> Snapshot() => [.. resources.Values.Select(CloudResourceSnapshot.Of)];

    /// <summary>Replaces the resources (the seed's included) with those of a state file.</summary>
    public void Restore(IReadOnlyList<CloudResourceSnapshot> snapshot)
    {
        resources.Clear();
        foreach (var saved in snapshot)
        {
            TryAdd(saved.ToResource());
        }
    }
}

/// <summary>A <see cref="CloudResource"/> as the state file keeps it.</summary>
internal sealed record CloudResourceSnapshot(
    string Type,
    string AccountId,
    string Region,
    string Name,
    DateTimeOffset CreationTime,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyDictionary<string, string> Attributes)
{
    public static CloudResourceSnapshot Of(CloudResource resource) =>
        new(resource.Kind.BackupResourceType, resource.AccountId, resource.Region, resource.Name, resource.CreationTime, resource.Tags, resource.Attributes);

    public CloudResource ToResource() => new(
        ResourceKind.FromBackupResourceType(Type) ?? throw new InvalidDataException($"Unknown resource type '{Type}' in the state file."),
        AccountId,
        Region,
        Name,
        CreationTime,
        Tags,
        Attributes);
}
