using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation.Specification;
using CloudPatterns.LocalCloud.CloudFormation.Templates;

namespace CloudPatterns.LocalCloud.CloudFormation.Provisioning;

/// <summary>What a provisioner is asked to create, update, delete or read: one resource with resolved properties.</summary>
/// <param name="Properties">The resource's properties with every intrinsic function resolved (validated against the spec).</param>
public sealed record ResourceRequest(StackIdentity Stack, string LogicalId, string ResourceType, JsonObject Properties, ResourceTypeSpec Spec);

/// <summary>A resource as it exists: the id its Ref returns and the values of its GetAtt attributes.</summary>
/// <param name="NoEcho">Whether its attributes are shown as **** where GetAtt carries them (a custom resource whose provider
/// answered with NoEcho, docs/localcloud-cloudformation-custom-resources.md).</param>
public sealed record ProvisionedResource(string PhysicalId, IReadOnlyDictionary<string, JsonNode> Attributes, bool NoEcho = false);

/// <summary>
/// Creates, updates and deletes resources of some types in LocalCloud's services. A service registers one with
/// <see cref="ProvisionerRegistry.Register"/>; every type nobody registers goes to <see cref="GenericResourceProvisioner"/>.
/// Refuse by throwing <see cref="ResourceFailedException"/> with the service's message; it becomes the
/// resource's CREATE_FAILED/UPDATE_FAILED/DELETE_FAILED reason and the stack rolls back.
/// </summary>
public interface IResourceProvisioner
{
    /// <summary>Creates the resource. Attributes left out are filled with generated values of the spec's attributes.</summary>
    Task<ProvisionedResource> CreateAsync(ResourceRequest request, CancellationToken cancellationToken);

    /// <summary>Applies changed properties in place (never called for changes that need replacement).</summary>
    Task<ProvisionedResource> UpdateAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken);

    Task DeleteAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken);

    /// <summary>The resource's actual properties for drift detection, or null when it no longer exists.</summary>
    Task<JsonObject?> ReadActualAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken);
}

/// <summary>Which provisioner handles which resource type.</summary>
public sealed class ProvisionerRegistry
{
    private readonly ConcurrentDictionary<string, IResourceProvisioner> _byType = new(StringComparer.Ordinal);

    public ProvisionerRegistry(GenericResourceProvisioner generic) => Generic = generic;

    public GenericResourceProvisioner Generic { get; }

    /// <summary>Routes a resource type (e.g. AWS::S3::Bucket) to a service's provisioner, replacing any earlier one.</summary>
    public void Register(string resourceType, IResourceProvisioner provisioner) => _byType[resourceType] = provisioner;

    /// <summary>The provisioner of a type; every Custom::* type goes where AWS::CloudFormation::CustomResource goes.</summary>
    public IResourceProvisioner For(string resourceType) =>
        _byType.TryGetValue(resourceType.StartsWith("Custom::", StringComparison.Ordinal) ? "AWS::CloudFormation::CustomResource" : resourceType, out var provisioner)
            ? provisioner
            : Generic;
}
