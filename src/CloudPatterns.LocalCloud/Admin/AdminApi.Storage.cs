using System.Text.Json;
using CloudPatterns.LocalCloud.Hosting;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Admin;

/// <summary>Admin endpoints for S3, SNS and the state file.</summary>
internal sealed partial class AdminApi
{
    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>
    /// <c>POST /_localcloud/s3/tamper</c> <c>{"bucket","key","versionId"?,"content"}</c>: replaces the bytes of a
    /// stored version (the latest when no versionId) without touching its Object Lock, as an attacker with storage
    /// access could, so that evidence verification can be tested. 204, or 404 when there is no such version.
    /// </summary>
    private async Task TamperAsync(HttpContext http)
    {
        TamperRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<TamperRequest>(http.Request.Body, JsonOptions, http.RequestAborted);
        }
        catch (JsonException error)
        {
            await WriteAsync(http, 400, new { error = $"The tamper request is not valid JSON: {error.Message}" });
            return;
        }

        if (body is not { Bucket: { Length: > 0 } bucket, Key: { Length: > 0 } key, Content: { } content })
        {
            await WriteAsync(http, 400, new { error = "A tamper request needs bucket, key and content (and optionally versionId)." });
            return;
        }

        try
        {
            state.S3.Tamper(bucket, key, body.VersionId, System.Text.Encoding.UTF8.GetBytes(content));
            http.Response.StatusCode = 204;
        }
        catch (AwsServiceException error)
        {
            await WriteAsync(http, error.StatusCode, new { error = $"{error.Code}: {error.Message}" });
        }
    }

    /// <summary><c>POST /_localcloud/state/save</c>: writes the --state file now (409 when LocalCloud runs without one).</summary>
    private Task SaveState(HttpContext http)
    {
        if (statePath is null)
        {
            return WriteAsync(http, 409, new { error = "LocalCloud was started without --state, so there is no file to save to." });
        }

        StateFile.Save(statePath, state);
        return WriteAsync(http, 200, new { path = statePath });
    }

    private sealed record TamperRequest(string? Bucket, string? Key, string? VersionId, string? Content);
}
