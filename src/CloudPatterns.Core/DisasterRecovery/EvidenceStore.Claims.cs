using System;
using System.IO;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Amazon.S3;
using Amazon.S3.Model;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>A position in the evidence chain, taken by one writer: the key its record goes to and whose record it is.</summary>
public sealed class EvidenceClaim
{
    public string RecordKey { get; set; } = "";

    /// <summary>What the record is about (the orchestrator's: the restore job id); a second writer of the same thing finds it.</summary>
    public string Identity { get; set; } = "";

    public DateTime ClaimedAt { get; set; }
}

// EvidenceStore: appends by writers in separate processes (the orchestrator's Lambda invocations), docs/orchestrator.md.
public sealed partial class EvidenceStore
{
    /// <summary>Claims live beside the evidence, outside its prefix: <c>dr-validation-claims/&lt;hash of the record they follow&gt;.json</c>.</summary>
    public const string ClaimPrefix = "dr-validation-claims/";

    private static readonly JsonSerializerOptions ClaimJson = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
    private static readonly TimeSpan ClaimPause = TimeSpan.FromMilliseconds(250);

    /// <summary>How long after S3 stored the head record its digest may still come (its writer stores it right after the record).</summary>
    private static readonly TimeSpan UnanchoredWait = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Appends a record when other processes may append at the same moment, and the same record may be appended twice (a
    /// retried or duplicated event): before writing after the chain's head, a writer claims that position with a write S3
    /// performs only once (<c>If-None-Match: *</c> on the claim object named after the head's hash), so two records never
    /// follow the same one. A claim whose record does not appear is awaited, and taken over once older than
    /// <paramref name="staleClaimAfter"/> (its writer died and was not retried). A record of <paramref name="identity"/>
    /// already at the head, at a position an earlier attempt claimed, or at the key its mark names (<see cref="MarkKeyFor"/>:
    /// a twin stored it, and other records followed) is returned instead of being written again.
    /// <paramref name="claimed"/> is told the key before the record is written, so the caller can note it and give it back
    /// as <paramref name="claimedBefore"/> when it retries: a record of <paramref name="identity"/> there is returned as well.
    /// </summary>
    public async Task<StoredEvidence> AppendAsync(EvidenceRecord record, string identity, string? claimedBefore, TimeSpan staleClaimAfter, Func<string, Task>? claimed, CancellationToken cancellationToken)
    {
        if (claimedBefore is not null && await RecordOfAsync(claimedBefore, identity, cancellationToken).ConfigureAwait(false) is { } earlier)
        {
            return earlier;
        }

        (_, StoredEvidence stored) = await ClaimAndStoreAsync(record, identity, staleClaimAfter, claimed, null, cancellationToken).ConfigureAwait(false);
        return stored;
    }

    /// <summary>
    /// The claim loop of <see cref="AppendAsync"/> and <see cref="WriteAsync"/>. <paramref name="known"/> is the head this
    /// store wrote last (<see cref="WriteAsync"/>'s run): its position is claimed without reading the head again, since
    /// a claim S3 takes proves nobody appended after it; only a refused claim reads the head. With a known head the
    /// record goes to the run's next key when that sorts after the head, and no record of the same identity is looked for
    /// (one process numbers the run). Returns the head after the record, and the record stored.
    /// </summary>
    private async Task<(ChainHead Head, StoredEvidence Stored)> ClaimAndStoreAsync(EvidenceRecord record, string identity, TimeSpan staleClaimAfter, Func<string, Task>? claimed, ChainHead? known, CancellationToken cancellationToken)
    {
        bool ownRun = known is not null;
        ChainHead? cached = known;
        while (true)
        {
            ChainHead last = cached ?? await ChainHead.ReadAsync(s3, Bucket, cancellationToken).ConfigureAwait(false);
            cached = null;
            if (!ownRun && last.RecordKey is { } headKey && await RecordOfAsync(headKey, identity, cancellationToken).ConfigureAwait(false) is { } already)
            {
                return (last, already);
            }

            if (!ownRun && await ReadClaimAsync(MarkKeyFor(identity), cancellationToken).ConfigureAwait(false) is { } mark
                && await RecordOfAsync(mark.Claim.RecordKey, identity, cancellationToken).ConfigureAwait(false) is { } marked)
            {
                // Stored by a twin, with other records after it since: the head no longer shows it, the mark does.
                return (last, marked);
            }

            string key = ownRun ? RunKey(record, last) : NextKey(last);
            var mine = new EvidenceClaim { RecordKey = key, Identity = identity, ClaimedAt = DateTime.UtcNow };
            string claimKey = ClaimKeyFor(last.RecordSha256);
            EvidenceClaim? held = await TryClaimAsync(claimKey, mine, cancellationToken).ConfigureAwait(false);
            if (held is not null)
            {
                if (await RecordOfAsync(held.RecordKey, identity, cancellationToken).ConfigureAwait(false) is { } written)
                {
                    return (last, written);
                }

                bool mineBefore = held.Identity == identity;
                bool stale = DateTime.UtcNow - held.ClaimedAt >= staleClaimAfter;
                if (!mineBefore && (await ExistsAsync(held.RecordKey, cancellationToken).ConfigureAwait(false) || !stale))
                {
                    // The head moved on, or another writer is storing its record: read the head again.
                    await Task.Delay(ClaimPause, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                key = held.RecordKey;
            }

            if (last.Unanchored)
            {
                last = await AnchoredHeadAsync(last, claimKey, cancellationToken).ConfigureAwait(false);
            }

            if (claimed is not null)
            {
                await claimed(key).ConfigureAwait(false);
            }

            var markOf = new EvidenceClaim { RecordKey = key, Identity = identity, ClaimedAt = DateTime.UtcNow };
            if (!ownRun && await TryClaimAsync(MarkKeyFor(identity), markOf, cancellationToken).ConfigureAwait(false) is { } markedBefore && markedBefore.RecordKey != key)
            {
                if (await RecordOfAsync(markedBefore.RecordKey, identity, cancellationToken).ConfigureAwait(false) is { } twins)
                {
                    return (last, twins);
                }

                // The marked key holds another writer's record (this job's claim was taken over as stale): this job has
                // no record yet, and the mark now names the one stored here.
                await EvidenceObjects.PutNoteAsync(s3, Bucket, MarkKeyFor(identity), JsonSerializer.SerializeToUtf8Bytes(markOf, ClaimJson), cancellationToken).ConfigureAwait(false);
            }

            EvidenceKey.TryParse(key, out EvidenceKey? parts);
            record.RunId = parts!.RunId;
            record.Sequence = parts.Sequence;
            try
            {
                return await StoreAsync(record, key, last, cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonS3Exception error) when (error.StatusCode == System.Net.HttpStatusCode.PreconditionFailed)
            {
                // Another writer stored this position first (a duplicate of ours, or the taker-over of a stale claim).
                if (await RecordOfAsync(key, identity, cancellationToken).ConfigureAwait(false) is { } theirs)
                {
                    return (last, theirs);
                }
            }
        }
    }

    /// <summary>
    /// The head to chain to once this writer holds the position after <paramref name="head"/>, whose record has no
    /// digest yet: each digest names the one before it, so a digest chained past one its writer is still storing would
    /// fork the digests. The head's digest is awaited only while it can still come: the record is younger than
    /// <see cref="UnanchoredWait"/> on S3's clock (its first version's LastModified against the LastModified of the claim
    /// just written; LocalCloud's clock may run ahead of this machine's, so never this machine's clock), and a claim
    /// names it (a writer of this store's kind stored it and stores a digest after it; a record no claim names, a forged
    /// one or one written before claims existed, gets none). Otherwise the head is the chain's tail, as the verifier
    /// treats it, and the chain goes on from the last digest (docs/evidence.md, "Writers at the same moment").
    /// </summary>
    private async Task<ChainHead> AnchoredHeadAsync(ChainHead head, string claimKey, CancellationToken cancellationToken)
    {
        if (head.Stored?.WrittenAt is not { } written
            || await ReadClaimAsync(ClaimKeyFor(head.Stored.PreviousSha256), cancellationToken).ConfigureAwait(false) is not { } headClaim
            || headClaim.Claim.RecordKey != head.RecordKey)
        {
            return head;
        }

        // The claim was written just now (or, taken over, earlier: then the head looks younger and the wait is longer, never past a minute).
        DateTime now = (await ReadClaimAsync(claimKey, cancellationToken).ConfigureAwait(false))?.StoredAt ?? written;
        TimeSpan left = UnanchoredWait - (now - written);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < left)
        {
            await Task.Delay(ClaimPause, cancellationToken).ConfigureAwait(false);
            ChainHead again = await ChainHead.ReadAsync(s3, Bucket, cancellationToken).ConfigureAwait(false);
            if (again.RecordKey == head.RecordKey && !again.Unanchored)
            {
                return again;
            }
        }

        return head;
    }

    /// <summary>
    /// The mark of the record of <paramref name="identity"/> (<c>dr-validation-claims/records/&lt;identity&gt;.json</c>,
    /// naming its key): written once, with <c>If-None-Match: *</c>, after the position is claimed and before the record is
    /// stored, and read before claiming, so a delivery that comes after its twin stored the record, however many records
    /// followed, finds it (docs/orchestrator.md, "State in AWS").
    /// </summary>
    public static string MarkKeyFor(string identity) => ClaimPrefix + "records/" + identity + ".json";

    public static string ClaimKeyFor(string? previousSha256) => ClaimPrefix + (previousSha256 ?? "genesis") + ".json";

    /// <summary>
    /// This store's run's next key when it sorts after the head. Otherwise another writer appended since this run
    /// began (its keys sort after the run's): the record starts a run of its own, named by the time now and this run's
    /// tail, so key order stays chain order, and the run's next records follow it there (docs/evidence.md, "Writers at
    /// the same moment").
    /// </summary>
    private string RunKey(EvidenceRecord record, ChainHead last)
    {
        string key = KeyFor(record.RecordedAt, writingRun, sequence + 1);
        return last.RecordKey is { } headKey && EvidenceKey.ChainOrder.Compare(key, headKey) <= 0
            ? NextKey(last, RunId.Substring(RunId.Length - 6))
            : key;
    }

    /// <summary>A new run's first key (its tail <paramref name="tail"/>, or random), or, if the clock would sort it before the head, the head run's next one.</summary>
    private static string NextKey(ChainHead last, string? tail = null)
    {
        DateTime now = DateTime.UtcNow;
        string key = KeyFor(now, tail is null ? NewRunId(now) : RunIdOf(now, tail), 1);
        if (last.RecordKey is { } headKey && EvidenceKey.ChainOrder.Compare(key, headKey) <= 0)
        {
            EvidenceKey.TryParse(headKey, out EvidenceKey? head);
            key = EvidenceKey.Sibling(head!.DayAndRun, head.Sequence + 1);
        }

        return key;
    }

    /// <summary>Null when the claim was ours to take; otherwise the claim that holds the position.</summary>
    private async Task<EvidenceClaim?> TryClaimAsync(string claimKey, EvidenceClaim claim, CancellationToken cancellationToken)
    {
        try
        {
            await Transient.RetryAsync(
                token => s3.PutObjectAsync(
                    new PutObjectRequest
                    {
                        BucketName = Bucket,
                        Key = claimKey,
                        InputStream = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(claim, ClaimJson)),
                        ContentType = "application/json",
                        ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
                        IfNoneMatch = "*",
                    },
                    token),
                cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (AmazonS3Exception error) when (error.StatusCode == System.Net.HttpStatusCode.PreconditionFailed)
        {
            return (await ReadClaimAsync(claimKey, cancellationToken).ConfigureAwait(false))?.Claim
                ?? throw new InvalidDataException($"s3://{Bucket}/{claimKey} was claimed, yet cannot be read.");
        }
    }

    /// <summary>The claim at <paramref name="claimKey"/> and when S3 stored it (S3's clock); null when there is none.</summary>
    private async Task<(EvidenceClaim Claim, DateTime? StoredAt)?> ReadClaimAsync(string claimKey, CancellationToken cancellationToken)
    {
        GetObjectResponse? response = null;
        try
        {
            response = await Transient.RetryAsync(token => s3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = claimKey }, token), cancellationToken).ConfigureAwait(false);
            using var content = new MemoryStream();
            await response.ResponseStream.CopyToAsync(content).ConfigureAwait(false);
            EvidenceClaim claim = JsonSerializer.Deserialize<EvidenceClaim>(content.ToArray(), ClaimJson)
                ?? throw new InvalidDataException($"s3://{Bucket}/{claimKey} is not an evidence claim.");
            return (claim, response.LastModified?.ToUniversalTime());
        }
        catch (AmazonS3Exception error) when (error.ErrorCode is "NoSuchKey")
        {
            return null;
        }
        finally
        {
            response?.Dispose();
        }
    }

    /// <summary>The record at <paramref name="key"/> if it exists and is about <paramref name="identity"/>.</summary>
    private async Task<StoredEvidence?> RecordOfAsync(string key, string identity, CancellationToken cancellationToken)
    {
        byte[] content;
        try
        {
            content = await Transient.RetryAsync(token => EvidenceObjects.ReadAsync(s3, Bucket, key, null, token), cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception error) when (error.ErrorCode is "NoSuchKey")
        {
            return null;
        }

        var json = JsonNode.Parse(content) as JsonObject;
        return (string?)json?["restoreJobId"] == identity
            ? new StoredEvidence(Bucket, key, (string?)json?[EvidenceSeal.HashMember] ?? "", (string?)json?["outcome"] ?? "")
            : null;
    }

    private async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await Transient.RetryAsync(token => s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = key }, token), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception error) when (error.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }
}
