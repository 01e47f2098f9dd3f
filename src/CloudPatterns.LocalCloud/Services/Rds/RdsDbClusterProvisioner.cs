using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.CloudFormation;
using CloudPatterns.LocalCloud.Services.Resources;

namespace CloudPatterns.LocalCloud.Services.Rds;

/// <summary>
/// AWS::RDS::DBCluster (docs/localcloud-rds.md): the engine and credential checks of CreateDBCluster; DBClusterIdentifier or a generated lower-case one; GetAtt
/// DBClusterArn, DBClusterResourceId, Endpoint.Address/Port, ReadEndpoint.Address. Deleting it is refused while it
/// has instances or deletion protection. The writer and the resource id survive updates.
/// </summary>
internal sealed class RdsDbClusterProvisioner(CloudResourceStore store, TimeProvider clock) : CloudResourceProvisioner(store, ResourceKind.AuroraCluster, clock)
{
    private readonly CloudResourceStore store = store;

    protected override string Name(ResourceRequest request, JsonElement properties) =>
        (properties.GetStringOrNull("DBClusterIdentifier") ?? ResourceIdentities.GeneratedName(request)).ToLowerInvariant();

    /// <summary>The new cluster's attributes, after CreateDBCluster's engine and credential checks (<see cref="RdsService.CheckNewCluster"/>).</summary>
    protected override Dictionary<string, string> StoreAttributes(ResourceRequest request, JsonElement properties)
    {
        var engine = properties.GetStringOrNull("Engine") ?? "aurora-mysql";
        RdsService.CheckNewCluster(engine, name => Setting(properties, name));
        var attributes = RdsService.NewClusterAttributes(engine, name => Setting(properties, name));
        if (properties.TryGetProperty("VpcSecurityGroupIds", out var groups) && groups.ValueKind == JsonValueKind.Array)
        {
            attributes[RdsService.SecurityGroupsAttribute] = groups.GetRawText();
        }

        return attributes;
    }

    protected override Dictionary<string, string> Updated(CloudResource existing, JsonElement properties, Dictionary<string, string> attributes)
    {
        foreach (var owned in new[] { "DbClusterResourceId", AuroraClusters.WriterAttribute })
        {
            if (existing.Attributes.GetValueOrDefault(owned) is { } value)
            {
                attributes[owned] = value;
            }
        }

        return attributes;
    }

    protected override Dictionary<string, JsonNode?> TemplateProperties(CloudResource resource) =>
        RdsService.ClusterSettings.Where(name => name != "KmsKeyId").ToDictionary(name => name, name => Text(resource, name), StringComparer.Ordinal);

    protected override ProvisionedResource Identity(ResourceRequest request, CloudResource resource) => Provisioned(
        resource.Name,
        ("DBClusterArn", resource.Arn),
        ("DBClusterResourceId", resource.Attributes.GetValueOrDefault("DbClusterResourceId") ?? ""),
        ("Endpoint.Address", RdsEndpoint.ClusterHost(resource)),
        ("Endpoint.Port", resource.Attributes.GetValueOrDefault("Port") ?? RdsEndpoint.Port(resource.Attributes.GetValueOrDefault("Engine") ?? "aurora-mysql")),
        ("ReadEndpoint.Address", RdsEndpoint.ReaderHost(resource)));

    protected override void EnsureDeletable(CloudResource resource) => RdsService.EnsureClusterDeletable(store, resource);

    /// <summary>The registry handler's failure text, as for AWS::RDS::DBInstance.</summary>
    protected override string FailureMessage(AwsServiceException error) => RdsService.HandlerFailure(error);

    protected override AwsServiceException NotFound(string name) => AuroraClusters.NotFound(name);

    private static string? Setting(JsonElement properties, string name) =>
        properties.TryGetProperty(name, out var value)
            ? value.ValueKind switch { JsonValueKind.String => value.GetString(), JsonValueKind.True => "true", JsonValueKind.False => "false", _ => value.GetRawText() }
            : null;
}
