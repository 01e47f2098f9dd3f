using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.CloudFormation;

namespace CloudPatterns.LocalCloud.Services.NetworkFirewall;

/// <summary>
/// Base of the AWS::NetworkFirewall::* provisioners: the resource's properties are the API's request members
/// (docs/localcloud-network-firewall.md), and Ref is the resource's ARN.
/// </summary>
internal abstract class NetworkFirewallProvisioner(NetworkFirewallStore store, TimeProvider clock) : ServiceProvisioner(clock)
{
    protected NetworkFirewallStore Store => store;

    protected static JsonObject Request(ResourceRequest request) => (JsonObject)request.Properties.DeepClone();

    protected override bool Exists(ResourceRequest request, ProvisionedResource current)
    {
        try
        {
            Describe(request, current);
            return true;
        }
        catch (AwsServiceException)
        {
            return false;
        }
    }

    /// <summary>Reads the resource from the service; refuses with ResourceNotFoundException when it is gone.</summary>
    protected abstract void Describe(ResourceRequest request, ProvisionedResource current);
}

/// <summary>
/// Base of the rule group and policy provisioners: created by the service's Create call; updated in place through its
/// Update call with the current update token; Ref and the ARN attribute are the ARN, the id attribute its id.
/// </summary>
internal abstract class NetworkFirewallDocumentProvisioner(NetworkFirewallStore store, TimeProvider clock, string arnMember, string nameMember, string idAttribute)
    : NetworkFirewallProvisioner(store, clock)
{
    protected abstract FirewallResource CreateIn(string accountId, string region, JsonObject input);

    protected abstract FirewallResource DescribeIn(string accountId, string region, JsonObject input);

    protected abstract void UpdateIn(string accountId, string region, JsonObject input);

    protected abstract void DeleteIn(string accountId, string region, JsonObject input);

    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties)
    {
        var created = CreateIn(request.Stack.AccountId, request.Stack.Region, Request(request));
        return Provisioned(created.Arn, (arnMember, created.Arn), (idAttribute, created.Id));
    }

    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current)
    {
        var input = Request(request);
        input[arnMember] = current.PhysicalId;
        input["UpdateToken"] = DescribeIn(request.Stack.AccountId, request.Stack.Region, Key(current)).UpdateToken;
        input.Remove(nameMember);
        input["Description"] ??= null;
        UpdateIn(request.Stack.AccountId, request.Stack.Region, input);
        return current;
    }

    protected override void Delete(ResourceRequest request, ProvisionedResource current) => DeleteIn(request.Stack.AccountId, request.Stack.Region, Key(current));

    protected override void Describe(ResourceRequest request, ProvisionedResource current) => DescribeIn(request.Stack.AccountId, request.Stack.Region, Key(current));

    private JsonObject Key(ProvisionedResource current) => new() { [arnMember] = current.PhysicalId };
}

/// <summary>AWS::NetworkFirewall::RuleGroup: CreateRuleGroup; in-place updates of the rules and description (UpdateRuleGroup).</summary>
internal sealed class NetworkFirewallRuleGroupProvisioner(NetworkFirewallStore store, TimeProvider clock)
    : NetworkFirewallDocumentProvisioner(store, clock, "RuleGroupArn", "RuleGroupName", "RuleGroupId")
{
    protected override FirewallResource CreateIn(string accountId, string region, JsonObject input) => Store.CreateRuleGroup(accountId, region, input);

    protected override FirewallResource DescribeIn(string accountId, string region, JsonObject input) => Store.DescribeRuleGroup(accountId, region, input);

    protected override void UpdateIn(string accountId, string region, JsonObject input) => Store.UpdateRuleGroup(accountId, region, input);

    protected override void DeleteIn(string accountId, string region, JsonObject input) => Store.DeleteRuleGroup(accountId, region, input);
}

/// <summary>AWS::NetworkFirewall::FirewallPolicy: CreateFirewallPolicy; in-place updates through UpdateFirewallPolicy.</summary>
internal sealed class NetworkFirewallPolicyProvisioner(NetworkFirewallStore store, TimeProvider clock)
    : NetworkFirewallDocumentProvisioner(store, clock, "FirewallPolicyArn", "FirewallPolicyName", "FirewallPolicyId")
{
    protected override FirewallResource CreateIn(string accountId, string region, JsonObject input) => Store.CreatePolicy(accountId, region, input);

    protected override FirewallResource DescribeIn(string accountId, string region, JsonObject input) => Store.DescribePolicy(accountId, region, input);

    protected override void UpdateIn(string accountId, string region, JsonObject input) => Store.UpdatePolicy(accountId, region, input);

    protected override void DeleteIn(string accountId, string region, JsonObject input) => Store.DeletePolicy(accountId, region, input);
}

/// <summary>
/// AWS::NetworkFirewall::Firewall: CreateFirewall (VPC subnets, or a transit gateway and its zones); GetAtt EndpointIds
/// are the endpoints DescribeFirewall's SyncStates show ("zone:vpce-id", in the mappings' order), TransitGatewayAttachmentId
/// the attachment a transit gateway-attached firewall makes. In-place updates: protections, description, policy, subnets and zones.
/// </summary>
internal sealed class NetworkFirewallFirewallProvisioner(NetworkFirewallStore store, TimeProvider clock) : NetworkFirewallProvisioner(store, clock)
{
    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties) =>
        Provisioned(Store.CreateFirewall(request.Stack.AccountId, request.Stack.Region, Request(request)));

    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current)
    {
        var wanted = Request(request);
        var key = new JsonObject { ["FirewallArn"] = current.PhysicalId };
        var account = request.Stack.AccountId;
        var region = request.Stack.Region;
        bool? Wanted(string member) => bool.TryParse(NetworkFirewallStore.Text(wanted[member]), out var flag) ? flag : null;

        // Protections that the update turns off go first, so the changes they guard are allowed; those it turns on go last.
        void Protections(bool turningOn) => Store.ChangeFirewall(account, region, key, firewall =>
        {
            void Set(bool current, bool? target, Action<bool> apply)
            {
                if ((target ?? false) != current && (target ?? false) == turningOn)
                {
                    apply(turningOn);
                }
            }

            Set(firewall.DeleteProtection, Wanted("DeleteProtection"), value => firewall.DeleteProtection = value);
            Set(firewall.SubnetChangeProtection, Wanted("SubnetChangeProtection"), value => firewall.SubnetChangeProtection = value);
            Set(firewall.FirewallPolicyChangeProtection, Wanted("FirewallPolicyChangeProtection"), value => firewall.FirewallPolicyChangeProtection = value);
            Set(firewall.AvailabilityZoneChangeProtection, Wanted("AvailabilityZoneChangeProtection"), value => firewall.AvailabilityZoneChangeProtection = value);
        });

        Protections(turningOn: false);
        var updated = Store.ChangeFirewall(account, region, key, firewall =>
        {
            firewall.Description = NetworkFirewallStore.Text(wanted["Description"]);
            if (NetworkFirewallStore.Text(wanted["FirewallPolicyArn"]) is { } policyArn && policyArn != firewall.PolicyArn)
            {
                Store.AssociatePolicy(firewall, policyArn);
            }

            if (firewall.TransitGatewayId is null)
            {
                var subnets = (wanted["SubnetMappings"] as JsonArray ?? []).Select(mapping => NetworkFirewallStore.Text(mapping?["SubnetId"])).OfType<string>().ToList();
                var removed = firewall.Zones.Select(zone => zone.SubnetId!).Where(subnet => !subnets.Contains(subnet)).ToList();
                var added = (wanted["SubnetMappings"] as JsonArray ?? []).Where(mapping => firewall.Zones.All(zone => zone.SubnetId != NetworkFirewallStore.Text(mapping?["SubnetId"])))
                    .Select(mapping => mapping!.DeepClone()).ToList();
                if (removed.Count > 0)
                {
                    Store.DisassociateSubnets(firewall, removed);
                }

                if (added.Count > 0)
                {
                    Store.AssociateSubnets(firewall, new JsonArray([.. added]));
                }
            }
            else
            {
                var zones = (wanted["AvailabilityZoneMappings"] as JsonArray ?? []).Select(mapping => NetworkFirewallStore.Text(mapping?["AvailabilityZone"])).OfType<string>().ToList();
                var removed = firewall.Zones.Where(zone => !zones.Contains(zone.AvailabilityZone)).Select(zone => (JsonNode)new JsonObject { ["AvailabilityZone"] = zone.AvailabilityZone }).ToList();
                var added = zones.Where(zone => firewall.Zones.All(existing => existing.AvailabilityZone != zone)).Select(zone => (JsonNode)new JsonObject { ["AvailabilityZone"] = zone }).ToList();
                if (removed.Count > 0)
                {
                    Store.ChangeZones(firewall, new JsonArray([.. removed]), associate: false);
                }

                if (added.Count > 0)
                {
                    Store.ChangeZones(firewall, new JsonArray([.. added]), associate: true);
                }
            }

            firewall.Tags.Clear();
        });
        Store.Tag(account, region, updated.Arn, wanted["Tags"]);
        Protections(turningOn: true);
        return Provisioned(updated);
    }

    protected override void Delete(ResourceRequest request, ProvisionedResource current) =>
        Store.DeleteFirewall(request.Stack.AccountId, request.Stack.Region, new JsonObject { ["FirewallArn"] = current.PhysicalId });

    protected override void Describe(ResourceRequest request, ProvisionedResource current) =>
        Store.DescribeFirewall(request.Stack.AccountId, request.Stack.Region, new JsonObject { ["FirewallArn"] = current.PhysicalId });

    private static ProvisionedResource Provisioned(Firewall firewall) => new(firewall.Arn, new Dictionary<string, JsonNode>(StringComparer.Ordinal)
    {
        ["FirewallArn"] = firewall.Arn,
        ["FirewallId"] = firewall.Id,
        ["EndpointIds"] = new JsonArray([.. firewall.Zones.Select(zone => (JsonNode)$"{zone.AvailabilityZone}:{zone.EndpointId}")]),
        ["TransitGatewayAttachmentId"] = firewall.TransitGatewayAttachmentId ?? "",
    });
}

/// <summary>
/// AWS::NetworkFirewall::LoggingConfiguration: the firewall's log destinations, applied one change per
/// UpdateLoggingConfiguration call as the API requires (removals, then changes, then additions). Ref is the firewall's ARN.
/// </summary>
internal sealed class NetworkFirewallLoggingProvisioner(NetworkFirewallStore store, TimeProvider clock) : NetworkFirewallProvisioner(store, clock)
{
    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties)
    {
        var firewallArn = Apply(request, Wanted(request));
        return Provisioned(firewallArn);
    }

    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current)
    {
        Apply(request, Wanted(request));
        return current;
    }

    /// <summary>Clears the destinations; a firewall already gone has none left to clear.</summary>
    protected override void Delete(ResourceRequest request, ProvisionedResource current)
    {
        if (Exists(request, current))
        {
            Apply(request, []);
        }
    }

    protected override void Describe(ResourceRequest request, ProvisionedResource current) =>
        Store.DescribeFirewall(request.Stack.AccountId, request.Stack.Region, new JsonObject { ["FirewallArn"] = current.PhysicalId });

    private static List<JsonObject> Wanted(ResourceRequest request) =>
        ((request.Properties["LoggingConfiguration"] as JsonObject)?["LogDestinationConfigs"] as JsonArray ?? []).OfType<JsonObject>().Select(config => (JsonObject)config.DeepClone()).ToList();

    /// <summary>Moves the firewall's destinations to <paramref name="wanted"/> one call at a time; answers the firewall's ARN.</summary>
    private string Apply(ResourceRequest request, List<JsonObject> wanted)
    {
        var account = request.Stack.AccountId;
        var region = request.Stack.Region;
        var key = new JsonObject
        {
            ["FirewallArn"] = request.Properties["FirewallArn"]?.DeepClone(),
            ["FirewallName"] = request.Properties["FirewallName"]?.DeepClone(),
        };
        var firewall = Store.DescribeFirewall(account, region, key);
        var current = firewall.LogDestinationConfigs.OfType<JsonObject>().Select(config => (JsonObject)config.DeepClone()).ToList();
        string? LogType(JsonObject config) => NetworkFirewallStore.Text(config["LogType"]);
        var steps = new List<Action<List<JsonObject>>>();
        string? DestinationType(JsonObject config) => NetworkFirewallStore.Text(config["LogDestinationType"]);

        // A destination whose type changes is removed first and added again (the API changes only LogDestination in place).
        steps.AddRange(current.Where(config => wanted.All(target => LogType(target) != LogType(config) || DestinationType(target) != DestinationType(config)))
            .Select(config => (Action<List<JsonObject>>)(list => list.RemoveAll(existing => LogType(existing) == LogType(config)))));
        steps.AddRange(wanted.Select(target => (Action<List<JsonObject>>)(list =>
        {
            var index = list.FindIndex(existing => LogType(existing) == LogType(target));
            if (index < 0)
            {
                list.Add(target);
            }
            else
            {
                list[index] = target;
            }
        })));
        foreach (var step in steps)
        {
            step(current);
            Store.UpdateLogging(account, region, new JsonObject
            {
                ["FirewallArn"] = firewall.Arn,
                ["LoggingConfiguration"] = new JsonObject { ["LogDestinationConfigs"] = new JsonArray([.. current.Select(config => (JsonNode)config.DeepClone())]) },
                ["EnableMonitoringDashboard"] = request.Properties["EnableMonitoringDashboard"]?.DeepClone(),
            });
        }

        return firewall.Arn;
    }
}
