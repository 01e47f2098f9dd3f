using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.CloudFormation;

namespace CloudPatterns.LocalCloud.Services.Sns;

/// <summary>
/// AWS::SNS::Topic in LocalCloud's SNS: Ref is the topic ARN; GetAtt TopicArn and TopicName. The topic attributes
/// the template sets (DisplayName, KmsMasterKeyId, FifoTopic, ...) and its inline Subscription list are applied
/// through the store and read back from it for drift. Tags are recorded by CloudFormation only (SNS keeps none here).
/// </summary>
internal sealed class SnsTopicProvisioner(SnsStore store, TimeProvider clock) : ServiceProvisioner(clock)
{
    /// <summary>Template properties that are topic attributes of the same name (structured ones as JSON text).</summary>
    private static readonly string[] AttributeProperties = ["DisplayName", "KmsMasterKeyId", "FifoTopic", "ContentBasedDeduplication", "SignatureVersion", "TracingConfig", "ArchivePolicy"];

    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties)
    {
        var name = properties.GetStringOrNull("TopicName")
            ?? ResourceIdentities.GeneratedName(request) + (Flag(properties, "FifoTopic") == true ? ".fifo" : "");
        if (store.ListTopics(request.Stack.AccountId, request.Stack.Region).Contains(SnsStore.TopicArn(request.Stack.Region, request.Stack.AccountId, name)))
        {
            // CreateTopic would return the existing topic.
            throw AlreadyExists(request, SnsStore.TopicArn(request.Stack.Region, request.Stack.AccountId, name));
        }

        var arn = store.CreateTopic(request.Stack.AccountId, request.Stack.Region, name, Attributes(properties));
        SyncSubscriptions(request, arn, properties);
        return Provisioned(arn, ("TopicArn", arn), ("TopicName", name));
    }

    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current)
    {
        var attributes = Attributes(properties);
        store.Update(request.Stack.AccountId, current.PhysicalId, topic =>
        {
            foreach (var name in AttributeProperties.Where(name => !attributes.ContainsKey(name)))
            {
                topic.Attributes.Remove(name);
            }

            foreach (var (name, value) in attributes)
            {
                topic.Attributes[name] = value;
            }
        });
        SyncSubscriptions(request, current.PhysicalId, properties);
        return current;
    }

    protected override void Delete(ResourceRequest request, ProvisionedResource current) => store.DeleteTopic(request.Stack.AccountId, current.PhysicalId);

    protected override bool Exists(ResourceRequest request, ProvisionedResource current) =>
        store.ListTopics(request.Stack.AccountId, request.Stack.Region).Contains(current.PhysicalId);

    protected override JsonObject? ReadActual(ResourceRequest request, ProvisionedResource current)
    {
        if (!Exists(request, current))
        {
            return null;
        }

        var service = store.Read(request.Stack.AccountId, current.PhysicalId, topic =>
        {
            var state = AttributeProperties.ToDictionary(
                name => name,
                name => topic.Attributes.TryGetValue(name, out var value) ? AttributeJson(request.Properties[name], value) : null,
                StringComparer.Ordinal);
            state["Subscription"] = new JsonArray([.. topic.Subscriptions.Select(subscription => (JsonNode)new JsonObject
            {
                ["Endpoint"] = subscription.Endpoint,
                ["Protocol"] = subscription.Protocol,
            })]);
            return state;
        });
        return ActualState(request, service);
    }

    /// <summary>A structured attribute (TracingConfig is text, ArchivePolicy JSON) read back in the template's form.</summary>
    private static JsonNode AttributeJson(JsonNode? templateValue, string value) =>
        templateValue is JsonObject ? JsonNode.Parse(value)! : JsonValue.Create(value);

    private static Dictionary<string, string> Attributes(JsonElement properties)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in AttributeProperties)
        {
            if (properties.TryGetProperty(name, out var value))
            {
                attributes[name] = value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString()!,
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    _ => value.GetRawText(),
                };
            }
        }

        return attributes;
    }

    /// <summary>The topic's subscriptions become the template's list: new ones subscribed, dropped ones removed.</summary>
    private void SyncSubscriptions(ResourceRequest request, string topicArn, JsonElement properties)
    {
        var wanted = properties.GetArrayOrEmpty("Subscription")
            .Select(subscription => (Protocol: subscription.GetStringOrNull("Protocol") ?? "", Endpoint: subscription.GetStringOrNull("Endpoint") ?? ""))
            .ToList();
        var existing = store.Read(request.Stack.AccountId, topicArn, topic => topic.Subscriptions.ToList());
        foreach (var dropped in existing.Where(subscription => !wanted.Contains((subscription.Protocol, subscription.Endpoint))))
        {
            store.Unsubscribe(request.Stack.AccountId, dropped.Arn);
        }

        foreach (var (protocol, endpoint) in wanted)
        {
            store.Subscribe(request.Stack.AccountId, topicArn, protocol, endpoint);
        }
    }
}

/// <summary>
/// AWS::SNS::TopicPolicy in LocalCloud's SNS: the policy becomes the Policy attribute of every topic in Topics;
/// deleting it gives the topics back SNS's default policy. Ref is a generated id.
/// </summary>
internal sealed class SnsTopicPolicyProvisioner(SnsStore store, TimeProvider clock) : AppliedSettingsProvisioner(clock)
{
    protected override void Delete(ResourceRequest request, ProvisionedResource current)
    {
        foreach (var topicArn in Topics(request).Where(arn => TopicExists(request, arn)))
        {
            store.Update(request.Stack.AccountId, topicArn, topic => topic.Attributes.Remove("Policy"));
        }
    }

    protected override bool Exists(ResourceRequest request, ProvisionedResource current) =>
        Topics(request).Any(arn => TopicExists(request, arn) && store.Read(request.Stack.AccountId, arn, topic => topic.Attributes.ContainsKey("Policy")));

    protected override JsonObject? ReadActual(ResourceRequest request, ProvisionedResource current)
    {
        var topicArn = Topics(request).FirstOrDefault(arn => TopicExists(request, arn));
        var policy = topicArn is null ? null : store.Read(request.Stack.AccountId, topicArn, topic => topic.Attributes.GetValueOrDefault("Policy"));
        return policy is null
            ? null
            : ActualState(request, new Dictionary<string, JsonNode?>
            {
                ["PolicyDocument"] = request.Properties["PolicyDocument"] is JsonObject ? JsonNode.Parse(policy) : policy,
            });
    }

    private static IReadOnlyList<string> Topics(ResourceRequest request) =>
        JsonSerializer.SerializeToElement(request.Properties).GetStringsOrEmpty("Topics");

    private bool TopicExists(ResourceRequest request, string topicArn) =>
        topicArn.Split(':') is [_, _, _, var region, ..] && store.ListTopics(request.Stack.AccountId, region).Contains(topicArn);

    protected override void Apply(ResourceRequest request, JsonElement properties)
    {
        var policy = PolicyDocument(properties, "PolicyDocument") ?? "";
        foreach (var topicArn in properties.GetStringsOrEmpty("Topics"))
        {
            store.Update(request.Stack.AccountId, topicArn, topic => topic.Attributes["Policy"] = policy);
        }
    }
}

/// <summary>AWS::SNS::Subscription in LocalCloud's SNS: Ref is the subscription ARN.</summary>
internal sealed class SnsSubscriptionProvisioner(SnsStore store, TimeProvider clock) : ServiceProvisioner(clock)
{
    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties)
    {
        var endpoint = properties.GetStringOrNull("Endpoint") ?? throw SnsStore.InvalidParameter("Endpoint");
        return Provisioned(store.Subscribe(request.Stack.AccountId, properties.GetStringOrNull("TopicArn") ?? "", properties.GetStringOrNull("Protocol") ?? "", endpoint));
    }

    /// <summary>The in-place properties (filter policy, raw delivery...) are not emulated; the subscription stays.</summary>
    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current) => current;

    protected override void Delete(ResourceRequest request, ProvisionedResource current) => store.Unsubscribe(request.Stack.AccountId, current.PhysicalId);

    protected override bool Exists(ResourceRequest request, ProvisionedResource current) => Subscription(request, current) is not null;

    protected override JsonObject? ReadActual(ResourceRequest request, ProvisionedResource current) =>
        Subscription(request, current) is { } subscription
            ? ActualState(request, new Dictionary<string, JsonNode?>
            {
                ["TopicArn"] = subscription.TopicArn,
                ["Protocol"] = subscription.Protocol,
                ["Endpoint"] = subscription.Endpoint,
            })
            : null;

    private SnsSubscription? Subscription(ResourceRequest request, ProvisionedResource current)
    {
        var topicArn = current.PhysicalId[..current.PhysicalId.LastIndexOf(':')];
        return topicArn.Split(':') is [_, _, _, var region, ..] && store.ListTopics(request.Stack.AccountId, region).Contains(topicArn)
            ? store.Read(request.Stack.AccountId, topicArn, topic => topic.Subscriptions.Find(subscription => subscription.Arn == current.PhysicalId))
            : null;
    }
}
