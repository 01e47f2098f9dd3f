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
            AddTags(group, input["Tags"]);
            if (Flag(input["DryRun"]) != true)
            {
                ruleGroups[arn] = group;
            }

            return group;
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
            AddTags(policy, input["Tags"]);
            if (Flag(input["DryRun"]) != true)
            {
                policies[arn] = policy;
            }

            return policy;
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

    // ---------------------------------------------------------------- checks

    private JsonObject RuleGroupBody(JsonObject input)
    {
        var body = input["RuleGroup"]?.DeepClone() as JsonObject;
        if (Text(input["Rules"]) is { } rules)
        {
            if (body is not null)
            {
                throw Invalid("Give either RuleGroup or Rules, not both.");
            }

            body = new JsonObject { ["RulesSource"] = new JsonObject { ["RulesString"] = rules } };
        }

        return body ?? throw Invalid("A rule group needs RuleGroup (with its RulesSource) or Rules.");
    }

    /// <summary>Checks the rules against the group's type and capacity, and stores them.</summary>
    private static void SetRules(FirewallRuleGroup group, JsonObject body)
    {
        Normalize(body);
        var source = body["RulesSource"] as JsonObject ?? throw Invalid("RuleGroup needs RulesSource.");
        var kinds = new[] { "RulesString", "RulesSourceList", "StatefulRules", "StatelessRulesAndCustomActions" }.Where(source.ContainsKey).ToList();
        if (kinds.Count != 1)
        {
            throw Invalid($"RulesSource must have exactly one of RulesString, RulesSourceList, StatefulRules or StatelessRulesAndCustomActions; it has {(kinds.Count == 0 ? "none" : string.Join(", ", kinds))}.");
        }

        var kind = kinds[0];
        if ((group.Type == "STATELESS") != (kind == "StatelessRulesAndCustomActions"))
        {
            throw Invalid(group.Type == "STATELESS"
                ? $"A STATELESS rule group takes its rules in StatelessRulesAndCustomActions, not {kind}."
                : "A STATEFUL rule group takes its rules in RulesString, RulesSourceList or StatefulRules, not StatelessRulesAndCustomActions.");
        }

        var consumed = kind switch
        {
            "RulesString" => SuricataRules(Text(source["RulesString"]) ?? ""),
            "RulesSourceList" => DomainListCapacity(source["RulesSourceList"] as JsonObject),
            "StatefulRules" => (source["StatefulRules"] as JsonArray)?.Count ?? 0,
            _ => StatelessCapacity(source["StatelessRulesAndCustomActions"] as JsonObject),
        };
        if (consumed > group.Capacity)
        {
            throw Invalid($"The rules of rule group {group.Name} need a capacity of {consumed}, more than its capacity of {group.Capacity}; a rule group's capacity is fixed at its creation.");
        }

        group.Body = body;
        group.ConsumedCapacity = consumed;
    }

    /// <summary>
    /// The rules of a Suricata-compatible rules string (one per line; '#' comments and blank lines skipped, a trailing
    /// backslash continues a rule), each starting with an action. Each rule uses one unit of capacity.
    /// </summary>
    private static int SuricataRules(string rules)
    {
        var count = 0;
        foreach (var rule in ContinuationLines().Replace(rules, " ").Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0 && !line.StartsWith('#')))
        {
            var action = rule.Split([' ', '\t'], 2)[0];
            if (!SuricataActions.Contains(action))
            {
                throw Invalid($"The Suricata rule '{(rule.Length > 80 ? rule[..80] + "…" : rule)}' does not start with an action: use pass, drop, reject, alert, rejectsrc, rejectdst or rejectboth.");
            }

            count++;
        }

        return count;
    }

    /// <summary>A domain list: one unit per domain and target type, plus one per target type (the rule per protocol).</summary>
    private static int DomainListCapacity(JsonObject? list)
    {
        var targets = (list?["Targets"] as JsonArray)?.Count ?? 0;
        var types = (list?["TargetTypes"] as JsonArray)?.Count ?? 0;
        if (Text(list?["GeneratedRulesType"]) is not ("ALLOWLIST" or "DENYLIST" or "REJECTLIST" or "ALERTLIST") || targets == 0 || types == 0)
        {
            throw Invalid("RulesSourceList needs Targets, TargetTypes (TLS_SNI, HTTP_HOST) and GeneratedRulesType (ALLOWLIST, DENYLIST, REJECTLIST or ALERTLIST).");
        }

        return (targets * types) + types;
    }

    /// <summary>A stateless rule's capacity is the product of its match settings' counts (a setting with no criteria counts 1), summed over the rules.</summary>
    private static int StatelessCapacity(JsonObject? rules)
    {
        var total = 0;
        var priorities = new HashSet<int>();
        foreach (var rule in (rules?["StatelessRules"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var priority = Integer(rule["Priority"]) ?? throw Invalid("Each stateless rule needs a Priority, 1 to 65535.");
            if (!priorities.Add(priority))
            {
                throw Invalid($"Two stateless rules of the group have priority {priority}; priorities must be unique within a rule group.");
            }

            var definition = rule["RuleDefinition"] as JsonObject ?? throw Invalid($"The stateless rule of priority {priority} needs RuleDefinition.");
            var actions = Texts(definition["Actions"]);
            if (actions.Count(StatelessStandardActions.Contains) != 1)
            {
                throw Invalid($"The stateless rule of priority {priority} needs exactly one of aws:pass, aws:drop or aws:forward_to_sfe in Actions (and optionally custom actions).");
            }

            var match = definition["MatchAttributes"] as JsonObject ?? [];
            total += new[] { "Sources", "Destinations", "SourcePorts", "DestinationPorts", "Protocols", "TCPFlags" }
                .Aggregate(1, (product, setting) => product * Math.Max(1, (match[setting] as JsonArray)?.Count ?? 0));
        }

        return total;
    }

    /// <summary>A policy's checks: the stateless default actions it needs, its references to rule groups of the right type, strict-order actions.</summary>
    private JsonObject CheckedPolicy(string accountId, string region, JsonObject given)
    {
        var body = (JsonObject)given.DeepClone();
        Normalize(body);
        var customActions = (body["StatelessCustomActions"] as JsonArray ?? []).Select(action => Text(action?["ActionName"])).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var member in new[] { "StatelessDefaultActions", "StatelessFragmentDefaultActions" })
        {
            var actions = body[member] is JsonArray ? Texts(body[member]) : throw Invalid($"FirewallPolicy needs {member}: one of aws:pass, aws:drop or aws:forward_to_sfe.");
            if (actions.Count(StatelessStandardActions.Contains) != 1 || actions.Any(action => !StatelessStandardActions.Contains(action) && !customActions.Contains(action)))
            {
                throw Invalid($"{member} [{string.Join(", ", actions)}] must hold exactly one of aws:pass, aws:drop or aws:forward_to_sfe, plus only custom actions the policy defines.");
            }
        }

        var strict = Text((body["StatefulEngineOptions"] as JsonObject)?["RuleOrder"]) == "STRICT_ORDER";
        foreach (var action in Texts(body["StatefulDefaultActions"]))
        {
            if (!StatefulDefaultActions.Contains(action))
            {
                throw Invalid($"The stateful default action {action} is not valid: use {string.Join(", ", StatefulDefaultActions)}.");
            }

            if (!strict)
            {
                throw Invalid("StatefulDefaultActions are allowed only with StatefulEngineOptions RuleOrder STRICT_ORDER.");
            }
        }

        CheckReferences(accountId, region, body["StatelessRuleGroupReferences"] as JsonArray, "STATELESS", priorityRequired: true, ruleOrder: null);
        CheckReferences(accountId, region, body["StatefulRuleGroupReferences"] as JsonArray, "STATEFUL", priorityRequired: strict, ruleOrder: strict ? "STRICT_ORDER" : "DEFAULT_ACTION_ORDER");
        return body;
    }

    /// <summary>
    /// Each reference names an existing rule group of the right type, with a priority where one is needed; a stateful
    /// group's rule order (StatefulRuleOptions) must be the policy's ("The settings for your rule groups must match
    /// the settings for the firewall policy that they belong to").
    /// </summary>
    private void CheckReferences(string accountId, string region, JsonArray? references, string type, bool priorityRequired, string? ruleOrder)
    {
        foreach (var reference in (references ?? []).OfType<JsonObject>())
        {
            var arn = Text(reference["ResourceArn"]) ?? throw Invalid($"Each {type.ToLowerInvariant()} rule group reference needs ResourceArn.");
            if (priorityRequired && Integer(reference["Priority"]) is null)
            {
                throw Invalid($"The {type.ToLowerInvariant()} rule group reference {arn} needs a Priority{(type == "STATEFUL" ? " under STRICT_ORDER" : "")}.");
            }

            // AWS's managed rule groups live in the account "aws-managed" (arn:aws:network-firewall:REGION:aws-managed:stateful-rulegroup/NAME).
            if (arn.StartsWith($"arn:aws:network-firewall:{region}:aws-managed:stateful-rulegroup/", StringComparison.Ordinal) && type == "STATEFUL")
            {
                continue;
            }

            if (!ruleGroups.TryGetValue(arn, out var group) || group.AccountId != accountId || group.Region != region)
            {
                throw Invalid($"The rule group {arn} does not exist in this account and Region.");
            }

            if (group.Type != type)
            {
                throw Invalid($"The rule group {arn} is {group.Type}; a {type.ToLowerInvariant()} rule group reference needs a {type} rule group.");
            }

            var groupOrder = Text((group.Body["StatefulRuleOptions"] as JsonObject)?["RuleOrder"]) ?? "DEFAULT_ACTION_ORDER";
            if (ruleOrder is not null && groupOrder != ruleOrder)
            {
                throw Invalid($"The rule group {group.Name} uses rule order {groupOrder} but the firewall policy uses {ruleOrder}: a policy's stateful rule groups must use its rule order.");
            }
        }
    }

    private static IEnumerable<string> References(FirewallPolicy policy) =>
        new[] { "StatelessRuleGroupReferences", "StatefulRuleGroupReferences" }
            .SelectMany(member => (policy.Body[member] as JsonArray ?? []).Select(reference => Text(reference?["ResourceArn"])).OfType<string>());

    private IEnumerable<FirewallZone> SubnetZones(Firewall firewall, JsonArray mappings, IReadOnlyList<FirewallZone>? existing = null)
    {
        var zones = (existing ?? []).ToDictionary(zone => zone.AvailabilityZone, zone => zone.SubnetId ?? "", StringComparer.Ordinal);
        var added = new List<FirewallZone>();
        foreach (var mapping in mappings)
        {
            var subnetId = Text(mapping?["SubnetId"]) ?? throw Invalid("Each SubnetMapping needs SubnetId.");
            var ipType = Text(mapping?["IPAddressType"]) ?? "IPV4";
            if (ipType is not ("IPV4" or "IPV6" or "DUALSTACK"))
            {
                throw Invalid($"IPAddressType '{ipType}' of subnet {subnetId} is not valid: use IPV4, IPV6 or DUALSTACK.");
            }

            var subnet = vpcs.Subnet(firewall.AccountId, firewall.Region, subnetId) ?? throw Invalid($"The subnet {subnetId} does not exist in this account and Region.");
            if (subnet.VpcId != firewall.VpcId)
            {
                throw Invalid($"The subnet {subnetId} is in VPC {subnet.VpcId}, not in the firewall's VPC {firewall.VpcId}.");
            }

            if (!zones.TryAdd(subnet.AvailabilityZone, subnetId))
            {
                throw Invalid($"The subnets {zones[subnet.AvailabilityZone]} and {subnetId} are both in {subnet.AvailabilityZone}: a firewall takes one subnet per Availability Zone.");
            }

            added.Add(new FirewallZone(subnet.AvailabilityZone, subnetId, ipType, EndpointId()));
        }

        return added;
    }

    private static IEnumerable<FirewallZone> GatewayZones(Firewall firewall, JsonArray mappings)
    {
        var zones = new HashSet<string>(firewall.Zones.Select(zone => zone.AvailabilityZone), StringComparer.Ordinal);
        var added = new List<FirewallZone>();
        foreach (var mapping in mappings)
        {
            var zone = Text(mapping?["AvailabilityZone"]) ?? throw Invalid("Each AvailabilityZoneMapping needs AvailabilityZone.");
            if (!zones.Add(zone))
            {
                throw Invalid($"The Availability Zone {zone} is given twice in AvailabilityZoneMappings.");
            }

            added.Add(new FirewallZone(zone, null, null, EndpointId()));
        }

        return added;
    }

    private static void CheckSubnetChange(Firewall firewall)
    {
        if (firewall.TransitGatewayId is not null)
        {
            throw Invalid($"The firewall {firewall.Name} is attached to a transit gateway: change its zones with AssociateAvailabilityZones and DisassociateAvailabilityZones.");
        }

        if (firewall.SubnetChangeProtection)
        {
            throw InvalidOperation($"The firewall {firewall.Name} has SubnetChangeProtection set to TRUE: turn it off with UpdateSubnetChangeProtection before changing its subnets.");
        }
    }

    private FirewallPolicy OwnPolicy(string accountId, string region, string arn) =>
        policies.TryGetValue(arn, out var policy) && policy.AccountId == accountId && policy.Region == region
            ? policy
            : throw Invalid($"The firewall policy {arn} does not exist in this account and Region.");

    private FirewallRuleGroup FindRuleGroup(string accountId, string region, JsonObject input)
    {
        var arn = Text(input["RuleGroupArn"]);
        var name = Text(input["RuleGroupName"]);
        var type = Text(input["Type"]);
        if (arn is null && name is null)
        {
            throw Invalid("Give RuleGroupArn or RuleGroupName (with Type).");
        }

        var matches = ruleGroups.Values.Where(group => group.AccountId == accountId && group.Region == region
            && (arn is null || group.Arn == arn) && (name is null || group.Name == name) && (type is null || group.Type == type)).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw NotFound($"The rule group {arn ?? name} does not exist in this account and Region."),
            _ => throw Invalid($"There are a STATELESS and a STATEFUL rule group named {name}: give Type or RuleGroupArn."),
        };
    }

    private FirewallPolicy FindPolicy(string accountId, string region, JsonObject input) =>
        Find(policies, accountId, region, Text(input["FirewallPolicyArn"]), Text(input["FirewallPolicyName"]), "firewall policy", "FirewallPolicyArn or FirewallPolicyName");

    private Firewall FindFirewall(string accountId, string region, JsonObject input) =>
        Find(firewalls, accountId, region, Text(input["FirewallArn"]), Text(input["FirewallName"]), "firewall", "FirewallArn or FirewallName");

    private static T Find<T>(Dictionary<string, T> items, string accountId, string region, string? arn, string? name, string what, string members)
        where T : FirewallResource
    {
        if (arn is null && name is null)
        {
            throw Invalid($"Give {members}.");
        }

        var found = items.Values.FirstOrDefault(item => item.AccountId == accountId && item.Region == region && (arn is null || item.Arn == arn) && (name is null || item.Name == name));
        return found ?? throw NotFound($"The {what} {arn ?? name} does not exist in this account and Region.");
    }

    private static void CheckToken(FirewallResource resource, JsonObject input, bool required)
    {
        var token = Text(input["UpdateToken"]);
        if (token is null && required)
        {
            throw Invalid("UpdateToken is required: take it from the latest Describe call of the resource.");
        }

        if (token is not null && token != resource.UpdateToken)
        {
            throw new AwsServiceException(400, "InvalidTokenException", $"The update token {token} is stale or not valid for {resource.Name}: describe the resource again for its current token.") { JsonMessageMember = "Message" };
        }
    }

    /// <summary>An update of a rule group or policy: nothing under DryRun; else the change, Description and EncryptionConfiguration when given, a new token.</summary>
    private T Apply<T>(T resource, JsonObject input, Action change)
        where T : FirewallResource
    {
        if (Flag(input["DryRun"]) == true)
        {
            return resource;
        }

        change();
        if (input.ContainsKey("Description"))
        {
            resource.Description = Text(input["Description"]);
        }

        if (input["EncryptionConfiguration"] is JsonObject encryption)
        {
            resource.Encryption = (JsonObject)encryption.DeepClone();
        }

        Touch(resource);
        return resource;
    }

    private void Touch(FirewallResource resource)
    {
        resource.UpdateToken = Guid.NewGuid().ToString();
        resource.LastModified = clock.GetUtcNow();
    }

    private static void AddTags(FirewallResource resource, JsonNode? tags)
    {
        foreach (var tag in (tags as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = Text(tag["Key"]) ?? throw Invalid("Each tag needs a Key.");
            resource.Tags.RemoveAll(existing => existing.Key == key);
            resource.Tags.Add(KeyValuePair.Create(key, Text(tag["Value"]) ?? ""));
        }

        if (resource.Tags.Count > 200)
        {
            throw Invalid($"{resource.Name} would have {resource.Tags.Count} tags; a resource takes at most 200.");
        }
    }

    private static string Name(JsonObject input, string member)
    {
        var name = Text(input[member]) ?? throw Invalid($"{member} is required.");
        if (name.Length is < 1 or > 128 || !ResourceName().IsMatch(name))
        {
            throw Invalid($"{member} '{name}' is not valid: 1 to 128 letters, digits and hyphens.");
        }

        return name;
    }

    /// <summary>Integer members given as strings (as CloudFormation templates may) become numbers.</summary>
    private static void Normalize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject members:
                foreach (var (key, value) in members.ToList())
                {
                    if (IntegerMembers.Contains(key) && value is JsonValue && Integer(value) is { } number)
                    {
                        members[key] = number;
                    }
                    else if (IntegerMembers.Contains(key) && value is JsonArray items)
                    {
                        members[key] = new JsonArray([.. items.Select(item => (JsonNode?)(Integer(item) is { } itemNumber ? JsonValue.Create(itemNumber) : item?.DeepClone()))]);
                    }
                    else
                    {
                        Normalize(value);
                    }
                }

                break;
            case JsonArray items:
                foreach (var item in items)
                {
                    Normalize(item);
                }

                break;
        }
    }

    private static string EndpointId() => "vpce-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(9)).ToLowerInvariant()[..17];

    public static string? Text(JsonNode? node) => node is JsonValue value
        ? value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.Number => value.ToJsonString(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        }
        : null;

    private static List<string> Texts(JsonNode? node) => (node as JsonArray ?? []).Select(Text).OfType<string>().ToList();

    private static int? Integer(JsonNode? node) => int.TryParse(Text(node), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : null;

    private static bool? Flag(JsonNode? node) => bool.TryParse(Text(node), out var flag) ? flag : null;

    public static AwsServiceException Invalid(string message) => new(400, "InvalidRequestException", message) { JsonMessageMember = "Message" };

    private static AwsServiceException NotFound(string message) => new(400, "ResourceNotFoundException", message) { JsonMessageMember = "Message" };

    private static AwsServiceException InvalidOperation(string message) => new(400, "InvalidOperationException", message) { JsonMessageMember = "Message" };

    [GeneratedRegex("^[a-zA-Z0-9-]+$")]
    private static partial Regex ResourceName();

    [GeneratedRegex(@"\\\r?\n")]
    private static partial Regex ContinuationLines();
}
