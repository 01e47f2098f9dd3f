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

        private async Task<List<RecoveryPointByBackupVault>> SelectOnceAsync(CancellationToken cancellationToken)
        {
            var request = new ListRecoveryPointsByBackupVaultRequest
            {
                BackupVaultName = options.BackupVaultName,
                ByCreatedAfter = DateTime.UtcNow - options.Window,
            };
            var latest = new Dictionary<string, RecoveryPointByBackupVault>(StringComparer.Ordinal);
            await foreach (RecoveryPointByBackupVault point in target.Backup.ListAllRecoveryPointsByBackupVaultAsync(request, cancellationToken).ConfigureAwait(false))
            {
                if (point.Status != "COMPLETED" || point.ResourceArn is null || RestorableKind.For(point.ResourceType) is null
                    || options.Resumed?.IsJudged(target.AccountId, target.Region, point.ResourceArn) == true
                    || (options.ResourceTypes is { } types && !types.Contains(point.ResourceType!, StringComparer.OrdinalIgnoreCase))
                    || (options.ResourceFilter is { } filter && !filter(point.ResourceArn)))
                {
                    continue;
                }

                // A continuous backup is as fresh as its latest run, though it was created with its first.
                if (!latest.TryGetValue(point.ResourceArn, out RecoveryPointByBackupVault? known)
                    || AchievableRpo.CapturedAt(point.RecoveryPointArn, point.CreationDate, point.CompletionDate) > AchievableRpo.CapturedAt(known.RecoveryPointArn, known.CreationDate, known.CompletionDate))
                {
                    latest[point.ResourceArn] = point;
                }
            }

            return latest.Values.OrderBy(point => point.ResourceArn, StringComparer.Ordinal).ToList();
        }

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
            AwsArn? sourceArn = AwsArn.TryParse(point.ResourceArn);
            var record = new EvidenceRecord
            {
                StartedAt = DateTime.UtcNow,
                ToolVersion = options.ToolVersion,
                CallerArn = session.CallerArn,
                Source = new EvidenceResource { AccountId = sourceArn?.AccountId ?? "", Region = sourceArn?.Region ?? "", ResourceArn = point.ResourceArn!, ResourceType = kind.ResourceType },
                Target = new EvidenceRestoreTarget { AccountId = target.AccountId, Region = target.Region, BackupVaultName = options.BackupVaultName },
                RecoveryPointArn = point.RecoveryPointArn!,
                RecoveryPointCreatedAt = point.CreationDate,
                Rto = new EvidenceMeasure { TargetSeconds = options.RtoTarget.TotalSeconds },
                Rpo = new EvidenceMeasure { TargetSeconds = options.RpoTarget.TotalSeconds },
                AlertTopicArn = options.AlertTopicArn,
            };
            var warnings = new List<string>();
            resumedRestores.TryGetValue(point.ResourceArn!, out RestoreIntent? resumed);
            string chosenName = resumed?.IntendedName ?? namePrefix + Interlocked.Increment(ref restoreCount).ToString(CultureInfo.InvariantCulture);
            RestoreIntent intent = resumed ?? new RestoreIntent
            {
                RunId = evidence.RunId,
                AccountId = target.AccountId,
                Region = target.Region,
                ResourceType = kind.ResourceType,
                IntendedName = chosenName,
                RecoveryPointArn = point.RecoveryPointArn!,
                SourceResourceArn = point.ResourceArn!,
                StartedAt = DateTime.UtcNow,
            };
            intent.Host = Environment.MachineName;
            intent.ProcessId = System.Diagnostics.Process.GetCurrentProcess().Id;
            DescribeRestoreJobResponse? job = null;
            bool aborted = false;
            using var budget = new CancellationTokenSource(CleanupBudget);
            try
            {
                job = await RestoreAsync(point, kind, chosenName, record, intent, cancellationToken, budget.Token).ConfigureAwait(false);
                await CheckAsync(point, kind, kind.RestoredName(chosenName, job?.CreatedResourceArn), job, record, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                aborted = true;
                record.Checks.Add(Check(Interrupted, false, $"The validation was stopped (Ctrl+C, a stopped runspace or -FailureTolerance) {(record.RestoreJobId is null ? "before its restore started" : $"while restore job {record.RestoreJobId} was {record.RestoreJobStatus ?? "starting"}")}; its restore was cleaned up, not judged."));
            }
            catch (Exception error) when (AwsFailure.Describe(error) is { } failure)
            {
                // A refusal or an error that outlasted every retry fails this validation; it is still cleaned up and recorded.
                record.Checks.Add(Check(AwsError, false, $"{(AwsFailure.IsTransient(error) ? $"AWS kept failing (throttling or server errors) after {Transient.Attempts} tries of the SDK's retries" : "AWS refused a call")}: {failure.Summary}"));
            }
            finally
            {
                record.Cleanup = await cleanup.RemoveAsync(kind, chosenName, record.RestoreJobId, record.RestoreJobStatus, job?.CreatedResourceArn, budget.Token).ConfigureAwait(false);
                if (record.Cleanup.Outcome != CheckOutcome.Failed && record.RestoreJobId is not null)
                {
                    await WarnOnFailure(() => ledger.ForgetAsync(intent, budget.Token), "the removal of the restore note", warnings).ConfigureAwait(false);
                }
            }

            record.RecordedAt = DateTime.UtcNow;
            bool passed = record.Checks.All(check => check.Outcome != CheckOutcome.Failed) && record.Cleanup.Outcome != CheckOutcome.Failed;
            record.Outcome = aborted ? CheckOutcome.Aborted : passed ? CheckOutcome.Passed : CheckOutcome.Failed;
            var result = Result(point, record);
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
                result.Checks = result.Checks.Concat(new[] { Check(EvidenceStored, false, $"The evidence record could not be stored in s3://{evidence.Bucket}: {failure.Summary}") }).ToArray();
            }

            await ReportAsync(result, warnings, recording).ConfigureAwait(false);
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
        private async Task<string?> StartRestoreAsync(RecoveryPointByBackupVault point, RestorableKind kind, string restoredName, RestoreIntent intent, CancellationToken cancellationToken, CancellationToken budget)
        {
            Report(point, $"Starting restore of {point.RecoveryPointArn}{(kind.NamedByCaller ? $" as {restoredName}" : "")}");
            GetRecoveryPointRestoreMetadataResponse metadata = await Transient.RetryAsync(
                token => target.Backup.GetRecoveryPointRestoreMetadataAsync(new GetRecoveryPointRestoreMetadataRequest { BackupVaultName = options.BackupVaultName, RecoveryPointArn = point.RecoveryPointArn }, token),
                cancellationToken).ConfigureAwait(false);
            kind.NameRestore(metadata.RestoreMetadata, restoredName);
            if (AchievableRpo.IsContinuous(point.RecoveryPointArn))
            {
                // Point-in-time restore: the newest data the continuous backup holds.
                metadata.RestoreMetadata["UseLatestRestorableTime"] = "true";
            }

            await ledger.RecordAsync(intent, cancellationToken).ConfigureAwait(false);
            // The idempotency token makes a retried start return the job the first attempt started.
            StartRestoreJobResponse started = await Transient.RetryAsync(token => target.Backup.StartRestoreJobAsync(
                new StartRestoreJobRequest
                {
                    RecoveryPointArn = point.RecoveryPointArn,
                    Metadata = metadata.RestoreMetadata,
                    IamRoleArn = options.IamRoleArn ?? $"arn:aws:iam::{target.AccountId}:role/service-role/AWSBackupDefaultServiceRole",
                    ResourceType = kind.ResourceType,
                    IdempotencyToken = $"{evidence.RunId}-{restoredName}",
                },
                token), budget).ConfigureAwait(false);
            return started.RestoreJobId;
        }

        private async Task CheckAsync(RecoveryPointByBackupVault point, RestorableKind kind, string? restoredName, DescribeRestoreJobResponse? job, EvidenceRecord record, CancellationToken cancellationToken)
        {
            bool completed = job?.Status == "COMPLETED";
            record.Checks.Add(Check(RestoreJobCompleted, completed, job is null
                ? "The restore job did not start."
                : completed ? $"Restore job {job.RestoreJobId} completed." : $"Restore job {job.RestoreJobId} is {job.Status}{(job.Status is "PENDING" or "RUNNING" ? $" after the {options.Timeout} timeout" : "")}: {job.StatusMessage}"));
            if (job?.CreationDate is { } created)
            {
                // A continuous backup restores to its latest restorable time, just behind the restore's start.
                bool continuous = AchievableRpo.IsContinuous(point.RecoveryPointArn);
                double rpo = continuous ? AchievableRpo.ContinuousLag.TotalSeconds : (created - (point.CreationDate ?? created)).TotalSeconds;
                record.Rpo.MeasuredSeconds = rpo;
                record.Checks.Add(Check(RpoWithinTarget, rpo <= options.RpoTarget.TotalSeconds, continuous
                    ? $"The continuous backup was restored to its latest restorable time, {TimeSpan.FromSeconds(rpo)} before the restore started; the target is {options.RpoTarget}."
                    : $"The recovery point was {TimeSpan.FromSeconds(rpo)} old when the restore started; the target is {options.RpoTarget}."));
                if (completed && job.CompletionDate is { } finished)
                {
                    double rto = (finished - created).TotalSeconds;
                    record.Rto.MeasuredSeconds = rto;
                    record.Checks.Add(Check(RtoWithinTarget, rto <= options.RtoTarget.TotalSeconds, $"The restore took {TimeSpan.FromSeconds(rto)}; the target is {options.RtoTarget}."));
                }
            }

            if (!completed)
            {
                return;
            }

            var found = restoredName is null ? null : await Transient.RetryAsync(token => kind.DescribeAsync(target, restoredName, token), cancellationToken).ConfigureAwait(false);
            record.Target.RestoredResourceArn = found?.Arn ?? job!.CreatedResourceArn;
            record.Checks.Add(Check(RestoredResourceAvailable, found?.Available == true, restoredName is null
                ? $"Restore job {job!.RestoreJobId} completed without naming the {kind.ResourceType} resource it created."
                : found is null
                ? $"{kind.ResourceType} {restoredName} does not exist in {target.AccountId} {target.Region} although the restore job completed."
                : $"{kind.ResourceType} {restoredName} is {found.Value.Status}."));
            if (options.Validator is { } validator && found?.Available == true)
            {
                var restored = new RestoredResource
                {
                    AccountId = target.AccountId,
                    Region = target.Region,
                    ResourceType = kind.ResourceType,
                    Name = restoredName!,
                    Arn = record.Target.RestoredResourceArn,
                    SourceResourceArn = point.ResourceArn!,
                    RecoveryPointArn = point.RecoveryPointArn!,
                };
                Report(point, $"Running the validator on {restoredName}");
                record.Checks.Add(await validator(restored, cancellationToken).ConfigureAwait(false));
            }
        }

        /// <summary>Metrics for every validation, an alert for a failed one; neither may hide the result.</summary>
        private async Task ReportAsync(DrValidationResult result, List<string> warnings, CancellationToken cancellationToken)
        {
            if (options.MetricNamespace is { } metricNamespace)
            {
                var dimensions = new List<Dimension>
                {
                    new() { Name = "ResourceType", Value = result.ResourceType },
                    new() { Name = "SourceAccountId", Value = result.SourceAccountId },
                };
                // Each value per resource type and account, and once without dimensions: the series the alarms of
                // templates/disaster-recovery/dr-monitoring.yaml watch (an alarm reads one exact dimension set).
                var data = new List<MetricDatum>();
                foreach (List<Dimension> set in new[] { dimensions, new List<Dimension>() })
                {
                    data.Add(Metric("RestoreValidationSuccess", result.Passed ? 1 : 0, "Count", set));
                    if (result.Rto is { } rto)
                    {
                        data.Add(Metric("RestoreMinutes", rto.TotalMinutes, "None", set));
                    }

                    if (result.Rpo is { } rpo)
                    {
                        data.Add(Metric("RecoveryPointAgeHours", rpo.TotalHours, "None", set));
                    }
                }

                await WarnOnFailure(() => target.CloudWatch.PutMetricDataAsync(new PutMetricDataRequest { Namespace = metricNamespace, MetricData = data }, cancellationToken), "CloudWatch metrics", warnings).ConfigureAwait(false);
            }

            if (!result.Passed && options.AlertTopicArn is { } topicArn)
            {
                AwsArn? topic = AwsArn.TryParse(topicArn);
                await WarnOnFailure(
                    async () =>
                    {
                        AwsTarget topicTarget = await session.GetTargetAsync(topic?.AccountId ?? target.AccountId, topic?.Region ?? target.Region, cancellationToken).ConfigureAwait(false);
                        await topicTarget.Sns.PublishAsync(new PublishRequest { TopicArn = topicArn, Subject = Subject(result), Message = AlertText(result) }, cancellationToken).ConfigureAwait(false);
                    },
                    "the SNS alert",
                    warnings).ConfigureAwait(false);
            }
        }

        private static async Task WarnOnFailure(Func<Task> call, string what, List<string> warnings)
        {
            try
            {
                await call().ConfigureAwait(false);
            }
            catch (Exception error) when (AwsFailure.Describe(error) is { } failure)
            {
                warnings.Add($"Sending {what} failed: {failure.Summary}");
            }
        }

        private static string Subject(DrValidationResult result)
        {
            string subject = $"DR validation failed: {result.ResourceType} {AwsArn.TryParse(result.ResourceArn)?.ResourceName ?? result.ResourceArn} ({result.SourceAccountId})";
            return subject.Length <= 100 ? subject : subject.Substring(0, 100);
        }

        private static string AlertText(DrValidationResult result) =>
            $"Restore validation of {result.ResourceArn} from {result.RecoveryPointArn} in {result.AccountId} {result.Region} failed.\n"
            + string.Join("\n", result.Checks.Concat(new[] { result.Cleanup }).Where(check => check.Outcome == CheckOutcome.Failed).Select(check => $"- {check.Name}: {check.Detail}"))
            + $"\nEvidence: {(result.EvidenceKey is null ? "not stored" : $"s3://{result.EvidenceBucket}/{result.EvidenceKey}")}; run {result.RunId}.";

        // No timestamp: CloudWatch stamps the data with the time it receives it, the clock its alarms evaluate against.
        private static MetricDatum Metric(string name, double value, string unit, List<Dimension> dimensions) =>
            new() { MetricName = name, Value = value, Unit = unit, Dimensions = dimensions };

        private DrValidationResult Result(RecoveryPointByBackupVault point, EvidenceRecord record) => new()
        {
            AccountId = target.AccountId,
            Region = target.Region,
            BackupVaultName = options.BackupVaultName,
            SourceAccountId = record.Source.AccountId,
            SourceRegion = record.Source.Region,
            ResourceArn = record.Source.ResourceArn,
            ResourceType = record.Source.ResourceType,
            RecoveryPointArn = point.RecoveryPointArn!,
            RestoreJobId = record.RestoreJobId,
            RestoredResourceArn = record.Target.RestoredResourceArn,
            Status = record.Outcome,
            Rto = record.Rto.MeasuredSeconds is { } rto ? TimeSpan.FromSeconds(rto) : null,
            RtoTarget = options.RtoTarget,
            Rpo = record.Rpo.MeasuredSeconds is { } rpo ? TimeSpan.FromSeconds(rpo) : null,
            RpoTarget = options.RpoTarget,
            Checks = record.Checks.ToArray(),
            Cleanup = record.Cleanup,
            RunId = evidence.RunId,
        };

        private void Report(RecoveryPointByBackupVault point, string activity) =>
            progress?.Report(new DrValidationProgress(target.AccountId, target.Region, point.ResourceArn!, activity, options.Tracker?.InFlight ?? 1));

        private static EvidenceCheck Check(string name, bool passed, string detail) =>
            new() { Name = name, Outcome = passed ? CheckOutcome.Passed : CheckOutcome.Failed, Detail = detail };
    }
}
