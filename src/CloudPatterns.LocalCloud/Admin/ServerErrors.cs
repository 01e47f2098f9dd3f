namespace CloudPatterns.LocalCloud.Admin;

/// <summary>
/// The server-side (5xx) errors AWS services answer, with the status and message each sends, so an injected fault
/// reaches clients as the real one would (docs/localcloud-faults.md lists them with their sources).
/// </summary>
internal static class ServerErrors
{
    private static readonly Dictionary<string, (int Status, string Message)> Known = new(StringComparer.Ordinal)
    {
        // The errors common to every service's API reference.
        ["InternalFailure"] = (500, "The request processing has failed because of an unknown error, exception or failure."),
        ["ServiceUnavailable"] = (503, "The request has failed due to a temporary failure of the server."),

        // S3 (REST-XML) and SNS use InternalError; S3 asks clients to back off with SlowDown.
        ["InternalError"] = (500, "We encountered an internal error. Please try again."),
        ["SlowDown"] = (503, "Please reduce your request rate."),

        // Service models that mark their own exceptions as faults.
        ["ServiceUnavailableException"] = (500, "The request failed due to a temporary failure of the server."),
        ["DependencyFailureException"] = (500, "A dependent AWS service or resource returned an error to the AWS Backup service, and the action cannot be completed."),
        ["ServiceException"] = (500, "AWS Organizations can't complete your request because of an internal service error. Try again later."),
        ["KMSInternalException"] = (500, "The request was rejected because an internal exception occurred. The request can be retried."),
        ["DependencyTimeoutException"] = (503, "The system timed out while trying to fulfill the request. You can retry the request."),
        ["ServiceFailure"] = (500, "The request processing has failed because of an unknown error, exception or failure."),
        ["InternalServerError"] = (500, "An error occurred on the server side."),
    };

    /// <summary>The HTTP status AWS sends with <paramref name="code"/>: its 5xx status for a server error, otherwise 400.</summary>
    public static int StatusFor(string code) => Known.TryGetValue(code, out var known) ? known.Status : 400;

    /// <summary>AWS's message for a server error code, or null for a code that is not one.</summary>
    public static string? MessageFor(string code) => Known.TryGetValue(code, out var known) ? known.Message : null;
}
