using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Ec2;

namespace CloudPatterns.LocalCloud.Services.NetworkFirewall;

/// <summary>NetworkFirewallStore's checks of rule groups, policies and firewall subnets, lookups and value readers (docs/localcloud-network-firewall.md).</summary>
internal sealed partial class NetworkFirewallStore
{
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

    /// <summary>A new rule group's or policy's tags set and the resource kept, unless the request is a DryRun (the API
    /// checks it and keeps nothing).</summary>
    private static T Created<T>(Dictionary<string, T> items, T resource, JsonObject input) where T : FirewallResource
    {
        AddTags(resource, input["Tags"]);
        if (Flag(input["DryRun"]) != true)
        {
            items[resource.Arn] = resource;
        }

        return resource;
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
