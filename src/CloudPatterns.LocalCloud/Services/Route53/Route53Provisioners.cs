using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation;
using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.CloudFormation;

namespace CloudPatterns.LocalCloud.Services.Route53;

/// <summary>
/// AWS::Route53::HostedZone in LocalCloud's Route 53: Ref is the zone id (without "/hostedzone/"); GetAtt Id and, for
/// a public zone, NameServers. With VPCs the zone is private (each VPC must exist).
/// </summary>
internal sealed class Route53HostedZoneProvisioner(Route53Store store, TimeProvider clock) : ServiceProvisioner(clock)
{
    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties)
    {
        var vpcs = properties.GetArrayOrEmpty("VPCs")
            .Select(vpc => new ZoneVpc(vpc.GetStringOrNull("VPCId") ?? "", vpc.GetStringOrNull("VPCRegion") ?? request.Stack.Region)).ToList();
        var (zone, _) = store.CreateHostedZone(
            request.Stack.AccountId,
            properties.GetStringOrNull("Name") ?? "",
            CallerReference(request, 128),
            properties.GetObjectOrNull("HostedZoneConfig")?.GetStringOrNull("Comment"),
            vpcs);
        var attributes = new Dictionary<string, JsonNode>(StringComparer.Ordinal) { ["Id"] = zone.Id };
        if (!zone.IsPrivate)
        {
            // CloudFormation documents NameServers as not supported for private zones.
            attributes["NameServers"] = new JsonArray([.. zone.NameServers.Select(server => (JsonNode)server.TrimEnd('.'))]);
        }
        return new ProvisionedResource(zone.Id, attributes);
    }

    /// <summary>A unique CallerReference for a stack's resource, within the API's length limit.</summary>
    public static string CallerReference(ResourceRequest request, int maxLength)
    {
        var reference = $"{Guid.NewGuid():N}-{request.Stack.StackName}-{request.LogicalId}";
        return reference[..Math.Min(reference.Length, maxLength)];
    }

    // Name and VPCs replace the zone; HostedZoneConfig's comment and tags are kept by CloudFormation only.
    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current) => current;

    protected override void Delete(ResourceRequest request, ProvisionedResource current) => store.DeleteHostedZone(request.Stack.AccountId, current.PhysicalId);

    protected override bool Exists(ResourceRequest request, ProvisionedResource current) =>
        store.ListHostedZones(request.Stack.AccountId).Any(zone => zone.Id == current.PhysicalId);
}

/// <summary>
/// AWS::Route53::RecordSet: one change batch per create (CREATE), update (UPSERT) and delete (DELETE of the stored
/// set). Ref is the record's domain name. The zone comes from HostedZoneId or HostedZoneName.
/// </summary>
internal sealed class Route53RecordSetProvisioner(Route53Store store, TimeProvider clock) : ServiceProvisioner(clock)
{
    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties)
    {
        var (zoneId, record) = Read(request, properties);
        store.ChangeRecordSets(request.Stack.AccountId, zoneId, [("CREATE", record)], properties.GetStringOrNull("Comment"));
        return Provisioned(record.Name.TrimEnd('.'));
    }

    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current)
    {
        var (zoneId, record) = Read(request, properties);
        store.ChangeRecordSets(request.Stack.AccountId, zoneId, [("UPSERT", record)], properties.GetStringOrNull("Comment"));
        return current;
    }

    protected override void Delete(ResourceRequest request, ProvisionedResource current)
    {
        var (zoneId, record) = Read(request, JsonSerializer.SerializeToElement(request.Properties));
        if (store.FindRecordSet(request.Stack.AccountId, zoneId, record) is { } stored)
        {
            store.ChangeRecordSets(request.Stack.AccountId, zoneId, [("DELETE", stored)], null);
        }
    }

    protected override bool Exists(ResourceRequest request, ProvisionedResource current)
    {
        try
        {
            var (zoneId, record) = Read(request, JsonSerializer.SerializeToElement(request.Properties));
            return store.FindRecordSet(request.Stack.AccountId, zoneId, record) is not null;
        }
        catch (Exception error) when (error is AwsServiceException or ResourceFailedException)
        {
            return false;
        }
    }

    private (string ZoneId, RecordSet Record) Read(ResourceRequest request, JsonElement properties)
    {
        var zoneId = properties.GetStringOrNull("HostedZoneId")?.Split('/')[^1]
            ?? (properties.GetStringOrNull("HostedZoneName") is { } zoneName
                ? store.FindZoneByName(request.Stack.AccountId, zoneName)?.Id ?? throw new ResourceFailedException($"No hosted zone named {zoneName} exists in this account.")
                : throw new ResourceFailedException("Either HostedZoneId or HostedZoneName is required."));
        var alias = properties.GetObjectOrNull("AliasTarget");
        var record = new RecordSet(Route53Store.Fqdn(properties.GetStringOrNull("Name") ?? ""), properties.GetStringOrNull("Type") ?? "")
        {
            SetIdentifier = properties.GetStringOrNull("SetIdentifier"),
            Failover = properties.GetStringOrNull("Failover"),
            Weight = Number(properties, "Weight") is { } weight ? (long)weight : null,
            Ttl = Number(properties, "TTL") is { } ttl ? (long)ttl : null,
            Values = properties.GetStringsOrEmpty("ResourceRecords"),
            Alias = alias is { } target
                ? new AliasTarget(target.GetStringOrNull("HostedZoneId") ?? "", Route53Store.Fqdn(target.GetStringOrNull("DNSName") ?? ""), Flag(target, "EvaluateTargetHealth") == true)
                : null,
            HealthCheckId = properties.GetStringOrNull("HealthCheckId"),
        };
        return (zoneId, record);
    }
}

/// <summary>AWS::Route53::HealthCheck: Ref and GetAtt HealthCheckId are the check's id. Its configuration replaces it when changed.</summary>
internal sealed class Route53HealthCheckProvisioner(Route53Store store, TimeProvider clock) : ServiceProvisioner(clock)
{
    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties)
    {
        var config = properties.GetObjectOrNull("HealthCheckConfig") ?? throw new ResourceFailedException("HealthCheckConfig is required.");
        var alarm = config.GetObjectOrNull("AlarmIdentifier");
        var check = store.CreateHealthCheck(request.Stack.AccountId, Route53HostedZoneProvisioner.CallerReference(request, 64), HealthCheckConfig.Read(
            name => config.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
                ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
                : null,
            config.GetStringsOrEmpty("ChildHealthChecks"),
            alarm is { } identifier ? (identifier.GetStringOrNull("Region") ?? "", identifier.GetStringOrNull("Name") ?? "") : null,
            problem => new ResourceFailedException(problem)));
        return Provisioned(check.Id, ("HealthCheckId", check.Id));
    }

    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current) => current;

    protected override void Delete(ResourceRequest request, ProvisionedResource current) => store.DeleteHealthCheck(request.Stack.AccountId, current.PhysicalId);

    protected override bool Exists(ResourceRequest request, ProvisionedResource current) =>
        store.ListHealthChecks(request.Stack.AccountId).Any(check => check.Id == current.PhysicalId);
}
