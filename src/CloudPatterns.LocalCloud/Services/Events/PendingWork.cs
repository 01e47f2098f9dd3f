namespace CloudPatterns.LocalCloud.Services.Events;

/// <summary>Deliveries running in the background (events, schedule targets, Lambda's Event invocations): queued, counted while they run (the clock waits), drained by tests.</summary>
internal sealed class PendingWork
{
    private readonly Lock gate = new();
    private readonly List<Task> pending = [];

    public void Queue(Action work) => Track(Task.Run(work));

    public void Queue(Func<Task> work) => Track(Task.Run(work));

    private void Track(Task run)
    {
        lock (gate)
        {
            pending.RemoveAll(task => task.IsCompleted);
            pending.Add(run);
        }
    }

    /// <summary>Whether any delivery is still running.</summary>
    public bool Busy => Count > 0;

    /// <summary>How many deliveries are still running.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                pending.RemoveAll(task => task.IsCompleted);
                return pending.Count;
            }
        }
    }

    /// <summary>Waits for the deliveries queued so far.</summary>
    public Task DrainAsync()
    {
        lock (gate)
        {
            return Task.WhenAll(pending.ToList());
        }
    }
}
