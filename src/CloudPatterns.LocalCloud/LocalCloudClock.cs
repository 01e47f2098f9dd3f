namespace CloudPatterns.LocalCloud;

/// <summary>
/// LocalCloud's simulated clock. It starts at the real UTC time and runs <see cref="Scale"/> times as fast as real
/// time; on top of that it jumps forward when told to (the admin API, tests) and, with <see cref="AutoAdvance"/>,
/// by itself to the next due time of a pending job once no request has arrived for <see cref="IdleThreshold"/>.
/// It never goes back. Signature freshness (the 15-minute skew rule) is checked against the real time, because
/// clients sign with their own real clock. Rules and defaults: src/CloudPatterns.LocalCloud/README.md, "Simulated time".
/// </summary>
public sealed class LocalCloudClock : TimeProvider
{
    /// <summary>The largest <see cref="Scale"/>: one real second is at most one simulated hour.</summary>
    public const int MaxScale = 3600;

    private readonly Lock gate = new();
    private readonly TimeProvider real;
    private readonly DateTimeOffset realStart;
    private long jumpTicks;
    private DateTimeOffset lastActivity;

    /// <param name="scale">Simulated seconds per real second, 1 to <see cref="MaxScale"/>.</param>
    /// <param name="real">The real time; <see cref="TimeProvider.System"/> unless a test drives it.</param>
    public LocalCloudClock(int scale = 1, TimeProvider? real = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(scale, MaxScale);
        Scale = scale;
        this.real = real ?? System;
        realStart = this.real.GetUtcNow();
        lastActivity = realStart;
    }

    /// <summary>Simulated seconds per real second.</summary>
    public int Scale { get; }

    /// <summary>Whether the clock skips ahead to the next pending job when LocalCloud is idle (see <see cref="TryAutoAdvance"/>).</summary>
    public bool AutoAdvance { get; private set; }

    /// <summary>How long (real time) no request may arrive before the clock skips ahead.</summary>
    public TimeSpan IdleThreshold { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Whether <see cref="TryAutoAdvance"/> may move the clock now: auto-advance is on and LocalCloud is idle.</summary>
    public bool MayAutoAdvance
    {
        get
        {
            lock (gate)
            {
                return AutoAdvance && real.GetUtcNow() - lastActivity >= IdleThreshold;
            }
        }
    }

    /// <summary>How far the simulated time is ahead of the real time.</summary>
    public TimeSpan Offset => OffsetAt(real.GetUtcNow());

    public override DateTimeOffset GetUtcNow()
    {
        var now = real.GetUtcNow();
        return now + OffsetAt(now);
    }

    private TimeSpan OffsetAt(DateTimeOffset realNow) => ((realNow - realStart) * (Scale - 1)) + TimeSpan.FromTicks(Interlocked.Read(ref jumpTicks));

    /// <summary>Turns skipping ahead on; <see cref="Advance"/> turns it off again for good.</summary>
    public void EnableAutoAdvance()
    {
        lock (gate)
        {
            AutoAdvance = true;
        }
    }

    /// <summary>
    /// Moves the simulated time forward; it never goes back. A manual move turns <see cref="AutoAdvance"/> off, so a
    /// test that sets the clock sees only the times it sets.
    /// </summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        lock (gate)
        {
            AutoAdvance = false;
            Interlocked.Add(ref jumpTicks, by.Ticks);
        }
    }

    /// <summary>Records that a request arrived: the clock does not skip ahead for <see cref="IdleThreshold"/>.</summary>
    public void NoteActivity()
    {
        var now = real.GetUtcNow();
        lock (gate)
        {
            lastActivity = now;
        }
    }

    /// <summary>
    /// With <see cref="AutoAdvance"/> on and no request for <see cref="IdleThreshold"/>, moves the clock exactly to
    /// <paramref name="nextDue"/> (the next due time of a pending job) when that is ahead; never past it, never back.
    /// Returns whether the clock moved.
    /// </summary>
    public bool TryAutoAdvance(DateTimeOffset? nextDue)
    {
        lock (gate)
        {
            if (!MayAutoAdvance || nextDue is not { } due)
            {
                return false;
            }

            var by = due - GetUtcNow();
            if (by <= TimeSpan.Zero)
            {
                return false;
            }

            Interlocked.Add(ref jumpTicks, by.Ticks);
            return true;
        }
    }
}
