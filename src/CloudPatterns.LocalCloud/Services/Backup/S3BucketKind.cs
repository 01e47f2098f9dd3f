using System.Text.Json;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Resources;
using CloudPatterns.LocalCloud.Services.S3;

namespace CloudPatterns.LocalCloud.Services.Backup;

/// <summary>
/// S3 buckets as AWS Backup protects them (docs/localcloud-backup-kinds.md, "S3"): only a bucket with versioning
/// enabled is backed up; the recovery point keeps the current version of every object (delete markers hide a key);
/// a restore puts them, as new versions, into a new bucket (NewBucket "true") or an existing one of the same account
/// and region, never over a key that has a current version there.
/// </summary>
internal sealed class S3BucketKind(S3Store s3) : IStoreBackedKind
{
    /// <summary>The captured objects, kept with the recovery point's resource record (and so in the state file); never restore metadata.</summary>
    private const string ObjectsAttribute = "localcloud:objects";
    private const string NameKey = "DestinationBucketName";
    private const string NewBucketKey = "NewBucket";
    private const string ArnPrefix = "arn:aws:s3:::";

    public ResourceKind Kind => ResourceKind.S3Bucket;

    public IReadOnlyList<CloudResource> Selectable(string accountId, string region) =>
        [.. s3.ListBuckets(accountId).Where(bucket => bucket.Region == region).Select(bucket => s3.Read(accountId, bucket.Name, found =>
            new CloudResource(Kind, found.OwnerAccountId, found.Region, found.Name, found.CreationDate, Tags(found), new Dictionary<string, string>(StringComparer.Ordinal))))];

    public CloudResource? Capture(string resourceArn, string accountId, string region, DateTimeOffset now)
    {
        if (!resourceArn.StartsWith(ArnPrefix, StringComparison.Ordinal) || resourceArn[ArnPrefix.Length..] is not { Length: > 0 } name || name.Contains('/', StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            return s3.Read(accountId, name, bucket => bucket.Region != region ? null : bucket.Versioning == "Enabled"
                ? new CloudResource(Kind, bucket.OwnerAccountId, bucket.Region, bucket.Name, bucket.CreationDate, Tags(bucket), new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    [ObjectsAttribute] = JsonSerializer.Serialize(CurrentObjects(bucket)),
                })
                // (inferred) text: AWS documents that versioning is a prerequisite; its refusal's wording is unknown.
                : throw BackupErrors.InvalidParameterValue($"Invalid resource ARN {resourceArn}: AWS Backup backs up only S3 buckets with versioning enabled; bucket {name} has versioning {bucket.Versioning?.ToLowerInvariant() ?? "never enabled"}."));
        }
        catch (AwsServiceException error) when (error.Code is "NoSuchBucket" or "AccessDenied")
        {
            return null;
        }
    }

    public IReadOnlyDictionary<string, string> RestoreMetadata(CloudResource captured) => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [NameKey] = captured.Name,
        [NewBucketKey] = "false",
    };

    public void CheckRestore(CloudResource captured, IReadOnlyDictionary<string, string> metadata)
    {
        var newBucket = metadata.GetValueOrDefault(NewBucketKey);
        if (newBucket is not null && !bool.TryParse(newBucket, out _))
        {
            // (inferred) text.
            throw BackupErrors.InvalidParameterValue($"Restore metadata NewBucket must be \"true\" or \"false\", not \"{newBucket}\".");
        }
    }

    public (string? CreatedArn, string? Failure) Restore(CloudResource captured, string accountId, string region, IReadOnlyDictionary<string, string> metadata, bool copySourceTags, DateTimeOffset time)
    {
        var name = metadata[NameKey];
        try
        {
            if (string.Equals(metadata.GetValueOrDefault(NewBucketKey), "true", StringComparison.OrdinalIgnoreCase))
            {
                s3.CreateBucket(accountId, region, name, objectLockEnabled: false);
                s3.Update(accountId, name, bucket =>
                {
                    bucket.Versioning = "Enabled";
                    bucket.Tags = copySourceTags ? [.. captured.Tags.Select(tag => new S3Tag(tag.Key, tag.Value))] : null;
                });
            }
            else if (s3.Read(accountId, name, bucket => bucket.Region) != region)
            {
                // (inferred) text: AWS restores only within the recovery point's Region.
                return (null, $"Restore failed: destination bucket {name} is not in {region}, the Region of the recovery point.");
            }

            var present = s3.Read(accountId, name, bucket => CurrentObjects(bucket).Select(item => item.Key).ToHashSet(StringComparer.Ordinal));
            foreach (var item in Objects(captured).Where(item => !present.Contains(item.Key)))
            {
                s3.PutObject(accountId, name, new NewObject(item.Key, Convert.FromBase64String(item.Data), item.ContentType, new Dictionary<string, string>(item.Metadata, StringComparer.OrdinalIgnoreCase), [], null, null, null));
            }
        }
        catch (AwsServiceException error)
        {
            // (inferred) text: the failure names the bucket and S3's refusal.
            return (null, $"Restore failed for bucket {name}: {error.Code}: {error.Message}");
        }

        return (ArnPrefix + name, null);
    }

    public void DeleteRestored(string accountId, string createdArn)
    {
        var name = createdArn[ArnPrefix.Length..];
        s3.Update(accountId, name, bucket => bucket.Objects.Clear());
        s3.DeleteBucket(accountId, name);
    }

    private static Dictionary<string, string> Tags(S3Bucket bucket) =>
        (bucket.Tags ?? []).ToDictionary(tag => tag.Key, tag => tag.Value, StringComparer.Ordinal);

    /// <summary>The current version of every key that has one (a delete marker on top hides the key).</summary>
    private static List<CapturedObject> CurrentObjects(S3Bucket bucket) =>
        [.. bucket.Objects.Values
            .Where(versions => versions.Count > 0 && !versions[^1].IsDeleteMarker)
            .Select(versions => versions[^1])
            .OrderBy(version => version.Key, StringComparer.Ordinal)
            .Select(version => new CapturedObject(version.Key, Convert.ToBase64String(version.Data), version.ContentType, new Dictionary<string, string>(version.Metadata, StringComparer.Ordinal)))];

    private static List<CapturedObject> Objects(CloudResource captured) =>
        JsonSerializer.Deserialize<List<CapturedObject>>(captured.Attributes[ObjectsAttribute]) ?? [];

    private sealed record CapturedObject(string Key, string Data, string ContentType, Dictionary<string, string> Metadata);
}
