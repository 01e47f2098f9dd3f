namespace CloudPatterns.LocalCloud.CloudFormation;

/// <summary>
/// A request CloudFormation refuses synchronously, carrying the AWS error code (e.g. ValidationError,
/// AlreadyExistsException, InsufficientCapabilitiesException) and the exact AWS message.
/// </summary>
public sealed class CloudFormationException(string errorCode, string message) : Exception(message)
{
    public string ErrorCode { get; } = errorCode;

    public static CloudFormationException Validation(string message) => new("ValidationError", message);

    public static CloudFormationException TemplateFormat(string detail) => Validation("Template format error: " + detail);
}

/// <summary>
/// A failure while provisioning one resource; its message becomes the resource's *_FAILED status reason.
/// Provisioners throw it for refusals their service would give (AWS-shaped text, no stack traces).
/// </summary>
public sealed class ResourceFailedException(string message) : Exception(message)
{
    /// <summary>
    /// What a failed create leaves for the rollback to delete: a custom resource whose provider was asked may have
    /// made something, so the rollback sends it a Delete (docs/localcloud-cloudformation-custom-resources.md). Null
    /// when nothing was made.
    /// </summary>
    public Provisioning.ProvisionedResource? LeftForRollback { get; init; }
}
