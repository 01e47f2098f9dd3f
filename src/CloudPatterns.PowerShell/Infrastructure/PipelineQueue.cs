using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace CloudPatterns.PowerShell.Infrastructure;

/// <summary>
/// The one queue from a cmdlet's workers to its pipeline thread: results, progress, errors, messages and prompts all
/// go through it and run in order on the pipeline thread, the only one that may call Write* or ShouldProcess. Progress
/// activities it opens are completed when the run ends, however it ends. A prompt never leaves a worker waiting: its
/// answer, its exception (Ctrl+C, a host that cannot prompt) or the end of the run completes the worker's task.
/// </summary>
public sealed class PipelineQueue
{
    /// <summary>The activity id of a cmdlet's overall progress; the activities it reports get ids after it.</summary>
    public const int OverallActivityId = 1;

    private readonly BlockingCollection<Action> _actions = new();
    private readonly PSCmdlet _cmdlet;
    private readonly ConcurrentDictionary<TaskCompletionSource<bool>, byte> _pendingQuestions = new();
    private readonly Dictionary<string, int> _activityIds = new(StringComparer.Ordinal);
    private readonly Dictionary<int, ProgressRecord> _openActivities = new();
    private int _closed;

    private PipelineQueue(PSCmdlet cmdlet) => _cmdlet = cmdlet;

    /// <summary>
    /// Runs <paramref name="work"/> on a worker while the calling (pipeline) thread runs what the work posts. Progress
    /// is completed at the end; if the pipeline thread fails (a prompt or a downstream command throws), the work is
    /// cancelled and awaited before the failure surfaces, so no worker is left behind.
    /// </summary>
    internal static void Run(PSCmdlet cmdlet, CancellationTokenSource cancellation, Func<PipelineQueue, CancellationToken, Task> work)
    {
        var queue = new PipelineQueue(cmdlet);
        var worker = Task.Run(async () =>
        {
            try
            {
                await work(queue, cancellation.Token).ConfigureAwait(false);
            }
            finally
            {
                queue.Close();
            }
        });
        try
        {
            foreach (var action in queue._actions.GetConsumingEnumerable())
            {
                action();
            }
        }
        catch
        {
            cancellation.Cancel();
            queue.Close();
            try
            {
                worker.Wait();
            }
            catch (AggregateException)
            {
                // The pipeline thread's failure is the one to report.
            }

            throw;
        }
        finally
        {
            queue.CompleteProgress();
            queue._actions.Dispose();
        }

        try
        {
            worker.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>Runs <paramref name="action"/> on the pipeline thread (e.g. a user's script block). Ignored once the run has ended.</summary>
    public void Post(Action action)
    {
        try
        {
            if (Volatile.Read(ref _closed) == 0)
            {
                _actions.Add(action);
            }
        }
        catch (InvalidOperationException)
        {
            // Closed between the check and the add: the run is over.
        }
    }

    public void Output(object value) => Post(() => _cmdlet.WriteObject(value));

    public void Error(ErrorRecord record) => Post(() => _cmdlet.WriteError(record));

    public void Warning(string text) => Post(() => _cmdlet.WriteWarning(text));

    public void Verbose(string text) => Post(() => _cmdlet.WriteVerbose(text));

    public void Debug(string text) => Post(() => _cmdlet.WriteDebug(text));

    public void Information(string text, params string[] tags) => Post(() => _cmdlet.WriteInformation(new HostInformationMessage { Message = text }, tags));

    /// <summary>
    /// Progress of one activity, shown under the cmdlet's overall progress (or as the overall progress when
    /// <paramref name="activity"/> is null); completed at the end of the run if nothing completed it before.
    /// </summary>
    public void Progress(string? activity, string status, string? currentOperation = null, int? percentComplete = null) => Post(() =>
    {
        var id = activity is null ? OverallActivityId : IdOf(activity);
        var record = new ProgressRecord(id, activity ?? _cmdlet.MyInvocation.MyCommand.Name, status)
        {
            ParentActivityId = id == OverallActivityId ? -1 : OverallActivityId,
            CurrentOperation = currentOperation,
            PercentComplete = percentComplete is { } percent ? Math.Min(Math.Max(percent, 0), 100) : -1,
        };
        _openActivities[id] = record;
        _cmdlet.WriteProgress(record);
    });

    /// <summary>An <see cref="IProgress{T}"/> whose reports reach the pipeline thread through this queue.</summary>
    public IProgress<T> ProgressOf<T>(Action<PipelineQueue, T> report) => new QueueProgress<T>(this, report);

    /// <summary>
    /// Asks <paramref name="question"/> on the pipeline thread (ShouldProcess, ShouldContinue) and returns its answer.
    /// Completes with the question's exception if it throws, and is cancelled when the run ends or is cancelled.
    /// </summary>
    public async Task<bool> AskAsync(Func<bool> question, CancellationToken cancellation)
    {
        var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pendingQuestions[answer] = 0;
        using (cancellation.Register(() => answer.TrySetCanceled()))
        {
            Post(() =>
            {
                try
                {
                    answer.TrySetResult(question());
                }
                catch (Exception ex)
                {
                    answer.TrySetException(ex);
                    throw;
                }
            });
            if (Volatile.Read(ref _closed) != 0)
            {
                answer.TrySetCanceled();
            }

            try
            {
                return await answer.Task.ConfigureAwait(false);
            }
            finally
            {
                _pendingQuestions.TryRemove(answer, out _);
            }
        }
    }

    private void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            _actions.CompleteAdding();
        }

        foreach (var question in _pendingQuestions.Keys)
        {
            question.TrySetCanceled();
        }
    }

    private int IdOf(string activity)
    {
        if (!_activityIds.TryGetValue(activity, out var id))
        {
            id = OverallActivityId + 1 + _activityIds.Count;
            _activityIds[activity] = id;
        }

        return id;
    }

    private void CompleteProgress()
    {
        // Children before the overall activity, so no host shows a child without its parent.
        foreach (var record in _openActivities.Values.OrderByDescending(r => r.ActivityId))
        {
            record.RecordType = ProgressRecordType.Completed;
            record.PercentComplete = 100;
            try
            {
                _cmdlet.WriteProgress(record);
            }
            catch (PipelineStoppedException)
            {
                // Stopping: the host clears progress itself.
            }
            catch (InvalidOperationException)
            {
                // Not on the pipeline thread any more (the pipeline was torn down): nothing to complete.
            }
        }

        _openActivities.Clear();
    }

    private sealed class QueueProgress<T> : IProgress<T>
    {
        private readonly PipelineQueue _queue;
        private readonly Action<PipelineQueue, T> _report;

        public QueueProgress(PipelineQueue queue, Action<PipelineQueue, T> report)
        {
            _queue = queue;
            _report = report;
        }

        public void Report(T value) => _report(_queue, value);
    }
}
