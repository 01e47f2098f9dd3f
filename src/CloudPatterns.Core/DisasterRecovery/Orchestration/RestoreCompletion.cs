using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Aws.Backup;

namespace CloudPatterns.Core.DisasterRecovery.Orchestration;

/// <summary>
/// When a restore the orchestrator started ends: checks it (job completed, resource available, RTO, RPO), deletes what
/// it created, appends the evidence record, puts the metrics and alerts on failure, then forgets the restore's note.
/// Every step can be repeated: the judgement is noted before the resource is deleted (a retry records it rather than
/// judging a deleted resource), the evidence position is claimed and noted before the record is written (a retry finds
/// the record), and an event whose note is gone was recorded already. So a retried, duplicated or concurrent event
/// gives exactly one record (docs/orchestrator.md).
/// </summary>
internal static class RestoreCompletion
{
    public static async Task<OrchestratorOutcome> HandleAsync(AwsSession session, OrchestratorSettings settings, OrchestratorEvent incoming, CancellationToken cancellationToken)
    {
        string jobId = incoming.DetailText("restoreJobId");
        string status = incoming.DetailText("status");
        if (!RestoreCleanup.IsFinished(status))
        {
            return incoming.Outcome(OrchestratorOutcome.Ignored, $"Restore job {jobId} is {status}: it is judged once it has ended.");
        }

        string accountId = incoming.Account.Length == 0 ? settings.DrAccountId : incoming.Account;
        string region = incoming.Region.Length == 0 ? settings.DrRegion : incoming.Region;
        AwsTarget bucketTarget = await session.GetTargetAsync(session.CallerAccountId, settings.PrimaryRegion, cancellationToken).ConfigureAwait(false);
        var ledger = new RestoreLedger(bucketTarget.S3, settings.EvidenceBucket);
        if (await ledger.NoteOfJobAsync(accountId, region, jobId, cancellationToken).ConfigureAwait(false) is not { } intent)
        {
            return incoming.Outcome(OrchestratorOutcome.AlreadyRecorded, $"Restore job {jobId} in {accountId} {region} has no open note in s3://{settings.EvidenceBucket}/{RestoreLedger.KeyPrefix}: it was recorded already, or the orchestrator did not start it.");
        }

        AwsTarget target = await session.GetTargetAsync(accountId, region, cancellationToken).ConfigureAwait(false);
        DrValidationOptions options = settings.ValidationOptions();
        RestorableKind kind = RestorableKind.For(intent.ResourceType)!;
        EvidenceRecord record = intent.Judged ?? await JudgeAsync(session, target, options, kind, intent, cancellationToken).ConfigureAwait(false);
        if (intent.Judged is null)
        {
            // A concurrent delivery of the same event may have judged while this one did, and then deleted the
            // restored resource: its judgement, noted before its delete, wins over one made after the delete.
            RestoreIntent? current = await ledger.NoteOfJobAsync(accountId, region, jobId, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return incoming.Outcome(OrchestratorOutcome.AlreadyRecorded, $"Restore job {jobId} in {accountId} {region} was recorded by a concurrent delivery of its event.");
            }

            if (current.Judged is { } earlier)
            {
                intent = current;
                record = earlier;
            }
            else
            {
                intent.Judged = record;
                await ledger.RecordAsync(intent, cancellationToken).ConfigureAwait(false);
            }
        }

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(DrValidation.CleanupBudget);
        record.Cleanup = await new RestoreCleanup(target, options.PollInterval).RemoveAsync(kind, intent.IntendedName, jobId, record.RestoreJobStatus, record.Target.RestoredResourceArn, budget.Token).ConfigureAwait(false);
        record.RecordedAt = DateTime.UtcNow;
        record.Outcome = RestoreSteps.Outcome(record, aborted: false);

        // Just before appending, the note again: a concurrent delivery may have stored the record meanwhile (its note is
        // gone; with other records after it, the head would no longer show it) or claimed its position (the note names it).
        if (await ledger.NoteOfJobAsync(accountId, region, jobId, cancellationToken).ConfigureAwait(false) is not { } latest)
        {
            return incoming.Outcome(OrchestratorOutcome.AlreadyRecorded, $"Restore job {jobId} in {accountId} {region} was recorded by a concurrent delivery of its event.");
        }

        intent.EvidenceKey ??= latest.EvidenceKey;
        var signer = new KmsEvidenceSigner(bucketTarget.Kms, settings.EvidenceKeyId);
        using var evidence = new EvidenceStore(bucketTarget.S3, signer, settings.EvidenceBucket, settings.EvidenceRetentionDays, intent.RunId);
        StoredEvidence stored = await evidence.AppendAsync(record, jobId, intent.EvidenceKey, settings.StaleClaimAfter,
            key =>
            {
                intent.EvidenceKey = key;
                return ledger.RecordAsync(intent, cancellationToken);
            },
            cancellationToken).ConfigureAwait(false);

        DrValidationResult result = RestoreSteps.Result(target, options, intent.RunId, intent.RecoveryPointArn, record);
        result.EvidenceBucket = stored.Bucket;
        result.EvidenceKey = stored.Key;
        result.EvidenceSha256 = stored.Sha256;
        var warnings = new List<string>();
        if (stored.Outcome is null)
        {
            // Metrics and the failure alert follow the record this delivery wrote; one that found the record stored
            // by another delivery (or by its own earlier attempt, which reported before failing) reports nothing again.
            await RestoreSteps.ReportAsync(session, target, options, result, warnings, cancellationToken).ConfigureAwait(false);
        }
        if (record.Cleanup.Outcome != CheckOutcome.Failed)
        {
            // Kept when the cleanup failed: the next sweep (Invoke-DrValidation's) finds what is left.
            await ledger.ForgetJobAsync(intent, cancellationToken).ConfigureAwait(false);
        }

        // A concurrent delivery that stored the record first decided the outcome: this one's own judgement (its cleanup
        // racing the other's delete, say) was not recorded, so it is not what the invocation reports.
        string judged = stored.Outcome ?? record.Outcome;
        OrchestratorOutcome outcome = incoming.Outcome(OrchestratorOutcome.Recorded,
            $"Restore job {jobId} of {intent.SourceResourceArn} judged {judged}; evidence s3://{stored.Bucket}/{stored.Key}.");
        outcome.Outcome = judged;
        outcome.Items.Add(stored.Key);
        outcome.Warnings.AddRange(warnings);
        return outcome;
    }

    /// <summary>The checks of the restore as it stands now; the record is complete but for the cleanup.</summary>
    private static async Task<EvidenceRecord> JudgeAsync(AwsSession session, AwsTarget target, DrValidationOptions options, RestorableKind kind, RestoreIntent intent, CancellationToken cancellationToken)
    {
        DescribeRestoreJobResponse job = await Transient.RetryAsync(token => target.Backup.DescribeRestoreJobAsync(new DescribeRestoreJobRequest { RestoreJobId = intent.RestoreJobId }, token), cancellationToken).ConfigureAwait(false);
        var point = new RecoveryPointByBackupVault
        {
            RecoveryPointArn = intent.RecoveryPointArn,
            ResourceArn = intent.SourceResourceArn,
            ResourceType = kind.ResourceType,
            BackupVaultName = options.BackupVaultName,
            CreationDate = job.RecoveryPointCreationDate,
        };
        EvidenceRecord record = RestoreSteps.NewRecord(session, target, options, point, kind);
        record.StartedAt = intent.StartedAt;
        record.RestoreJobId = job.RestoreJobId ?? intent.RestoreJobId;
        record.RestoreJobStatus = job.Status;
        await RestoreSteps.CheckAsync(target, options, point, kind, kind.RestoredName(intent.IntendedName, job.CreatedResourceArn), job, record, null, cancellationToken).ConfigureAwait(false);
        return record;
    }
}
