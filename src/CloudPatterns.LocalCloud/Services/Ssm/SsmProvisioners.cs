using System.Text.Json;
using CloudPatterns.LocalCloud.CloudFormation;
using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.CloudFormation;

namespace CloudPatterns.LocalCloud.Services.Ssm;

/// <summary>
/// AWS::SSM::Parameter in LocalCloud's Parameter Store: Ref is the name, GetAtt Type and Value. CloudFormation
/// creates String and StringList parameters only (the resource schema's Type enum), and names unnamed ones
/// CFN-&lt;logical id&gt;-&lt;suffix&gt;.
/// </summary>
internal sealed class SsmParameterProvisioner(SsmStore store, TimeProvider clock) : ServiceProvisioner(clock)
{
    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties)
    {
        var name = properties.GetStringOrNull("Name") ?? $"CFN-{request.LogicalId}-{ResourceIdentities.GeneratedName(request).Split('-')[^1]}";
        if (store.Latest(request.Stack.AccountId, request.Stack.Region, name) is not null)
        {
            throw AlreadyExists(request, name);
        }

        return Put(request, properties, name, overwrite: false);
    }

    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current) =>
        Put(request, properties, current.PhysicalId, overwrite: true);

    protected override void Delete(ResourceRequest request, ProvisionedResource current) =>
        store.Delete(request.Stack.AccountId, request.Stack.Region, current.PhysicalId);

    protected override bool Exists(ResourceRequest request, ProvisionedResource current) =>
        store.Latest(request.Stack.AccountId, request.Stack.Region, current.PhysicalId) is not null;

    private ProvisionedResource Put(ResourceRequest request, JsonElement properties, string name, bool overwrite)
    {
        var type = properties.GetStringOrNull("Type") ?? "";
        if (type is not ("String" or "StringList"))
        {
            throw new ResourceFailedException($"Properties validation failed for resource {request.LogicalId} with message: #/Type: {type} is not a valid enum value");
        }

        var value = properties.GetStringOrNull("Value") ?? "";
        var tier = properties.GetStringOrNull("Tier") is "Advanced" ? "Advanced" : "Standard";
        var dataType = properties.GetStringOrNull("DataType") ?? "text";
        var allowedPattern = properties.GetStringOrNull("AllowedPattern");
        SsmRules.CheckNameToWrite(name);
        SsmRules.CheckValue(name, value, type, tier, dataType, allowedPattern);
        var tags = properties.GetObjectOrNull("Tags") is { } map
            ? map.EnumerateObject().ToDictionary(tag => tag.Name, tag => tag.Value.GetString() ?? "", StringComparer.Ordinal)
            : [];
        var version = new SsmParameterVersion(
            name, type, value, 0, Now, $"arn:aws:iam::{request.Stack.AccountId}:root", properties.GetStringOrNull("Description"), null, allowedPattern, tier, dataType);
        store.Put(request.Stack.AccountId, request.Stack.Region, version, overwrite, overwrite ? new Dictionary<string, string>() : tags);
        return Provisioned(name, ("Type", type), ("Value", value));
    }

    /// <summary>Parameter Store's own refusals keep their text.</summary>
    protected override string FailureMessage(AwsServiceException error) => $"{error.Message} (Service: Ssm, Status Code: {error.StatusCode}, Error Code: {error.Code})";
}
