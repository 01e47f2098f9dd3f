namespace CloudPatterns.LocalCloud.Hosting;

/// <summary>
/// Drives the clock's auto-advance while LocalCloud runs: a few times a second it settles Backup's jobs and lets the
/// clock skip to the next pending job's due time (a Backup job, a CloudFormation signal timeout, a Route 53 change, a
/// one-time schedule, a Lambda retry), and runs the EventBridge and Scheduler schedules that are due (<see cref="LocalCloudClock.TryAutoAdvance"/> decides whether it may).
/// </summary>
internal sealed class ClockAutoAdvance : IAsyncDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public ClockAutoAdvance(LocalCloudState state) => loop = Task.Run(() => RunAsync(state, stop.Token));

    /// <summary>One step: settle what is due, then skip to the next pending job if the clock may. Returns whether it moved.</summary>
    public static bool Step(LocalCloudState state)
    {
        var clock = state.Clock;
        RunSchedules(state);
        // Deliveries in flight (events on their way to functions) and Event invocations running (a custom resource's
        // provider working on its request, whose timeout is a pending job) count as activity: the clock waits for them.
        if (!clock.MayAutoAdvance || state.EventDelivery.Busy || state.ScheduleDelivery.Busy || state.LambdaInvoker.Busy)
        {
            return false;
        }

        var now = clock.GetUtcNow();
        // Pending jobs: Backup's jobs, CloudFormation's signal timeouts (a resource waiting for cfn-signal), Route 53's changes,
        // one-time (at()) schedules, EFS file systems and mount targets being created, Lambda's retries waiting; recurring schedules and rules are not (the clock would never rest).
        var next = new[] { state.Backup.NextPendingJobTime(now), state.CloudFormation.NextSignalTimeout(), state.Route53.NextPendingChange(now), state.Schedules.NextOneTimeRun(), state.Efs.Store.NextTransition(now), state.LambdaInvoker.NextRetry }.Min();
        var moved = clock.TryAutoAdvance(next);
        if (moved)
        {
            state.Backup.Settle(clock.GetUtcNow());
            RunSchedules(state);
        }

        return moved;
    }

    /// <summary>
    /// EventBridge's schedule rules and Scheduler's schedules due by now; Auto Scaling's alarm-driven policies up to
    /// now; FIS experiments settled (their stop conditions, their actions' ends).
    /// </summary>
    public static void RunSchedules(LocalCloudState state)
    {
        var now = state.Clock.GetUtcNow();
        state.EventDelivery.RunSchedules(now);
        state.ScheduleDelivery.RunDue(now);
        state.Scaling.Settle();
        state.Fis.SettleAll();
    }

    private static async Task RunAsync(LocalCloudState state, CancellationToken cancellation)
    {
        using var timer = new PeriodicTimer(Tick);
        while (await timer.WaitForNextTickAsync(cancellation).ConfigureAwait(false))
        {
            Step(state);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await loop;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        stop.Dispose();
    }
}
