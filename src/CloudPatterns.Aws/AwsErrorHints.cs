namespace CloudPatterns.Aws;

/// <summary>One-sentence remediation hints for the AWS error codes a target commonly fails with.</summary>
internal static class AwsErrorHints
{
    public static string? For(string? errorCode) => errorCode switch
    {
        "AccessDenied" or "AccessDeniedException" or "UnauthorizedOperation" =>
            "The identity used in this account lacks permission for the call: extend the role's (or user's) policy, or use another -RoleName.",
        "AWSOrganizationsNotInUseException" => "The account is not in an AWS Organization: run against the organization's management account.",
        "InvalidClientTokenId" or "UnrecognizedClientException" =>
            "The access key is not valid here: check the credentials, and -EndpointUrl if you target an emulator.",
        "SignatureDoesNotMatch" or "InvalidSignatureException" => "The secret key does not match the access key: check the credentials.",
        "ExpiredToken" or "ExpiredTokenException" => "The session has expired: renew the credentials and run again.",
        "Throttling" or "ThrottlingException" or "TooManyRequestsException" or "RequestLimitExceeded" =>
            "AWS throttled the calls even after retries: lower -ThrottleLimit.",
        "OptInRequired" => "The region is not enabled for this account: enable it or leave it out of -Region.",
        _ => null,
    };
}
