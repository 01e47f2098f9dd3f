using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Amazon.S3;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>
/// Reads every version of every evidence record and digest of a bucket and checks what an auditor relies on
/// (docs/evidence.md): each record's SHA-256 and its signature by the evidence key, its link to the record before it,
/// that it was written once (one version, no delete marker), the Object Lock retention S3 holds, and the signed
/// digest that anchors it. A record the chain or a digest proves was removed is reported as a Missing entry.
/// The walk streams: it finds the days that hold evidence (delimiter listings), lists one day's keys and versions
/// (no content) when it reaches that day, reads one record and its digest at a time, yields its result and lets the
/// content go, so memory grows neither with the records' content nor with their number.
/// </summary>
public static class EvidenceVerifier
{
    // Clocks and rounding: a retention set from RecordedAt may land a moment earlier than RecordedAt + days.
    private static readonly TimeSpan RetentionTolerance = TimeSpan.FromMinutes(1);

    /// <summary>Every record of the bucket, verified, in chain order (Missing entries where records were removed), as each is read.</summary>
    public static async IAsyncEnumerable<AuditEvidence> VerifyAsync(IAmazonS3 s3, string bucket, EvidenceSigningKey key, string bucketAccountId, string bucketRegion,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (AuditEvidence evidence in WalkAsync(ListByDayAsync(s3, bucket, cancellationToken), key, stored => EvidenceObjects.LoadAsync(s3, bucket, stored, cancellationToken), release: true)
                           .WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            evidence.Bucket = bucket;
            evidence.EvidenceAccountId = bucketAccountId;
            evidence.EvidenceRegion = bucketRegion;
            yield return evidence;
        }
    }

    /// <summary>The checks over every stored version (content already read), given the evidence key's public half.</summary>
    public static IReadOnlyList<AuditEvidence> Verify(IEnumerable<EvidenceObject> records, IEnumerable<EvidenceObject> digests, EvidenceSigningKey key)
    {
        var results = new List<AuditEvidence>();
        IAsyncEnumerator<AuditEvidence> walk = WalkAsync(records, digests, key, _ => Task.CompletedTask, release: false).GetAsyncEnumerator();
        // Nothing in the walk awaits real I/O here: every step completes synchronously.
        while (walk.MoveNextAsync().AsTask().GetAwaiter().GetResult())
        {
            results.Add(walk.Current);
        }

        return results;
    }

    /// <summary>
    /// The bucket one day at a time (every day that holds a record or a digest, in order), each day's keys and versions
    /// listed only when the walk reaches it, so what is held does not grow with the number of days.
    /// </summary>
    private static async IAsyncEnumerable<EvidenceDay> ListByDayAsync(IAmazonS3 s3, string bucket, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Task<List<string>> listingDigestDays = EvidenceObjects.ListDaysAsync(s3, bucket, EvidenceDigest.KeyPrefix, cancellationToken);
        List<string> recordDays = await EvidenceObjects.ListDaysAsync(s3, bucket, EvidenceStore.KeyPrefix, cancellationToken).ConfigureAwait(false);
        List<string> digestDays = await listingDigestDays.ConfigureAwait(false);
        var withRecords = new HashSet<string>(recordDays, StringComparer.Ordinal);
        var withDigests = new HashSet<string>(digestDays, StringComparer.Ordinal);
        List<string> days = recordDays.Union(digestDays, StringComparer.Ordinal).OrderBy(day => day, StringComparer.Ordinal).ToList();

        async Task<EvidenceDay> ListDayAsync(string day)
        {
            Task<List<EvidenceObject>> digests = withDigests.Contains(day) ? EvidenceObjects.ListAsync(s3, bucket, EvidenceDigest.KeyPrefix + day, cancellationToken) : Task.FromResult(new List<EvidenceObject>());
            List<EvidenceObject> records = withRecords.Contains(day) ? await EvidenceObjects.ListAsync(s3, bucket, EvidenceStore.KeyPrefix + day, cancellationToken).ConfigureAwait(false) : new List<EvidenceObject>();
            return new EvidenceDay(records, await digests.ConfigureAwait(false));
        }

        // The next day is listed while the walk verifies this one: at most two days' listings are held.
        Task<EvidenceDay>? next = days.Count > 0 ? ListDayAsync(days[0]) : null;
        try
        {
            for (int i = 0; next is not null; i++)
            {
                EvidenceDay day = await next.ConfigureAwait(false);
                next = i + 1 < days.Count ? ListDayAsync(days[i + 1]) : null;
                yield return day;
            }
        }
        finally
        {
            // A walk stopped early (Ctrl+C, Select-Object -First) waits for the listing ahead, so its failure is observed.
            if (next is not null)
            {
                await next.ContinueWith(listing => listing.Exception, TaskScheduler.Default).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The walk over records and digests listed all at once, split into days as the bucket's walk reads them.</summary>
    internal static IAsyncEnumerable<AuditEvidence> WalkAsync(IEnumerable<EvidenceObject> records, IEnumerable<EvidenceObject> digests, EvidenceSigningKey key,
        Func<EvidenceObject, Task> load, bool release) =>
        WalkAsync(ByDay(records.ToList(), digests.ToList()), key, load, release);

#pragma warning disable CS1998 // An async iterator over values already in hand.
    private static async IAsyncEnumerable<EvidenceDay> ByDay(List<EvidenceObject> records, List<EvidenceObject> digests)
#pragma warning restore CS1998
    {
        // Keys that are no evidence (no day) stay with the first day, where the walk ignores them as before.
        static string DayOf(string key, string prefix) =>
            key.StartsWith(prefix, StringComparison.Ordinal) && key.Length >= prefix.Length + 11 ? key.Substring(prefix.Length, 11) : "";
        foreach (string day in records.Select(o => DayOf(o.Key, EvidenceStore.KeyPrefix)).Concat(digests.Select(o => DayOf(o.Key, EvidenceDigest.KeyPrefix)))
                     .Distinct(StringComparer.Ordinal).OrderBy(day => day, StringComparer.Ordinal))
        {
            yield return new EvidenceDay(
                records.Where(o => DayOf(o.Key, EvidenceStore.KeyPrefix) == day).ToList(),
                digests.Where(o => DayOf(o.Key, EvidenceDigest.KeyPrefix) == day).ToList());
        }
    }

    /// <summary>
    /// The walk in chain order, one listed batch (a day) at a time: reads a record and its digest (<paramref name="load"/>),
    /// checks them, yields the Missing entries that sort before it and then its result, and with <paramref name="release"/>
    /// drops their content. The chain position carries from one day to the next, so links, counts and gaps across days
    /// are checked as within one.
    /// </summary>
    internal static async IAsyncEnumerable<AuditEvidence> WalkAsync(IAsyncEnumerable<EvidenceDay> days, EvidenceSigningKey key, Func<EvidenceObject, Task> load, bool release)
    {
        var missing = new Dictionary<string, AuditEvidence>(StringComparer.Ordinal);
        var previous = new ChainPosition();
        var shared = new Dictionary<string, string>(StringComparer.Ordinal);
        await using IAsyncEnumerator<EvidenceDay> listed = days.GetAsyncEnumerator();
        // Days read ahead to learn whether a record follows the current day's last one (digest-only days are rare).
        var ahead = new Queue<EvidenceDay>();
        while (ahead.Count > 0 || await listed.MoveNextAsync().ConfigureAwait(false))
        {
            EvidenceDay day = ahead.Count > 0 ? ahead.Dequeue() : listed.Current;
            List<EvidenceObject> chain = day.Records.Where(o => EvidenceKey.TryParse(o.Key, out _)).OrderBy(o => o.Key, EvidenceKey.ChainOrder).ToList();
            Dictionary<string, EvidenceObject> digestOf = day.Digests
                .Where(o => o.Key.StartsWith(EvidenceDigest.KeyPrefix, StringComparison.Ordinal) && EvidenceKey.TryParse(EvidenceDigest.RecordKeyOf(o.Key), out _))
                .ToDictionary(o => EvidenceDigest.RecordKeyOf(o.Key), StringComparer.Ordinal);
            var present = new HashSet<string>(chain.Select(o => o.Key), StringComparer.Ordinal);
            var orphans = new Queue<string>(digestOf.Keys.Where(recordKey => !present.Contains(recordKey)).OrderBy(recordKey => recordKey, EvidenceKey.ChainOrder));
            for (int i = 0; i < chain.Count; i++)
            {
                EvidenceObject stored = chain[i];
                digestOf.TryGetValue(stored.Key, out EvidenceObject? storedDigest);
                await Task.WhenAll(load(stored), storedDigest is null ? Task.CompletedTask : load(storedDigest)).ConfigureAwait(false);

                var failures = new List<string>();
                AuditEvidence evidence = VerifyRecord(stored, key, failures, out EvidenceRecord? record);
                evidence.ShareValues(shared);
                int removed = 0;
                if (record is not null)
                {
                    evidence.ChainValid = record.PreviousSha256 == previous.RecordSha256;
                    if (!evidence.ChainValid)
                    {
                        failures.Add(ChainBreak(stored.Key, record, previous, missing, out removed));
                    }
                }

                // The chain as written counts the records the keys prove were removed.
                previous.Count += 1 + removed;
                if (storedDigest is not null)
                {
                    evidence.Anchored = CheckDigest(storedDigest, stored.Key, evidence.Sha256, key, previous, failures);
                }
                else if (i < chain.Count - 1 || await RecordFollowsAsync(listed, ahead).ConfigureAwait(false))
                {
                    failures.Add($"Its signed digest {EvidenceDigest.KeyFor(stored.Key)} is missing: it was removed, so nothing anchors this record.");
                }

                previous.RecordKey = stored.Key;
                previous.RecordSha256 = evidence.Sha256;
                evidence.Failures = failures.ToArray();
                evidence.Verified = failures.Count == 0;
                if (release)
                {
                    Release(stored);
                    Release(storedDigest);
                }

                // What was removed before this record (the chain's gaps, the digests left of removed records) comes first.
                while (orphans.Count > 0 && EvidenceKey.ChainOrder.Compare(orphans.Peek(), stored.Key) < 0)
                {
                    await AddOrphanAsync(digestOf[orphans.Dequeue()]).ConfigureAwait(false);
                }

                foreach (AuditEvidence entry in TakeMissing(missing))
                {
                    yield return entry;
                }

                yield return evidence;
            }

            // The day's digests of removed records after its last record sort before every later day's records.
            while (orphans.Count > 0)
            {
                await AddOrphanAsync(digestOf[orphans.Dequeue()]).ConfigureAwait(false);
            }
        }

        foreach (AuditEvidence entry in TakeMissing(missing))
        {
            yield return entry;
        }

        async Task AddOrphanAsync(EvidenceObject orphan)
        {
            string recordKey = EvidenceDigest.RecordKeyOf(orphan.Key);
            await load(orphan).ConfigureAwait(false);
            AuditEvidence entry = MissingEntry(missing, recordKey);
            EvidenceDigest? digest = ReadDigest(orphan, key, out string? digestFailure);
            entry.RecordedAt ??= digest?.DigestedAt.ToUniversalTime();
            entry.Failures = entry.Failures.Append(
                $"Its signed digest {orphan.Key} says it was stored with SHA-256 {digest?.RecordSha256 ?? "(unreadable)"}{(digestFailure is null ? "" : $" (the digest itself does not verify: {digestFailure})")}.").ToArray();
            if (release)
            {
                Release(orphan);
            }
        }
    }

    /// <summary>Whether a later day holds a record: reads days ahead (kept for the walk) until one does or none is left.</summary>
    private static async Task<bool> RecordFollowsAsync(IAsyncEnumerator<EvidenceDay> listed, Queue<EvidenceDay> ahead)
    {
        if (ahead.Any(day => day.HasRecords))
        {
            return true;
        }

        while (await listed.MoveNextAsync().ConfigureAwait(false))
        {
            ahead.Enqueue(listed.Current);
            if (listed.Current.HasRecords)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The Missing entries found so far, in chain order, and none left behind.</summary>
    private static List<AuditEvidence> TakeMissing(Dictionary<string, AuditEvidence> missing)
    {
        List<AuditEvidence> entries = missing.Values.OrderBy(entry => entry.Key!, EvidenceKey.ChainOrder).ToList();
        missing.Clear();
        return entries;
    }

    /// <summary>Drops what was read of an object once it is judged, so the walk holds one record's content at a time.</summary>
    private static void Release(EvidenceObject? stored)
    {
        foreach (EvidenceVersion version in stored?.Versions ?? Array.Empty<EvidenceVersion>())
        {
            version.Content = null;
        }
    }

    /// <summary>A record's own checks over its first version: hash, signature, versions, retention; and its content.</summary>
    private static AuditEvidence VerifyRecord(EvidenceObject stored, EvidenceSigningKey key, List<string> failures, out EvidenceRecord? record)
    {
        record = null;
        var evidence = new AuditEvidence { Key = stored.Key, Versions = stored.Versions.Select(v => v.ToString()).ToArray() };
        failures.AddRange(VersionFailures(stored, "record"));
        EvidenceVersion? original = stored.Original;
        if (original?.Content is null)
        {
            failures.Add("No version of it can be read.");
            return evidence;
        }

        evidence.RetentionMode = original.RetentionMode;
        evidence.RetainUntil = original.RetainUntil;
        OpenedEvidence opened = EvidenceSeal.Open(original.Content, key);
        evidence.Sha256 = opened.Sha256;
        evidence.HashValid = opened.HashFailure is null;
        evidence.SignatureValid = opened.SignatureFailure is null;
        evidence.SignedBy = EvidenceSignature.FromJson(JsonNode.Parse(original.Content) is JsonObject raw ? raw[EvidenceSignature.Member] : null)?.KeyId;
        failures.AddRange(new[] { opened.HashFailure, opened.SignatureFailure }.OfType<string>());
        if (opened.Body is null)
        {
            return evidence;
        }

        try
        {
            record = opened.Body.Deserialize<EvidenceRecord>(EvidenceRecord.JsonOptions);
        }
        catch (JsonException error)
        {
            failures.Add($"It does not have the evidence record's shape: {error.Message}");
            return evidence;
        }

        evidence.Fill(record!);
        DateTime? required = record!.RecordedAt == default ? null : record.RecordedAt.ToUniversalTime().AddDays(record.EvidenceRetentionDays) - RetentionTolerance;
        evidence.RetentionValid = original.RetentionMode == "COMPLIANCE" && original.RetainUntil is { } until && required is { } least && until >= least;
        if (!evidence.RetentionValid)
        {
            failures.Add(original.RetentionMode is null
                ? "The object has no Object Lock retention: it could be deleted or overwritten."
                : required is null
                    ? "The record does not say when it was recorded, so the retention it needs cannot be known."
                    : $"The object's retention is {original.RetentionMode} until {original.RetainUntil:u}; the record requires COMPLIANCE until at least {required:u}.");
        }

        return evidence;
    }

    /// <summary>Evidence is written once: a second version is a forgery added later, a delete marker an attempt to hide it.</summary>
    private static IEnumerable<string> VersionFailures(EvidenceObject stored, string what)
    {
        List<EvidenceVersion> written = stored.Written.ToList();
        if (written.Count > 1)
        {
            yield return $"The {what} {stored.Key} has {written.Count} versions ({string.Join(", ", written)}): evidence is written once, so every version after the first ({written[0].VersionId}, shown here) was added later.";
        }

        foreach (EvidenceVersion marker in stored.DeleteMarkers)
        {
            yield return $"The {what} {stored.Key} was deleted ({marker}); its locked version {written.FirstOrDefault()?.VersionId ?? "(none)"} is shown here.";
        }
    }

    /// <summary>Names what a broken link means and adds a Missing entry for each record the keys prove is gone.</summary>
    private static string ChainBreak(string key, EvidenceRecord record, ChainPosition previous, Dictionary<string, AuditEvidence> missing, out int removed)
    {
        EvidenceKey.TryParse(key, out EvidenceKey? at);
        EvidenceKey? before = null;
        bool samePreviousRun = previous.RecordKey is not null && EvidenceKey.TryParse(previous.RecordKey, out before) && before!.RunId == at!.RunId;
        int firstMissing = samePreviousRun ? before!.Sequence + 1 : 1;
        var named = new List<string>();
        for (int sequence = firstMissing; sequence < at!.Sequence; sequence++)
        {
            string missingKey = EvidenceKey.Sibling(samePreviousRun ? before!.DayAndRun : at.DayAndRun, sequence);
            AuditEvidence entry = MissingEntry(missing, missingKey);
            entry.RecordedAt ??= record.RecordedAt.ToUniversalTime();
            entry.Failures = entry.Failures.Append($"Record {key} chains past it.").ToArray();
            named.Add(missingKey);
        }

        removed = named.Count;
        if (named.Count == 0 && at.Sequence == 1 && before is not null)
        {
            // The first record of a run chains to something other than the last record listed: the run before lost
            // its last records (the digests below name them) or a record was inserted.
            return $"It chains to {record.PreviousSha256 ?? "(nothing)"}, but the last record listed before it ({previous.RecordKey}, run {before.RunId}) has SHA-256 {previous.RecordSha256 ?? "(none)"}: records after it in run {before.RunId} were removed, or one was replaced.";
        }

        return named.Count > 0
            ? $"It chains to {record.PreviousSha256 ?? "(nothing)"}, a record that is gone: {string.Join(", ", named)} (run {at.RunId}) {(named.Count == 1 ? "is" : "are")} missing."
            : $"It chains to {record.PreviousSha256 ?? "(nothing)"}, but the record before it ({previous.RecordKey ?? "none: this is the first"}) has SHA-256 {previous.RecordSha256 ?? "(none)"}: a record was removed, inserted or replaced.";
    }

    /// <summary>Checks the digest of a record; true when it verifies and confirms the record.</summary>
    private static bool CheckDigest(EvidenceObject stored, string recordKey, string? recordSha256, EvidenceSigningKey key, ChainPosition previous, List<string> failures)
    {
        int before = failures.Count;
        failures.AddRange(VersionFailures(stored, "digest"));
        EvidenceDigest? digest = ReadDigest(stored, key, out string? failure);
        if (failure is not null)
        {
            failures.Add($"Its digest {stored.Key}: {failure}");
        }

        if (digest is not null)
        {
            if (digest.RecordKey != recordKey || digest.RecordSha256 != recordSha256)
            {
                failures.Add($"Its digest {stored.Key} anchors {digest.RecordKey} with SHA-256 {digest.RecordSha256}, not this record's {recordSha256 ?? "(none)"}: the record was replaced.");
            }

            if (digest.ChainLength != previous.Count)
            {
                failures.Add($"Its digest {stored.Key} counted {digest.ChainLength} records up to it; the bucket holds {previous.Count}: {Math.Abs(digest.ChainLength - previous.Count)} {(digest.ChainLength > previous.Count ? "were removed" : "were inserted")} before it.");
            }

            if (digest.PreviousDigestSha256 != previous.DigestSha256)
            {
                failures.Add($"Its digest {stored.Key} follows digest {digest.PreviousDigestKey ?? "(none)"} with SHA-256 {digest.PreviousDigestSha256 ?? "(none)"}, but the digest before it is {previous.DigestKey ?? "(none)"} with {previous.DigestSha256 ?? "(none)"}: a digest was removed or replaced.");
            }
        }

        previous.DigestKey = stored.Key;
        previous.DigestSha256 = stored.Original?.Content is { } content && JsonNode.Parse(content) is JsonObject json ? json[EvidenceSeal.HashMember]?.GetValue<string>() : null;
        return failures.Count == before;
    }

    private static EvidenceDigest? ReadDigest(EvidenceObject stored, EvidenceSigningKey key, out string? failure)
    {
        failure = null;
        if (stored.Original?.Content is not { } content)
        {
            failure = "no version of it can be read.";
            return null;
        }

        OpenedEvidence opened = EvidenceSeal.Open(content, key);
        failure = opened.HashFailure ?? opened.SignatureFailure;
        return opened.Body is null ? null : EvidenceDigest.TryRead(opened.Body);
    }

    private static AuditEvidence MissingEntry(Dictionary<string, AuditEvidence> missing, string key)
    {
        if (!missing.TryGetValue(key, out AuditEvidence? entry))
        {
            EvidenceKey.TryParse(key, out EvidenceKey? parsed);
            entry = new AuditEvidence
            {
                RecordType = EvidenceRecordType.Missing,
                Key = key,
                RunId = parsed?.RunId,
                Sequence = parsed?.Sequence ?? 0,
                Failures = new[] { $"Record {key} (run {parsed?.RunId}, sequence {parsed?.Sequence}) is missing: it was stored and later removed." },
            };
            missing.Add(key, entry);
        }

        return entry;
    }

    /// <summary>One listed batch of the walk: a day's records and digests (or everything, for <see cref="Verify"/>).</summary>
    internal sealed record EvidenceDay(IReadOnlyList<EvidenceObject> Records, IReadOnlyList<EvidenceObject> Digests)
    {
        public bool HasRecords => Records.Any(o => EvidenceKey.TryParse(o.Key, out _));
    }

    /// <summary>What the walk has seen so far: the last record and digest, and how many records the chain had.</summary>
    private sealed class ChainPosition
    {
        public string? RecordKey { get; set; }

        public string? RecordSha256 { get; set; }

        public string? DigestKey { get; set; }

        public string? DigestSha256 { get; set; }

        public int Count { get; set; }
    }
}
