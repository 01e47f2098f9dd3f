using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Core.Deployment;
using CloudPatterns.Core.DisasterRecovery;
using CloudPatterns.PowerShell.Completion;
using CloudPatterns.PowerShell.Infrastructure;

namespace CloudPatterns.PowerShell.Cmdlets;

/// <summary>
/// Set-CrossAccountBackup: the DR pattern's "after" architecture for the workload accounts on the pipeline — the org's
/// cross-account opt-in, central vaults in both regions, the evidence bucket, a backup plan per workload account and
/// optionally the pilot-light DR account, deployed as stacks. One result per account and region.
/// </summary>
[Cmdlet(VerbsCommon.Set, "CrossAccountBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(CrossAccountBackupResult))]
public sealed class SetCrossAccountBackupCommand : AwsCmdlet
{
    private readonly List<string> _accountIds = new();
    private readonly List<string> _regions = new();

    /// <summary>The workload accounts to back up (Get-OrgAccount's AccountId binds from the pipeline).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Id", "Account")]
    [ArgumentCompleter(typeof(AccountIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? AccountId { get; set; }

    [Parameter(Mandatory = true)]
    [ArgumentCompleter(typeof(AccountIdCompleter))]
    public string VaultAccountId { get; set; } = "";

    /// <summary>OUs whose accounts (now and later) get the member plan through a stack set with auto-deployment.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? OrganizationalUnitId { get; set; }

    /// <summary>Direct (a stack per account) or StackSet; without it the setup chooses and says which in DeploymentMode.</summary>
    /// <remarks>A string, not the Core enum: parameter types must load with the module, before the isolated dependencies.</remarks>
    [Parameter]
    [ValidateSet("Direct", "StackSet", "BackupPolicy")]
    public string? DeploymentMode { get; set; }

    /// <summary>The primary region (-PrimaryRegion); named Region, like every AWS cmdlet's, so that it binds from the pipeline.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PrimaryRegion")]
    [ArgumentCompleter(typeof(RegionCompleter))]
    public string Region { get; set; } = "";

    [Parameter(Mandatory = true)]
    [ArgumentCompleter(typeof(RegionCompleter))]
    public string DrRegion { get; set; } = "";

    [Parameter]
    public string ResourceTag { get; set; } = "backup=daily";

    /// <summary>Hourly, Daily (05:00 UTC) or an AWS cron expression.</summary>
    [Parameter]
    public string Schedule { get; set; } = "Daily";

    /// <summary>Continuous backup (point-in-time restore) for RDS, Aurora and S3.</summary>
    [Parameter]
    public SwitchParameter ContinuousBackup { get; set; }

    [Parameter]
    public int RetentionDays { get; set; } = 35;

    [Parameter]
    public string VaultName { get; set; } = "central";

    [Parameter]
    public string MemberVaultName { get; set; } = "workload";

    [Parameter]
    public string? EvidenceBucketName { get; set; }

    [Parameter]
    public string? EvidenceWriterRoleName { get; set; }

    /// <summary>The CloudFormation service role (a role name in each account that gets a stack) the DR stacks' resources are created as.</summary>
    [Parameter]
    public string? ServiceRoleName { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(AccountIdCompleter))]
    public string? DrAccountId { get; set; }

    /// <summary>Leaves the DR-Orchestrator out (it is deployed with -DrAccountId otherwise).</summary>
    [Parameter]
    public SwitchParameter NoOrchestrator { get; set; }

    /// <summary>The DR-Orchestrator's RTO target (whole minutes); the architecture's one hour by default.</summary>
    [Parameter]
    public TimeSpan RtoTarget { get; set; } = AchievableRpo.DefaultTarget;

    /// <summary>The DR-Orchestrator's RPO target (whole hours); one hour by default.</summary>
    [Parameter]
    public TimeSpan RpoTarget { get; set; } = AchievableRpo.DefaultTarget;

    /// <summary>The span (whole days, 1 to 365) within which the DR-Orchestrator validates every protected resource; 7 days by default.</summary>
    [Parameter]
    public TimeSpan CoverageWindow { get; set; } = Core.DisasterRecovery.Orchestration.OrchestratorSettings.DefaultCoverageWindow;

    /// <summary>Locks the central vaults in compliance mode: permanent after -VaultLockChangeableForDays.</summary>
    [Parameter]
    public SwitchParameter VaultLock { get; set; }

    [Parameter]
    public int VaultLockMinRetentionDays { get; set; } = 7;

    [Parameter]
    public int VaultLockMaxRetentionDays { get; set; } = CrossAccountBackupSettings.MaxRetentionDays;

    [Parameter]
    public int VaultLockChangeableForDays { get; set; } = CrossAccountBackupSettings.MinChangeableForDays;

    /// <summary>Applies -VaultLock without the extra question (-WhatIf still only shows).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = FanOutOptions.DefaultThrottleLimit;

    protected override string? ConnectionRegion => Region;

    protected override void ProcessRecord()
    {
        if (AccountId is not null)
        {
            _accountIds.AddRange(AccountId);
        }

        _regions.Add(Region);
    }

    private protected override ErrorReason PreflightReason => ErrorReason.InvalidCrossAccountBackupSettings;

    protected override void EndProcessing()
    {
        var settings = Settings();
        var problems = settings.Problems();
        if (problems.Count > 0)
        {
            ThrowTerminating(new InvalidCrossAccountBackupSettingsException(problems), ErrorReason.InvalidCrossAccountBackupSettings, ErrorCategory.InvalidArgument, settings);
        }

        if (settings.RpoTargetWarning() is { } warning)
        {
            WriteWarning(warning);
        }

        CrossAccountBackupSetup? setup = null;
        RunPlan(
            async (session, cancellation) =>
            {
                setup = new CrossAccountBackupSetup(session, settings);
                var steps = await setup.PlanAsync(cancellation).ConfigureAwait(false);
                Queue.Information($"Member backup plan deployment: {setup.DeploymentMode} ({setup.DeploymentModeReason}).", "PSHOST");
                return steps.Select(step => Plan(session, step)).ToList();
            },
            (session, target, steps, cancellation) => ApplyAsync(setup!, steps, cancellation),
            ThrottleLimit,
            failureTolerance: 0);
        base.EndProcessing();
    }

    protected override void WriteResult(object value)
    {
        if (value is CrossAccountBackupResult result && _previewing)
        {
            WritePreview(result);
        }
        else
        {
            base.WriteResult(value);
        }
    }

    private bool _previewing;

    private async IAsyncEnumerable<object> ApplyAsync(CrossAccountBackupSetup setup, IReadOnlyList<PlannedStep> steps, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellation)
    {
        // -WhatIf previews every step, so a target's steps are all previews or none.
        bool preview = steps.Any(step => step.Preview);
        _previewing |= preview;
        yield return await setup.ApplyAsync(steps.Select(step => (DrSetupStep)step.Item!).ToList(), preview, WhatIfText.StackProgress(Queue), cancellation).ConfigureAwait(false);
    }

    private CrossAccountBackupSettings Settings()
    {
        var settings = new CrossAccountBackupSettings
        {
            VaultAccountId = VaultAccountId,
            DrRegion = DrRegion,
            ResourceTag = ResourceTag,
            Schedule = Schedule,
            ContinuousBackup = ContinuousBackup,
            RetentionDays = RetentionDays,
            VaultName = VaultName,
            MemberVaultName = MemberVaultName,
            EvidenceBucketName = EvidenceBucketName ?? string.Empty,
            EvidenceWriterRoleName = EvidenceWriterRoleName ?? string.Empty,
            ServiceRoleName = ServiceRoleName,
            DrAccountId = DrAccountId,
            DeployOrchestrator = !NoOrchestrator,
            RtoTarget = RtoTarget,
            RpoTarget = RpoTarget,
            CoverageWindow = CoverageWindow,
            OrchestratorPackagePath = System.IO.Path.Combine(MyInvocation.MyCommand.Module?.ModuleBase ?? string.Empty, "lambda", "CloudPatterns.Lambda.zip"),
            VaultLock = VaultLock,
            VaultLockMinRetentionDays = VaultLockMinRetentionDays,
            VaultLockMaxRetentionDays = VaultLockMaxRetentionDays,
            VaultLockChangeableForDays = VaultLockChangeableForDays,
            DeploymentMode = DeploymentMode is null ? null : (BackupDeploymentMode)Enum.Parse(typeof(BackupDeploymentMode), DeploymentMode),
        };
        foreach (var unit in OrganizationalUnitId ?? Array.Empty<string>())
        {
            settings.OrganizationalUnitIds.Add(unit);
        }

        foreach (var accountId in _accountIds)
        {
            settings.AccountIds.Add(accountId);
        }

        // An empty pipeline runs no ProcessRecord: the -Region given on the command line still counts.
        foreach (var region in (_regions.Count == 0 && !string.IsNullOrEmpty(Region) ? new List<string> { Region! } : _regions).Distinct(StringComparer.Ordinal))
        {
            settings.PrimaryRegions.Add(region);
        }

        return settings;
    }

    /// <summary>
    /// One setup step to confirm; -WhatIf previews every step. A compliance-mode Vault Lock cannot be undone once its
    /// grace period ends, so besides -Confirm it asks again, saying when that is, unless -Force.
    /// </summary>
    private PlannedStep Plan(AwsSession session, DrSetupStep step)
    {
        var target = new FanOutTarget(step.AccountId, step.Region, session.RoleArnFor(step.AccountId));
        if (step.FailedCreateReason is { } reason)
        {
            // ROLLBACK_COMPLETE: CloudFormation can only delete the stack; say why it failed, then ask before replacing it.
            Queue.Warning($"{step.Target} failed to create and is ROLLBACK_COMPLETE: {reason}");
            var stuck = PlannedStep.Change(target, step.Target, step.Action, step).Previewable();
            if (Force)
            {
                step.AllowReplacingFailedCreate();
            }
            stuck.Confirm = () =>
            {
                if (Force || ShouldContinue($"Stack {step.StackName} in {step.AccountId} {step.Region} failed to create ({reason}). Delete it and create it again?", "Replace a stack whose creation failed"))
                {
                    step.AllowReplacingFailedCreate();
                }
                // Declined, the step still runs and says why the stack cannot be updated.
                return true;
            };
            return stuck;
        }

        if (step.VaultLockChangeableForDays is not { } days)
        {
            return PlannedStep.Change(target, step.Target, step.Action, step).Previewable();
        }

        var permanent = DateTimeOffset.UtcNow.AddDays(days);
        var lockText = $"a compliance-mode Vault Lock (retention {VaultLockMinRetentionDays} to {VaultLockMaxRetentionDays} days) that becomes permanent {days} days after it is applied, on {permanent:yyyy-MM-dd HH:mm} UTC; "
            + "after that nobody, not even the account's root user or AWS, can remove the lock or shorten retention, and the vault cannot be deleted while it holds recovery points";
        var locked = PlannedStep.Change(target, $"{step.Target} with {lockText}.", step.Action, step).Previewable();
        locked.Caption = "Irreversible: compliance-mode Vault Lock";
        locked.Warning = $"Deploy {step.Target} with {lockText}?";
        locked.Confirm = () => Force || ShouldContinue($"Lock vault {VaultName} in {step.AccountId} {step.Region}: it becomes permanent on {permanent:yyyy-MM-dd HH:mm} UTC ({days} days after it is applied). Continue?", locked.Caption);
        return locked;
    }

    private void WritePreview(CrossAccountBackupResult result)
    {
        foreach (var step in result.Steps)
        {
            var message = step.Preview is { } change
                ? WhatIfText.Describe(change)
                : $"What if: {step.Component} in {result.AccountId} {result.Region}: {step.Detail}.";
            WriteInformation(new HostInformationMessage { Message = message }, new[] { "PSHOST", "WhatIf" });
        }
    }
}
