using System;
using System.Text.RegularExpressions;

namespace CloudPatterns.Core.GitOps;

/// <summary>
/// A git remote URL in the one form stacks are tagged with: host/path, whatever the transport. Credentials, the
/// port, the query and a trailing .git are dropped, so https://user:token@github.com/org/infra.git,
/// git@github.com:org/infra and ssh://git@github.com:22/org/infra.git all read github.com/org/infra, and a token in
/// a remote never reaches a tag.
/// </summary>
public static class RemoteUrl
{
    private static readonly Regex Scheme = new("^[A-Za-z][A-Za-z0-9+.-]*://");

    // scp-like syntax: [user@]host:path, with no slash before the colon (git's own rule for telling it from a path).
    private static readonly Regex ScpLike = new("^(?:[^@/]+@)?(?<host>[^:/]+):(?<path>.+)$");

    /// <summary>The normalised form of <paramref name="url"/>; CloudFormation tag values hold at most 256 characters.</summary>
    public static string Normalize(string url)
    {
        string normalized;
        if (Scheme.IsMatch(url) && Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            normalized = uri.IsFile ? uri.LocalPath : uri.Host.ToLowerInvariant() + "/" + Uri.UnescapeDataString(uri.AbsolutePath).Trim('/');
        }
        else if (Scheme.IsMatch(url))
        {
            // Not a URI .NET parses: keep only what follows the last '@' of the authority.
            var rest = Scheme.Replace(url, string.Empty);
            var slash = rest.IndexOf('/');
            var authority = slash < 0 ? rest : rest.Substring(0, slash);
            var at = authority.LastIndexOf('@');
            normalized = (at < 0 ? rest : rest.Substring(at + 1)).Trim('/');
        }
        else if (ScpLike.Match(url) is { Success: true } scp)
        {
            normalized = scp.Groups["host"].Value.ToLowerInvariant() + "/" + scp.Groups["path"].Value.Trim('/');
        }
        else
        {
            normalized = url;
        }

        normalized = normalized.Split('?', '#')[0].TrimEnd('/');
        if (normalized.EndsWith(".git", StringComparison.Ordinal))
        {
            normalized = normalized.Substring(0, normalized.Length - ".git".Length);
        }

        return normalized.Length > 256 ? normalized.Substring(normalized.Length - 256) : normalized;
    }
}
