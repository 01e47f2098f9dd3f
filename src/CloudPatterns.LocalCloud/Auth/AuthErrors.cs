using System.Globalization;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Auth;

/// <summary>How each protocol refuses a request that fails authentication (docs/aws-behaviour.md section 1).</summary>
internal static class AuthErrors
{
    private const string InvalidTokenMessage = "The security token included in the request is invalid.";
    private const string ExpiredTokenMessage = "The security token included in the request is expired";
    private const string SignatureMessage = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

    public static AwsServiceException For(AwsProtocol protocol, AuthFailure failure, DateTimeOffset serverTime) => protocol switch
    {
        AwsProtocol.Query or AwsProtocol.RestXmlErrorResponse => failure.Kind switch
        {
            AuthFailureKind.MissingAuthentication => new(403, "MissingAuthenticationToken", "Request is missing Authentication Token"),
            AuthFailureKind.MalformedAuthorization => new(400, "IncompleteSignature", failure.Detail!),
            AuthFailureKind.UnknownAccessKey => new(403, "InvalidClientTokenId", InvalidTokenMessage),
            AuthFailureKind.ExpiredToken => new(403, "ExpiredToken", ExpiredTokenMessage),
            _ => new(403, "SignatureDoesNotMatch", failure.Detail ?? SignatureMessage),
        },

        // JSON 1.1 front ends answer 400; REST-JSON ones 403 (inferred from Lambda, see docs/aws-behaviour.md).
        AwsProtocol.Json or AwsProtocol.RestJson => JsonFamily(failure, protocol == AwsProtocol.Json ? 400 : 403),
        _ => S3(failure, serverTime),
    };

    private static AwsServiceException JsonFamily(AuthFailure failure, int status) => failure.Kind switch
    {
        AuthFailureKind.MissingAuthentication => new(status, "MissingAuthenticationTokenException", "Missing Authentication Token"),
        AuthFailureKind.MalformedAuthorization => new(status, "IncompleteSignatureException", failure.Detail!),
        AuthFailureKind.UnknownAccessKey => new(status, "UnrecognizedClientException", InvalidTokenMessage),
        AuthFailureKind.ExpiredToken => new(status, "ExpiredTokenException", ExpiredTokenMessage),
        _ => new(status, "InvalidSignatureException", failure.Detail ?? SignatureMessage),
    };

    private static AwsServiceException S3(AuthFailure failure, DateTimeOffset serverTime) => failure.Kind switch
    {
        AuthFailureKind.MissingAuthentication => new(403, "AccessDenied", "Access Denied"),
        AuthFailureKind.MalformedAuthorization => new(400, "AuthorizationHeaderMalformed", failure.Detail!),
        AuthFailureKind.UnknownAccessKey => new(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.")
        {
            Fields = [new("AWSAccessKeyId", failure.AccessKeyId ?? "")],
        },

        // S3 also echoes the token as <Token-0>; LocalCloud never writes session tokens into responses.
        AuthFailureKind.ExpiredToken => new(400, "ExpiredToken", "The provided token has expired."),
        AuthFailureKind.RequestTimeSkewed => new(403, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large.")
        {
            Fields =
            [
                new("RequestTime", failure.RequestTime?.ToString("ddd, dd MMM yyyy HH:mm:ss 'GMT'", CultureInfo.InvariantCulture) ?? ""),
                new("ServerTime", serverTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
                new("MaxAllowedSkewMilliseconds", "900000"),
            ],
        },
        AuthFailureKind.PresignedUrlExpired => new(403, "AccessDenied", "Request has expired"),
        AuthFailureKind.ContentHashMismatch => new(400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed."),
        _ => new(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.")
        {
            Fields =
            [
                new("AWSAccessKeyId", failure.AccessKeyId ?? ""),
                new("StringToSign", failure.StringToSign ?? ""),
                new("CanonicalRequest", failure.CanonicalRequest ?? ""),
            ],
        },
    };
}
