using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Core;
using CloudPatterns.PowerShell.Completion;

namespace CloudPatterns.PowerShell.Infrastructure;

/// <summary>
/// Base of cmdlets that run per account × region. Targets arrive as parameters or from the pipeline
/// (<c>Get-OrgAccount | ...</c>), run through the fan-out engine with -ThrottleLimit, and each result is written as
/// soon as its target produces it. A failing target is a non-terminating error; the others go on.
/// Not generic on purpose: PowerShell loads every cmdlet type (and so its base types) when it imports the module,
/// before the engine assemblies can be resolved, so cmdlet type signatures name none of the engine's types.
/// </summary>
public abstract class FanOutCmdlet : AwsCmdlet
{
    private readonly List<FanOutRequest> _requests = new();

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Id", "Account")]
    [ArgumentCompleter(typeof(AccountIdCompleter))]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.AccountId))]
    public string[]? AccountId { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(RegionCompleter))]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.Region))]
    public string[]? Region { get; set; }

    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = FanOutOptions.DefaultThrottleLimit;

    /// <summary>Stop after this many targets fail (the rest are not started, running ones are cancelled).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int FailureTolerance { get; set; }

    protected override string? ConnectionRegion => Region?.FirstOrDefault() ?? _requests.SelectMany(r => r.Regions ?? Array.Empty<string>()).FirstOrDefault();

    protected override void ProcessRecord()
    {
        _requests.Add(new FanOutRequest(AccountId, Region));
    }

    /// <summary>
    /// The queue to the pipeline thread while targets run: for work that must happen there (progress, a user's
    /// script block) besides the results and errors the base writes.
    /// </summary>
    protected PipelineQueue? Pipeline { get; private set; }

    /// <summary>What one target does; values it yields are written as they come.</summary>
    protected abstract IAsyncEnumerable<object> RunTargetAsync(AwsSession session, FanOutTarget target, CancellationToken cancellation);

    /// <summary>Writes what a target yielded, on the pipeline thread; cmdlets that stream progress items among their results override it.</summary>
    protected virtual void WriteTargetValue(object value) => WriteObject(value);

    /// <summary>Asks -WhatIf/-Confirm per target for cmdlets that change something; readers run every target.</summary>
    protected virtual bool ShouldRun(FanOutTarget target) => true;

    /// <summary>
    /// Read-only checks of every target before any is asked about or run; a <see cref="PreflightException"/> ends the
    /// command with nothing changed.
    /// </summary>
    protected virtual Task CheckTargetsAsync(AwsSession session, IReadOnlyList<FanOutTarget> targets, CancellationToken cancellation) => Task.CompletedTask;

    protected override void EndProcessing()
    {
        if (RegionCheck.Problems("Region", RequestedRegions) is { Count: > 0 } problems)
        {
            ThrowTerminating(new PreflightException(problems), "InvalidRegion", ErrorCategory.InvalidArgument, RequestedRegions);
        }
        RunAws(async (queue, cancellation) =>
        {
            Pipeline = queue;
            var session = await GetSessionAsync(queue, cancellation).ConfigureAwait(false);
            var targets = await ResolveTargetsAsync(session, cancellation).ConfigureAwait(false);
            await CheckTargetsAsync(session, targets, cancellation).ConfigureAwait(false);
            var approved = new List<FanOutTarget>();
            foreach (var target in targets)
            {
                // ShouldProcess must run on the pipeline thread: ask there and wait for the answer.
                var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                queue.Post(() => answer.SetResult(ShouldRun(target)));
                if (await answer.Task.ConfigureAwait(false))
                {
                    approved.Add(target);
                }
            }

            var options = new FanOutOptions { ThrottleLimit = ThrottleLimit, FailureTolerance = FailureTolerance > 0 ? FailureTolerance : null };
            int done = 0;
            var lastTarget = new HashSet<FanOutTarget>();
            await foreach (var item in FanOut.RunAsync(approved, (target, token) => RunTargetAsync(session, target, token), options, cancellation).ConfigureAwait(false))
            {
                if (item.Failure is { } failure)
                {
                    queue.Post(() => WriteTargetError(failure, item.Target));
                }
                else
                {
                    var value = item.Value!;
                    queue.Post(() => WriteTargetValue(value));
                }
                if (lastTarget.Add(item.Target))
                {
                    done++;
                    var percent = approved.Count == 0 ? 100 : done * 100 / approved.Count;
                    var current = item.Target;
                    queue.Post(() => WriteProgress(new ProgressRecord(1, MyInvocation.MyCommand.Name, $"{current.AccountId} {current.Region}") { PercentComplete = Math.Min(percent, 100) }));
                }
            }
            queue.Post(() => WriteProgress(new ProgressRecord(1, MyInvocation.MyCommand.Name, "Done") { RecordType = ProgressRecordType.Completed }));
        });
        base.EndProcessing();
    }

    /// <summary>
    /// The targets to run: the accounts and regions given (the caller's account and the session's region when none).
    /// Cmdlets whose targets come from elsewhere (a manifest) override it, and may use <see cref="RequestedAccountIds"/>
    /// and <see cref="RequestedRegions"/> as filters.
    /// </summary>
    protected virtual Task<IReadOnlyList<FanOutTarget>> ResolveTargetsAsync(AwsSession session, CancellationToken cancellation) =>
        Task.FromResult<IReadOnlyList<FanOutTarget>>(Distinct(_requests.SelectMany(request => session.CreateTargets(request.AccountIds ?? new[] { session.CallerAccountId }, request.Regions))).ToList());

    /// <summary>Every account id given (parameters and pipeline); null when none was.</summary>
    protected IReadOnlyCollection<string>? RequestedAccountIds => Union(_requests.Select(r => r.AccountIds));

    /// <summary>Every region given (parameters and pipeline); null when none was.</summary>
    protected IReadOnlyCollection<string>? RequestedRegions => Union(_requests.Select(r => r.Regions));

    private static IReadOnlyCollection<string>? Union(IEnumerable<string[]?> values)
    {
        var given = values.Where(v => v is not null).SelectMany(v => v!).ToList();
        return given.Count == 0 ? null : new HashSet<string>(given, StringComparer.Ordinal);
    }

    private static IEnumerable<FanOutTarget> Distinct(IEnumerable<FanOutTarget> targets)
    {
        var seen = new HashSet<(string, string)>();
        return targets.Where(t => seen.Add((t.AccountId, t.Region)));
    }

    private sealed class FanOutRequest
    {
        public FanOutRequest(string[]? accountIds, string[]? regions)
        {
            AccountIds = accountIds;
            Regions = regions;
        }

        public string[]? AccountIds { get; }
        public string[]? Regions { get; }
    }
}
