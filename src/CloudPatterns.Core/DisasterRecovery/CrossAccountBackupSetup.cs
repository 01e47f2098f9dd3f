using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using CloudPatterns.Aws;
using CloudPatterns.Aws.Backup;
using CloudPatterns.Aws.Organizations;
using CloudPatterns.Core.Deployment;
using CloudPatterns.Core.Security;
using CloudPatterns.Core.DisasterRecovery.Orchestration;
using CloudPatterns.Core.Stacks;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>What one step of the DR setup puts in place.</summary>
public enum DrSetupComponent
{
    /// <summary>Backup's isCrossAccountBackupEnabled in the management account.</summary>
    CrossAccountBackupSetting,

    /// <summary>The central vault, its key and failure topic (vault account, primary and DR region).</summary>
    CentralVault,

    /// <summary>The Object Lock evidence bucket (vault account, primary region).</summary>
    EvidenceBucket,

    /// <summary>Backup role, vault, plan with copy actions and tag selection (each workload account, primary region).</summary>
    MemberBackupPlan,

    /// <summary>The vault and restore role of the pilot-light DR account (DR region).</summary>
    PilotLightAccount,

    /// <summary>The Organizations backup policy that holds the member plan (management account, -DeploymentMode BackupPolicy).</summary>
    MemberBackupPolicy,

    /// <summary>The DR-Orchestrator: function, roles, rules, schedule, dead-letter queue and log group (vault account, primary region).</summary>
    Orchestrator,
}

/// <summary>One thing the setup does in one account and region: a bundled template as a stack, or the org setting.</summary>
public sealed class DrSetupStep
{
    internal DrSetupStep(string accountId, string region, DrSetupComponent component, StackDeploymentRequest? request, int? vaultLockChangeableForDays)
    {
        AccountId = accountId;
        Region = region;
        Component = component;
        Request = request;
        VaultLockChangeableForDays = vaultLockChangeableForDays;
    }

    public string AccountId { get; }

    public string Region { get; }

    public DrSetupComponent Component { get; }

    /// <summary>The stack it deploys; null for the org setting.</summary>
    public string? StackName => Request?.StackName;

    /// <summary>Set when the step applies a compliance-mode Vault Lock: days until it is permanent.</summary>
    public int? VaultLockChangeableForDays { get; }

    internal StackDeploymentRequest? Request { get; }

    /// <summary>Set when the step deploys the member plan as a stack set from this account: the accounts it reaches.</summary>
    public IReadOnlyList<string> ReachedAccounts { get; internal set; } = Array.Empty<string>();

    internal bool ThroughStackSet { get; init; }

    /// <summary>Why the step's stack failed to create when it is stuck in ROLLBACK_COMPLETE; null otherwise.</summary>
    public string? FailedCreateReason { get; internal set; }

    /// <summary>Lets the setup delete the stuck stack and create it again; set only after the user agreed (or -Force).</summary>
    public void AllowReplacingFailedCreate()
    {
        if (Request is not null)
        {
            Request.ReplaceFailedCreate = true;
        }
    }

    /// <summary>What and where, for confirmation prompts and -WhatIf.</summary>
    public string Target => Component == DrSetupComponent.MemberBackupPolicy
        ? $"backup policy {MemberPlanBackupPolicy.PolicyName} in management account {AccountId}, reaching {ReachedAccounts.Count} account(s): {string.Join(", ", ReachedAccounts)}"
        : StackName is null
        ? $"isCrossAccountBackupEnabled in management account {AccountId} {Region}"
        : ThroughStackSet
            ? $"stack set {StackName} ({Describe(Component)}) from {AccountId} {Region} to {ReachedAccounts.Count} account(s): {string.Join(", ", ReachedAccounts)}"
            : $"stack {StackName} ({Describe(Component)}) in {AccountId} {Region}";

    public string Action => Component == DrSetupComponent.MemberBackupPolicy ? "Attach backup policy"
        : StackName is null ? "Turn on cross-account backup" : ThroughStackSet ? "Deploy stack set" : "Deploy stack";

    private static string Describe(DrSetupComponent component) => component switch
    {
        DrSetupComponent.CentralVault => "central backup vault",
        DrSetupComponent.EvidenceBucket => "evidence bucket",
        DrSetupComponent.MemberBackupPlan => "member backup plan",
        DrSetupComponent.PilotLightAccount => "pilot-light DR vault",
        DrSetupComponent.Orchestrator => "DR-Orchestrator function, rules, schedule and dead-letter queue",
        _ => component.ToString(),
    };
}

/// <summary>
/// Set-CrossAccountBackup's engine: turns the settings into steps (the org's opt-in, then the bundled DR templates as
/// stacks: central vaults in both regions, evidence bucket, a backup plan per workload account, optionally the
/// pilot-light DR account), previews or applies them per account and region. Applying is idempotent: a step whose
/// stack already matches runs an empty change set and reports no change.
/// </summary>
public sealed class CrossAccountBackupSetup
{
    public const string PatternName = "DisasterRecovery";
    public const string TemplateVersion = "1.0.0";
    public const string CentralVaultStack = "cloudpatterns-dr-central-vault";
    public const string EvidenceStack = "cloudpatterns-dr-evidence";
    public const string MemberPlanStack = "cloudpatterns-dr-member-backup";
    public const string PilotLightStack = "cloudpatterns-dr-pilot-light";
    public const string PilotLightVaultName = "dr";

    /// <summary>The bundled pilot-light template (also what a DR drill deploys its isolated copy from).</summary>
    public const string PilotLightTemplate = "disaster-recovery/pilot-light-dr-account.yaml";

    /// <summary>
    /// The capability every stack of <see cref="PilotLightTemplate"/> needs (the pilot light, its scaling and a drill's
    /// copy): with the orchestrator the template names its roles, and the named capability also covers the unnamed
    /// restore role and lets a stack that had named roles take them out again.
    /// </summary>
    public const string PilotLightCapability = "CAPABILITY_NAMED_IAM";
    internal const string CrossAccountSetting = "isCrossAccountBackupEnabled";

    private readonly AwsSession session;
    private readonly CrossAccountBackupSettings settings;
    private MemberPlanStackSet? stackSet;
    private MemberPlanBackupPolicy? backupPolicy;

    public CrossAccountBackupSetup(AwsSession session, CrossAccountBackupSettings settings)
    {
        settings.Validate();
        this.session = session;
        this.settings = settings;
    }

    /// <summary>How the member plan is deployed (known after <see cref="PlanAsync"/>).</summary>
    public BackupDeploymentMode DeploymentMode { get; private set; }

    /// <summary>Why that mode: asked for, or what the default was chosen from.</summary>
    public string DeploymentModeReason { get; private set; } = string.Empty;

    /// <summary>Every step, in the order they are asked about: the org setting, the vault account, the workloads, the DR account.</summary>
    public async Task<IReadOnlyList<DrSetupStep>> PlanAsync(CancellationToken cancellationToken)
    {
        AwsTarget caller = await session.GetTargetAsync(session.CallerAccountId, settings.PrimaryRegion, cancellationToken).ConfigureAwait(false);
        Organization organization = (await caller.Organizations.DescribeOrganizationAsync(new DescribeOrganizationRequest(), cancellationToken).ConfigureAwait(false)).Organization
            ?? throw new InvalidOperationException("DescribeOrganization returned no organization.");
        string managementAccountId = organization.MasterAccountId ?? session.CallerAccountId;
        string organizationId = organization.Id ?? throw new InvalidOperationException("DescribeOrganization returned no organization id.");
        stackSet = new MemberPlanStackSet(session, settings, managementAccountId);
        DeploymentChoice choice = await stackSet.ChooseAsync(caller, cancellationToken).ConfigureAwait(false);
        (DeploymentMode, DeploymentModeReason) = (choice.Mode, choice.Reason);
        bool throughStackSet = choice.StacksThroughStackSet;
        bool planInPolicy = DeploymentMode == BackupDeploymentMode.BackupPolicy;
        if (await DrPreflight.SetupAwsProblemsAsync(session, settings, !throughStackSet, cancellationToken).ConfigureAwait(false) is { Count: > 0 } problems)
        {
            throw new PreflightException(problems);
        }

        var regions = new[] { settings.PrimaryRegion, settings.DrRegion };
        var steps = regions.Select(region => new DrSetupStep(managementAccountId, region, DrSetupComponent.CrossAccountBackupSetting, null, null)).ToList();
        foreach (string region in regions)
        {
            bool newLock = settings.VaultLock && !await HasRequestedLockAsync(region, cancellationToken).ConfigureAwait(false);
            steps.Add(new DrSetupStep(settings.VaultAccountId, region, DrSetupComponent.CentralVault, CentralVault(organizationId),
                newLock ? settings.VaultLockChangeableForDays : null));
        }

        steps.Add(new DrSetupStep(settings.VaultAccountId, settings.PrimaryRegion, DrSetupComponent.EvidenceBucket, Evidence(), null));
        if (settings.WithOrchestrator)
        {
            steps.Add(new DrSetupStep(settings.VaultAccountId, settings.PrimaryRegion, DrSetupComponent.Orchestrator, Orchestrator(organizationId, settings.DrAccountId!), null));
        }

        IReadOnlyList<string> reached = throughStackSet || planInPolicy
            ? await stackSet.ReachedAccountsAsync(managementAccountId, cancellationToken).ConfigureAwait(false)
            : settings.AccountIds.Distinct(StringComparer.Ordinal).ToList();
        if (throughStackSet)
        {
            steps.Add(new DrSetupStep(session.CallerAccountId, settings.PrimaryRegion, DrSetupComponent.MemberBackupPlan, MemberPlan(planInPolicy), null)
            {
                ThroughStackSet = true,
                ReachedAccounts = reached,
            });
        }
        else
        {
            steps.AddRange(reached.Select(accountId => new DrSetupStep(accountId, settings.PrimaryRegion, DrSetupComponent.MemberBackupPlan, MemberPlan(planInPolicy), null)));
        }

        if (planInPolicy)
        {
            backupPolicy = new MemberPlanBackupPolicy(settings);
            steps.Add(new DrSetupStep(managementAccountId, settings.PrimaryRegion, DrSetupComponent.MemberBackupPolicy, null, null) { ReachedAccounts = reached });
        }

        if (settings.DrAccountId is { } drAccountId)
        {
            steps.Add(new DrSetupStep(drAccountId, settings.DrRegion, DrSetupComponent.PilotLightAccount, PilotLight(organizationId), null));
        }

        var roleProblems = new List<string>();
        foreach (DrSetupStep step in steps.Where(step => step.StackName is not null && !step.ThroughStackSet))
        {
            AwsTarget target = await session.GetTargetAsync(step.AccountId, step.Region, cancellationToken).ConfigureAwait(false);
            step.FailedCreateReason = await new StackDeployment(target).FailedCreateReasonAsync(step.StackName!, cancellationToken).ConfigureAwait(false);
            if (settings.ServiceRoleName is { } serviceRole)
            {
                var (arn, problem) = await ServiceRolePolicies.CheckAsync(target, serviceRole, cancellationToken).ConfigureAwait(false);
                step.Request!.ServiceRoleArn = arn;
                roleProblems.AddRange(problem is null || roleProblems.Contains(problem) ? Array.Empty<string>() : new[] { problem });
            }
        }

        // Every account's service role is checked before any step changes anything.
        if (roleProblems.Count > 0)
        {
            throw new PreflightException(roleProblems);
        }

        return steps;
    }

    /// <summary>Whether the central vault in <paramref name="region"/> already has the lock asked for (then nothing irreversible is new).</summary>
    private async Task<bool> HasRequestedLockAsync(string region, CancellationToken cancellationToken)
    {
        AwsTarget vaultAccount = await session.GetTargetAsync(settings.VaultAccountId, region, cancellationToken).ConfigureAwait(false);
        try
        {
            var vault = await vaultAccount.Backup.DescribeBackupVaultAsync(new DescribeBackupVaultRequest { BackupVaultName = settings.VaultName }, cancellationToken).ConfigureAwait(false);
            return vault.Locked == true && vault.MinRetentionDays == settings.VaultLockMinRetentionDays && vault.MaxRetentionDays == settings.VaultLockMaxRetentionDays;
        }
        // AWS answers AccessDeniedException, not ResourceNotFoundException, for a vault name the account does not have.
        catch (AmazonServiceException error) when (error.ErrorCode is "AccessDeniedException" or "ResourceNotFoundException")
        {
            return false;
        }
    }

    /// <summary>
    /// Applies the steps of one account and region in order (or, with <paramref name="preview"/>, shows what they
    /// would change: change sets for existing stacks, deleted again; read-only calls for new ones and the org setting).
    /// </summary>
    public async Task<CrossAccountBackupResult> ApplyAsync(IReadOnlyList<DrSetupStep> steps, bool preview, IProgress<StackProgress>? progress, CancellationToken cancellationToken)
    {
        var first = steps[0];
        AwsTarget target = await session.GetTargetAsync(first.AccountId, first.Region, cancellationToken).ConfigureAwait(false);
        var outcomes = new List<DrSetupOutcome>();
        foreach (var step in steps)
        {
            outcomes.Add(step.Component == DrSetupComponent.MemberBackupPolicy
                ? await backupPolicy!.ApplyAsync(target, step, preview, cancellationToken).ConfigureAwait(false)
                : step.Request is null
                ? await CrossAccountSettingAsync(target, step, preview, cancellationToken).ConfigureAwait(false)
                : step.ThroughStackSet
                    ? await stackSet!.ApplyAsync(target, step, step.Request, preview, cancellationToken).ConfigureAwait(false)
                    : await StackAsync(target, step, await PreparedAsync(target, step, preview, cancellationToken).ConfigureAwait(false), preview, progress, cancellationToken).ConfigureAwait(false));
        }

        return new CrossAccountBackupResult(first.AccountId, first.Region, outcomes) { DeploymentMode = DeploymentMode.ToString(), DeploymentModeReason = DeploymentModeReason };
    }

    /// <summary>The step's request, with what only the account's earlier steps can tell (the orchestrator's keys, its package).</summary>
    private async Task<StackDeploymentRequest> PreparedAsync(AwsTarget target, DrSetupStep step, bool preview, CancellationToken cancellationToken)
    {
        if (step.Component == DrSetupComponent.Orchestrator)
        {
            await OrchestratorDeployment.PrepareAsync(target, settings, step.Request!, preview, cancellationToken).ConfigureAwait(false);
        }

        return step.Request!;
    }

    private static async Task<DrSetupOutcome> CrossAccountSettingAsync(AwsTarget target, DrSetupStep step, bool preview, CancellationToken cancellationToken)
    {
        var current = await target.Backup.DescribeGlobalSettingsAsync(new DescribeGlobalSettingsRequest(), cancellationToken).ConfigureAwait(false);
        if (current.GlobalSettings.TryGetValue(CrossAccountSetting, out string? value) && value == "true")
        {
            return DrSetupOutcome.Setting(step, DrSetupAction.NoChange, $"{CrossAccountSetting} is already true");
        }

        if (preview)
        {
            return DrSetupOutcome.Setting(step, DrSetupAction.WouldChange, $"would set {CrossAccountSetting} to true (now {value ?? "not set"})");
        }

        await target.Backup.UpdateGlobalSettingsAsync(new UpdateGlobalSettingsRequest
        {
            GlobalSettings = new Dictionary<string, string>(StringComparer.Ordinal) { [CrossAccountSetting] = "true" },
        }, cancellationToken).ConfigureAwait(false);
        return DrSetupOutcome.Setting(step, DrSetupAction.Changed, $"set {CrossAccountSetting} to true (was {value ?? "not set"})");
    }

    private static async Task<DrSetupOutcome> StackAsync(AwsTarget target, DrSetupStep step, StackDeploymentRequest request, bool preview, IProgress<StackProgress>? progress, CancellationToken cancellationToken)
    {
        var stacks = new StackDeployment(target);
        if (preview)
        {
            var change = await stacks.PreviewAsync(request, StackDeploymentMode.CreateOrUpdate, cancellationToken).ConfigureAwait(false);
            return DrSetupOutcome.Stack(step, change.HasChanges ? DrSetupAction.WouldChange : DrSetupAction.NoChange, change.Operation, change.Changes, null, change);
        }

        bool existed = await stacks.DescribeAsync(request.StackName, cancellationToken).ConfigureAwait(false) is not null;
        var result = await stacks.DeployAsync(request, StackDeploymentMode.CreateOrUpdate, progress, cancellationToken).ConfigureAwait(false);
        return DrSetupOutcome.Stack(step, result.Changes.Count == 0 ? DrSetupAction.NoChange : DrSetupAction.Changed, existed ? "Update" : "Create", result.Changes, result.Stack, null);
    }

    private StackDeploymentRequest CentralVault(string organizationId)
    {
        var request = Request(CentralVaultStack, "disaster-recovery/central-vault.yaml");
        request.Parameters["OrganizationId"] = organizationId;
        request.Parameters["VaultName"] = settings.VaultName;
        if (settings.VaultLock)
        {
            request.Parameters["VaultLockMinRetentionDays"] = Invariant(settings.VaultLockMinRetentionDays);
            request.Parameters["VaultLockMaxRetentionDays"] = Invariant(settings.VaultLockMaxRetentionDays);
            request.Parameters["VaultLockChangeableForDays"] = Invariant(settings.VaultLockChangeableForDays);
        }

        return request;
    }

    private StackDeploymentRequest Evidence()
    {
        var request = Request(EvidenceStack, "disaster-recovery/evidence-bucket.yaml");
        request.Parameters["BucketName"] = settings.EffectiveEvidenceBucketName;
        if (settings.EvidenceWriterRoleName.Length > 0)
        {
            request.Parameters["EvidenceWriterRoleName"] = settings.EvidenceWriterRoleName;
        }

        if (settings.WithOrchestrator)
        {
            request.Parameters["OrchestratorRoleName"] = OrchestratorDeployment.FunctionName;
        }

        DrConfiguration.Record(settings, request.Tags);
        return request;
    }

    /// <param name="planInPolicy">The plan comes from the backup policy: the stack brings the vault, key and a named role only.</param>
    private StackDeploymentRequest MemberPlan(bool planInPolicy)
    {
        var request = Request(MemberPlanStack, "disaster-recovery/member-backup-plan.yaml");
        request.Parameters["VaultAccountId"] = settings.VaultAccountId;
        request.Parameters["CentralVaultName"] = settings.VaultName;
        request.Parameters["DrRegion"] = settings.DrRegion;
        request.Parameters["VaultName"] = settings.MemberVaultName;
        request.Parameters["ResourceTagKey"] = settings.ResourceTagKey;
        request.Parameters["ResourceTagValue"] = settings.ResourceTagValue;
        request.Parameters["Schedule"] = settings.ScheduleExpression;
        request.Parameters["ContinuousBackup"] = settings.ContinuousBackup ? "true" : "false";
        request.Parameters["RetentionDays"] = Invariant(settings.RetentionDays);
        // The role has a custom name when a backup policy holds the plan, so the template needs CAPABILITY_NAMED_IAM
        // (which also covers unnamed IAM resources).
        request.Capabilities.Add("CAPABILITY_NAMED_IAM");
        if (planInPolicy)
        {
            request.Parameters["PlanSource"] = "BackupPolicy";
        }

        if (settings.WithOrchestrator)
        {
            request.Parameters["OrchestratorEventBusArn"] = OrchestratorDeployment.EventBusArn(settings);
        }

        if (settings.DrAccountId is { } drAccount)
        {
            // The vault admits the DR account's copies: a failback's way back (docs/dr-failover.md).
            request.Parameters["DrAccountId"] = drAccount;
        }

        return request;
    }

    private StackDeploymentRequest PilotLight(string organizationId)
    {
        var request = Request(PilotLightStack, PilotLightTemplate);
        request.Parameters["OrganizationId"] = organizationId;
        request.Parameters["VaultAccountId"] = settings.VaultAccountId;
        request.Parameters["VaultName"] = PilotLightVaultName;
        if (settings.WithOrchestrator)
        {
            request.Parameters["OrchestratorRoleArn"] = OrchestratorDeployment.ExecutionRoleArn(settings);
            request.Parameters["OrchestratorAccessRoleName"] = OrchestratorDeployment.FunctionName;
            request.Parameters["OrchestratorEventBusArn"] = OrchestratorDeployment.EventBusArn(settings);
        }

        request.Capabilities.Add(PilotLightCapability);

        return request;
    }

    private StackDeploymentRequest Orchestrator(string organizationId, string drAccountId)
    {
        var request = Request(OrchestratorDeployment.StackName, "disaster-recovery/orchestrator.yaml");
        OrchestratorDeployment.Parameters(settings, organizationId, drAccountId, request.Parameters);
        request.Capabilities.Add("CAPABILITY_NAMED_IAM");
        return request;
    }

    private static StackDeploymentRequest Request(string stackName, string template)
    {
        var request = new StackDeploymentRequest(stackName, BundledTemplate.Body(template));
        request.Tags[PatternTags.Pattern] = PatternName;
        request.Tags[PatternTags.TemplateVersion] = TemplateVersion;
        return request;
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
