using System.Text.Json;
using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.CloudFormation;

namespace CloudPatterns.LocalCloud.Services.Kms;

/// <summary>AWS::KMS::Key in LocalCloud's KMS (KeySpec and KeyUsage make asymmetric keys): Ref is the key id; GetAtt Arn
/// and KeyId.</summary>
internal sealed class KmsKeyProvisioner(KmsStore store, TimeProvider clock) : ServiceProvisioner(clock)
{
    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties)
    {
        var key = store.CreateKey(request.Stack.AccountId, request.Stack.Region, properties.GetStringOrNull("Description") ?? "", PolicyDocument(properties, "KeyPolicy"), TagList(properties), Now,
            properties.GetStringOrNull("KeySpec"), properties.GetStringOrNull("KeyUsage"));
        if (Flag(properties, "Enabled") == false)
        {
            store.SetEnabled(key, false);
        }

        ApplyRotation(key, properties);
        return Provisioned(key.KeyId, ("Arn", key.Arn), ("KeyId", key.KeyId));
    }

    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current)
    {
        var key = Key(request, current);
        if (PolicyDocument(properties, "KeyPolicy") is { } policy)
        {
            store.PutPolicy(key, policy);
        }

        ApplyRotation(key, properties);
        return current;
    }

    protected override void Delete(ResourceRequest request, ProvisionedResource current) => store.DeleteKey(Key(request, current));

    protected override bool Exists(ResourceRequest request, ProvisionedResource current)
    {
        try
        {
            Key(request, current);
            return true;
        }
        catch (AwsServiceException)
        {
            return false;
        }
    }

    private void ApplyRotation(KmsKey key, JsonElement properties)
    {
        if (Flag(properties, "EnableKeyRotation") == true)
        {
            store.EnableRotation(key, (int)(Number(properties, "RotationPeriodInDays") ?? 365), Now);
        }
    }

    private KmsKey Key(ResourceRequest request, ProvisionedResource current) => store.Find(request.Stack.AccountId, request.Stack.Region, current.PhysicalId);
}

/// <summary>AWS::KMS::Alias in LocalCloud's KMS: Ref is the alias name.</summary>
internal sealed class KmsAliasProvisioner(KmsStore store, TimeProvider clock) : ServiceProvisioner(clock)
{
    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties)
    {
        var name = properties.GetStringOrNull("AliasName") ?? "";
        var target = store.Find(request.Stack.AccountId, request.Stack.Region, properties.GetStringOrNull("TargetKeyId") ?? "");
        store.CreateAlias(request.Stack.AccountId, request.Stack.Region, name, target, Now);
        return Provisioned(name);
    }

    /// <summary>A new target: the alias is made again pointing at it.</summary>
    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current)
    {
        Delete(request, current);
        return Create(request, properties);
    }

    protected override void Delete(ResourceRequest request, ProvisionedResource current) =>
        store.DeleteAlias(request.Stack.AccountId, request.Stack.Region, current.PhysicalId);

    protected override bool Exists(ResourceRequest request, ProvisionedResource current) =>
        store.ListAliases(request.Stack.AccountId, request.Stack.Region, target: null).Any(alias => alias.AliasName == current.PhysicalId);
}
