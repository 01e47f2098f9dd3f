using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>
/// The validations of one invocation, so its host can wait for their cleanup after a stop: cancellation ends the
/// waiting for results at once, but each validation still removes its restore and writes its Aborted record, and
/// the host must not exit (or let the process exit) before that is done.
/// </summary>
public sealed class DrValidationTracker
{
    private readonly ConcurrentQueue<Task> validations = new();
    private readonly ConcurrentQueue<DrValidationResult> aborted = new();

    /// <summary>The validations a stop interrupted, each cleaned up and recorded as Aborted (when S3 took the record).</summary>
    public IReadOnlyList<DrValidationResult> Aborted => aborted.ToArray();

    /// <summary>Completes when every validation started so far has ended, cleanup and evidence included.</summary>
    public Task WhenAllEndedAsync() =>
        Task.WhenAll(validations.Select(validation => validation.ContinueWith(_ => { }, TaskScheduler.Default)));

    /// <summary>What the host ends with when a stop interrupted validations: each one, its cleanup and its record.</summary>
    public DrValidationAbortedException? AbortedError()
    {
        DrValidationResult[] stopped = aborted.ToArray();
        return stopped.Length == 0 ? null : new DrValidationAbortedException(stopped);
    }

    private int inFlight;

    /// <summary>Validations started and not yet ended.</summary>
    public int InFlight => Volatile.Read(ref inFlight);

    internal void Track(Task validation)
    {
        Interlocked.Increment(ref inFlight);
        validations.Enqueue(validation);
        _ = validation.ContinueWith(_ => Interlocked.Decrement(ref inFlight), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    internal void Abort(DrValidationResult result) => aborted.Enqueue(result);
}

/// <summary>Validations a stop interrupted: the run did not finish, whatever the rest returned.</summary>
public sealed class DrValidationAbortedException : Exception
{
    public DrValidationAbortedException(IReadOnlyList<DrValidationResult> aborted)
        : base($"The DR validation was stopped; {aborted.Count} validation(s) were aborted and recorded as Aborted:"
            + string.Concat(aborted.Select(result =>
                $"\n- {result.ResourceArn} in {result.AccountId} {result.Region}, restore job {result.RestoreJobId ?? "not started"}: cleanup {result.Cleanup.Outcome} ({result.Cleanup.Detail}); evidence {(result.EvidenceKey is null ? "NOT stored" : $"s3://{result.EvidenceBucket}/{result.EvidenceKey}")}.")))
    {
        Aborted = aborted;
    }

    public IReadOnlyList<DrValidationResult> Aborted { get; }
}
