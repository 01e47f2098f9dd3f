using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Amazon.S3;
using Amazon.S3.Model;
using CloudPatterns.Aws;
using CloudPatterns.Aws.Backup;

namespace CloudPatterns.Core.DisasterRecovery.Orchestration;

/// <summary>
/// On the schedule: chooses which protected resources to validate and starts their restores in the DR account, then
/// returns (the restore jobs' state-change events bring them to <see cref="RestoreCompletion"/>). The latest recovery
/// point of each resource in the DR vault is a candidate; each run takes its share of them,
/// ceil(resources × interval ÷ coverage window), those that would otherwise pass the window first, then those never
/// validated, then the longest ago, so every resource is validated within the window (docs/orchestrator.md).
/// When each resource's validation last started is kept in the evidence bucket (<see cref="CoveragePrefix"/>). A run's id
/// comes from its event's time and id, so a retried or duplicated event continues the same run instead of starting more.
/// </summary>
internal static class ScheduledValidation
{
    public const string CoveragePrefix = "dr-validation-coverage/";
    public const string RestoreNamePrefix = "dro-";

    private const string DynamoDbType = "DynamoDB";

    public static async Task<OrchestratorOutcome> HandleAsync(AwsSession session, OrchestratorSettings settings, OrchestratorEvent incoming, CancellationToken cancellationToken)
    {
        DateTime now = incoming.Time;
        string runId = EvidenceStore.RunIdOf(now, Hash(incoming.Id.Length == 0 ? now.ToString("o", CultureInfo.InvariantCulture) : incoming.Id));
        AwsTarget bucketTarget = await session.GetTargetAsync(session.CallerAccountId, settings.PrimaryRegion, cancellationToken).ConfigureAwait(false);
        AwsTarget dr = await session.GetTargetAsync(settings.DrAccountId, settings.DrRegion, cancellationToken).ConfigureAwait(false);
        var ledger = new RestoreLedger(bucketTarget.S3, settings.EvidenceBucket);

        List<RestoreIntent> inFlight = await ledger.NotesAsync(settings.DrAccountId, settings.DrRegion, cancellationToken).ConfigureAwait(false);
        List<RestoreIntent> ofThisRun = inFlight.Where(intent => intent.RunId == runId).ToList();
        var busy = new HashSet<string>(inFlight.Select(intent => intent.SourceResourceArn), StringComparer.Ordinal);
        List<RecoveryPointByBackupVault> candidates = await RestoreSteps.LatestPointsAsync(dr, settings.DrVaultName, now - settings.CoverageWindow,
            point => !busy.Contains(point.ResourceArn!), cancellationToken).ConfigureAwait(false);
        Dictionary<string, DateTime> lastStarted = await LastStartedAsync(bucketTarget.S3, settings.EvidenceBucket, cancellationToken).ConfigureAwait(false);

        int resources = candidates.Count + busy.Count;
        int share = (int)Math.Ceiling(resources * settings.ScheduleInterval.TotalHours / settings.CoverageWindow.TotalHours);
        // Validated before this, a resource would pass the window before the next run. Runs are an interval apart give or
        // take a little (the scheduler's window, retries), so half an interval is allowed for that.
        DateTime mustBy = now + settings.ScheduleInterval - settings.CoverageWindow - TimeSpan.FromTicks(settings.ScheduleInterval.Ticks / 2);
        DateTime? Last(RecoveryPointByBackupVault point) => lastStarted.TryGetValue(CoverageId(point.ResourceArn!), out DateTime at) ? at : null;
        List<RecoveryPointByBackupVault> ordered = candidates
            .OrderBy(point => Last(point) is { } at && at < mustBy ? 0 : Last(point) is null ? 1 : 2)
            .ThenBy(point => Last(point) ?? DateTime.MinValue)
            .ThenBy(point => point.ResourceArn, StringComparer.Ordinal)
            .ToList();
        int urgent = ordered.Count(point => Last(point) is { } at && at < mustBy);
        int room = Math.Max(0, settings.MaxRestoresPerRun - ofThisRun.Count);
        int take = Math.Min(room, Math.Max(share, urgent) - ofThisRun.Count);
        OrchestratorOutcome outcome = incoming.Outcome(OrchestratorOutcome.RestoresStarted, "");
        if (urgent > room)
        {
            outcome.Warnings.Add($"{urgent} resources are due within the next run, more than the {settings.MaxRestoresPerRun} restores a run may start ({OrchestratorSettings.MaxRestoresVariable}): shorten {OrchestratorSettings.IntervalVariable} or widen {OrchestratorSettings.CoverageVariable}.");
        }

        int tablesInFlight = inFlight.Count(intent => intent.ResourceType == DynamoDbType);
        (List<RecoveryPointByBackupVault> picked, int tablesHeld) = Pick(ordered, take, tablesInFlight);
        if (tablesHeld > 0)
        {
            outcome.Warnings.Add($"{tablesHeld} DynamoDB tables wait for a later run: DynamoDB allows {DrValidationOptions.MaxRestoresPerRegion} restores at once per account, and {tablesInFlight} were in flight in {settings.DrAccountId} {settings.DrRegion} before this run.");
        }

        DrValidationOptions options = settings.ValidationOptions();
        string tail = runId.Substring(runId.Length - 6);
        int number = ofThisRun.Count;
        foreach (RecoveryPointByBackupVault point in picked)
        {
            RestorableKind kind = RestorableKind.For(point.ResourceType)!;
            string name = $"{RestoreNamePrefix}{tail}-{++number}";
            RestoreIntent intent = RestoreIntent.For(runId, settings.DrAccountId, settings.DrRegion, kind, name, point, now);
            intent.Host = "DR-Orchestrator";
            intent.RestoreJobId = await RestoreSteps.StartRestoreAsync(dr, options, point, kind, name, $"{runId}-{name}",
                () => ledger.RecordAsync(intent, cancellationToken), cancellationToken, cancellationToken).ConfigureAwait(false);
            await ledger.RecordAsync(intent, cancellationToken).ConfigureAwait(false);
            await ledger.IndexJobAsync(intent, cancellationToken).ConfigureAwait(false);
            await MarkStartedAsync(bucketTarget.S3, settings.EvidenceBucket, point.ResourceArn!, now, cancellationToken).ConfigureAwait(false);
            outcome.Items.Add(intent.RestoreJobId!);
        }

        outcome.Detail = $"Run {runId}: {outcome.Items.Count} restores started in {settings.DrAccountId} {settings.DrRegion} ({ofThisRun.Count} by an earlier delivery of this event, {busy.Count - ofThisRun.Count} others in flight); "
            + $"{resources} protected resources, {share} per run to validate each within {settings.CoverageWindow.TotalDays} days.";
        return outcome;
    }

    /// <summary>
    /// Up to <paramref name="take"/> of <paramref name="ordered"/>, in order, passing over DynamoDB tables once
    /// <paramref name="tablesInFlight"/> and those taken reach DynamoDB's 50 concurrent restores per account
    /// (docs/dr-safety.md); those passed over (counted in <c>TablesHeld</c>) come first in a later run. Other types are
    /// bounded by the run's cap alone: AWS Backup publishes no quota on concurrent restore jobs (docs/orchestrator.md).
    /// </summary>
    internal static (List<RecoveryPointByBackupVault> Picked, int TablesHeld) Pick(IEnumerable<RecoveryPointByBackupVault> ordered, int take, int tablesInFlight)
    {
        var picked = new List<RecoveryPointByBackupVault>();
        int tables = tablesInFlight;
        int held = 0;
        foreach (RecoveryPointByBackupVault point in ordered)
        {
            if (picked.Count >= take)
            {
                break;
            }

            if (point.ResourceType == DynamoDbType && tables >= DrValidationOptions.MaxRestoresPerRegion)
            {
                held++;
                continue;
            }

            tables += point.ResourceType == DynamoDbType ? 1 : 0;
            picked.Add(point);
        }

        return (picked, held);
    }

    /// <summary>When each resource's latest validation started, by <see cref="CoverageId"/>: one listing of the coverage marks.</summary>
    private static async Task<Dictionary<string, DateTime>> LastStartedAsync(IAmazonS3 s3, string bucket, CancellationToken cancellationToken)
    {
        var last = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = CoveragePrefix };
        ListObjectsV2Response page;
        do
        {
            page = await Transient.RetryAsync(token => s3.ListObjectsV2Async(request, token), cancellationToken).ConfigureAwait(false);
            foreach (S3Object mark in page.S3Objects ?? new List<S3Object>())
            {
                string[] parts = mark.Key.Substring(CoveragePrefix.Length).Split('/');
                if (parts.Length == 2 && DateTime.TryParseExact(parts[1], "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime at)
                    && (!last.TryGetValue(parts[0], out DateTime known) || at > known))
                {
                    last[parts[0]] = at;
                }
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);
        return last;
    }

    /// <summary>One empty object per started validation: <c>dr-validation-coverage/&lt;resource hash&gt;/&lt;time&gt;</c>, found by listing alone.</summary>
    private static Task MarkStartedAsync(IAmazonS3 s3, string bucket, string resourceArn, DateTime at, CancellationToken cancellationToken) =>
        Transient.RetryAsync(
            token => s3.PutObjectAsync(
                new PutObjectRequest
                {
                    BucketName = bucket,
                    Key = CoveragePrefix + CoverageId(resourceArn) + "/" + at.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture),
                    InputStream = new MemoryStream(Encoding.UTF8.GetBytes(resourceArn)),
                    ContentType = "text/plain",
                    ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
                },
                token),
            cancellationToken);

    private static string CoverageId(string resourceArn) => BitConverter.ToString(Hash(resourceArn), 0, 16).Replace("-", "").ToLowerInvariant();

    private static byte[] Hash(string text)
    {
        using var sha = SHA256.Create();
        return sha.ComputeHash(Encoding.UTF8.GetBytes(text));
    }
}
