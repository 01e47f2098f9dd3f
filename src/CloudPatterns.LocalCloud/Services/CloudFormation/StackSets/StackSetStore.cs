using System.Text.RegularExpressions;
using CloudPatterns.LocalCloud.CloudFormation;
using CloudPatterns.LocalCloud.CloudFormation.Stacks;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Organizations;

namespace CloudPatterns.LocalCloud.Services.CloudFormation.StackSets;

/// <summary>What CreateStackSet and UpdateStackSet carry besides the name.</summary>
internal sealed record StackSetInput(
    string? TemplateBody,
    string? Description,
    IReadOnlyDictionary<string, string>? Parameters,
    IReadOnlyList<string>? Capabilities,
    IReadOnlyList<KeyValuePair<string, string>>? Tags,
    string? PermissionModel,
    string? AdministrationRoleArn,
    string? ExecutionRoleName,
    bool? AutoDeploymentEnabled,
    bool? RetainStacksOnAccountRemoval);

/// <summary>
/// CloudFormation StackSets for every administrator account and region: stack sets, their instances (real stacks in
/// the target accounts, made by the engine) and operations run in the background as the preferences say, with
/// auto-deployment following MoveAccount. AWS's rules and refusals: docs/localcloud-stacksets.md.
/// </summary>
internal sealed partial class StackSetStore
{
    /// <summary>What self-managed stack sets use when the request names no roles (CloudFormation user guide).</summary>
    public const string DefaultAdministrationRole = "AWSCloudFormationStackSetAdministrationRole";
    public const string DefaultExecutionRole = "AWSCloudFormationStackSetExecutionRole";

    private readonly Lock gate = new();
    private readonly List<StackSet> stackSets = [];
    private readonly CloudFormationEngine engine;
    private readonly SeedOrganization organization;
    private readonly OrganizationTree tree;
    private readonly OrganizationServiceAccess serviceAccess;
    private readonly Func<string, bool> roleExists;
    private readonly Func<string, string> serviceManagedRole;
    private readonly TimeProvider clock;

    /// <param name="roleExists">Whether an IAM role ARN exists (self-managed execution roles).</param>
    /// <param name="serviceManagedRole">The ARN of the role service-managed instances run as in an account, made on first use.</param>
    public StackSetStore(CloudFormationEngine engine, SeedOrganization organization, OrganizationTree tree,
        OrganizationServiceAccess serviceAccess, Func<string, bool> roleExists, Func<string, string> serviceManagedRole, TimeProvider clock)
    {
        this.serviceManagedRole = serviceManagedRole;
        this.engine = engine;
        this.organization = organization;
        this.tree = tree;
        this.serviceAccess = serviceAccess;
        this.roleExists = roleExists;
        this.clock = clock;
        tree.AccountMoved += (accountId, _, _) => AutoDeploy(accountId);
    }

    [GeneratedRegex("^[a-zA-Z][-a-zA-Z0-9]{0,127}$")]
    private static partial Regex StackSetNamePattern();

    // ---------------------------------------------------------------- trusted access

    public bool OrganizationsAccessEnabled => serviceAccess.IsEnabled(OrganizationServiceAccess.StackSetsPrincipal);

    /// <summary>ActivateOrganizationsAccess: what EnableAWSServiceAccess for StackSets does, from CloudFormation.</summary>
    public void ActivateOrganizationsAccess(string callerAccountId)
    {
        RequireOrganizationAdministrator(callerAccountId, "SELF");
        serviceAccess.Enable(OrganizationServiceAccess.StackSetsPrincipal, clock.GetUtcNow());
    }

    private void RequireOrganizationAdministrator(string callerAccountId, string callAs)
    {
        var allowed = callAs == "DELEGATED_ADMIN"
            ? serviceAccess.IsDelegatedAdministrator(callerAccountId, OrganizationServiceAccess.StackSetsPrincipal)
            : callerAccountId == organization.ManagementAccountId;
        if (!allowed)
        {
            throw Validation("You must be the management account or delegated admin account of an organization before operating a SERVICE_MANAGED stack set");
        }
    }

    private void RequireServiceManagedAllowed(string callerAccountId, string callAs)
    {
        RequireOrganizationAdministrator(callerAccountId, callAs);
        if (!OrganizationsAccessEnabled)
        {
            throw Validation("You must enable organizations access to operate a service managed stack set");
        }
    }

    // ---------------------------------------------------------------- stack sets

    public StackSet Create(string accountId, string region, string name, StackSetInput input, string callAs)
    {
        if (name.Length > 128 || !StackSetNamePattern().IsMatch(name))
        {
            throw AwsServiceException.Validation("ValidationError",
                [$"Value '{name}' at 'stackSetName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*"]);
        }

        var permissionModel = input.PermissionModel ?? "SELF_MANAGED";
        if (permissionModel == "SERVICE_MANAGED")
        {
            RequireServiceManagedAllowed(accountId, callAs);
        }
        else if (input.AutoDeploymentEnabled is not null)
        {
            throw Validation("AutoDeployment is only supported for stack sets with SERVICE_MANAGED permission model");
        }

        var body = input.TemplateBody ?? throw Validation("Either Template URL or Template Body must be specified.");
        CheckTemplate(body);
        var stackSet = new StackSet
        {
            AdministratorAccountId = accountId,
            Region = region,
            Name = name,
            Id = $"{name}:{Guid.NewGuid()}",
            TemplateBody = body,
            Description = input.Description,
            Parameters = input.Parameters ?? new Dictionary<string, string>(),
            Capabilities = input.Capabilities ?? [],
            Tags = input.Tags ?? [],
            PermissionModel = permissionModel,
            AdministrationRoleArn = permissionModel == "SELF_MANAGED" ? input.AdministrationRoleArn ?? $"arn:aws:iam::{accountId}:role/{DefaultAdministrationRole}" : null,
            ExecutionRoleName = permissionModel == "SELF_MANAGED" ? input.ExecutionRoleName ?? DefaultExecutionRole : null,
            AutoDeploymentEnabled = input.AutoDeploymentEnabled ?? false,
            RetainStacksOnAccountRemoval = input.RetainStacksOnAccountRemoval ?? false,
        };
        lock (gate)
        {
            if (stackSets.Any(other => other.Name == name && other.AdministratorAccountId == accountId && other.Region == region && other.Status == "ACTIVE"))
            {
                throw new AwsServiceException(409, "NameAlreadyExistsException", $"StackSet {name} already exists");
            }

            stackSets.Add(stackSet);
        }

        return stackSet;
    }

    private void CheckTemplate(string body)
    {
        try
        {
            engine.ValidateTemplate(body);
        }
        catch (CloudFormationException error)
        {
            throw new AwsServiceException(400, error.ErrorCode, error.Message);
        }
    }

    /// <summary>The stack set by name or StackSetId, or StackSetNotFoundException (404) "StackSet X not found".</summary>
    public StackSet Get(string accountId, string region, string nameOrId)
    {
        lock (gate)
        {
            return stackSets.FirstOrDefault(set => set.AdministratorAccountId == accountId && set.Region == region && set.Status == "ACTIVE" && (set.Name == nameOrId || set.Id == nameOrId))
                ?? throw new AwsServiceException(404, "StackSetNotFoundException", $"StackSet {nameOrId} not found");
        }
    }

    /// <summary>The caller's stack sets, deleted ones included (ListStackSets shows them with Status DELETED).</summary>
    public IReadOnlyList<StackSet> List(string accountId, string region)
    {
        lock (gate)
        {
            return stackSets.Where(set => set.AdministratorAccountId == accountId && set.Region == region).ToList();
        }
    }

    public void Delete(string accountId, string region, string nameOrId)
    {
        var stackSet = Get(accountId, region, nameOrId);
        lock (gate)
        {
            RequireIdle(stackSet);
            if (stackSet.Instances.Count > 0)
            {
                throw new AwsServiceException(409, "StackSetNotEmptyException", $"StackSet {stackSet.Name} is not empty");
            }

            stackSet.Status = "DELETED";
        }
    }

    /// <summary>UpdateStackSet: new template or settings, then an UPDATE operation over the chosen (by default all) instances.</summary>
    public StackSetOperation Update(string accountId, string region, string nameOrId, StackSetInput input, bool usePreviousTemplate,
        IReadOnlyList<string> regions, DeploymentTargets targets, OperationPreferences preferences, string? operationId, string callAs)
    {
        var stackSet = Get(accountId, region, nameOrId);
        if (stackSet.IsServiceManaged)
        {
            RequireServiceManagedAllowed(accountId, callAs);
        }

        string? body = null;
        if (!usePreviousTemplate)
        {
            body = input.TemplateBody ?? throw Validation("Either Template URL or Template Body must be specified.");
            CheckTemplate(body);
        }

        lock (gate)
        {
            RequireReady(stackSet, operationId);
            stackSet.TemplateBody = body ?? stackSet.TemplateBody;
            stackSet.Description = input.Description ?? stackSet.Description;
            stackSet.Parameters = input.Parameters ?? stackSet.Parameters;
            stackSet.Capabilities = input.Capabilities ?? stackSet.Capabilities;
            stackSet.Tags = input.Tags ?? stackSet.Tags;
            stackSet.AutoDeploymentEnabled = input.AutoDeploymentEnabled ?? stackSet.AutoDeploymentEnabled;
            stackSet.RetainStacksOnAccountRemoval = input.RetainStacksOnAccountRemoval ?? stackSet.RetainStacksOnAccountRemoval;
            var chosenAccounts = targets.Accounts.Count > 0 || targets.OrganizationalUnitIds.Count > 0 ? ResolveAccounts(stackSet, targets).ToHashSet() : null;
            var selected = stackSet.Instances
                .Where(instance => (regions.Count == 0 || regions.Contains(instance.Region)) && (chosenAccounts is null || chosenAccounts.Contains(instance.Account)))
                .ToList();
            foreach (var instance in stackSet.Instances)
            {
                instance.Status = "OUTDATED";
            }

            return Start(stackSet, "UPDATE", operationId, preferences, targets, retainStacks: null, selected, queue: false);
        }
    }

    // ---------------------------------------------------------------- instances

    public StackSetOperation CreateInstances(string accountId, string region, string nameOrId, DeploymentTargets targets,
        IReadOnlyList<string> regions, IReadOnlyDictionary<string, string> overrides, OperationPreferences preferences, string? operationId, string callAs)
    {
        var stackSet = Get(accountId, region, nameOrId);
        CheckTargets(stackSet, targets, accountId, callAs);
        CheckRegions(regions);
        lock (gate)
        {
            RequireReady(stackSet, operationId);
            stackSet.OrganizationalUnitIds.AddRange(targets.OrganizationalUnitIds.Except(stackSet.OrganizationalUnitIds).ToList());
            var selected = new List<StackInstance>();
            foreach (var target in regions)
            {
                if (!stackSet.Regions.Contains(target))
                {
                    stackSet.Regions.Add(target);
                }

                foreach (var account in ResolveAccounts(stackSet, targets))
                {
                    var instance = stackSet.FindInstance(account, target);
                    if (instance is null)
                    {
                        instance = new StackInstance { Account = account, Region = target };
                        stackSet.Instances.Add(instance);
                    }

                    instance.OrganizationalUnitId = OrganizationalUnitOf(stackSet, account);
                    instance.ParameterOverrides = overrides.Count > 0 ? overrides : instance.ParameterOverrides;
                    selected.Add(instance);
                }
            }

            return Start(stackSet, "CREATE", operationId, preferences, targets, retainStacks: null, selected, queue: false);
        }
    }

    public StackSetOperation UpdateInstances(string accountId, string region, string nameOrId, DeploymentTargets targets,
        IReadOnlyList<string> regions, IReadOnlyDictionary<string, string> overrides, OperationPreferences preferences, string? operationId, string callAs)
    {
        var stackSet = Get(accountId, region, nameOrId);
        CheckTargets(stackSet, targets, accountId, callAs);
        lock (gate)
        {
            RequireReady(stackSet, operationId);
            var selected = SelectExisting(stackSet, targets, regions);
            foreach (var instance in selected)
            {
                instance.ParameterOverrides = overrides;
                instance.Status = "OUTDATED";
            }

            return Start(stackSet, "UPDATE", operationId, preferences, targets, retainStacks: null, selected, queue: false);
        }
    }

    public StackSetOperation DeleteInstances(string accountId, string region, string nameOrId, DeploymentTargets targets,
        IReadOnlyList<string> regions, bool retainStacks, OperationPreferences preferences, string? operationId, string callAs)
    {
        var stackSet = Get(accountId, region, nameOrId);
        CheckTargets(stackSet, targets, accountId, callAs);
        lock (gate)
        {
            RequireReady(stackSet, operationId);
            var selected = SelectExisting(stackSet, targets, regions);
            if (stackSet.IsServiceManaged)
            {
                stackSet.OrganizationalUnitIds.RemoveAll(unit => targets.OrganizationalUnitIds.Contains(unit) && targets.AccountFilterType is null or "NONE");
            }

            return Start(stackSet, "DELETE", operationId, preferences, targets, retainStacks, selected, queue: false);
        }
    }

    /// <summary>DetectStackSetDrift: a DETECT_DRIFT operation over every instance.</summary>
    public StackSetOperation DetectDrift(string accountId, string region, string nameOrId, OperationPreferences preferences, string? operationId)
    {
        var stackSet = Get(accountId, region, nameOrId);
        lock (gate)
        {
            RequireReady(stackSet, operationId);
            return Start(stackSet, "DETECT_DRIFT", operationId, preferences, DeploymentTargets.None, retainStacks: null, stackSet.Instances.ToList(), queue: false);
        }
    }

    public StackInstance GetInstance(StackSet stackSet, string account, string region)
    {
        lock (gate)
        {
            return stackSet.FindInstance(account, region)
                ?? throw new AwsServiceException(404, "StackInstanceNotFoundException",
                    $"Stack instance for account {account} and region {region} was not found in StackSet {stackSet.Name}");
        }
    }

    /// <summary>A consistent copy of the OUs and regions a set deploys to (auto-deployment changes them).</summary>
    public (IReadOnlyList<string> OrganizationalUnitIds, IReadOnlyList<string> Regions) Targets(StackSet stackSet)
    {
        lock (gate)
        {
            return (stackSet.OrganizationalUnitIds.ToList(), stackSet.Regions.ToList());
        }
    }

    public IReadOnlyList<StackInstance> Instances(StackSet stackSet)
    {
        lock (gate)
        {
            return stackSet.Instances.ToList();
        }
    }

    public StackSetOperation GetOperation(StackSet stackSet, string operationId)
    {
        lock (gate)
        {
            return stackSet.Operations.FirstOrDefault(operation => operation.Id == operationId)
                ?? throw new AwsServiceException(404, "OperationNotFoundException", $"Operation {operationId} not found");
        }
    }

    public IReadOnlyList<StackSetOperation> Operations(StackSet stackSet)
    {
        lock (gate)
        {
            return stackSet.Operations.AsEnumerable().Reverse().ToList();
        }
    }

    /// <summary>A consistent copy of an operation's results (they change while it runs).</summary>
    public IReadOnlyList<OperationResult> Results(StackSetOperation operation)
    {
        lock (gate)
        {
            return operation.Results.Select(result => new OperationResult
            {
                Account = result.Account,
                Region = result.Region,
                OrganizationalUnitId = result.OrganizationalUnitId,
                Status = result.Status,
                StatusReason = result.StatusReason,
            }).ToList();
        }
    }

    // ---------------------------------------------------------------- targets

    /// <summary>
    /// Service-managed sets deploy to OUs (Accounts only with an AccountFilterType); self-managed sets to accounts.
    /// </summary>
    private void CheckTargets(StackSet stackSet, DeploymentTargets targets, string callerAccountId, string callAs)
    {
        if (stackSet.IsServiceManaged)
        {
            RequireServiceManagedAllowed(callerAccountId, callAs);
            if (targets.OrganizationalUnitIds.Count == 0)
            {
                throw Validation("OrganizationalUnitIds are required in DeploymentTargets for a SERVICE_MANAGED stack set");
            }

            if (targets.OrganizationalUnitIds.FirstOrDefault(unit => !tree.IsParent(unit)) is { } unknown)
            {
                throw Validation($"OrganizationalUnitIds [{unknown}] do not exist in the organization");
            }

            if (targets.Accounts.Count > 0 && targets.AccountFilterType is null or "NONE")
            {
                throw Validation("AccountFilterType should be specified when both OrganizationalUnitIds and Accounts are provided");
            }
        }
        else if (targets.OrganizationalUnitIds.Count > 0 || targets.Accounts.Count == 0)
        {
            throw Validation("Accounts must be specified for a SELF_MANAGED stack set, and OrganizationalUnitIds are not supported");
        }
    }

    private static void CheckRegions(IReadOnlyList<string> regions)
    {
        if (regions.Count == 0)
        {
            throw Validation("Regions must be specified");
        }
    }

    /// <summary>
    /// The accounts a DeploymentTargets names. OUs include the accounts of every OU below them; the management account
    /// is never a target of a service-managed set (docs/localcloud-stacksets.md).
    /// </summary>
    private IEnumerable<string> ResolveAccounts(StackSet stackSet, DeploymentTargets targets)
    {
        if (!stackSet.IsServiceManaged)
        {
            return targets.Accounts.Distinct();
        }

        var inUnits = organization.Accounts
            .Where(account => !account.IsManagementAccount && targets.OrganizationalUnitIds.Any(unit => tree.IsWithin(account.Id, unit)))
            .Select(account => account.Id)
            .ToList();
        var named = targets.Accounts.Where(account => organization.FindAccount(account) is { IsManagementAccount: false }).ToList();
        return targets.AccountFilterType switch
        {
            "INTERSECTION" => inUnits.Intersect(named),
            "DIFFERENCE" => inUnits.Except(named),
            "UNION" => inUnits.Union(named),
            _ => inUnits,
        };
    }

    private List<StackInstance> SelectExisting(StackSet stackSet, DeploymentTargets targets, IReadOnlyList<string> regions)
    {
        CheckRegions(regions);
        var accounts = ResolveAccounts(stackSet, targets).ToHashSet(StringComparer.Ordinal);
        return stackSet.Instances.Where(instance => regions.Contains(instance.Region) && accounts.Contains(instance.Account)).ToList();
    }

    /// <summary>The targeted OU that holds the account now (null for self-managed sets and accounts named directly).</summary>
    private string? OrganizationalUnitOf(StackSet stackSet, string account) =>
        stackSet.IsServiceManaged ? stackSet.OrganizationalUnitIds.FirstOrDefault(unit => tree.IsWithin(account, unit)) : null;

    // ---------------------------------------------------------------- refusals

    private static void RequireIdle(StackSet stackSet)
    {
        if (!stackSet.Tail.IsCompleted)
        {
            throw new AwsServiceException(409, "OperationInProgressException", $"Another Operation on StackSet {stackSet.Arn} is in progress");
        }
    }

    /// <summary>No operation running, and the operation id (when the request gives one) not used before.</summary>
    private static void RequireReady(StackSet stackSet, string? operationId)
    {
        RequireIdle(stackSet);
        if (operationId is not null && stackSet.Operations.Any(operation => operation.Id == operationId))
        {
            throw new AwsServiceException(409, "OperationIdAlreadyExistsException", $"Operation with id {operationId} already exists");
        }
    }

    private static AwsServiceException Validation(string message) => new(400, "ValidationError", message);
}
