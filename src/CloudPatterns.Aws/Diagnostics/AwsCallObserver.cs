using System;

namespace CloudPatterns.Aws.Diagnostics;

/// <summary>
/// Hands <see cref="AwsCallRecord"/>s to the caller's callback one at a time, so a callback that is not
/// thread-safe (for example one that appends to a list the pipeline thread drains) can be used as is.
/// </summary>
internal sealed class AwsCallObserver
{
    private readonly Action<AwsCallRecord> callback;
    private readonly object gate = new();

    public AwsCallObserver(Action<AwsCallRecord> callback) => this.callback = callback;

    public void Report(AwsCallRecord record)
    {
        lock (gate)
        {
            callback(record);
        }
    }
}
