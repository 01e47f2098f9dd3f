using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Aws.Backup;
using CloudPatterns.Aws.Monitoring;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>
/// The steps of one restore validation, shared by the two hosts that run them: Invoke-DrValidation, which waits for each
/// restore (<see cref="DrValidation"/>), and the DR-Orchestrator, which starts restores on a schedule and judges each
/// when its job's state-change event arrives.
/// </summary>
internal static class RestoreSteps
{
    /// <summary>The evidence record of a validation before its checks: source, target, recovery point, targets.</summary>
    public static EvidenceRecord NewRecord(AwsSession session, AwsTarget target, DrValidationOptions options, RecoveryPointByBackupVault point, RestorableKind kind)
    {
        AwsArn? sourceArn = AwsArn.TryParse(point.ResourceArn);
        // A bucket's ARN names no account or region (arn:aws:s3:::name): a copy's source vault does, and a point that is
        // no copy is in its owner's vault (docs/evidence.md).
        (string? Account, string? Region)? owner = sourceArn is { AccountId.Length: 0 }
            ? AwsArn.TryParse(point.SourceBackupVaultArn) is { } vault ? (vault.AccountId, vault.Region) : (target.AccountId, target.Region)
            : (sourceArn?.AccountId, sourceArn?.Region);
        return new EvidenceRecord
        {
            StartedAt = DateTime.UtcNow,
            ToolVersion = options.ToolVersion,
            CallerArn = session.CallerArn,
            Source = new EvidenceResource { AccountId = owner?.Account ?? "", Region = owner?.Region ?? "", ResourceArn = point.ResourceArn!, ResourceType = kind.ResourceType },
            Target = new EvidenceRestoreTarget { AccountId = target.AccountId, Region = target.Region, BackupVaultName = options.BackupVaultName },
            RecoveryPointArn = point.RecoveryPointArn!,
            RecoveryPointCreatedAt = point.CreationDate,
            Rto = new EvidenceMeasure { TargetSeconds = options.RtoTarget.TotalSeconds },
            Rpo = new EvidenceMeasure { TargetSeconds = options.RpoTarget.TotalSeconds },
            AlertTopicArn = options.AlertTopicArn,
        };
    }

    /// <summary>
    /// The latest completed recovery point of each protected resource in <paramref name="vaultName"/> created after
    /// <paramref name="createdAfter"/>, of a type that can be validated and that <paramref name="wanted"/> accepts.
    /// </summary>
    public static async Task<List<RecoveryPointByBackupVault>> LatestPointsAsync(AwsTarget target, string vaultName, DateTime createdAfter,
        Func<RecoveryPointByBackupVault, bool> wanted, CancellationToken cancellationToken)
    {
        var request = new ListRecoveryPointsByBackupVaultRequest { BackupVaultName = vaultName, ByCreatedAfter = createdAfter };
        var latest = new Dictionary<string, RecoveryPointByBackupVault>(StringComparer.Ordinal);
        await foreach (RecoveryPointByBackupVault point in target.Backup.ListAllRecoveryPointsByBackupVaultAsync(request, cancellationToken).ConfigureAwait(false))
        {
            if (point.Status != "COMPLETED" || point.ResourceArn is null || RestorableKind.For(point.ResourceType) is null || !wanted(point))
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

    /// <summary>
    /// Starts the restore of <paramref name="point"/> as <paramref name="restoredName"/>; <paramref name="noted"/> runs
    /// once the metadata is read and before the job starts (the host notes the restore there). The idempotency token
    /// makes a retried start return the job the first attempt started.
    /// </summary>
    public static async Task<string?> StartRestoreAsync(AwsTarget target, DrValidationOptions options, RecoveryPointByBackupVault point, RestorableKind kind, string restoredName,
        string idempotencyToken, Func<Task> noted, CancellationToken cancellationToken, CancellationToken budget)
    {
        GetRecoveryPointRestoreMetadataResponse metadata = await Transient.RetryAsync(
            token => target.Backup.GetRecoveryPointRestoreMetadataAsync(new GetRecoveryPointRestoreMetadataRequest { BackupVaultName = options.BackupVaultName, RecoveryPointArn = point.RecoveryPointArn }, token),
            cancellationToken).ConfigureAwait(false);
        kind.NameRestore(metadata.RestoreMetadata, restoredName);
        if (kind.ResourceType == "RDS" && options.DatabasePlacement is { } placement)
        {
            foreach (var setting in placement)
            {
                metadata.RestoreMetadata[setting.Key] = setting.Value;
            }
        }
        if (AchievableRpo.IsContinuous(point.RecoveryPointArn))
        {
            // Point-in-time restore: the newest data the continuous backup holds.
            metadata.RestoreMetadata["UseLatestRestorableTime"] = "true";
        }

        await noted().ConfigureAwait(false);
        StartRestoreJobResponse started = await Transient.RetryAsync(token => target.Backup.StartRestoreJobAsync(
            new StartRestoreJobRequest
            {
                RecoveryPointArn = point.RecoveryPointArn,
                Metadata = metadata.RestoreMetadata,
                IamRoleArn = options.IamRoleArn ?? $"arn:aws:iam::{target.AccountId}:role/service-role/AWSBackupDefaultServiceRole",
                ResourceType = kind.ResourceType,
                IdempotencyToken = idempotencyToken,
            },
            token), budget).ConfigureAwait(false);
        return started.RestoreJobId;
    }

    /// <summary>Passed, Failed or Aborted from the checks and the cleanup.</summary>
    public static string Outcome(EvidenceRecord record, bool aborted) =>
        aborted ? CheckOutcome.Aborted
        : record.Checks.All(check => check.Outcome != CheckOutcome.Failed) && record.Cleanup.Outcome != CheckOutcome.Failed ? CheckOutcome.Passed
        : CheckOutcome.Failed;

    public static async Task CheckAsync(AwsTarget target, DrValidationOptions options, RecoveryPointByBackupVault point, RestorableKind kind, string? restoredName, DescribeRestoreJobResponse? job, EvidenceRecord record, Action<string>? report, CancellationToken cancellationToken)
    {
        bool completed = job?.Status == "COMPLETED";
        record.Checks.Add(Check(DrValidation.RestoreJobCompleted, completed, job is null
            ? "The restore job did not start."
            : completed ? $"Restore job {job.RestoreJobId} completed." : $"Restore job {job.RestoreJobId} is {job.Status}{(job.Status is "PENDING" or "RUNNING" ? $" after the {options.Timeout} timeout" : "")}: {job.StatusMessage}"));
        if (job?.CreationDate is { } created)
        {
            // A continuous backup restores to its latest restorable time, just behind the restore's start.
            bool continuous = AchievableRpo.IsContinuous(point.RecoveryPointArn);
            double rpo = continuous ? AchievableRpo.ContinuousLag.TotalSeconds : (created - (point.CreationDate ?? created)).TotalSeconds;
            record.Rpo.MeasuredSeconds = rpo;
            record.Checks.Add(Check(DrValidation.RpoWithinTarget, rpo <= options.RpoTarget.TotalSeconds, continuous
                ? $"The continuous backup was restored to its latest restorable time, {TimeSpan.FromSeconds(rpo)} before the restore started; the target is {options.RpoTarget}."
                : $"The recovery point was {TimeSpan.FromSeconds(rpo)} old when the restore started; the target is {options.RpoTarget}."));
            if (completed && job.CompletionDate is { } finished)
            {
                double rto = (finished - created).TotalSeconds;
                record.Rto.MeasuredSeconds = rto;
                record.Checks.Add(Check(DrValidation.RtoWithinTarget, rto <= options.RtoTarget.TotalSeconds, $"The restore took {TimeSpan.FromSeconds(rto)}; the target is {options.RtoTarget}."));
            }
        }

        if (!completed)
        {
            return;
        }

        var found = restoredName is null ? null : await Transient.RetryAsync(token => kind.DescribeSettledAsync(target, restoredName, token), cancellationToken).ConfigureAwait(false);
        record.Target.RestoredResourceArn = found?.Arn ?? job!.CreatedResourceArn;
        record.Checks.Add(Check(DrValidation.RestoredResourceAvailable, found?.Available == true, restoredName is null
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
            report?.Invoke($"Running the validator on {restoredName}");
            record.Checks.Add(await validator(restored, cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>Metrics for every validation, an alert for a failed one; neither may hide the result.</summary>
    public static async Task ReportAsync(AwsSession session, AwsTarget target, DrValidationOptions options, DrValidationResult result, List<string> warnings, CancellationToken cancellationToken)
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

    public static async Task WarnOnFailure(Func<Task> call, string what, List<string> warnings)
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

    public static DrValidationResult Result(AwsTarget target, DrValidationOptions options, string runId, string recoveryPointArn, EvidenceRecord record) => new()
    {
        AccountId = target.AccountId,
        Region = target.Region,
        BackupVaultName = options.BackupVaultName,
        SourceAccountId = record.Source.AccountId,
        SourceRegion = record.Source.Region,
        ResourceArn = record.Source.ResourceArn,
        ResourceType = record.Source.ResourceType,
        RecoveryPointArn = recoveryPointArn,
        RestoreJobId = record.RestoreJobId,
        RestoredResourceArn = record.Target.RestoredResourceArn,
        Status = record.Outcome,
        Rto = record.Rto.MeasuredSeconds is { } rto ? TimeSpan.FromSeconds(rto) : null,
        RtoTarget = options.RtoTarget,
        Rpo = record.Rpo.MeasuredSeconds is { } rpo ? TimeSpan.FromSeconds(rpo) : null,
        RpoTarget = options.RpoTarget,
        Checks = record.Checks.ToArray(),
        Cleanup = record.Cleanup,
        RunId = runId,
    };

    public static EvidenceCheck Check(string name, bool passed, string detail) =>
        new() { Name = name, Outcome = passed ? CheckOutcome.Passed : CheckOutcome.Failed, Detail = detail };
}
