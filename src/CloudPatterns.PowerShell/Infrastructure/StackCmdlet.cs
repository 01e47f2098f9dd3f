using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Core.Deployment;

using CloudPatterns.PowerShell.Completion;

namespace CloudPatterns.PowerShell.Infrastructure;

/// <summary>
/// Base of the cmdlets that act on named stacks per account × region: the stack name of each pipeline record goes
/// with that record's targets, stack events show as progress while CloudFormation works, and -WhatIf shows the
/// change set. Not generic and naming no engine type in its signature, as <see cref="FanOutCmdlet"/> explains.
/// </summary>
public abstract class StackCmdlet : FanOutCmdlet
{
    private readonly List<StackRecord> _records = new();

    /// <summary>The parameter set in which a stack name is given (the only one, except for cmdlets that also work without a stack).</summary>
    protected const string StackParameterSet = "Stack";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = StackParameterSet)]
    [ArgumentCompleter(typeof(StackNameCompleter))]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.StackName))]
    public string StackName { get; set; } = string.Empty;

    protected override void ProcessRecord()
    {
        _records.Add(new StackRecord(StackName, AccountId, Region));
        base.ProcessRecord();
    }

    /// <summary>The stack names the pipeline records asked for in this target.</summary>
    protected IReadOnlyList<string> StackNamesFor(FanOutTarget target) => _records
        .Where(r => (r.AccountIds is null ? target.AccountId == CallerAccountId : r.AccountIds.Contains(target.AccountId))
            && (r.Regions is not { Length: > 0 } ? target.Region == SessionRegion : r.Regions.Contains(target.Region)))
        .Select(r => r.StackName)
        .Distinct(StringComparer.Ordinal)
        .ToList();

    /// <summary>
    /// Runs a stack operation that reports progress, yielding each stack event as it arrives and then the result;
    /// <see cref="WriteTargetValue"/> turns the events into progress records.
    /// </summary>
    protected static async IAsyncEnumerable<object> WithProgressAsync(Func<IProgress<StackProgress>, CancellationToken, Task<object?>> operation, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellation)
    {
        var updates = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
        var running = Task.Run(async () =>
        {
            try
            {
                var result = await operation(new ChannelProgress(updates.Writer), cancellation).ConfigureAwait(false);
                if (result is not null)
                {
                    updates.Writer.TryWrite(result);
                }

                updates.Writer.TryComplete();
            }
            catch (Exception ex)
            {
                updates.Writer.TryComplete(ex);
            }
        }, cancellation);
        while (await updates.Reader.WaitToReadAsync(cancellation).ConfigureAwait(false))
        {
            while (updates.Reader.TryRead(out var update))
            {
                yield return update;
            }
        }

        await running.ConfigureAwait(false);
    }

    protected override void WriteTargetValue(object value)
    {
        switch (value)
        {
            case StackProgress progress:
                WriteVerbose($"{progress.AccountId} {progress.Region} {progress.StackName}: {progress}");
                WriteProgress(new ProgressRecord(2, $"Stack {progress.StackName} in {progress.AccountId} {progress.Region}", progress.ToString()) { ParentActivityId = 1 });
                break;
            case StackChangePreview preview:
                WriteInformation(new HostInformationMessage { Message = Describe(preview) }, new[] { "PSHOST", "WhatIf" });
                break;
            default:
                WriteObject(value);
                break;
        }
    }

    /// <summary>The change set as a what-if message: one line per resource with action, type and replacement.</summary>
    internal static string Describe(StackChangePreview preview)
    {
        var text = new StringBuilder();
        text.Append($"What if: {preview.Operation} stack '{preview.StackName}' in {preview.AccountId} {preview.Region}: ");
        if (!preview.HasChanges)
        {
            return text.Append("no changes.").ToString();
        }

        text.AppendLine($"{preview.Changes.Count} resource change(s)");
        int logicalWidth = Math.Max(17, preview.Changes.Max(c => c.LogicalResourceId.Length));
        int typeWidth = Math.Max(12, preview.Changes.Max(c => c.ResourceType.Length));
        text.AppendLine($"  {"Action",-8} {"LogicalResourceId".PadRight(logicalWidth)} {"ResourceType".PadRight(typeWidth)} Replacement");
        foreach (var change in preview.Changes)
        {
            text.AppendLine($"  {change.Action,-8} {change.LogicalResourceId.PadRight(logicalWidth)} {change.ResourceType.PadRight(typeWidth)} {change.Replacement ?? "-"}");
        }

        return text.ToString().TrimEnd();
    }

    private sealed class ChannelProgress : IProgress<StackProgress>
    {
        private readonly ChannelWriter<object> writer;

        public ChannelProgress(ChannelWriter<object> writer) => this.writer = writer;

        public void Report(StackProgress value) => writer.TryWrite(value);
    }

    private sealed class StackRecord
    {
        public StackRecord(string stackName, string[]? accountIds, string[]? regions)
        {
            StackName = stackName;
            AccountIds = accountIds;
            Regions = regions;
        }

        public string StackName { get; }
        public string[]? AccountIds { get; }
        public string[]? Regions { get; }
    }
}
