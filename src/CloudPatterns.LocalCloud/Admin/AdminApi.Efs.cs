using System.Text.Json;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Efs;

namespace CloudPatterns.LocalCloud.Admin;

/// <summary>
/// What an NFS client would do with an EFS file system, as admin endpoints (docs/localcloud-efs.md, "Files"): in AWS
/// a file system's data is reachable only by mounting it, so a sandbox writes and reads files here.
/// </summary>
internal sealed partial class AdminApi
{
    /// <summary>
    /// <c>PUT /_localcloud/efs/files</c> <c>{"accountId","region","fileSystemId","files":{"/path":"text"}}</c>: writes
    /// the files into an available file system (200 with every file's SHA-256), 404 for an unknown one, 409 while it is creating.
    /// </summary>
    private (int Status, object Body) WriteEfsFiles(JsonElement body)
    {
        var (account, region, id) = (body.GetStringOrNull("accountId"), body.GetStringOrNull("region"), body.GetStringOrNull("fileSystemId"));
        var files = body.GetStringMapOrEmpty("files");
        if (account is null || region is null || id is null || files.Count == 0 || files.Keys.Any(path => !path.StartsWith('/')))
        {
            return (400, new { error = "Writing EFS files needs accountId, region, fileSystemId and files (an object of \"/path\": \"content\", each path from the root)." });
        }

        return Efs(() => state.Efs.Store.Change(account, region, id, fileSystem =>
        {
            foreach (var (path, content) in files)
            {
                fileSystem.Files[path] = System.Text.Encoding.UTF8.GetBytes(content);
            }

            return EfsStore.Digests(fileSystem);
        }));
    }

    /// <summary><c>GET /_localcloud/efs/files?accountId=&amp;region=&amp;fileSystemId=</c>: the SHA-256 of every file by path.</summary>
    private (int Status, object Body) ReadEfsFiles(HttpRequest request)
    {
        var (account, region, id) = (NullIfEmpty(request.Query["accountId"]), NullIfEmpty(request.Query["region"]), NullIfEmpty(request.Query["fileSystemId"]));
        return account is null || region is null || id is null
            ? (400, new { error = "Reading EFS files needs the accountId, region and fileSystemId query parameters." })
            : Efs(() => state.Efs.Store.Use(account, region, id, EfsStore.Digests));
    }

    private Task EfsFilesAsync(HttpContext http)
    {
        var (status, result) = ReadEfsFiles(http.Request);
        return WriteAsync(http, status, result);
    }

    private static (int Status, object Body) Efs(Func<object> run)
    {
        try
        {
            return (200, run());
        }
        catch (AwsServiceException error)
        {
            return (error.StatusCode, new { error = $"{error.Code}: {error.Message}" });
        }
    }
}
