using CloudPatterns.LocalCloud.Services.Scheduler;

namespace CloudPatterns.LocalCloud.Tests.Events;

/// <summary>
/// Scheduler on the simulated clock: a flexible window puts each run at a fixed point inside the window; a one-time
/// schedule is a pending job the clock's auto-advance skips to, a recurring one is not (the clock would never rest).
/// </summary>
public sealed class SchedulerClockTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_flexible_window_runs_each_occurrence_once_inside_the_window_and_at_the_same_point_every_time()
    {
        IReadOnlyList<DateTimeOffset> Runs()
        {
            var store = new SchedulerStore(new FixedTime(Start));
            store.Put(Hourly(Start) with { FlexibleMode = "FLEXIBLE", MaximumWindowInMinutes = 15 }, replace: false);
            return [.. store.Due(Start.AddHours(3).AddMinutes(15)).Select(run => run.Time)];
        }

        var runs = Runs();
        Assert.Equal(3, runs.Count);
        for (var hour = 1; hour <= 3; hour++)
        {
            Assert.InRange(runs[hour - 1], Start.AddHours(hour), Start.AddHours(hour).AddMinutes(15));
        }

        Assert.Equal(runs, Runs());
        Assert.Contains(runs, run => run.Minute != 0 || run.Second != 0);
    }

    [Fact]
    public void Only_enabled_one_time_schedules_are_pending_for_auto_advance()
    {
        var store = new SchedulerStore(new FixedTime(Start));
        store.Put(Hourly(Start), replace: false);
        Assert.Null(store.NextOneTimeRun());

        // 07:30 in Kolkata (UTC+5:30) is 02:00 UTC.
        var once = Hourly(Start) with { Name = "once", Expression = "at(2026-12-01T07:30:00)", Timezone = "Asia/Kolkata", Timing = ScheduleTiming.Parse("at(2026-12-01T07:30:00)", "Asia/Kolkata", Start) };
        store.Put(once with { State = "DISABLED" }, replace: false);
        Assert.Throws<Protocols.AwsServiceException>(() => store.Put(once, replace: false));
        Assert.Null(store.NextOneTimeRun());

        store.Put(once with { State = "ENABLED" }, replace: true);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero), store.NextOneTimeRun());
        Assert.Single(store.Due(Start.AddHours(2)), run => run.Schedule.Expression.StartsWith("at(", StringComparison.Ordinal));
        Assert.Null(store.NextOneTimeRun());
    }

    [Fact]
    public async Task An_idle_LocalCloud_skips_to_a_one_time_schedule_but_not_to_a_recurring_one()
    {
        await using var server = await LocalCloudServer.StartAsync(new LocalCloudOptions { AutoAdvance = true });
        var schedules = server.State.Schedules;
        var now = server.Clock.GetUtcNow();
        schedules.Put(Hourly(now), replace: false);

        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.InRange(server.Clock.GetUtcNow() - now, TimeSpan.Zero, TimeSpan.FromMinutes(1));

        var at = now.AddHours(6);
        var expression = $"at({at.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss})";
        schedules.Put(Hourly(now) with { Name = "once", Expression = expression, Timing = ScheduleTiming.Parse(expression, null, now) }, replace: false);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (schedules.NextOneTimeRun() is not null)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), "The one-time schedule was still pending after 60 real seconds.");
            await Task.Delay(50);
        }

        // The clock skipped to the one-time run (about six hours) and not on to the hourly schedule's later runs.
        Assert.InRange(server.Clock.GetUtcNow() - now, TimeSpan.FromHours(6) - TimeSpan.FromSeconds(1), TimeSpan.FromHours(6) + TimeSpan.FromMinutes(1));
    }

    private static Schedule Hourly(DateTimeOffset anchor) => new("333333333333", "us-east-2", ScheduleGroup.DefaultName, "hourly")
    {
        Expression = "rate(1 hour)",
        Timing = ScheduleTiming.Parse("rate(1 hour)", null, anchor),
        Target = new ScheduleTarget("arn:aws:sns:us-east-2:333333333333:out", "arn:aws:iam::333333333333:role/r", null, 0, 60, false, null),
        Created = anchor,
        Modified = anchor,
    };

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
