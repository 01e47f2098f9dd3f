using System;
using Amazon.Runtime;

namespace CloudPatterns.Aws;

/// <summary>Why one target failed: where, as whom, what AWS said, and what to do about it.</summary>
public sealed class TargetFailure
{
    private TargetFailure(FanOutTarget target, string? roleArn, string? errorCode, string? requestId, string message, string? hint, Exception exception)
    {
        AccountId = target.AccountId;
        Region = target.Region;
        RoleArn = roleArn;
        ErrorCode = errorCode;
        RequestId = requestId;
        Message = message;
        Hint = hint;
        Exception = exception;
    }

    public string AccountId { get; }

    public string Region { get; }

    public string? RoleArn { get; }

    /// <summary>The AWS error code (e.g. <c>AccessDenied</c>); null when the failure did not come from AWS.</summary>
    public string? ErrorCode { get; }

    public string? RequestId { get; }

    public string Message { get; }

    /// <summary>A remediation hint when one is known for the error.</summary>
    public string? Hint { get; }

    /// <summary>The original exception, for an error record's inner exception.</summary>
    public Exception Exception { get; }

    internal static TargetFailure From(FanOutTarget target, Exception exception) => exception switch
    {
        AwsRoleAssumptionException refused =>
            new(target, refused.RoleArn, refused.ErrorCode, refused.RequestId, refused.Message, refused.Hint, exception),
        AmazonServiceException aws =>
            new(target, target.RoleArn, aws.ErrorCode, aws.RequestId, aws.Message, AwsErrorHints.For(aws.ErrorCode), exception),
        _ => new(target, target.RoleArn, null, null, exception.Message, null, exception),
    };
}
