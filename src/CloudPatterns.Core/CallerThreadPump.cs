using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace CloudPatterns.Core;

/// <summary>
/// Runs an async stream to completion on the calling thread (a cmdlet's pipeline thread) and, while it waits, the
/// actions other threads <see cref="Post"/> (e.g. verbose messages from <c>AwsCallCompleted</c>). Every item callback
/// and every posted action runs on the calling thread, in the order they became ready.
/// </summary>
public sealed class CallerThreadPump
{
    private static readonly Action Wake = () => { };
    private readonly BlockingCollection<Action> actions = new(new ConcurrentQueue<Action>());

    /// <summary>Queues an action for the calling thread; safe from any thread.</summary>
    public void Post(Action action) => actions.Add(action);

    /// <summary>Blocks the calling thread until the stream ends, fails (the exception is rethrown) or is cancelled.</summary>
    public void Run<T>(IAsyncEnumerable<T> items, Action<T> onItem, CancellationToken cancellationToken)
    {
        IAsyncEnumerator<T> enumerator = items.GetAsyncEnumerator(cancellationToken);
        try
        {
            while (WaitFor(enumerator.MoveNextAsync().AsTask()))
            {
                onItem(enumerator.Current);
            }
        }
        finally
        {
            WaitFor(enumerator.DisposeAsync().AsTask().ContinueWith(_ => true, TaskScheduler.Default));
        }
    }

    private bool WaitFor(Task<bool> next)
    {
        next.ContinueWith(_ => actions.Add(Wake), TaskScheduler.Default);
        while (!next.IsCompleted)
        {
            actions.Take()();
        }

        // Actions posted before the result arrived run before it is handed over.
        while (actions.TryTake(out Action? action))
        {
            action();
        }

        return next.GetAwaiter().GetResult();
    }
}
