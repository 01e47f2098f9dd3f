using System.Text.RegularExpressions;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Sns;

/// <summary>A topic; mutable only under <see cref="SnsStore"/>'s lock.</summary>
internal sealed class SnsTopic
{
    public required string Arn { get; init; }

    public required string AccountId { get; init; }

    /// <summary>Settable attributes (DisplayName, Policy, KmsMasterKeyId, …) as given.</summary>
    public Dictionary<string, string> Attributes { get; init; } = new(StringComparer.Ordinal);

    public List<SnsSubscription> Subscriptions { get; init; } = [];
}

internal sealed record SnsSubscription(string Arn, string Owner, string Protocol, string Endpoint, string TopicArn);

/// <summary>A message as published, kept so tests can assert on notifications (admin API /_localcloud/sns/messages).</summary>
internal sealed record SnsMessage(
    string MessageId,
    string TopicArn,
    string? Subject,
    string Message,
    IReadOnlyDictionary<string, string> MessageAttributes,
    string PublishedBy,
    DateTimeOffset Timestamp);

/// <summary>Topics, their subscriptions and every published message. Thread-safe through one lock.</summary>
internal sealed partial class SnsStore(TimeProvider clock)
{
    /// <summary>Attributes SetTopicAttributes and CreateTopic accept (the rest are read-only or not emulated).</summary>
    public static readonly IReadOnlySet<string> SettableAttributes = new HashSet<string>(StringComparer.Ordinal)
    {
        "DisplayName", "Policy", "DeliveryPolicy", "KmsMasterKeyId", "TracingConfig", "SignatureVersion",
        "ContentBasedDeduplication", "FifoTopic", "ArchivePolicy",
    };

    private readonly Lock gate = new();
    private readonly Dictionary<string, SnsTopic> topics = new(StringComparer.Ordinal);
    private readonly List<SnsMessage> messages = [];

    public static string TopicArn(string region, string accountId, string name) => $"arn:aws:sns:{region}:{accountId}:{name}";

    /// <summary>CreateTopic is idempotent: the same name with the same attributes returns the existing topic.</summary>
    public string CreateTopic(string accountId, string region, string name, IReadOnlyDictionary<string, string> attributes)
    {
        if (!TopicNamePattern().IsMatch(name))
        {
            throw InvalidParameter("Topic Name");
        }

        if (attributes.Keys.FirstOrDefault(key => !SettableAttributes.Contains(key)) is { } unknown)
        {
            throw InvalidParameter($"Attributes Reason: Unknown attribute {unknown}");
        }

        var arn = TopicArn(region, accountId, name);
        lock (gate)
        {
            if (topics.TryGetValue(arn, out var existing))
            {
                return attributes.All(pair => existing.Attributes.GetValueOrDefault(pair.Key) == pair.Value)
                    ? arn
                    : throw InvalidParameter("Attributes Reason: Topic already exists with different attributes");
            }

            topics[arn] = new SnsTopic { Arn = arn, AccountId = accountId, Attributes = new(attributes, StringComparer.Ordinal) };
            return arn;
        }
    }

    /// <summary>Deleting a topic that does not exist succeeds, as in SNS.</summary>
    public void DeleteTopic(string accountId, string arn)
    {
        lock (gate)
        {
            if (topics.TryGetValue(arn, out var topic) && Owned(topic, accountId))
            {
                topics.Remove(arn);
            }
        }
    }

    public IReadOnlyList<string> ListTopics(string accountId, string region)
    {
        lock (gate)
        {
            return topics.Values
                .Where(topic => topic.AccountId == accountId && topic.Arn.StartsWith($"arn:aws:sns:{region}:", StringComparison.Ordinal))
                .Select(topic => topic.Arn)
                .Order(StringComparer.Ordinal)
                .ToList();
        }
    }

    /// <summary>Reads a topic of the caller's account under the lock; <paramref name="read"/> must copy what it keeps.</summary>
    public T Read<T>(string accountId, string arn, Func<SnsTopic, T> read)
    {
        lock (gate)
        {
            return read(Find(accountId, arn));
        }
    }

    public void Update(string accountId, string arn, Action<SnsTopic> update)
    {
        lock (gate)
        {
            update(Find(accountId, arn));
        }
    }

    /// <summary>
    /// Subscribes an endpoint. LocalCloud delivers nowhere, so no endpoint could ever confirm: every subscription
    /// counts as confirmed at once.
    /// </summary>
    public string Subscribe(string accountId, string topicArn, string protocol, string endpoint)
    {
        if (protocol is not ("http" or "https" or "email" or "email-json" or "sms" or "sqs" or "application" or "lambda" or "firehose"))
        {
            throw InvalidParameter($"Invalid protocol type: {protocol}");
        }

        lock (gate)
        {
            var topic = Find(accountId, topicArn);
            var existing = topic.Subscriptions.Find(subscription => subscription.Protocol == protocol && subscription.Endpoint == endpoint);
            if (existing is not null)
            {
                return existing.Arn;
            }

            var subscription = new SnsSubscription($"{topicArn}:{Guid.NewGuid()}", accountId, protocol, endpoint, topicArn);
            topic.Subscriptions.Add(subscription);
            return subscription.Arn;
        }
    }

    /// <summary>Removes a subscription of the caller's account; one that no longer exists is ignored, as in SNS.</summary>
    public void Unsubscribe(string accountId, string subscriptionArn)
    {
        lock (gate)
        {
            foreach (var topic in topics.Values.Where(topic => Owned(topic, accountId)))
            {
                topic.Subscriptions.RemoveAll(subscription => subscription.Arn == subscriptionArn);
            }
        }
    }

    /// <summary>Publishes to a topic of <paramref name="publisherAccountId"/>'s account (also used by CloudWatch alarm actions).</summary>
    public string Publish(string publisherAccountId, string topicArn, string? subject, string message, IReadOnlyDictionary<string, string> attributes)
    {
        lock (gate)
        {
            Find(publisherAccountId, topicArn);
            var published = new SnsMessage(Guid.NewGuid().ToString(), topicArn, subject, message, attributes, publisherAccountId, clock.GetUtcNow());
            messages.Add(published);
            return published.MessageId;
        }
    }

    /// <summary>Published messages, oldest first, optionally of one topic.</summary>
    public IReadOnlyList<SnsMessage> Messages(string? topicArn)
    {
        lock (gate)
        {
            return messages.Where(message => topicArn is null || message.TopicArn == topicArn).ToList();
        }
    }

    public void ClearMessages()
    {
        lock (gate)
        {
            messages.Clear();
        }
    }

    public SnsSnapshot Snapshot()
    {
        lock (gate)
        {
            return new SnsSnapshot(
                topics.Values.Select(topic => new SnsTopic
                {
                    Arn = topic.Arn,
                    AccountId = topic.AccountId,
                    Attributes = new(topic.Attributes, StringComparer.Ordinal),
                    Subscriptions = [.. topic.Subscriptions],
                }).ToList(),
                [.. messages]);
        }
    }

    public void Restore(SnsSnapshot snapshot)
    {
        lock (gate)
        {
            topics.Clear();
            foreach (var topic in snapshot.Topics)
            {
                topics[topic.Arn] = topic;
            }

            messages.Clear();
            messages.AddRange(snapshot.Messages);
        }
    }

    public static AwsServiceException InvalidParameter(string detail) => new(400, "InvalidParameter", $"Invalid parameter: {detail}");

    private static bool Owned(SnsTopic topic, string accountId) => topic.AccountId == accountId;

    [GeneratedRegex("^[A-Za-z0-9_-]{1,256}(\\.fifo)?$")]
    private static partial Regex TopicNamePattern();

    private SnsTopic Find(string accountId, string arn)
    {
        if (!topics.TryGetValue(arn, out var topic))
        {
            throw new AwsServiceException(404, "NotFound", "Topic does not exist");
        }

        // Cross-account use needs a topic policy grant, which LocalCloud does not evaluate.
        return Owned(topic, accountId)
            ? topic
            : throw new AwsServiceException(403, "AuthorizationError", $"User: {accountId} is not authorized to access this topic.");
    }
}

/// <summary>The SNS part of the state file.</summary>
internal sealed record SnsSnapshot(List<SnsTopic> Topics, List<SnsMessage> Messages);
