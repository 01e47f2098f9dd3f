using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Amazon.S3;
using Amazon.S3.Model;

namespace CloudPatterns.Core.GitOps.Reconciler;

/// <summary>Publish-StackManifest's result: where the bundle is and whether this run wrote a new version.</summary>
public sealed class PublishedBundle
{
    internal PublishedBundle(string accountId, string region, string bucket, string key, string status, string? versionId, ManifestBundle bundle)
    {
        AccountId = accountId;
        Region = region;
        Bucket = bucket;
        Key = key;
        Status = status;
        VersionId = versionId;
        Commit = bundle.Commit;
        Digest = bundle.Digest;
        ManifestPath = bundle.ManifestPath;
        Templates = bundle.Templates.Count;
    }

    public string AccountId { get; }

    public string Region { get; }

    public string Bucket { get; }

    public string Key { get; }

    /// <summary>Published (a new version), NoChange (the latest version holds the same content), or WhatIf.</summary>
    public string Status { get; }

    /// <summary>The S3 version holding this content (null with -WhatIf).</summary>
    public string? VersionId { get; }

    public string Commit { get; }

    public string Digest { get; }

    public string ManifestPath { get; }

    /// <summary>How many template files the bundle carries.</summary>
    public int Templates { get; }
}

/// <summary>
/// The bundle's place in S3: one key in a versioned bucket, each publish a new version, the latest version the desired
/// state (docs/gitops-reconciler.md). Earlier versions stay, so every published commit can be read back.
/// </summary>
public sealed class BundleStore
{
    public const string DefaultKey = "cloudpatterns/bundle.json";
    public const string Published = "Published";
    public const string NoChange = "NoChange";
    public const string WhatIf = "WhatIf";

    private readonly IAmazonS3 s3;

    public BundleStore(IAmazonS3 s3, string bucket, string key)
    {
        this.s3 = s3;
        Bucket = bucket;
        Key = key;
    }

    public string Bucket { get; }

    public string Key { get; }

    /// <summary>
    /// Uploads <paramref name="bundle"/> as a new version unless the latest version already holds the same content
    /// (NoChange). Refuses a bucket without versioning before anything is written. <paramref name="approve"/> is asked
    /// before the upload (ShouldProcess); declined, nothing is written.
    /// </summary>
    public async Task<PublishedBundle> PublishAsync(string accountId, string region, ManifestBundle bundle, Func<Task<bool>> approve, CancellationToken cancellationToken)
    {
        var versioning = await s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = Bucket }, cancellationToken).ConfigureAwait(false);
        if (versioning.VersioningConfig?.Status != VersionStatus.Enabled)
        {
            throw new PreflightException(new[]
            {
                $"The bucket {Bucket} does not have versioning enabled (status: {versioning.VersioningConfig?.Status?.Value ?? "never enabled"}): bundles go to a versioned bucket, so each published commit stays readable. "
                + "Enable versioning on it (PutBucketVersioning Status=Enabled) or give another bucket.",
            });
        }

        var latest = await ReadLatestAsync(cancellationToken).ConfigureAwait(false);
        if (latest is not null && TryParse(latest.Value.Text) is { } current && current.Digest == bundle.Digest)
        {
            return new PublishedBundle(accountId, region, Bucket, Key, NoChange, latest.Value.VersionId, bundle);
        }

        if (!await approve().ConfigureAwait(false))
        {
            return new PublishedBundle(accountId, region, Bucket, Key, WhatIf, null, bundle);
        }

        var request = new PutObjectRequest
        {
            BucketName = Bucket,
            Key = Key,
            InputStream = new MemoryStream(Encoding.UTF8.GetBytes(bundle.ToJson())),
            ContentType = "application/json",
            ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
        };
        request.Metadata["cloudpatterns-commit"] = bundle.Commit;
        request.Metadata["cloudpatterns-digest"] = bundle.Digest;
        var response = await s3.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
        return new PublishedBundle(accountId, region, Bucket, Key, Published, response.VersionId, bundle);
    }

    /// <summary>The latest version's text and version id; null when nothing was published yet.</summary>
    public async Task<(string Text, string? VersionId)?> ReadLatestAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = Key }, cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(response.ResponseStream, Encoding.UTF8);
            return (await reader.ReadToEndAsync().ConfigureAwait(false), response.VersionId);
        }
        catch (AmazonS3Exception error) when (error.ErrorCode == "NoSuchKey")
        {
            return null;
        }
    }

    /// <summary>Where a version of the bundle is, as errors and the run history name it.</summary>
    public string Location(string? versionId) => $"s3://{Bucket}/{Key}" + (versionId is null ? string.Empty : $"?versionId={versionId}");

    private ManifestBundle? TryParse(string text)
    {
        try
        {
            return ManifestBundle.Parse(text, Location(null));
        }
        catch (BundleDigestException)
        {
            // A tampered latest version is replaced by the publish, never counted as the same content.
            return null;
        }
    }
}
