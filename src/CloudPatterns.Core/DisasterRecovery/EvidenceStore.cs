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
using CloudPatterns.Aws;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>Where a record was stored and under which hash.</summary>
public sealed class StoredEvidence
{
    internal StoredEvidence(string bucket, string key, string sha256, string? outcome = null)
    {
        Bucket = bucket;
        Key = key;
        Sha256 = sha256;
        Outcome = outcome;
    }

    public string Bucket { get; }

    public string Key { get; }

    public string Sha256 { get; }

    /// <summary>
    /// The outcome the stored record holds when it was found rather than written by this call (a concurrent or earlier
    /// writer of the same identity stored it first); null when this call wrote it.
    /// </summary>
    public string? Outcome { get; }
}

/// <summary>
/// Evidence records in an S3 bucket with Object Lock: <c>dr-validation/yyyy/mm/dd/&lt;run&gt;/&lt;n&gt;.json</c>, each
/// under COMPLIANCE retention and an SHA-256 checksum S3 verifies on upload, each chained to the record stored
/// before it, signed with the evidence KMS key, and followed by a signed digest (<see cref="EvidenceDigest"/>) that
/// anchors the chain head. One store serves one run; writes are serialised so the chain has no forks within a run.
/// </summary>
public sealed partial class EvidenceStore : IDisposable
{
    public const string KeyPrefix = "dr-validation/";
    public const int DefaultRetentionDays = 365;

    private readonly IAmazonS3 s3;
    private readonly IEvidenceSigner signer;
    private readonly SemaphoreSlim gate = new(1, 1);
    private ChainHead? head;

    /// <summary>The run id of this store's next key (<see cref="RunId"/>, or the run its records went on under) and its last sequence number there.</summary>
    private string writingRun;
    private int sequence;

    public EvidenceStore(IAmazonS3 s3, IEvidenceSigner signer, string bucket, int retentionDays, DateTime runStartedAt)
    {
        this.s3 = s3;
        this.signer = signer;
        Bucket = bucket;
        RetentionDays = retentionDays;
        RunId = NewRunId(runStartedAt);
        writingRun = RunId;
    }

    /// <summary>A store that continues run <paramref name="runId"/> (see <see cref="ContinueRunAsync"/>).</summary>
    public EvidenceStore(IAmazonS3 s3, IEvidenceSigner signer, string bucket, int retentionDays, string runId)
    {
        this.s3 = s3;
        this.signer = signer;
        Bucket = bucket;
        RetentionDays = retentionDays;
        RunId = runId;
        writingRun = RunId;
    }

    /// <summary>
    /// A store writing to <paramref name="bucket"/> in <paramref name="accountId"/>'s <paramref name="region"/>, signing
    /// with <paramref name="signingKeyId"/> (default: the evidence template's alias for the bucket): a new run, or run
    /// <paramref name="resumeRunId"/> continued.
    /// </summary>
    public static async Task<EvidenceStore> OpenAsync(AwsSession session, string accountId, string? region, string bucket, string? signingKeyId, int retentionDays, string? resumeRunId, CancellationToken cancellationToken)
    {
        AwsTarget target = await session.GetTargetAsync(accountId, region, cancellationToken).ConfigureAwait(false);
        var signer = new KmsEvidenceSigner(target.Kms, signingKeyId ?? EvidenceSigningKey.DefaultAlias(bucket));
        return resumeRunId is null
            ? new EvidenceStore(target.S3, signer, bucket, retentionDays, DateTime.UtcNow)
            : new EvidenceStore(target.S3, signer, bucket, retentionDays, resumeRunId);
    }

    /// <summary>Whether <paramref name="value"/> has the form of a run id (<see cref="RunId"/>).</summary>
    public static bool IsRunId(string value) => RunStart(value) is not null && value.Length == 26 && value[19] == '-'
        && value.Substring(20).All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));

    private static DateTime? RunStart(string runId) =>
        runId.Length >= 19 && DateTime.TryParseExact(runId.Substring(0, 19), "yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime start)
            ? start : null;

    /// <summary>
    /// Prepares this store to continue its run: reads the run's records (under each day from the run's start to
    /// today), numbers the next one after the highest, and reads the chain head. Returns the records' contents, or
    /// why the run cannot continue: a record of another run sorts after the next key, so appending would fork the chain.
    /// </summary>
    internal async Task<(IReadOnlyList<byte[]> Records, string? Conflict)> ContinueRunAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var records = new List<byte[]>();
            DateTime started = RunStart(RunId) ?? DateTime.UtcNow;
            for (DateTime day = started.Date; day <= DateTime.UtcNow.Date; day = day.AddDays(1))
            {
                string first = KeyFor(day, RunId, 1);
                foreach (EvidenceObject stored in await EvidenceObjects.ListAsync(s3, Bucket, first.Substring(0, first.LastIndexOf('/') + 1), cancellationToken).ConfigureAwait(false))
                {
                    if (EvidenceKey.TryParse(stored.Key, out EvidenceKey? key) && stored.Original is { } original)
                    {
                        sequence = Math.Max(sequence, key!.Sequence);
                        records.Add(await EvidenceObjects.ReadAsync(s3, Bucket, stored.Key, original.VersionId, cancellationToken).ConfigureAwait(false));
                    }
                }
            }

            head = await ChainHead.ReadAsync(s3, Bucket, cancellationToken).ConfigureAwait(false);
            string next = KeyFor(DateTime.UtcNow, RunId, sequence + 1);
            return head.RecordKey is { } last && EvidenceKey.ChainOrder.Compare(last, next) > 0
                ? (records, $"evidence {last} of a later run was stored after it; its next record ({next}) would sort before that one and fork the chain. Start a new run.")
                : (records, null);
        }
        finally
        {
            gate.Release();
        }
    }

    public string Bucket { get; }

    /// <summary>The client of the evidence bucket, for what a run keeps beside its evidence (<see cref="RestoreLedger"/>).</summary>
    internal IAmazonS3 S3 => s3;

    public int RetentionDays { get; }

    /// <summary>Sorts by start time to the millisecond (<c>20261127T140000123Z-1a2b3c</c>), unique through its random tail.</summary>
    public string RunId { get; }

    public static string KeyFor(DateTime recordedAt, string runId, int sequence) =>
        string.Format(CultureInfo.InvariantCulture, "{0}{1:yyyy'/'MM'/'dd}/{2}/{3}.json", KeyPrefix, recordedAt.ToUniversalTime(), runId, sequence);

    /// <summary>
    /// Appends a record to this run: numbers it, chains it to the last stored record, signs and stores it under
    /// COMPLIANCE retention, then stores the signed digest that anchors it. The one write API of the evidence for a
    /// run (Invoke-DrValidation, Invoke-DrFailover): every kind of record (validated, failed, aborted) goes through it.
    /// The position is claimed as <see cref="AppendAsync"/> claims it, so a writer in another process (the
    /// DR-Orchestrator, another run) appending at the same moment never forks the chain. Throws when S3 or KMS refuses:
    /// a record that cannot be stored must fail its validation.
    /// </summary>
    public async Task<StoredEvidence> WriteAsync(EvidenceRecord record, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            head ??= await ChainHead.ReadAsync(s3, Bucket, cancellationToken).ConfigureAwait(false);
            // Unique: a run's records are never duplicates of each other, nor of another writer's.
            string identity = "run-record-" + Guid.NewGuid().ToString("N");
            (head, StoredEvidence stored) = await ClaimAndStoreAsync(record, identity, StaleClaimAfter, null, head, cancellationToken).ConfigureAwait(false);
            if (record.RunId == writingRun)
            {
                sequence = Math.Max(sequence, record.Sequence);
            }
            else if (record.RunId.EndsWith(RunId.Substring(RunId.Length - 6), StringComparison.Ordinal))
            {
                // Another writer appended in between: this run's records go on under the run the record started.
                writingRun = record.RunId;
                sequence = record.Sequence;
            }

            return stored;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>How long a claim whose record never appeared holds its position (<see cref="AppendAsync"/>): a Lambda timeout and then some.</summary>
    public static readonly TimeSpan DefaultStaleClaimAfter = TimeSpan.FromMinutes(16);

    /// <summary>For <see cref="WriteAsync"/>: when another writer's claim whose record never appeared is taken over.</summary>
    public TimeSpan StaleClaimAfter { get; set; } = DefaultStaleClaimAfter;

    /// <summary>
    /// Chains <paramref name="record"/> to <paramref name="after"/>, seals it, stores it at <paramref name="key"/> (written
    /// once: S3 refuses a second write with 412) and stores its signed digest; returns the new chain head.
    /// </summary>
    private async Task<(ChainHead Head, StoredEvidence Stored)> StoreAsync(EvidenceRecord record, string key, ChainHead after, CancellationToken cancellationToken)
    {
        record.PreviousSha256 = after.RecordSha256;
        record.EvidenceRetentionDays = RetentionDays;
        (byte[] content, string sha256) = await record.SealAsync(signer, cancellationToken).ConfigureAwait(false);
        DateTime retainUntil = record.RecordedAt.ToUniversalTime().AddDays(RetentionDays);
        await PutLockedAsync(key, content, retainUntil, cancellationToken).ConfigureAwait(false);

        var digest = new EvidenceDigest
        {
            RunId = record.RunId,
            Sequence = record.Sequence,
            DigestedAt = DateTime.UtcNow,
            RecordKey = key,
            RecordSha256 = sha256,
            ChainLength = after.ChainLength + 1,
            PreviousDigestKey = after.DigestKey,
            PreviousDigestSha256 = after.DigestSha256,
        };
        (byte[] digestContent, string digestSha256) = await EvidenceSeal.SealAsync(digest.ToJson(), signer, cancellationToken).ConfigureAwait(false);
        string digestKey = EvidenceDigest.KeyFor(key);
        await PutLockedAsync(digestKey, digestContent, retainUntil, cancellationToken).ConfigureAwait(false);
        return (new ChainHead(key, sha256, digest.ChainLength, digestKey, digestSha256), new StoredEvidence(Bucket, key, sha256));
    }

    public void Dispose() => gate.Dispose();

    /// <summary>Retried on throttling and 5xx here, not by callers: a second WriteAsync would take the next sequence number.</summary>
    private Task PutLockedAsync(string key, byte[] content, DateTime retainUntil, CancellationToken cancellationToken) =>
        Transient.RetryAsync(
            token => s3.PutObjectAsync(
            new PutObjectRequest
            {
                BucketName = Bucket,
                Key = key,
                InputStream = new MemoryStream(content),
                ContentType = "application/json",
                ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
                ObjectLockMode = ObjectLockMode.Compliance,
                ObjectLockRetainUntilDate = retainUntil,
                // Written once: S3 refuses the write if the key exists (the bucket policy requires this header).
                IfNoneMatch = "*",
            },
            token),
            cancellationToken);

    internal static string NewRunId(DateTime startedAt)
    {
        var tail = new byte[3];
        using (var random = RandomNumberGenerator.Create())
        {
            random.GetBytes(tail);
        }

        return RunIdOf(startedAt, tail);
    }

    /// <summary>The run id of a run started at <paramref name="startedAt"/> whose tail is the first three bytes of <paramref name="tail"/>.</summary>
    internal static string RunIdOf(DateTime startedAt, byte[] tail) => RunIdOf(startedAt, BitConverter.ToString(tail, 0, 3).Replace("-", "").ToLowerInvariant());

    /// <summary>The run id of a run started at <paramref name="startedAt"/> with the tail (six hex digits) <paramref name="tail"/>.</summary>
    internal static string RunIdOf(DateTime startedAt, string tail) =>
        startedAt.ToUniversalTime().ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture) + "-" + tail;

    /// <summary>
    /// Where the next record chains to: the last record's and digest's hashes as first written (a forged later
    /// version is never chained onto), and the chain's length.
    /// </summary>
    private sealed class ChainHead
    {
        public ChainHead(string? recordKey, string? recordSha256, int chainLength, string? digestKey, string? digestSha256, StoredHead? stored = null)
        {
            RecordKey = recordKey;
            RecordSha256 = recordSha256;
            ChainLength = chainLength;
            DigestKey = digestKey;
            DigestSha256 = digestSha256;
            Stored = stored;
        }

        /// <summary>The last record's key; null for an empty chain.</summary>
        public string? RecordKey { get; }

        public string? RecordSha256 { get; }

        public int ChainLength { get; }

        public string? DigestKey { get; }

        public string? DigestSha256 { get; }

        /// <summary>When S3 stored the last record and what it chains to; null when the head is this store's own write.</summary>
        public StoredHead? Stored { get; }

        /// <summary>Whether the last record has no digest yet (its writer is storing it, or died before it did).</summary>
        public bool Unanchored => RecordKey is { } newest && DigestKey != EvidenceDigest.KeyFor(newest);

        /// <summary>Reads the head from the newest days only (the days are found by delimiter listings), not the whole chain.</summary>
        public static async Task<ChainHead> ReadAsync(IAmazonS3 s3, string bucket, CancellationToken cancellationToken)
        {
            List<string> recordDays = await EvidenceObjects.ListDaysAsync(s3, bucket, KeyPrefix, cancellationToken).ConfigureAwait(false);
            EvidenceObject? last = null;
            for (int day = recordDays.Count - 1; day >= 0 && last is null; day--)
            {
                last = (await RecordsAsync(s3, bucket, KeyPrefix + recordDays[day], cancellationToken).ConfigureAwait(false)).LastOrDefault();
            }

            if (last is null)
            {
                return new ChainHead(null, null, 0, null, null);
            }

            (string? recordSha256, string? previousSha256) = await StatedHashesAsync(s3, bucket, last, cancellationToken).ConfigureAwait(false);
            var stored = new StoredHead(last.Original!.LastModified, previousSha256);
            List<string> digestDays = await EvidenceObjects.ListDaysAsync(s3, bucket, EvidenceDigest.KeyPrefix, cancellationToken).ConfigureAwait(false);
            EvidenceObject? lastDigest = null;
            for (int day = digestDays.Count - 1; day >= 0 && lastDigest is null; day--)
            {
                lastDigest = (await EvidenceObjects.ListAsync(s3, bucket, EvidenceDigest.KeyPrefix + digestDays[day], cancellationToken).ConfigureAwait(false))
                    .Where(o => EvidenceKey.TryParse(EvidenceDigest.RecordKeyOf(o.Key), out _) && o.Original is not null)
                    .OrderBy(o => EvidenceDigest.RecordKeyOf(o.Key), EvidenceKey.ChainOrder).LastOrDefault();
            }

            JsonObject? json = null;
            if (lastDigest is not null)
            {
                byte[] content = await EvidenceObjects.ReadAsync(s3, bucket, lastDigest.Key, lastDigest.Original!.VersionId, cancellationToken).ConfigureAwait(false);
                json = JsonNode.Parse(content) as JsonObject;
            }

            // Without digests (records written before they existed) the chain is as long as what is listed; with one,
            // records after the last digest (a run stopped between record and digest) still count.
            string? anchored = json is null ? null : json["recordKey"]?.GetValue<string>();
            int after = 0;
            if (json is null || anchored is not null)
            {
                for (int day = recordDays.Count - 1; day >= 0; day--)
                {
                    string dayPrefix = KeyPrefix + recordDays[day];
                    after += (await RecordsAsync(s3, bucket, dayPrefix, cancellationToken).ConfigureAwait(false))
                        .Count(o => anchored is null || EvidenceKey.ChainOrder.Compare(o.Key, anchored) > 0);
                    if (anchored is not null && string.CompareOrdinal(dayPrefix, anchored) <= 0)
                    {
                        break;
                    }
                }
            }

            return json is null
                ? new ChainHead(last.Key, recordSha256, after, null, null, stored)
                : new ChainHead(last.Key, recordSha256, (json["chainLength"]?.GetValue<int>() ?? 0) + after, lastDigest!.Key, json[EvidenceSeal.HashMember]?.GetValue<string>(), stored);
        }

        /// <summary>The evidence records (first version readable) under one day's prefix, in chain order.</summary>
        private static async Task<List<EvidenceObject>> RecordsAsync(IAmazonS3 s3, string bucket, string dayPrefix, CancellationToken cancellationToken) =>
            (await EvidenceObjects.ListAsync(s3, bucket, dayPrefix, cancellationToken).ConfigureAwait(false))
                .Where(o => EvidenceKey.TryParse(o.Key, out _) && o.Original is not null).OrderBy(o => o.Key, EvidenceKey.ChainOrder).ToList();

        /// <summary>The record's stated hash and the hash it chains to (<c>previousSha256</c>).</summary>
        private static async Task<(string? Sha256, string? PreviousSha256)> StatedHashesAsync(IAmazonS3 s3, string bucket, EvidenceObject evidence, CancellationToken cancellationToken)
        {
            byte[] content = await EvidenceObjects.ReadAsync(s3, bucket, evidence.Key, evidence.Original!.VersionId, cancellationToken).ConfigureAwait(false);
            var json = JsonNode.Parse(content) as JsonObject;
            return (json?[EvidenceSeal.HashMember]?.GetValue<string>(), json?["previousSha256"] is JsonValue previous && previous.TryGetValue(out string? text) ? text : null);
        }
    }

    /// <summary>The last record as S3 holds it: when its first version was stored (S3's clock) and the hash it chains to.</summary>
    private sealed record StoredHead(DateTime? WrittenAt, string? PreviousSha256);
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

    public string RunId => DayAndRun.Substring(DayAndRun.LastIndexOf('/') + 1);

    public int Sequence { get; }

    /// <summary>The key of another record of the same run and day.</summary>
    public static string Sibling(string dayAndRun, int sequence) =>
        string.Format(CultureInfo.InvariantCulture, "{0}{1}/{2}.json", EvidenceStore.KeyPrefix, dayAndRun, sequence);

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
