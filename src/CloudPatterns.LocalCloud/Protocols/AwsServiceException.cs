namespace CloudPatterns.LocalCloud.Protocols;

/// <summary>
/// An AWS error response: what a handler throws, and what the dispatcher writes in the protocol of the service.
/// </summary>
internal sealed class AwsServiceException(int statusCode, string code, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    /// <summary>The error code clients read (Query &lt;Code&gt;, JSON <c>__type</c>, X-Amzn-ErrorType, S3 &lt;Code&gt;).</summary>
    public string Code { get; } = code;

    /// <summary>Further members of the error shape, e.g. Organizations' Reason or S3's AWSAccessKeyId.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fields { get; init; } = [];

    /// <summary>
    /// Name of the message member in JSON bodies: AWS's front end writes "message"; service models such as
    /// Organizations and Backup name it "Message".
    /// </summary>
    public string JsonMessageMember { get; init; } = "message";

    /// <summary>Query-protocol "1 validation error detected: …" (ValidationError, 400), listing every violation.</summary>
    public static AwsServiceException Validation(string code, IReadOnlyList<string> violations) => new(
        400,
        code,
        $"{violations.Count} validation error{(violations.Count == 1 ? "" : "s")} detected: {string.Join("; ", violations)}");
}
