using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;

namespace CloudPatterns.Core.GitOps;

/// <summary>
/// The git working tree a manifest lives in, read through the git CLI: the commit checked out and whether the tree
/// has changes no commit holds (a deployment must come from a commit for its tag to mean anything).
/// </summary>
public sealed class GitWorkingTree
{
    private IReadOnlyDictionary<string, string>? tracked;

    private GitWorkingTree(string root, string commit, string[] uncommitted, string? remote)
    {
        Root = root;
        Commit = commit;
        UncommittedPaths = uncommitted;
        Remote = remote;
    }

    /// <summary>The top directory of the working tree.</summary>
    public string Root { get; }

    /// <summary>The full SHA of HEAD.</summary>
    public string Commit { get; }

    /// <summary>Changed, staged or untracked paths (git status --porcelain), empty when the tree is clean.</summary>
    public string[] UncommittedPaths { get; }

    public bool IsDirty => UncommittedPaths.Length > 0;

    /// <summary>
    /// The repository's remote (origin, else the first remote), normalised by <see cref="RemoteUrl.Normalize"/>
    /// (host/path, credentials stripped); null when the repository has no remote.
    /// </summary>
    public string? Remote { get; }

    /// <summary>The working tree that contains <paramref name="path"/> (a file or directory).</summary>
    public static GitWorkingTree Open(string path)
    {
        var directory = Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path))!;
        string root;
        try
        {
            root = Run(directory, "rev-parse", "--show-toplevel").Trim();
        }
        catch (GitCommandException ex)
        {
            throw new GitCommandException($"{directory} is not in a git working tree: GitOps deploys from commits (git init, git add, git commit). git said: {ex.GitMessage}", ex.GitMessage);
        }

        string commit;
        try
        {
            commit = Run(root, "rev-parse", "--verify", "HEAD").Trim();
        }
        catch (GitCommandException ex)
        {
            throw new GitCommandException($"The working tree {root} has no commit yet: commit the manifest and its templates first. git said: {ex.GitMessage}", ex.GitMessage);
        }

        var status = Run(root, "status", "--porcelain", "--untracked-files=normal");
        var uncommitted = status.Split(new[] { '\n' }, StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Length > 3 ? line.Substring(3).Trim() : line.Trim())
            .ToArray();
        var remotes = Run(root, "remote").Split(new[] { '\n' }, StringSplitOptions.RemoveEmptyEntries).Select(r => r.Trim()).ToList();
        var remoteName = remotes.Contains("origin") ? "origin" : remotes.OrderBy(r => r, StringComparer.Ordinal).FirstOrDefault();
        var remote = remoteName is null ? null : RemoteUrl.Normalize(Run(root, "remote", "get-url", remoteName).Trim());
        return new GitWorkingTree(Path.GetFullPath(root), commit, uncommitted, remote);
    }

    /// <summary>
    /// Every path git tracks at <see cref="Commit"/> (relative to the root, forward slashes), with its mode
    /// (100644/100755 a file, 120000 a symbolic link).
    /// </summary>
    public IReadOnlyDictionary<string, string> TrackedFiles()
    {
        if (tracked is null)
        {
            var files = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in Run(Root, "ls-tree", "-r", "-z", "--full-tree", Commit).Split(new[] { '\0' }, StringSplitOptions.RemoveEmptyEntries))
            {
                // "<mode> <type> <object>\t<path>"
                var tab = entry.IndexOf('\t');
                if (tab > 0)
                {
                    files[entry.Substring(tab + 1)] = entry.Substring(0, entry.IndexOf(' '));
                }
            }

            tracked = files;
        }

        return tracked;
    }

    /// <summary>Whether <paramref name="commit"/> is HEAD or an ancestor of it in this repository.</summary>
    public bool InHistory(string commit)
    {
        if (commit.Length != 40 || !commit.All(Uri.IsHexDigit))
        {
            return false;
        }

        try
        {
            Run(Root, "merge-base", "--is-ancestor", commit, Commit);
            return true;
        }
        catch (GitCommandException)
        {
            return false;
        }
    }

    /// <summary><paramref name="path"/> relative to the working tree's root, with forward slashes (as it is tagged on stacks).</summary>
    public string RelativePath(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Root.EndsWith(Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal) ? Root : Root + Path.DirectorySeparatorChar;
        if (!full.StartsWith(root, StringComparison.Ordinal))
        {
            // git prints the root with symlinks resolved; compare the canonical forms git itself uses.
            var prefix = Run(Path.GetDirectoryName(full)!, "rev-parse", "--show-prefix").Trim();
            return (prefix + Path.GetFileName(full)).Replace('\\', '/');
        }

        return full.Substring(root.Length).Replace('\\', '/');
    }

    /// <summary>Who committed <paramref name="commit"/> (name and email), or null when this clone does not have it.</summary>
    public string? AuthorOf(string commit)
    {
        try
        {
            return Run(Root, "show", "-s", "--format=%an <%ae>", commit).Trim();
        }
        catch (GitCommandException)
        {
            return null;
        }
    }

    private static string Run(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.Arguments = string.Join(" ", arguments.Select(Quote));
        // Never prompt (a credential helper or pager would hang a runbook).
        start.EnvironmentVariables["GIT_TERMINAL_PROMPT"] = "0";
        start.EnvironmentVariables["GIT_PAGER"] = "cat";
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new GitCommandException("git could not be started.", string.Empty);
        }
        catch (Win32Exception ex)
        {
            throw new GitCommandException($"git is not installed or not on PATH ({ex.Message}): GitOps reads the commit with the git CLI.", ex.Message);
        }

        using (process)
        {
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                var message = error.Result.Trim();
                throw new GitCommandException($"git {string.Join(" ", arguments)} failed in {directory}: {message}", message);
            }

            return output;
        }
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => !char.IsWhiteSpace(c) && c != '"') ? argument : "\"" + argument.Replace("\"", "\\\"") + "\"";
}

/// <summary>git refused or is missing; the message says what to do.</summary>
public sealed class GitCommandException : Exception
{
    public GitCommandException(string message, string gitMessage)
        : base(message)
    {
        GitMessage = gitMessage;
    }

    /// <summary>What git itself printed.</summary>
    public string GitMessage { get; }
}
