using System;
using CloudPatterns.Core.Deployment;
using CloudPatterns.Core.Stacks;

namespace CloudPatterns.Core.GitOps;

/// <summary>
/// Who owns a GitOps stack: the manifest's id (random, stored in the manifest by the first sync) and the repository's
/// normalised remote. A sync changes and prunes only stacks whose tags name this owner (docs/gitops.md, "Ownership").
/// </summary>
public sealed class ManifestOwner
{
    /// <summary>The manifest's id on every stack a sync creates or updates.</summary>
    public const string IdTag = "cloudpatterns:manifest-id";

    /// <summary>The repository's normalised remote (<see cref="RemoteUrl"/>), when it has one.</summary>
    public const string RepositoryTag = "cloudpatterns:repository";

    private readonly Func<string, bool> inHistory;

    /// <param name="id">The manifest's id; null when the manifest has none yet (then no stack is proven ours).</param>
    /// <param name="repository">The normalised remote, or null.</param>
    /// <param name="manifestPath">The manifest's path in the repository (the tag stacks of older versions carry alone).</param>
    /// <param name="inHistory">Whether a commit is in this repository's history (proves a stack of an older version).</param>
    public ManifestOwner(string? id, string? repository, string manifestPath, Func<string, bool> inHistory)
    {
        Id = id;
        Repository = repository;
        ManifestPath = manifestPath;
        this.inHistory = inHistory;
    }

    public string? Id { get; }

    public string? Repository { get; }

    public string ManifestPath { get; }

    /// <summary>
    /// Null when <paramref name="stack"/> is this manifest's; otherwise why not. A stack is this manifest's when its
    /// id tag is this manifest's id and its repository tag (when it has one) this repository. A stack of an older
    /// version (manifest path only, no id) counts when <paramref name="declared"/> and its commit is in this
    /// repository's history; the next update of it adds the id.
    /// </summary>
    public string? WhyNotOwned(PatternStack stack, bool declared)
    {
        var id = Tag(stack, IdTag);
        var repository = Tag(stack, RepositoryTag);
        if (stack.Pattern != StackReconciler.PatternName)
        {
            return stack.Pattern is null ? "not created by CloudPatterns" : $"a {stack.Pattern} stack, not a GitOps one";
        }

        if (id is null)
        {
            var commit = stack.Commit?.Replace(ManifestCheckout.DirtySuffix, string.Empty);
            if (Tag(stack, PatternTags.Manifest) != ManifestPath)
            {
                return $"created by an older version from the manifest '{Tag(stack, PatternTags.Manifest)}', with no manifest id";
            }

            if (!declared)
            {
                return "created by an older version (no manifest id): not pruned, as nothing proves it is this manifest's; delete it with Remove-PatternStack";
            }

            return commit is not null && inHistory(commit) ? null
                : $"created by an older version (no manifest id) from commit {commit ?? "(none)"}, which is not in this repository's history";
        }

        if (Id is null)
        {
            return $"owned by manifest id {id}; this manifest has no id yet";
        }

        if (!string.Equals(id, Id, StringComparison.Ordinal))
        {
            return $"owned by another manifest (id {id}{(repository is null ? string.Empty : $", repository {repository}")})";
        }

        if (repository is not null && !string.Equals(repository, Repository, StringComparison.Ordinal))
        {
            return $"owned by manifest id {id} in the repository {repository}, not {Repository ?? "this repository (no remote)"}";
        }

        return null;
    }

    private static string? Tag(PatternStack stack, string key) => stack.Tags.TryGetValue(key, out var value) ? value : null;
}

/// <summary>A stack the manifest declares exists but is another manifest's: the sync leaves it as it is.</summary>
public sealed class StackNotOwnedException : StackOperationException
{
    public StackNotOwnedException(string accountId, string region, string stackName, string reason)
        : base($"Stack '{stackName}' in account {accountId} region {region} is not this manifest's ({reason}): it was not changed. "
            + "Rename the stack in this manifest, or remove it from the manifest that owns it (docs/gitops.md, Ownership).", stackName)
    {
        Reason = reason;
    }

    public string Reason { get; }
}
