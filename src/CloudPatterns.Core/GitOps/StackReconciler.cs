using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Core.Deployment;
using CloudPatterns.Core.Stacks;

namespace CloudPatterns.Core.GitOps;

/// <summary>Where the desired state comes from: the commit, the manifest (its owner identity) and who syncs.</summary>
public sealed class GitOpsRevision
{
    public GitOpsRevision(string commit, ManifestOwner owner, string deployedBy)
    {
        Commit = commit;
        Owner = owner;
        DeployedBy = deployedBy;
    }

    public string Commit { get; }

    /// <summary>Relative to the repository root, forward slashes: the cloudpatterns:manifest tag.</summary>
    public string ManifestPath => Owner.ManifestPath;

    /// <summary>The manifest id and repository: only stacks tagged with them are changed or pruned.</summary>
    public ManifestOwner Owner { get; }

    public string DeployedBy { get; }
}

/// <summary>What Sync-StackManifest may do in a target.</summary>
public sealed class StackSyncOptions
{
    /// <summary>Report only: no call that changes anything.</summary>
    public bool DetectOnly { get; set; }

    /// <summary>Revert drift (drift-aware change sets, DeploymentMode REVERT_DRIFT).</summary>
    public bool SelfHeal { get; set; }

    /// <summary>Delete orphans that <see cref="ApprovePruneAsync"/> approves.</summary>
    public bool Prune { get; set; }

    /// <summary>Only these stacks (declared or orphaned); null = all.</summary>
    public IReadOnlyCollection<string>? Stacks { get; set; }

    /// <summary>Asked once per orphan before it is deleted (the cmdlet's confirmation).</summary>
    public Func<StackSyncStatus, Task<bool>> ApprovePruneAsync { get; set; } = _ => Task.FromResult(true);
}

/// <summary>
/// Reconciles one account × region toward the manifest: reads how each stack compares (template, parameters,
/// drift, orphans) with read-only calls, and applies the differences through change sets, in the manifest's order.
/// </summary>
public sealed class StackReconciler
{
    public const string PatternName = "GitOps";
    private const string TokenPrefix = "gitops-";

    private readonly AwsTarget target;
    private readonly StackDeployment deployment;
    private readonly GitOpsRevision revision;

    public StackReconciler(AwsTarget target, GitOpsRevision revision)
    {
        this.target = target;
        this.revision = revision;
        deployment = new StackDeployment(target);
    }

    /// <summary>
    /// Every declared stack and every orphan of this manifest in the target, in deployment order, orphans last.
    /// Read-only, unless <paramref name="includeChangeSets"/>: then Missing and OutOfSync stacks get the change set a
    /// sync would run (for an existing stack one is created, described and deleted; the stack is not changed).
    /// </summary>
    public async Task<IReadOnlyList<StackSyncStatus>> GetStatusAsync(DesiredTarget desired, CancellationToken cancellationToken, bool includeChangeSets = false) =>
        (await GetAllStatusAsync(desired, includeChangeSets, cancellationToken).ConfigureAwait(false)).Where(s => !IsUndeclaredNotOwned(s)).ToList();

    /// <summary>A stack that only shares this manifest's path (another repository's): shown only when -Prune says it left it.</summary>
    private static bool IsUndeclaredNotOwned(StackSyncStatus status) => status.State == StackSyncState.NotOwned && status.Layer is null;

    private async Task<IReadOnlyList<StackSyncStatus>> GetAllStatusAsync(DesiredTarget desired, bool includeChangeSets, CancellationToken cancellationToken)
    {
        var statuses = desired.IncludesStacks ? await GetStackStatusAsync(desired, includeChangeSets, cancellationToken).ConfigureAwait(false) : new List<StackSyncStatus>();
        if (desired.StackSets.Count > 0)
        {
            statuses.AddRange(await StackSets().GetStatusAsync(desired, cancellationToken).ConfigureAwait(false));
        }

        return statuses;
    }

    /// <summary>
    /// Whether reading a stack set's status runs DetectStackSetDrift first (a stack set operation: AWS counts it as a
    /// change, so a -WhatIf preview turns it off and reports the drift found last).
    /// </summary>
    public bool DetectStackSetDrift { get; set; } = true;

    /// <summary>The stacks of <c>deployment: stackset</c> administered from this target.</summary>
    private StackSetReconciler StackSets() => new(target, revision, stack => Request(stack, revertDrift: false)) { DetectDrift = DetectStackSetDrift };

    /// <summary>
    /// What a sync would do to the stack sets administered from this target (-WhatIf): one sentence per stack set
    /// operation (create, update, deploy missing instances); nothing for a target without stack sets.
    /// </summary>
    public async Task<IReadOnlyList<string>> PreviewStackSetsAsync(DesiredTarget desired, IReadOnlyCollection<string>? only, CancellationToken cancellationToken) =>
        desired.StackSets.Count == 0 ? Array.Empty<string>() : await StackSets().PreviewAsync(desired, only, cancellationToken).ConfigureAwait(false);

    private async Task<List<StackSyncStatus>> GetStackStatusAsync(DesiredTarget desired, bool includeChangeSets, CancellationToken cancellationToken)
    {
        var deployed = await ListStacksAsync(cancellationToken).ConfigureAwait(false);
        var statuses = new List<StackSyncStatus>();
        foreach (var stack in desired.Stacks)
        {
            deployed.TryGetValue(stack.Stack.Name, out var current);
            if (current is not null && revision.Owner.WhyNotOwned(current, declared: true) is { } notOwned)
            {
                statuses.Add(new StackSyncStatus(target.AccountId, target.Region, current.StackName, StackSyncState.NotOwned, current.Status, stack.Stack.Layer, current.Commit, revision.Commit,
                    Array.Empty<string>(), Array.Empty<DriftedResource>(), stack.Environment) { Reason = notOwned });
                continue;
            }

            var status = await CompareAsync(stack, current, cancellationToken).ConfigureAwait(false);
            if (includeChangeSets && status.State is StackSyncState.Missing or StackSyncState.OutOfSync)
            {
                status.Changes = (await deployment.PreviewAsync(Request(stack, revertDrift: false), StackDeploymentMode.CreateOrUpdate, cancellationToken).ConfigureAwait(false)).Changes;
            }

            statuses.Add(status);
        }

        var declared = new HashSet<string>(desired.Stacks.Select(s => s.Stack.Name), StringComparer.Ordinal);
        foreach (var other in deployed.Values.Where(s => !declared.Contains(s.StackName) && MayBeOurs(s)).OrderBy(s => s.StackName, StringComparer.Ordinal))
        {
            // Only a stack proven ours is an orphan; one that merely shares the manifest path is reported, never pruned.
            var notOwned = revision.Owner.WhyNotOwned(other, declared: false);
            statuses.Add(new StackSyncStatus(target.AccountId, target.Region, other.StackName, notOwned is null ? StackSyncState.Orphaned : StackSyncState.NotOwned, other.Status, null,
                other.Commit, revision.Commit, Array.Empty<string>(), Array.Empty<DriftedResource>(), null) { Reason = notOwned });
        }

        return statuses;
    }

    /// <summary>The change sets a sync would execute (-WhatIf): for stacks that are missing, out of sync, or drifted with self-heal.</summary>
    public async Task<IReadOnlyList<StackChangePreview>> PreviewAsync(DesiredTarget desired, IReadOnlyList<StackSyncStatus> statuses, bool selfHeal, IReadOnlyCollection<string>? only, CancellationToken cancellationToken)
    {
        var previews = new List<StackChangePreview>();
        foreach (var stack in desired.Stacks.Where(s => only is null || only.Contains(s.Stack.Name)))
        {
            var status = statuses.First(s => s.StackName == stack.Stack.Name);
            if (NeedsDeployment(status, selfHeal))
            {
                previews.Add(await deployment.PreviewAsync(Request(stack, revertDrift: selfHeal && status.IsDrifted), StackDeploymentMode.CreateOrUpdate, cancellationToken).ConfigureAwait(false));
            }
        }

        return previews;
    }

    /// <summary>
    /// Applies the manifest to the target: creates and updates through change sets in deployment order, reverts
    /// drift with <see cref="StackSyncOptions.SelfHeal"/>, deletes approved orphans with <see cref="StackSyncOptions.Prune"/>.
    /// The first failing stack stops the target: the result says so, and later stacks are Skipped.
    /// </summary>
    public async Task<StackSyncResult> SyncAsync(DesiredTarget desired, StackSyncOptions options, IProgress<StackProgress>? progress, CancellationToken cancellationToken)
    {
        if (!options.DetectOnly && revision.Owner.Id is null)
        {
            throw new InvalidOperationException("A manifest without an id changes nothing: ManifestCheckout.WriteNewId, then commit it.");
        }

        var statuses = desired.IncludesStacks ? await GetStackStatusAsync(desired, includeChangeSets: false, cancellationToken).ConfigureAwait(false) : new List<StackSyncStatus>();
        var actions = new List<StackSyncAction>();
        Exception? failure = null;
        foreach (var stack in desired.Stacks.Where(s => Selected(options, s.Stack.Name)))
        {
            var status = statuses.First(s => s.StackName == stack.Stack.Name);
            if (failure is not null)
            {
                actions.Add(new StackSyncAction(status.StackName, status.State, StackSyncActionKind.Skipped, Array.Empty<StackResourceChange>(), "an earlier stack of this target failed"));
                continue;
            }

            if (status.State == StackSyncState.NotOwned && !options.DetectOnly)
            {
                failure = new StackNotOwnedException(target.AccountId, target.Region, status.StackName, status.Reason!);
                actions.Add(new StackSyncAction(status.StackName, status.State, StackSyncActionKind.Failed, Array.Empty<StackResourceChange>(), failure.Message));
                continue;
            }

            if (options.DetectOnly || !NeedsDeployment(status, options.SelfHeal))
            {
                actions.Add(new StackSyncAction(status.StackName, status.State, StackSyncActionKind.None, Array.Empty<StackResourceChange>(), WhyNothing(status, options)));
                continue;
            }

            try
            {
                var recreated = status.State == StackSyncState.Failed ? await RemoveFailedCreateAsync(status, progress, cancellationToken).ConfigureAwait(false) : null;
                var revert = options.SelfHeal && status.IsDrifted;
                var result = await deployment.DeployAsync(Request(stack, revert), StackDeploymentMode.CreateOrUpdate, progress, cancellationToken).ConfigureAwait(false);
                var kind = status.State is StackSyncState.Missing or StackSyncState.Failed ? StackSyncActionKind.Created
                    : status.State == StackSyncState.Drifted ? StackSyncActionKind.Healed
                    : StackSyncActionKind.Updated;
                actions.Add(new StackSyncAction(status.StackName, status.State, kind, result.Changes, recreated));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failure = ex;
                actions.Add(new StackSyncAction(status.StackName, status.State, StackSyncActionKind.Failed, Array.Empty<StackResourceChange>(), ex.Message));
            }
        }

        foreach (var orphan in statuses.Where(s => s.State == StackSyncState.Orphaned && Selected(options, s.StackName)))
        {
            if (failure is null && options.Prune && !options.DetectOnly && await options.ApprovePruneAsync(orphan).ConfigureAwait(false))
            {
                try
                {
                    await deployment.DeleteAsync(orphan.StackName, progress, cancellationToken).ConfigureAwait(false);
                    actions.Add(new StackSyncAction(orphan.StackName, orphan.State, StackSyncActionKind.Pruned, Array.Empty<StackResourceChange>(), null));
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    failure = ex;
                    actions.Add(new StackSyncAction(orphan.StackName, orphan.State, StackSyncActionKind.Failed, Array.Empty<StackResourceChange>(), ex.Message));
                }
            }
            else
            {
                actions.Add(new StackSyncAction(orphan.StackName, orphan.State, StackSyncActionKind.None, Array.Empty<StackResourceChange>(), WhyNothing(orphan, options)));
            }
        }

        foreach (var other in statuses.Where(s => options.Prune && IsUndeclaredNotOwned(s) && Selected(options, s.StackName)))
        {
            // Shares this manifest's path but is not proven ours: -Prune says it left it, and why.
            actions.Add(new StackSyncAction(other.StackName, other.State, StackSyncActionKind.Skipped, Array.Empty<StackResourceChange>(), "not pruned: " + other.Reason));
        }

        if (desired.StackSets.Count > 0 && failure is null)
        {
            var stackSets = await StackSets().SyncAsync(desired, options, cancellationToken).ConfigureAwait(false);
            actions.AddRange(stackSets.Actions);
            failure = stackSets.Failure;
        }
        else
        {
            actions.AddRange(desired.StackSets.Where(set => Selected(options, set.Stack.Name)).Select(set =>
                new StackSyncAction(set.Stack.Name, StackSyncState.Missing, StackSyncActionKind.Skipped, Array.Empty<StackResourceChange>(), "an earlier stack of this target failed")));
        }

        return new StackSyncResult(target.AccountId, target.Region, revision.Commit, revision.ManifestPath, options.DetectOnly, actions, failure);
    }

    /// <summary>
    /// The operations of the GitOps stacks in this target (of one manifest, the stacks it owns, when <paramref name="owner"/> is
    /// given), newest first: each create, update or delete, and the commit it deployed (from the operation's client
    /// request token; for the latest operation also from the stack's commit tag).
    /// </summary>
    public static async Task<IReadOnlyList<StackSyncHistoryEntry>> GetHistoryAsync(AwsTarget target, ManifestOwner? owner, IReadOnlyCollection<string>? stackNames, Func<string, string?> authorOf, CancellationToken cancellationToken)
    {
        var entries = new List<StackSyncHistoryEntry>();
        await foreach (var raw in target.CloudFormation.DescribeAllStacksAsync(cancellationToken).ConfigureAwait(false))
        {
            var stack = new PatternStack(target.AccountId, target.Region, raw);
            if (!IsGitOps(stack) || (owner is not null && owner.WhyNotOwned(stack, declared: true) is not null)
                || (stackNames is { Count: > 0 } && !stackNames.Contains(stack.StackName, StringComparer.OrdinalIgnoreCase)))
            {
                continue;
            }

            var latest = true;
            await foreach (var stackEvent in target.CloudFormation.DescribeAllStackEventsAsync(stack.StackId, cancellationToken).ConfigureAwait(false))
            {
                if (stackEvent.ResourceType != "AWS::CloudFormation::Stack" || stackEvent.ResourceStatus is not { } status || !StackDeployment.IsTerminal(status) || status == "REVIEW_IN_PROGRESS")
                {
                    continue;
                }

                var commit = CommitOfToken(stackEvent.ClientRequestToken) ?? (latest ? stack.Commit : null);
                entries.Add(new StackSyncHistoryEntry(target.AccountId, target.Region, stack.StackName,
                    stackEvent.Timestamp is { } time ? new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)) : null,
                    status, commit, Tag(stack, PatternTags.Manifest), latest ? Tag(stack, PatternTags.DeployedBy) : null, commit is null ? null : authorOf(commit)));
                latest = false;
            }
        }

        return entries;
    }

    /// <summary>The token of an operation deployed from <paramref name="commit"/>: the commit, then a time that keeps tokens unique.</summary>
    internal static string TokenFor(string commit, DateTime now) =>
        TokenPrefix + commit + "-" + now.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);

    internal static string? CommitOfToken(string? token)
    {
        if (token is null || !token.StartsWith(TokenPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = token.Substring(TokenPrefix.Length);
        var end = rest.IndexOf('-');
        return end == 40 ? rest.Substring(0, end) : null;
    }

    private static bool Selected(StackSyncOptions options, string stackName) => options.Stacks is null || options.Stacks.Contains(stackName);

    private static bool NeedsDeployment(StackSyncStatus status, bool selfHeal) => status.State switch
    {
        StackSyncState.Missing or StackSyncState.OutOfSync or StackSyncState.Failed => true,
        StackSyncState.Drifted => selfHeal,
        _ => false,
    };

    private static string? WhyNothing(StackSyncStatus status, StackSyncOptions options) => status.State switch
    {
        StackSyncState.Synced => null,
        _ when options.DetectOnly => "detect only",
        StackSyncState.Drifted => "drift left in place: -SelfHeal reverts it",
        StackSyncState.Orphaned when !options.Prune => "not deleted: -Prune deletes orphans",
        StackSyncState.Orphaned => "not deleted: declined",
        _ => null,
    };

    private StackDeploymentRequest Request(DesiredStack desired, bool revertDrift)
    {
        var stack = desired.Stack;
        var request = new StackDeploymentRequest(stack.Name, stack.TemplateBody)
        {
            RevertDrift = revertDrift,
            ClientRequestToken = TokenFor(revision.Commit, DateTime.UtcNow),
        };
        foreach (var parameter in stack.ParametersFor(desired.Environment))
        {
            request.Parameters[parameter.Key] = parameter.Value;
        }

        foreach (var tag in stack.Tags)
        {
            request.Tags[tag.Key] = tag.Value;
        }

        request.Tags[PatternTags.Pattern] = PatternName;
        request.Tags[PatternTags.Commit] = revision.Commit;
        request.Tags[PatternTags.Manifest] = revision.ManifestPath;
        request.Tags[PatternTags.DeployedBy] = revision.DeployedBy;
        if (revision.Owner.Id is not null)
        {
            request.Tags[ManifestOwner.IdTag] = revision.Owner.Id;
        }

        if (revision.Owner.Repository is not null)
        {
            request.Tags[ManifestOwner.RepositoryTag] = revision.Owner.Repository;
        }

        foreach (var capability in stack.Capabilities)
        {
            request.Capabilities.Add(capability);
        }

        request.ServiceRoleArn = stack.ServiceRoleName is { } role ? $"arn:aws:iam::{target.AccountId}:role/{role}" : null;
        return request;
    }

    private async Task<StackSyncStatus> CompareAsync(DesiredStack desired, PatternStack? current, CancellationToken cancellationToken)
    {
        var stack = desired.Stack;
        StackSyncStatus Status(StackSyncState state, IReadOnlyList<string>? differences = null, IReadOnlyList<DriftedResource>? drifts = null) =>
            new(target.AccountId, target.Region, stack.Name, state, current?.Status, stack.Layer, current?.Commit, revision.Commit,
                differences ?? Array.Empty<string>(), drifts ?? Array.Empty<DriftedResource>(), desired.Environment);

        if (current is null)
        {
            return Status(StackSyncState.Missing);
        }

        if (StackDeployment.IsFailure(current.Status) && current.Status != "UPDATE_ROLLBACK_COMPLETE")
        {
            return Status(StackSyncState.Failed, new[] { $"stack status {current.Status}" + (current.StatusReason is null ? string.Empty : $": {current.StatusReason}") });
        }

        var deployedTemplate = await deployment.GetTemplateBodyAsync(current.StackName, cancellationToken).ConfigureAwait(false);
        var differences = Differences(stack.TemplateBody, deployedTemplate, TemplateDocument.Parse(stack.TemplateBody).ParameterValues(stack.ParametersFor(desired.Environment)), current.Parameters);
        if (current.Status == "UPDATE_ROLLBACK_COMPLETE")
        {
            // The last update rolled back: the stack runs the previous state, whatever its template now says.
            differences = differences.Concat(new[] { "the last update rolled back (UPDATE_ROLLBACK_COMPLETE)" }).ToList();
        }

        var drifts = StackDeployment.IsTerminal(current.Status)
            ? await deployment.DetectDriftAsync(current.StackName, cancellationToken).ConfigureAwait(false)
            : Array.Empty<DriftedResource>();
        return Status(differences.Count > 0 ? StackSyncState.OutOfSync : drifts.Count > 0 ? StackSyncState.Drifted : StackSyncState.Synced, differences, drifts);
    }

    /// <summary>
    /// What differs between the declared and the deployed stack: the template text (line endings and trailing
    /// whitespace aside) and each parameter value, defaults included. NoEcho values come back masked and are not compared.
    /// </summary>
    internal static IReadOnlyList<string> Differences(string desiredTemplate, string deployedTemplate, IReadOnlyDictionary<string, string> desiredParameters, IReadOnlyDictionary<string, string> deployedParameters)
    {
        var differences = new List<string>();
        if (Normalize(desiredTemplate) != Normalize(deployedTemplate))
        {
            differences.Add("template changed");
        }

        foreach (var parameter in desiredParameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            deployedParameters.TryGetValue(parameter.Key, out var deployed);
            if (deployed != parameter.Value && deployed != "****")
            {
                differences.Add($"parameter {parameter.Key}: '{deployed ?? "(not set)"}' -> '{parameter.Value}'");
            }
        }

        return differences;
    }

    private static string Normalize(string template) =>
        string.Join("\n", template.Replace("\r\n", "\n").Split('\n').Select(line => line.TrimEnd())).Trim();

    /// <summary>
    /// A GitOps stack tagged with this manifest's id or path: either an orphan of ours or one to say we left alone.
    /// A stack set instance's stack is its stack set's (pruned through StackSets only).
    /// </summary>
    private bool MayBeOurs(PatternStack stack) =>
        IsGitOps(stack) && !stack.Tags.ContainsKey(PatternTags.StackSet) && (Tag(stack, PatternTags.Manifest) == revision.ManifestPath || (revision.Owner.Id is not null && Tag(stack, ManifestOwner.IdTag) == revision.Owner.Id));

    /// <summary>
    /// A declared stack of ours whose create failed (ROLLBACK_COMPLETE holds no resources and cannot be updated) is
    /// deleted so the sync creates it again; returns what the action says. Other failed states need a person.
    /// </summary>
    private async Task<string> RemoveFailedCreateAsync(StackSyncStatus status, IProgress<StackProgress>? progress, CancellationToken cancellationToken)
    {
        var was = status.Differences.Count > 0 ? status.Differences[0] : $"stack status {status.StackStatus}";
        if (status.StackStatus != "ROLLBACK_COMPLETE")
        {
            throw new StackOperationException(
                $"Stack '{status.StackName}' in account {target.AccountId} region {target.Region} is in {status.StackStatus}, which CloudFormation cannot update and a sync does not delete (resources may remain): "
                + "look at its events in CloudFormation, delete it (Remove-PatternStack) and sync again.",
                status.StackName);
        }

        await deployment.DeleteAsync(status.StackName, progress, cancellationToken).ConfigureAwait(false);
        return $"{was}: the failed create was deleted and the stack created again";
    }

    private static bool IsGitOps(PatternStack stack) => stack.Pattern == PatternName;

    private static string? Tag(PatternStack stack, string key) => stack.Tags.TryGetValue(key, out var value) ? value : null;

    private async Task<Dictionary<string, PatternStack>> ListStacksAsync(CancellationToken cancellationToken)
    {
        var stacks = new Dictionary<string, PatternStack>(StringComparer.Ordinal);
        await foreach (var stack in target.CloudFormation.DescribeAllStacksAsync(cancellationToken).ConfigureAwait(false))
        {
            if (stack.StackStatus is not ("REVIEW_IN_PROGRESS" or "DELETE_COMPLETE") && stack.StackName is not null)
            {
                stacks[stack.StackName] = new PatternStack(target.AccountId, target.Region, stack);
            }
        }

        return stacks;
    }
}
