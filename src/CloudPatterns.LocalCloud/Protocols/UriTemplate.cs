namespace CloudPatterns.LocalCloud.Protocols;

/// <summary>
/// A REST operation's URI template (<c>/backup-vaults/{name}</c>, <c>/2013-04-01/hostedzone/{Id}/rrset/</c>) matched
/// segment by segment; <c>{name}</c> segments are captured.
/// </summary>
internal sealed class UriTemplate(string template)
{
    private readonly string[] segments = Segments(template);

    public static string[] Segments(string path) => path.Trim('/').Split('/');

    public bool TryMatch(string[] path, out Dictionary<string, string> parameters)
    {
        parameters = [];
        if (path.Length != segments.Length)
        {
            return false;
        }

        for (var index = 0; index < path.Length; index++)
        {
            var segment = segments[index];
            if (segment.StartsWith('{'))
            {
                // Kestrel decodes the path except %2F, which ARNs in labels (table/name, volume/vol-…) arrive as.
                parameters[segment[1..^1]] = Uri.UnescapeDataString(path[index]);
            }
            else if (segment != path[index])
            {
                return false;
            }
        }

        return true;
    }
}
