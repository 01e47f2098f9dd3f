using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Core;
using CloudPatterns.Core.DisasterRecovery;
using CloudPatterns.Core.DisasterRecovery.Failover;
using CloudPatterns.Core.Stacks;
using CloudPatterns.PowerShell.Completion;
using CloudPatterns.PowerShell.Infrastructure;

namespace CloudPatterns.PowerShell.Cmdlets;

/// <summary>
/// Invoke-DrFailover: fails an application over to the pilot light in the DR account and region (restore, scale,
/// wait for health, then move traffic), drills the same into an isolated copy (-Drill), or fails back (-Failback).
/// Returns the timeline with the achieved RTO and RPO (docs/dr-failover.md).
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "DrFailover", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(DrFailoverTimeline))]
public sealed class InvokeDrFailoverCommand : FanOutCmdlet, IDynamicParameters
{
    private readonly EvidenceWriterParameters _evidence = new();
    private readonly Dictionary<DrFailoverPlan, EvidenceStore?> _plans = new();
    private readonly List<Task> _running = new();
    private DrConfiguration? _configuration;

    /// <summary>The application's stack in production (Get-PatternStack's StackName).</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(StackNameCompleter))]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.StackName))]
    public string? StackName { get; set; }

    /// <summary>Selects the application's stacks by their tags (every key and value must match).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public Hashtable? Tag { get; set; }

    [Parameter]
    public SwitchParameter Drill { get; set; }

    [Parameter]
    public SwitchParameter Failback { get; set; }

    /// <summary>The vault account whose DR configuration (Get-DrConfiguration) names the DR account, region and evidence bucket.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(AccountIdCompleter))]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.AccountId))]
    public string? VaultAccountId { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(AccountIdCompleter))]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.AccountId))]
    public string? DrAccountId { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(RegionCompleter))]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.Region))]
    public string? DrRegion { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(VaultNameCompleter))]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.BackupVaultName))]
    public string BackupVaultName { get; set; } = CrossAccountBackupSetup.PilotLightVaultName;

    [Parameter]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.StackName))]
    public string PilotLightStackName { get; set; } = CrossAccountBackupSetup.PilotLightStack;

    /// <summary>The hosted zone of the application's failover records; without it the DR endpoint is returned, not switched to.</summary>
    [Parameter]
    [ValidatePattern("^(/hostedzone/)?Z[A-Z0-9]{1,32}$")]
    public string? HostedZoneId { get; set; }

    [Parameter]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.AccountId))]
    public string? HostedZoneAccountId { get; set; }

    [Parameter]
    [ValidatePattern("^[A-Za-z0-9*]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\\.?$")]
    public string? RecordName { get; set; }

    /// <summary>Instances per tier instead of production's.</summary>
    [Parameter]
    [ValidateRange(1, 20)]
    public int? DesiredCapacity { get; set; }

    [Parameter]
    [ValidatePositiveDuration]
    public TimeSpan RtoTarget { get; set; } = AchievableRpo.DefaultTarget;

    [Parameter]
    [ValidatePositiveDuration]
    public TimeSpan RpoTarget { get; set; } = AchievableRpo.DefaultTarget;

    [Parameter]
    [ValidatePositiveDuration]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the DR side may take to become healthy before the run gives up, traffic unmoved.</summary>
    [Parameter]
    [ValidatePositiveDuration]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(2);

    [Parameter]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.IamRoleArn))]
    public string? IamRoleArn { get; set; }

    protected override string? PipelineItem => StackName;

    public object GetDynamicParameters() => _evidence;

    private DrFailoverMode Mode => Drill ? DrFailoverMode.Drill : Failback ? DrFailoverMode.Failback : DrFailoverMode.Failover;

    protected override void ValidateInvocation()
    {
        var problems = new List<string>();
        if (Drill && Failback)
        {
            problems.Add("-Drill and -Failback exclude each other: a drill never moves traffic, a failback moves it back.");
        }

        if (StackName is null && Tag is null)
        {
            problems.Add("Name the application: -StackName (or Get-PatternStack | Invoke-DrFailover), or -Tag with the tags of its stacks.");
        }

        if ((HostedZoneId is null) != (RecordName is null))
        {
            problems.Add("-HostedZoneId and -RecordName go together: the zone and the name of the application's failover records.");
        }

        if (VaultAccountId is null && (DrAccountId is null || DrRegion is null))
        {
            problems.Add("Give -VaultAccountId (the DR configuration there names the DR account and region), or -DrAccountId and -DrRegion.");
        }

        if (Drill && VaultAccountId is null && _evidence.EvidenceBucket is null)
        {
            problems.Add("A drill writes evidence: give -VaultAccountId (its DR configuration names the evidence bucket) or -EvidenceBucket.");
        }

        if (_evidence.EvidenceBucket is not null && AwsIdentifiers.BucketNameProblem("EvidenceBucket", _evidence.EvidenceBucket) is { } bucket)
        {
            problems.Add(bucket);
        }

        if (problems.Count > 0)
        {
            ThrowTerminating(new PreflightException(problems), ErrorReason.InvalidDrFailoverInput, ErrorCategory.InvalidArgument, StackName);
        }
    }

    private protected override ErrorReason PreflightReason => ErrorReason.InvalidDrFailoverInput;

    /// <summary>Every step of every plan (one plan per production account and region), read before anything changes.</summary>
    protected override async Task<IReadOnlyList<PlannedStep>> PlanAsync(AwsSession session, CancellationToken cancellation)
    {
        if (VaultAccountId is not null)
        {
            _configuration = await DrConfiguration.RequireAsync(session, VaultAccountId, _evidence.EvidenceRegion ?? session.Region, cancellation).ConfigureAwait(false);
        }

        var steps = new List<PlannedStep>();
        foreach (FanOutTarget target in await ResolveTargetsAsync(session, cancellation).ConfigureAwait(false))
        {
            var stacks = ItemsFor(target).ToList();
            if (Tag is not null)
            {
                await foreach (PatternStack stack in PatternStackQuery.RunAsync(session, target, includeUnmanaged: true, cancellation).ConfigureAwait(false))
                {
                    if (Tag.Cast<DictionaryEntry>().All(tag => stack.Tags.TryGetValue(tag.Key.ToString()!, out var value) && value == tag.Value?.ToString()))
                    {
                        stacks.Add(stack.StackName);
                    }
                }
            }

            if (stacks.Count == 0)
            {
                throw new PreflightException(new[] { $"No stack in {target.AccountId} {target.Region} carries the tags {string.Join(", ", Tag!.Cast<DictionaryEntry>().Select(t => $"{t.Key}={t.Value}"))}." });
            }

            EvidenceStore? evidence = Drill ? await EvidenceStoreAsync(session, cancellation).ConfigureAwait(false) : null;
            DrFailoverPlan plan = await DrFailoverPlan.CreateAsync(session, Request(target, stacks.Distinct(StringComparer.Ordinal).ToList()), evidence?.RunId ?? DrFailoverPlan.NewRunId(), cancellation).ConfigureAwait(false);
            _plans[plan] = evidence;
            foreach (string warning in plan.Warnings)
            {
                Queue.Warning(warning);
            }

            steps.AddRange(plan.Steps.Select(step => PlannedStep.Change(target, $"{step.Target} in {step.AccountId} {step.Region}", $"{Mode} {step.Name}: {step.Action}", plan)));
        }

        return steps;
    }

    protected override async IAsyncEnumerable<object> RunTargetAsync(AwsSession session, FanOutTarget target, IReadOnlyList<PlannedStep> steps, [EnumeratorCancellation] CancellationToken cancellation)
    {
        foreach (var approved in steps.GroupBy(step => (DrFailoverPlan)step.Item!))
        {
            DrFailoverPlan plan = approved.Key;
            if (approved.Count() != plan.Steps.Count)
            {
                Queue.Warning($"Not every step of the {Mode.ToString().ToLowerInvariant()} of {string.Join(", ", plan.Request.StackNames)} was confirmed: nothing was done.");
                continue;
            }

            var progress = Queue.ProgressOf<string>((queue, activity) => queue.Progress($"DR {Mode.ToString().ToLowerInvariant()} of {string.Join(", ", plan.Request.StackNames)}", activity));
            Task<DrFailoverTimeline> run = DrFailover.RunAsync(session, plan, _plans[plan], progress, cancellation);
            lock (_running)
            {
                _running.Add(run);
            }

            DrFailoverTimeline timeline = await run.ConfigureAwait(false);
            foreach (string warning in timeline.Warnings)
            {
                Queue.Warning(warning);
            }

            yield return timeline;
            if (timeline.Status == CheckOutcome.Failed)
            {
                throw new DrFailoverException($"The {Mode.ToString().ToLowerInvariant()} of {string.Join(", ", plan.Request.StackNames)} failed: {string.Join(" ", timeline.Steps.Where(s => s.Outcome == CheckOutcome.Failed).Select(s => $"{s.Name}: {s.Detail}"))}");
            }
        }
    }

    protected override void EndProcessing()
    {
        try
        {
            base.EndProcessing();
        }
        finally
        {
            // A stop ends the waiting for results; a drill it interrupted is still tearing its copy down and recording.
            Task[] running;
            lock (_running)
            {
                running = _running.ToArray();
            }

            Task.WhenAll(running).ContinueWith(_ => { }, TaskScheduler.Default).Wait(DrFailover.CleanupBudget);
            foreach (EvidenceStore? evidence in _plans.Values)
            {
                evidence?.Dispose();
            }
        }
    }

    private DrFailoverRequest Request(FanOutTarget target, IReadOnlyList<string> stacks) => new()
    {
        Mode = Mode,
        SourceAccountId = target.AccountId,
        SourceRegion = target.Region,
        StackNames = stacks,
        DrAccountId = DrAccountId ?? _configuration?.DrAccountId ?? throw new PreflightException(new[] { $"The DR configuration in {VaultAccountId} names no DR account: give -DrAccountId." }),
        DrRegion = DrRegion ?? _configuration!.DrRegion,
        BackupVaultName = BackupVaultName,
        PilotLightStackName = PilotLightStackName,
        HostedZoneId = HostedZoneId,
        HostedZoneAccountId = HostedZoneAccountId,
        RecordName = RecordName,
        DesiredCapacity = DesiredCapacity,
        RtoTarget = RtoTarget,
        RpoTarget = RpoTarget,
        PollInterval = PollInterval,
        Timeout = Timeout,
        IamRoleArn = IamRoleArn,
        ToolVersion = MyInvocation.MyCommand.Module?.Version?.ToString() ?? typeof(InvokeDrFailoverCommand).Assembly.GetName().Version.ToString(),
    };

    private Task<EvidenceStore> EvidenceStoreAsync(AwsSession session, CancellationToken cancellation) => _evidence.OpenAsync(session, _configuration, null, cancellation);
}
