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
