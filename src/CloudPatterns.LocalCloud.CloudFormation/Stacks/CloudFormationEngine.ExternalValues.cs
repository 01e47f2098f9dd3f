using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.CloudFormation.Templates;

namespace CloudPatterns.LocalCloud.CloudFormation.Stacks;

/// <summary>Values CloudFormation reads from other services: Parameter Store and Secrets Manager.</summary>
public sealed partial class CloudFormationEngine
{
    /// <summary>Parameter Store for SSM parameter types and dynamic references; none means every lookup fails.</summary>
    public IParameterStore? ParameterStore { get; set; }

    /// <summary>Secrets Manager for secretsmanager dynamic references; none means every lookup fails.</summary>
    public ISecretStore? SecretStore { get; set; }

    private Func<string, ParameterStoreValue?> ParameterLookup(StackIdentity stack) =>
        reference => ParameterStore?.Find(stack.AccountId, stack.Region, reference);

    /// <summary>
    /// The request a provisioner gets: dynamic references replaced by their values, read now (at create or update,
    /// as CloudFormation does). Recorded-only resources keep secure references literal, since their properties are
    /// what the API shows.
    /// </summary>
    private ResourceRequest WithDynamicValues(ResourceRequest request)
    {
        if (!DynamicReferences.HasReferences(request.Properties))
        {
            return request;
        }
        var stack = request.Stack;
        var properties = DynamicReferences.Substitute(
            request.Properties,
            secureToo: Provisioners.For(request.ResourceType) != Provisioners.Generic,
            ParameterLookup(stack),
            (secretId, stage, versionId) => SecretStore?.SecretString(stack.AccountId, stack.Region, secretId, stage, versionId));
        return request with { Properties = properties };
    }
}
