using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Amazon.S3;
using Amazon.S3.Model;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>Where a record was stored and under which hash.</summary>
public sealed class StoredEvidence
{
    internal StoredEvidence(string bucket, string key, string sha256)
    {
        Bucket = bucket;
        Key = key;
        Sha256 = sha256;
    }

    public string Bucket { get; }

    public string Key { get; }

    public string Sha256 { get; }
}

/// <summary>
/// Evidence records in an S3 bucket with Object Lock: <c>dr-validation/yyyy/mm/dd/&lt;run&gt;/&lt;n&gt;.json</c>, each
/// under COMPLIANCE retention and an SHA-256 checksum S3 verifies on upload, each chained to the record stored
/// before it. One store serves one run; writes are serialised so the chain has no forks within a run.
/// </summary>
public sealed class EvidenceStore : IDisposable
{
    public const string KeyPrefix = "dr-validation/";
    public const int DefaultRetentionDays = 365;

    private readonly IAmazonS3 s3;
    private readonly SemaphoreSlim gate = new(1, 1);
    private bool previousLoaded;
    private string? previousSha256;
    private int sequence;

    public EvidenceStore(IAmazonS3 s3, string bucket, int retentionDays, DateTime runStartedAt)
    {
        this.s3 = s3;
        Bucket = bucket;
        RetentionDays = retentionDays;
        RunId = NewRunId(runStartedAt);
    }

    public string Bucket { get; }

    /// <summary>The client of the evidence bucket, for what a run keeps beside its evidence (<see cref="RestoreLedger"/>).</summary>
    internal IAmazonS3 S3 => s3;

    public int RetentionDays { get; }

    /// <summary>Sorts by start time (<c>20261127T140000Z-1a2b3c</c>), unique through its random tail.</summary>
    public string RunId { get; }

    public static string KeyFor(DateTime recordedAt, string runId, int sequence) =>
        string.Format(CultureInfo.InvariantCulture, "{0}{1:yyyy'/'MM'/'dd}/{2}/{3}.json", KeyPrefix, recordedAt.ToUniversalTime(), runId, sequence);

    /// <summary>
    /// Numbers the record, chains it to the last stored record, seals it and stores it under COMPLIANCE retention.
    /// Throws when S3 refuses: a record that cannot be stored must fail its validation.
    /// </summary>
    public async Task<StoredEvidence> WriteAsync(EvidenceRecord record, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!previousLoaded)
            {
                previousSha256 = await LatestHashAsync(cancellationToken).ConfigureAwait(false);
                previousLoaded = true;
            }

            record.RunId = RunId;
            record.Sequence = ++sequence;
            record.PreviousSha256 = previousSha256;
            record.EvidenceRetentionDays = RetentionDays;
            (byte[] content, string sha256) = record.Seal();
            string key = KeyFor(record.RecordedAt, RunId, record.Sequence);
            // Retried here, not by callers: a second WriteAsync would take the next sequence number.
            await Transient.RetryAsync(token => s3.PutObjectAsync(
                new PutObjectRequest
                {
                    BucketName = Bucket,
                    Key = key,
                    InputStream = new MemoryStream(content),
                    ContentType = "application/json",
                    ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
                    ObjectLockMode = ObjectLockMode.Compliance,
                    ObjectLockRetainUntilDate = record.RecordedAt.ToUniversalTime().AddDays(RetentionDays),
                },
                token), cancellationToken).ConfigureAwait(false);
            previousSha256 = sha256;
            return new StoredEvidence(Bucket, key, sha256);
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose() => gate.Dispose();

    /// <summary>Every evidence key in the bucket, in chain order.</summary>
    public static async Task<List<string>> ListKeysAsync(IAmazonS3 s3, string bucket, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = KeyPrefix };
        ListObjectsV2Response page;
        do
        {
            page = await s3.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            keys.AddRange((page.S3Objects ?? new List<S3Object>()).Select(o => o.Key).Where(key => EvidenceKey.TryParse(key, out _)));
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);
        return keys.OrderBy(key => key, EvidenceKey.ChainOrder).ToList();
    }

    private static string NewRunId(DateTime startedAt)
    {
        var tail = new byte[3];
        using (var random = RandomNumberGenerator.Create())
        {
            random.GetBytes(tail);
        }

        return startedAt.ToUniversalTime().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" + BitConverter.ToString(tail).Replace("-", "").ToLowerInvariant();
    }

    private async Task<string?> LatestHashAsync(CancellationToken cancellationToken)
    {
        List<string> keys = await ListKeysAsync(s3, Bucket, cancellationToken).ConfigureAwait(false);
        if (keys.Count == 0)
        {
            return null;
        }

        byte[] content = await ReadAsync(s3, Bucket, keys[keys.Count - 1], cancellationToken).ConfigureAwait(false);
        return (JsonNode.Parse(content) as JsonObject)?[EvidenceVerifier.HashMember]?.GetValue<string>();
    }

    internal static async Task<byte[]> ReadAsync(IAmazonS3 s3, string bucket, string key, CancellationToken cancellationToken)
    {
        using GetObjectResponse response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key }, cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        await response.ResponseStream.CopyToAsync(buffer).ConfigureAwait(false);
        return buffer.ToArray();
    }
}

/// <summary>The parts of an evidence key and the order records are chained in: day, run, then sequence as a number.</summary>
internal sealed class EvidenceKey
{
    private EvidenceKey(string dayAndRun, int sequence)
    {
        DayAndRun = dayAndRun;
        Sequence = sequence;
    }

    public static IComparer<string> ChainOrder { get; } = Comparer<string>.Create((left, right) =>
    {
        TryParse(left, out EvidenceKey? a);
        TryParse(right, out EvidenceKey? b);
        int byRun = string.CompareOrdinal(a!.DayAndRun, b!.DayAndRun);
        return byRun != 0 ? byRun : a.Sequence.CompareTo(b.Sequence);
    });

    public string DayAndRun { get; }

    public int Sequence { get; }

    public static bool TryParse(string key, out EvidenceKey? parsed)
    {
        parsed = null;
        string[] parts = key.Split('/');
        if (parts.Length != 6 || parts[0] + "/" != EvidenceStore.KeyPrefix || !parts[5].EndsWith(".json", StringComparison.Ordinal)
            || !int.TryParse(parts[5].Substring(0, parts[5].Length - 5), NumberStyles.None, CultureInfo.InvariantCulture, out int sequence))
        {
            return false;
        }

        parsed = new EvidenceKey(string.Join("/", parts, 1, 4), sequence);
        return true;
    }
}
