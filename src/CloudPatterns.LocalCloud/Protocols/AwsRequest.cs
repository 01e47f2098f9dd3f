using CloudPatterns.LocalCloud.Identity;

namespace CloudPatterns.LocalCloud.Protocols;

/// <summary>An authenticated request: who called, in which region, and the raw body.</summary>
internal sealed class AwsRequest(HttpContext http, byte[] body, string requestId, string region, CallerIdentity caller)
{
    public HttpContext Http { get; } = http;

    public byte[] Body { get; } = body;

    public string RequestId { get; } = requestId;

    /// <summary>Region from the SigV4 credential scope.</summary>
    public string Region { get; } = region;

    public CallerIdentity Caller { get; } = caller;

    public string AccountId => Caller.AccountId;
}
