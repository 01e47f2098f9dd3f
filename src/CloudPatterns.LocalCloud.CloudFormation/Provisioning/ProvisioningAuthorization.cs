using System.Text.Json.Nodes;

namespace CloudPatterns.LocalCloud.CloudFormation.Provisioning;

/// <summary>Which handler of a resource runs: each needs its own permissions.</summary>
public enum ProvisioningStep
{
    Create,
    Update,
    Delete,
}

/// <summary>
/// Whom CloudFormation acts as when it calls services for a stack's resources: the stack's service role when it has
/// one (RoleARN), else the caller of the stack operation (a forward access session). Both null: LocalCloud itself
/// (service-managed StackSets, whose execution role AWS creates with AdministratorAccess).
/// </summary>
/// <param name="Caller">The caller's identity, opaque to the engine (LocalCloud's CallerIdentity).</param>
public sealed record StackPrincipal(object? Caller, string? RoleArn)
{
    public static StackPrincipal None { get; } = new(null, null);
}

/// <summary>
/// Decides whether a stack's principal may make the calls one provisioning step of a resource makes
/// (docs/localcloud-authorization.md, "CloudFormation provisioning"); refuses with <see cref="ResourceFailedException"/>
/// in CloudFormation's wording, which fails the resource and rolls the stack back.
/// </summary>
public interface IProvisioningAuthorizer
{
    void Authorize(StackPrincipal principal, ResourceRequest request, ProvisioningStep step, ProvisionedResource? current);
}

/// <summary>A provisioner whose every create, update and delete is first authorized for the stack's principal.</summary>
internal sealed class AuthorizedProvisioner(IResourceProvisioner inner, IProvisioningAuthorizer authorizer, StackPrincipal principal) : IResourceProvisioner
{
    public Task<ProvisionedResource> CreateAsync(ResourceRequest request, CancellationToken cancellationToken)
    {
        authorizer.Authorize(principal, request, ProvisioningStep.Create, null);
        return inner.CreateAsync(request, cancellationToken);
    }

    public Task<ProvisionedResource> UpdateAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        authorizer.Authorize(principal, request, ProvisioningStep.Update, current);
        return inner.UpdateAsync(request, current, cancellationToken);
    }

    public Task DeleteAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        authorizer.Authorize(principal, request, ProvisioningStep.Delete, current);
        return inner.DeleteAsync(request, current, cancellationToken);
    }

    public Task<JsonObject?> ReadActualAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken) =>
        inner.ReadActualAsync(request, current, cancellationToken);
}
