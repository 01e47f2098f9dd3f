using System;
using System.Collections.Generic;
using System.Linq;
using CloudPatterns.Core.Deployment;

namespace CloudPatterns.Core.GitOps;

/// <summary>How a stack in one account and region compares with the manifest.</summary>
public enum StackSyncState
{
    /// <summary>Template and parameters as declared, no drift.</summary>
    Synced,

    /// <summary>The template or parameters differ from the manifest's.</summary>
    OutOfSync,

    /// <summary>As declared, but resources were changed outside git.</summary>
    Drifted,

    /// <summary>Declared but not deployed.</summary>
    Missing,

    /// <summary>Carries this manifest's tag but is no longer declared for this account and region.</summary>
    Orphaned,

    /// <summary>The stack is in a failed or rolled-back state CloudFormation cannot update from.</summary>
    Failed,

    /// <summary>
    /// Declared by this manifest, or tagged with its path, but another manifest's (or not proven this one's):
    /// a sync neither changes nor prunes it; <see cref="StackSyncStatus.Reason"/> says whose it is.
    /// </summary>
    NotOwned,
}

/// <summary>Get-StackSyncStatus: one stack in one account and region against the manifest.</summary>
public sealed class StackSyncStatus
{
    internal StackSyncStatus(string accountId, string region, string stackName, StackSyncState status, string? stackStatus, StackLayer? layer,
        string? deployedCommit, string desiredCommit, IReadOnlyList<string> differences, IReadOnlyList<DriftedResource> drifts, string? environment)
    {
        AccountId = accountId;
        Region = region;
        StackName = stackName;
        State = status;
        StackStatus = stackStatus;
        Layer = layer?.ToString();
        DeployedCommit = deployedCommit;
        DesiredCommit = desiredCommit;
        Differences = differences;
        DriftedResources = drifts;
        Environment = environment;
    }

    public string AccountId { get; }

    public string Region { get; }

    public string StackName { get; }

    /// <summary>Synced, OutOfSync, Drifted, Missing, Orphaned, Failed or NotOwned (<see cref="StackSyncState"/>; a string so it reads the same in JSON).</summary>
    public string Status => State.ToString();

    internal StackSyncState State { get; }

    /// <summary>CloudFormation's status of the stack (CREATE_COMPLETE ...); null when it is missing.</summary>
    public string? StackStatus { get; }

    /// <summary>Immutable or Mutable as the manifest declares; null for an orphan.</summary>
    public string? Layer { get; }

    public string? Environment { get; }

    /// <summary>The commit the stack was last changed from (its cloudpatterns:commit tag).</summary>
    public string? DeployedCommit { get; }

    /// <summary>The commit checked out in the working tree.</summary>
    public string DesiredCommit { get; }

    /// <summary>For OutOfSync: "template changed", "parameter X: 'a' -> 'b'".</summary>
    public IReadOnlyList<string> Differences { get; }

    /// <summary>Resources changed outside git, with their properties (checked on every stack that is deployed and not failed).</summary>
    public IReadOnlyList<DriftedResource> DriftedResources { get; }

    public bool IsDrifted => DriftedResources.Count > 0;

    /// <summary>For NotOwned: why the stack is not this manifest's (whose it is).</summary>
    public string? Reason { get; internal set; }

    /// <summary>
    /// For a stack of <c>deployment: stackset</c>: the stack set (this row is one of its instances, read from the
    /// administrator account; <see cref="StackStatus"/> is the instance's status, CURRENT, OUTDATED or INOPERABLE). Null for a direct stack.
    /// </summary>
    public string? StackSetName { get; internal set; }

    /// <summary>
    /// The change set a sync would execute (Missing and OutOfSync stacks), when asked for (-IncludeChangeSet);
    /// otherwise empty.
    /// </summary>
    public IReadOnlyList<StackResourceChange> Changes { get; internal set; } = Array.Empty<StackResourceChange>();
}

/// <summary>What a sync did to one stack.</summary>
public enum StackSyncActionKind
{
    /// <summary>Nothing to do, or -DetectOnly / not asked to (drift without -SelfHeal, orphan without -Prune).</summary>
    None,
    Created,
    Updated,

    /// <summary>Drift reverted (-SelfHeal).</summary>
    Healed,

    /// <summary>Orphan deleted (-Prune).</summary>
    Pruned,

    /// <summary>Not attempted: an earlier stack of this target failed, or (-Prune) the stack is not this manifest's.</summary>
    Skipped,
    Failed,
}

/// <summary>One stack of a target's sync: how it was found, and what was done.</summary>
public sealed class StackSyncAction
{
    internal StackSyncAction(string stackName, StackSyncState before, StackSyncActionKind action, IReadOnlyList<StackResourceChange> changes, string? message)
    {
        StackName = stackName;
        Before = before.ToString();
        Kind = action;
        Changes = changes;
        Message = message;
    }

    public string StackName { get; }

    /// <summary>How the stack was found (a <see cref="StackSyncState"/> name).</summary>
    public string Before { get; }

    /// <summary>What was done (a <see cref="StackSyncActionKind"/> name).</summary>
    public string Action => Kind.ToString();

    internal StackSyncActionKind Kind { get; }

    /// <summary>The change set applied (empty when nothing ran).</summary>
    public IReadOnlyList<StackResourceChange> Changes { get; }

    /// <summary>Why nothing was done, or the failure.</summary>
    public string? Message { get; }

    public override string ToString() => $"{StackName}: {Action}" + (Message is null ? string.Empty : $" ({Message})");
}

/// <summary>Sync-StackManifest: one object per account × region with what was done there.</summary>
public sealed class StackSyncResult
{
    internal StackSyncResult(string accountId, string region, string commit, string manifestPath, bool detectOnly, IReadOnlyList<StackSyncAction> stacks, Exception? failure)
    {
        AccountId = accountId;
        Region = region;
        Commit = commit;
        ManifestPath = manifestPath;
        Stacks = stacks;
        Failure = failure;
        Status = failure is not null ? "Failed" : detectOnly ? "Detected" : "Succeeded";
    }

    public string AccountId { get; }

    public string Region { get; }

    /// <summary>Succeeded, Failed (the target stopped at the first failing stack) or Detected (-DetectOnly).</summary>
    public string Status { get; }

    public string Commit { get; }

    public string ManifestPath { get; }

    public IReadOnlyList<StackSyncAction> Stacks { get; }

    /// <summary>Stacks changed (created, updated, healed or pruned).</summary>
    public int Changed => Stacks.Count(s => s.Kind is StackSyncActionKind.Created or StackSyncActionKind.Updated or StackSyncActionKind.Healed or StackSyncActionKind.Pruned);

    public string Summary => string.Join("; ", Stacks.Select(s => $"{s.StackName} {s.Before}->{s.Action}"));

    /// <summary>The failure that stopped this target, if any (also written as an error record).</summary>
    internal Exception? Failure { get; }

    public string? Error => Failure?.Message;

    /// <summary>Rethrows the failure that stopped this target, as it was thrown; nothing when the target succeeded.</summary>
    public void ThrowIfFailed()
    {
        if (Failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(Failure).Throw();
        }
    }
}

/// <summary>Get-StackSyncHistory: one stack operation (create, update, delete) and where it came from.</summary>
public sealed class StackSyncHistoryEntry
{
    internal StackSyncHistoryEntry(string accountId, string region, string stackName, DateTimeOffset? time, string status, string? commit, string? manifestPath, string? deployedBy, string? author)
    {
        AccountId = accountId;
        Region = region;
        StackName = stackName;
        Time = time;
        Status = status;
        Commit = commit;
        ManifestPath = manifestPath;
        DeployedBy = deployedBy;
        CommitAuthor = author;
    }

    public string AccountId { get; }

    public string Region { get; }

    public string StackName { get; }

    public DateTimeOffset? Time { get; }

    /// <summary>How the operation ended: CREATE_COMPLETE, UPDATE_COMPLETE, UPDATE_ROLLBACK_COMPLETE ...</summary>
    public string Status { get; }

    /// <summary>The commit the operation deployed, when it is known (see docs/gitops.md).</summary>
    public string? Commit { get; }

    public string? ManifestPath { get; }

    /// <summary>The identity that ran the sync (the caller's ARN).</summary>
    public string? DeployedBy { get; }

    /// <summary>The commit's author, when the working tree given has the commit.</summary>
    public string? CommitAuthor { get; }
}
