using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>
/// Runs the validations of one vault concurrently: at most <c>perRegion</c> at a time in this account and region, and
/// at most as many as <c>shared</c> allows across every vault of the invocation (-ThrottleLimit). Results come back
/// as each validation ends, not in start order. A validation that fails unexpectedly (not an AWS error: those are
/// results) stops the others, which clean up and record themselves as Aborted, and is rethrown once all have ended.
/// A stop ends the waiting at once; the validations still clean up on their own (the tracker waits for them).
/// </summary>
internal static class ConcurrentValidations
{
    public static async IAsyncEnumerable<TResult> RunAsync<TItem, TResult>(
        IReadOnlyList<TItem> items,
        int perRegion,
        SemaphoreSlim? shared,
        Func<TItem, CancellationToken, Task<TResult>> validate,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Neither is disposed here: validations still cleaning up after a stop release their slots later.
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var local = new SemaphoreSlim(perRegion, perRegion);
        var ended = Channel.CreateUnbounded<Task<TResult>>(new UnboundedChannelOptions { SingleReader = true });
        int outstanding = 1;
        void EndOne()
        {
            if (Interlocked.Decrement(ref outstanding) == 0)
            {
                ended.Writer.TryComplete();
                stop.Dispose();
            }
        }

        async Task LaunchAsync()
        {
            try
            {
                foreach (TItem item in items)
                {
                    await local.WaitAsync(stop.Token).ConfigureAwait(false);
                    try
                    {
                        if (shared is not null)
                        {
                            await shared.WaitAsync(stop.Token).ConfigureAwait(false);
                        }
                    }
                    catch (OperationCanceledException)
                    {
                        local.Release();
                        throw;
                    }

                    Interlocked.Increment(ref outstanding);
                    Task<TResult> validation = validate(item, stop.Token);
                    _ = validation.ContinueWith(
                        done =>
                        {
                            shared?.Release();
                            local.Release();
                            ended.Writer.TryWrite(done);
                            EndOne();
                        },
                        CancellationToken.None,
                        TaskContinuationOptions.ExecuteSynchronously,
                        TaskScheduler.Default);
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped: what has not started never starts.
            }
            finally
            {
                EndOne();
            }
        }

        _ = Task.Run(LaunchAsync);
        Exception? failure = null;
        while (await ended.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (ended.Reader.TryRead(out Task<TResult>? done))
            {
                if (done.Status == TaskStatus.RanToCompletion)
                {
                    yield return done.Result;
                }
                else if (done.IsFaulted && done.Exception!.GetBaseException() is not OperationCanceledException && failure is null)
                {
                    failure = done.Exception.GetBaseException();
                    Cancel(stop);
                }
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }

    private static void Cancel(CancellationTokenSource stop)
    {
        try
        {
            stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Everything has ended already.
        }
    }
}
