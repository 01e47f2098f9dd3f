using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace CloudPatterns.PowerShell.Infrastructure;

/// <summary>
/// Base of every cmdlet: ties a CancellationToken to Ctrl+C and runs async core work while the pipeline thread
/// alone performs Write* calls, drained from a queue the workers post to.
/// </summary>
public abstract class CloudPatternsCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();

    protected CancellationToken Cancellation => _cancellation.Token;

    protected override void StopProcessing() => _cancellation.Cancel();

    /// <summary>True when the user asked for -WhatIf (or set $WhatIfPreference): previews replace the changes.</summary>
    protected bool WhatIfRequested =>
        (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var value) && value is SwitchParameter { IsPresent: true })
        || (!MyInvocation.BoundParameters.ContainsKey("WhatIf") && LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference")));

    /// <summary>
    /// Runs <paramref name="work"/> off the pipeline thread; everything it posts to the <see cref="PipelineQueue"/>
    /// runs here, on the pipeline thread, as soon as it is posted. Exceptions from the work surface here.
    /// </summary>
    protected void RunOnWorker(Func<PipelineQueue, CancellationToken, Task> work)
    {
        using var actions = new BlockingCollection<Action>();
        var queue = new PipelineQueue(actions);
        var worker = Task.Run(async () =>
        {
            try
            {
                await work(queue, Cancellation).ConfigureAwait(false);
            }
            finally
            {
                actions.CompleteAdding();
            }
        });
        Exception? stopped = null;
        foreach (var action in actions.GetConsumingEnumerable())
        {
            if (stopped is not null)
            {
                continue;
            }
            try
            {
                action();
            }
            catch (Exception ex)
            {
                // The pipeline is stopping (Ctrl+C, -ErrorAction Stop): cancel the work and let it finish its
                // cleanup before this returns, but run nothing more here.
                stopped = ex;
                _cancellation.Cancel();
            }
        }
        if (stopped is not null)
        {
            worker.ContinueWith(_ => { }, TaskScheduler.Default).Wait();
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(stopped).Throw();
        }
        try
        {
            worker.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>A terminating error with a stable id; the message says what to do.</summary>
    protected void ThrowTerminating(Exception exception, string errorId, ErrorCategory category, object? target)
        => ThrowTerminatingError(new ErrorRecord(exception, errorId, category, target));

    public void Dispose()
    {
        _cancellation.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>Hands work to the pipeline thread. Safe to call from any thread.</summary>
public sealed class PipelineQueue
{
    private readonly BlockingCollection<Action> _actions;

    internal PipelineQueue(BlockingCollection<Action> actions) => _actions = actions;

    /// <summary>Queues <paramref name="action"/>; once the pipeline has stopped reading, it is dropped.</summary>
    public void Post(Action action)
    {
        try
        {
            _actions.Add(action);
        }
        catch (InvalidOperationException)
        {
            // Adding completed or the queue is gone (ObjectDisposedException is one): nobody will run it.
        }
    }
}
