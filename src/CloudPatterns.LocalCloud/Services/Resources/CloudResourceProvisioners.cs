using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.CloudFormation;
using CloudPatterns.LocalCloud.Services.Rds;

namespace CloudPatterns.LocalCloud.Services.Resources;

/// <summary>
/// The CloudFormation types kept in <see cref="CloudResourceStore"/> (what RDS, EC2 and DynamoDB describe and
/// Backup protects): each maps template properties to the store's attributes and back. Ref is the store's name
/// (DB instance identifier, volume id, table name); in-place updates replace the record, keeping its creation time.
/// </summary>
internal abstract class CloudResourceProvisioner(CloudResourceStore store, ResourceKind kind, TimeProvider clock) : ServiceProvisioner(clock)
{
    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties)
    {
        var name = Name(request, properties);
        var resource = new CloudResource(kind, request.Stack.AccountId, request.Stack.Region, name, Now, TagList(properties), StoreAttributes(request, properties));
        if (!store.TryAdd(resource))
        {
            throw AlreadyExists(request, name);
        }

        return Identity(request, resource);
    }

    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current)
    {
        var existing = Find(request, current) ?? throw NotFound(current.PhysicalId);
        var updated = existing with { Tags = TagList(properties), Attributes = Updated(existing, properties, StoreAttributes(request, properties)) };
        store.Replace(updated);
        return Identity(request, updated);
    }

    /// <summary>Deleting what is already gone succeeds, as CloudFormation's delete handlers treat "not found".</summary>
    protected override void Delete(ResourceRequest request, ProvisionedResource current)
    {
        if (Find(request, current) is { } resource)
        {
            EnsureDeletable(resource);
            store.Remove(resource.Arn);
        }
    }

    protected override bool Exists(ResourceRequest request, ProvisionedResource current) => Find(request, current) is not null;

    protected override JsonObject? ReadActual(ResourceRequest request, ProvisionedResource current)
    {
        if (Find(request, current) is not { } resource)
        {
            return null;
        }

        var state = TemplateProperties(resource);
        state["Tags"] = TagListJson(resource.Tags);
        return ActualState(request, state);
    }

    /// <summary>An update's attributes: by default the template's alone; kinds override it to keep what the service owns.</summary>
    protected virtual Dictionary<string, string> Updated(CloudResource existing, JsonElement properties, Dictionary<string, string> attributes) => attributes;

    /// <summary>Throws the service's refusal when the resource may not be deleted (e.g. RDS deletion protection).</summary>
    protected virtual void EnsureDeletable(CloudResource resource)
    {
    }

    protected abstract string Name(ResourceRequest request, JsonElement properties);

    /// <summary>The store's attributes (as the describe calls report them) from the template's properties.</summary>
    protected abstract Dictionary<string, string> StoreAttributes(ResourceRequest request, JsonElement properties);

    /// <summary>The template properties a resource's record shows (for drift).</summary>
    protected abstract Dictionary<string, JsonNode?> TemplateProperties(CloudResource resource);

    protected abstract ProvisionedResource Identity(ResourceRequest request, CloudResource resource);

    protected abstract AwsServiceException NotFound(string name);

    /// <summary>A property as the store keeps it: text, booleans lower case, absent ones left out.</summary>
    protected static void Keep(Dictionary<string, string> attributes, string attribute, JsonElement properties, string property)
    {
        if (properties.TryGetProperty(property, out var value))
        {
            attributes[attribute] = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString()!,
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => value.GetRawText(),
            };
        }
    }

    protected static JsonNode? Text(CloudResource resource, string attribute) =>
        resource.Attributes.TryGetValue(attribute, out var value) ? JsonValue.Create(value) : null;

    private CloudResource? Find(ResourceRequest request, ProvisionedResource current) =>
        store.Find(kind, request.Stack.AccountId, request.Stack.Region, current.PhysicalId);
}

/// <summary>
/// AWS::DynamoDB::Table: TableName or a generated name; GetAtt Arn, and StreamArn when the table has a
/// StreamSpecification: the table's ARN, <c>/stream/</c> and the stream's label, its creation time to the millisecond
/// (docs/localcloud-cloudformation-recorded.md, "DynamoDB stream ARNs").
/// </summary>
internal sealed class DynamoDbTableProvisioner(CloudResourceStore store, TimeProvider clock) : CloudResourceProvisioner(store, ResourceKind.DynamoDbTable, clock)
{
    protected override string Name(ResourceRequest request, JsonElement properties) => NameOrGenerated(request, properties, "TableName");

    protected override Dictionary<string, string> StoreAttributes(ResourceRequest request, JsonElement properties)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (keyType, role) in new[] { ("HASH", "PartitionKey"), ("RANGE", "SortKey") })
        {
            var key = properties.GetArrayOrEmpty("KeySchema").FirstOrDefault(key => key.GetStringOrNull("KeyType") == keyType).GetStringOrNull("AttributeName");
            if (key is not null)
            {
                attributes[role + "Name"] = key;
                attributes[role + "Type"] = properties.GetArrayOrEmpty("AttributeDefinitions")
                    .FirstOrDefault(definition => definition.GetStringOrNull("AttributeName") == key).GetStringOrNull("AttributeType") ?? "S";
            }
        }

        Keep(attributes, "BillingMode", properties, "BillingMode");
        return attributes;
    }

    protected override Dictionary<string, JsonNode?> TemplateProperties(CloudResource resource) => new()
    {
        ["TableName"] = resource.Name,
        ["BillingMode"] = Text(resource, "BillingMode"),
    };

    protected override ProvisionedResource Identity(ResourceRequest request, CloudResource resource) =>
        request.Properties["StreamSpecification"] is JsonObject
            ? Provisioned(resource.Name, ("Arn", resource.Arn), ("StreamArn", $"{resource.Arn}/stream/{resource.CreationTime.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff}"))
            : Provisioned(resource.Name, ("Arn", resource.Arn));

    protected override AwsServiceException NotFound(string name) => new(400, "ResourceNotFoundException", $"Requested resource not found: Table: {name} not found");
}

/// <summary>AWS::RDS::DBInstance: DBInstanceIdentifier or a generated lower-case one; GetAtt DBInstanceArn, Endpoint.Address/Port.</summary>
internal sealed class RdsDbInstanceProvisioner(CloudResourceStore store, TimeProvider clock) : CloudResourceProvisioner(store, ResourceKind.RdsDbInstance, clock)
{
    private readonly CloudResourceStore store = store;

    private static readonly (string Property, string Attribute)[] Mapped =
    [
        ("DBInstanceClass", "DBInstanceClass"), ("Engine", "Engine"), ("EngineVersion", "EngineVersion"),
        ("AllocatedStorage", "AllocatedStorage"), ("AvailabilityZone", "AvailabilityZone"), ("MultiAZ", "MultiAZ"),
        ("DeletionProtection", RdsService.DeletionProtectionAttribute), ("DBClusterIdentifier", "DBClusterIdentifier"), ("PromotionTier", "PromotionTier"),
        ("DBSubnetGroupName", RdsService.SubnetGroupAttribute),
    ];

    protected override string Name(ResourceRequest request, JsonElement properties) =>
        (properties.GetStringOrNull("DBInstanceIdentifier") ?? ResourceIdentities.GeneratedName(request)).ToLowerInvariant();

    protected override Dictionary<string, string> StoreAttributes(ResourceRequest request, JsonElement properties)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal) { ["AvailabilityZone"] = request.Stack.Region + "a" };
        foreach (var (property, attribute) in Mapped)
        {
            Keep(attributes, attribute, properties, property);
        }

        // A list, kept as its JSON array (the form of the restore metadata's VpcSecurityGroupIds); not compared for drift.
        Keep(attributes, RdsService.SecurityGroupsAttribute, properties, "VPCSecurityGroups");

        return AuroraClusters.Join(store, request.Stack.AccountId, request.Stack.Region, attributes, properties.TryGetProperty("AvailabilityZone", out _));
    }

    /// <summary>An Aurora member keeps the zone RDS gave it when the template names none.</summary>
    protected override Dictionary<string, string> Updated(CloudResource existing, JsonElement properties, Dictionary<string, string> attributes)
    {
        if (!properties.TryGetProperty("AvailabilityZone", out _) && existing.Attributes.GetValueOrDefault("AvailabilityZone") is { } zone)
        {
            attributes["AvailabilityZone"] = zone;
        }

        return attributes;
    }

    protected override Dictionary<string, JsonNode?> TemplateProperties(CloudResource resource) =>
        Mapped.ToDictionary(pair => pair.Property, pair => Text(resource, pair.Attribute), StringComparer.Ordinal);

    protected override ProvisionedResource Identity(ResourceRequest request, CloudResource resource)
    {
        var port = RdsEndpoint.Port(resource.Attributes.GetValueOrDefault("Engine", "mysql"));
        return Provisioned(resource.Name, ("DBInstanceArn", resource.Arn), ("Endpoint.Address", RdsEndpoint.Host(resource)), ("Endpoint.Port", port));
    }

    protected override void EnsureDeletable(CloudResource resource) => RdsService.EnsureDeletable(resource);

    /// <summary>The registry handler's failure text (<see cref="RdsService.HandlerFailure"/>).</summary>
    protected override string FailureMessage(AwsServiceException error) => RdsService.HandlerFailure(error);

    protected override AwsServiceException NotFound(string name) => new(404, "DBInstanceNotFound", $"DBInstance {name} not found.");
}

/// <summary>AWS::EC2::Volume: a new vol- id; GetAtt VolumeId. AvailabilityZone, Size, VolumeType, Encrypted as DescribeVolumes shows them.</summary>
internal sealed class Ec2VolumeProvisioner(CloudResourceStore store, TimeProvider clock) : CloudResourceProvisioner(store, ResourceKind.EbsVolume, clock)
{
    private static readonly (string Property, string Attribute)[] Mapped =
    [
        ("AvailabilityZone", "availabilityZone"), ("Size", "volumeSize"), ("VolumeType", "volumeType"), ("Encrypted", "encrypted"),
    ];

    protected override string Name(ResourceRequest request, JsonElement properties) => ResourceKind.EbsVolume.GenerateName();

    protected override Dictionary<string, string> StoreAttributes(ResourceRequest request, JsonElement properties)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (property, attribute) in Mapped)
        {
            Keep(attributes, attribute, properties, property);
        }

        return attributes;
    }

    protected override Dictionary<string, JsonNode?> TemplateProperties(CloudResource resource) =>
        Mapped.ToDictionary(pair => pair.Property, pair => Text(resource, pair.Attribute), StringComparer.Ordinal);

    protected override ProvisionedResource Identity(ResourceRequest request, CloudResource resource) => Provisioned(resource.Name, ("VolumeId", resource.Name));

    protected override AwsServiceException NotFound(string name) => new(400, "InvalidVolume.NotFound", $"The volume '{name}' does not exist.");
}
