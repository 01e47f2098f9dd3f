using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.CloudFormation;

namespace CloudPatterns.LocalCloud.Services.Events;

/// <summary>
/// AWS::Events::Rule in LocalCloud's EventBridge, through PutRule and PutTargets' own checks: Ref is the rule name (on a
/// custom bus "BUS|NAME", as CloudFormation gives it), GetAtt Arn. EventPattern may be an object or a JSON string; the
/// template's Targets replace the rule's targets on update. Deleting removes the targets, then the rule.
/// </summary>
internal sealed class EventRuleProvisioner(EventBusStore store, TimeProvider clock) : ServiceProvisioner(clock)
{
    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties)
    {
        var name = NameOrGenerated(request, properties, "Name");
        var (bus, arn) = Apply(request, properties, name);
        return Provisioned(bus == EventBus.DefaultName ? name : $"{bus}|{name}", ("Arn", arn));
    }

    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current)
    {
        var (bus, name) = Identity(current);
        var (_, arn) = Apply(request, properties, name, bus);
        return Provisioned(current.PhysicalId, ("Arn", arn));
    }

    protected override void Delete(ResourceRequest request, ProvisionedResource current)
    {
        var (bus, name) = Identity(current);
        if (Exists(request, current))
        {
            store.DeleteRule(request.Stack.AccountId, request.Stack.Region, bus, name, force: true);
        }
    }

    protected override bool Exists(ResourceRequest request, ProvisionedResource current)
    {
        var (bus, name) = Identity(current);
        return store.ListRules(request.Stack.AccountId, request.Stack.Region, bus, name).Any(rule => rule.Name == name);
    }

    private (string Bus, string Arn) Apply(ResourceRequest request, JsonElement properties, string name, string? bus = null)
    {
        var (account, region) = (request.Stack.AccountId, request.Stack.Region);
        var input = new JsonObject { ["Name"] = name };
        foreach (var member in new[] { "Description", "ScheduleExpression", "State", "RoleArn" })
        {
            if (properties.GetStringOrNull(member) is { } value)
            {
                input[member] = value;
            }
        }

        input["EventBusName"] = bus ?? properties.GetStringOrNull("EventBusName") ?? EventBus.DefaultName;
        if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty("EventPattern", out var pattern))
        {
            input["EventPattern"] = pattern.ValueKind == JsonValueKind.String ? pattern.GetString() : pattern.GetRawText();
        }

        var body = JsonSerializer.SerializeToElement(input);
        var arn = EventBridgeService.PutRule(store, Clock, account, region, body);
        var busName = EventBridgeService.Bus(account, region, body).Name;
        var targets = properties.GetArrayOrEmpty("Targets");
        var ids = targets.Select(target => target.GetStringOrNull("Id")).ToHashSet(StringComparer.Ordinal);
        store.WithRule(account, region, busName, name, rule => rule.Targets.RemoveAll(target => !ids.Contains(target.Id)));
        if (targets.Count > 0)
        {
            EventBridgeService.PutTargets(store, account, region, JsonSerializer.SerializeToElement(new JsonObject
            {
                ["Rule"] = name,
                ["EventBusName"] = busName,
                ["Targets"] = JsonNode.Parse(properties.GetProperty("Targets").GetRawText()),
            }));
        }

        return (busName, arn);
    }

    private static (string Bus, string Name) Identity(ProvisionedResource current) =>
        current.PhysicalId.Split('|') is [var bus, var name] ? (bus, name) : (EventBus.DefaultName, current.PhysicalId);
}

/// <summary>AWS::Events::EventBus: Ref is the bus name; GetAtt Arn, Name and Policy. The Policy property is the bus's resource policy.</summary>
internal sealed class EventBusProvisioner(EventBusStore store, TimeProvider clock) : ServiceProvisioner(clock)
{
    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties)
    {
        var name = properties.GetStringOrNull("Name") ?? ResourceIdentities.GeneratedName(request);
        var bus = store.CreateBus(request.Stack.AccountId, request.Stack.Region, name, properties.GetStringOrNull("Description"));
        return Update(request, properties, Provisioned(name, ("Arn", bus.Arn), ("Name", name)));
    }

    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current)
    {
        JsonObject? policy = properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty("Policy", out var given)
            ? JsonNode.Parse(given.ValueKind == JsonValueKind.String ? given.GetString()! : given.GetRawText()) as JsonObject
            : null;
        store.UpdateBus(request.Stack.AccountId, request.Stack.Region, current.PhysicalId, bus =>
        {
            bus.Description = properties.GetStringOrNull("Description");
            bus.Policy = policy;
        });
        var arn = EventsArns.Bus(request.Stack.AccountId, request.Stack.Region, current.PhysicalId);
        return policy is null
            ? Provisioned(current.PhysicalId, ("Arn", arn), ("Name", current.PhysicalId))
            : Provisioned(current.PhysicalId, ("Arn", arn), ("Name", current.PhysicalId), ("Policy", policy.ToJsonString()));
    }

    protected override void Delete(ResourceRequest request, ProvisionedResource current) =>
        store.DeleteBus(request.Stack.AccountId, request.Stack.Region, current.PhysicalId);

    protected override bool Exists(ResourceRequest request, ProvisionedResource current) =>
        store.ListBuses(request.Stack.AccountId, request.Stack.Region, current.PhysicalId).Any(bus => bus.Name == current.PhysicalId);
}

/// <summary>
/// AWS::Events::EventBusPolicy: one statement of a bus's policy, by StatementId (Ref): a whole Statement, or Action and
/// Principal (and Condition) as PutPermission takes them.
/// </summary>
internal sealed class EventBusPolicyProvisioner(EventBusStore store, TimeProvider clock) : ServiceProvisioner(clock)
{
    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties)
    {
        var sid = properties.GetStringOrNull("StatementId") ?? ResourceIdentities.GeneratedName(request);
        Replace(request, properties, sid);
        return Provisioned(sid);
    }

    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current)
    {
        Replace(request, properties, current.PhysicalId);
        return current;
    }

    protected override void Delete(ResourceRequest request, ProvisionedResource current)
    {
        if (Exists(request, current))
        {
            store.UpdateBus(request.Stack.AccountId, request.Stack.Region, BusName(request), bus => bus.Policy = Without(bus.Policy, current.PhysicalId));
        }
    }

    protected override bool Exists(ResourceRequest request, ProvisionedResource current)
    {
        try
        {
            return store.ReadBus(request.Stack.AccountId, request.Stack.Region, BusName(request), bus =>
                (bus.Policy?["Statement"] as JsonArray)?.OfType<JsonObject>().Any(statement => (string?)statement["Sid"] == current.PhysicalId) == true);
        }
        catch (AwsServiceException)
        {
            return false;
        }
    }

    private void Replace(ResourceRequest request, JsonElement properties, string sid)
    {
        var busName = BusName(request);
        store.UpdateBus(request.Stack.AccountId, request.Stack.Region, busName, bus =>
        {
            JsonObject statement;
            if (properties.GetObjectOrNull("Statement") is { } given)
            {
                statement = (JsonObject)JsonNode.Parse(given.GetRawText())!;
            }
            else
            {
                var principal = properties.GetStringOrNull("Principal") ?? "";
                statement = new JsonObject
                {
                    ["Effect"] = "Allow",
                    ["Principal"] = principal == "*" ? "*" : new JsonObject { ["AWS"] = $"arn:aws:iam::{principal}:root" },
                    ["Action"] = properties.GetStringOrNull("Action") ?? "events:PutEvents",
                    ["Resource"] = bus.Arn,
                };
                if (properties.GetObjectOrNull("Condition") is { } condition)
                {
                    statement["Condition"] = new JsonObject
                    {
                        [condition.GetStringOrNull("Type") ?? "StringEquals"] = new JsonObject { [condition.GetStringOrNull("Key") ?? ""] = condition.GetStringOrNull("Value") },
                    };
                }
            }

            statement["Sid"] = sid;
            var policy = Without(bus.Policy, sid) ?? new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = new JsonArray() };
            ((JsonArray)policy["Statement"]!).Add(statement);
            Identity.PolicyDocument.Cached(policy.ToJsonString());
            bus.Policy = policy;
        });
    }

    private static JsonObject? Without(JsonObject? policy, string sid)
    {
        if (policy?["Statement"] is not JsonArray statements)
        {
            return policy;
        }

        foreach (var statement in statements.OfType<JsonObject>().Where(statement => (string?)statement["Sid"] == sid).ToList())
        {
            statements.Remove(statement);
        }

        return statements.Count == 0 ? null : policy;
    }

    private static string BusName(ResourceRequest request) => request.Properties["EventBusName"]?.GetValue<string>() ?? EventBus.DefaultName;
}
