using System.Text.Json;
using System.Xml;
using CloudPatterns.LocalCloud.Services.Backup;

namespace CloudPatterns.LocalCloud.Admin;

/// <summary>
/// The simulated clock and Backup job timings through the admin API. Durations are ISO 8601 (PT26H, P1D, PT90S).
/// <list type="bullet">
/// <item><c>GET /_localcloud/clock</c> → <c>{"now":"…","offset":"PT0S","scale":1,"autoAdvance":false}</c></item>
/// <item><c>POST /_localcloud/clock</c> with <c>{"advance":"PT26H"}</c> or <c>{"to":"2026-12-01T00:00:00Z"}</c>: moves the
/// clock forward (never back), turns auto-advance off for the rest of the run, and answers once every due scheduled
/// rule, job and expiry has run (EventBridge schedule rules and Scheduler schedules included; their targets are invoked asynchronously).</item>
/// <item><c>GET /_localcloud/backup/job-timings</c> → <c>{"backup":{"queued":"PT1M","running":"PT5M"},"copy":…,"restore":…}</c></item>
/// <item><c>PUT /_localcloud/backup/job-timings</c> with any of those kinds: jobs started from then on take these times
/// (CREATED/PENDING for <c>queued</c>, then RUNNING for <c>running</c>).</item>
/// </list>
/// </summary>
internal sealed class SimulationAdmin(LocalCloudClock clock, BackupStore backup, Action runSchedules)
{
    public object DescribeClock() => new { now = clock.GetUtcNow(), offset = XmlConvert.ToString(clock.Offset), scale = clock.Scale, autoAdvance = clock.AutoAdvance };

    public (int Status, object Body) MoveClock(JsonElement request)
    {
        var now = clock.GetUtcNow();
        TimeSpan by;
        try
        {
            by = request switch
            {
                _ when request.TryGetProperty("advance", out var advance) => XmlConvert.ToTimeSpan(advance.GetString() ?? ""),
                _ when request.TryGetProperty("to", out var to) => to.GetDateTimeOffset() - now,
                _ => throw new FormatException("Give \"advance\" (an ISO 8601 duration such as PT26H) or \"to\" (a UTC time)."),
            };
        }
        catch (Exception error) when (error is FormatException or InvalidOperationException)
        {
            return (400, new { error = error.Message });
        }

        if (by < TimeSpan.Zero)
        {
            return (400, new { error = $"The simulated clock only moves forward; it is {now:O}." });
        }

        clock.Advance(by);
        backup.Settle(clock.GetUtcNow());
        runSchedules();
        return (200, DescribeClock());
    }

    public object DescribeJobTimings() => Enum.GetValues<BackupJobKind>().ToDictionary(
        kind => kind.ToString().ToLowerInvariant(),
        kind => new { queued = XmlConvert.ToString(backup.GetTiming(kind).Queued), running = XmlConvert.ToString(backup.GetTiming(kind).Running) });

    public (int Status, object Body) SetJobTimings(JsonElement request)
    {
        var updates = new List<(BackupJobKind Kind, JobTiming Timing)>();
        try
        {
            foreach (var entry in request.EnumerateObject())
            {
                if (!Enum.TryParse<BackupJobKind>(entry.Name, ignoreCase: true, out var kind))
                {
                    throw new FormatException($"Unknown job kind '{entry.Name}': use backup, copy or restore.");
                }

                var current = backup.GetTiming(kind);
                updates.Add((kind, new JobTiming(Duration(entry.Value, "queued") ?? current.Queued, Duration(entry.Value, "running") ?? current.Running)));
            }
        }
        catch (Exception error) when (error is FormatException or InvalidOperationException)
        {
            return (400, new { error = error.Message });
        }

        foreach (var (kind, timing) in updates)
        {
            backup.SetTiming(kind, timing);
        }

        return (200, DescribeJobTimings());
    }

    private static TimeSpan? Duration(JsonElement timing, string name)
    {
        if (!timing.TryGetProperty(name, out var value))
        {
            return null;
        }

        var duration = XmlConvert.ToTimeSpan(value.GetString() ?? "");
        return duration >= TimeSpan.Zero ? duration : throw new FormatException($"'{name}' must not be negative.");
    }
}
