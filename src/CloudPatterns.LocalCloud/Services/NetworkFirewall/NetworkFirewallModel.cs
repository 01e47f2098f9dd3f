using System.Text.Json.Nodes;

namespace CloudPatterns.LocalCloud.Services.NetworkFirewall;

/// <summary>What every Network Firewall resource has: name, ARN, id, tags, update token (docs/localcloud-network-firewall.md).</summary>
internal abstract class FirewallResource(string accountId, string region, string name, string arn)
{
    public string AccountId { get; } = accountId;

    public string Region { get; } = region;

    public string Name { get; } = name;

    public string Arn { get; } = arn;

    public string Id { get; } = Guid.NewGuid().ToString();

    public string? Description { get; set; }

    /// <summary>Tags in the order they were given (a later value for the same key replaces the earlier).</summary>
    public List<KeyValuePair<string, string>> Tags { get; } = [];

    /// <summary>The token an update must give; a new one after every change (optimistic locking, as the API documents).</summary>
    public string UpdateToken { get; set; } = Guid.NewGuid().ToString();

    public DateTimeOffset LastModified { get; set; }

    /// <summary>EncryptionConfiguration as given (KeyId, Type), or null for the default AWS owned key.</summary>
    public JsonObject? Encryption { get; set; }
}

/// <summary>A stateless or stateful rule group with the capacity fixed at its creation.</summary>
internal sealed class FirewallRuleGroup(string accountId, string region, string name, string arn, string type, int capacity)
    : FirewallResource(accountId, region, name, arn)
{
    /// <summary>STATELESS or STATEFUL (a domain list is a STATEFUL group whose rules source is a RulesSourceList).</summary>
    public string Type { get; } = type;

    public int Capacity { get; } = capacity;

    /// <summary>The RuleGroup structure (RulesSource, RuleVariables, ReferenceSets, StatefulRuleOptions).</summary>
    public JsonObject Body { get; set; } = [];

    public int ConsumedCapacity { get; set; }

    public JsonObject? SummaryConfiguration { get; set; }
}

/// <summary>A firewall policy: default actions and references to rule groups.</summary>
internal sealed class FirewallPolicy(string accountId, string region, string name, string arn) : FirewallResource(accountId, region, name, arn)
{
    /// <summary>The FirewallPolicy structure as given (numbers normalized).</summary>
    public JsonObject Body { get; set; } = [];
}

/// <summary>One zone of a firewall: the subnet its endpoint is in (none for a transit gateway-attached firewall) and the endpoint.</summary>
internal sealed record FirewallZone(string AvailabilityZone, string? SubnetId, string? IpAddressType, string EndpointId);

/// <summary>A firewall: its policy, VPC and subnets (one per zone) or its transit gateway and zones, protections and logging.</summary>
internal sealed class Firewall(string accountId, string region, string name, string arn) : FirewallResource(accountId, region, name, arn)
{
    public required string PolicyArn { get; set; }

    public string? VpcId { get; init; }

    /// <summary>The zones with their endpoints, in the order the subnet or zone mappings gave them.</summary>
    public List<FirewallZone> Zones { get; } = [];

    public bool DeleteProtection { get; set; }

    public bool SubnetChangeProtection { get; set; }

    public bool FirewallPolicyChangeProtection { get; set; }

    public bool AvailabilityZoneChangeProtection { get; set; }

    public List<string> EnabledAnalysisTypes { get; set; } = [];

    public string? TransitGatewayId { get; init; }

    public string? TransitGatewayOwnerId { get; init; }

    public string? TransitGatewayAttachmentId { get; set; }

    /// <summary>LogDestinationConfigs as set through UpdateLoggingConfiguration, one per log type.</summary>
    public JsonArray LogDestinationConfigs { get; set; } = [];

    public bool EnableMonitoringDashboard { get; set; }
}
