using System;
using System.Collections.Generic;
using System.Net;
using Amazon.Runtime;

namespace CloudPatterns.Aws;

/// <summary>How AWS classifies a refusal: by HTTP status and the exact error code, never by parts of a code.</summary>
public enum AwsErrorKind
{
    /// <summary>The failure did not come from AWS.</summary>
    NotAws,
    AccessDenied,
    AuthenticationFailed,
    NotFound,
    Throttled,
    InvalidRequest,
    Conflict,
    ServiceFailure,
}

/// <summary>
/// The one mapping of a failure to what a user needs: where (account, region, role), what AWS said (code, request id,
/// message), its classification and a remediation hint. Fan-out items and the cmdlets' error records both use it.
/// </summary>
public sealed class AwsFailure
{
    // Codes AWS answers with 400 or 403 whose meaning the status does not tell. Sources: docs/aws-errors.md.
    private static readonly HashSet<string> AuthenticationCodes = new(StringComparer.Ordinal)
    {
        "InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch", "InvalidSignatureException",
        "IncompleteSignature", "MissingAuthenticationToken", "ExpiredToken", "ExpiredTokenException", "AuthFailure",
    };

    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "TooManyRequestsException", "RequestLimitExceeded",
        "SlowDown", "RequestThrottled", "RequestThrottledException", "ProvisionedThroughputExceededException",
    };

    private static readonly HashSet<string> AccessDeniedCodes = new(StringComparer.Ordinal)
    {
        "AccessDenied", "AccessDeniedException", "UnauthorizedOperation",
    };

    private static readonly HashSet<string> NotFoundCodes = new(StringComparer.Ordinal)
    {
        "ResourceNotFoundException", "NoSuchEntity", "NoSuchBucket", "NoSuchKey", "NotFoundException", "AccountNotFoundException",
        "OrganizationalUnitNotFoundException", "NotFound",
    };

    private AwsFailure(AwsErrorKind kind, string? errorCode, string? requestId, string message, string? hint, string? accountId, string? region, string? roleArn, Exception exception)
    {
        Kind = kind;
        ErrorCode = errorCode;
        RequestId = requestId;
        Message = message;
        Hint = hint;
        AccountId = accountId;
        Region = region;
        RoleArn = roleArn;
        Exception = exception;
    }

    public AwsErrorKind Kind { get; }

    /// <summary>The AWS error code (e.g. <c>AccessDenied</c>); null when the failure did not come from AWS.</summary>
    public string? ErrorCode { get; }

    public string? RequestId { get; }

    /// <summary>What went wrong, as AWS (or the exception) said it.</summary>
    public string Message { get; }

    /// <summary>A remediation hint when one is known for the error; for an access denial, what to add or change where.</summary>
    public string? Hint { get; }

    /// <summary>The principal, action, resource and deciding policy type of an access denial, parsed from AWS's message; else null.</summary>
    public AccessDenial? Denial => Kind == AwsErrorKind.AccessDenied && Exception is AmazonServiceException ? AccessDenial.Parse(Message) : null;

    public string? AccountId { get; }

    public string? Region { get; }

    public string? RoleArn { get; }

    /// <summary>The original exception, for an error record's inner exception.</summary>
    public Exception Exception { get; }

    public bool FromAws => Kind != AwsErrorKind.NotAws;

    /// <summary>The message with AWS's code and request id, for text that stands on its own (a check, a warning).</summary>
    public string Summary => Exception is AmazonServiceException ? $"{Message} ({ErrorCode}, request id {RequestId})" : Message;

    /// <summary>
    /// Whether AWS said "later", not "no": throttling or a server error (5xx), which the SDK already retried and a
    /// caller may retry again before it gives up.
    /// </summary>
    public static bool IsTransient(Exception exception) => Describe(exception)?.Kind is AwsErrorKind.Throttled or AwsErrorKind.ServiceFailure;

    /// <summary>Whether AWS throttled the call (each service has its own code for it).</summary>
    public static bool IsThrottling(Exception exception) => Describe(exception)?.Kind == AwsErrorKind.Throttled;

    /// <summary>The refusal <paramref name="exception"/> carries, or null when it did not come from AWS.</summary>
    public static AwsFailure? Describe(Exception exception)
    {
        var failure = Of(exception, null);
        return failure.FromAws ? failure : null;
    }

    /// <summary>Any failure, with the target it happened in when there is one.</summary>
    public static AwsFailure Of(Exception exception, FanOutTarget? target) => exception switch
    {
        AwsRoleAssumptionException refused => new(Classify(refused.ErrorCode, refused.StatusCode), refused.ErrorCode, refused.RequestId, refused.Message, refused.Hint,
            refused.AccountId, target?.Region, refused.RoleArn, exception),
        AmazonServiceException aws => new(Classify(aws.ErrorCode, aws.StatusCode), aws.ErrorCode, aws.RequestId, aws.Message, HintFor(aws),
            target?.AccountId, target?.Region, target?.RoleArn, exception),
        _ => new(AwsErrorKind.NotAws, null, null, exception.Message, null, target?.AccountId, target?.Region, target?.RoleArn, exception),
    };

    private static string? HintFor(AmazonServiceException aws) =>
        (Classify(aws.ErrorCode, aws.StatusCode) == AwsErrorKind.AccessDenied ? AccessDenial.Parse(aws.Message)?.Remedy : null) ?? AwsErrorHints.For(aws.ErrorCode);

    /// <summary>AWS's classification of an error: the exact code where AWS gives it a meaning of its own, else the HTTP status.</summary>
    public static AwsErrorKind Classify(string? errorCode, HttpStatusCode status)
    {
        var code = errorCode ?? string.Empty;
        if (ThrottlingCodes.Contains(code) || (int)status == 429)
        {
            return AwsErrorKind.Throttled;
        }

        if (AuthenticationCodes.Contains(code) || status == HttpStatusCode.Unauthorized)
        {
            return AwsErrorKind.AuthenticationFailed;
        }

        if (AccessDeniedCodes.Contains(code) || status == HttpStatusCode.Forbidden)
        {
            return AwsErrorKind.AccessDenied;
        }

        if (NotFoundCodes.Contains(code) || status == HttpStatusCode.NotFound)
        {
            return AwsErrorKind.NotFound;
        }

        return (int)status switch
        {
            409 => AwsErrorKind.Conflict,
            >= 500 => AwsErrorKind.ServiceFailure,
            _ => AwsErrorKind.InvalidRequest,
        };
    }
}
