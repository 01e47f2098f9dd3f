using System;
using System.IO;
using System.Runtime.InteropServices;

namespace CloudPatterns.Core.GitOps;

/// <summary>
/// The files a manifest may name: inside the repository's working tree once every symbolic link is resolved, and
/// tracked by git at the commit checked out. Anything else is refused with the reason (docs/gitops.md, "Confinement"),
/// so a manifest cannot send a file from elsewhere on disk to CloudFormation.
/// </summary>
public sealed class RepositoryFiles
{
    private const int MaxLinks = 40;
    private static readonly StringComparison PathComparison = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    private readonly GitWorkingTree workingTree;
    private readonly string manifestDirectory;
    private readonly string realRoot;

    public RepositoryFiles(GitWorkingTree workingTree, string manifestDirectory)
    {
        this.workingTree = workingTree;
        this.manifestDirectory = Path.GetFullPath(manifestDirectory);
        realRoot = RealPath(workingTree.Root);
    }

    /// <summary>
    /// The text of the file <paramref name="reference"/> (relative to the manifest's directory) names; null when there
    /// is no such file; <see cref="TemplatePathException"/> when it is outside the repository or not tracked.
    /// </summary>
    public string? ReadTemplate(string reference)
    {
        if (Path.IsPathRooted(reference) || reference.StartsWith("~", StringComparison.Ordinal))
        {
            throw new TemplatePathException($"'{reference}' is an absolute path: give a path relative to the manifest's directory, inside the repository.");
        }

        var lexical = Path.GetFullPath(Path.Combine(manifestDirectory, reference));
        if (!IsUnder(lexical, workingTree.Root))
        {
            throw new TemplatePathException($"'{reference}' leaves the repository's working tree ({workingTree.Root}): templates must be files of the repository.");
        }

        var real = RealPath(lexical);
        if (!IsUnder(real, realRoot))
        {
            throw new TemplatePathException($"'{reference}' is a symbolic link (or goes through one) that resolves to {real}, outside the repository's working tree.");
        }

        if (!File.Exists(real))
        {
            return null;
        }

        var tracked = workingTree.TrackedFiles();
        var path = Relative(lexical, workingTree.Root);
        var target = Relative(real, realRoot);
        var commit = workingTree.Commit.Substring(0, 12);
        if (!tracked.TryGetValue(path, out var mode) || (mode == SymbolicLinkMode) != (path != target))
        {
            throw new TemplatePathException(path == target
                ? $"'{reference}' ({path}) is not tracked by git at commit {commit}: add and commit it, so the commit holds what is deployed."
                : $"'{reference}' ({path}, a link to {target}) is not tracked by git as a link at commit {commit}: add and commit it.");
        }

        if (path != target && (!tracked.TryGetValue(target, out var targetMode) || targetMode == SymbolicLinkMode))
        {
            throw new TemplatePathException($"'{reference}' is a link to {target}, which is not tracked by git at commit {commit}: add and commit it.");
        }

        return File.ReadAllText(real);
    }

    private const string SymbolicLinkMode = "120000";

    private static bool IsUnder(string path, string root) =>
        path.Equals(root, PathComparison) || path.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, PathComparison);

    private static string Relative(string path, string root) => path.Substring(root.TrimEnd(Path.DirectorySeparatorChar).Length + 1).Replace('\\', '/');

    /// <summary>The path with every symbolic link along it resolved (what realpath(3) gives), whether or not it exists.</summary>
    internal static string RealPath(string path)
    {
        var links = 0;
        return Resolve(Path.GetFullPath(path), ref links);
    }

    // FileSystemInfo.LinkTarget is .NET 6+ (what PowerShell 7 runs on); this assembly targets netstandard2.0.
    private static readonly System.Reflection.PropertyInfo? LinkTargetProperty = typeof(FileSystemInfo).GetProperty("LinkTarget");

    /// <summary>Where the symbolic link at <paramref name="path"/> points, or null when it is not a link.</summary>
    private static string? LinkTarget(string path)
    {
        var info = new FileInfo(path);
        if (LinkTargetProperty is not null)
        {
            return (string?)LinkTargetProperty.GetValue(info);
        }

        // Without LinkTarget (Windows PowerShell) a link cannot be followed here, so it is not used at all.
        return info.Exists || Directory.Exists(path)
            ? (info.Attributes & FileAttributes.ReparsePoint) != 0 ? throw new TemplatePathException($"{path} is a symbolic link or junction, which this runtime cannot resolve: use PowerShell 7.") : null
            : null;
    }

    private static string Resolve(string full, ref int links)
    {
        var root = Path.GetPathRoot(full)!;
        var current = root;
        foreach (var part in full.Substring(root.Length).Split(new[] { Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar }, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            if (LinkTarget(next) is { } target)
            {
                if (++links > MaxLinks)
                {
                    throw new TemplatePathException($"too many symbolic links at {next}.");
                }

                next = Resolve(Path.GetFullPath(Path.IsPathRooted(target) ? target : Path.Combine(current, target)), ref links);
            }

            current = next;
        }

        return current;
    }
}
