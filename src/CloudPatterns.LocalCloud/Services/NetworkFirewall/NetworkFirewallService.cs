using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.NetworkFirewall;

/// <summary>
/// AWS Network Firewall (JSON 1.0, NetworkFirewall_20201112): firewalls (VPC subnets or a transit gateway), firewall
/// policies, stateless and stateful rule groups, logging configuration, tags, and transit gateway attachments
/// (docs/localcloud-network-firewall.md). Firewalls are READY at once, with one endpoint per zone.
/// </summary>
internal sealed class NetworkFirewallService : JsonService
{
    private readonly NetworkFirewallStore store;

    public NetworkFirewallService(NetworkFirewallStore store)
        : base("network-firewall", "NetworkFirewall_20201112", "ThrottlingException")
    {
        this.store = store;
        AddOperation("CreateRuleGroup", mutating: true, (request, input) => RuleGroupAnswer(store.CreateRuleGroup(request.AccountId, request.Region, Input(input)), withRules: false));
        AddOperation("DescribeRuleGroup", mutating: false, (request, input) => RuleGroupAnswer(store.DescribeRuleGroup(request.AccountId, request.Region, Input(input)), withRules: true));
        AddOperation("DescribeRuleGroupMetadata", mutating: false, DescribeRuleGroupMetadata);
        AddOperation("UpdateRuleGroup", mutating: true, (request, input) => RuleGroupAnswer(store.UpdateRuleGroup(request.AccountId, request.Region, Input(input)), withRules: false));
        AddOperation("DeleteRuleGroup", mutating: true, (request, input) => new JsonObject { ["RuleGroupResponse"] = RuleGroupResponse(store.DeleteRuleGroup(request.AccountId, request.Region, Input(input)), "DELETING") });
        AddOperation("ListRuleGroups", mutating: false, ListRuleGroups);
        AddOperation("CreateFirewallPolicy", mutating: true, (request, input) => PolicyAnswer(store.CreatePolicy(request.AccountId, request.Region, Input(input)), withPolicy: false));
        AddOperation("DescribeFirewallPolicy", mutating: false, (request, input) => PolicyAnswer(store.DescribePolicy(request.AccountId, request.Region, Input(input)), withPolicy: true));
        AddOperation("UpdateFirewallPolicy", mutating: true, (request, input) => PolicyAnswer(store.UpdatePolicy(request.AccountId, request.Region, Input(input)), withPolicy: false));
        AddOperation("DeleteFirewallPolicy", mutating: true, (request, input) => new JsonObject { ["FirewallPolicyResponse"] = PolicyResponse(store.DeletePolicy(request.AccountId, request.Region, Input(input)), "DELETING") });
        AddOperation("ListFirewallPolicies", mutating: false, (request, input) => Page(input, "ListFirewallPolicies", "FirewallPolicies",
            store.Policies(request.AccountId, request.Region).Select(policy => new JsonObject { ["Name"] = policy.Name, ["Arn"] = policy.Arn }).ToList()));
        AddOperation("CreateFirewall", mutating: true, (request, input) => FirewallAnswer(store.CreateFirewall(request.AccountId, request.Region, Input(input)), "READY", withToken: false));
        AddOperation("DescribeFirewall", mutating: false, (request, input) => FirewallAnswer(store.DescribeFirewall(request.AccountId, request.Region, Input(input)), "READY", withToken: true));
        AddOperation("DescribeFirewallMetadata", mutating: false, DescribeFirewallMetadata);
        AddOperation("DeleteFirewall", mutating: true, (request, input) => FirewallAnswer(store.DeleteFirewall(request.AccountId, request.Region, Input(input)), "DELETING", withToken: false));
        AddOperation("ListFirewalls", mutating: false, (request, input) => Page(input, "ListFirewalls", "Firewalls",
            store.Firewalls(request.AccountId, request.Region, input.GetStringsOrEmpty("VpcIds").ToHashSet(StringComparer.Ordinal))
                .Select(firewall => WithOptional(new JsonObject { ["FirewallName"] = firewall.Name, ["FirewallArn"] = firewall.Arn }, "TransitGatewayAttachmentId", firewall.TransitGatewayAttachmentId)).ToList()));
        AddFirewallChange("AssociateFirewallPolicy", (firewall, input) => store.AssociatePolicy(firewall, NetworkFirewallStore.Text(input["FirewallPolicyArn"]) ?? throw NetworkFirewallStore.Invalid("FirewallPolicyArn is required.")),
            firewall => new() { ["FirewallPolicyArn"] = firewall.PolicyArn });
        AddFirewallChange("AssociateSubnets", (firewall, input) => store.AssociateSubnets(firewall, input["SubnetMappings"] as JsonArray ?? throw NetworkFirewallStore.Invalid("SubnetMappings is required.")),
            firewall => new() { ["SubnetMappings"] = SubnetMappings(firewall) });
        AddFirewallChange("DisassociateSubnets", (firewall, input) => store.DisassociateSubnets(firewall, (input["SubnetIds"] as JsonArray ?? []).Select(NetworkFirewallStore.Text).OfType<string>().ToList()),
            firewall => new() { ["SubnetMappings"] = SubnetMappings(firewall) });
        AddFirewallChange("AssociateAvailabilityZones", (firewall, input) => store.ChangeZones(firewall, input["AvailabilityZoneMappings"] as JsonArray ?? [], associate: true),
            firewall => new() { ["AvailabilityZoneMappings"] = ZoneMappings(firewall) });
        AddFirewallChange("DisassociateAvailabilityZones", (firewall, input) => store.ChangeZones(firewall, input["AvailabilityZoneMappings"] as JsonArray ?? [], associate: false),
            firewall => new() { ["AvailabilityZoneMappings"] = ZoneMappings(firewall) });
        AddFirewallChange("UpdateFirewallDeleteProtection", (firewall, input) => firewall.DeleteProtection = RequiredFlag(input, "DeleteProtection"),
            firewall => new() { ["DeleteProtection"] = firewall.DeleteProtection });
        AddFirewallChange("UpdateSubnetChangeProtection", (firewall, input) => firewall.SubnetChangeProtection = RequiredFlag(input, "SubnetChangeProtection"),
            firewall => new() { ["SubnetChangeProtection"] = firewall.SubnetChangeProtection });
        AddFirewallChange("UpdateFirewallPolicyChangeProtection", (firewall, input) => firewall.FirewallPolicyChangeProtection = RequiredFlag(input, "FirewallPolicyChangeProtection"),
            firewall => new() { ["FirewallPolicyChangeProtection"] = firewall.FirewallPolicyChangeProtection });
        AddFirewallChange("UpdateAvailabilityZoneChangeProtection", (firewall, input) => firewall.AvailabilityZoneChangeProtection = RequiredFlag(input, "AvailabilityZoneChangeProtection"),
            firewall => new() { ["AvailabilityZoneChangeProtection"] = firewall.AvailabilityZoneChangeProtection });
        AddFirewallChange("UpdateFirewallDescription", (firewall, input) => firewall.Description = NetworkFirewallStore.Text(input["Description"]),
            firewall => new() { ["Description"] = firewall.Description ?? "" });
        AddOperation("UpdateLoggingConfiguration", mutating: true, (request, input) =>
        {
            var firewall = store.UpdateLogging(request.AccountId, request.Region, Input(input));
            return new JsonObject
            {
                ["FirewallArn"] = firewall.Arn,
                ["FirewallName"] = firewall.Name,
                ["LoggingConfiguration"] = new JsonObject { ["LogDestinationConfigs"] = firewall.LogDestinationConfigs.DeepClone() },
                ["EnableMonitoringDashboard"] = firewall.EnableMonitoringDashboard,
            };
        });
        AddOperation("DescribeLoggingConfiguration", mutating: false, (request, input) =>
        {
            var firewall = store.DescribeFirewall(request.AccountId, request.Region, Input(input));
            return new JsonObject
            {
                ["FirewallArn"] = firewall.Arn,
                ["LoggingConfiguration"] = new JsonObject { ["LogDestinationConfigs"] = firewall.LogDestinationConfigs.DeepClone() },
                ["EnableMonitoringDashboard"] = firewall.EnableMonitoringDashboard,
            };
        });
        AddOperation("AcceptNetworkFirewallTransitGatewayAttachment", mutating: true, (request, input) => AttachmentAnswer(request, input, "accept"));
        AddOperation("RejectNetworkFirewallTransitGatewayAttachment", mutating: true, (request, input) => AttachmentAnswer(request, input, "reject"));
        AddOperation("DeleteNetworkFirewallTransitGatewayAttachment", mutating: true, (request, input) => AttachmentAnswer(request, input, "delete"));
        AddOperation("TagResource", mutating: true, (request, input) =>
        {
            store.Tag(request.AccountId, request.Region, RequiredText(input, "ResourceArn"), Input(input)["Tags"]);
            return [];
        });
        AddOperation("UntagResource", mutating: true, (request, input) =>
        {
            store.Untag(request.AccountId, request.Region, RequiredText(input, "ResourceArn"), input.GetStringsOrEmpty("TagKeys").ToHashSet(StringComparer.Ordinal));
            return [];
        });
        AddOperation("ListTagsForResource", mutating: false, (request, input) =>
            new JsonObject { ["Tags"] = Tags(store.Tagged(request.AccountId, request.Region, RequiredText(input, "ResourceArn"))) });
    }

    /// <summary>The model's jsonVersion is 1.0 (botocore's network-firewall service-2.json).</summary>
    protected override string ContentType => "application/x-amz-json-1.0";

    /// <summary>
    /// Authorization's resources: FirewallPath, PolicyPath and RuleGroupPath are the ARN a request gives, else the
    /// resource part of the ARN its name makes (OperationActions).
    /// </summary>
    protected override string? RequestParameter(JsonElement input, string name) => name switch
    {
        "FirewallPath" => input.GetStringOrNull("FirewallArn") ?? (input.GetStringOrNull("FirewallName") is { } firewall ? "firewall/" + firewall : null),
        "PolicyPath" => input.GetStringOrNull("FirewallPolicyArn") ?? (input.GetStringOrNull("FirewallPolicyName") is { } policy ? "firewall-policy/" + policy : null),
        "RuleGroupPath" => input.GetStringOrNull("RuleGroupArn")
            ?? (input.GetStringOrNull("RuleGroupName") is { } group ? (input.GetStringOrNull("Type") == "STATELESS" ? "stateless" : "stateful") + "-rulegroup/" + group : null),
        _ => base.RequestParameter(input, name),
    };

    private void AddFirewallChange(string operation, Action<Firewall, JsonObject> change, Func<Firewall, JsonObject> answer) =>
        AddOperation(operation, mutating: true, (request, input) =>
        {
            var given = Input(input);
            var firewall = store.ChangeFirewall(request.AccountId, request.Region, given, firewall => change(firewall, given));
            var output = answer(firewall);
            output["FirewallArn"] = firewall.Arn;
            output["FirewallName"] = firewall.Name;
            output["UpdateToken"] = firewall.UpdateToken;
            return output;
        });

    private JsonObject RuleGroupAnswer(FirewallRuleGroup group, bool withRules)
    {
        var output = new JsonObject { ["UpdateToken"] = group.UpdateToken, ["RuleGroupResponse"] = RuleGroupResponse(group, "ACTIVE") };
        if (withRules)
        {
            output["RuleGroup"] = group.Body.DeepClone();
        }

        return output;
    }

    private JsonObject RuleGroupResponse(FirewallRuleGroup group, string status)
    {
        var response = new JsonObject
        {
            ["RuleGroupArn"] = group.Arn,
            ["RuleGroupName"] = group.Name,
            ["RuleGroupId"] = group.Id,
            ["Type"] = group.Type,
            ["Capacity"] = group.Capacity,
            ["RuleGroupStatus"] = status,
            ["Tags"] = Tags(group),
            ["ConsumedCapacity"] = group.ConsumedCapacity,
            ["NumberOfAssociations"] = store.Associations(group),
            ["EncryptionConfiguration"] = Encryption(group),
            ["LastModifiedTime"] = ResponseBodies.EpochSeconds(group.LastModified),
        };
        WithOptional(response, "Description", group.Description);
        if (group.SummaryConfiguration is { } summary)
        {
            response["SummaryConfiguration"] = summary.DeepClone();
        }

        return response;
    }

    private JsonObject DescribeRuleGroupMetadata(AwsRequest request, JsonElement input)
    {
        var group = store.DescribeRuleGroup(request.AccountId, request.Region, Input(input));
        var output = new JsonObject
        {
            ["RuleGroupArn"] = group.Arn,
            ["RuleGroupName"] = group.Name,
            ["Type"] = group.Type,
            ["Capacity"] = group.Capacity,
            ["LastModifiedTime"] = ResponseBodies.EpochSeconds(group.LastModified),
        };
        if (group.Body["StatefulRuleOptions"] is JsonObject options)
        {
            output["StatefulRuleOptions"] = options.DeepClone();
        }

        return WithOptional(output, "Description", group.Description);
    }

    private JsonObject ListRuleGroups(AwsRequest request, JsonElement input)
    {
        // AWS's managed rule groups are not listed: LocalCloud has none (Scope MANAGED answers an empty list).
        var groups = input.GetStringOrNull("Scope") == "MANAGED" ? [] : store.RuleGroups(request.AccountId, request.Region, input.GetStringOrNull("Type"));
        return Page(input, "ListRuleGroups", "RuleGroups", groups.Select(group => new JsonObject { ["Name"] = group.Name, ["Arn"] = group.Arn }).ToList());
    }

    private JsonObject PolicyAnswer(FirewallPolicy policy, bool withPolicy)
    {
        var output = new JsonObject { ["UpdateToken"] = policy.UpdateToken, ["FirewallPolicyResponse"] = PolicyResponse(policy, "ACTIVE") };
        if (withPolicy)
        {
            output["FirewallPolicy"] = policy.Body.DeepClone();
        }

        return output;
    }

    private JsonObject PolicyResponse(FirewallPolicy policy, string status)
    {
        var (stateless, stateful, associations) = store.Usage(policy);
        var response = new JsonObject
        {
            ["FirewallPolicyName"] = policy.Name,
            ["FirewallPolicyArn"] = policy.Arn,
            ["FirewallPolicyId"] = policy.Id,
            ["FirewallPolicyStatus"] = status,
            ["Tags"] = Tags(policy),
            ["ConsumedStatelessRuleCapacity"] = stateless,
            ["ConsumedStatefulRuleCapacity"] = stateful,
            ["NumberOfAssociations"] = associations,
            ["EncryptionConfiguration"] = Encryption(policy),
            ["LastModifiedTime"] = ResponseBodies.EpochSeconds(policy.LastModified),
        };
        return WithOptional(response, "Description", policy.Description);
    }

    private JsonObject FirewallAnswer(Firewall firewall, string status, bool withToken)
    {
        var output = new JsonObject { ["Firewall"] = FirewallDescription(firewall), ["FirewallStatus"] = FirewallStatus(firewall, status) };
        if (withToken)
        {
            output["UpdateToken"] = firewall.UpdateToken;
        }

        return output;
    }

    private static JsonObject FirewallDescription(Firewall firewall)
    {
        var description = new JsonObject
        {
            ["FirewallName"] = firewall.Name,
            ["FirewallArn"] = firewall.Arn,
            ["FirewallPolicyArn"] = firewall.PolicyArn,
            ["SubnetMappings"] = SubnetMappings(firewall),
            ["DeleteProtection"] = firewall.DeleteProtection,
            ["SubnetChangeProtection"] = firewall.SubnetChangeProtection,
            ["FirewallPolicyChangeProtection"] = firewall.FirewallPolicyChangeProtection,
            ["FirewallId"] = firewall.Id,
            ["Tags"] = Tags(firewall),
            ["EncryptionConfiguration"] = Encryption(firewall),
            ["EnabledAnalysisTypes"] = new JsonArray([.. firewall.EnabledAnalysisTypes.Select(type => (JsonNode)type)]),
        };
        WithOptional(description, "VpcId", firewall.VpcId);
        WithOptional(description, "Description", firewall.Description);
        if (firewall.TransitGatewayId is not null)
        {
            description["TransitGatewayId"] = firewall.TransitGatewayId;
            description["TransitGatewayOwnerAccountId"] = firewall.TransitGatewayOwnerId;
            description["AvailabilityZoneMappings"] = ZoneMappings(firewall);
            description["AvailabilityZoneChangeProtection"] = firewall.AvailabilityZoneChangeProtection;
        }

        return description;
    }

    /// <summary>
    /// READY with one attachment per zone (the endpoint CloudFormation's EndpointIds names, "zone:vpce-id"), each zone
    /// IN_SYNC with the policy and the rule groups it references.
    /// </summary>
    private JsonObject FirewallStatus(Firewall firewall, string status)
    {
        var objects = store.ReferencedRuleGroupNames(firewall.PolicyArn).Prepend(firewall.PolicyArn[(firewall.PolicyArn.LastIndexOf('/') + 1)..]).Distinct(StringComparer.Ordinal).ToList();
        var syncStates = new JsonObject();
        foreach (var zone in firewall.Zones)
        {
            var attachment = new JsonObject { ["EndpointId"] = zone.EndpointId, ["Status"] = status == "DELETING" ? "DELETING" : "READY" };
            WithOptional(attachment, "SubnetId", zone.SubnetId);
            syncStates[zone.AvailabilityZone] = new JsonObject
            {
                ["Attachment"] = attachment,
                ["Config"] = new JsonObject(objects.Select(name => KeyValuePair.Create(name, (JsonNode?)new JsonObject { ["SyncStatus"] = "IN_SYNC", ["UpdateToken"] = firewall.UpdateToken }))),
            };
        }

        var output = new JsonObject { ["Status"] = status, ["ConfigurationSyncStateSummary"] = "IN_SYNC", ["SyncStates"] = syncStates };
        if (firewall.TransitGatewayAttachmentId is { } attachmentId)
        {
            output["TransitGatewayAttachmentSyncState"] = new JsonObject { ["AttachmentId"] = attachmentId, ["TransitGatewayAttachmentStatus"] = store.AttachmentStatus(firewall) };
        }

        return output;
    }

    private JsonObject DescribeFirewallMetadata(AwsRequest request, JsonElement input)
    {
        var firewall = store.DescribeFirewall(request.AccountId, request.Region, Input(input));
        var output = new JsonObject
        {
            ["FirewallArn"] = firewall.Arn,
            ["FirewallPolicyArn"] = firewall.PolicyArn,
            ["Status"] = "READY",
            ["SupportedAvailabilityZones"] = new JsonObject(firewall.Zones.Select(zone =>
                KeyValuePair.Create(zone.AvailabilityZone, (JsonNode?)new JsonObject { ["IPAddressType"] = zone.IpAddressType ?? "IPV4" }))),
        };
        WithOptional(output, "Description", firewall.Description);
        return WithOptional(output, "TransitGatewayAttachmentId", firewall.TransitGatewayAttachmentId);
    }

    private JsonObject AttachmentAnswer(AwsRequest request, JsonElement input, string action)
    {
        var (attachmentId, status) = store.ChangeAttachment(request.AccountId, request.Region, RequiredText(input, "TransitGatewayAttachmentId"), action);
        return new JsonObject { ["TransitGatewayAttachmentId"] = attachmentId, ["TransitGatewayAttachmentStatus"] = status };
    }

    private static JsonArray SubnetMappings(Firewall firewall) =>
        new([.. firewall.Zones.Where(zone => zone.SubnetId is not null)
            .Select(zone => (JsonNode)new JsonObject { ["SubnetId"] = zone.SubnetId, ["IPAddressType"] = zone.IpAddressType ?? "IPV4" })]);

    private static JsonArray ZoneMappings(Firewall firewall) =>
        new([.. firewall.Zones.Select(zone => (JsonNode)new JsonObject { ["AvailabilityZone"] = zone.AvailabilityZone })]);

    private static JsonArray Tags(FirewallResource resource) =>
        new([.. resource.Tags.Select(tag => (JsonNode)new JsonObject { ["Key"] = tag.Key, ["Value"] = tag.Value })]);

    private static JsonObject Encryption(FirewallResource resource) =>
        (JsonObject?)resource.Encryption?.DeepClone() ?? new JsonObject { ["Type"] = "AWS_OWNED_KMS_KEY" };

    private static JsonObject Page(JsonElement input, string operation, string member, IReadOnlyList<JsonObject> items)
    {
        var size = (int)(input.GetInt64OrNull("MaxResults") ?? 100);
        if (size is < 1 or > 100)
        {
            throw NetworkFirewallStore.Invalid($"MaxResults {size} is not valid: 1 to 100.");
        }

        var (page, next) = PageTokens.Page(items, operation, input.GetStringOrNull("NextToken"), size,
            () => NetworkFirewallStore.Invalid("The NextToken is not valid: give the one the previous page returned."));
        var output = new JsonObject { [member] = new JsonArray([.. page]) };
        return WithOptional(output, "NextToken", next);
    }

    private static JsonObject WithOptional(JsonObject output, string member, string? value)
    {
        if (value is not null)
        {
            output[member] = value;
        }

        return output;
    }

    private static JsonObject Input(JsonElement input) => JsonNode.Parse(input.GetRawText()) as JsonObject ?? [];

    private static string RequiredText(JsonElement input, string member) =>
        input.GetStringOrNull(member) ?? throw NetworkFirewallStore.Invalid($"{member} is required.");

    private static bool RequiredFlag(JsonObject input, string member) =>
        bool.TryParse(NetworkFirewallStore.Text(input[member]), out var flag) ? flag : throw NetworkFirewallStore.Invalid($"{member} is required: true or false.");
}
