namespace CloudPatterns.LocalCloud.Auth;

/// <summary>Why a request's SigV4 authentication failed; <see cref="AuthErrors"/> turns it into each protocol's error.</summary>
internal enum AuthFailureKind
{
    MissingAuthentication,
    MalformedAuthorization,
    UnknownAccessKey,
    ExpiredToken,
    SignatureMismatch,
    RequestTimeSkewed,
    PresignedUrlExpired,
    ContentHashMismatch,
}

/// <param name="Kind">The failure.</param>
/// <param name="Detail">The AWS message where it depends on the request (malformed header, skew, scope date); null for the standard message.</param>
/// <param name="AccessKeyId">The access key the request named, when known.</param>
/// <param name="CanonicalRequest">For signature mismatches: what LocalCloud signed (S3 returns it; it holds no secret).</param>
/// <param name="StringToSign">For signature mismatches: the string LocalCloud signed.</param>
/// <param name="RequestTime">For skew: the request's X-Amz-Date.</param>
internal sealed record AuthFailure(
    AuthFailureKind Kind,
    string? Detail = null,
    string? AccessKeyId = null,
    string? CanonicalRequest = null,
    string? StringToSign = null,
    DateTimeOffset? RequestTime = null);
