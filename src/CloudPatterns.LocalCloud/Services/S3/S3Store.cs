using System.Text.RegularExpressions;

namespace CloudPatterns.LocalCloud.Services.S3;

/// <summary>
/// Every bucket of every account. Bucket names are one global namespace, as in AWS. One lock guards all buckets:
/// operations are short and in memory, and a single lock keeps multi-step rules (Object Lock checks, version lists)
/// atomic.
/// </summary>
internal sealed partial class S3Store(TimeProvider clock)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, S3Bucket> buckets = new(StringComparer.Ordinal);

    public TimeProvider Clock { get; } = clock;

    public void CreateBucket(string accountId, string region, string name, bool objectLockEnabled)
    {
        if (name.Length is < 3 or > 63 || !BucketNamePattern().IsMatch(name) || name.Contains("..", StringComparison.Ordinal))
        {
            throw S3Errors.InvalidBucketName(name);
        }

        lock (gate)
        {
            if (buckets.TryGetValue(name, out var existing))
            {
                throw existing.OwnerAccountId == accountId ? S3Errors.BucketAlreadyOwnedByYou(name) : S3Errors.BucketAlreadyExists(name);
            }

            buckets[name] = new S3Bucket
            {
                Name = name,
                OwnerAccountId = accountId,
                Region = region,
                CreationDate = Clock.GetUtcNow(),
                ObjectLockEnabled = objectLockEnabled,
                // A bucket created with Object Lock has versioning enabled, and it cannot be suspended.
                Versioning = objectLockEnabled ? "Enabled" : null,
            };
        }
    }

    public IReadOnlyList<(string Name, DateTimeOffset CreationDate, string Region)> ListBuckets(string accountId)
    {
        lock (gate)
        {
            return buckets.Values
                .Where(bucket => bucket.OwnerAccountId == accountId)
                .OrderBy(bucket => bucket.Name, StringComparer.Ordinal)
                .Select(bucket => (bucket.Name, bucket.CreationDate, bucket.Region))
                .ToList();
        }
    }

    public void DeleteBucket(string accountId, string name) => Update(accountId, name, bucket =>
    {
        if (bucket.Objects.Count > 0)
        {
            throw S3Errors.BucketNotEmpty(name, bucket.IsVersioned);
        }

        buckets.Remove(name);
    });

    /// <summary>Reads from one of the caller's buckets under the lock; <paramref name="read"/> must copy what it keeps.</summary>
    public T Read<T>(string accountId, string name, Func<S3Bucket, T> read)
    {
        lock (gate)
        {
            return read(Find(accountId, name));
        }
    }

    /// <summary>Changes one of the caller's buckets under the lock.</summary>
    public void Update(string accountId, string name, Action<S3Bucket> update)
    {
        lock (gate)
        {
            update(Find(accountId, name));
        }
    }

    /// <summary>Sets a bucket policy; S3 refuses anything but a JSON object.</summary>
    public void PutPolicy(string accountId, string bucketName, string policy)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(policy);
            if (document.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object)
            {
                throw new System.Text.Json.JsonException();
            }
        }
        catch (System.Text.Json.JsonException)
        {
            throw new Protocols.AwsServiceException(400, "MalformedPolicy", "Policies must be valid JSON and the first byte must be '{'");
        }

        Update(accountId, bucketName, bucket => bucket.Policy = policy);
    }

    /// <summary>
    /// Sets or (with null) turns off server access logging. The target must be a bucket of the same account in the
    /// same region, as S3 requires.
    /// </summary>
    public void SetLogging(string accountId, string bucketName, AccessLogging? logging)
    {
        lock (gate)
        {
            var bucket = Find(accountId, bucketName);
            if (logging is not null
                && (!buckets.TryGetValue(logging.TargetBucket, out var target) || target.OwnerAccountId != accountId || target.Region != bucket.Region))
            {
                throw new Protocols.AwsServiceException(400, "InvalidTargetBucketForLogging", "The target bucket for logging does not exist, is not owned by you, or does not have the appropriate grants for the log-delivery group.")
                {
                    Fields = [new("TargetBucket", logging.TargetBucket)],
                };
            }

            bucket.Logging = logging;
        }
    }

    /// <summary>Stores a new version; with <paramref name="onlyIfAbsent"/> (If-None-Match: *) only when the key has no current version.</summary>
    public S3ObjectVersion PutObject(string accountId, string bucketName, NewObject upload, bool onlyIfAbsent = false)
    {
        lock (gate)
        {
            var bucket = Find(accountId, bucketName);
            if (onlyIfAbsent && bucket.Objects.GetValueOrDefault(upload.Key) is { Count: > 0 } existing && !existing[^1].IsDeleteMarker)
            {
                throw S3Errors.PreconditionFailed();
            }

            if ((upload.Retention is not null || upload.LegalHold is not null) && !bucket.ObjectLockEnabled)
            {
                throw S3Errors.InvalidRequest("Bucket is missing ObjectLockConfiguration");
            }

            var now = Clock.GetUtcNow();
            var version = new S3ObjectVersion
            {
                Key = upload.Key,
                VersionId = NewVersionId(bucket),
                LastModified = now,
                Data = upload.Data,
                ETag = S3ObjectVersion.ETagOf(upload.Data),
                ContentType = upload.ContentType ?? "binary/octet-stream",
                Metadata = upload.Metadata,
                Checksums = upload.Checksums,
                Encryption = upload.Encryption ?? bucket.Encryption[0],
                Retention = upload.Retention ?? (bucket.ObjectLockEnabled ? bucket.DefaultRetention?.From(now) : null),
                LegalHold = upload.LegalHold,
            };
            AddVersion(bucket, version);
            return version;
        }
    }

    /// <summary>The latest version (null <paramref name="versionId"/>) or the given one; may be a delete marker.</summary>
    public S3ObjectVersion GetVersion(string accountId, string bucketName, string key, string? versionId) =>
        Read(accountId, bucketName, bucket => FindVersion(bucket, key, versionId));

    /// <summary>The current version's text, or null when the bucket or object does not exist (CloudFormation's AWS::Include).</summary>
    public string? ReadText(string accountId, string bucketName, string key)
    {
        try
        {
            var version = GetVersion(accountId, bucketName, key, versionId: null);
            return version.IsDeleteMarker ? null : System.Text.Encoding.UTF8.GetString(version.Data);
        }
        catch (Protocols.AwsServiceException)
        {
            return null;
        }
    }

    /// <summary>
    /// DeleteObject: without a version id, a delete marker in a versioned bucket (or removal in an unversioned one);
    /// with one, permanent removal of that version as far as Object Lock allows.
    /// </summary>
    public DeleteOutcome DeleteObject(string accountId, string bucketName, string key, string? versionId, GovernanceBypass bypass)
    {
        lock (gate)
        {
            var bucket = Find(accountId, bucketName);
            var effectiveBypass = CheckBypass(bucket, bypass);
            if (versionId is not null)
            {
                return DeleteVersion(bucket, key, versionId, effectiveBypass);
            }

            if (!bucket.IsVersioned)
            {
                bucket.Objects.Remove(key);
                return new DeleteOutcome(key, null, false);
            }

            var marker = new S3ObjectVersion { Key = key, VersionId = NewVersionId(bucket), LastModified = Clock.GetUtcNow(), IsDeleteMarker = true };
            AddVersion(bucket, marker);
            return new DeleteOutcome(key, marker.VersionId, true);
        }
    }

    /// <summary>Replaces a version's Object Lock settings; <paramref name="change"/> sees the current version.</summary>
    public S3ObjectVersion ChangeLock(string accountId, string bucketName, string key, string? versionId, Func<S3ObjectVersion, S3ObjectVersion> change)
    {
        lock (gate)
        {
            var bucket = Find(accountId, bucketName);
            EnsureObjectLockEnabled(bucket);
            var version = FindVersion(bucket, key, versionId);
            if (version.IsDeleteMarker)
            {
                throw S3Errors.MethodNotAllowed();
            }

            var changed = change(version);
            var versions = bucket.Objects[key];
            versions[versions.IndexOf(version)] = changed;
            return changed;
        }
    }

    /// <summary>Reads a version's Object Lock settings (retention and legal hold APIs).</summary>
    public S3ObjectVersion GetLockedVersion(string accountId, string bucketName, string key, string? versionId) =>
        Read(accountId, bucketName, bucket =>
        {
            EnsureObjectLockEnabled(bucket);
            var version = FindVersion(bucket, key, versionId);
            return version.IsDeleteMarker ? throw S3Errors.MethodNotAllowed() : version;
        });

    /// <summary>
    /// Out-of-band change for tests: replaces a stored version's bytes in place, keeping its version id, date and
    /// Object Lock, as a tampered store would serve them (ETag and checksums match the new bytes, so clients read
    /// them without complaint), so that evidence verification can be shown to catch it.
    /// </summary>
    public void Tamper(string bucketName, string key, string? versionId, byte[] data)
    {
        lock (gate)
        {
            var bucket = buckets.GetValueOrDefault(bucketName) ?? throw S3Errors.NoSuchBucket(bucketName);
            var version = FindVersion(bucket, key, versionId);
            var versions = bucket.Objects[key];
            versions[versions.IndexOf(version)] = version with
            {
                Data = data,
                ETag = S3ObjectVersion.ETagOf(data),
                Checksums = ChecksumAlgorithm.All
                    .Where(algorithm => version.Checksums.ContainsKey(algorithm.Name))
                    .ToDictionary(algorithm => algorithm.Name, algorithm => algorithm.Compute(data), StringComparer.Ordinal),
            };
        }
    }

    /// <summary>Every bucket, deep enough for the state file (versions are immutable and shared).</summary>
    public IReadOnlyList<S3Bucket> Snapshot()
    {
        lock (gate)
        {
            return buckets.Values.Select(Copy).ToList();
        }
    }

    public void Restore(IEnumerable<S3Bucket> saved)
    {
        lock (gate)
        {
            buckets.Clear();
            foreach (var bucket in saved)
            {
                buckets[bucket.Name] = Copy(bucket);
            }
        }
    }

    private static S3Bucket Copy(S3Bucket bucket)
    {
        var copy = new S3Bucket
        {
            Name = bucket.Name,
            OwnerAccountId = bucket.OwnerAccountId,
            Region = bucket.Region,
            CreationDate = bucket.CreationDate,
            Versioning = bucket.Versioning,
            ObjectLockEnabled = bucket.ObjectLockEnabled,
            DefaultRetention = bucket.DefaultRetention,
            Policy = bucket.Policy,
            PublicAccessBlock = bucket.PublicAccessBlock,
            Logging = bucket.Logging,
            Encryption = [.. bucket.Encryption],
            Tags = bucket.Tags is null ? null : [.. bucket.Tags],
        };
        foreach (var (key, versions) in bucket.Objects)
        {
            copy.Objects[key] = [.. versions];
        }

        return copy;
    }

    private DeleteOutcome DeleteVersion(S3Bucket bucket, string key, string versionId, bool bypassGovernance)
    {
        // Deleting a version that does not exist succeeds, as in S3.
        if (!bucket.Objects.TryGetValue(key, out var versions) || versions.Find(version => version.VersionId == versionId) is not { } target)
        {
            return new DeleteOutcome(key, versionId, false);
        }

        ObjectLockRules.EnsureDeletable(target, bypassGovernance, Clock.GetUtcNow());
        versions.Remove(target);
        if (versions.Count == 0)
        {
            bucket.Objects.Remove(key);
        }

        return new DeleteOutcome(key, versionId, target.IsDeleteMarker);
    }

    private static bool CheckBypass(S3Bucket bucket, GovernanceBypass bypass)
    {
        if (bypass.Requested && !bucket.ObjectLockEnabled)
        {
            throw S3Errors.InvalidArgument("x-amz-bypass-governance-retention is only applicable to Object Lock enabled buckets.");
        }

        return bypass is { Requested: true, Permitted: true };
    }

    private static void EnsureObjectLockEnabled(S3Bucket bucket)
    {
        if (!bucket.ObjectLockEnabled)
        {
            throw S3Errors.InvalidRequest("Bucket is missing Object Lock Configuration");
        }
    }

    private static S3ObjectVersion FindVersion(S3Bucket bucket, string key, string? versionId)
    {
        var versions = bucket.Objects.GetValueOrDefault(key);
        if (versionId is null)
        {
            return versions?[^1] ?? throw S3Errors.NoSuchKey(key);
        }

        return versions?.Find(version => version.VersionId == versionId) ?? throw S3Errors.NoSuchVersion(key, versionId);
    }

    /// <summary>Appends a version; in a bucket that is not versioning-enabled it replaces the "null" version.</summary>
    private static void AddVersion(S3Bucket bucket, S3ObjectVersion version)
    {
        if (!bucket.Objects.TryGetValue(version.Key, out var versions))
        {
            bucket.Objects[version.Key] = versions = [];
        }

        versions.RemoveAll(existing => version.VersionId == S3ObjectVersion.NullVersionId && existing.VersionId == S3ObjectVersion.NullVersionId);
        versions.Add(version);
    }

    private static string NewVersionId(S3Bucket bucket) =>
        bucket.Versioning == "Enabled" ? Guid.CreateVersion7().ToString("N") : S3ObjectVersion.NullVersionId;

    private S3Bucket Find(string accountId, string name)
    {
        var bucket = buckets.GetValueOrDefault(name) ?? throw S3Errors.NoSuchBucket(name);

        // Cross-account access needs a bucket policy grant, which LocalCloud does not evaluate: refuse as S3 does
        // when no policy allows the caller.
        return bucket.OwnerAccountId == accountId ? bucket : throw S3Errors.AccessDenied();
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]*[a-z0-9]$")]
    private static partial Regex BucketNamePattern();
}

/// <summary>An upload as PutObject received it, checksums already verified; null encryption means the bucket default.</summary>
internal sealed record NewObject(
    string Key,
    byte[] Data,
    string? ContentType,
    Dictionary<string, string> Metadata,
    Dictionary<string, string> Checksums,
    ObjectRetention? Retention,
    string? LegalHold,
    EncryptionRule? Encryption);

/// <summary>What a deletion did: the version it removed or the delete marker it created.</summary>
internal sealed record DeleteOutcome(string Key, string? VersionId, bool DeleteMarker);

/// <summary>The <c>x-amz-bypass-governance-retention</c> header and whether the caller holds the permission.</summary>
internal readonly record struct GovernanceBypass(bool Requested, bool Permitted);
