using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Services.Backup;

namespace CloudPatterns.LocalCloud.Services.Events;

/// <summary>
/// EventBridge's buses and rules for every account and region, under one lock. Every account has its default bus in
/// every region without creating it. Rules and their targets change only here; delivery reads snapshots of them
/// (<see cref="Match"/>, <see cref="DueSchedules"/>).
/// </summary>
internal sealed class EventBusStore(TimeProvider clock)
{
    private readonly Lock gate = new();
    private readonly SortedDictionary<string, EventBus> buses = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, EventRule> rules = new(StringComparer.Ordinal);

    /// <summary>Runs <paramref name="read"/> on a bus under the lock; ResourceNotFoundException when it does not exist.</summary>
    public T ReadBus<T>(string accountId, string region, string name, Func<EventBus, T> read)
    {
        lock (gate)
        {
            return read(Bus(accountId, region, name));
        }
    }

    public EventBus CreateBus(string accountId, string region, string name, string? description)
    {
        lock (gate)
        {
            if (name == EventBus.DefaultName || buses.ContainsKey(BusKey(accountId, region, name)))
            {
                throw new Protocols.AwsServiceException(400, "ResourceAlreadyExistsException", $"Event bus {name} already exists.");
            }

            var bus = new EventBus(accountId, region, name, clock.GetUtcNow()) { Description = description };
            buses.Add(BusKey(accountId, region, name), bus);
            return bus;
        }
    }

    /// <summary>Deletes a custom bus and its rules; deleting one that does not exist succeeds, as in AWS.</summary>
    public void DeleteBus(string accountId, string region, string name)
    {
        lock (gate)
        {
            if (name == EventBus.DefaultName)
            {
                throw EventsArns.Validation("Cannot delete event bus default.");
            }

            if (buses.Remove(BusKey(accountId, region, name)))
            {
                foreach (var key in rules.Where(rule => rule.Value.AccountId == accountId && rule.Value.Region == region && rule.Value.BusName == name).Select(rule => rule.Key).ToList())
                {
                    rules.Remove(key);
                }
            }
        }
    }

    public IReadOnlyList<EventBus> ListBuses(string accountId, string region, string prefix)
    {
        lock (gate)
        {
            Bus(accountId, region, EventBus.DefaultName);
            return buses.Values.Where(bus => bus.AccountId == accountId && bus.Region == region && bus.Name.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        }
    }

    /// <summary>Changes a bus under the lock (its policy).</summary>
    public void UpdateBus(string accountId, string region, string name, Action<EventBus> change)
    {
        lock (gate)
        {
            change(Bus(accountId, region, name));
        }
    }

    /// <summary>Creates or replaces a rule (its targets are kept, as PutRule keeps them); returns its ARN.</summary>
    public string PutRule(string accountId, string region, string busName, string name, Action<EventRule> configure)
    {
        lock (gate)
        {
            Bus(accountId, region, busName);
            var key = RuleKey(accountId, region, busName, name);
            var rule = new EventRule(accountId, region, busName, name);
            if (rules.TryGetValue(key, out var existing))
            {
                rule.Targets.AddRange(existing.Targets);
                rule.ManagedBy = existing.ManagedBy;
            }

            configure(rule);
            rules[key] = rule;
            return rule.Arn;
        }
    }

    /// <summary>Runs <paramref name="use"/> on a rule under the lock; ResourceNotFoundException when it does not exist.</summary>
    public T WithRule<T>(string accountId, string region, string busName, string name, Func<EventRule, T> use)
    {
        lock (gate)
        {
            Bus(accountId, region, busName);
            return rules.TryGetValue(RuleKey(accountId, region, busName, name), out var rule)
                ? use(rule)
                : throw EventsArns.NotFound($"Rule {name} does not exist on EventBus {busName}.");
        }
    }

    /// <summary>Deletes a rule: refused while it has targets (unless forced); a rule that does not exist is no error, as in AWS.</summary>
    public void DeleteRule(string accountId, string region, string busName, string name, bool force)
    {
        lock (gate)
        {
            Bus(accountId, region, busName);
            var key = RuleKey(accountId, region, busName, name);
            if (rules.TryGetValue(key, out var rule))
            {
                if (rule.Targets.Count > 0 && !force)
                {
                    throw EventsArns.Validation("Rule can't be deleted since it has targets.");
                }

                rules.Remove(key);
            }
        }
    }

    public IReadOnlyList<EventRule> ListRules(string accountId, string region, string busName, string prefix)
    {
        lock (gate)
        {
            Bus(accountId, region, busName);
            return rules.Values.Where(rule => rule.AccountId == accountId && rule.Region == region && rule.BusName == busName && rule.Name.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        }
    }

    /// <summary>The enabled rules of a bus whose pattern matches the event, with their targets at this moment.</summary>
    public IReadOnlyList<(EventRule Rule, IReadOnlyList<EventTarget> Targets)> Match(string accountId, string region, string busName, JsonObject evt)
    {
        lock (gate)
        {
            return rules.Values
                .Where(rule => rule.AccountId == accountId && rule.Region == region && rule.BusName == busName && rule.Enabled && rule.Pattern?.Matches(evt) == true)
                .Select(rule => (rule, (IReadOnlyList<EventTarget>)rule.Targets.ToList()))
                .ToList();
        }
    }

    /// <summary>
    /// The schedule-expression rules due at or before <paramref name="now"/>, one entry per run they owe, in time order;
    /// each rule's next run moves past <paramref name="now"/>.
    /// </summary>
    public IReadOnlyList<(EventRule Rule, IReadOnlyList<EventTarget> Targets, DateTimeOffset Time)> DueSchedules(DateTimeOffset now)
    {
        lock (gate)
        {
            var due = new List<(EventRule, IReadOnlyList<EventTarget>, DateTimeOffset)>();
            foreach (var rule in rules.Values.Where(rule => rule.Schedule is not null))
            {
                while (rule.NextRun is { } at && at <= now)
                {
                    if (rule.Enabled)
                    {
                        due.Add((rule, rule.Targets.ToList(), at));
                    }

                    rule.NextRun = rule.Schedule!.Next(at);
                }
            }

            return due.OrderBy(item => item.Item3).ToList();
        }
    }

    /// <summary>The first run of a schedule expression after now (PutRule sets it).</summary>
    public DateTimeOffset? FirstRun(BackupSchedule schedule) => schedule.Next(clock.GetUtcNow());

    private EventBus Bus(string accountId, string region, string name)
    {
        var key = BusKey(accountId, region, name);
        if (buses.TryGetValue(key, out var bus))
        {
            return bus;
        }

        if (name != EventBus.DefaultName)
        {
            throw EventsArns.NotFound($"Event bus {name} does not exist.");
        }

        bus = new EventBus(accountId, region, name, clock.GetUtcNow());
        buses.Add(key, bus);
        return bus;
    }

    private static string BusKey(string accountId, string region, string name) => $"{accountId}\n{region}\n{name}";

    private static string RuleKey(string accountId, string region, string busName, string name) => $"{accountId}\n{region}\n{busName}\n{name}";
}
