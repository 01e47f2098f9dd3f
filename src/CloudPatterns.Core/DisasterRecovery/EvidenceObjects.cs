using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon.S3;
using Amazon.S3.Model;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>One stored version of an evidence key (a delete marker has no content).</summary>
public sealed class EvidenceVersion
{
    public EvidenceVersion(string versionId, DateTime? lastModified, bool isDeleteMarker, byte[]? content = null, string? retentionMode = null, DateTime? retainUntil = null)
    {
        VersionId = versionId;
        LastModified = lastModified;
        IsDeleteMarker = isDeleteMarker;
        Content = content;
        RetentionMode = retentionMode;
        RetainUntil = retainUntil;
    }

    public string VersionId { get; }

    public DateTime? LastModified { get; }

    public bool IsDeleteMarker { get; }

    public byte[]? Content { get; internal set; }

    public string? RetentionMode { get; internal set; }

    public DateTime? RetainUntil { get; internal set; }

    public override string ToString() => IsDeleteMarker ? $"delete marker {VersionId} ({LastModified:u})" : $"{VersionId} ({LastModified:u})";
}

/// <summary>An evidence key with every version S3 holds for it, oldest first.</summary>
public sealed class EvidenceObject
{
    public EvidenceObject(string key, IReadOnlyList<EvidenceVersion> versions)
    {
        Key = key;
        Versions = versions;
    }

    public string Key { get; }

    public IReadOnlyList<EvidenceVersion> Versions { get; }

    /// <summary>The first version written: the one Object Lock protects from the start; later ones are additions.</summary>
    public EvidenceVersion? Original => Versions.FirstOrDefault(version => !version.IsDeleteMarker);

    public IEnumerable<EvidenceVersion> Written => Versions.Where(version => !version.IsDeleteMarker);

    public IEnumerable<EvidenceVersion> DeleteMarkers => Versions.Where(version => version.IsDeleteMarker);
}

/// <summary>Reads evidence from S3 version by version (ListObjectVersions), so nothing a later write hides is missed.</summary>
public static class EvidenceObjects
{
    /// <summary>Every key under a prefix with all its versions and delete markers, oldest first; no content yet.</summary>
    public static async Task<List<EvidenceObject>> ListAsync(IAmazonS3 s3, string bucket, string prefix, CancellationToken cancellationToken)
    {
        var versions = new List<(string Key, EvidenceVersion Version, int Order)>();
        var request = new ListVersionsRequest { BucketName = bucket, Prefix = prefix };
        ListVersionsResponse page;
        do
        {
            page = await s3.ListVersionsAsync(request, cancellationToken).ConfigureAwait(false);
            foreach (S3ObjectVersion version in page.Versions ?? new List<S3ObjectVersion>())
            {
                // S3 lists each key's versions newest first; the order kept here breaks ties of equal timestamps.
                versions.Add((version.Key, new EvidenceVersion(version.VersionId ?? "null", version.LastModified?.ToUniversalTime(), version.IsDeleteMarker == true), versions.Count));
            }

            request.KeyMarker = page.NextKeyMarker;
            request.VersionIdMarker = page.NextVersionIdMarker;
        }
        while (page.IsTruncated == true);
        return versions
            .GroupBy(entry => entry.Key, StringComparer.Ordinal)
            .Select(group => new EvidenceObject(group.Key, group.OrderBy(entry => entry.Version.LastModified).ThenByDescending(entry => entry.Order).Select(entry => entry.Version).ToList()))
            .ToList();
    }

    /// <summary>
    /// The days (<c>yyyy/MM/dd/</c>, relative to <paramref name="prefix"/>) that hold any version or delete marker under
    /// the prefix, in order: three delimiter listings (years, months, days), so no object is listed to find them.
    /// </summary>
    public static async Task<List<string>> ListDaysAsync(IAmazonS3 s3, string bucket, string prefix, CancellationToken cancellationToken)
    {
        var level = new List<string> { prefix };
        for (int depth = 0; depth < 3; depth++)
        {
            // The parents of a level are listed together; their children keep the parents' order.
            List<string>[] children = await Task.WhenAll(level.Select(parent => CommonPrefixesAsync(s3, bucket, parent, cancellationToken))).ConfigureAwait(false);
            level = children.SelectMany(child => child).ToList();
        }

        return level.Select(day => day.Substring(prefix.Length)).ToList();
    }

    private static async Task<List<string>> CommonPrefixesAsync(IAmazonS3 s3, string bucket, string prefix, CancellationToken cancellationToken)
    {
        var prefixes = new List<string>();
        var request = new ListVersionsRequest { BucketName = bucket, Prefix = prefix, Delimiter = "/" };
        ListVersionsResponse page;
        do
        {
            page = await s3.ListVersionsAsync(request, cancellationToken).ConfigureAwait(false);
            prefixes.AddRange(page.CommonPrefixes ?? new List<string>());
            request.KeyMarker = page.NextKeyMarker;
            request.VersionIdMarker = page.NextVersionIdMarker;
        }
        while (page.IsTruncated == true);
        return prefixes;
    }

    /// <summary>Reads the content and Object Lock retention of every written version.</summary>
    public static async Task LoadAsync(IAmazonS3 s3, string bucket, EvidenceObject evidence, CancellationToken cancellationToken)
    {
        foreach (EvidenceVersion version in evidence.Written)
        {
            Task<byte[]> content = ReadAsync(s3, bucket, evidence.Key, version.VersionId, cancellationToken);
            ObjectLockRetention? retention = await RetentionAsync(s3, bucket, evidence.Key, version.VersionId, cancellationToken).ConfigureAwait(false);
            version.Content = await content.ConfigureAwait(false);
            version.RetentionMode = retention?.Mode?.Value;
            version.RetainUntil = retention?.RetainUntilDate?.ToUniversalTime();
        }
    }

    /// <summary>
    /// Stores JSON kept beside the evidence (a restore note, a run's state): rewritable, retried on throttling and
    /// 5xx, with the checksum a bucket with default Object Lock retention requires on every upload.
    /// </summary>
    internal static Task PutNoteAsync(IAmazonS3 s3, string bucket, string key, byte[] content, CancellationToken cancellationToken) =>
        Transient.RetryAsync(
            token => s3.PutObjectAsync(
                new PutObjectRequest
                {
                    BucketName = bucket,
                    Key = key,
                    InputStream = new MemoryStream(content),
                    ContentType = "application/json",
                    ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
                },
                token),
            cancellationToken);

    public static async Task<byte[]> ReadAsync(IAmazonS3 s3, string bucket, string key, string? versionId, CancellationToken cancellationToken)
    {
        using GetObjectResponse response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key, VersionId = versionId }, cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        await response.ResponseStream.CopyToAsync(buffer).ConfigureAwait(false);
        return buffer.ToArray();
    }

    /// <summary>The retention S3 holds for a version; null when it has none (S3 answers NoSuchObjectLockConfiguration).</summary>
    private static async Task<ObjectLockRetention?> RetentionAsync(IAmazonS3 s3, string bucket, string key, string versionId, CancellationToken cancellationToken)
    {
        try
        {
            GetObjectRetentionResponse response = await s3.GetObjectRetentionAsync(new GetObjectRetentionRequest { BucketName = bucket, Key = key, VersionId = versionId }, cancellationToken).ConfigureAwait(false);
            return response.Retention;
        }
        catch (AmazonS3Exception error) when (error.ErrorCode == "NoSuchObjectLockConfiguration")
        {
            return null;
        }
    }
}
