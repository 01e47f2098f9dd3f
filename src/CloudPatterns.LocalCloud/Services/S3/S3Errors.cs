using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.S3;

/// <summary>S3's refusals with AWS's status, code and message (docs/aws-behaviour.md section 5 and the S3 error list).</summary>
internal static class S3Errors
{
    public static AwsServiceException NoSuchBucket(string bucket) =>
        new(404, "NoSuchBucket", "The specified bucket does not exist") { Fields = [new("BucketName", bucket)] };

    public static AwsServiceException NoSuchKey(string key) =>
        new(404, "NoSuchKey", "The specified key does not exist.") { Fields = [new("Key", key)] };

    public static AwsServiceException NoSuchVersion(string key, string versionId) =>
        new(404, "NoSuchVersion", "The specified version does not exist.") { Fields = [new("Key", key), new("VersionId", versionId)] };

    /// <summary>GET or HEAD of a delete marker by its version id.</summary>
    public static AwsServiceException MethodNotAllowed() =>
        new(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");

    public static AwsServiceException AccessDenied() => new(403, "AccessDenied", "Access Denied");

    /// <summary>A conditional write (If-None-Match: *) to a key that exists.</summary>
    public static AwsServiceException PreconditionFailed() => new(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");

    public static AwsServiceException ProtectedByObjectLock() =>
        new(403, "AccessDenied", "Access Denied because object protected by object lock.");

    public static AwsServiceException InvalidBucketName(string bucket) =>
        new(400, "InvalidBucketName", "The specified bucket is not valid.") { Fields = [new("BucketName", bucket)] };

    public static AwsServiceException BucketAlreadyExists(string bucket) => new(
        409,
        "BucketAlreadyExists",
        "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.")
    {
        Fields = [new("BucketName", bucket)],
    };

    public static AwsServiceException BucketAlreadyOwnedByYou(string bucket) =>
        new(409, "BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.") { Fields = [new("BucketName", bucket)] };

    public static AwsServiceException IllegalLocationConstraint(string? constraint) => new(
        400,
        "IllegalLocationConstraintException",
        $"The {(string.IsNullOrEmpty(constraint) ? "unspecified" : constraint)} location constraint is incompatible for the region specific endpoint this request was sent to.");

    public static AwsServiceException BucketNotEmpty(string bucket, bool versioned) => new(
        409,
        "BucketNotEmpty",
        versioned ? "The bucket you tried to delete is not empty. You must delete all versions in the bucket." : "The bucket you tried to delete is not empty")
    {
        Fields = [new("BucketName", bucket)],
    };

    public static AwsServiceException InvalidBucketState(string message) => new(409, "InvalidBucketState", message);

    public static AwsServiceException InvalidArgument(string message) => new(400, "InvalidArgument", message);

    public static AwsServiceException InvalidRequest(string message) => new(400, "InvalidRequest", message);

    public static AwsServiceException MalformedXml() => new(
        400,
        "MalformedXML",
        "The XML you provided was not well-formed or did not validate against our published schema");

    /// <summary>A configuration that was never set; each GET of a bucket sub-resource has its own code.</summary>
    public static AwsServiceException NotConfigured(string code, string message, string bucket) =>
        new(404, code, message) { Fields = [new("BucketName", bucket)] };

    public static AwsServiceException BadDigest(string message, string expected, string calculated) =>
        new(400, "BadDigest", message) { Fields = [new("ExpectedDigest", expected), new("CalculatedDigest", calculated)] };

    public static AwsServiceException InvalidDigest() => new(400, "InvalidDigest", "The Content-MD5 you specified was invalid.");
}
