using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Sns;

/// <summary>Amazon SNS (Query protocol, 2010-03-31): topics, subscriptions, Publish, topic attributes.</summary>
internal sealed class SnsService : QueryService
{
    private const int PageSize = 100;
    private const int MaxMessageBytes = 262_144;
    private readonly SnsStore store;

    public SnsService(SnsStore store)
        : base("sns", "2010-03-31", "http://sns.amazonaws.com/doc/2010-03-31/")
    {
        this.store = store;
        AddOperation("CreateTopic", mutating: true, CreateTopic);
        AddOperation("DeleteTopic", mutating: true, DeleteTopic);
        AddOperation("ListTopics", mutating: false, ListTopics);
        AddOperation("GetTopicAttributes", mutating: false, GetTopicAttributes);
        AddOperation("SetTopicAttributes", mutating: true, SetTopicAttributes);
        AddOperation("Subscribe", mutating: true, Subscribe);
        AddOperation("ListSubscriptionsByTopic", mutating: false, ListSubscriptionsByTopic);
        AddOperation("Publish", mutating: true, Publish);
    }

    private IEnumerable<XElement> CreateTopic(AwsRequest request, QueryParameters parameters)
    {
        var name = Required(parameters, "Name");
        var attributes = Entries(parameters, "Attributes", "key", "value");
        return [Element("TopicArn", store.CreateTopic(request.AccountId, request.Region, name, attributes))];
    }

    private IEnumerable<XElement> DeleteTopic(AwsRequest request, QueryParameters parameters)
    {
        store.DeleteTopic(request.AccountId, Required(parameters, "TopicArn"));
        return [];
    }

    private IEnumerable<XElement> ListTopics(AwsRequest request, QueryParameters parameters)
    {
        var arns = store.ListTopics(request.AccountId, request.Region);
        var (page, nextToken) = Page(arns, "ListTopics", parameters.Get("NextToken"));
        return
        [
            Element("Topics", page.Select(arn => Element("member", Element("TopicArn", arn)))),
            .. NextTokenElement(nextToken),
        ];
    }

    private IEnumerable<XElement> GetTopicAttributes(AwsRequest request, QueryParameters parameters)
    {
        var arn = Required(parameters, "TopicArn");
        var attributes = store.Read(request.AccountId, arn, topic => new Dictionary<string, string>(topic.Attributes, StringComparer.Ordinal)
        {
            ["TopicArn"] = topic.Arn,
            ["Owner"] = topic.AccountId,
            ["SubscriptionsConfirmed"] = topic.Subscriptions.Count.ToString(CultureInfo.InvariantCulture),
            ["SubscriptionsPending"] = "0",
            ["SubscriptionsDeleted"] = "0",
        });
        attributes.TryAdd("DisplayName", "");
        attributes.TryAdd("Policy", DefaultPolicy(arn, request.AccountId));
        return [Element("Attributes", attributes.Select(pair => Element("entry", new[] { Element("key", pair.Key), Element("value", pair.Value) })))];
    }

    /// <summary>The access policy SNS gives a new topic: its own account may use it.</summary>
    private static string DefaultPolicy(string arn, string accountId) => JsonSerializer.Serialize(new
    {
        Version = "2008-10-17",
        Id = "__default_policy_ID",
        Statement = new[]
        {
            new
            {
                Sid = "__default_statement_ID",
                Effect = "Allow",
                Principal = new { AWS = "*" },
                Action = new[] { "SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission", "SNS:RemovePermission", "SNS:DeleteTopic", "SNS:Subscribe", "SNS:ListSubscriptionsByTopic", "SNS:Publish" },
                Resource = arn,
                Condition = new { StringEquals = new Dictionary<string, string> { ["AWS:SourceOwner"] = accountId } },
            },
        },
    });

    private IEnumerable<XElement> SetTopicAttributes(AwsRequest request, QueryParameters parameters)
    {
        var name = Required(parameters, "AttributeName");
        if (!SnsStore.SettableAttributes.Contains(name))
        {
            throw SnsStore.InvalidParameter("AttributeName");
        }

        var value = parameters.Get("AttributeValue") ?? "";
        store.Update(request.AccountId, Required(parameters, "TopicArn"), topic => topic.Attributes[name] = value);
        return [];
    }

    private IEnumerable<XElement> Subscribe(AwsRequest request, QueryParameters parameters)
    {
        var topicArn = Required(parameters, "TopicArn");
        var protocol = Required(parameters, "Protocol");
        var endpoint = parameters.Get("Endpoint") ?? throw SnsStore.InvalidParameter("Endpoint");
        return [Element("SubscriptionArn", store.Subscribe(request.AccountId, topicArn, protocol, endpoint))];
    }

    private IEnumerable<XElement> ListSubscriptionsByTopic(AwsRequest request, QueryParameters parameters)
    {
        var subscriptions = store.Read(request.AccountId, Required(parameters, "TopicArn"), topic => topic.Subscriptions.ToList());
        var (page, nextToken) = Page(subscriptions, "ListSubscriptionsByTopic", parameters.Get("NextToken"));
        return
        [
            Element("Subscriptions", page.Select(subscription => Element("member", new[]
            {
                Element("SubscriptionArn", subscription.Arn),
                Element("Owner", subscription.Owner),
                Element("Protocol", subscription.Protocol),
                Element("Endpoint", subscription.Endpoint),
                Element("TopicArn", subscription.TopicArn),
            }))),
            .. NextTokenElement(nextToken),
        ];
    }

    private IEnumerable<XElement> Publish(AwsRequest request, QueryParameters parameters)
    {
        var topicArn = parameters.Get("TopicArn") ?? parameters.Get("TargetArn")
            ?? throw SnsStore.InvalidParameter("TopicArn or TargetArn Reason: no value for required parameter");
        var message = parameters.Get("Message");
        if (string.IsNullOrEmpty(message))
        {
            throw SnsStore.InvalidParameter("Empty message");
        }

        if (Encoding.UTF8.GetByteCount(message) > MaxMessageBytes)
        {
            throw SnsStore.InvalidParameter("Message too long");
        }

        if (parameters.Get("MessageStructure") == "json" && !HasDefaultEntry(message))
        {
            throw SnsStore.InvalidParameter("Message Structure - No default entry in JSON message body");
        }

        var attributes = Entries(parameters, "MessageAttributes", "Name", "Value.StringValue");
        var messageId = store.Publish(request.AccountId, topicArn, parameters.Get("Subject"), message, attributes);
        return [Element("MessageId", messageId)];
    }

    private IEnumerable<XElement> NextTokenElement(string? nextToken) => nextToken is null ? [] : [Element("NextToken", nextToken)];

    private static bool HasDefaultEntry(string message)
    {
        try
        {
            using var document = JsonDocument.Parse(message);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("default", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Required(QueryParameters parameters, string name) =>
        parameters.Get(name) is { Length: > 0 } value ? value : throw SnsStore.InvalidParameter($"{name} Reason: no value for required parameter");

    /// <summary>A Query map: <c>Name.entry.N.key</c> / <c>Name.entry.N.value</c> (member names per shape).</summary>
    private static Dictionary<string, string> Entries(QueryParameters parameters, string name, string keyMember, string valueMember)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var index = 1; parameters.Get($"{name}.entry.{index}.{keyMember}") is { } key; index++)
        {
            entries[key] = parameters.Get($"{name}.entry.{index}.{valueMember}") ?? "";
        }

        return entries;
    }

    private static (IReadOnlyList<T> Page, string? NextToken) Page<T>(IReadOnlyList<T> items, string operation, string? token) =>
        PageTokens.Page(items, operation, token, PageSize, () => SnsStore.InvalidParameter("NextToken"));
}
