using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation;
using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.CloudFormation;

/// <summary>
/// Base of the provisioners that create CloudFormation resources in LocalCloud's own services: a service's refusal
/// (<see cref="AwsServiceException"/>) fails the resource with the service's message, as CloudFormation reports it.
/// Drift detection sees a resource as the template made it while it exists, and as deleted once it is gone, unless
/// the provisioner reads the actual properties from its service (<see cref="ReadActual"/>).
/// </summary>
internal abstract class ServiceProvisioner(TimeProvider clock) : IResourceProvisioner
{
    protected DateTimeOffset Now => clock.GetUtcNow();

    public Task<ProvisionedResource> CreateAsync(ResourceRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(AsResourceFailure(() => Create(request, Properties(request))));

    public Task<ProvisionedResource> UpdateAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken) =>
        Task.FromResult(AsResourceFailure(() => Update(request, Properties(request), current)));

    public Task DeleteAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken) =>
        Task.FromResult(AsResourceFailure(() =>
        {
            Delete(request, current);
            return current;
        }));

    public Task<JsonObject?> ReadActualAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken) =>
        Task.FromResult(ReadActual(request, current));

    protected abstract ProvisionedResource Create(ResourceRequest request, JsonElement properties);

    /// <summary>Applies in-place changes (the engine replaces the resource for the others).</summary>
    protected abstract ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current);

    protected abstract void Delete(ResourceRequest request, ProvisionedResource current);

    protected abstract bool Exists(ResourceRequest request, ProvisionedResource current);

    /// <summary>The resource's properties as its service has them, for drift detection; null once it is gone.</summary>
    protected virtual JsonObject? ReadActual(ResourceRequest request, ProvisionedResource current) =>
        Exists(request, current) ? (JsonObject)request.Properties.DeepClone() : null;

    protected static ProvisionedResource Provisioned(string physicalId, params (string Name, string Value)[] attributes) =>
        new(physicalId, attributes.ToDictionary(attribute => attribute.Name, attribute => (JsonNode)attribute.Value, StringComparer.Ordinal));

    /// <summary>A policy property: CloudFormation takes a JSON object or a string holding one.</summary>
    protected static string? PolicyDocument(JsonElement properties, string name) =>
        properties.TryGetProperty(name, out var policy) ? policy.ValueKind == JsonValueKind.String ? policy.GetString() : policy.GetRawText() : null;

    private static JsonElement Properties(ResourceRequest request) => JsonSerializer.SerializeToElement(request.Properties);

    private static T AsResourceFailure<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (AwsServiceException error)
        {
            throw new ResourceFailedException(error.Message);
        }
    }
}
