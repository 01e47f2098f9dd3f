using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Core;
using CloudPatterns.Core.DisasterRecovery;
using CloudPatterns.PowerShell.Completion;
using CloudPatterns.PowerShell.Infrastructure;

namespace CloudPatterns.PowerShell.Cmdlets;

/// <summary>
/// Invoke-DrValidation: restores the latest recovery point of each protected resource in a vault, checks it against
/// RTO/RPO targets (and the user's validator), deletes it again and stores the evidence, per account × region.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "DrValidation", SupportsShouldProcess = true)]
[OutputType(typeof(DrValidationResult))]
public sealed class InvokeDrValidationCommand : FanOutCmdlet, IDynamicParameters
{
    private readonly EvidenceWriterParameters _evidenceWriter = new();
    private readonly SemaphoreSlim _evidenceGate = new(1, 1);
    private readonly DrValidationTracker _tracker = new();
    private EvidenceStore? _evidence;
    private SemaphoreSlim? _restoreSlots;
    private ResumedRun? _resumed;
    private bool _runStarted;

    private DrConfiguration? _configuration;

    /// <summary>The vault account whose DR configuration (Get-DrConfiguration) fills every value not given.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(AccountIdCompleter))]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.AccountId))]
    public string? VaultAccountId { get; set; }

    [Parameter]
    [Alias("VaultName")]
    [ArgumentCompleter(typeof(VaultNameCompleter))]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.BackupVaultName))]
    public string? BackupVaultName { get; set; }

    [Parameter]
    public TimeSpan Window { get; set; } = TimeSpan.FromDays(7);

    [Parameter]
    public TimeSpan RtoTarget { get; set; } = AchievableRpo.DefaultTarget;

    [Parameter]
    public TimeSpan RpoTarget { get; set; } = AchievableRpo.DefaultTarget;

    [Parameter]
    [ValidateSet("RDS", "Aurora", "DynamoDB", "EBS", "S3", "EC2", "EFS")]
    public string[]? ResourceType { get; set; }

    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? ResourceArn { get; set; }

    [Parameter]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.IamRoleArn))]
    public string? IamRoleArn { get; set; }

    [Parameter]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    [Parameter]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(12);

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string MetricNamespace { get; set; } = "CloudPatterns/DisasterRecovery";

    [Parameter]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.SnsTopicArn))]
    public string? AlertTopicArn { get; set; }

    /// <summary>Restores at once in one account and region (each vault); -ThrottleLimit bounds them across all vaults.</summary>
    [Parameter]
    [ValidateRange(1, DrValidationOptions.MaxRestoresPerRegion)]
    public int RestoresPerRegion { get; set; } = DrValidationOptions.DefaultRestoresPerRegion;

    /// <summary>Continues an interrupted run: what it judged is skipped, what it had in flight is taken over.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ResumeRunId { get; set; }

    /// <summary>Run with the restored resource as $_ and first argument; fails the check by throwing or returning $false.</summary>
    [Parameter]
    public ScriptBlock? Validator { get; set; }

    protected override void ValidateInvocation()
    {
        if ((BackupVaultName is null || _evidenceWriter.EvidenceBucket is null) && VaultAccountId is null)
        {
            ThrowInvalidInvocation("Give -VaultAccountId (the DR configuration Set-CrossAccountBackup recorded there fills the rest), or both -BackupVaultName and -EvidenceBucket.", null);
        }

        var durations = new DrValidationOptions { RtoTarget = RtoTarget, RpoTarget = RpoTarget, Window = Window, PollInterval = PollInterval, Timeout = Timeout };
        if (DrPreflight.ValidationInputProblems(durations, _evidenceWriter.EvidenceBucket, _evidenceWriter.EvidenceRegion, RequestedRegions, ResumeRunId) is { Count: > 0 } problems)
        {
            ThrowTerminating(new PreflightException(problems), ErrorReason.InvalidDrValidationInput, ErrorCategory.InvalidArgument, BackupVaultName);
        }
    }

    private protected override ErrorReason PreflightReason => ErrorReason.InvalidDrValidationInput;

    /// <summary>The steps, once AWS confirmed (read-only) that the regions, the vault and the evidence bucket are usable.</summary>
    protected override async Task<IReadOnlyList<PlannedStep>> PlanAsync(AwsSession session, CancellationToken cancellation)
    {
        var steps = await base.PlanAsync(session, cancellation).ConfigureAwait(false);
        var targets = steps.Select(step => step.Target).Distinct().ToList();
        if (await DrPreflight.ValidationAwsProblemsAsync(session, targets, VaultName, _evidenceWriter.EvidenceAccountId ?? _configuration?.EvidenceAccountId, _evidenceWriter.EvidenceRegion ?? _configuration?.EvidenceRegion, Bucket, cancellation).ConfigureAwait(false) is { Count: > 0 } problems)
        {
            throw new PreflightException(problems);
        }

        if (ResumeRunId is not null)
        {
            (_resumed, IReadOnlyList<string> resumeProblems) = await ResumedRun.LoadAsync(await GetEvidenceStoreAsync(session, cancellation).ConfigureAwait(false), VaultName, cancellation).ConfigureAwait(false);
            if (resumeProblems.Count > 0)
            {
                throw new PreflightException(resumeProblems);
            }
        }

        return steps;
    }

    /// <summary>
    /// With -VaultAccountId the recorded configuration fills the vault, the evidence bucket and where it lives, and the
    /// targets: the vault account in the DR region, where the copies are restored from.
    /// </summary>
    protected override async Task<IReadOnlyList<FanOutTarget>> ResolveTargetsAsync(AwsSession session, CancellationToken cancellation)
    {
        if (VaultAccountId is null)
        {
            return await base.ResolveTargetsAsync(session, cancellation).ConfigureAwait(false);
        }

        var configuration = await DrConfiguration.RequireAsync(session, VaultAccountId, _evidenceWriter.EvidenceRegion ?? session.Region, cancellation).ConfigureAwait(false);
        _configuration = configuration;
        return RequestedAccountIds is null && RequestedRegions is null
            ? session.CreateTargets(new[] { configuration.VaultAccountId }, new[] { configuration.DrRegion })
            : session.CreateTargets(RequestedAccountIds ?? new[] { configuration.VaultAccountId }, RequestedRegions ?? new[] { configuration.DrRegion });
    }

    private string VaultName => BackupVaultName ?? _configuration?.VaultName ?? DrConfiguration.DefaultVaultName;

    private string Bucket => _evidenceWriter.Bucket(_configuration);

    public object GetDynamicParameters() => _evidenceWriter;

    protected override IEnumerable<PlannedStep> StepsFor(FanOutTarget target) => new[]
    {
        PlannedStep.Change(target, $"vault {VaultName} in {target.AccountId} {target.Region}",
            $"Restore the latest recovery point of each protected resource, validate it, delete it, and write evidence to s3://{Bucket}"),
    };

    protected override async IAsyncEnumerable<object> RunTargetAsync(AwsSession session, FanOutTarget target, IReadOnlyList<PlannedStep> steps, [EnumeratorCancellation] CancellationToken cancellation)
    {
        EvidenceStore evidence = await StartRunAsync(session, cancellation).ConfigureAwait(false);
        var patterns = ResourceArn?.Select(p => new WildcardPattern(p, WildcardOptions.IgnoreCase)).ToArray();
        var options = new DrValidationOptions
        {
            BackupVaultName = VaultName,
            Window = Window,
            ResourceTypes = ResourceType,
            ResourceFilter = patterns is null ? null : arn => patterns.Any(p => p.IsMatch(arn)),
            RtoTarget = RtoTarget,
            RpoTarget = RpoTarget,
            IamRoleArn = IamRoleArn,
            PollInterval = PollInterval,
            Timeout = Timeout,
            MetricNamespace = MetricNamespace,
            AlertTopicArn = AlertTopicArn,
            Validator = Validator is null ? null : RunValidatorAsync,
            Tracker = _tracker,
            Resumed = _resumed,
            RestoresPerRegion = RestoresPerRegion,
            RestoreSlots = LazyInitializer.EnsureInitialized(ref _restoreSlots, () => new SemaphoreSlim(ThrottleLimit, ThrottleLimit)),
            Warn = Queue.Warning,
            ToolVersion = MyInvocation.MyCommand.Module?.Version?.ToString() ?? typeof(InvokeDrValidationCommand).Assembly.GetName().Version.ToString(),
        };
        var queue = Queue;
        await foreach (DrValidationResult result in DrValidation.RunAsync(session, target, evidence, options, WhatIfText.DrValidationProgress(queue), cancellation).ConfigureAwait(false))
        {
            foreach (string warning in result.Warnings)
            {
                queue.Warning(warning);
            }

            yield return result;
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
            // A stop ends the waiting for results; the restores it interrupted are still being removed and recorded.
            _tracker.WhenAllEndedAsync().Wait(DrValidation.CleanupBudget + DrValidation.CleanupBudget);
            _evidence?.Dispose();
            _evidenceGate.Dispose();
            if (_tracker.AbortedError() is { } aborted)
            {
                ThrowTerminating(aborted, ErrorReason.DrValidationAborted, ErrorCategory.OperationStopped, BackupVaultName);
            }
        }
    }

    /// <summary>One evidence store (one run id, one chain) for every target of this invocation.</summary>
    private async Task<EvidenceStore> GetEvidenceStoreAsync(AwsSession session, CancellationToken cancellation)
    {
        await _evidenceGate.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            if (_evidence is null)
            {
                _evidence = await _evidenceWriter.OpenAsync(session, _configuration, ResumeRunId, cancellation).ConfigureAwait(false);
            }

            return _evidence;
        }
        finally
        {
            _evidenceGate.Release();
        }
    }

    /// <summary>Once per invocation, before its first restore: the run's state in the evidence bucket, and its id told.</summary>
    private async Task<EvidenceStore> StartRunAsync(AwsSession session, CancellationToken cancellation)
    {
        EvidenceStore evidence = await GetEvidenceStoreAsync(session, cancellation).ConfigureAwait(false);
        await _evidenceGate.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            if (!_runStarted)
            {
                DrRunState state = _resumed?.State ?? DrRunState.First(evidence.RunId, VaultName);
                await state.WriteAsync(evidence, cancellation).ConfigureAwait(false);
                Queue.Information(_resumed is null
                    ? $"DR validation run {evidence.RunId}: if it is interrupted, continue it with -ResumeRunId {evidence.RunId}."
                    : $"Resuming DR validation run {evidence.RunId} (attempt {state.Attempt}): {_resumed.Judged} validation(s) already judged are skipped.");
                _runStarted = true;
            }

            return evidence;
        }
        finally
        {
            _evidenceGate.Release();
        }
    }

    /// <summary>Runs -Validator on the pipeline thread (script blocks belong to its runspace) and waits for its verdict.</summary>
    private async Task<EvidenceCheck> RunValidatorAsync(RestoredResource resource, CancellationToken cancellation)
    {
        var verdict = new TaskCompletionSource<EvidenceCheck>(TaskCreationOptions.RunContinuationsAsynchronously);
        using (cancellation.Register(() => verdict.TrySetCanceled()))
        {
            Queue.Post(() =>
            {
                try
                {
                    var output = Validator!.InvokeWithContext(null, new List<PSVariable> { new("_", resource) }, resource);
                    bool refused = output.Any(item => item?.BaseObject is false);
                    string said = string.Join("; ", output.Where(item => item is not null && item.BaseObject is not bool).Select(item => item.ToString()));
                    verdict.TrySetResult(new EvidenceCheck
                    {
                        Name = DrValidation.UserValidator,
                        Outcome = refused ? CheckOutcome.Failed : CheckOutcome.Passed,
                        Detail = said.Length > 0 ? said : refused ? "The validator returned $false." : "The validator passed.",
                    });
                }
                catch (RuntimeException error)
                {
                    verdict.TrySetResult(new EvidenceCheck { Name = DrValidation.UserValidator, Outcome = CheckOutcome.Failed, Detail = $"The validator failed: {error.Message}" });
                }
            });
            return await verdict.Task.ConfigureAwait(false);
        }
    }
}
