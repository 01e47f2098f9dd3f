using System;
using Amazon.Runtime;

namespace CloudPatterns.Aws;

/// <summary>What AWS said when it refused a call, without exposing SDK types to callers.</summary>
public sealed class AwsFailure
{
    private AwsFailure(string errorCode, string? requestId, string message, string? hint)
    {
        ErrorCode = errorCode;
        RequestId = requestId;
        Message = message;
        Hint = hint;
    }

    public string ErrorCode { get; }

    public string? RequestId { get; }

    /// <summary>AWS's message with the code and request id, for an error record.</summary>
    public string Message { get; }

    public string? Hint { get; }

    /// <summary>
    /// Whether AWS said "later", not "no": a server error (5xx) or throttling, which the SDK already retried and a
    /// caller may retry again before it gives up.
    /// </summary>
    public static bool IsTransient(Exception exception) =>
        (exception is AmazonServiceException aws && (int)aws.StatusCode >= 500) || IsThrottling(exception);

    /// <summary>Whether AWS throttled the call (each service has its own code for it).</summary>
    public static bool IsThrottling(Exception exception) => exception is AmazonServiceException aws
        && (aws.Retryable?.Throttling == true || Array.IndexOf(ThrottlingCodes, aws.ErrorCode) >= 0);

    private static readonly string[] ThrottlingCodes =
    {
        "Throttling", "ThrottlingException", "ThrottledException", "TooManyRequestsException", "SlowDown",
        "RequestLimitExceeded", "RequestThrottled", "RequestThrottledException", "ProvisionedThroughputExceededException",
    };

    /// <summary>The refusal <paramref name="exception"/> carries, or null when it did not come from AWS.</summary>
    public static AwsFailure? Describe(Exception exception) => exception switch
    {
        AwsRoleAssumptionException refused => new AwsFailure(refused.ErrorCode ?? "AssumeRoleFailed", refused.RequestId, refused.Message, refused.Hint),
        AmazonServiceException aws => new AwsFailure(
            aws.ErrorCode ?? aws.StatusCode.ToString(),
            aws.RequestId,
            $"{aws.Message} ({aws.ErrorCode}, request id {aws.RequestId})",
            AwsErrorHints.For(aws.ErrorCode)),
        _ => null,
    };
}
