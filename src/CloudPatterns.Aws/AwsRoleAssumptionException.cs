using System;
using System.Net;
using Amazon.Runtime;

namespace CloudPatterns.Aws;

/// <summary>STS refused to let the caller assume the role in a target account.</summary>
public sealed class AwsRoleAssumptionException : Exception
{
    internal AwsRoleAssumptionException(string accountId, string roleArn, string callerArn, bool externalIdGiven, AmazonServiceException innerException)
        : base(BuildMessage(accountId, roleArn, callerArn, externalIdGiven, innerException), innerException)
    {
        AccountId = accountId;
        RoleArn = roleArn;
        ErrorCode = innerException.ErrorCode;
        RequestId = innerException.RequestId;
        StatusCode = innerException.StatusCode;
        Hint = BuildHint(roleArn, callerArn, externalIdGiven, innerException.ErrorCode);
    }

    public string AccountId { get; }

    public string RoleArn { get; }

    /// <summary>The AWS error code, e.g. <c>AccessDenied</c>.</summary>
    public string? ErrorCode { get; }

    public string? RequestId { get; }

    public HttpStatusCode StatusCode { get; }

    /// <summary>What to check or do, in one or two sentences.</summary>
    public string Hint { get; }

    private static string BuildMessage(string accountId, string roleArn, string callerArn, bool externalIdGiven, AmazonServiceException error) =>
        $"Could not assume role {roleArn} in account {accountId} ({error.ErrorCode}, request id {error.RequestId}): {error.Message} " +
        BuildHint(roleArn, callerArn, externalIdGiven, error.ErrorCode);

    private static string BuildHint(string roleArn, string callerArn, bool externalIdGiven, string? errorCode) => errorCode switch
    {
        "AccessDenied" =>
            $"Likely causes: the role does not exist in that account (check -RoleName), its trust policy does not allow {callerArn}, " +
            (externalIdGiven
                ? "or the trust policy's sts:ExternalId condition does not match -ExternalId."
                : "or the trust policy requires an sts:ExternalId (pass -ExternalId)."),
        "RegionDisabledException" => "STS is not activated in this region for the caller's account: activate it in IAM account settings or use another -Region.",
        "ExpiredToken" or "ExpiredTokenException" => "The caller's session has expired: renew the credentials (e.g. aws sso login) and run again.",
        "ValidationError" => $"STS rejected the request for {roleArn}: check -RoleName and the role's maximum session duration.",
        _ => $"Check that {callerArn} may call sts:AssumeRole on {roleArn}.",
    };
}
