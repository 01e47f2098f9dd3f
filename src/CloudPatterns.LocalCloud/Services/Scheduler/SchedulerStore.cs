using System.Security.Cryptography;
using System.Text;

namespace CloudPatterns.LocalCloud.Services.Scheduler;

/// <summary>
/// EventBridge Scheduler's groups and schedules for every account and region, under one lock, with each schedule's
/// next run on the simulated clock (its scheduled time plus, in a flexible window, a fixed offset within the window).
/// </summary>
internal sealed class SchedulerStore(TimeProvider clock)
{
    private readonly Lock gate = new();
    private readonly SortedDictionary<string, ScheduleGroup> groups = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, (Schedule Schedule, DateTimeOffset? Scheduled)> schedules = new(StringComparer.Ordinal);

    public ScheduleGroup CreateGroup(string accountId, string region, string name)
    {
        lock (gate)
        {
            if (name == ScheduleGroup.DefaultName || groups.ContainsKey(GroupKey(accountId, region, name)))
            {
                throw SchedulerArns.Conflict($"Schedule group {name} already exists.");
            }

            var group = new ScheduleGroup(accountId, region, name, clock.GetUtcNow());
            groups.Add(GroupKey(accountId, region, name), group);
            return group;
        }
    }

    public ScheduleGroup GetGroup(string accountId, string region, string name)
    {
        lock (gate)
        {
            return Group(accountId, region, name);
        }
    }

    public IReadOnlyList<ScheduleGroup> ListGroups(string accountId, string region, string prefix)
    {
        lock (gate)
        {
            return [.. new[] { Group(accountId, region, ScheduleGroup.DefaultName) }
                .Concat(groups.Values.Where(group => group.AccountId == accountId && group.Region == region))
                .Where(group => group.Name.StartsWith(prefix, StringComparison.Ordinal))
                .OrderBy(group => group.Name, StringComparer.Ordinal)];
        }
    }

    /// <summary>Deletes a group and its schedules; the default group cannot be deleted.</summary>
    public void DeleteGroup(string accountId, string region, string name)
    {
        lock (gate)
        {
            if (name == ScheduleGroup.DefaultName)
            {
                throw SchedulerArns.Validation("The default schedule group cannot be deleted.");
            }

            Group(accountId, region, name);
            groups.Remove(GroupKey(accountId, region, name));
            foreach (var key in schedules.Where(entry => entry.Value.Schedule.AccountId == accountId && entry.Value.Schedule.Region == region && entry.Value.Schedule.GroupName == name).Select(entry => entry.Key).ToList())
            {
                schedules.Remove(key);
            }
        }
    }

    /// <summary>Creates a schedule, or replaces one (<paramref name="replace"/>): ConflictException / ResourceNotFoundException otherwise.</summary>
    public Schedule Put(Schedule schedule, bool replace)
    {
        lock (gate)
        {
            Group(schedule.AccountId, schedule.Region, schedule.GroupName);
            var key = Key(schedule.AccountId, schedule.Region, schedule.GroupName, schedule.Name);
            var exists = schedules.TryGetValue(key, out var current);
            if (exists != replace)
            {
                throw replace
                    ? SchedulerArns.NotFound($"Schedule {schedule.Name} does not exist.")
                    : SchedulerArns.Conflict($"Schedule {schedule.Name} already exists.");
            }

            var stored = replace ? schedule with { Created = current.Schedule.Created } : schedule;
            schedules[key] = (stored, FirstRun(stored, clock.GetUtcNow()));
            return stored;
        }
    }

    public Schedule Get(string accountId, string region, string group, string name)
    {
        lock (gate)
        {
            Group(accountId, region, group);
            return schedules.TryGetValue(Key(accountId, region, group, name), out var found)
                ? found.Schedule
                : throw SchedulerArns.NotFound($"Schedule {name} does not exist.");
        }
    }

    public IReadOnlyList<Schedule> List(string accountId, string region, string? group, string prefix, string? state)
    {
        lock (gate)
        {
            if (group is not null)
            {
                Group(accountId, region, group);
            }

            return schedules.Values.Select(entry => entry.Schedule)
                .Where(schedule => schedule.AccountId == accountId && schedule.Region == region && (group is null || schedule.GroupName == group)
                    && schedule.Name.StartsWith(prefix, StringComparison.Ordinal) && (state is null || schedule.State == state))
                .ToList();
        }
    }

    public void Delete(string accountId, string region, string group, string name)
    {
        lock (gate)
        {
            Group(accountId, region, group);
            if (!schedules.Remove(Key(accountId, region, group, name)))
            {
                throw SchedulerArns.NotFound($"Schedule {name} does not exist.");
            }
        }
    }

    /// <summary>The runs due by <paramref name="now"/> (time order), each schedule moved to its next run.</summary>
    public IReadOnlyList<(Schedule Schedule, DateTimeOffset Time)> Due(DateTimeOffset now)
    {
        lock (gate)
        {
            var due = new List<(Schedule, DateTimeOffset)>();
            foreach (var key in schedules.Keys.ToList())
            {
                var (schedule, scheduled) = schedules[key];
                while (scheduled is { } at && Fire(schedule, at) <= now)
                {
                    if (schedule.State == "ENABLED")
                    {
                        due.Add((schedule, Fire(schedule, at)));
                    }

                    scheduled = NextRun(schedule, at);
                }

                schedules[key] = (schedule, scheduled);
            }

            return due.OrderBy(item => item.Item2).ToList();
        }
    }

    /// <summary>
    /// The next run of an enabled one-time (at()) schedule: a pending job the clock's auto-advance may skip to. Recurring
    /// schedules never are (the clock would jump forever).
    /// </summary>
    public DateTimeOffset? NextOneTimeRun()
    {
        lock (gate)
        {
            return schedules.Values.Where(entry => entry.Schedule.Timing.OneTime && entry.Schedule.State == "ENABLED" && entry.Scheduled is not null)
                .Select(entry => (DateTimeOffset?)Fire(entry.Schedule, entry.Scheduled!.Value)).Min();
        }
    }

    private static DateTimeOffset? FirstRun(Schedule schedule, DateTimeOffset now)
    {
        var from = schedule.StartDate is { } start && start > now ? start.AddTicks(-1) : now;
        return Within(schedule, schedule.Timing.Next(from));
    }

    private static DateTimeOffset? NextRun(Schedule schedule, DateTimeOffset after) => Within(schedule, schedule.Timing.Next(after));

    private static DateTimeOffset? Within(Schedule schedule, DateTimeOffset? time) => time is { } at && (schedule.EndDate is not { } end || at <= end) ? at : null;

    /// <summary>When a run happens: its scheduled time, plus in a flexible window an offset fixed by the schedule and the time.</summary>
    private static DateTimeOffset Fire(Schedule schedule, DateTimeOffset scheduled)
    {
        if (schedule.FlexibleMode != "FLEXIBLE" || schedule.MaximumWindowInMinutes is not { } window)
        {
            return scheduled;
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{schedule.Arn}\n{scheduled.ToUnixTimeSeconds()}"));
        return scheduled.AddSeconds(BitConverter.ToUInt32(hash, 0) % (window * 60));
    }

    private ScheduleGroup Group(string accountId, string region, string name) =>
        name == ScheduleGroup.DefaultName
            ? new ScheduleGroup(accountId, region, name, DateTimeOffset.UnixEpoch)
            : groups.GetValueOrDefault(GroupKey(accountId, region, name)) ?? throw SchedulerArns.NotFound($"Schedule group {name} does not exist.");

    private static string GroupKey(string accountId, string region, string name) => $"{accountId}\n{region}\n{name}";

    private static string Key(string accountId, string region, string group, string name) => $"{accountId}\n{region}\n{group}\n{name}";
}
