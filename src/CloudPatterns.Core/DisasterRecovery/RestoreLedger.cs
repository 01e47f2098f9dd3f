using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Amazon.S3;
using Amazon.S3.Model;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>
/// A restore a validation is about to start or has started: written to the evidence bucket before StartRestoreJob and
/// removed once what it created is deleted, so a run that dies (Ctrl+C, SIGKILL, a fault) leaves a note the next run
/// finds.
/// </summary>
public sealed class RestoreIntent
{
    public string RunId { get; set; } = "";

    public string AccountId { get; set; } = "";

    public string Region { get; set; } = "";

    /// <summary>The Backup resource type (RDS, DynamoDB, EBS).</summary>
    public string ResourceType { get; set; } = "";

    /// <summary>The name the restore was given (for types AWS names, the name the validation would have used).</summary>
    public string IntendedName { get; set; } = "";

    public string RecoveryPointArn { get; set; } = "";

    public string SourceResourceArn { get; set; } = "";

    /// <summary>Null until StartRestoreJob answered.</summary>
    public string? RestoreJobId { get; set; }

    public DateTime StartedAt { get; set; }

    /// <summary>The machine and process of the run, so a later run on the same machine knows whether it still runs.</summary>
    public string Host { get; set; } = "";

    public int ProcessId { get; set; }

    /// <summary>The orchestrator's judgement, noted before the restored resource is deleted, so a retry records it instead of judging a deleted resource.</summary>
    public EvidenceRecord? Judged { get; set; }

    /// <summary>The evidence key the orchestrator claimed for this restore's record (<see cref="EvidenceStore.AppendAsync"/>).</summary>
    public string? EvidenceKey { get; set; }

    /// <summary>The note of a restore of <paramref name="point"/> about to start in the account and region, named <paramref name="name"/>.</summary>
    internal static RestoreIntent For(string runId, string accountId, string region, RestorableKind kind, string name, Aws.Backup.RecoveryPointByBackupVault point, DateTime startedAt) => new()
    {
        RunId = runId,
        AccountId = accountId,
        Region = region,
        ResourceType = kind.ResourceType,
        IntendedName = name,
        RecoveryPointArn = point.RecoveryPointArn!,
        SourceResourceArn = point.ResourceArn!,
        StartedAt = startedAt,
    };
}

/// <summary>
/// The restores in flight, as objects under <c>dr-validation-restores/&lt;account&gt;/&lt;region&gt;/&lt;run&gt;/</c> in the
/// evidence bucket (outside the evidence prefix, so evidence listings never see them). Removing one writes a delete
/// marker, which Object Lock allows.
/// </summary>
internal sealed class RestoreLedger
{
    public const string KeyPrefix = "dr-validation-restores/";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private readonly IAmazonS3 s3;
    private readonly string bucket;

    public RestoreLedger(IAmazonS3 s3, string bucket)
    {
        this.s3 = s3;
        this.bucket = bucket;
    }

    public static string KeyFor(RestoreIntent intent) => $"{KeyPrefix}{intent.AccountId}/{intent.Region}/{intent.RunId}/{intent.IntendedName}.json";

    public Task RecordAsync(RestoreIntent intent, CancellationToken cancellationToken) =>
        EvidenceObjects.PutNoteAsync(s3, bucket, KeyFor(intent), JsonSerializer.SerializeToUtf8Bytes(intent, Json), cancellationToken);

    public Task ForgetAsync(RestoreIntent intent, CancellationToken cancellationToken) =>
        Transient.RetryAsync(token => s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = KeyFor(intent) }, token), cancellationToken);

    /// <summary>
    /// The orchestrator's index of a started restore: <c>dr-validation-restores/jobs/&lt;job id&gt;.json</c> holds its
    /// note's key, so the restore's event finds the note with two reads instead of reading every note in flight.
    /// </summary>
    public static string JobKeyFor(string restoreJobId) => $"{KeyPrefix}jobs/{restoreJobId}.json";

    /// <summary>Writes the index of <paramref name="intent"/>'s job (<see cref="JobKeyFor"/>); the note must name the job.</summary>
    public Task IndexJobAsync(RestoreIntent intent, CancellationToken cancellationToken) =>
        EvidenceObjects.PutNoteAsync(s3, bucket, JobKeyFor(intent.RestoreJobId!), JsonSerializer.SerializeToUtf8Bytes(KeyFor(intent)), cancellationToken);

    /// <summary>Removes the note, then the job's index: an index left by a crash in between names a note that is gone.</summary>
    public async Task ForgetJobAsync(RestoreIntent intent, CancellationToken cancellationToken)
    {
        await ForgetAsync(intent, cancellationToken).ConfigureAwait(false);
        await Transient.RetryAsync(token => s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = JobKeyFor(intent.RestoreJobId!) }, token), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The open note of restore job <paramref name="restoreJobId"/> in the account and region: through the job's index
    /// when there is one, else among every note (a note written before the index, or by a run that keeps none).
    /// </summary>
    public async Task<RestoreIntent?> NoteOfJobAsync(string accountId, string region, string restoreJobId, CancellationToken cancellationToken)
    {
        byte[]? index = await ReadIfAnyAsync(JobKeyFor(restoreJobId), cancellationToken).ConfigureAwait(false);
        if (index is null || JsonSerializer.Deserialize<string>(index) is not { } key)
        {
            return (await NotesAsync(accountId, region, cancellationToken).ConfigureAwait(false)).FirstOrDefault(note => note.RestoreJobId == restoreJobId);
        }

        byte[]? content = await ReadIfAnyAsync(key, cancellationToken).ConfigureAwait(false);
        return content is not null && JsonSerializer.Deserialize<RestoreIntent>(content, Json) is { } intent && KeyFor(intent) == key
            && intent.RestoreJobId == restoreJobId && intent.AccountId == accountId && intent.Region == region
            ? intent : null;
    }

    private async Task<byte[]?> ReadIfAnyAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await Transient.RetryAsync(token => EvidenceObjects.ReadAsync(s3, bucket, key, null, token), cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception error) when (error.ErrorCode is "NoSuchKey")
        {
            return null;
        }
    }

    /// <summary>The restores noted in this account and region and not yet cleaned up, by any run, oldest first.</summary>
    public async Task<List<RestoreIntent>> NotesAsync(string accountId, string region, CancellationToken cancellationToken)
    {
        var found = new List<RestoreIntent>();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = $"{KeyPrefix}{accountId}/{region}/" };
        ListObjectsV2Response page;
        do
        {
            page = await Transient.RetryAsync(token => s3.ListObjectsV2Async(request, token), cancellationToken).ConfigureAwait(false);
            foreach (S3Object entry in page.S3Objects ?? new List<S3Object>())
            {
                byte[] content;
                try
                {
                    content = await Transient.RetryAsync(token => EvidenceObjects.ReadAsync(s3, bucket, entry.Key, null, token), cancellationToken).ConfigureAwait(false);
                }
                catch (AmazonS3Exception error) when (error.ErrorCode is "NoSuchKey")
                {
                    // Listed, then removed by a concurrent run or delivery that finished its restore: nothing is pending.
                    continue;
                }

                if (JsonSerializer.Deserialize<RestoreIntent>(content, Json) is { } intent && KeyFor(intent) == entry.Key)
                {
                    found.Add(intent);
                }
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);
        return found.OrderBy(intent => intent.StartedAt).ToList();
    }
}
