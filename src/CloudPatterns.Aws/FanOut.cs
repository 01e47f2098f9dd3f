using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace CloudPatterns.Aws;

/// <summary>One account in one region, and the role used there (null for the caller's own account).</summary>
public sealed class FanOutTarget
{
    public FanOutTarget(string accountId, string region, string? roleArn)
    {
        AccountId = accountId;
        Region = region;
        RoleArn = roleArn;
    }

    public string AccountId { get; }

    public string Region { get; }

    public string? RoleArn { get; }

    public override string ToString() => $"{AccountId}/{Region}";
}

public sealed class FanOutOptions
{
    public const int DefaultThrottleLimit = 8;

    /// <summary>How many targets run at once.</summary>
    public int ThrottleLimit { get; set; } = DefaultThrottleLimit;

    /// <summary>Once this many targets have failed, no new targets start and running ones are cancelled; null = never stop.</summary>
    public int? FailureTolerance { get; set; }
}

/// <summary>A value one target produced, or that target's failure.</summary>
public sealed class FanOutItem<T>
{
    private FanOutItem(FanOutTarget target, T? value, AwsFailure? failure)
    {
        Target = target;
        Value = value;
        Failure = failure;
    }

    public FanOutTarget Target { get; }

    public T? Value { get; }

    public AwsFailure? Failure { get; }

    public bool IsFailure => Failure is not null;

    internal static FanOutItem<T> Succeeded(FanOutTarget target, T value) => new(target, value, null);

    internal static FanOutItem<T> Failed(FanOutTarget target, Exception exception) => new(target, default, AwsFailure.Of(exception, target));
}

/// <summary>The run stopped early because <see cref="FanOutOptions.FailureTolerance"/> targets had failed.</summary>
public sealed class FanOutStoppedException : Exception
{
    internal FanOutStoppedException(int failedTargets, int targetsNotRun)
        : base($"Stopped after {failedTargets} targets failed (FailureTolerance); {targetsNotRun} targets were not run or were cancelled.")
    {
        FailedTargets = failedTargets;
        TargetsNotRun = targetsNotRun;
    }

    public int FailedTargets { get; }

    public int TargetsNotRun { get; }
}

/// <summary>
/// Runs work on many targets with bounded concurrency and streams what each produces as it is produced; a target
/// that throws becomes a failure item and the others go on. The caller drains the stream on its own thread.
/// </summary>
public static class FanOut
{
    // After cancellation, in-flight work gets this long to observe its token and clean up before the stream ends.
    private static readonly TimeSpan CancellationGrace = TimeSpan.FromSeconds(1);

    /// <summary>Work that produces one value per target.</summary>
    public static IAsyncEnumerable<FanOutItem<T>> RunAsync<T>(
        IEnumerable<FanOutTarget> targets,
        Func<FanOutTarget, CancellationToken, Task<T>> work,
        FanOutOptions options,
        CancellationToken cancellationToken = default) =>
        RunAsync(targets, (target, token) => Single(work, target, token), options, cancellationToken);

    /// <summary>Work that streams any number of values per target.</summary>
    public static async IAsyncEnumerable<FanOutItem<T>> RunAsync<T>(
        IEnumerable<FanOutTarget> targets,
        Func<FanOutTarget, CancellationToken, IAsyncEnumerable<T>> work,
        FanOutOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (options.ThrottleLimit < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ThrottleLimit, "ThrottleLimit must be at least 1.");
        }

        if (options.FailureTolerance is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.FailureTolerance, "FailureTolerance must be at least 1.");
        }

        var pending = new ConcurrentQueue<FanOutTarget>(targets);
        int targetCount = pending.Count;
        var finished = new StrongBox<int>(0);
        var results = Channel.CreateUnbounded<FanOutItem<T>>(new UnboundedChannelOptions { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task[] workers = Enumerable.Range(0, Math.Min(options.ThrottleLimit, targetCount))
            .Select(_ => Task.Run(() => WorkAsync(pending, work, results.Writer, finished, stop.Token)))
            .ToArray();
        _ = Task.WhenAll(workers).ContinueWith(_ => results.Writer.TryComplete(), TaskScheduler.Default);

        int failures = 0;
        bool stoppedByFailures = false;
        try
        {
            while (await results.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (results.Reader.TryRead(out FanOutItem<T>? item))
                {
                    if (item.IsFailure)
                    {
                        failures++;
                        if (failures >= options.FailureTolerance && !stoppedByFailures)
                        {
                            stoppedByFailures = true;
                            stop.Cancel();
                        }
                    }

                    yield return item;
                }
            }
        }
        finally
        {
            stop.Cancel();
            await Task.WhenAny(Task.WhenAll(workers), Task.Delay(CancellationGrace)).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (stoppedByFailures)
        {
            throw new FanOutStoppedException(failures, targetCount - Volatile.Read(ref finished.Value));
        }
    }

    private static async IAsyncEnumerable<T> Single<T>(Func<FanOutTarget, CancellationToken, Task<T>> work, FanOutTarget target, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return await work(target, cancellationToken).ConfigureAwait(false);
    }

    private static async Task WorkAsync<T>(
        ConcurrentQueue<FanOutTarget> pending,
        Func<FanOutTarget, CancellationToken, IAsyncEnumerable<T>> work,
        ChannelWriter<FanOutItem<T>> results,
        StrongBox<int> finished,
        CancellationToken stop)
    {
        while (!stop.IsCancellationRequested && pending.TryDequeue(out FanOutTarget? target))
        {
            try
            {
                await foreach (T value in work(target, stop).WithCancellation(stop).ConfigureAwait(false))
                {
                    results.TryWrite(FanOutItem<T>.Succeeded(target, value));
                }

                Interlocked.Increment(ref finished.Value);
            }
            catch (Exception exception) when (!stop.IsCancellationRequested)
            {
                Interlocked.Increment(ref finished.Value);
                results.TryWrite(FanOutItem<T>.Failed(target, exception));
            }
            catch (OperationCanceledException)
            {
                // Stopped by the caller or by FailureTolerance: a cancelled target is not a failed one.
                return;
            }
        }
    }
}
