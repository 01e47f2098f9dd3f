using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Ec2;

namespace CloudPatterns.LocalCloud.Services.NetworkFirewall;

/// <summary>
/// AWS Network Firewall's rule groups, firewall policies and firewalls of every account and region, with the rules
/// and refusals of docs/localcloud-network-firewall.md. Requests come in the API's shape (CloudFormation's
/// properties have the same names), so the service and the CloudFormation resources share every check. Thread-safe.
/// </summary>
internal sealed partial class NetworkFirewallStore(TimeProvider clock, IVpcDirectory vpcs, TransitGatewayStore transitGateways)
{
    /// <summary>The largest capacity of one rule group (quotas: "Maximum stateful rule group capacity", 30,000).</summary>
    public const int MaximumCapacity = 30000;

    private static readonly HashSet<string> StatelessStandardActions = new(["aws:pass", "aws:drop", "aws:forward_to_sfe"], StringComparer.Ordinal);
    private static readonly HashSet<string> StatefulDefaultActions = new(
        ["aws:drop_strict", "aws:drop_established", "aws:drop_established_app_layer", "aws:alert_strict", "aws:alert_established", "aws:alert_established_app_layer"],
        StringComparer.Ordinal);

    // Suricata's actions and those Network Firewall adds (the stateful rules' "action" of the Suricata rule format).
    private static readonly HashSet<string> SuricataActions = new(["pass", "drop", "reject", "alert", "rejectsrc", "rejectdst", "rejectboth"], StringComparer.Ordinal);

    // Integer members of the API's shapes, which CloudFormation templates may give as strings.
    private static readonly HashSet<string> IntegerMembers = new(["Priority", "FromPort", "ToPort", "Protocols", "TcpIdleTimeoutSeconds"], StringComparer.Ordinal);

    private readonly Lock gate = new();
    private readonly Dictionary<string, FirewallRuleGroup> ruleGroups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FirewallPolicy> policies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Firewall> firewalls = new(StringComparer.Ordinal);

    // ---------------------------------------------------------------- rule groups

    public FirewallRuleGroup CreateRuleGroup(string accountId, string region, JsonObject input)
    {
        var name = Name(input, "RuleGroupName");
        var type = Text(input["Type"]) ?? throw Invalid("Type is required: STATELESS or STATEFUL.");
        if (type is not ("STATELESS" or "STATEFUL"))
        {
            throw Invalid($"Type '{type}' is not valid: use STATELESS or STATEFUL.");
        }

        var capacity = Integer(input["Capacity"]) ?? throw Invalid("Capacity is required: the rule group's capacity, 1 to 30000.");
        if (capacity is < 1 or > MaximumCapacity)
        {
            throw Invalid($"Capacity {capacity} is not valid: a rule group's capacity is 1 to {MaximumCapacity}.");
        }

        var body = RuleGroupBody(input);
        lock (gate)
        {
            var arn = $"arn:aws:network-firewall:{region}:{accountId}:{type.ToLowerInvariant()}-rulegroup/{name}";
            if (ruleGroups.ContainsKey(arn))
            {
                throw Invalid($"A rule group named {name} of type {type} already exists in this account and Region.");
            }

            var group = new FirewallRuleGroup(accountId, region, name, arn, type, capacity)
            {
                Description = Text(input["Description"]),
                Encryption = input["EncryptionConfiguration"]?.DeepClone() as JsonObject,
                SummaryConfiguration = input["SummaryConfiguration"]?.DeepClone() as JsonObject,
                LastModified = clock.GetUtcNow(),
            };
            SetRules(group, body);
            return Created(ruleGroups, group, input);
        }
    }

    public FirewallRuleGroup UpdateRuleGroup(string accountId, string region, JsonObject input)
    {
        lock (gate)
        {
            var group = FindRuleGroup(accountId, region, input);
            CheckToken(group, input, required: true);
            if (Text(input["Type"]) is { } type && type != group.Type)
            {
                throw Invalid($"Type {type} does not match the rule group's type {group.Type}; a rule group's type cannot change.");
            }

            var body = RuleGroupBody(input);
            return Apply(group, input, () => SetRules(group, body));
        }
    }

    public FirewallRuleGroup DescribeRuleGroup(string accountId, string region, JsonObject input)
    {
        lock (gate)
        {
            return FindRuleGroup(accountId, region, input);
        }
    }

    public FirewallRuleGroup DeleteRuleGroup(string accountId, string region, JsonObject input)
    {
        lock (gate)
        {
            var group = FindRuleGroup(accountId, region, input);
            var users = policies.Values.Where(policy => References(policy).Contains(group.Arn)).Select(policy => policy.Name).ToList();
            if (users.Count > 0)
            {
                throw InvalidOperation($"Unable to delete the rule group {group.Name}: it is in use by the firewall policies {string.Join(", ", users)}. Remove it from them first.");
            }

            ruleGroups.Remove(group.Arn);
            return group;
        }
    }

    public IReadOnlyList<FirewallRuleGroup> RuleGroups(string accountId, string region, string? type)
    {
        lock (gate)
        {
            return ruleGroups.Values.Where(group => group.AccountId == accountId && group.Region == region && (type is null || group.Type == type))
                .OrderBy(group => group.Name, StringComparer.Ordinal).ThenBy(group => group.Type, StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>How many policies reference the group.</summary>
    public int Associations(FirewallRuleGroup group)
    {
        lock (gate)
        {
            return policies.Values.Count(policy => References(policy).Contains(group.Arn));
        }
    }

    // ---------------------------------------------------------------- firewall policies

    public FirewallPolicy CreatePolicy(string accountId, string region, JsonObject input)
    {
        var name = Name(input, "FirewallPolicyName");
        var body = input["FirewallPolicy"] as JsonObject ?? throw Invalid("FirewallPolicy is required.");
        lock (gate)
        {
            var arn = $"arn:aws:network-firewall:{region}:{accountId}:firewall-policy/{name}";
            if (policies.ContainsKey(arn))
            {
                throw Invalid($"A firewall policy named {name} already exists in this account and Region.");
            }

            var policy = new FirewallPolicy(accountId, region, name, arn)
            {
                Description = Text(input["Description"]),
                Encryption = input["EncryptionConfiguration"]?.DeepClone() as JsonObject,
                Body = CheckedPolicy(accountId, region, body),
                LastModified = clock.GetUtcNow(),
            };
            return Created(policies, policy, input);
        }
    }

    public FirewallPolicy UpdatePolicy(string accountId, string region, JsonObject input)
    {
        lock (gate)
        {
            var policy = FindPolicy(accountId, region, input);
            CheckToken(policy, input, required: true);
            var body = input["FirewallPolicy"] as JsonObject ?? throw Invalid("FirewallPolicy is required.");
            var checkedBody = CheckedPolicy(accountId, region, body);
            return Apply(policy, input, () => policy.Body = checkedBody);
        }
    }

    public FirewallPolicy DescribePolicy(string accountId, string region, JsonObject input)
    {
        lock (gate)
        {
            return FindPolicy(accountId, region, input);
        }
    }

    public FirewallPolicy DeletePolicy(string accountId, string region, JsonObject input)
    {
        lock (gate)
        {
            var policy = FindPolicy(accountId, region, input);
            var users = firewalls.Values.Where(firewall => firewall.PolicyArn == policy.Arn).Select(firewall => firewall.Name).ToList();
            if (users.Count > 0)
            {
                throw InvalidOperation($"Unable to delete the firewall policy {policy.Name}: it is in use by the firewalls {string.Join(", ", users)}.");
            }

            policies.Remove(policy.Arn);
            return policy;
        }
    }

    public IReadOnlyList<FirewallPolicy> Policies(string accountId, string region)
    {
        lock (gate)
        {
            return policies.Values.Where(policy => policy.AccountId == accountId && policy.Region == region).OrderBy(policy => policy.Name, StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>The capacity a policy's stateless and stateful references reserve (AWS-managed groups reserve none here).</summary>
    public (int Stateless, int Stateful, int Associations) Usage(FirewallPolicy policy)
    {
        lock (gate)
        {
            var groups = References(policy).Select(arn => ruleGroups.GetValueOrDefault(arn)).OfType<FirewallRuleGroup>().ToList();
            return (groups.Where(group => group.Type == "STATELESS").Sum(group => group.Capacity), groups.Where(group => group.Type == "STATEFUL").Sum(group => group.Capacity),
                firewalls.Values.Count(firewall => firewall.PolicyArn == policy.Arn));
        }
    }

    /// <summary>The rule groups a policy references, by name, for a firewall's per-zone configuration sync states.</summary>
    public IReadOnlyList<string> ReferencedRuleGroupNames(string policyArn)
    {
        lock (gate)
        {
            return policies.TryGetValue(policyArn, out var policy)
                ? References(policy).Select(arn => arn[(arn.LastIndexOf('/') + 1)..]).Distinct(StringComparer.Ordinal).ToList()
                : [];
        }
    }

    // ---------------------------------------------------------------- firewalls

    public Firewall CreateFirewall(string accountId, string region, JsonObject input)
    {
        var name = Name(input, "FirewallName");
        var policyArn = Text(input["FirewallPolicyArn"]) ?? throw Invalid("FirewallPolicyArn is required.");
        var vpcId = Text(input["VpcId"]);
        var gatewayId = Text(input["TransitGatewayId"]);
        var subnetMappings = input["SubnetMappings"] as JsonArray ?? [];
        var zoneMappings = input["AvailabilityZoneMappings"] as JsonArray ?? [];
        if (gatewayId is null && (vpcId is null || subnetMappings.Count == 0))
        {
            throw Invalid("A firewall needs either VpcId with SubnetMappings (one subnet per Availability Zone) or TransitGatewayId with AvailabilityZoneMappings.");
        }

        if (gatewayId is not null && (vpcId is not null || subnetMappings.Count > 0))
        {
            throw Invalid("A transit gateway-attached firewall takes TransitGatewayId with AvailabilityZoneMappings, not VpcId or SubnetMappings.");
        }

        if (gatewayId is not null && zoneMappings.Count == 0)
        {
            throw Invalid("A transit gateway-attached firewall needs AvailabilityZoneMappings: at least one Availability Zone.");
        }

        lock (gate)
        {
            var arn = $"arn:aws:network-firewall:{region}:{accountId}:firewall/{name}";
            if (firewalls.ContainsKey(arn))
            {
                throw Invalid($"A firewall named {name} already exists in this account and Region.");
            }

            var policy = OwnPolicy(accountId, region, policyArn);
            var gateway = gatewayId is null ? null : transitGateways.Gateways(accountId, region, []).FirstOrDefault(candidate => candidate.Id == gatewayId)
                ?? throw Invalid($"The transit gateway {gatewayId} does not exist in this account and Region, or is not shared with it.");
            if (vpcId is not null && vpcs.VpcCidr(accountId, region, vpcId) is null)
            {
                throw Invalid($"The VPC {vpcId} does not exist in this account and Region.");
            }

            var firewall = new Firewall(accountId, region, name, arn)
            {
                PolicyArn = policy.Arn,
                VpcId = vpcId,
                TransitGatewayId = gateway?.Id,
                TransitGatewayOwnerId = gateway?.OwnerId,
                Description = Text(input["Description"]),
                DeleteProtection = Flag(input["DeleteProtection"]) ?? false,
                SubnetChangeProtection = Flag(input["SubnetChangeProtection"]) ?? false,
                FirewallPolicyChangeProtection = Flag(input["FirewallPolicyChangeProtection"]) ?? false,
                AvailabilityZoneChangeProtection = Flag(input["AvailabilityZoneChangeProtection"]) ?? false,
                EnabledAnalysisTypes = Texts(input["EnabledAnalysisTypes"]),
                Encryption = input["EncryptionConfiguration"]?.DeepClone() as JsonObject,
                LastModified = clock.GetUtcNow(),
            };
            firewall.Zones.AddRange(gateway is null ? SubnetZones(firewall, subnetMappings) : GatewayZones(firewall, zoneMappings));
            AddTags(firewall, input["Tags"]);
            if (gateway is not null)
            {
                firewall.TransitGatewayAttachmentId = transitGateways.AttachNetworkFunction(accountId, region, gateway.Id, arn).Id;
            }

            firewalls[arn] = firewall;
            return firewall;
        }
    }

    public Firewall DescribeFirewall(string accountId, string region, JsonObject input)
    {
        lock (gate)
        {
            return FindFirewall(accountId, region, input);
        }
    }

    public Firewall DeleteFirewall(string accountId, string region, JsonObject input)
    {
        lock (gate)
        {
            var firewall = FindFirewall(accountId, region, input);
            if (firewall.DeleteProtection)
            {
                throw InvalidOperation($"Unable to delete the firewall {firewall.Name}: its DeleteProtection is TRUE. Turn it off with UpdateFirewallDeleteProtection first.");
            }

            if (firewall.TransitGatewayAttachmentId is { } attachmentId && transitGateways.FindAttachment(accountId, firewall.Region, attachmentId) is not null)
            {
                transitGateways.DeleteAttachment(accountId, firewall.Region, attachmentId);
            }

            firewalls.Remove(firewall.Arn);
            return firewall;
        }
    }

    public IReadOnlyList<Firewall> Firewalls(string accountId, string region, IReadOnlyCollection<string> vpcIds)
    {
        lock (gate)
        {
            return firewalls.Values.Where(firewall => firewall.AccountId == accountId && firewall.Region == region && (vpcIds.Count == 0 || vpcIds.Contains(firewall.VpcId ?? "")))
                .OrderBy(firewall => firewall.Name, StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>Applies one firewall change under its token (the Update*, Associate* and Disassociate* operations).</summary>
    public Firewall ChangeFirewall(string accountId, string region, JsonObject input, Action<Firewall> change)
    {
        lock (gate)
        {
            var firewall = FindFirewall(accountId, region, input);
            CheckToken(firewall, input, required: false);
            change(firewall);
            Touch(firewall);
            return firewall;
        }
    }

    /// <summary>AssociateFirewallPolicy: refused while FirewallPolicyChangeProtection is on.</summary>
    public void AssociatePolicy(Firewall firewall, string policyArn)
    {
        if (firewall.FirewallPolicyChangeProtection)
        {
            throw InvalidOperation($"The firewall {firewall.Name} has FirewallPolicyChangeProtection set to TRUE: turn it off with UpdateFirewallPolicyChangeProtection before changing its policy.");
        }

        firewall.PolicyArn = OwnPolicy(firewall.AccountId, firewall.Region, policyArn).Arn;
    }

    /// <summary>AssociateSubnets: new subnets of the firewall's VPC, one per zone; refused while SubnetChangeProtection is on.</summary>
    public void AssociateSubnets(Firewall firewall, JsonArray mappings)
    {
        CheckSubnetChange(firewall);
        var added = SubnetZones(firewall, mappings, firewall.Zones).ToList();
        firewall.Zones.AddRange(added);
    }

    /// <summary>DisassociateSubnets: removes the named subnets; refused while SubnetChangeProtection is on.</summary>
    public void DisassociateSubnets(Firewall firewall, IReadOnlyList<string> subnetIds)
    {
        CheckSubnetChange(firewall);
        foreach (var subnetId in subnetIds.Where(subnetId => firewall.Zones.All(zone => zone.SubnetId != subnetId)))
        {
            throw Invalid($"The subnet {subnetId} is not associated with the firewall {firewall.Name}.");
        }

        firewall.Zones.RemoveAll(zone => zone.SubnetId is { } subnetId && subnetIds.Contains(subnetId));
    }

    /// <summary>AssociateAvailabilityZones / DisassociateAvailabilityZones of a transit gateway-attached firewall.</summary>
    public void ChangeZones(Firewall firewall, JsonArray mappings, bool associate)
    {
        if (firewall.TransitGatewayId is null)
        {
            throw Invalid($"The firewall {firewall.Name} is not attached to a transit gateway: change its subnets with AssociateSubnets and DisassociateSubnets.");
        }

        if (firewall.AvailabilityZoneChangeProtection)
        {
            throw InvalidOperation($"The firewall {firewall.Name} has AvailabilityZoneChangeProtection set to TRUE: turn it off with UpdateAvailabilityZoneChangeProtection first.");
        }

        var zones = mappings.Select(mapping => Text(mapping?["AvailabilityZone"]) ?? throw Invalid("Each AvailabilityZoneMapping needs AvailabilityZone.")).ToList();
        if (associate)
        {
            firewall.Zones.AddRange(GatewayZones(firewall, new JsonArray([.. zones.Where(zone => firewall.Zones.All(existing => existing.AvailabilityZone != zone))
                .Select(zone => (JsonNode)new JsonObject { ["AvailabilityZone"] = zone })])));
        }
        else
        {
            firewall.Zones.RemoveAll(zone => zones.Contains(zone.AvailabilityZone));
        }
    }

    /// <summary>
    /// UpdateLoggingConfiguration: one change per call (add one destination, remove one, or change one's destination),
    /// one destination per log type, each with the key its destination type needs.
    /// </summary>
    public Firewall UpdateLogging(string accountId, string region, JsonObject input)
    {
        var configs = (input["LoggingConfiguration"] as JsonObject)?["LogDestinationConfigs"] as JsonArray ?? [];
        var next = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var config in configs.OfType<JsonObject>())
        {
            var logType = Text(config["LogType"]);
            if (logType is not ("ALERT" or "FLOW" or "TLS"))
            {
                throw Invalid($"LogType '{logType}' is not valid: use ALERT, FLOW or TLS.");
            }

            var destinationType = Text(config["LogDestinationType"]);
            var key = destinationType switch
            {
                "S3" => "bucketName",
                "CloudWatchLogs" => "logGroup",
                "KinesisDataFirehose" => "deliveryStream",
                _ => throw Invalid($"LogDestinationType '{destinationType}' is not valid: use S3, CloudWatchLogs or KinesisDataFirehose."),
            };
            if (Text((config["LogDestination"] as JsonObject)?[key]) is not { Length: > 0 })
            {
                throw Invalid($"The {logType} log destination of type {destinationType} needs LogDestination with the key {key}.");
            }

            if (!next.TryAdd(logType, (JsonObject)config.DeepClone()))
            {
                throw Invalid($"The logging configuration has more than one log destination for LogType {logType}; give one per log type.");
            }
        }

        lock (gate)
        {
            var firewall = FindFirewall(accountId, region, input);
            var current = firewall.LogDestinationConfigs.OfType<JsonObject>().ToDictionary(config => Text(config["LogType"])!, StringComparer.Ordinal);
            foreach (var (logType, config) in next)
            {
                if (current.TryGetValue(logType, out var before) && Text(before["LogDestinationType"]) != Text(config["LogDestinationType"]))
                {
                    throw Invalid($"The {logType} log destination's LogDestinationType cannot change from {Text(before["LogDestinationType"])} to {Text(config["LogDestinationType"])}: remove it and add the new one in two UpdateLoggingConfiguration calls.");
                }
            }

            var changes = next.Keys.Union(current.Keys).Count(type =>
                !current.TryGetValue(type, out var before) || !next.TryGetValue(type, out var after) || !JsonNode.DeepEquals(before, after));
            if (changes > 1)
            {
                throw Invalid("UpdateLoggingConfiguration makes one change per call: add one log destination, remove one, or change the destination of one.");
            }

            firewall.LogDestinationConfigs = new JsonArray([.. next.Values]);
            if (Flag(input["EnableMonitoringDashboard"]) is { } dashboard)
            {
                firewall.EnableMonitoringDashboard = dashboard;
            }

            return firewall;
        }
    }

    /// <summary>The attachment of a transit gateway-attached firewall the caller's transit gateway owns: accept, reject or delete it.</summary>
    public (string AttachmentId, string Status) ChangeAttachment(string accountId, string region, string attachmentId, string action)
    {
        lock (gate)
        {
            var attachment = transitGateways.FindAttachment(accountId, region, attachmentId);
            if (attachment is null || attachment.ResourceType != "network-function")
            {
                throw NotFound($"The transit gateway attachment {attachmentId} of a Network Firewall firewall does not exist in this account and Region.");
            }

            try
            {
                return action switch
                {
                    "accept" => (transitGateways.Accept(accountId, region, attachmentId).Id, "READY"),
                    "reject" => (transitGateways.Reject(accountId, region, attachmentId).Id, "REJECTED"),
                    _ => (transitGateways.DeleteAttachment(accountId, region, attachmentId).Id, "DELETING"),
                };
            }
            catch (AwsServiceException error)
            {
                throw Invalid(error.Message);
            }
        }
    }

    /// <summary>The state of a firewall's transit gateway attachment as DescribeFirewall words it.</summary>
    public string? AttachmentStatus(Firewall firewall) => firewall.TransitGatewayAttachmentId is not { } id ? null
        : transitGateways.FindAttachment(firewall.AccountId, firewall.Region, id)?.State switch
        {
            "available" => "READY",
            "pendingAcceptance" => "PENDING_ACCEPTANCE",
            "rejected" => "REJECTED",
            null => "DELETED",
            _ => "DELETING",
        };

    // ---------------------------------------------------------------- tags

    public FirewallResource Tagged(string accountId, string region, string arn)
    {
        lock (gate)
        {
            FirewallResource? found = firewalls.GetValueOrDefault(arn) ?? (FirewallResource?)policies.GetValueOrDefault(arn) ?? ruleGroups.GetValueOrDefault(arn);
            return found is not null && found.AccountId == accountId && found.Region == region
                ? found
                : throw NotFound($"The resource {arn} does not exist in this account and Region.");
        }
    }

    public void Tag(string accountId, string region, string arn, JsonNode? tags)
    {
        lock (gate)
        {
            AddTags(Tagged(accountId, region, arn), tags);
        }
    }

    public void Untag(string accountId, string region, string arn, IReadOnlyCollection<string> keys)
    {
        lock (gate)
        {
            Tagged(accountId, region, arn).Tags.RemoveAll(tag => keys.Contains(tag.Key));
        }
    }
}
