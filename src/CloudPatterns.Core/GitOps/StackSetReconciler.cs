using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using CloudPatterns.Aws;
using CloudPatterns.Aws.CloudFormation;
using CloudPatterns.Core.Deployment;
using CloudPatterns.Core.Stacks;

namespace CloudPatterns.Core.GitOps;

/// <summary>
/// The stacks of <c>deployment: stackset</c>, reconciled from the administrator target (the caller's account in each
/// stack set's first region): one service-managed stack set per stack, its instances read and deployed through
/// StackSets operations, never by assuming roles into the members (docs/gitops.md, Stack sets).
/// </summary>
internal sealed class StackSetReconciler
{
    private const string DriftNote = "drifted: DetectStackSetDrift found resources of this instance changed outside git (Get-StackSyncStatus -AccountId on the account shows no more; fix it in the template or redeploy)";

    private readonly AwsTarget administrator;
    private readonly GitOpsRevision revision;
    private readonly Func<DesiredStack, StackDeploymentRequest> requestFor;

    public StackSetReconciler(AwsTarget administrator, GitOpsRevision revision, Func<DesiredStack, StackDeploymentRequest> requestFor)
    {
        this.administrator = administrator;
        this.revision = revision;
        this.requestFor = requestFor;
    }

    /// <summary>Whether status reads run DetectStackSetDrift first.</summary>
    public bool DetectDrift { get; set; } = true;

    /// <summary>How a declared stack set (or an orphan) stands, with what a sync needs to act on it.</summary>
    private sealed class Inspection
    {
        public Inspection(string name, DesiredStackSet? desired, StackSet? existing, IReadOnlyList<StackInstanceSummary> instances, IReadOnlyList<string> differences, string? notOwned)
        {
            Name = name;
            Desired = desired;
            Existing = existing;
            Instances = instances;
            Differences = differences;
            NotOwned = notOwned;
        }

        public string Name { get; }
        public DesiredStackSet? Desired { get; }
        public StackSet? Existing { get; }
        public IReadOnlyList<StackInstanceSummary> Instances { get; }
        public IReadOnlyList<string> Differences { get; }
        public string? NotOwned { get; }
        public List<StackSyncStatus> Statuses { get; } = new();
    }

    /// <summary>One row per stack instance (account × region) of every declared stack set, then the orphaned stack sets.</summary>
    public async Task<IReadOnlyList<StackSyncStatus>> GetStatusAsync(DesiredTarget desired, CancellationToken cancellationToken) =>
        (await InspectAsync(desired, detectDrift: true, cancellationToken).ConfigureAwait(false)).SelectMany(i => i.Statuses).ToList();

    /// <summary>What a sync would do (-WhatIf): one sentence per stack set operation.</summary>
    public async Task<IReadOnlyList<string>> PreviewAsync(DesiredTarget desired, IReadOnlyCollection<string>? only, CancellationToken cancellationToken)
    {
        var previews = new List<string>();
        foreach (var inspection in (await InspectAsync(desired, detectDrift: false, cancellationToken).ConfigureAwait(false)).Where(i => i.Desired is not null && Selected(only, i.Name)))
        {
            var set = inspection.Desired!;
            var where = $"{set.AccountIds.Count} account(s) × {string.Join(", ", set.Regions)}";
            if (inspection.NotOwned is not null)
            {
                continue;
            }

            if (inspection.Existing is null)
            {
                previews.Add($"Create service-managed stack set {inspection.Name} in {administrator.AccountId} {administrator.Region} and deploy its instances to {where}: {string.Join(", ", set.AccountIds)}");
                continue;
            }

            if (inspection.Differences.Count > 0)
            {
                previews.Add($"Update stack set {inspection.Name} ({string.Join("; ", inspection.Differences)}) and its {inspection.Instances.Count} instance(s)");
            }

            var missing = inspection.Statuses.Where(s => s.State is StackSyncState.Missing or StackSyncState.Failed).Select(s => $"{s.AccountId} {s.Region}").ToList();
            if (missing.Count > 0)
            {
                previews.Add($"Deploy {missing.Count} instance(s) of stack set {inspection.Name}: {string.Join(", ", missing)}");
            }
        }

        return previews;
    }

    /// <summary>Creates or updates each declared stack set and its missing instances; with -Prune removes orphaned instances and this manifest's orphaned stack sets.</summary>
    public async Task<(IReadOnlyList<StackSyncAction> Actions, Exception? Failure)> SyncAsync(DesiredTarget desired, StackSyncOptions options, CancellationToken cancellationToken)
    {
        var actions = new List<StackSyncAction>();
        Exception? failure = null;
        foreach (var inspection in await InspectAsync(desired, detectDrift: true, cancellationToken).ConfigureAwait(false))
        {
            // Another manifest's stack set that only shares this manifest's path is said only when -Prune left it, as for stacks.
            if (!Selected(options.Stacks, inspection.Name) || (inspection.Desired is null && inspection.NotOwned is not null && !options.Prune))
            {
                continue;
            }

            var before = Summary(inspection);
            if (failure is not null)
            {
                actions.Add(new StackSyncAction(inspection.Name, before, StackSyncActionKind.Skipped, Array.Empty<StackResourceChange>(), "an earlier stack of this target failed"));
                continue;
            }

            try
            {
                var action = inspection.Desired is null
                    ? await PruneStackSetAsync(inspection, options, cancellationToken).ConfigureAwait(false)
                    : await ApplyAsync(inspection, options, actions, cancellationToken).ConfigureAwait(false);
                actions.Add(action);
                failure = action.Kind == StackSyncActionKind.Failed ? new StackNotOwnedException(administrator.AccountId, administrator.Region, inspection.Name, inspection.NotOwned!) : null;
            }
            catch (Exception ex) when (ex is not OperationCanceledException && (ex is AmazonServiceException || ex is StackSetOperationException))
            {
                failure = ex;
                actions.Add(new StackSyncAction(inspection.Name, before, StackSyncActionKind.Failed, Array.Empty<StackResourceChange>(), ex.Message));
            }
        }

        return (actions, failure);
    }

    private async Task<StackSyncAction> ApplyAsync(Inspection inspection, StackSyncOptions options, List<StackSyncAction> actions, CancellationToken cancellationToken)
    {
        var set = inspection.Desired!;
        var before = Summary(inspection);
        if (inspection.NotOwned is not null)
        {
            return new StackSyncAction(inspection.Name, StackSyncState.NotOwned, options.DetectOnly ? StackSyncActionKind.None : StackSyncActionKind.Failed, Array.Empty<StackResourceChange>(),
                $"stack set {inspection.Name} in {administrator.AccountId} {administrator.Region} is {inspection.NotOwned}: the sync leaves it as it is");
        }

        var deploy = inspection.Statuses.Where(s => s.State is StackSyncState.Missing or StackSyncState.Failed).ToList();
        var orphans = inspection.Statuses.Where(s => s.State == StackSyncState.Orphaned).ToList();
        if (options.DetectOnly)
        {
            return new StackSyncAction(inspection.Name, before, StackSyncActionKind.None, Array.Empty<StackResourceChange>(), "detect only");
        }

        var calls = Calls(set.ManagementAccountId);
        var request = requestFor(new DesiredStack(set.Stack, null));
        var done = new List<string>();
        var kind = StackSyncActionKind.None;
        if (inspection.Existing is null)
        {
            await administrator.CloudFormation.CreateStackSetAsync(new CreateStackSetRequest
            {
                StackSetName = inspection.Name,
                TemplateBody = request.TemplateBody,
                Parameters = Parameters(set.Stack),
                Capabilities = request.Capabilities.ToList(),
                Tags = Tags(request, inspection.Name),
                PermissionModel = "SERVICE_MANAGED",
                AutoDeployment = AutoDeployment(set.Stack),
                CallAs = calls.CallAs,
            }, cancellationToken).ConfigureAwait(false);
            kind = StackSyncActionKind.Created;
            done.Add("stack set created");
        }
        else if (inspection.Differences.Count > 0)
        {
            var update = await administrator.CloudFormation.UpdateStackSetAsync(new UpdateStackSetRequest
            {
                StackSetName = inspection.Name,
                TemplateBody = request.TemplateBody,
                Parameters = Parameters(set.Stack),
                Capabilities = request.Capabilities.ToList(),
                Tags = Tags(request, inspection.Name),
                AutoDeployment = AutoDeployment(set.Stack),
                OperationPreferences = Preferences(set.Stack),
                CallAs = calls.CallAs,
            }, cancellationToken).ConfigureAwait(false);
            done.Add(await RunAsync(calls, inspection.Name, "UPDATE", update.OperationId!, cancellationToken).ConfigureAwait(false));
            kind = StackSyncActionKind.Updated;
        }

        if (inspection.Existing is null || deploy.Count > 0)
        {
            var created = await administrator.CloudFormation.CreateStackInstancesAsync(new CreateStackInstancesRequest
            {
                StackSetName = inspection.Name,
                DeploymentTargets = Copy(set.Targets),
                Regions = set.Regions.ToList(),
                OperationPreferences = Preferences(set.Stack),
                CallAs = calls.CallAs,
            }, cancellationToken).ConfigureAwait(false);
            done.Add(await RunAsync(calls, inspection.Name, $"CREATE instances ({set.AccountIds.Count} account(s) × {set.Regions.Count} region(s))", created.OperationId!, cancellationToken).ConfigureAwait(false));
            kind = kind == StackSyncActionKind.None ? StackSyncActionKind.Updated : kind;
        }

        if (orphans.Count > 0)
        {
            var approved = new List<StackSyncStatus>();
            foreach (var orphan in orphans)
            {
                if (options.Prune && await options.ApprovePruneAsync(orphan).ConfigureAwait(false))
                {
                    approved.Add(orphan);
                }
            }

            if (approved.Count > 0)
            {
                var instances = inspection.Instances.Where(i => approved.Any(a => a.AccountId == i.Account && a.Region == i.Region)).ToList();
                done.Add(await DeleteInstancesAsync(calls, inspection.Name, instances, cancellationToken).ConfigureAwait(false));
                actions.Add(new StackSyncAction(inspection.Name, StackSyncState.Orphaned, StackSyncActionKind.Pruned, Array.Empty<StackResourceChange>(),
                    $"instances removed: {string.Join(", ", approved.Select(a => $"{a.AccountId} {a.Region}"))}"));
            }
            else
            {
                done.Add($"{orphans.Count} orphaned instance(s) left: " + (options.Prune ? "declined" : "-Prune removes them"));
            }
        }

        if (inspection.Statuses.Any(s => s.State == StackSyncState.Drifted))
        {
            done.Add("drift left in place: a stack set's drift is reverted by fixing the resources or redeploying the instances (-SelfHeal does not apply to stack sets)");
        }

        return new StackSyncAction(inspection.Name, before, kind, Array.Empty<StackResourceChange>(), done.Count == 0 ? null : string.Join("; ", done));
    }

    /// <summary>An orphaned stack set of this manifest: with -Prune (approved) its instances are removed, then the set.</summary>
    private async Task<StackSyncAction> PruneStackSetAsync(Inspection inspection, StackSyncOptions options, CancellationToken cancellationToken)
    {
        var status = inspection.Statuses[0];
        if (status.State == StackSyncState.NotOwned)
        {
            return new StackSyncAction(inspection.Name, StackSyncState.NotOwned, options.Prune ? StackSyncActionKind.Skipped : StackSyncActionKind.None, Array.Empty<StackResourceChange>(),
                options.Prune ? "not pruned: " + status.Reason : null);
        }

        if (options.DetectOnly || !options.Prune || !await options.ApprovePruneAsync(status).ConfigureAwait(false))
        {
            return new StackSyncAction(inspection.Name, StackSyncState.Orphaned, StackSyncActionKind.None, Array.Empty<StackResourceChange>(),
                options.DetectOnly ? "detect only" : options.Prune ? "not deleted: declined" : "not deleted: -Prune deletes orphans");
        }

        var calls = Calls(null);
        var done = new List<string>();
        if (inspection.Instances.Count > 0)
        {
            done.Add(await DeleteInstancesAsync(calls, inspection.Name, inspection.Instances, cancellationToken).ConfigureAwait(false));
        }

        await administrator.CloudFormation.DeleteStackSetAsync(new DeleteStackSetRequest { StackSetName = inspection.Name, CallAs = calls.CallAs }, cancellationToken).ConfigureAwait(false);
        done.Add("stack set deleted");
        return new StackSyncAction(inspection.Name, StackSyncState.Orphaned, StackSyncActionKind.Pruned, Array.Empty<StackResourceChange>(), string.Join("; ", done));
    }

    private async Task<string> DeleteInstancesAsync(StackSetCalls calls, string name, IReadOnlyList<StackInstanceSummary> instances, CancellationToken cancellationToken)
    {
        var deleted = await administrator.CloudFormation.DeleteStackInstancesAsync(new DeleteStackInstancesRequest
        {
            StackSetName = name,
            DeploymentTargets = new DeploymentTargets
            {
                OrganizationalUnitIds = instances.Select(i => i.OrganizationalUnitId).OfType<string>().Distinct(StringComparer.Ordinal).ToList(),
                Accounts = instances.Select(i => i.Account).OfType<string>().Distinct(StringComparer.Ordinal).ToList(),
                AccountFilterType = "INTERSECTION",
            },
            Regions = instances.Select(i => i.Region).OfType<string>().Distinct(StringComparer.Ordinal).ToList(),
            RetainStacks = false,
            CallAs = calls.CallAs,
        }, cancellationToken).ConfigureAwait(false);
        return await RunAsync(calls, name, $"DELETE {instances.Count} instance(s)", deleted.OperationId!, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits for the operation; anything but SUCCEEDED fails the stack with how many instances failed.</summary>
    private static async Task<string> RunAsync(StackSetCalls calls, string name, string what, string operationId, CancellationToken cancellationToken)
    {
        var operation = await calls.WaitAsync(name, operationId, cancellationToken).ConfigureAwait(false);
        var detail = $"{what}: operation {operation.OperationId} {operation.Status}, {operation.StatusDetails?.FailedStackInstancesCount ?? 0} instance(s) failed"
            + (operation.StatusReason is { } reason ? $" ({reason})" : string.Empty);
        return operation.Status == "SUCCEEDED" ? detail : throw new StackSetOperationException($"stack set {name}: {detail}");
    }

    private async Task<IReadOnlyList<Inspection>> InspectAsync(DesiredTarget desired, bool detectDrift, CancellationToken cancellationToken)
    {
        var inspections = new List<Inspection>();
        foreach (var set in desired.StackSets)
        {
            inspections.Add(await InspectAsync(set, desired.InstanceFilter, detectDrift, cancellationToken).ConfigureAwait(false));
        }

        if (desired.StackSets.Count > 0 && desired.IncludesStacks)
        {
            inspections.AddRange(await OrphansAsync(desired, cancellationToken).ConfigureAwait(false));
        }

        return inspections;
    }

    private async Task<Inspection> InspectAsync(DesiredStackSet set, Func<string, string, bool> admits, bool detectDrift, CancellationToken cancellationToken)
    {
        var stack = set.Stack;
        var calls = Calls(set.ManagementAccountId);
        var existing = await calls.DescribeAsync(stack.Name, cancellationToken).ConfigureAwait(false);
        StackSyncStatus Row(string accountId, string region, StackSyncState state, string? instanceStatus, IReadOnlyList<string>? differences = null) =>
            new(accountId, region, stack.Name, state, instanceStatus, stack.Layer, existing is null ? null : Tag(existing, PatternTags.Commit), revision.Commit,
                differences ?? Array.Empty<string>(), Array.Empty<DriftedResource>(), null) { StackSetName = stack.Name };

        if (existing is null)
        {
            var missing = new Inspection(stack.Name, set, null, Array.Empty<StackInstanceSummary>(), Array.Empty<string>(), null);
            missing.Statuses.AddRange(Expected(set, admits).Select(t => Row(t.Account, t.Region, StackSyncState.Missing, null)));
            return missing;
        }

        if (revision.Owner.WhyNotOwned(AsStack(existing), declared: true) is { } notOwned)
        {
            var other = new Inspection(stack.Name, set, existing, Array.Empty<StackInstanceSummary>(), Array.Empty<string>(), notOwned);
            other.Statuses.Add(new StackSyncStatus(administrator.AccountId, administrator.Region, stack.Name, StackSyncState.NotOwned, existing.Status, stack.Layer, null, revision.Commit,
                Array.Empty<string>(), Array.Empty<DriftedResource>(), null) { Reason = notOwned, StackSetName = stack.Name });
            return other;
        }

        var differences = Differences(set, existing);
        if (detectDrift && DetectDrift)
        {
            await DetectDriftAsync(calls, stack.Name, cancellationToken).ConfigureAwait(false);
        }

        var instances = await calls.InstancesAsync(stack.Name, cancellationToken).ConfigureAwait(false);
        var inspection = new Inspection(stack.Name, set, existing, instances, differences, null);
        var expected = Expected(set, admits).ToList();
        var byTarget = instances.Where(i => i.Account is not null && i.Region is not null).ToDictionary(i => (i.Account!, i.Region!));
        foreach (var (account, region) in expected)
        {
            inspection.Statuses.Add(byTarget.TryGetValue((account, region), out var instance)
                ? InstanceRow(instance, differences, Row)
                : Row(account, region, StackSyncState.Missing, null));
        }

        var expectedSet = new HashSet<(string, string)>(expected);
        foreach (var instance in instances.Where(i => !expectedSet.Contains((i.Account!, i.Region!)) && admits(i.Account!, i.Region!) && !(set.AccountIds.Contains(i.Account!) && set.Regions.Contains(i.Region!))))
        {
            inspection.Statuses.Add(Row(instance.Account!, instance.Region!, StackSyncState.Orphaned, instance.Status, new[] { "the manifest's targets no longer reach this account and region" }));
        }

        return inspection;
    }

    private static StackSyncStatus InstanceRow(StackInstanceSummary instance, IReadOnlyList<string> differences, Func<string, string, StackSyncState, string?, IReadOnlyList<string>?, StackSyncStatus> row)
    {
        var detailed = instance.StackInstanceStatus?.DetailedStatus;
        var why = $"instance {instance.Status}/{detailed}" + (instance.StatusReason is { Length: > 0 } reason ? $": {reason}" : string.Empty);
        if (instance.Status == "INOPERABLE" || detailed is "FAILED" or "CANCELLED")
        {
            return row(instance.Account!, instance.Region!, StackSyncState.Failed, instance.Status, new[] { why });
        }

        if (differences.Count > 0 || instance.Status == "OUTDATED")
        {
            return row(instance.Account!, instance.Region!, StackSyncState.OutOfSync, instance.Status, instance.Status == "OUTDATED" ? differences.Append(why).ToList() : differences);
        }

        return instance.DriftStatus == "DRIFTED"
            ? row(instance.Account!, instance.Region!, StackSyncState.Drifted, instance.Status, new[] { DriftNote })
            : row(instance.Account!, instance.Region!, StackSyncState.Synced, instance.Status, null);
    }

    /// <summary>This manifest's stack sets in the administrator's region that it no longer declares (and, to say they were left, ones that only share its path).</summary>
    private async Task<IReadOnlyList<Inspection>> OrphansAsync(DesiredTarget desired, CancellationToken cancellationToken)
    {
        var calls = Calls(desired.StackSets[0].ManagementAccountId);
        var orphans = new List<Inspection>();
        var summaries = new List<StackSetSummary>();
        await foreach (var summary in administrator.CloudFormation.ListAllStackSetsAsync(calls.CallAs, cancellationToken).ConfigureAwait(false))
        {
            summaries.Add(summary);
        }

        foreach (var summary in summaries.Where(s => s.StackSetName is { } name && !desired.ManifestStackNames.Contains(name)).OrderBy(s => s.StackSetName, StringComparer.Ordinal))
        {
            var existing = await calls.DescribeAsync(summary.StackSetName!, cancellationToken).ConfigureAwait(false);
            var asStack = existing is null ? null : AsStack(existing);
            if (asStack is null || asStack.Pattern != StackReconciler.PatternName
                || (Tag(existing!, PatternTags.Manifest) != revision.ManifestPath && (revision.Owner.Id is null || Tag(existing!, ManifestOwner.IdTag) != revision.Owner.Id)))
            {
                continue;
            }

            var notOwned = revision.Owner.WhyNotOwned(asStack, declared: false);
            var instances = notOwned is null ? await calls.InstancesAsync(existing!.StackSetName!, cancellationToken).ConfigureAwait(false) : Array.Empty<StackInstanceSummary>();
            var orphan = new Inspection(existing!.StackSetName!, null, existing, instances, Array.Empty<string>(), notOwned);
            orphan.Statuses.Add(new StackSyncStatus(administrator.AccountId, administrator.Region, orphan.Name, notOwned is null ? StackSyncState.Orphaned : StackSyncState.NotOwned, existing.Status, null,
                Tag(existing, PatternTags.Commit), revision.Commit, new[] { $"stack set with {instances.Count} instance(s), no longer declared" }, Array.Empty<DriftedResource>(), null)
            {
                Reason = notOwned,
                StackSetName = orphan.Name,
            });
            orphans.Add(orphan);
        }

        return orphans;
    }

    /// <summary>Runs DetectStackSetDrift and waits for it; skipped while another operation of the set runs.</summary>
    private async Task DetectDriftAsync(StackSetCalls calls, string name, CancellationToken cancellationToken)
    {
        try
        {
            var detection = await administrator.CloudFormation.DetectStackSetDriftAsync(new DetectStackSetDriftRequest { StackSetName = name, CallAs = calls.CallAs }, cancellationToken).ConfigureAwait(false);
            await calls.WaitAsync(name, detection.OperationId!, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonServiceException error) when (error.ErrorCode is "OperationInProgressException" or "StaleRequestException")
        {
        }
    }

    /// <summary>Template text, the parameters the manifest gives, and auto-deployment, against the stack set's.</summary>
    private static IReadOnlyList<string> Differences(DesiredStackSet set, StackSet existing)
    {
        var deployed = existing.Parameters.Where(p => p.ParameterKey is not null).ToDictionary(p => p.ParameterKey!, p => p.ParameterValue ?? string.Empty, StringComparer.Ordinal);
        var differences = StackReconciler.Differences(set.Stack.TemplateBody, existing.TemplateBody ?? string.Empty, set.Stack.ParametersFor(null), deployed).ToList();
        var options = set.Stack.StackSet!;
        if ((existing.AutoDeployment?.Enabled ?? false) != options.AutoDeployment || (existing.AutoDeployment?.RetainStacksOnAccountRemoval ?? false) != (options.AutoDeployment && options.RetainStacksOnAccountRemoval))
        {
            differences.Add($"autoDeployment: enabled {existing.AutoDeployment?.Enabled ?? false}, retain {existing.AutoDeployment?.RetainStacksOnAccountRemoval ?? false} -> enabled {options.AutoDeployment}, retain {options.RetainStacksOnAccountRemoval}");
        }

        return differences;
    }

    private static IEnumerable<(string Account, string Region)> Expected(DesiredStackSet set, Func<string, string, bool> admits) =>
        set.Regions.SelectMany(region => set.AccountIds.Select(account => (account, region))).Where(t => admits(t.account, t.region));

    private StackSetCalls Calls(string? managementAccountId) => new(administrator, administrator.AccountId, managementAccountId ?? administrator.AccountId);

    private static PatternStack AsStack(StackSet set) => new(string.Empty, string.Empty, new Stack { StackName = set.StackSetName, Tags = set.Tags });

    private static string? Tag(StackSet set, string key) => set.Tags.LastOrDefault(t => t.Key == key)?.Value;

    private static StackSyncState Summary(Inspection inspection) =>
        inspection.Statuses.Select(s => s.State).DefaultIfEmpty(StackSyncState.Synced).OrderBy(Severity).Last();

    private static int Severity(StackSyncState state) => state switch
    {
        StackSyncState.Synced => 0,
        StackSyncState.Drifted => 1,
        StackSyncState.Orphaned => 2,
        StackSyncState.OutOfSync => 3,
        StackSyncState.Missing => 4,
        StackSyncState.Failed => 5,
        _ => 6,
    };

    private static bool Selected(IReadOnlyCollection<string>? only, string name) => only is null || only.Contains(name);

    private static List<Parameter> Parameters(ManifestStack stack) =>
        stack.ParametersFor(null).Select(p => new Parameter { ParameterKey = p.Key, ParameterValue = p.Value }).ToList();

    private static List<Tag> Tags(StackDeploymentRequest request, string name) =>
        request.Tags.Where(t => t.Key != PatternTags.StackSet).Select(t => new Tag { Key = t.Key, Value = t.Value }).Append(new Tag { Key = PatternTags.StackSet, Value = name }).ToList();

    private static AutoDeployment AutoDeployment(ManifestStack stack) =>
        new() { Enabled = stack.StackSet!.AutoDeployment, RetainStacksOnAccountRemoval = stack.StackSet.AutoDeployment && stack.StackSet.RetainStacksOnAccountRemoval };

    private static StackSetOperationPreferences? Preferences(ManifestStack stack)
    {
        var options = stack.StackSet!;
        var preferences = new StackSetOperationPreferences
        {
            RegionConcurrencyType = options.RegionConcurrencyType,
            MaxConcurrentCount = options.MaxConcurrentCount,
            MaxConcurrentPercentage = options.MaxConcurrentPercentage,
            FailureToleranceCount = options.FailureToleranceCount,
            FailureTolerancePercentage = options.FailureTolerancePercentage,
            ConcurrencyMode = options.ConcurrencyMode,
        };
        return preferences.RegionConcurrencyType is null && preferences.MaxConcurrentCount is null && preferences.MaxConcurrentPercentage is null
            && preferences.FailureToleranceCount is null && preferences.FailureTolerancePercentage is null && preferences.ConcurrencyMode is null
            ? null
            : preferences;
    }

    private static DeploymentTargets Copy(DeploymentTargets targets) => new()
    {
        Accounts = targets.Accounts?.ToList(),
        OrganizationalUnitIds = targets.OrganizationalUnitIds?.ToList(),
        AccountFilterType = targets.AccountFilterType,
    };
}
