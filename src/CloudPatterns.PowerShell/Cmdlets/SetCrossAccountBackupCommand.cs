using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Core;
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

    [Parameter]
    public string Schedule { get; set; } = "cron(0 5 ? * * *)";

    [Parameter]
    public int RetentionDays { get; set; } = 35;

    [Parameter]
    public string VaultName { get; set; } = "central";

    [Parameter]
    public string MemberVaultName { get; set; } = "workload";

    [Parameter]
    public string? EvidenceBucketName { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(AccountIdCompleter))]
    public string? DrAccountId { get; set; }

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

    protected override void EndProcessing()
    {
        var settings = Settings();
        var problems = settings.Problems();
        if (problems.Count > 0)
        {
            ThrowTerminating(new InvalidCrossAccountBackupSettingsException(problems), "InvalidCrossAccountBackupSettings", ErrorCategory.InvalidArgument, settings);
        }

        bool preview = WhatIfRequested;
        try
        {
            RunSetup(settings, preview);
        }
        catch (PreflightException refused)
        {
            ThrowTerminating(refused, "InvalidCrossAccountBackupSettings", ErrorCategory.InvalidArgument, settings);
        }
        base.EndProcessing();
    }

    private void RunSetup(CrossAccountBackupSettings settings, bool preview)
    {
        RunAws(async (queue, cancellation) =>
        {
            var session = await GetSessionAsync(queue, cancellation).ConfigureAwait(false);
            var setup = new CrossAccountBackupSetup(session, settings);
            var approved = new List<DrSetupStep>();
            foreach (var step in await setup.PlanAsync(cancellation).ConfigureAwait(false))
            {
                // ShouldProcess must run on the pipeline thread: ask there and wait for the answer.
                var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                queue.Post(() => answer.SetResult(Approve(step, preview)));
                if (await answer.Task.ConfigureAwait(false))
                {
                    approved.Add(step);
                }
            }

            var groups = approved.GroupBy(step => (step.AccountId, step.Region)).ToDictionary(group => group.Key, group => (IReadOnlyList<DrSetupStep>)group.ToList());
            var targets = groups.Keys.Select(key => new FanOutTarget(key.AccountId, key.Region, session.RoleArnFor(key.AccountId)));
            var progress = new QueueProgress(queue, this);
            var options = new FanOutOptions { ThrottleLimit = ThrottleLimit };
            await foreach (var item in FanOut.RunAsync(targets, (target, token) => setup.ApplyAsync(groups[(target.AccountId, target.Region)], preview, progress, token), options, cancellation).ConfigureAwait(false))
            {
                if (item.Failure is { } failure)
                {
                    queue.Post(() => WriteTargetError(failure, item.Target));
                }
                else if (preview)
                {
                    var result = item.Value!;
                    queue.Post(() => WritePreview(result));
                }
                else
                {
                    var result = item.Value!;
                    queue.Post(() => WriteObject(result));
                }
            }
        });
    }

    private CrossAccountBackupSettings Settings()
    {
        var settings = new CrossAccountBackupSettings
        {
            VaultAccountId = VaultAccountId,
            DrRegion = DrRegion,
            ResourceTag = ResourceTag,
            Schedule = Schedule,
            RetentionDays = RetentionDays,
            VaultName = VaultName,
            MemberVaultName = MemberVaultName,
            EvidenceBucketName = EvidenceBucketName ?? string.Empty,
            DrAccountId = DrAccountId,
            VaultLock = VaultLock,
            VaultLockMinRetentionDays = VaultLockMinRetentionDays,
            VaultLockMaxRetentionDays = VaultLockMaxRetentionDays,
            VaultLockChangeableForDays = VaultLockChangeableForDays,
        };
        foreach (var accountId in _accountIds)
        {
            settings.AccountIds.Add(accountId);
        }

        // An empty pipeline runs no ProcessRecord: the -Region given on the command line still counts.
        foreach (var region in (_regions.Count == 0 && Region.Length > 0 ? new List<string> { Region } : _regions).Distinct(StringComparer.Ordinal))
        {
            settings.PrimaryRegions.Add(region);
        }

        return settings;
    }

    /// <summary>
    /// Asks for one step. -WhatIf previews every step. A compliance-mode Vault Lock cannot be undone once its grace
    /// period ends, so besides -Confirm it asks again, saying when that is, unless -Force.
    /// </summary>
    private bool Approve(DrSetupStep step, bool preview)
    {
        if (step.FailedCreateReason is { } reason)
        {
            // ROLLBACK_COMPLETE: CloudFormation can only delete the stack; say why it failed before replacing it.
            WriteWarning($"{step.Target} failed to create and is ROLLBACK_COMPLETE: {reason}");
            if (!preview && (Force || ShouldContinue($"Stack {step.StackName} in {step.AccountId} {step.Region} failed to create ({reason}). Delete it and create it again?", "Replace a stack whose creation failed")))
            {
                step.AllowReplacingFailedCreate();
            }
        }
        if (step.VaultLockChangeableForDays is not { } days)
        {
            return ShouldProcess(step.Target, step.Action) || preview;
        }

        var permanent = DateTimeOffset.UtcNow.AddDays(days);
        var lockText = $"a compliance-mode Vault Lock (retention {VaultLockMinRetentionDays} to {VaultLockMaxRetentionDays} days) that becomes permanent {days} days after it is applied, on {permanent:yyyy-MM-dd HH:mm} UTC; "
            + "after that nobody, not even the account's root user or AWS, can remove the lock or shorten retention, and the vault cannot be deleted while it holds recovery points";
        const string Caption = "Irreversible: compliance-mode Vault Lock";
        if (!ShouldProcess($"{step.Target} with {lockText}.", $"Deploy {step.Target} with {lockText}?", Caption))
        {
            return preview;
        }

        return Force || ShouldContinue($"Lock vault {VaultName} in {step.AccountId} {step.Region}: it becomes permanent on {permanent:yyyy-MM-dd HH:mm} UTC ({days} days after it is applied). Continue?", Caption);
    }

    private void WritePreview(CrossAccountBackupResult result)
    {
        foreach (var step in result.Steps)
        {
            var message = step.Preview is { } change
                ? StackCmdlet.Describe(change)
                : $"What if: {step.Component} in {result.AccountId} {result.Region}: {step.Detail}.";
            WriteInformation(new HostInformationMessage { Message = message }, new[] { "PSHOST", "WhatIf" });
        }
    }

    /// <summary>Stack events as verbose lines and progress, on the pipeline thread.</summary>
    private sealed class QueueProgress : IProgress<StackProgress>
    {
        private readonly PipelineQueue _queue;
        private readonly SetCrossAccountBackupCommand _command;

        public QueueProgress(PipelineQueue queue, SetCrossAccountBackupCommand command)
        {
            _queue = queue;
            _command = command;
        }

        public void Report(StackProgress value) => _queue.Post(() =>
        {
            _command.WriteVerbose($"{value.AccountId} {value.Region} {value.StackName}: {value}");
            _command.WriteProgress(new ProgressRecord(2, $"Stack {value.StackName} in {value.AccountId} {value.Region}", value.ToString()));
        });
    }
}
