namespace CloudPatterns.LocalCloud;

/// <summary>
/// LocalCloud's simulated clock: the real UTC time plus an offset that tests move forward (temporary credentials
/// expire, jobs progress). Signature freshness (the 15-minute skew rule) is checked against the real time, because
/// clients sign with their own real clock.
/// </summary>
public sealed class LocalCloudClock : TimeProvider
{
    private long offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    /// <summary>Moves the simulated time forward; it never goes back.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Interlocked.Add(ref offsetTicks, by.Ticks);
    }
}
