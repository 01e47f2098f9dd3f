using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
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

        var files = new RepositoryFiles(workingTree, Path.GetDirectoryName(Path.GetFullPath(manifestPath))!);
        var manifest = ManifestReader.Load(manifestPath, files.ReadTemplate);
        return new ManifestCheckout(manifest, workingTree, workingTree.RelativePath(manifestPath));
    }

    /// <summary>Whose stacks this manifest changes: its id, the repository's remote, its path (docs/gitops.md, Ownership).</summary>
    public ManifestOwner Owner => new(Manifest.Id, WorkingTree.Remote, ManifestPath, WorkingTree.InHistory);

    public GitOpsRevision RevisionFor(AwsSession session) => new(Commit, Owner, session.CallerArn);

    /// <summary>
    /// For a manifest with no id yet: writes a new random id into it (a line <c>id: ...</c> after <c>version:</c>) and
    /// returns it. Nothing is deployed with it until it is committed: a checkout without it (CI) must not own stacks
    /// under an id nobody keeps.
    /// </summary>
    public string WriteNewId()
    {
        if (Manifest.Id is not null)
        {
            throw new InvalidOperationException("The manifest already has an id.");
        }

        var id = Guid.NewGuid().ToString("N");
        var text = File.ReadAllText(Manifest.Path);
        var newline = text.Contains("\r\n") ? "\r\n" : "\n";
        var version = Regex.Match(text, "^version[ \t]*:[^\r\n]*(\r?\n|$)", RegexOptions.Multiline);
        if (!version.Success)
        {
            throw new ManifestException(Manifest.Path, 1, "id", $"the manifest has no id and no top-level 'version:' line to put one after: add the line 'id: {id}' at the top level.");
        }

        var at = version.Index + version.Length;
        var line = (version.Groups[1].Length == 0 ? newline : string.Empty) + $"id: {id}" + newline;
        File.WriteAllText(Manifest.Path, text.Substring(0, at) + line + text.Substring(at));
        return id;
    }

    /// <summary>The manifest's targets, only those in the given accounts and regions when any are given.</summary>
    public async Task<IReadOnlyList<DesiredTarget>> ResolveTargetsAsync(AwsSession session, IReadOnlyCollection<string>? accountIds, IReadOnlyCollection<string>? regions, CancellationToken cancellationToken)
    {
        var targets = await ManifestTargets.ResolveAsync(session, Manifest, cancellationToken).ConfigureAwait(false);
        bool Admits(string accountId, string region) => (accountIds is null || accountIds.Contains(accountId)) && (regions is null || regions.Contains(region));
        var kept = new List<DesiredTarget>();
        foreach (var target in targets)
        {
            // A stack set stays when its administering target or any of its instances is asked for; its instances are reported as asked.
            var stackSets = target.StackSets
                .Where(set => Admits(target.AccountId, target.Region) || set.AccountIds.Any(account => set.Regions.Any(region => Admits(account, region))))
                .ToList();
            if (Admits(target.AccountId, target.Region) || stackSets.Count > 0)
            {
                target.IncludesStacks = Admits(target.AccountId, target.Region);
                target.StackSets = stackSets;
                target.InstanceFilter = Admits;
                kept.Add(target);
            }
        }

        return kept;
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

/// <summary>The manifest had no id: the sync wrote one into it and stopped; the id must be committed before stacks carry it.</summary>
public sealed class ManifestIdCreatedException : Exception
{
    public ManifestIdCreatedException(string manifestPath, string id)
        : base($"{manifestPath} had no manifest id: wrote 'id: {id}' into it, and changed nothing in AWS. Commit it (git add, git commit) and sync again. "
            + "The id (with the repository's remote) marks the stacks this manifest owns: a sync changes and prunes only those. Keep it; a sync from a checkout without it (e.g. CI) owns nothing.")
    {
        Id = id;
    }

    public string Id { get; }
}
