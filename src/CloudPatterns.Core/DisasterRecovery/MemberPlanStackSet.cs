using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using CloudPatterns.Aws;
using CloudPatterns.Aws.CloudFormation;
using CloudPatterns.Core.Deployment;
using CloudPatterns.Core.Organizations;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>How Set-CrossAccountBackup puts the member backup plan into the workload accounts.</summary>
public enum BackupDeploymentMode
{
    /// <summary>One stack per workload account, deployed by the module through each account's role.</summary>
    Direct,

    /// <summary>One service-managed CloudFormation stack set; AWS deploys the instances (and follows OU moves).</summary>
    StackSet,

    /// <summary>
    /// An AWS Organizations backup policy holds the plan (AWS Backup keeps it in every account the policy reaches);
    /// the member stack brings only the vault, its key and the backup role.
    /// </summary>
    BackupPolicy,
}

/// <summary>The mode, why, and whether the member stacks go out as a stack set (always for StackSet; when it can for BackupPolicy).</summary>
internal sealed class DeploymentChoice
{
    public DeploymentChoice(BackupDeploymentMode mode, string reason, bool stacksThroughStackSet)
    {
        Mode = mode;
        Reason = reason;
        StacksThroughStackSet = stacksThroughStackSet;
    }

    public BackupDeploymentMode Mode { get; }

    public string Reason { get; }

    public bool StacksThroughStackSet { get; }
}

/// <summary>
/// The member backup plan as a service-managed stack set in the caller's account (the management account or a
/// delegated administrator): targets are OUs (auto-deployment follows accounts that join or leave them) or, for
/// accounts given one by one, their OUs intersected with those accounts. AWS's rules: docs/localcloud-stacksets.md.
/// </summary>
public sealed class MemberPlanStackSet
{
    /// <summary>From this many workload accounts on, the default mode hands the deployment to StackSets when it can.</summary>
    public const int StackSetThreshold = 100;

    private readonly AwsSession session;
    private readonly CrossAccountBackupSettings settings;
    private readonly string managementAccountId;

    internal MemberPlanStackSet(AwsSession session, CrossAccountBackupSettings settings, string managementAccountId)
    {
        this.session = session;
        this.settings = settings;
        this.managementAccountId = managementAccountId;
    }

    private StackSetCalls Calls(AwsTarget caller) => new(caller, session.CallerAccountId, managementAccountId);

    /// <summary>
    /// The mode asked for, or the default: BackupPolicy when the organization has backup policies enabled; StackSet
    /// when StackSets' trusted access is on and the deployment targets OUs or at least <see cref="StackSetThreshold"/>
    /// accounts; Direct otherwise. Also why, for the output.
    /// </summary>
    internal async Task<DeploymentChoice> ChooseAsync(AwsTarget caller, CancellationToken cancellationToken)
    {
        bool access = await Calls(caller).TrustedAccessAsync(cancellationToken).ConfigureAwait(false);
        int accounts = settings.AccountIds.Distinct(StringComparer.Ordinal).Count();
        bool stackSetFits = access && (settings.OrganizationalUnitIds.Count > 0 || accounts >= StackSetThreshold);
        bool backupPolicies = await MemberPlanBackupPolicy.EnabledAsync(caller, cancellationToken).ConfigureAwait(false);
        if (settings.DeploymentMode is { } asked)
        {
            if (asked == BackupDeploymentMode.StackSet && !access)
            {
                throw new PreflightException(new[]
                {
                    "-DeploymentMode StackSet needs StackSets' trusted access in the organization: run 'aws organizations enable-aws-service-access --service-principal member.org.stacksets.cloudformation.amazonaws.com' (or CloudFormation's ActivateOrganizationsAccess) from the management account, or use -DeploymentMode Direct.",
                });
            }

            if (asked == BackupDeploymentMode.BackupPolicy && !backupPolicies)
            {
                throw new PreflightException(new[]
                {
                    "-DeploymentMode BackupPolicy needs the BACKUP_POLICY policy type enabled on the organization's root: run 'aws organizations enable-policy-type --root-id <root id> --policy-type BACKUP_POLICY' from the management account, or use -DeploymentMode StackSet or Direct.",
                });
            }

            return new DeploymentChoice(asked, "as asked by -DeploymentMode", asked == BackupDeploymentMode.StackSet || (asked == BackupDeploymentMode.BackupPolicy && stackSetFits));
        }

        if (backupPolicies)
        {
            return new DeploymentChoice(BackupDeploymentMode.BackupPolicy,
                "chosen: the organization has backup policies (BACKUP_POLICY) enabled, so AWS Backup keeps the plan in every account the policy reaches", stackSetFits);
        }

        if (stackSetFits)
        {
            return new DeploymentChoice(BackupDeploymentMode.StackSet, settings.OrganizationalUnitIds.Count > 0
                ? "chosen: the targets are OUs and StackSets' trusted access is on"
                : $"chosen: {accounts} workload accounts (StackSet from {StackSetThreshold}) and StackSets' trusted access is on", true);
        }

        return new DeploymentChoice(BackupDeploymentMode.Direct, access
            ? $"chosen: {accounts} workload accounts, fewer than the {StackSetThreshold} that make a stack set worth it"
            : "chosen: StackSets' trusted access is off in the organization", false);
    }

    /// <summary>The accounts the stack set reaches (what -WhatIf lists), the management account never among them.</summary>
    internal async Task<IReadOnlyList<string>> ReachedAccountsAsync(string managementAccountId, CancellationToken cancellationToken)
    {
        var reached = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string unit in settings.OrganizationalUnitIds.Distinct(StringComparer.Ordinal))
        {
            await foreach (OrgAccount account in OrgAccountQuery.RunAsync(session, new OrgAccountFilter { OrganizationalUnitId = unit, Recurse = true }, cancellationToken).ConfigureAwait(false))
            {
                reached.Add(account.AccountId);
            }
        }

        reached.UnionWith(settings.AccountIds);
        reached.Remove(managementAccountId);
        return reached.ToList();
    }

    /// <summary>Creates or updates the stack set, deploys its instances and waits for the operation; -WhatIf only describes it.</summary>
    internal async Task<DrSetupOutcome> ApplyAsync(AwsTarget caller, DrSetupStep step, StackDeploymentRequest request, bool preview, CancellationToken cancellationToken)
    {
        var reached = step.ReachedAccounts;
        var calls = Calls(caller);
        string callAs = calls.CallAs;
        var targets = await StackSetCalls.TargetsAsync(session, settings.OrganizationalUnitIds, settings.AccountIds, cancellationToken).ConfigureAwait(false);
        string where = $"{reached.Count} account(s) in {settings.PrimaryRegion}";
        StackSet? existing = await calls.DescribeAsync(request.StackName, cancellationToken).ConfigureAwait(false);
        if (preview)
        {
            string verb = existing is null ? "create service-managed stack set" : "update stack set";
            return DrSetupOutcome.Setting(step, DrSetupAction.WouldChange,
                $"-DeploymentMode StackSet: would {verb} {request.StackName} and run a CREATE instances operation reaching {where}: {string.Join(", ", reached)}");
        }

        bool unchanged = existing is not null && existing.TemplateBody == request.TemplateBody && SameParameters(existing.Parameters, request.Parameters);
        if (unchanged && await EveryAccountCurrentAsync(caller, request.StackName, reached, cancellationToken).ConfigureAwait(false))
        {
            return DrSetupOutcome.Setting(step, DrSetupAction.NoChange, $"stack set {request.StackName}: all {where} CURRENT, no change");
        }

        var parameters = request.Parameters.Select(pair => new Parameter { ParameterKey = pair.Key, ParameterValue = pair.Value }).ToList();
        var tags = request.Tags.Select(pair => new Tag { Key = pair.Key, Value = pair.Value }).ToList();
        var autoDeployment = new AutoDeployment { Enabled = settings.OrganizationalUnitIds.Count > 0, RetainStacksOnAccountRemoval = false };
        if (existing is null)
        {
            await caller.CloudFormation.CreateStackSetAsync(new CreateStackSetRequest
            {
                StackSetName = request.StackName,
                TemplateBody = request.TemplateBody,
                Parameters = parameters,
                Capabilities = request.Capabilities.ToList(),
                Tags = tags,
                PermissionModel = "SERVICE_MANAGED",
                AutoDeployment = autoDeployment,
                CallAs = callAs,
            }, cancellationToken).ConfigureAwait(false);
        }
        else if (!unchanged)
        {
            var update = await caller.CloudFormation.UpdateStackSetAsync(new UpdateStackSetRequest
            {
                StackSetName = request.StackName,
                TemplateBody = request.TemplateBody,
                Parameters = parameters,
                Capabilities = request.Capabilities.ToList(),
                Tags = tags,
                AutoDeployment = autoDeployment,
                OperationPreferences = Preferences(),
                CallAs = callAs,
            }, cancellationToken).ConfigureAwait(false);
            await calls.WaitAsync(request.StackName, update.OperationId!, cancellationToken).ConfigureAwait(false);
        }

        var created = await caller.CloudFormation.CreateStackInstancesAsync(new CreateStackInstancesRequest
        {
            StackSetName = request.StackName,
            DeploymentTargets = targets,
            Regions = new List<string> { settings.PrimaryRegion },
            OperationPreferences = Preferences(),
            CallAs = callAs,
        }, cancellationToken).ConfigureAwait(false);
        var operation = await calls.WaitAsync(request.StackName, created.OperationId!, cancellationToken).ConfigureAwait(false);
        int failed = operation.StatusDetails?.FailedStackInstancesCount ?? 0;
        string detail = $"stack set {request.StackName} operation {operation.OperationId} {operation.Status}: {where}, {failed} failed"
            + (operation.StatusReason is { } reason ? $" ({reason})" : string.Empty);
        if (operation.Status != "SUCCEEDED")
        {
            throw new StackSetOperationException(detail);
        }

        return DrSetupOutcome.Setting(step, DrSetupAction.Changed, detail);
    }

    /// <summary>Every account at once in the region; failures do not slow the others (SOFT_FAILURE_TOLERANCE).</summary>
    private static StackSetOperationPreferences Preferences() => new()
    {
        MaxConcurrentPercentage = 100,
        FailureTolerancePercentage = 10,
        ConcurrencyMode = "SOFT_FAILURE_TOLERANCE",
    };

    private static bool SameParameters(IReadOnlyCollection<Parameter> current, IDictionary<string, string> wanted) =>
        current.Count == wanted.Count && current.All(parameter => wanted.TryGetValue(parameter.ParameterKey ?? string.Empty, out string? value) && value == parameter.ParameterValue);

    /// <summary>Whether every reached account already has a CURRENT instance in the primary region.</summary>
    private async Task<bool> EveryAccountCurrentAsync(AwsTarget caller, string name, IReadOnlyList<string> reached, CancellationToken cancellationToken)
    {
        var current = new HashSet<string>(StringComparer.Ordinal);
        await foreach (StackInstanceSummary instance in caller.CloudFormation.ListAllStackInstancesAsync(name, Calls(caller).CallAs, cancellationToken).ConfigureAwait(false))
        {
            if (instance.Region == settings.PrimaryRegion && instance.Status == "CURRENT")
            {
                current.Add(instance.Account ?? string.Empty);
            }
        }

        return reached.All(current.Contains);
    }

}
