using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Logs;

/// <summary>
/// Amazon CloudWatch Logs (JSON 1.1, target prefix Logs_20140328): log groups with retention, log streams,
/// PutLogEvents, GetLogEvents and FilterLogEvents. Rules and limits: docs/localcloud-logs.md.
/// </summary>
internal sealed class LogsService : JsonService
{
    private const string GroupNamePattern = @"[\.\-_/#A-Za-z0-9]+";
    private const string StreamNamePattern = "[^:*]*";
    private const int MaxEventsPerBatch = 10_000;
    private const int MaxEventsPerRead = 10_000;
    private readonly LogsStore store;

    public LogsService(LogsStore store)
        : base("logs", "Logs_20140328", "ThrottlingException")
    {
        this.store = store;
        AddOperation("CreateLogGroup", mutating: true, CreateLogGroup);
        AddOperation("DeleteLogGroup", mutating: true, DeleteLogGroup);
        AddOperation("DescribeLogGroups", mutating: false, DescribeLogGroups);
        AddOperation("PutRetentionPolicy", mutating: true, PutRetentionPolicy);
        AddOperation("DeleteRetentionPolicy", mutating: true, DeleteRetentionPolicy);
        AddOperation("CreateLogStream", mutating: true, CreateLogStream);
        AddOperation("DescribeLogStreams", mutating: false, DescribeLogStreams);
        AddOperation("PutLogEvents", mutating: true, PutLogEvents);
        AddOperation("GetLogEvents", mutating: false, GetLogEvents);
        AddOperation("FilterLogEvents", mutating: false, FilterLogEvents);
    }

    private JsonObject CreateLogGroup(AwsRequest request, JsonElement input)
    {
        var name = GroupName(input, "logGroupName");
        store.CreateLogGroup(request.AccountId, request.Region, name, input.GetStringOrNull("kmsKeyId"), input.GetStringMapOrEmpty("tags"));
        return [];
    }

    private JsonObject DeleteLogGroup(AwsRequest request, JsonElement input)
    {
        store.DeleteLogGroup(request.AccountId, request.Region, GroupName(input, "logGroupName"));
        return [];
    }

    private JsonObject DescribeLogGroups(AwsRequest request, JsonElement input)
    {
        var limit = Limit(input, 50);
        var groups = store.ListGroups(request.AccountId, request.Region, input.GetStringOrNull("logGroupNamePrefix") ?? "", GroupJson);
        var (page, nextToken) = Page(groups, "DescribeLogGroups", input, limit);
        return WithToken(new JsonObject { ["logGroups"] = new JsonArray([.. page]) }, nextToken);
    }

    private JsonObject PutRetentionPolicy(AwsRequest request, JsonElement input)
    {
        var name = GroupName(input, "logGroupName");
        var days = input.GetInt64OrNull("retentionInDays");
        if (days is not { } value || !LogsStore.RetentionDays.Contains((int)value))
        {
            throw AwsServiceException.Validation("InvalidParameterException", [
                $"Value '{(days?.ToString(CultureInfo.InvariantCulture) ?? "null")}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", LogsStore.RetentionDays)}]"]);
        }

        store.SetRetention(request.AccountId, request.Region, name, (int)value);
        return [];
    }

    private JsonObject DeleteRetentionPolicy(AwsRequest request, JsonElement input)
    {
        store.SetRetention(request.AccountId, request.Region, GroupName(input, "logGroupName"), null);
        return [];
    }

    private JsonObject CreateLogStream(AwsRequest request, JsonElement input)
    {
        var (group, stream) = GroupAndStream(input);
        store.CreateLogStream(request.AccountId, request.Region, group, stream);
        return [];
    }

    private JsonObject DescribeLogStreams(AwsRequest request, JsonElement input)
    {
        var group = GroupOrIdentifier(input);
        var prefix = input.GetStringOrNull("logStreamNamePrefix");
        var byLastEvent = (input.GetStringOrNull("orderBy") ?? "LogStreamName") switch
        {
            "LogStreamName" => false,
            "LastEventTime" => true,
            var other => throw AwsServiceException.Validation("InvalidParameterException", [
                $"Value '{other}' at 'orderBy' failed to satisfy constraint: Member must satisfy enum value set: [LogStreamName, LastEventTime]"]),
        };
        if (byLastEvent && prefix is not null)
        {
            throw LogsArns.InvalidParameter("Cannot order by LastEventTime with a logStreamNamePrefix.");
        }

        var limit = Limit(input, 50);
        var streams = store.Read(request.AccountId, request.Region, group, found => found.Streams.Values
            .Where(stream => prefix is null || stream.Name.StartsWith(prefix, StringComparison.Ordinal))
            .Select(stream => (LastEvent: stream.Events.Count == 0 ? 0 : stream.Events.Max(item => item.Timestamp), Json: StreamJson(found, stream)))
            .ToList());
        IEnumerable<(long LastEvent, JsonObject Json)> ordered = byLastEvent ? streams.OrderBy(stream => stream.LastEvent) : streams;
        if (input.GetBooleanOrNull("descending") == true)
        {
            ordered = ordered.Reverse();
        }

        var (page, nextToken) = Page(ordered.Select(stream => stream.Json).ToList(), "DescribeLogStreams", input, limit);
        return WithToken(new JsonObject { ["logStreams"] = new JsonArray([.. page]) }, nextToken);
    }

    private JsonObject PutLogEvents(AwsRequest request, JsonElement input)
    {
        var (group, stream) = GroupAndStream(input);
        var events = input.GetArrayOrEmpty("logEvents");
        var violations = new List<string>();
        if (events.Count is 0 or > MaxEventsPerBatch)
        {
            violations.Add($"Value at 'logEvents' failed to satisfy constraint: Member must have length {(events.Count == 0 ? "greater than or equal to 1" : $"less than or equal to {MaxEventsPerBatch}")}");
        }

        var parsed = new List<InputLogEvent>(events.Count);
        for (var index = 0; index < events.Count; index++)
        {
            var timestamp = events[index].GetInt64OrNull("timestamp");
            var message = events[index].GetStringOrNull("message");
            if (timestamp is null)
            {
                violations.Add($"Value null at 'logEvents.{index + 1}.member.timestamp' failed to satisfy constraint: Member must not be null");
            }

            ModelConstraints.CheckString(violations, $"logEvents.{index + 1}.member.message", message, 1, int.MaxValue, null);
            parsed.Add(new InputLogEvent(timestamp ?? 0, message ?? ""));
        }

        ModelConstraints.ThrowIfAny(violations, "InvalidParameterException");
        var rejected = store.PutLogEvents(request.AccountId, request.Region, group, stream, parsed);
        var output = new JsonObject();
        if (rejected.Any)
        {
            var info = new JsonObject();
            AddIfSet(info, "tooNewLogEventStartIndex", rejected.TooNewStartIndex);
            AddIfSet(info, "tooOldLogEventEndIndex", rejected.TooOldEndIndex);
            AddIfSet(info, "expiredLogEventEndIndex", rejected.ExpiredEndIndex);
            output["rejectedLogEventsInfo"] = info;
        }

        return output;
    }

    /// <summary>
    /// One stream's events by timestamp. Tokens are "f/N" (read on from event N) and "b/N" (the events before N); at
    /// either end the token given comes back, which is how clients know they have read everything.
    /// </summary>
    private JsonObject GetLogEvents(AwsRequest request, JsonElement input)
    {
        var group = GroupOrIdentifier(input);
        var violations = new List<string>();
        var streamName = input.GetStringOrNull("logStreamName");
        ModelConstraints.CheckString(violations, "logStreamName", streamName, 1, 512, StreamNamePattern);
        ModelConstraints.ThrowIfAny(violations, "InvalidParameterException");
        var limit = Limit(input, MaxEventsPerRead, MaxEventsPerRead);
        var (start, end) = (input.GetInt64OrNull("startTime") ?? long.MinValue, input.GetInt64OrNull("endTime") ?? long.MaxValue);
        var events = store.Read(request.AccountId, request.Region, group, found =>
            (found.Streams.GetValueOrDefault(streamName!) ?? throw LogsArns.StreamNotFound()).Chronological
                .Where(item => item.Timestamp >= start && item.Timestamp < end)
                .ToList());

        var token = input.GetStringOrNull("nextToken");
        int from, to;
        if (token is null)
        {
            (from, to) = input.GetBooleanOrNull("startFromHead") == true
                ? (0, Math.Min(limit, events.Count))
                : (Math.Max(0, events.Count - limit), events.Count);
        }
        else if (token.Length > 2 && token[1] == '/' && int.TryParse(token.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var at) && at <= events.Count && token[0] is 'f' or 'b')
        {
            (from, to) = token[0] == 'f' ? (at, Math.Min(events.Count, at + limit)) : (Math.Max(0, at - limit), at);
        }
        else
        {
            throw LogsArns.InvalidParameter("The specified nextToken is invalid.");
        }

        return new JsonObject
        {
            ["events"] = new JsonArray([.. events.Skip(from).Take(to - from).Select(item => new JsonObject
            {
                ["timestamp"] = item.Timestamp,
                ["message"] = item.Message,
                ["ingestionTime"] = item.IngestionTime,
            })]),
            ["nextForwardToken"] = string.Create(CultureInfo.InvariantCulture, $"f/{to}"),
            ["nextBackwardToken"] = string.Create(CultureInfo.InvariantCulture, $"b/{from}"),
        };
    }

    private JsonObject FilterLogEvents(AwsRequest request, JsonElement input)
    {
        var group = GroupOrIdentifier(input);
        var names = input.GetStringsOrEmpty("logStreamNames");
        var prefix = input.GetStringOrNull("logStreamNamePrefix");
        if (names.Count > 0 && prefix is not null)
        {
            throw LogsArns.InvalidParameter("logStreamNames and logStreamNamePrefix are mutually exclusive");
        }

        var pattern = FilterPattern.Parse(input.GetStringOrNull("filterPattern"));
        var limit = Limit(input, MaxEventsPerRead, MaxEventsPerRead);
        var (start, end) = (input.GetInt64OrNull("startTime") ?? long.MinValue, input.GetInt64OrNull("endTime") ?? long.MaxValue);
        var (searched, matches) = store.Read(request.AccountId, request.Region, group, found =>
        {
            var streams = found.Streams.Values
                .Where(stream => names.Count == 0 ? prefix is null || stream.Name.StartsWith(prefix, StringComparison.Ordinal) : names.Contains(stream.Name))
                .ToList();
            var events = streams
                .SelectMany(stream => stream.Events.Select(item => (Stream: stream.Name, Event: item)))
                .Where(pair => pair.Event.Timestamp >= start && pair.Event.Timestamp <= end && pattern.Matches(pair.Event.Message))
                .OrderBy(pair => pair.Event.EventId, StringComparer.Ordinal)
                .ToList();
            return (streams.Select(stream => stream.Name).ToList(), events);
        });

        var (page, nextToken) = PageTokens.Page(matches, "FilterLogEvents", input.GetStringOrNull("nextToken"), limit, InvalidToken);
        return WithToken(new JsonObject
        {
            ["events"] = new JsonArray([.. page.Select(pair => new JsonObject
            {
                ["logStreamName"] = pair.Stream,
                ["timestamp"] = pair.Event.Timestamp,
                ["message"] = pair.Event.Message,
                ["ingestionTime"] = pair.Event.IngestionTime,
                ["eventId"] = pair.Event.EventId,
            })]),
            ["searchedLogStreams"] = new JsonArray([.. searched.Select(name => new JsonObject { ["logStreamName"] = name, ["searchedCompletely"] = true })]),
        }, nextToken);
    }

    private static JsonObject GroupJson(LogGroup group)
    {
        var json = new JsonObject
        {
            ["logGroupName"] = group.Name,
            ["creationTime"] = group.Created.ToUnixTimeMilliseconds(),
            ["metricFilterCount"] = 0,
            ["arn"] = group.Arn,
            ["storedBytes"] = group.StoredBytes,
        };
        AddIfSet(json, "retentionInDays", group.RetentionInDays);
        if (group.KmsKeyId is not null)
        {
            json["kmsKeyId"] = group.KmsKeyId;
        }

        return json;
    }

    private static JsonObject StreamJson(LogGroup group, LogStream stream)
    {
        var json = new JsonObject
        {
            ["logStreamName"] = stream.Name,
            ["creationTime"] = stream.Created.ToUnixTimeMilliseconds(),
            ["arn"] = LogsArns.Stream(group.AccountId, group.Region, group.Name, stream.Name),
            ["storedBytes"] = 0,
        };
        if (stream.Events.Count > 0)
        {
            json["firstEventTimestamp"] = stream.Events.Min(item => item.Timestamp);
            json["lastEventTimestamp"] = stream.Events.Max(item => item.Timestamp);
            json["lastIngestionTime"] = stream.Events.Max(item => item.IngestionTime);
        }

        return json;
    }

    private static void AddIfSet(JsonObject json, string name, int? value)
    {
        if (value is { } set)
        {
            json[name] = set;
        }
    }

    private static JsonObject WithToken(JsonObject output, string? nextToken)
    {
        if (nextToken is not null)
        {
            output["nextToken"] = nextToken;
        }

        return output;
    }

    private static (IReadOnlyList<JsonObject> Page, string? NextToken) Page(IReadOnlyList<JsonObject> items, string operation, JsonElement input, int limit) =>
        PageTokens.Page(items, operation, input.GetStringOrNull("nextToken"), limit, InvalidToken);

    private static AwsServiceException InvalidToken() => LogsArns.InvalidParameter("The specified nextToken is invalid.");

    /// <summary>The request's limit, 1 to <paramref name="maximum"/> (the model's), or <paramref name="fallback"/>.</summary>
    private static int Limit(JsonElement input, int fallback, int maximum = 50)
    {
        var violations = new List<string>();
        var limit = ModelConstraints.CheckInteger(violations, "limit", input.GetInt64OrNull("limit")?.ToString(CultureInfo.InvariantCulture), 1, maximum);
        ModelConstraints.ThrowIfAny(violations, "InvalidParameterException");
        return limit ?? fallback;
    }

    private static string GroupName(JsonElement input, string member)
    {
        var violations = new List<string>();
        var name = input.GetStringOrNull(member);
        ModelConstraints.CheckString(violations, member, name, 1, 512, GroupNamePattern);
        ModelConstraints.ThrowIfAny(violations, "InvalidParameterException");
        return name!;
    }

    /// <summary>The group of logGroupName or logGroupIdentifier (a name or an ARN); exactly one of them.</summary>
    private static string GroupOrIdentifier(JsonElement input)
    {
        var (name, identifier) = (input.GetStringOrNull("logGroupName"), input.GetStringOrNull("logGroupIdentifier"));
        return (name, identifier) switch
        {
            (not null, not null) => throw LogsArns.InvalidParameter("LogGroup name and LogGroup ARN are mutually exclusive parameters."),
            (null, not null) => LogsArns.GroupName(identifier),
            _ => GroupName(input, "logGroupName"),
        };
    }

    private static (string Group, string Stream) GroupAndStream(JsonElement input)
    {
        var violations = new List<string>();
        var group = input.GetStringOrNull("logGroupName");
        var stream = input.GetStringOrNull("logStreamName");
        ModelConstraints.CheckString(violations, "logGroupName", group, 1, 512, GroupNamePattern);
        ModelConstraints.CheckString(violations, "logStreamName", stream, 1, 512, StreamNamePattern);
        ModelConstraints.ThrowIfAny(violations, "InvalidParameterException");
        return (group!, stream!);
    }
}
