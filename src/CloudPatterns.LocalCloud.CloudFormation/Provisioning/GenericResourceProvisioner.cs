using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace CloudPatterns.LocalCloud.CloudFormation.Provisioning;

/// <summary>
/// Records resources of every type no LocalCloud service provisions: a realistic physical id and GetAtt attributes
/// (<see cref="ResourceIdentities"/>), and the properties as the "actual" state that drift detection reads.
/// <see cref="ChangeActualProperties"/> and <see cref="DeleteActual"/> make out-of-band changes for drift.
/// </summary>
public sealed class GenericResourceProvisioner : IResourceProvisioner
{
    private readonly ConcurrentDictionary<(string Account, string Region, string ResourceType, string PhysicalId), JsonObject> _actual = new();

    public Task<ProvisionedResource> CreateAsync(ResourceRequest request, CancellationToken cancellationToken)
    {
        var provisioned = ResourceIdentities.Generate(request, subnetId => SubnetZone(request, subnetId));
        _actual[Key(request, provisioned)] = (JsonObject)request.Properties.DeepClone();
        return Task.FromResult(provisioned);
    }

    public Task<ProvisionedResource> UpdateAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        _actual[Key(request, current)] = (JsonObject)request.Properties.DeepClone();
        return Task.FromResult(current with { Attributes = ResourceIdentities.Attributes(request, current.PhysicalId, subnetId => SubnetZone(request, subnetId)) });
    }

    /// <summary>A recorded subnet's zone (the region's "a" zone when its template named none), or null for an unknown subnet.</summary>
    private string? SubnetZone(ResourceRequest request, string subnetId) =>
        _actual.TryGetValue((request.Stack.AccountId, request.Stack.Region, "AWS::EC2::Subnet", subnetId), out var subnet)
            ? Templates.TemplateEvaluator.AsString(subnet["AvailabilityZone"]) ?? request.Stack.Region + "a"
            : null;

    public Task DeleteAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        _actual.TryRemove(Key(request, current), out _);
        return Task.CompletedTask;
    }

    public Task<JsonObject?> ReadActualAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken) =>
        Task.FromResult(_actual.TryGetValue(Key(request, current), out var actual) ? (JsonObject?)actual.DeepClone() : null);

    /// <summary>
    /// The recorded properties of the resources of one type in an account and region, by physical id: what services
    /// built on generic resources read (a subnet's zone, a launch template's image).
    /// </summary>
    public IReadOnlyDictionary<string, JsonObject> Recorded(string accountId, string region, string resourceType) =>
        _actual.Where(entry => entry.Key.Account == accountId && entry.Key.Region == region && entry.Key.ResourceType == resourceType)
            .ToDictionary(entry => entry.Key.PhysicalId, entry => (JsonObject)entry.Value.DeepClone(), StringComparer.Ordinal);

    /// <summary>An out-of-band change: sets (or with a null value removes) top-level properties of a recorded resource.</summary>
    public bool ChangeActualProperties(string accountId, string region, string resourceType, string physicalId, JsonObject changes)
    {
        if (!_actual.TryGetValue((accountId, region, resourceType, physicalId), out var actual))
        {
            return false;
        }
        lock (actual)
        {
            foreach (var (name, value) in changes)
            {
                if (value is null)
                {
                    actual.Remove(name);
                }
                else
                {
                    actual[name] = value.DeepClone();
                }
            }
        }
        return true;
    }

    /// <summary>An out-of-band deletion of a recorded resource.</summary>
    public bool DeleteActual(string accountId, string region, string resourceType, string physicalId) =>
        _actual.TryRemove((accountId, region, resourceType, physicalId), out _);

    internal IReadOnlyList<Stacks.ActualResourceSnapshot> Save() =>
        _actual.Select(entry => new Stacks.ActualResourceSnapshot(entry.Key.Account, entry.Key.Region, entry.Key.ResourceType,
            entry.Key.PhysicalId, (JsonObject)entry.Value.DeepClone())).ToList();

    internal void Restore(IEnumerable<Stacks.ActualResourceSnapshot> resources)
    {
        foreach (var resource in resources)
        {
            _actual[(resource.AccountId, resource.Region, resource.ResourceType, resource.PhysicalId)] = (JsonObject)resource.Properties.DeepClone();
        }
    }

    // Physical ids are unique per type only: a bucket policy's id is its bucket's name.
    private static (string, string, string, string) Key(ResourceRequest request, ProvisionedResource resource) =>
        (request.Stack.AccountId, request.Stack.Region, request.ResourceType, resource.PhysicalId);
}
