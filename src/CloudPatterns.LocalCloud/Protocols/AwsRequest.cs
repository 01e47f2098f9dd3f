using CloudPatterns.LocalCloud.Authorization;
using CloudPatterns.LocalCloud.Identity;

namespace CloudPatterns.LocalCloud.Protocols;

/// <summary>
/// A further permission a request needs beyond its operation's action: (the service acting, e.g. "s3"; the action;
/// the resource), decided for the caller by <see cref="RequestAuthorizer.AuthorizeAlso"/>.
/// </summary>
internal delegate AuthorizationOutcome FurtherPermission(string viaService, string action, string resource);

/// <summary>An authenticated, authorized request: who called, in which region, and the raw body.</summary>
internal sealed class AwsRequest(HttpContext http, byte[] body, string requestId, string region, CallerIdentity caller, FurtherPermission furtherPermission)
{
    public HttpContext Http { get; } = http;

    public byte[] Body { get; } = body;

    public string RequestId { get; } = requestId;

    /// <summary>Region from the SigV4 credential scope.</summary>
    public string Region { get; } = region;

    public CallerIdentity Caller { get; } = caller;

    public string AccountId => Caller.AccountId;

    /// <summary>Whether the caller also holds <paramref name="action"/> on <paramref name="resource"/> (e.g. s3:BypassGovernanceRetention).</summary>
    public bool Permits(string service, string action, string resource) => furtherPermission(service, action, resource).Decision.Allowed;

    /// <summary>
    /// Refuses, as <paramref name="service"/> refuses in AWS, unless the caller also holds <paramref name="action"/> on
    /// <paramref name="resource"/> (S3's kms:GenerateDataKey under SSE-KMS, Backup's iam:PassRole).
    /// </summary>
    public void Demand(string service, string action, string resource)
    {
        var outcome = furtherPermission(service, action, resource);
        if (!outcome.Decision.Allowed)
        {
            throw AccessDeniedErrors.For(service, Caller, action, outcome.Resource!, outcome.Decision);
        }
    }
}
