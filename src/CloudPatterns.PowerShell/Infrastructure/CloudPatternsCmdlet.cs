using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace CloudPatterns.PowerShell.Infrastructure;

/// <summary>
/// Base of the cmdlets that do not call AWS (the CloudSandbox ones): Ctrl+C cancels their work, which runs off the
/// pipeline thread through the <see cref="PipelineQueue"/>. AWS cmdlets have the same three members on
/// <see cref="AwsCmdlet"/>, which stands directly on PSCmdlet so that no cmdlet is more than two of our classes deep.
/// </summary>
public abstract class CloudPatternsCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();

    protected override void StopProcessing() => _cancellation.Cancel();

    /// <summary>Runs <paramref name="work"/> off the pipeline thread; what it posts runs here (<see cref="PipelineQueue.Run"/>).</summary>
    protected void RunOnWorker(Func<PipelineQueue, CancellationToken, Task> work) => PipelineQueue.Run(this, _cancellation, work);

    /// <summary>A terminating error with a reason from the closed list; the message says what to do.</summary>
    internal void ThrowTerminating(Exception exception, ErrorReason reason, ErrorCategory category, object? target) =>
        ThrowTerminatingError(ErrorRecords.Create(exception, reason, category, target));

    public void Dispose()
    {
        _cancellation.Dispose();
        GC.SuppressFinalize(this);
    }
}
