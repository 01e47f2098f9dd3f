using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Logs;

/// <summary>A CloudWatch Logs log group of one account and region, with its streams.</summary>
internal sealed class LogGroup
{
    public required string AccountId { get; init; }

    public required string Region { get; init; }

    public required string Name { get; init; }

    public required DateTimeOffset Created { get; init; }

    public int? RetentionInDays { get; set; }

    public string? KmsKeyId { get; init; }

    public Dictionary<string, string> Tags { get; init; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, LogStream> Streams { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The ARN DescribeLogGroups reports (with the trailing ":*" AWS gives it).</summary>
    public string Arn => $"{LogsArns.Group(AccountId, Region, Name)}:*";

    public long StoredBytes => Streams.Values.Sum(stream => stream.StoredBytes);
}

/// <summary>One log stream: its events in the order they arrived (reads sort them by timestamp).</summary>
internal sealed class LogStream
{
    public required string Name { get; init; }

    public required DateTimeOffset Created { get; init; }

    public List<LogEvent> Events { get; init; } = [];

    public long StoredBytes => Events.Sum(item => (long)System.Text.Encoding.UTF8.GetByteCount(item.Message));

    /// <summary>The events by timestamp, then arrival (a stable sort).</summary>
    public IEnumerable<LogEvent> Chronological => Events.OrderBy(item => item.Timestamp);
}

/// <summary>One stored log event; <see cref="EventId"/> is unique within LocalCloud.</summary>
internal sealed record LogEvent(long Timestamp, string Message, long IngestionTime, string EventId);

/// <summary>A log event as a writer gives it (PutLogEvents, a Lambda function's output).</summary>
internal sealed record InputLogEvent(long Timestamp, string Message);

/// <summary>What PutLogEvents reports of the events it did not store (AWS's RejectedLogEventsInfo).</summary>
internal sealed record RejectedLogEvents(int? TooNewStartIndex, int? TooOldEndIndex, int? ExpiredEndIndex)
{
    public bool Any => TooNewStartIndex is not null || TooOldEndIndex is not null || ExpiredEndIndex is not null;
}

/// <summary>CloudWatch Logs ARNs and the errors every operation shares.</summary>
internal static class LogsArns
{
    public static string Group(string accountId, string region, string name) => $"arn:aws:logs:{region}:{accountId}:log-group:{name}";

    public static string Stream(string accountId, string region, string group, string stream) => $"{Group(accountId, region, group)}:log-stream:{stream}";

    /// <summary>A log group named by name or ARN (with or without the trailing ":*"), as logGroupIdentifier allows.</summary>
    public static string GroupName(string identifier)
    {
        const string marker = ":log-group:";
        var at = identifier.StartsWith("arn:", StringComparison.Ordinal) ? identifier.IndexOf(marker, StringComparison.Ordinal) : -1;
        if (at < 0)
        {
            return identifier;
        }

        var name = identifier[(at + marker.Length)..];
        return name.EndsWith(":*", StringComparison.Ordinal) ? name[..^2] : name;
    }

    public static AwsServiceException GroupNotFound() => new(400, "ResourceNotFoundException", "The specified log group does not exist.");

    public static AwsServiceException StreamNotFound() => new(400, "ResourceNotFoundException", "The specified log stream does not exist.");

    public static AwsServiceException InvalidParameter(string message) => new(400, "InvalidParameterException", message);
}
