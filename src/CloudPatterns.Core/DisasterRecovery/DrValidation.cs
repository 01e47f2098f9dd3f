using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Aws.Backup;
using CloudPatterns.Aws.Monitoring;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>
/// Restore validation in one vault (account × region): the latest recovery point per protected resource within the
/// window is restored next to the vault, checked (job completed, resource available, RTO, RPO, the user's validator),
/// deleted again whatever happened, and recorded as evidence before its result is returned. Each restore is noted in
/// the evidence bucket before it starts (<see cref="RestoreLedger"/>) and the note removed once its resource is gone;
/// every run first removes what interrupted runs left in the vault's account and region. A stop (Ctrl+C) ends the
/// waiting only: the restore is still removed, within <see cref="CleanupBudget"/>, and recorded as Aborted.
/// </summary>
public static class DrValidation
{
    public const string RestoreJobCompleted = "RestoreJobCompleted";
    public const string RestoredResourceAvailable = "RestoredResourceAvailable";
    public const string RtoWithinTarget = "RtoWithinTarget";
    public const string RpoWithinTarget = "RpoWithinTarget";
    public const string UserValidator = "Validator";
    public const string EvidenceStored = "EvidenceStored";
    public const string Interrupted = "Interrupted";
    public const string AwsError = "AwsCall";

    // Cleanup must run after Ctrl+C too, so it has its own budget instead of the cancelled token.
    public static readonly TimeSpan CleanupBudget = TimeSpan.FromMinutes(5);

    public static async IAsyncEnumerable<DrValidationResult> RunAsync(
        AwsSession session,
        FanOutTarget vault,
        EvidenceStore evidence,
        DrValidationOptions options,
        IProgress<DrValidationProgress>? progress,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        AwsTarget target = await session.GetTargetAsync(vault, cancellationToken).ConfigureAwait(false);
        var run = new Run(session, target, evidence, options, progress);
        List<RecoveryPointByBackupVault> points = await run.PrepareAsync(cancellationToken).ConfigureAwait(false);
        await foreach (DrValidationResult result in ConcurrentValidations.RunAsync(points, options.RestoresPerRegion, options.RestoreSlots, run.ValidateAsync, cancellationToken).ConfigureAwait(false))
        {
            yield return result;
        }
    }

    private sealed class Run
    {
        private readonly AwsSession session;
        private readonly AwsTarget target;
        private readonly EvidenceStore evidence;
        private readonly DrValidationOptions options;
        private readonly IProgress<DrValidationProgress>? progress;
        private readonly RestoreLedger ledger;
        private readonly RestoreCleanup cleanup;
        private readonly Dictionary<string, RestoreIntent> resumedRestores = new(StringComparer.Ordinal);
        private readonly string namePrefix;
        private int restoreCount;

        public Run(AwsSession session, AwsTarget target, EvidenceStore evidence, DrValidationOptions options, IProgress<DrValidationProgress>? progress)
        {
            this.session = session;
            this.target = target;
            this.evidence = evidence;
            this.options = options;
            this.progress = progress;
            ledger = new RestoreLedger(evidence.S3, evidence.Bucket);
            cleanup = new RestoreCleanup(target, options.PollInterval);
            // Names are unique within the run across its attempts: a name is also the restore's idempotency token.
            string tail = evidence.RunId.Substring(evidence.RunId.Length - 6);
            namePrefix = options.Resumed is { } resumed ? $"drv-{tail}-{resumed.State.Attempt}-" : $"drv-{tail}-";
        }

        /// <summary>
        /// The recovery points to validate, once what interrupted runs left in this account and region is dealt with:
        /// a resumed run takes over the restores its earlier attempts noted for points it still validates (so nothing
        /// is restored twice); every other note of a run that can no longer clean up itself is removed (<see cref="SweepAsync"/>).
        /// </summary>
        public async Task<List<RecoveryPointByBackupVault>> PrepareAsync(CancellationToken cancellationToken)
        {
            List<RestoreIntent> notes = await ledger.NotesAsync(target.AccountId, target.Region, cancellationToken).ConfigureAwait(false);
            List<RecoveryPointByBackupVault> points = await SelectAsync(cancellationToken).ConfigureAwait(false);
            var leftovers = new List<RestoreIntent>();
            TimeSpan longestRun = options.Timeout + CleanupBudget + CleanupBudget;
            foreach (RestoreIntent intent in notes)
            {
                if (intent.RunId != evidence.RunId)
                {
                    if (RestoreCleanup.IsAbandoned(intent, longestRun))
                    {
                        leftovers.Add(intent);
                    }
                }
                else if (points.Any(point => point.ResourceArn == intent.SourceResourceArn && point.RecoveryPointArn == intent.RecoveryPointArn)
                    && !resumedRestores.ContainsKey(intent.SourceResourceArn))
                {
                    resumedRestores[intent.SourceResourceArn] = intent;
                }
                else
                {
                    leftovers.Add(intent);
                }
            }

            await SweepAsync(leftovers, cancellationToken).ConfigureAwait(false);
            return points;
        }

        /// <summary>
        /// Removes the restores earlier runs noted in this account and region and never cleaned up (a killed process,
        /// a cleanup that ran out of budget), and says so. A run still going on elsewhere keeps its own.
        /// </summary>
        private async Task SweepAsync(List<RestoreIntent> leftovers, CancellationToken cancellationToken)
        {
            foreach (RestoreIntent intent in leftovers)
            {
                if (RestorableKind.For(intent.ResourceType) is not { } kind)
                {
                    continue;
                }

                using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                budget.CancelAfter(CleanupBudget);
                string? jobId = intent.RestoreJobId ?? await cleanup.FindJobAsync(intent, budget.Token).ConfigureAwait(false);
                EvidenceCheck removed = await cleanup.RemoveAsync(kind, intent.IntendedName, jobId, null, null, budget.Token).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                if (removed.Outcome != CheckOutcome.Failed)
                {
                    await ledger.ForgetAsync(intent, cancellationToken).ConfigureAwait(false);
                }

                options.Warn?.Invoke($"Run {intent.RunId} was interrupted while restoring {intent.SourceResourceArn} in {target.AccountId} {target.Region} (restore job {jobId ?? "never started"}). {removed.Detail}");
            }
        }

        /// <summary>The latest completed recovery point of each protected resource within the window.</summary>
        public Task<List<RecoveryPointByBackupVault>> SelectAsync(CancellationToken cancellationToken) =>
            Transient.RetryAsync(SelectOnceAsync, cancellationToken);

        private Task<List<RecoveryPointByBackupVault>> SelectOnceAsync(CancellationToken cancellationToken) =>
            RestoreSteps.LatestPointsAsync(target, options.BackupVaultName, DateTime.UtcNow - options.Window,
                point => options.Resumed?.IsJudged(target.AccountId, target.Region, point.ResourceArn!) != true
                    && (options.ResourceTypes is not { } types || types.Contains(point.ResourceType!, StringComparer.OrdinalIgnoreCase))
                    && (options.ResourceFilter is not { } filter || filter(point.ResourceArn!)),
                cancellationToken);

        /// <summary>One validation, followed by the tracker so a stopped host can wait for its cleanup.</summary>
        public Task<DrValidationResult> ValidateAsync(RecoveryPointByBackupVault point, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Task<DrValidationResult> validation = ValidateOnceAsync(point, cancellationToken);
            options.Tracker?.Track(validation);
            return validation;
        }

        private async Task<DrValidationResult> ValidateOnceAsync(RecoveryPointByBackupVault point, CancellationToken cancellationToken)
        {
            RestorableKind kind = RestorableKind.For(point.ResourceType)!;
            EvidenceRecord record = RestoreSteps.NewRecord(session, target, options, point, kind);
            var warnings = new List<string>();
            resumedRestores.TryGetValue(point.ResourceArn!, out RestoreIntent? resumed);
            string chosenName = resumed?.IntendedName ?? namePrefix + Interlocked.Increment(ref restoreCount).ToString(CultureInfo.InvariantCulture);
            RestoreIntent intent = resumed ?? RestoreIntent.For(evidence.RunId, target.AccountId, target.Region, kind, chosenName, point, DateTime.UtcNow);
            intent.Host = Environment.MachineName;
            intent.ProcessId = System.Diagnostics.Process.GetCurrentProcess().Id;
            DescribeRestoreJobResponse? job = null;
            bool aborted = false;
            using var budget = new CancellationTokenSource(CleanupBudget);
            try
            {
                job = await RestoreAsync(point, kind, chosenName, record, intent, cancellationToken, budget.Token).ConfigureAwait(false);
                await RestoreSteps.CheckAsync(target, options, point, kind, kind.RestoredName(chosenName, job?.CreatedResourceArn), job, record, activity => Report(point, activity), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                aborted = true;
                record.Checks.Add(RestoreSteps.Check(Interrupted, false, $"The validation was stopped (Ctrl+C, a stopped runspace or -FailureTolerance) {(record.RestoreJobId is null ? "before its restore started" : $"while restore job {record.RestoreJobId} was {record.RestoreJobStatus ?? "starting"}")}; its restore was cleaned up, not judged."));
            }
            catch (Exception error) when (AwsFailure.Describe(error) is { } failure)
            {
                // A refusal or an error that outlasted every retry fails this validation; it is still cleaned up and recorded.
                record.Checks.Add(RestoreSteps.Check(AwsError, false, $"{(AwsFailure.IsTransient(error) ? $"AWS kept failing (throttling or server errors) after {Transient.Attempts} tries of the SDK's retries" : "AWS refused a call")}: {failure.Summary}"));
            }
            finally
            {
                record.Cleanup = await cleanup.RemoveAsync(kind, chosenName, record.RestoreJobId, record.RestoreJobStatus, job?.CreatedResourceArn, budget.Token).ConfigureAwait(false);
                if (record.Cleanup.Outcome != CheckOutcome.Failed && record.RestoreJobId is not null)
                {
                    await RestoreSteps.WarnOnFailure(() => ledger.ForgetAsync(intent, budget.Token), "the removal of the restore note", warnings).ConfigureAwait(false);
                }
            }

            record.RecordedAt = DateTime.UtcNow;
            record.Outcome = RestoreSteps.Outcome(record, aborted);
            var result = RestoreSteps.Result(target, options, evidence.RunId, point.RecoveryPointArn!, record);
            CancellationToken recording = aborted ? budget.Token : cancellationToken;
            try
            {
                StoredEvidence stored = await evidence.WriteAsync(record, recording).ConfigureAwait(false);
                result.EvidenceBucket = stored.Bucket;
                result.EvidenceKey = stored.Key;
                result.EvidenceSha256 = stored.Sha256;
            }
            catch (Exception error) when (AwsFailure.Describe(error) is { } failure)
            {
                // Nothing counts as validated without its evidence.
                result.Status = CheckOutcome.Failed;
                result.Checks = result.Checks.Concat(new[] { RestoreSteps.Check(EvidenceStored, false, $"The evidence record could not be stored in s3://{evidence.Bucket}: {failure.Summary}") }).ToArray();
            }

            await RestoreSteps.ReportAsync(session, target, options, result, warnings, recording).ConfigureAwait(false);
            result.Warnings = warnings.ToArray();
            if (aborted)
            {
                options.Tracker?.Abort(result);
                throw new OperationCanceledException(cancellationToken);
            }

            return result;
        }

        /// <summary>
        /// Notes the restore, starts it (or takes over the job an earlier attempt of the run started) and waits for it.
        /// Noting and starting take <paramref name="budget"/>, not the run's cancellation: once begun, a restore's job
        /// id must be known, or nothing could clean it up.
        /// </summary>
        private async Task<DescribeRestoreJobResponse?> RestoreAsync(RecoveryPointByBackupVault point, RestorableKind kind, string restoredName, EvidenceRecord record, RestoreIntent intent, CancellationToken cancellationToken, CancellationToken budget)
        {
            // A restore an earlier attempt of this run started (a resumed run): take it over instead of restoring again.
            bool takenOver = resumedRestores.TryGetValue(intent.SourceResourceArn, out RestoreIntent? earlier) && ReferenceEquals(earlier, intent);
            string? jobId = takenOver ? intent.RestoreJobId ?? await cleanup.FindJobAsync(intent, cancellationToken).ConfigureAwait(false) : null;
            if (jobId is null)
            {
                jobId = await StartRestoreAsync(point, kind, restoredName, intent, cancellationToken, budget).ConfigureAwait(false);
            }
            else
            {
                Report(point, $"Taking over restore job {jobId}, started by an earlier attempt of run {evidence.RunId}");
            }

            record.RestoreJobId = jobId;
            intent.RestoreJobId = jobId;
            await ledger.RecordAsync(intent, budget).ConfigureAwait(false);

            DateTime deadline = DateTime.UtcNow + options.Timeout;
            while (true)
            {
                DescribeRestoreJobResponse job = await Transient.RetryAsync(token => target.Backup.DescribeRestoreJobAsync(new DescribeRestoreJobRequest { RestoreJobId = jobId }, token), cancellationToken).ConfigureAwait(false);
                record.RestoreJobStatus = job.Status;
                if (job.Status is "COMPLETED" or "FAILED" or "ABORTED" || DateTime.UtcNow >= deadline)
                {
                    return job;
                }

                Report(point, $"Restore job {jobId}: {job.Status}");
                await Task.Delay(options.PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Notes the restore and starts it; returns the job id.</summary>
        private Task<string?> StartRestoreAsync(RecoveryPointByBackupVault point, RestorableKind kind, string restoredName, RestoreIntent intent, CancellationToken cancellationToken, CancellationToken budget)
        {
            Report(point, $"Starting restore of {point.RecoveryPointArn}{(kind.NamedByCaller ? $" as {restoredName}" : "")}");
            return RestoreSteps.StartRestoreAsync(target, options, point, kind, restoredName, $"{evidence.RunId}-{restoredName}", () => ledger.RecordAsync(intent, cancellationToken), cancellationToken, budget);
        }

        private void Report(RecoveryPointByBackupVault point, string activity) =>
            progress?.Report(new DrValidationProgress(target.AccountId, target.Region, point.ResourceArn!, activity, options.Tracker?.InFlight ?? 1));
    }
}
