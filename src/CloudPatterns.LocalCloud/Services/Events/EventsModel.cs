using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Backup;

namespace CloudPatterns.LocalCloud.Services.Events;

/// <summary>An event an AWS service emits (Backup's job state changes, CloudTrail's API calls) onto an account's default bus.</summary>
internal sealed record ServiceEvent(string AccountId, string Region, string Source, string DetailType, IReadOnlyList<string> Resources, JsonObject Detail, DateTimeOffset Time);

/// <summary>An event bus; its resource policy's statements by Sid (PutPermission) or as one document (Policy).</summary>
internal sealed class EventBus(string accountId, string region, string name, DateTimeOffset created)
{
    public const string DefaultName = "default";

    public string AccountId { get; } = accountId;

    public string Region { get; } = region;

    public string Name { get; } = name;

    public DateTimeOffset Created { get; } = created;

    public string Arn => EventsArns.Bus(AccountId, Region, Name);

    public string? Description { get; set; }

    /// <summary>The resource policy as a JSON document; null without one.</summary>
    public JsonObject? Policy { get; set; }
}

/// <summary>Where an event goes when its target fails: retries, then the dead-letter queue (an SNS topic in LocalCloud).</summary>
internal sealed record EventTarget(string Id, string Arn)
{
    public string? RoleArn { get; init; }

    public string? Input { get; init; }

    public string? InputPath { get; init; }

    public IReadOnlyDictionary<string, string>? InputPathsMap { get; init; }

    public string? InputTemplate { get; init; }

    /// <summary>RetryPolicy.MaximumRetryAttempts (0–185; 185 by default).</summary>
    public int MaximumRetryAttempts { get; init; } = 185;

    /// <summary>RetryPolicy.MaximumEventAgeInSeconds (60–86400; 86400 by default).</summary>
    public int MaximumEventAgeInSeconds { get; init; } = 86_400;

    public bool HasRetryPolicy { get; init; }

    public string? DeadLetterArn { get; init; }
}

/// <summary>A rule on a bus: an event pattern or a schedule, its state and its targets (in the order they were put).</summary>
internal sealed class EventRule(string accountId, string region, string busName, string name)
{
    public string AccountId { get; } = accountId;

    public string Region { get; } = region;

    public string BusName { get; } = busName;

    public string Name { get; } = name;

    public string Arn => EventsArns.Rule(AccountId, Region, BusName, Name);

    public string? EventPatternText { get; set; }

    public EventPattern? Pattern { get; set; }

    public string? ScheduleExpression { get; set; }

    public BackupSchedule? Schedule { get; set; }

    public DateTimeOffset? NextRun { get; set; }

    public string State { get; set; } = "ENABLED";

    public string? Description { get; set; }

    public string? RoleArn { get; set; }

    public string? ManagedBy { get; set; }

    public List<EventTarget> Targets { get; } = [];

    public bool Enabled => State == "ENABLED";
}

internal static class EventsArns
{
    public static string Bus(string accountId, string region, string name) => $"arn:aws:events:{region}:{accountId}:event-bus/{name}";

    /// <summary>Rules on the default bus are rule/NAME; on another bus rule/BUS/NAME.</summary>
    public static string Rule(string accountId, string region, string busName, string name) =>
        busName == EventBus.DefaultName ? $"arn:aws:events:{region}:{accountId}:rule/{name}" : $"arn:aws:events:{region}:{accountId}:rule/{busName}/{name}";

    /// <summary>A bus named by name or ARN: (account, region, name); the caller's account and region for a plain name.</summary>
    public static (string AccountId, string Region, string Name) ParseBus(string accountId, string region, string? nameOrArn)
    {
        if (string.IsNullOrEmpty(nameOrArn))
        {
            return (accountId, region, EventBus.DefaultName);
        }

        if (!nameOrArn.StartsWith("arn:", StringComparison.Ordinal))
        {
            return (accountId, region, nameOrArn);
        }

        var parts = nameOrArn.Split(':', 6);
        return parts.Length == 6 && parts[2] == "events" && parts[5].StartsWith("event-bus/", StringComparison.Ordinal)
            ? (parts[4], parts[3], parts[5]["event-bus/".Length..])
            : throw Validation($"Parameter {nameOrArn} is not valid. Reason: Provided Arn is not in correct format.");
    }

    public static AwsServiceException NotFound(string message) => new(400, "ResourceNotFoundException", message);

    public static AwsServiceException Validation(string message) => new(400, "ValidationException", message);
}
