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
/// (<c>Get-OrgAccount | ...</c>), each record optionally with an item of its own (a stack name); the steps are
/// planned per target (<see cref="StepsFor"/>), confirmed, and run through <see cref="AwsCmdlet.RunPlan"/>.
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
    [Alias("PrimaryRegion")]
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

    /// <summary>What this pipeline record asks for besides its targets (e.g. its stack name); null when nothing.</summary>
    protected virtual string? PipelineItem => null;

    protected override void ProcessRecord() => _requests.Add(new FanOutRequest(AccountId, Region, PipelineItem));

    /// <summary>Checks the invocation before any AWS call: a problem is one terminating error (<see cref="AwsCmdlet.ThrowInvalidInvocation"/>).</summary>
    protected virtual void ValidateInvocation()
    {
    }

    protected override void EndProcessing()
    {
        ValidateInvocation();
        if (RegionCheck.Problems("Region", RequestedRegions) is { Count: > 0 } problems)
        {
            ThrowTerminating(new PreflightException(problems), ErrorReason.InvalidRegion, ErrorCategory.InvalidArgument, RequestedRegions);
        }
        RunPlan(PlanAsync, (session, target, steps, cancellation) => RunTargetAsync(session, target, steps, cancellation), ThrottleLimit, FailureTolerance);
        base.EndProcessing();
    }

    /// <summary>The steps of this invocation: <see cref="StepsFor"/> each target.</summary>
    protected virtual async Task<IReadOnlyList<PlannedStep>> PlanAsync(AwsSession session, CancellationToken cancellation) =>
        (await ResolveTargetsAsync(session, cancellation).ConfigureAwait(false)).SelectMany(StepsFor).ToList();

    /// <summary>The steps in one target; readers run one step without asking, changing cmdlets name what they change.</summary>
    protected virtual IEnumerable<PlannedStep> StepsFor(FanOutTarget target) => new[] { PlannedStep.Read(target) };

    /// <summary>What one target does with its approved steps; values it yields are written as they come.</summary>
    protected abstract IAsyncEnumerable<object> RunTargetAsync(AwsSession session, FanOutTarget target, IReadOnlyList<PlannedStep> steps, CancellationToken cancellation);

    /// <summary>
    /// The targets to run: the accounts and regions given (the caller's account and the session's region when none).
    /// Cmdlets whose targets come from elsewhere (a manifest) override it, and may use <see cref="RequestedAccountIds"/>
    /// and <see cref="RequestedRegions"/> as filters.
    /// </summary>
    protected virtual Task<IReadOnlyList<FanOutTarget>> ResolveTargetsAsync(AwsSession session, CancellationToken cancellation) =>
        Task.FromResult<IReadOnlyList<FanOutTarget>>(Distinct(_requests.SelectMany(request => session.CreateTargets(request.AccountIds ?? new[] { session.CallerAccountId }, request.Regions))).ToList());

    /// <summary>The items (<see cref="PipelineItem"/>) of the pipeline records that asked for <paramref name="target"/>, in order.</summary>
    protected IReadOnlyList<string> ItemsFor(FanOutTarget target) => _requests
        .Where(r => r.Item is not null
            && (r.AccountIds is null ? target.AccountId == CallerAccountId : r.AccountIds.Contains(target.AccountId))
            && (r.Regions is not { Length: > 0 } ? target.Region == SessionRegion : r.Regions.Contains(target.Region)))
        .Select(r => r.Item!)
        .Distinct(StringComparer.Ordinal)
        .ToList();

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
        public FanOutRequest(string[]? accountIds, string[]? regions, string? item)
        {
            AccountIds = accountIds;
            Regions = regions;
            Item = item;
        }

        public string[]? AccountIds { get; }
        public string[]? Regions { get; }
        public string? Item { get; }
    }
}
