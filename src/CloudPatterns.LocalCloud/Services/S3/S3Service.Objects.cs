using System.Globalization;
using System.Text;
using System.Xml.Linq;
using CloudPatterns.LocalCloud.Protocols;
using static CloudPatterns.LocalCloud.Services.S3.S3Xml;

namespace CloudPatterns.LocalCloud.Services.S3;

/// <summary>S3 object operations: upload, download, deletion, listings and Object Lock per version.</summary>
internal sealed partial class S3Service
{
    private const string MetadataPrefix = "x-amz-meta-";
    private const int MaxKeysPerDeleteObjects = 1000;

    private Task PutObject(S3Call call)
    {
        if ((call.Header("x-amz-object-lock-mode") ?? call.Header("x-amz-object-lock-retain-until-date") ?? call.Header("x-amz-object-lock-legal-hold")) is not null
            && !call.ChecksumSent)
        {
            throw S3Errors.InvalidRequest("Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters");
        }

        var version = WriteObject(call, call.Payload, call.Header("Content-Type"), RequestMetadata(call), call.Checksums);
        foreach (var (algorithm, value) in version.Checksums)
        {
            call.Response.Headers["x-amz-checksum-" + algorithm.ToLowerInvariant()] = value;
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// CopyObject (PUT with x-amz-copy-source "bucket/key[?versionId=…]", URL-encoded): the source version's data,
    /// with its content type and metadata (x-amz-metadata-directive COPY, the default) or the request's (REPLACE); the
    /// encryption, lock and conditional headers as PutObject reads them. The caller needs s3:GetObject on the source
    /// and s3:PutObject on the target (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html;
    /// the LocalCloud README's S3 rules).
    /// </summary>
    private Task CopyObject(S3Call call)
    {
        var (sourceBucket, sourceKey, sourceVersionId) = CopySource(call.Header("x-amz-copy-source")!);
        var replace = call.Header("x-amz-metadata-directive") switch
        {
            null or "COPY" => false,
            "REPLACE" => true,
            _ => throw S3Errors.InvalidArgument("Unknown metadata directive."),
        };
        if (sourceBucket == call.Bucket && sourceKey == call.Key && sourceVersionId is null && !replace && call.Header("x-amz-server-side-encryption") is null)
        {
            throw S3Errors.InvalidRequest("This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, "
                + "storage class, website redirect location or encryption attributes.");
        }

        var sourceArn = $"arn:aws:s3:::{sourceBucket}/{sourceKey}";
        call.Request.Demand("s3", "s3:GetObject", sourceArn);
        S3ObjectVersion source;
        try
        {
            source = store.GetVersion(call.AccountId, sourceBucket, sourceKey, sourceVersionId);
        }
        catch (AwsServiceException error) when (error.Code == "NoSuchKey")
        {
            throw call.Request.Permits("s3", "s3:ListBucket", "arn:aws:s3:::" + sourceBucket) ? S3Errors.NoSuchKey(sourceKey) : S3Errors.AccessDenied();
        }

        if (source.IsDeleteMarker)
        {
            throw sourceVersionId is null
                ? S3Errors.NoSuchKey(sourceKey)
                : S3Errors.InvalidRequest("The source of a copy request may not specifically refer to a delete marker by version id.");
        }

        DemandKeyUse(call, source.Encryption, "kms:Decrypt");
        var version = WriteObject(call, source.Data,
            replace ? call.Header("Content-Type") : source.ContentType,
            replace ? RequestMetadata(call) : new Dictionary<string, string>(source.Metadata, StringComparer.OrdinalIgnoreCase),
            new Dictionary<string, string>(source.Checksums, StringComparer.Ordinal));
        if (source.VersionId != S3ObjectVersion.NullVersionId)
        {
            call.Response.Headers["x-amz-copy-source-version-id"] = source.VersionId;
        }

        call.Response.Headers.Remove("ETag");
        return Xml(call, Element("CopyObjectResult", Element("ETag", version.ETag), Element("LastModified", Timestamp(version.LastModified))));
    }

    /// <summary>The bucket, key and version id an x-amz-copy-source header names (URL-encoded, an optional leading slash).</summary>
    private static (string Bucket, string Key, string? VersionId) CopySource(string header)
    {
        var (path, query) = header.IndexOf('?') is var mark and >= 0 ? (header[..mark], header[(mark + 1)..]) : (header, "");
        path = Uri.UnescapeDataString(path.TrimStart('/'));
        var slash = path.IndexOf('/');
        var bucket = slash < 0 ? path : path[..slash];
        if (bucket.Length == 0)
        {
            throw S3Errors.InvalidArgument("Invalid copy source bucket name");
        }

        if (slash < 0 || slash == path.Length - 1)
        {
            throw S3Errors.InvalidArgument("Invalid copy source object key");
        }

        var versionId = query.Split('&').Select(pair => pair.Split('=', 2)).FirstOrDefault(pair => pair[0] == "versionId") is { Length: 2 } found
            ? Uri.UnescapeDataString(found[1])
            : null;
        return (bucket, path[(slash + 1)..], versionId);
    }

    private static Dictionary<string, string> RequestMetadata(S3Call call) => call.Request.Http.Request.Headers
        .Where(header => header.Key.StartsWith(MetadataPrefix, StringComparison.OrdinalIgnoreCase))
        .ToDictionary(header => header.Key[MetadataPrefix.Length..].ToLowerInvariant(), header => header.Value.ToString(), StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Stores a new version of the call's key (PutObject, CopyObject) with the request's Object Lock, encryption and
    /// If-None-Match headers, and writes the ETag, encryption and version id headers.
    /// </summary>
    private S3ObjectVersion WriteObject(S3Call call, byte[] data, string? contentType, Dictionary<string, string> metadata, Dictionary<string, string> checksums)
    {
        var mode = call.Header("x-amz-object-lock-mode");
        var until = call.Header("x-amz-object-lock-retain-until-date");
        var legalHold = call.Header("x-amz-object-lock-legal-hold");

        if (legalHold is not (null or "ON" or "OFF"))
        {
            throw S3Errors.InvalidArgument("Legal Hold must be either of 'ON' or 'OFF'");
        }

        if ((mode is null) != (until is null))
        {
            throw S3Errors.InvalidArgument("x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied");
        }

        // Conditional writes: If-None-Match takes only "*" (write only when the key does not exist).
        var ifNoneMatch = call.Header("If-None-Match");
        if (ifNoneMatch is not (null or "*"))
        {
            throw new AwsServiceException(501, "NotImplemented", "A header you provided implies functionality that is not implemented");
        }

        var retention = mode is null ? null : NewRetention(mode, until!);
        var encryption = RequestedEncryption(call);
        DemandKeyUse(call, encryption ?? store.Read(call.AccountId, call.Bucket, bucket => bucket.Encryption[0]), "kms:GenerateDataKey");
        var version = store.PutObject(call.AccountId, call.Bucket, new NewObject(call.Key, data, contentType, metadata, checksums, retention, legalHold, encryption),
            onlyIfAbsent: ifNoneMatch is not null);

        call.Response.Headers.ETag = version.ETag;
        WriteEncryption(call.Response, version.Encryption);
        WriteVersionId(call.Response, version);
        return version;
    }

    /// <summary>The encryption PutObject asks for; null leaves it to the bucket's default rule.</summary>
    private static EncryptionRule? RequestedEncryption(S3Call call) => call.Header("x-amz-server-side-encryption") switch
    {
        null => null,
        var algorithm when EncryptionRule.IsAlgorithm(algorithm) => new EncryptionRule(
            algorithm,
            call.Header("x-amz-server-side-encryption-aws-kms-key-id"),
            string.Equals(call.Header("x-amz-server-side-encryption-bucket-key-enabled"), "true", StringComparison.OrdinalIgnoreCase)),
        var algorithm => throw S3Errors.InvalidArgument($"The encryption method specified is not supported: {algorithm}"),
    };

    private ObjectRetention NewRetention(string mode, string until)
    {
        if (!RetentionModes.IsValid(mode))
        {
            throw S3Errors.InvalidArgument("Unknown wormMode directive.");
        }

        var retainUntil = ParseTimestamp(until);
        return retainUntil > store.Clock.GetUtcNow()
            ? new ObjectRetention(mode, retainUntil)
            : throw S3Errors.InvalidArgument("The retain until date must be in the future!");
    }

    /// <summary>
    /// A key that does not exist is NoSuchKey (404) only to a caller that may list the bucket; anyone else gets 403
    /// AccessDenied, which says nothing about the key (docs/localcloud-authorization.md, "S3: a missing key").
    /// </summary>
    private static AwsServiceException MissingKey(S3Call call) =>
        call.Request.Permits("s3", "s3:ListBucket", "arn:aws:s3:::" + call.Bucket) ? S3Errors.NoSuchKey(call.Key) : S3Errors.AccessDenied();

    private static DateTimeOffset ParseTimestamp(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw S3Errors.InvalidArgument($"The date {text} is not a valid ISO 8601 date.");

    private async Task GetObject(S3Call call, bool includeBody)
    {
        var versionId = call.Query("versionId");
        S3ObjectVersion version;
        try
        {
            version = store.GetVersion(call.AccountId, call.Bucket, call.Key, versionId);
        }
        catch (AwsServiceException error) when (error.Code == "NoSuchKey")
        {
            throw MissingKey(call);
        }

        var response = call.Response;
        if (version.IsDeleteMarker)
        {
            var refusal = versionId is null ? MissingKey(call) : S3Errors.MethodNotAllowed();
            if (refusal.StatusCode != 403)
            {
                // A caller refused for lack of s3:ListBucket learns nothing of the key, its delete marker included.
                WriteVersionId(response, version);
                response.Headers["x-amz-delete-marker"] = "true";
            }

            throw refusal;
        }

        WriteVersionId(response, version);

        if (includeBody)
        {
            DemandKeyUse(call, version.Encryption, "kms:Decrypt");
        }

        var headers = response.Headers;
        response.ContentType = version.ContentType;
        response.ContentLength = version.Data.Length;
        headers.ETag = version.ETag;
        headers.LastModified = version.LastModified.ToString("r", CultureInfo.InvariantCulture);
        headers.AcceptRanges = "bytes";
        WriteEncryption(response, version.Encryption);
        foreach (var (name, value) in version.Metadata)
        {
            headers[MetadataPrefix + name] = value;
        }

        if (version.Retention is { } retention)
        {
            headers["x-amz-object-lock-mode"] = retention.Mode;
            headers["x-amz-object-lock-retain-until-date"] = Timestamp(retention.RetainUntilDate);
        }

        if (version.LegalHold is { } legalHold)
        {
            headers["x-amz-object-lock-legal-hold"] = legalHold;
        }

        if (string.Equals(call.Header("x-amz-checksum-mode"), "ENABLED", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var (algorithm, value) in version.Checksums)
            {
                headers["x-amz-checksum-" + algorithm.ToLowerInvariant()] = value;
            }
        }

        if (includeBody)
        {
            await response.Body.WriteAsync(version.Data);
        }
    }

    private static void WriteEncryption(HttpResponse response, EncryptionRule encryption)
    {
        response.Headers["x-amz-server-side-encryption"] = encryption.Algorithm;
        if (encryption.KmsMasterKeyId is { } keyId)
        {
            response.Headers["x-amz-server-side-encryption-aws-kms-key-id"] = keyId;
        }

        if (encryption.BucketKeyEnabled)
        {
            response.Headers["x-amz-server-side-encryption-bucket-key-enabled"] = "true";
        }
    }

    /// <summary>Versions written while versioning was never enabled carry no version id header.</summary>
    private static void WriteVersionId(HttpResponse response, S3ObjectVersion version)
    {
        if (version.VersionId != S3ObjectVersion.NullVersionId)
        {
            response.Headers["x-amz-version-id"] = version.VersionId;
        }
    }

    private Task DeleteObject(S3Call call)
    {
        var outcome = store.DeleteObject(call.AccountId, call.Bucket, call.Key, call.Query("versionId"), Bypass(call, call.Key));
        if (outcome.DeleteMarker)
        {
            call.Response.Headers["x-amz-delete-marker"] = "true";
        }

        if (outcome.VersionId is { } versionId)
        {
            call.Response.Headers["x-amz-version-id"] = versionId;
        }

        return NoContent(call);
    }

    private Task DeleteObjects(S3Call call)
    {
        var request = Parse(call.Payload, "Delete");
        var objects = request.Children("Object").ToList();
        if (objects.Count is 0 or > MaxKeysPerDeleteObjects)
        {
            throw S3Errors.MalformedXml();
        }

        var quiet = request.Flag("Quiet");
        var results = new List<XElement>();
        foreach (var entry in objects)
        {
            var key = entry.Text("Key") ?? throw S3Errors.MalformedXml();
            var versionId = entry.Text("VersionId");
            try
            {
                var outcome = store.DeleteObject(call.AccountId, call.Bucket, key, versionId, Bypass(call, key));
                if (!quiet)
                {
                    results.Add(Element(
                        "Deleted",
                        Element("Key", key),
                        versionId is null ? null : Element("VersionId", versionId),
                        outcome.DeleteMarker ? Element("DeleteMarker", "true") : null,
                        outcome.DeleteMarker && versionId is null ? Element("DeleteMarkerVersionId", outcome.VersionId) : null));
                }
            }
            catch (AwsServiceException error)
            {
                results.Add(Element(
                    "Error",
                    Element("Key", key),
                    versionId is null ? null : Element("VersionId", versionId),
                    Element("Code", error.Code),
                    Element("Message", error.Message)));
            }
        }

        return Xml(call, Element("DeleteResult", results));
    }

    // The bypass header counts only for a caller whose policies grant s3:BypassGovernanceRetention on the object.
    private static GovernanceBypass Bypass(S3Call call, string key)
    {
        var requested = string.Equals(call.Header("x-amz-bypass-governance-retention"), "true", StringComparison.OrdinalIgnoreCase);
        return new(requested, requested && call.Request.Permits("s3", "s3:BypassGovernanceRetention", $"arn:aws:s3:::{call.Bucket}/{key}"));
    }

    /// <summary>SSE-KMS: S3 asks KMS for a data key (PutObject) or to decrypt one (GetObject) with the caller's permissions.</summary>
    private static void DemandKeyUse(S3Call call, EncryptionRule? encryption, string kmsAction)
    {
        if (encryption is { KmsMasterKeyId: { } keyId } && encryption.Algorithm.StartsWith("aws:kms", StringComparison.Ordinal))
        {
            call.Request.Demand("s3", kmsAction, keyId);
        }
    }

    private Task PutObjectRetention(S3Call call)
    {
        var body = Parse(call.Payload, "Retention");
        var mode = body.Text("Mode");
        var until = body.Text("RetainUntilDate");
        if ((mode is null) != (until is null))
        {
            throw S3Errors.MalformedXml();
        }

        var requested = mode is null ? null : NewRetention(mode, until!);
        var bypass = Bypass(call, call.Key);
        store.ChangeLock(call.AccountId, call.Bucket, call.Key, call.Query("versionId"), version =>
        {
            ObjectLockRules.EnsureRetentionChangeAllowed(version.Retention, requested, bypass is { Requested: true, Permitted: true }, store.Clock.GetUtcNow());
            return version with { Retention = requested };
        });
        return Task.CompletedTask;
    }

    private Task GetObjectRetention(S3Call call)
    {
        var retention = store.GetLockedVersion(call.AccountId, call.Bucket, call.Key, call.Query("versionId")).Retention
            ?? throw NoObjectLockConfiguration();
        return Xml(call, Element("Retention", Element("Mode", retention.Mode), Element("RetainUntilDate", Timestamp(retention.RetainUntilDate))));
    }

    private Task PutObjectLegalHold(S3Call call)
    {
        var status = Parse(call.Payload, "LegalHold").Text("Status");
        if (status is not ("ON" or "OFF"))
        {
            throw S3Errors.MalformedXml();
        }

        store.ChangeLock(call.AccountId, call.Bucket, call.Key, call.Query("versionId"), version => version with { LegalHold = status });
        return Task.CompletedTask;
    }

    private Task GetObjectLegalHold(S3Call call)
    {
        var status = store.GetLockedVersion(call.AccountId, call.Bucket, call.Key, call.Query("versionId")).LegalHold
            ?? throw NoObjectLockConfiguration();
        return Xml(call, Element("LegalHold", Element("Status", status)));
    }

    private static AwsServiceException NoObjectLockConfiguration() =>
        new(404, "NoSuchObjectLockConfiguration", "The specified object does not have a ObjectLock configuration");

    private Task ListObjectsV2(S3Call call)
    {
        var (prefix, delimiter, maxKeys, encode) = ListingParameters(call);
        var token = call.Query("continuation-token");
        var startAfter = call.Query("start-after");
        var marker = token is null ? startAfter : ReadContinuationToken(token);
        var latest = store.Read(call.AccountId, call.Bucket, bucket => S3Listing.InKeyOrder(
            bucket.Objects.Values.Select(versions => versions[^1]).Where(version => !version.IsDeleteMarker), version => version.Key, prefix, delimiter));
        var page = S3Listing.Page(latest.Where(version => !S3Listing.AtOrBefore(version.Key, marker, delimiter)), version => version.Key, prefix, delimiter, maxKeys);

        return Xml(call, Element(
            "ListBucketResult",
            Element("Name", call.Bucket),
            Element("Prefix", encode(prefix)),
            delimiter is null ? null : Element("Delimiter", encode(delimiter)),
            Element("MaxKeys", maxKeys),
            Element("KeyCount", page.Entries.Count + page.CommonPrefixes.Count),
            Element("IsTruncated", Boolean(page.IsTruncated)),
            token is null ? null : Element("ContinuationToken", token),
            page.IsTruncated ? Element("NextContinuationToken", Convert.ToBase64String(Encoding.UTF8.GetBytes(page.ResumeAfter!))) : null,
            startAfter is null ? null : Element("StartAfter", encode(startAfter)),
            call.Query("encoding-type") is { } encoding ? Element("EncodingType", encoding) : null,
            page.Entries.Select(version => Element(
                "Contents",
                Element("Key", encode(version.Key)),
                Element("LastModified", Timestamp(version.LastModified)),
                Element("ETag", version.ETag),
                version.Checksums.Keys.Select(algorithm => Element("ChecksumAlgorithm", algorithm)),
                Element("Size", version.Data.Length),
                Element("StorageClass", "STANDARD"))),
            CommonPrefixes(page.CommonPrefixes, encode)));
    }

    private static string ReadContinuationToken(string token)
    {
        var buffer = new byte[token.Length];
        return Convert.TryFromBase64String(token, buffer, out var length)
            ? Encoding.UTF8.GetString(buffer, 0, length)
            : throw S3Errors.InvalidArgument("The continuation token provided is incorrect");
    }

    private Task ListObjectVersions(S3Call call)
    {
        var (prefix, delimiter, maxKeys, encode) = ListingParameters(call);
        var keyMarker = call.Query("key-marker");
        var versionIdMarker = call.Query("version-id-marker");
        var versions = store.Read(call.AccountId, call.Bucket, bucket => S3Listing.InKeyOrder(bucket.Objects, entry => entry.Key, prefix, delimiter)
            .SelectMany(entry => Enumerable.Reverse(entry.Value).Select((version, index) => (Version: version, IsLatest: index == 0)))
            .ToList());
        var page = S3Listing.Page(AfterVersionMarker(versions, keyMarker, versionIdMarker, delimiter), entry => entry.Version.Key, prefix, delimiter, maxKeys);
        var owner = Owner(call.AccountId);

        return Xml(call, Element(
            "ListVersionsResult",
            Element("Name", call.Bucket),
            Element("Prefix", encode(prefix)),
            Element("KeyMarker", encode(keyMarker ?? "")),
            Element("VersionIdMarker", versionIdMarker ?? ""),
            page.IsTruncated ? Element("NextKeyMarker", encode(page.ResumeAfter!)) : null,
            page.IsTruncated && page.ResumeAfterEntry.Version is { } last ? Element("NextVersionIdMarker", last.VersionId) : null,
            Element("MaxKeys", maxKeys),
            delimiter is null ? null : Element("Delimiter", encode(delimiter)),
            call.Query("encoding-type") is { } encoding ? Element("EncodingType", encoding) : null,
            Element("IsTruncated", Boolean(page.IsTruncated)),
            page.Entries.Select(entry => entry.Version.IsDeleteMarker
                ? Element(
                    "DeleteMarker",
                    Element("Key", encode(entry.Version.Key)),
                    Element("VersionId", entry.Version.VersionId),
                    Element("IsLatest", Boolean(entry.IsLatest)),
                    Element("LastModified", Timestamp(entry.Version.LastModified)),
                    owner)
                : Element(
                    "Version",
                    Element("Key", encode(entry.Version.Key)),
                    Element("VersionId", entry.Version.VersionId),
                    Element("IsLatest", Boolean(entry.IsLatest)),
                    Element("LastModified", Timestamp(entry.Version.LastModified)),
                    Element("ETag", entry.Version.ETag),
                    entry.Version.Checksums.Keys.Select(algorithm => Element("ChecksumAlgorithm", algorithm)),
                    Element("Size", entry.Version.Data.Length),
                    Element("StorageClass", "STANDARD"),
                    owner)),
            CommonPrefixes(page.CommonPrefixes, encode)));
    }

    /// <summary>The versions after key-marker (and, within that key, after version-id-marker).</summary>
    private static IEnumerable<(S3ObjectVersion Version, bool IsLatest)> AfterVersionMarker(
        IEnumerable<(S3ObjectVersion Version, bool IsLatest)> versions, string? keyMarker, string? versionIdMarker, string? delimiter)
    {
        if (string.IsNullOrEmpty(versionIdMarker))
        {
            return versions.Where(entry => !S3Listing.AtOrBefore(entry.Version.Key, keyMarker, delimiter));
        }

        var passedMarker = false;
        return versions.Where(entry =>
        {
            var order = string.CompareOrdinal(entry.Version.Key, keyMarker);
            if (order != 0)
            {
                return order > 0;
            }

            var after = passedMarker;
            passedMarker |= entry.Version.VersionId == versionIdMarker;
            return after;
        });
    }

    private static (string Prefix, string? Delimiter, int MaxKeys, Func<string, string> Encode) ListingParameters(S3Call call)
    {
        var encoding = call.Query("encoding-type");
        if (encoding is not (null or "url"))
        {
            throw S3Errors.InvalidArgument("Invalid Encoding Method specified in Request");
        }

        Func<string, string> encode = encoding is null ? text => text : Uri.EscapeDataString;
        return (call.Query("prefix") ?? "", NullIfEmpty(call.Query("delimiter")), Math.Min(call.QueryInt("max-keys", 1000), 1000), encode);
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static IEnumerable<XElement> CommonPrefixes(IEnumerable<string> prefixes, Func<string, string> encode) =>
        prefixes.Select(prefix => Element("CommonPrefixes", Element("Prefix", encode(prefix))));
}
