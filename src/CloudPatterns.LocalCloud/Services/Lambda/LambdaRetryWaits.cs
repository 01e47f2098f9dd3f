namespace CloudPatterns.LocalCloud.Services.Lambda;

/// <summary>
/// The retries of failed Event invocations waiting on the sandbox clock: Lambda waits one minute before the first retry
/// and two more before the second (docs/localcloud-lambda.md, "Invoke"). A waiting retry is a pending job: the clock's
/// auto-advance skips to its due time (<see cref="Next"/>), and a test that sets the clock by hand moves it there.
/// </summary>
internal sealed class LambdaRetryWaits(TimeProvider clock)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    private readonly Lock gate = new();
    private readonly List<DateTimeOffset> due = [];

    /// <summary>How long Lambda waits before retry number <paramref name="retry"/> (1: one minute, 2: two minutes).</summary>
    public static TimeSpan Before(int retry) => TimeSpan.FromMinutes(retry);

    /// <summary>How many retries are waiting now.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return due.Count;
            }
        }
    }

    /// <summary>The earliest due time of a waiting retry, or null when none waits.</summary>
    public DateTimeOffset? Next
    {
        get
        {
            lock (gate)
            {
                return due.Count == 0 ? null : due.Min();
            }
        }
    }

    /// <summary>Waits until the sandbox clock reaches the due time of retry number <paramref name="retry"/>.</summary>
    public async Task WaitAsync(int retry)
    {
        var at = clock.GetUtcNow() + Before(retry);
        lock (gate)
        {
            due.Add(at);
        }

        try
        {
            while (clock.GetUtcNow() < at)
            {
                await Task.Delay(Poll);
            }
        }
        finally
        {
            lock (gate)
            {
                due.Remove(at);
            }
        }
    }
}
