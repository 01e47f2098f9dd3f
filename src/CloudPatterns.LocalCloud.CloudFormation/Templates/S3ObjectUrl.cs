using System.Text.RegularExpressions;

namespace CloudPatterns.LocalCloud.CloudFormation.Templates;

/// <summary>
/// The bucket and key an S3 object address names, in the forms CloudFormation reads templates and snippets from
/// (docs/localcloud-cloudformation-nested.md, docs/localcloud-cloudformation-transforms.md):
/// https://BUCKET.s3[.REGION].amazonaws.com/KEY, https://s3[.REGION].amazonaws.com/BUCKET/KEY, LocalCloud's own
/// endpoint path-style (http://127.0.0.1:PORT/BUCKET/KEY), and s3://BUCKET/KEY where the caller accepts that form.
/// </summary>
public static partial class S3ObjectUrl
{
    /// <param name="url">The address.</param>
    /// <param name="ownAuthority">The host:port the request came to, which names LocalCloud itself (path-style).</param>
    /// <param name="allowS3Scheme">Whether s3://BUCKET/KEY is accepted (AWS::Include takes it; TemplateURL does not).</param>
    public static (string Bucket, string Key)? Parse(string url, string? ownAuthority = null, bool allowS3Scheme = false)
    {
        if (allowS3Scheme && S3Scheme().Match(url) is { Success: true } s3)
        {
            return (s3.Groups["bucket"].Value, s3.Groups["key"].Value);
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            return null;
        }

        var path = uri.AbsolutePath.TrimStart('/');
        if (VirtualHostedS3Host().Match(uri.Host) is { Success: true } virtualHosted)
        {
            return path.Length > 0 ? (virtualHosted.Groups["bucket"].Value, Uri.UnescapeDataString(path)) : null;
        }

        var pathStyle = PathStyleS3Host().IsMatch(uri.Host)
            || uri.IsLoopback
            || string.Equals(uri.Authority, ownAuthority, StringComparison.OrdinalIgnoreCase);
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        return pathStyle && slash > 0 && slash < path.Length - 1
            ? (Uri.UnescapeDataString(path[..slash]), Uri.UnescapeDataString(path[(slash + 1)..]))
            : null;
    }

    [GeneratedRegex("^s3://(?<bucket>[a-z0-9][a-z0-9.-]*)/(?<key>.+)$")]
    private static partial Regex S3Scheme();

    [GeneratedRegex(@"^(?<bucket>[a-z0-9][a-z0-9.-]*)\.s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com$")]
    private static partial Regex VirtualHostedS3Host();

    [GeneratedRegex(@"^s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com$")]
    private static partial Regex PathStyleS3Host();
}
