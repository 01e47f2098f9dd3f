using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Amazon.S3;
using Amazon.S3.Model;
using CloudPatterns.Core.DisasterRecovery;

namespace CloudPatterns.Core.GitOps.Reconciler;

/// <summary>Get-StackSyncHistory -HistoryBucket: what one reconciler run did to one stack (or, with no stack, why the run changed nothing).</summary>
public sealed class StackSyncRunEntry
{
    internal StackSyncRunEntry(JsonObject run, JsonObject? target, JsonObject? stack)
    {
        string? Text(JsonObject? node, string name) => node?[name] is JsonValue value && value.TryGetValue(out string? text) ? text : null;
        RunId = Text(run, "runId") ?? string.Empty;
        Time = DateTimeOffset.TryParse(Text(run, "time"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;
        Trigger = Text(run, "trigger") ?? string.Empty;
        Cause = Text(run, "cause");
        RunStatus = Text(run, "status") ?? string.Empty;
        Commit = Text(run, "commit");
        Digest = Text(run, "digest");
        BundleVersionId = Text(run, "bundleVersionId");
        AccountId = Text(target, "accountId");
        Region = Text(target, "region");
        StackName = Text(stack, "stackName");
        Before = Text(stack, "before");
        Action = Text(stack, "action");
        Message = Text(stack, "message") ?? Text(target, "error") ?? Text(run, "message");
        HistoryKey = Text(run, "historyKey") ?? string.Empty;
    }

    public string RunId { get; }

    /// <summary>When the event that started the run happened (AWS's clock).</summary>
    public DateTimeOffset? Time { get; }

    /// <summary>Schedule or Change (a CloudTrail event).</summary>
    public string Trigger { get; }

    /// <summary>For a Change: the API call and who made it (eventSource eventName by arn).</summary>
    public string? Cause { get; }

    /// <summary>Succeeded, Failed (a target failed), Refused (the bundle was not deployed: digest mismatch, bad manifest, none published).</summary>
    public string RunStatus { get; }

    public string? Commit { get; }

    public string? Digest { get; }

    public string? BundleVersionId { get; }

    public string? AccountId { get; }

    public string? Region { get; }

    public string? StackName { get; }

    /// <summary>How the stack was found (a StackSyncState name).</summary>
    public string? Before { get; }

    /// <summary>What the run did (a StackSyncActionKind name).</summary>
    public string? Action { get; }

    public string? Message { get; }

    /// <summary>The run's record in the history bucket.</summary>
    public string HistoryKey { get; }
}

/// <summary>
/// The reconciler's run history: one JSON record per run under a prefix, each written once (<c>If-None-Match: *</c>),
/// so the history is append-only and a retried event cannot record its run twice (docs/gitops-reconciler.md).
/// </summary>
public sealed class SyncHistoryStore
{
    public const string DefaultPrefix = "gitops-history/";
    private const string TimeFormat = "yyyy-MM-dd'T'HH-mm-ss.fff'Z'";
    private const int StampLength = 24;

    private readonly IAmazonS3 s3;

    public SyncHistoryStore(IAmazonS3 s3, string bucket, string prefix)
    {
        this.s3 = s3;
        Bucket = bucket;
        Prefix = prefix;
    }

    public string Bucket { get; }

    public string Prefix { get; }

    /// <summary>The key of the run an event starts: its time, then a hash of its id (a retry of the event gets the same key).</summary>
    public string KeyFor(DateTime time, string eventId) =>
        Prefix + time.ToUniversalTime().ToString(TimeFormat, CultureInfo.InvariantCulture) + "-" + Hash(eventId) + ".json";

    /// <summary>Writes the run's record once; false when a record for the same event exists already (a retry or a duplicate delivery).</summary>
    public async Task<bool> AppendAsync(string key, JsonObject record, CancellationToken cancellationToken)
    {
        try
        {
            await s3.PutObjectAsync(
                new PutObjectRequest
                {
                    BucketName = Bucket,
                    Key = key,
                    InputStream = new MemoryStream(Encoding.UTF8.GetBytes(record.ToJsonString())),
                    ContentType = "application/json",
                    ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
                    IfNoneMatch = "*",
                },
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception error) when (error.StatusCode == System.Net.HttpStatusCode.PreconditionFailed)
        {
            return false;
        }
    }

    /// <summary>The runs between <paramref name="from"/> and <paramref name="to"/> (either may be null), newest first, an entry per stack.</summary>
    public async IAsyncEnumerable<StackSyncRunEntry> ReadAsync(DateTime? from, DateTime? to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = Prefix };
        ListObjectsV2Response page;
        do
        {
            page = await s3.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            keys.AddRange((page.S3Objects ?? new List<S3Object>()).Select(o => o.Key).Where(key => InPeriod(key, from, to)));
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);

        foreach (var key in keys.OrderByDescending(k => k, StringComparer.Ordinal))
        {
            using var response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = key }, cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(response.ResponseStream, Encoding.UTF8);
            if (JsonNode.Parse(await reader.ReadToEndAsync().ConfigureAwait(false)) is not JsonObject run)
            {
                continue;
            }

            run["historyKey"] = key;
            var targets = (run["targets"] as JsonArray)?.OfType<JsonObject>().ToList() ?? new List<JsonObject>();
            if (targets.Count == 0)
            {
                yield return new StackSyncRunEntry(run, null, null);
            }

            foreach (var target in targets)
            {
                var stacks = (target["stacks"] as JsonArray)?.OfType<JsonObject>().ToList() ?? new List<JsonObject>();
                if (stacks.Count == 0)
                {
                    yield return new StackSyncRunEntry(run, target, null);
                }

                foreach (var stack in stacks)
                {
                    yield return new StackSyncRunEntry(run, target, stack);
                }
            }
        }
    }

    /// <summary>Whether the run whose key this is falls in the period (the key starts with the run's time).</summary>
    private bool InPeriod(string key, DateTime? from, DateTime? to)
    {
        var stamp = key.Length >= Prefix.Length + StampLength ? key.Substring(Prefix.Length, StampLength) : string.Empty;
        if (!DateTime.TryParseExact(stamp, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time))
        {
            return false;
        }

        return (from is null || time >= from.Value.ToUniversalTime()) && (to is null || time <= to.Value.ToUniversalTime());
    }

    private static string Hash(string text) => CanonicalJson.Sha256(JsonValue.Create(text)).Substring(0, 16);
}
