using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Amazon.S3;
using Amazon.S3.Model;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>
/// Reads every evidence record of a bucket in chain order and checks what an auditor relies on: the record's own
/// SHA-256, its link to the record before it, and the Object Lock retention S3 actually holds for the object.
/// </summary>
public static class EvidenceVerifier
{
    public const string HashMember = "sha256";

    // Clocks and rounding: a retention set from RecordedAt may land a moment earlier than RecordedAt + days.
    private static readonly TimeSpan RetentionTolerance = TimeSpan.FromMinutes(1);

    public static async IAsyncEnumerable<AuditEvidence> VerifyAsync(IAmazonS3 s3, string bucket, string bucketAccountId, string bucketRegion,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? previousSha256 = null;
        foreach (string key in await EvidenceStore.ListKeysAsync(s3, bucket, cancellationToken).ConfigureAwait(false))
        {
            byte[] content = await EvidenceStore.ReadAsync(s3, bucket, key, cancellationToken).ConfigureAwait(false);
            ObjectLockRetention? retention = await RetentionAsync(s3, bucket, key, cancellationToken).ConfigureAwait(false);
            AuditEvidence evidence = Verify(key, content, previousSha256, retention?.Mode?.Value, retention?.RetainUntilDate);
            evidence.Bucket = bucket;
            evidence.EvidenceAccountId = bucketAccountId;
            evidence.EvidenceRegion = bucketRegion;
            previousSha256 = evidence.Sha256;
            yield return evidence;
        }
    }

    /// <summary>The checks of one stored record, given the hash of the record before it and the retention S3 reports.</summary>
    public static AuditEvidence Verify(string key, byte[] content, string? previousSha256, string? retentionMode, DateTime? retainUntil)
    {
        var failures = new List<string>();
        var evidence = new AuditEvidence { Key = key, RetentionMode = retentionMode, RetainUntil = retainUntil?.ToUniversalTime() };
        JsonObject? json = null;
        try
        {
            json = JsonNode.Parse(content) as JsonObject;
        }
        catch (JsonException error)
        {
            failures.Add($"The record is not valid JSON: {error.Message}");
        }

        if (json is not null)
        {
            evidence.Sha256 = json[HashMember]?.GetValue<string>();
            json.Remove(HashMember);
            string recomputed = CanonicalJson.Sha256(json);
            evidence.HashValid = evidence.Sha256 == recomputed;
            if (!evidence.HashValid)
            {
                failures.Add($"The record's SHA-256 is {recomputed}, not the {evidence.Sha256 ?? "(missing)"} it states: its content changed after it was sealed.");
            }

            EvidenceRecord? record = TryRead(json, failures);
            if (record is not null)
            {
                evidence.Fill(record);
                evidence.ChainValid = record.PreviousSha256 == previousSha256;
                if (!evidence.ChainValid)
                {
                    failures.Add($"The record chains to {record.PreviousSha256 ?? "(nothing)"}, but the record before it has SHA-256 {previousSha256 ?? "(none: this is the first)"}: a record was removed, inserted or replaced.");
                }

                DateTime? required = record.RecordedAt == default ? null : record.RecordedAt.ToUniversalTime().AddDays(record.EvidenceRetentionDays) - RetentionTolerance;
                evidence.RetentionValid = retentionMode == "COMPLIANCE" && retainUntil is { } until && required is { } least && until.ToUniversalTime() >= least;
                if (!evidence.RetentionValid)
                {
                    failures.Add(retentionMode is null
                        ? "The object has no Object Lock retention: it could be deleted or overwritten."
                        : required is null
                            ? "The record does not say when it was recorded, so the retention it needs cannot be known."
                            : $"The object's retention is {retentionMode} until {retainUntil:u}; the record requires COMPLIANCE until at least {required:u}.");
                }
            }
        }

        evidence.Failures = failures.ToArray();
        evidence.Verified = failures.Count == 0;
        return evidence;
    }

    /// <summary>The retention S3 holds for the object; null when it has none (S3 answers NoSuchObjectLockConfiguration).</summary>
    private static async Task<ObjectLockRetention?> RetentionAsync(IAmazonS3 s3, string bucket, string key, CancellationToken cancellationToken)
    {
        try
        {
            GetObjectRetentionResponse response = await s3.GetObjectRetentionAsync(new GetObjectRetentionRequest { BucketName = bucket, Key = key }, cancellationToken).ConfigureAwait(false);
            return response.Retention;
        }
        catch (AmazonS3Exception error) when (error.ErrorCode == "NoSuchObjectLockConfiguration")
        {
            return null;
        }
    }

    private static EvidenceRecord? TryRead(JsonObject json, List<string> failures)
    {
        try
        {
            return json.Deserialize<EvidenceRecord>(EvidenceRecord.JsonOptions);
        }
        catch (JsonException error)
        {
            failures.Add($"The record does not have the evidence record's shape: {error.Message}");
            return null;
        }
    }
}
