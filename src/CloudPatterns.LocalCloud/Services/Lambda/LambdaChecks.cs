using CloudPatterns.LocalCloud.Authorization;
using CloudPatterns.LocalCloud.Identity;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Iam;
using CloudPatterns.LocalCloud.Services.S3;
using CloudPatterns.LocalCloud.Services.AsyncDelivery;

namespace CloudPatterns.LocalCloud.Services.Lambda;

/// <summary>What Lambda checks of a function's role and code, for the API and for CloudFormation alike.</summary>
internal static class LambdaChecks
{
    // Lambda sets these itself; a function may not (Lambda developer guide, defined runtime environment variables).
    private static readonly string[] ReservedVariables =
    [
        "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME",
        "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
        "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
    ];

    /// <summary>Refuses environment variables Lambda reserves, naming each, as Lambda does.</summary>
    public static void RequireNoReservedVariables(IReadOnlyDictionary<string, string>? environment)
    {
        var reserved = environment?.Keys.Where(key => ReservedVariables.Contains(key, StringComparer.Ordinal)).ToList() ?? [];
        if (reserved.Count > 0)
        {
            throw LambdaArns.InvalidParameter(
                "Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. "
                + $"Reserved keys used in this request: {string.Join(",", reserved)}");
        }
    }

    /// <summary>A dead-letter target (null or empty: none): an SNS topic or an SQS queue (docs/localcloud-delivery.md).</summary>
    public static string? DeadLetterTarget(string? targetArn) => targetArn switch
    {
        null or "" => null,
        _ when DeadLetters.IsTarget(targetArn) => targetArn,
        _ => throw LambdaArns.InvalidParameter($"The dead-letter target {targetArn} is not an SNS topic or SQS queue ARN."),
    };

    /// <summary>The role must exist and its trust policy let lambda.amazonaws.com assume it, else AWS's InvalidParameterValueException.</summary>
    public static void RequireRoleTrustingLambda(IamStore iam, string organizationId, string roleArn)
    {
        if (!ServiceTrust.Allows(iam, organizationId, roleArn, "lambda.amazonaws.com"))
        {
            throw LambdaArns.InvalidParameter("The role defined for the function cannot be assumed by Lambda.");
        }
    }

    /// <summary>A deployment package in S3 (the caller's permission already checked); S3's refusal as Lambda words it.</summary>
    public static byte[] ReadS3Code(S3Store s3, string accountId, string bucket, string key, string? versionId)
    {
        try
        {
            var version = s3.GetVersion(accountId, bucket, key, versionId);
            return version.IsDeleteMarker ? throw new AwsServiceException(404, "NoSuchKey", "The specified key does not exist.") : version.Data;
        }
        catch (AwsServiceException error)
        {
            throw LambdaArns.InvalidParameter($"Error occurred while GetObject. S3 Error Code: {error.Code}. S3 Error Message: {error.Message}");
        }
    }

    /// <summary>The package if it is a zip archive (it starts with "PK"), else Lambda's refusal.</summary>
    public static byte[] RequireZip(byte[] zip) =>
        zip.Length >= 4 && zip[0] == 'P' && zip[1] == 'K'
            ? zip
            : throw LambdaArns.InvalidParameter("Could not unzip uploaded file. Please check your file, then try to upload again.");
}
