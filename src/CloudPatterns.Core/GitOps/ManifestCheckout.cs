using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;

namespace CloudPatterns.Core.GitOps;

/// <summary>
/// A manifest as checked out in a git working tree: the desired state and the commit it comes from. Opened before
/// any AWS call, so a malformed manifest or a dirty tree changes nothing.
/// </summary>
public sealed class ManifestCheckout
{
    /// <summary>Appended to the commit when a sync runs from a dirty tree (-AllowDirty): the tag must not claim a commit holds what ran.</summary>
    public const string DirtySuffix = "-dirty";

    private ManifestCheckout(StackManifest manifest, GitWorkingTree workingTree, string manifestPath)
    {
        Manifest = manifest;
        WorkingTree = workingTree;
        ManifestPath = manifestPath;
    }

    public StackManifest Manifest { get; }

    public GitWorkingTree WorkingTree { get; }

    /// <summary>The manifest's path in the repository (forward slashes), as stacks are tagged with it.</summary>
    public string ManifestPath { get; }

    /// <summary>The commit the stacks are tagged with: HEAD, marked when the tree has uncommitted changes.</summary>
    public string Commit => WorkingTree.IsDirty ? WorkingTree.Commit + DirtySuffix : WorkingTree.Commit;

    /// <summary>Reads the working tree and the manifest; refuses a dirty tree unless <paramref name="allowDirty"/>.</summary>
    public static ManifestCheckout Open(string manifestPath, bool allowDirty)
    {
        var workingTree = GitWorkingTree.Open(manifestPath);
        if (workingTree.IsDirty && !allowDirty)
        {
            throw new DirtyWorkingTreeException(workingTree);
        }

        var manifest = ManifestReader.Load(manifestPath);
        return new ManifestCheckout(manifest, workingTree, workingTree.RelativePath(manifestPath));
    }

    public GitOpsRevision RevisionFor(AwsSession session) => new(Commit, ManifestPath, session.CallerArn);

    /// <summary>The manifest's targets, only those in the given accounts and regions when any are given.</summary>
    public async Task<IReadOnlyList<DesiredTarget>> ResolveTargetsAsync(AwsSession session, IReadOnlyCollection<string>? accountIds, IReadOnlyCollection<string>? regions, CancellationToken cancellationToken)
    {
        var targets = await ManifestTargets.ResolveAsync(session, Manifest, cancellationToken).ConfigureAwait(false);
        return targets
            .Where(t => (accountIds is null || accountIds.Contains(t.AccountId)) && (regions is null || regions.Contains(t.Region)))
            .ToList();
    }
}

/// <summary>The working tree has changes no commit holds; syncing from it would tag stacks with a commit that does not describe them.</summary>
public sealed class DirtyWorkingTreeException : Exception
{
    internal DirtyWorkingTreeException(GitWorkingTree workingTree)
        : base($"The working tree {workingTree.Root} has uncommitted changes ({string.Join(", ", workingTree.UncommittedPaths.Take(5))}{(workingTree.UncommittedPaths.Length > 5 ? ", ..." : string.Empty)}). "
            + "Commit or stash them so the stacks are tagged with a commit that holds what was deployed, or give -AllowDirty to sync anyway (the commit tag then ends in -dirty).")
    {
        UncommittedPaths = workingTree.UncommittedPaths;
    }

    public IReadOnlyList<string> UncommittedPaths { get; }
}
