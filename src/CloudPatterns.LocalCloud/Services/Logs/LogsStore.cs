using System.Globalization;
using System.Text;

namespace CloudPatterns.LocalCloud.Services.Logs;

/// <summary>
/// CloudWatch Logs' log groups, streams and events of every account and region, under one lock. PutLogEvents' rules
/// (docs/localcloud-logs.md): a batch in chronological order spanning at most 24 hours and 1,048,576 bytes (messages
/// in UTF-8 plus 26 bytes per event); events more than 2 hours ahead of the simulated clock, more than 14 days behind
/// it, or older than the group's retention are reported as rejected and not stored.
/// </summary>
internal sealed class LogsStore(TimeProvider clock)
{
    public const int MaxBatchBytes = 1_048_576;
    public const int EventOverheadBytes = 26;
    private static readonly TimeSpan MaxFuture = TimeSpan.FromHours(2);
    private static readonly TimeSpan MaxPast = TimeSpan.FromDays(14);
    private static readonly TimeSpan MaxSpan = TimeSpan.FromHours(24);

    private readonly Lock gate = new();
    private readonly SortedDictionary<string, LogGroup> groups = new(StringComparer.Ordinal);
    private long nextEventNumber;

    /// <summary>The retention periods PutRetentionPolicy accepts (the model's documentation lists them).</summary>
    public static IReadOnlyList<int> RetentionDays { get; } = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

    public void CreateLogGroup(string accountId, string region, string name, string? kmsKeyId, IReadOnlyDictionary<string, string> tags)
    {
        lock (gate)
        {
            var key = Key(accountId, region, name);
            if (groups.ContainsKey(key))
            {
                throw new Protocols.AwsServiceException(400, "ResourceAlreadyExistsException", "The specified log group already exists");
            }

            groups[key] = new LogGroup
            {
                AccountId = accountId,
                Region = region,
                Name = name,
                Created = clock.GetUtcNow(),
                KmsKeyId = kmsKeyId,
                Tags = new Dictionary<string, string>(tags, StringComparer.Ordinal),
            };
        }
    }

    public void DeleteLogGroup(string accountId, string region, string name)
    {
        lock (gate)
        {
            if (!groups.Remove(Key(accountId, region, name)))
            {
                throw LogsArns.GroupNotFound();
            }
        }
    }

    public bool Exists(string accountId, string region, string name)
    {
        lock (gate)
        {
            return groups.ContainsKey(Key(accountId, region, name));
        }
    }

    /// <summary>Reads a group under the lock (the reader must copy what it keeps).</summary>
    public T Read<T>(string accountId, string region, string name, Func<LogGroup, T> read)
    {
        lock (gate)
        {
            return read(Group(accountId, region, name));
        }
    }

    /// <summary>The region's groups whose names start with <paramref name="prefix"/>, by name, each read under the lock.</summary>
    public IReadOnlyList<T> ListGroups<T>(string accountId, string region, string prefix, Func<LogGroup, T> read)
    {
        lock (gate)
        {
            return groups.Values
                .Where(group => group.AccountId == accountId && group.Region == region && group.Name.StartsWith(prefix, StringComparison.Ordinal))
                .Select(read)
                .ToList();
        }
    }

    /// <summary>Sets (or, with null, removes) a group's retention.</summary>
    public void SetRetention(string accountId, string region, string name, int? days)
    {
        lock (gate)
        {
            Group(accountId, region, name).RetentionInDays = days;
        }
    }

    public void CreateLogStream(string accountId, string region, string groupName, string streamName)
    {
        lock (gate)
        {
            var group = Group(accountId, region, groupName);
            if (!group.Streams.TryAdd(streamName, new LogStream { Name = streamName, Created = clock.GetUtcNow() }))
            {
                throw new Protocols.AwsServiceException(400, "ResourceAlreadyExistsException", "The specified log stream already exists");
            }
        }
    }

    /// <summary>
    /// Stores a batch by AWS's rules (see the class summary): a batch out of order, too large or spanning more than
    /// 24 hours is refused whole; events too new, too old or expired are left out and reported.
    /// </summary>
    public RejectedLogEvents PutLogEvents(string accountId, string region, string groupName, string streamName, IReadOnlyList<InputLogEvent> events)
    {
        var size = events.Sum(item => (long)Encoding.UTF8.GetByteCount(item.Message) + EventOverheadBytes);
        if (size > MaxBatchBytes)
        {
            throw LogsArns.InvalidParameter($"Upload too large: {size} bytes exceeds limit of {MaxBatchBytes}");
        }

        for (var index = 1; index < events.Count; index++)
        {
            if (events[index].Timestamp < events[index - 1].Timestamp)
            {
                throw LogsArns.InvalidParameter("Log events in a single PutLogEvents request must be in chronological order.");
            }
        }

        lock (gate)
        {
            var group = Group(accountId, region, groupName);
            var stream = group.Streams.GetValueOrDefault(streamName) ?? throw LogsArns.StreamNotFound();
            var now = clock.GetUtcNow();
            var tooNewFrom = now.Add(MaxFuture).ToUnixTimeMilliseconds();
            var tooOldBefore = now.Subtract(MaxPast).ToUnixTimeMilliseconds();
            var expiredBefore = group.RetentionInDays is { } days ? now.AddDays(-days).ToUnixTimeMilliseconds() : long.MinValue;
            var tooOld = events.Count(item => item.Timestamp < tooOldBefore);
            var expired = events.Count(item => item.Timestamp < expiredBefore);
            var tooNew = events.Count(item => item.Timestamp > tooNewFrom);
            var accepted = events.Skip(Math.Max(tooOld, expired)).Take(events.Count - Math.Max(tooOld, expired) - tooNew).ToList();
            if (accepted.Count > 0 && accepted[^1].Timestamp - accepted[0].Timestamp > (long)MaxSpan.TotalMilliseconds)
            {
                throw LogsArns.InvalidParameter("The batch of log events in a single PutLogEvents request cannot span more than 24 hours.");
            }

            Store(stream, accepted, now);
            return new RejectedLogEvents(tooNew > 0 ? events.Count - tooNew : null, tooOld > 0 ? tooOld : null, expired > 0 ? expired : null);
        }
    }

    /// <summary>
    /// Appends events as an AWS service writes its own logs (Lambda's function output): the group and stream are
    /// created when missing, and no batch rules apply.
    /// </summary>
    public void Append(string accountId, string region, string groupName, string streamName, IReadOnlyList<InputLogEvent> events)
    {
        lock (gate)
        {
            var now = clock.GetUtcNow();
            var key = Key(accountId, region, groupName);
            if (!groups.TryGetValue(key, out var group))
            {
                groups[key] = group = new LogGroup { AccountId = accountId, Region = region, Name = groupName, Created = now };
            }

            if (!group.Streams.TryGetValue(streamName, out var stream))
            {
                group.Streams[streamName] = stream = new LogStream { Name = streamName, Created = now };
            }

            Store(stream, events, now);
        }
    }

    public LogsSnapshot Snapshot()
    {
        lock (gate)
        {
            return new LogsSnapshot([.. groups.Values], nextEventNumber);
        }
    }

    public void Restore(LogsSnapshot snapshot)
    {
        lock (gate)
        {
            groups.Clear();
            foreach (var group in snapshot.Groups)
            {
                groups[Key(group.AccountId, group.Region, group.Name)] = group;
            }

            nextEventNumber = snapshot.NextEventNumber;
        }
    }

    private void Store(LogStream stream, IEnumerable<InputLogEvent> events, DateTimeOffset now)
    {
        var ingestion = now.ToUnixTimeMilliseconds();
        foreach (var item in events)
        {
            // Event ids are decimal strings in AWS; ours sort by timestamp, then arrival.
            var eventId = string.Create(CultureInfo.InvariantCulture, $"{item.Timestamp:D20}{nextEventNumber++:D16}");
            stream.Events.Add(new LogEvent(item.Timestamp, item.Message, ingestion, eventId));
        }
    }

    private LogGroup Group(string accountId, string region, string name) =>
        groups.GetValueOrDefault(Key(accountId, region, name)) ?? throw LogsArns.GroupNotFound();

    private static string Key(string accountId, string region, string name) => $"{accountId}\n{region}\n{name}";
}

/// <summary>The CloudWatch Logs part of the state file.</summary>
internal sealed record LogsSnapshot(List<LogGroup> Groups, long NextEventNumber);
