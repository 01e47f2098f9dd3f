using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Core.GitOps;
using CloudPatterns.Core.GitOps.Reconciler;
using CloudPatterns.PowerShell.Completion;
using CloudPatterns.PowerShell.Infrastructure;

namespace CloudPatterns.PowerShell.Cmdlets;

/// <summary>Get-StackSyncStatus: each declared stack (and each orphan) per account × region against the manifest.</summary>
[Cmdlet(VerbsCommon.Get, "StackSyncStatus")]
[OutputType(typeof(StackSyncStatus))]
public sealed class GetStackSyncStatusCommand : FanOutCmdlet
{
    private readonly GitOpsManifest _manifest = new();

    /// <summary>The manifest file in a git working tree.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = GitOpsManifest.DefaultFileName;

    /// <summary>Only these stacks (wildcards allowed).</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? StackName { get; set; }

    /// <summary>Adds the change set a sync would run to Missing and OutOfSync stacks (created, described and deleted).</summary>
    [Parameter]
    public SwitchParameter IncludeChangeSet { get; set; }

    protected override void BeginProcessing()
    {
        // Reading changes nothing, so a dirty tree is shown against HEAD with a warning instead of refused.
        _manifest.Open(this, Path, allowDirty: true);
        base.BeginProcessing();
    }

    protected override Task<IReadOnlyList<FanOutTarget>> ResolveTargetsAsync(AwsSession session, CancellationToken cancellation) =>
        _manifest.ResolveTargetsAsync(session, RequestedAccountIds, RequestedRegions, cancellation);

    protected override void EndProcessing() => _manifest.Run(this, base.EndProcessing);

    protected override async IAsyncEnumerable<object> RunTargetAsync(AwsSession session, FanOutTarget target, IReadOnlyList<PlannedStep> steps, [EnumeratorCancellation] CancellationToken cancellation)
    {
        var names = StackName?.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToArray();
        var reconciler = new StackReconciler(await session.GetTargetAsync(target, cancellation).ConfigureAwait(false), _manifest.Checkout.RevisionFor(session));
        foreach (var status in await reconciler.GetStatusAsync(_manifest.DesiredFor(target), cancellation, IncludeChangeSet).ConfigureAwait(false))
        {
            if (names is null || names.Any(n => n.IsMatch(status.StackName)))
            {
                yield return status;
            }
        }
    }
}

/// <summary>
/// Sync-StackManifest: reconciles every target of the manifest toward the commit checked out, through change sets;
/// one result per account × region.
/// </summary>
[Cmdlet(VerbsData.Sync, "StackManifest", SupportsShouldProcess = true, DefaultParameterSetName = ManifestParameterSet)]
[OutputType(typeof(StackSyncResult))]
public sealed class SyncStackManifestCommand : FanOutCmdlet
{
    private const string ManifestParameterSet = "Manifest";
    private const string StackParameterSet = "Stack";
    private readonly GitOpsManifest _manifest = new();
    private readonly HashSet<string> _stackNames = new(StringComparer.Ordinal);

    /// <summary>Only these stacks of the manifest (from the pipeline: Get-StackSyncStatus | Where-Object ... | Sync-StackManifest).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = StackParameterSet)]
    [ArgumentCompleter(typeof(StackNameCompleter))]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.StackName))]
    public string StackName { get; set; } = string.Empty;

    /// <summary>The manifest file in a git working tree.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = GitOpsManifest.DefaultFileName;

    /// <summary>Reports what is out of sync, drifted, missing or orphaned and changes nothing.</summary>
    [Parameter]
    public SwitchParameter DetectOnly { get; set; }

    /// <summary>Reverts drift: drifted stacks are updated with drift-aware change sets.</summary>
    [Parameter]
    public SwitchParameter SelfHeal { get; set; }

    /// <summary>Deletes orphans: stacks tagged with this manifest that it no longer declares there (asks first).</summary>
    [Parameter]
    public SwitchParameter Prune { get; set; }

    /// <summary>Prunes without asking (-WhatIf still only shows).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Syncs from a working tree with uncommitted changes (the commit tag ends in -dirty).</summary>
    [Parameter]
    public SwitchParameter AllowDirty { get; set; }

    protected override void BeginProcessing()
    {
        _manifest.Open(this, Path, AllowDirty || DetectOnly);
        if (!DetectOnly)
        {
            _manifest.RequireId(this, WhatIfInEffect);
        }

        base.BeginProcessing();
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == StackParameterSet)
        {
            _stackNames.Add(StackName);
        }

        base.ProcessRecord();
    }

    protected override Task<IReadOnlyList<FanOutTarget>> ResolveTargetsAsync(AwsSession session, CancellationToken cancellation) =>
        _manifest.ResolveTargetsAsync(session, RequestedAccountIds, RequestedRegions, cancellation);

    protected override void EndProcessing() => _manifest.Run(this, base.EndProcessing);

    protected override IEnumerable<PlannedStep> StepsFor(FanOutTarget target) => new[]
    {
        DetectOnly
            ? PlannedStep.Read(target)
            : PlannedStep.Change(target, $"stacks of {_manifest.Checkout.ManifestPath} in {target.AccountId} {target.Region}", $"Sync to commit {_manifest.Checkout.Commit}").Previewable(),
    };

    protected override async IAsyncEnumerable<object> RunTargetAsync(AwsSession session, FanOutTarget target, IReadOnlyList<PlannedStep> steps, [EnumeratorCancellation] CancellationToken cancellation)
    {
        var reconciler = new StackReconciler(await session.GetTargetAsync(target, cancellation).ConfigureAwait(false), _manifest.Checkout.RevisionFor(session));
        var desired = _manifest.DesiredFor(target);
        var only = _stackNames.Count == 0 ? null : _stackNames;
        if (steps[0].Preview)
        {
            reconciler.DetectStackSetDrift = false;
            var statuses = await reconciler.GetStatusAsync(desired, cancellation).ConfigureAwait(false);
            foreach (var preview in await reconciler.PreviewAsync(desired, statuses, SelfHeal, only, cancellation).ConfigureAwait(false))
            {
                yield return preview;
            }

            foreach (var change in await reconciler.PreviewStackSetsAsync(desired, only, cancellation).ConfigureAwait(false))
            {
                Queue.Post(() => WriteInformation(new HostInformationMessage { Message = "What if: " + change }, new[] { "PSHOST", "WhatIf" }));
            }

            foreach (var orphan in statuses.Where(s => Prune && s.Status == nameof(StackSyncState.Orphaned) && (only is null || only.Contains(s.StackName))))
            {
                await Queue.AskAsync(() => ShouldProcess(Describe(orphan), "Prune (delete) stack"), cancellation).ConfigureAwait(false);
            }

            yield break;
        }

        var options = new StackSyncOptions
        {
            DetectOnly = DetectOnly,
            SelfHeal = SelfHeal,
            Prune = Prune,
            Stacks = only,
            ApprovePruneAsync = orphan => Queue.AskAsync(() => ShouldProcess(Describe(orphan), "Prune (delete) stack")
                && (Force || ShouldContinue($"Delete {Describe(orphan)}? The manifest no longer declares it there; its resources are deleted with it.", "Prune orphaned stack")), cancellation),
        };
        var result = await reconciler.SyncAsync(desired, options, WhatIfText.StackProgress(Queue), cancellation).ConfigureAwait(false);
        yield return result;
        // A stack -Prune left because it is not this manifest's is said out loud, not only in the result.
        foreach (var skipped in result.Stacks.Where(s => s.Action == nameof(StackSyncActionKind.Skipped) && s.Before == nameof(StackSyncState.NotOwned)))
        {
            Queue.Post(() => WriteWarning($"Stack {skipped.StackName} in {result.AccountId} {result.Region} {skipped.Message}."));
        }

        // The result says what was done; the error makes the failure visible to -ErrorAction and $?.
        result.ThrowIfFailed();
    }

    private static string Describe(StackSyncStatus orphan) => orphan.StackSetName is { } set
        ? $"orphaned {(orphan.Differences.Count > 0 && orphan.Differences[0].StartsWith("stack set", StringComparison.Ordinal) ? "stack set" : "instance of stack set")} {set} in {orphan.AccountId} {orphan.Region}"
        : $"orphaned stack {orphan.StackName} in {orphan.AccountId} {orphan.Region}";
}

/// <summary>
/// Get-StackSyncHistory: the operations of GitOps stacks, newest first, with the commit and who deployed; with
/// -HistoryBucket, the GitOps reconciler's runs instead (one entry per stack per run).
/// </summary>
[Cmdlet(VerbsCommon.Get, "StackSyncHistory", DefaultParameterSetName = StacksParameterSet)]
[OutputType(typeof(StackSyncHistoryEntry), ParameterSetName = new[] { StacksParameterSet })]
[OutputType(typeof(StackSyncRunEntry), ParameterSetName = new[] { RunsParameterSet })]
public sealed class GetStackSyncHistoryCommand : FanOutCmdlet
{
    private const string StacksParameterSet = "Stacks";
    private const string RunsParameterSet = "Runs";
    private readonly GitOpsManifest _manifest = new();

    /// <summary>A manifest: its targets and its stacks only, with commit authors from its working tree.</summary>
    [Parameter(Position = 0, ParameterSetName = StacksParameterSet)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Only these stacks.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? StackName { get; set; }

    /// <summary>The reconciler's history bucket (its GITOPS_HISTORY_BUCKET), in the caller's account.</summary>
    [Parameter(Mandatory = true, ParameterSetName = RunsParameterSet)]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.BucketName))]
    public string? HistoryBucket { get; set; }

    /// <summary>The key prefix of the run records (GITOPS_HISTORY_PREFIX).</summary>
    [Parameter(ParameterSetName = RunsParameterSet)]
    [ValidatePattern("^.{0,511}/$")]
    public string HistoryPrefix { get; set; } = SyncHistoryStore.DefaultPrefix;

    /// <summary>Only runs at or after this time.</summary>
    [Parameter(ParameterSetName = RunsParameterSet)]
    public DateTime? From { get; set; }

    /// <summary>Only runs at or before this time.</summary>
    [Parameter(ParameterSetName = RunsParameterSet)]
    public DateTime? To { get; set; }

    protected override void BeginProcessing()
    {
        if (Path is not null)
        {
            _manifest.Open(this, Path, allowDirty: true);
        }

        if (From is { } from && To is { } to && from.ToUniversalTime() > to.ToUniversalTime())
        {
            ThrowTerminating(new ArgumentException($"-From {from:u} is after -To {to:u}: the period is empty. Give -From before -To."), ErrorReason.InvalidPeriod, ErrorCategory.InvalidArgument, From);
        }

        base.BeginProcessing();
    }

    protected override Task<IReadOnlyList<FanOutTarget>> ResolveTargetsAsync(AwsSession session, CancellationToken cancellation) =>
        HistoryBucket is not null ? Task.FromResult(session.CreateTargets(new[] { session.CallerAccountId }))
        : Path is null ? base.ResolveTargetsAsync(session, cancellation)
        : _manifest.ResolveTargetsAsync(session, RequestedAccountIds, RequestedRegions, cancellation);

    protected override void EndProcessing() => _manifest.Run(this, base.EndProcessing);

    protected override async IAsyncEnumerable<object> RunTargetAsync(AwsSession session, FanOutTarget target, IReadOnlyList<PlannedStep> steps, [EnumeratorCancellation] CancellationToken cancellation)
    {
        var aws = await session.GetTargetAsync(target, cancellation).ConfigureAwait(false);
        if (HistoryBucket is not null)
        {
            // -AccountId and -Region choose the runs' targets here; the bucket is the caller's.
            var accounts = RequestedAccountIds;
            var regions = RequestedRegions;
            await foreach (var run in new SyncHistoryStore(aws.S3, HistoryBucket, HistoryPrefix).ReadAsync(From, To, cancellation).ConfigureAwait(false))
            {
                if ((StackName is null || (run.StackName is not null && StackName.Contains(run.StackName, StringComparer.OrdinalIgnoreCase)))
                    && (accounts is null || (run.AccountId is not null && accounts.Contains(run.AccountId)))
                    && (regions is null || (run.Region is not null && regions.Contains(run.Region))))
                {
                    yield return run;
                }
            }

            yield break;
        }

        var checkout = Path is null ? null : _manifest.Checkout;
        var entries = await StackReconciler.GetHistoryAsync(aws, checkout?.Owner, StackName,
            commit => checkout?.WorkingTree.AuthorOf(commit), cancellation).ConfigureAwait(false);
        foreach (var entry in entries)
        {
            yield return entry;
        }
    }
}

/// <summary>
/// The manifest a GitOps cmdlet works from: opened before any AWS call (a bad manifest or a dirty tree ends the
/// command with nothing changed), and its targets resolved once per invocation.
/// </summary>
internal sealed class GitOpsManifest
{
    public const string DefaultFileName = "cloudpatterns.yaml";

    private readonly Dictionary<(string AccountId, string Region), DesiredTarget> _targets = new();
    private ManifestCheckout? _checkout;

    public ManifestCheckout Checkout => _checkout ?? throw new InvalidOperationException("The manifest was not opened.");

    public void Open(AwsCmdlet cmdlet, string path, bool allowDirty)
    {
        var fullPath = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
        try
        {
            _checkout = ManifestCheckout.Open(fullPath, allowDirty);
        }
        catch (ManifestException ex)
        {
            cmdlet.ThrowTerminating(ex, ErrorReason.InvalidManifest, ErrorCategory.InvalidData, fullPath);
        }
        catch (FileNotFoundException ex)
        {
            cmdlet.ThrowTerminating(ex, ErrorReason.ManifestNotFound, ErrorCategory.ObjectNotFound, fullPath);
        }
        catch (DirtyWorkingTreeException ex)
        {
            cmdlet.ThrowTerminating(ex, ErrorReason.DirtyWorkingTree, ErrorCategory.InvalidOperation, fullPath);
        }
        catch (GitCommandException ex)
        {
            cmdlet.ThrowTerminating(ex, ErrorReason.GitFailed, ErrorCategory.InvalidOperation, fullPath);
        }

        if (Checkout.WorkingTree.IsDirty)
        {
            cmdlet.WriteWarning($"The working tree {Checkout.WorkingTree.Root} has uncommitted changes: the desired state is read from the files, not from commit {Checkout.WorkingTree.Commit}.");
        }
    }

    /// <summary>
    /// A sync needs the manifest's id: when there is none, writes one into the manifest and ends the command (the id
    /// must be committed first); with -WhatIf only warns.
    /// </summary>
    public void RequireId(AwsCmdlet cmdlet, bool whatIf)
    {
        if (Checkout.Manifest.Id is not null)
        {
            return;
        }

        if (whatIf)
        {
            cmdlet.WriteWarning($"{Checkout.Manifest.Path} has no manifest id yet: the sync writes one into it and stops until it is committed.");
            return;
        }

        try
        {
            var id = Checkout.WriteNewId();
            cmdlet.ThrowTerminating(new ManifestIdCreatedException(Checkout.Manifest.Path, id), ErrorReason.ManifestIdCreated, ErrorCategory.InvalidOperation, Checkout.Manifest.Path);
        }
        catch (ManifestException ex)
        {
            cmdlet.ThrowTerminating(ex, ErrorReason.InvalidManifest, ErrorCategory.InvalidData, ex.File);
        }
    }

    /// <summary>
    /// Runs the cmdlet's targets. Account names and OUs resolve only now, through Organizations: a name no account has
    /// ends the command as InvalidManifest, like any other manifest problem, before anything changes.
    /// </summary>
    public void Run(AwsCmdlet cmdlet, Action endProcessing)
    {
        try
        {
            endProcessing();
        }
        catch (ManifestException ex)
        {
            cmdlet.ThrowTerminating(ex, ErrorReason.InvalidManifest, ErrorCategory.InvalidData, ex.File);
        }
    }

    public async Task<IReadOnlyList<FanOutTarget>> ResolveTargetsAsync(AwsSession session, IReadOnlyCollection<string>? accountIds, IReadOnlyCollection<string>? regions, CancellationToken cancellation)
    {
        foreach (var target in await Checkout.ResolveTargetsAsync(session, accountIds, regions, cancellation).ConfigureAwait(false))
        {
            _targets[(target.AccountId, target.Region)] = target;
        }

        return _targets.Values.Select(t => new FanOutTarget(t.AccountId, t.Region, session.RoleArnFor(t.AccountId))).ToList();
    }

    public DesiredTarget DesiredFor(FanOutTarget target) => _targets[(target.AccountId, target.Region)];
}
