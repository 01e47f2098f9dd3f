namespace CloudPatterns.LocalCloud.Protocols;

/// <summary>The AWS wire protocols; each writes its errors its own way.</summary>
internal enum AwsProtocol
{
    /// <summary>Form-encoded Action=… requests, XML responses (STS, CloudFormation, SNS).</summary>
    Query,

    /// <summary>POST / with X-Amz-Target, JSON bodies, <c>__type</c> errors (Organizations, KMS).</summary>
    Json,

    /// <summary>Per-operation method and URI, JSON bodies, X-Amzn-ErrorType errors (Backup).</summary>
    RestJson,

    /// <summary>S3: per-operation method and URI, XML bodies and errors.</summary>
    RestXml,

    /// <summary>
    /// Route 53: per-operation method and URI, XML bodies, errors as AWS's common <c>&lt;ErrorResponse&gt;</c> in the
    /// service's namespace, and Query's authentication refusals (its front end is AWS's, not S3's).
    /// </summary>
    RestXmlErrorResponse,
}
