using System.Globalization;
using System.Text.Json;
using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.CloudFormation;

namespace CloudPatterns.LocalCloud.Services.Ram;

/// <summary>
/// AWS::RAM::ResourceShare through <see cref="RamStore"/>'s checks (organization sharing, external principals, owned
/// resources): Ref and GetAtt Arn are the share's ARN. An update adds the resources and principals the template gained
/// and removes those it lost.
/// </summary>
internal sealed class RamResourceShareProvisioner(RamStore store, TimeProvider clock) : ServiceProvisioner(clock)
{
    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties)
    {
        var share = store.Create(request.Stack.AccountId, request.Stack.Region, NameOrGenerated(request, properties, "Name"),
            Flag(properties, "AllowExternalPrincipals") ?? true, properties.GetStringsOrEmpty("ResourceArns"), properties.GetStringsOrEmpty("Principals"), TagList(properties));
        return Attributes(share);
    }

    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current)
    {
        var (account, region) = (request.Stack.AccountId, request.Stack.Region);
        var share = store.Owned(account, region, current.PhysicalId);
        var resources = properties.GetStringsOrEmpty("ResourceArns");
        var principals = properties.GetStringsOrEmpty("Principals");
        store.Disassociate(account, region, share.Arn, share.Resources.Keys.Except(resources).ToList(), share.Principals.Keys.Except(principals).ToList());
        store.Associate(account, region, share.Arn, resources.Except(share.Resources.Keys).ToList(), principals.Except(share.Principals.Keys).ToList());
        return Attributes(share);
    }

    protected override void Delete(ResourceRequest request, ProvisionedResource current)
    {
        if (Exists(request, current))
        {
            store.Delete(request.Stack.AccountId, request.Stack.Region, current.PhysicalId);
        }
    }

    protected override bool Exists(ResourceRequest request, ProvisionedResource current)
    {
        try
        {
            store.Owned(request.Stack.AccountId, request.Stack.Region, current.PhysicalId);
            return true;
        }
        catch (AwsServiceException)
        {
            return false;
        }
    }

    private static ProvisionedResource Attributes(ResourceShare share) => Provisioned(
        share.Arn,
        ("Arn", share.Arn),
        ("Status", share.Status),
        ("OwningAccountId", share.OwnerId),
        ("FeatureSet", "STANDARD"),
        ("CreationTime", share.CreationTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)),
        ("LastUpdatedTime", share.LastUpdatedTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)));
}
