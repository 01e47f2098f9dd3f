using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Backup;

/// <summary>
/// Backup's refusals (docs/aws-behaviour.md section 4): REST-JSON with X-Amzn-ErrorType, and a body with Code, Message
/// and Type as Backup's error shapes have them. Messages marked (inferred) have no known real AWS text.
/// </summary>
internal static class BackupErrors
{
    /// <summary>What AWS answers for a vault that does not exist (not the modelled ResourceNotFoundException).</summary>
    public static AwsServiceException UnknownVault() => Error(403, "AccessDeniedException", "Insufficient privileges to perform this action.");

    public static AwsServiceException InvalidRequest(string message, string? code = null) => Error(400, "InvalidRequestException", message, code);

    public static AwsServiceException InvalidParameterValue(string message) => Error(400, "InvalidParameterValueException", message);

    public static AwsServiceException MissingParameterValue(string name) => Error(400, "MissingParameterValueException", $"Missing required parameter {name}.");

    public static AwsServiceException ResourceNotFound(string message) => Error(400, "ResourceNotFoundException", message);

    public static AwsServiceException AlreadyExists(string message, string arn, string? creatorRequestId) =>
        Error(400, "AlreadyExistsException", message, extra: [new("Arn", arn), new("CreatorRequestId", creatorRequestId ?? "")]);

    private static AwsServiceException Error(int status, string type, string message, string? code = null, KeyValuePair<string, string>[]? extra = null) =>
        new(status, type, message)
        {
            JsonMessageMember = "Message",
            Fields = [new("Code", code ?? type), new("Type", "User"), .. extra ?? []],
        };
}
