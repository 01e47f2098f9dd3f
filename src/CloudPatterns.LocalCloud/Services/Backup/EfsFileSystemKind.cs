using System.Globalization;
using System.Text.Json;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Efs;
using CloudPatterns.LocalCloud.Services.Resources;

namespace CloudPatterns.LocalCloud.Services.Backup;

/// <summary>
/// EFS file systems as AWS Backup protects them (docs/localcloud-backup-kinds.md, "EFS"): the recovery point keeps
/// every file; a restore into a new file system (newFileSystem "true") or into the backed-up one puts them, never over
/// anything, into a recovery directory aws-backup-restore_TIMESTAMP off the root; ItemsToRestore limits it to paths.
/// </summary>
internal sealed class EfsFileSystemKind(EfsOperations efs) : IStoreBackedKind
{
    public const string NewFileSystemKey = "newFileSystem";
    public const string FileSystemIdKey = "file-system-id";
    private const string FilesAttribute = "localcloud:files";
    private const string ItemsKey = "ItemsToRestore";

    public ResourceKind Kind => ResourceKind.EfsFileSystem;

    /// <summary>The account's file systems in the region, as a plan's selection sees them (ARN and tags).</summary>
    public IReadOnlyList<CloudResource> Selectable(string accountId, string region) =>
        [.. efs.Store.List(accountId, region, null, null).Select(listed => new CloudResource(Kind, accountId, region, listed.FileSystem.Id, listed.FileSystem.CreationTime,
            Tags(listed.FileSystem), new Dictionary<string, string>(StringComparer.Ordinal)))];

    /// <summary>A file system's tags as a recovery point's resource record keeps them (what a plan's selection reads).</summary>
    private static Dictionary<string, string> Tags(EfsFileSystem fileSystem) =>
        fileSystem.Tags.ToDictionary(tag => tag.Key, tag => tag.Value, StringComparer.Ordinal);

    public CloudResource? Capture(string resourceArn, string accountId, string region, DateTimeOffset now)
    {
        if (!resourceArn.StartsWith($"arn:aws:elasticfilesystem:{region}:{accountId}:file-system/fs-", StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            return efs.Store.Use(accountId, region, resourceArn, fileSystem => fileSystem.LifeCycleState(now) == "available"
                ? new CloudResource(Kind, accountId, region, fileSystem.Id, fileSystem.CreationTime, Tags(fileSystem), new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["Encrypted"] = fileSystem.Encrypted ? "true" : "false",
                    ["KmsKeyId"] = fileSystem.KmsKeyArn ?? "",
                    ["PerformanceMode"] = fileSystem.PerformanceMode,
                    ["CreationToken"] = fileSystem.CreationToken,
                    [FilesAttribute] = JsonSerializer.Serialize(fileSystem.Files.ToDictionary(file => file.Key, file => Convert.ToBase64String(file.Value), StringComparer.Ordinal)),
                })
                // (inferred) text: AWS backs up only an available file system; its refusal's wording is unknown.
                : throw BackupErrors.InvalidParameterValue($"Invalid resource ARN {resourceArn}: file system {fileSystem.Id} is {fileSystem.LifeCycleState(now)}; only an available file system can be backed up."));
        }
        catch (AwsServiceException error) when (error.Code == "FileSystemNotFound")
        {
            return null;
        }
    }

    public IReadOnlyDictionary<string, string> RestoreMetadata(CloudResource captured) => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [FileSystemIdKey] = captured.Name,
        ["Encrypted"] = captured.Attributes["Encrypted"],
        ["KmsKeyId"] = captured.Attributes["KmsKeyId"],
        ["PerformanceMode"] = captured.Attributes["PerformanceMode"],
        ["CreationToken"] = captured.Attributes["CreationToken"],
        [NewFileSystemKey] = "false",
    };

    public void CheckRestore(CloudResource captured, IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.ContainsKey(FileSystemIdKey))
        {
            // [API] lists file-system-id among the metadata an EFS restore needs; the text is (inferred).
            throw BackupErrors.InvalidParameterValue($"Restore metadata must contain {FileSystemIdKey} to restore an EFS recovery point.");
        }

        foreach (var key in new[] { NewFileSystemKey, "Encrypted" })
        {
            if (metadata.GetValueOrDefault(key) is { } value && !bool.TryParse(value, out _))
            {
                // (inferred) text.
                throw BackupErrors.InvalidParameterValue($"Restore metadata {key} must be \"true\" or \"false\", not \"{value}\".");
            }
        }

        if (metadata.GetValueOrDefault("KmsKeyId") is { Length: > 0 } keyId && !string.Equals(metadata.GetValueOrDefault("Encrypted"), "true", StringComparison.OrdinalIgnoreCase))
        {
            // [RST-API] "If KmsKeyId is specified, Encrypted must be set to true."
            throw BackupErrors.InvalidParameterValue($"Restore metadata KmsKeyId {keyId} needs Encrypted \"true\".");
        }

        if (metadata.GetValueOrDefault("PerformanceMode") is { } mode && mode is not ("generalPurpose" or "maxIO"))
        {
            throw BackupErrors.InvalidParameterValue($"Restore metadata PerformanceMode must be generalPurpose or maxIO, not \"{mode}\".");
        }

        var items = Items(metadata);
        if (items is { Count: < 1 or > 5 } || items?.Any(item => !item.StartsWith('/')) == true)
        {
            throw BackupErrors.InvalidParameterValue($"Restore metadata ItemsToRestore must be a JSON array of one to five paths from the file system's root (\"/dir/file\"), not {metadata[ItemsKey]}.");
        }
    }

    public (string? CreatedArn, string? Failure) Restore(CloudResource captured, string accountId, string region, IReadOnlyDictionary<string, string> metadata, bool copySourceTags, DateTimeOffset time)
    {
        var items = Items(metadata);
        var files = (JsonSerializer.Deserialize<Dictionary<string, string>>(captured.Attributes[FilesAttribute]) ?? [])
            .Where(file => items is null || items.Any(item => file.Key == item || file.Key.StartsWith(item.TrimEnd('/') + "/", StringComparison.Ordinal)))
            .ToDictionary(file => file.Key, file => Convert.FromBase64String(file.Value), StringComparer.Ordinal);
        var directory = "/aws-backup-restore_" + time.UtcDateTime.ToString("yyyy-MM-dd'T'HH-mm-ss-fff'Z'", CultureInfo.InvariantCulture);
        try
        {
            var target = IsNew(metadata)
                ? efs.CreateFileSystem(accountId, region, new FileSystemRequest(
                    metadata.GetValueOrDefault("CreationToken") is { Length: > 0 } token && token != captured.Attributes["CreationToken"] ? token : "aws-backup-restore-" + Guid.NewGuid().ToString("N"),
                    metadata.GetValueOrDefault("PerformanceMode") ?? captured.Attributes["PerformanceMode"], null, null,
                    string.Equals(metadata.GetValueOrDefault("Encrypted") ?? captured.Attributes["Encrypted"], "true", StringComparison.OrdinalIgnoreCase),
                    metadata.GetValueOrDefault("KmsKeyId") is { Length: > 0 } key ? key : null, null, null,
                    copySourceTags ? [.. captured.Tags.Select(tag => new EfsTag(tag.Key, tag.Value))] : []), waited: true, at: time).Id
                : metadata[FileSystemIdKey];
            // The restore job, not a client, fills the file system; the job ends when it is available (inferred).
            efs.Store.Use(accountId, region, target, fileSystem =>
            {
                foreach (var (path, content) in files)
                {
                    fileSystem.Files[directory + path] = content;
                }

                return fileSystem;
            });
            return ($"arn:aws:elasticfilesystem:{region}:{accountId}:file-system/{target[(target.LastIndexOf('/') + 1)..]}", null);
        }
        catch (AwsServiceException error)
        {
            // (inferred) text: the failure names EFS's refusal.
            return (null, $"Restore failed: {error.Code}: {error.Message}");
        }
    }

    public void DeleteRestored(string accountId, string createdArn)
    {
        var region = createdArn.Split(':')[3];
        foreach (var mountTarget in efs.Store.MountTargets(accountId, region, createdArn, null, null))
        {
            efs.Store.DeleteMountTarget(accountId, region, mountTarget.Id);
        }

        efs.Store.Delete(accountId, region, createdArn);
    }

    private static bool IsNew(IReadOnlyDictionary<string, string> metadata) =>
        string.Equals(metadata.GetValueOrDefault(NewFileSystemKey), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>ItemsToRestore's paths (a JSON array as text), or null for a full restore; an unreadable value is refused by <see cref="CheckRestore"/>.</summary>
    private static List<string>? Items(IReadOnlyDictionary<string, string> metadata)
    {
        if (metadata.GetValueOrDefault(ItemsKey) is not { } text)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<List<string>>(text) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
