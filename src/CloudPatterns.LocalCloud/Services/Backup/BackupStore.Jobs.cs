using System.Text.Json;
using CloudPatterns.LocalCloud.Identity;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Kms;
using CloudPatterns.LocalCloud.Services.Rds;
using CloudPatterns.LocalCloud.Services.Resources;

namespace CloudPatterns.LocalCloud.Services.Backup;

// BackupStore: jobs.
internal sealed partial class BackupStore
{
    public BackupJobRecord StartBackupJob(BackupVault vault, string resourceArn, string iamRoleArn, Lifecycle lifecycle, DateTimeOffset now)
    {
        var captured = resources.Find(resourceArn) ?? storeBackedKinds.Select(kind => kind.Capture(resourceArn, vault.AccountId, vault.Region, now)).FirstOrDefault(found => found is not null);
        var resource = captured is { } found && found.AccountId == vault.AccountId && found.Region == vault.Region
            ? found
            : throw BackupErrors.InvalidParameterValue($"Invalid resource ARN {resourceArn}: no supported resource with this ARN exists in account {vault.AccountId}, region {vault.Region}.");
        return Track(BackupJobKind.Backup, null, timing => new BackupJobRecord(NewJobId(), vault, resource, iamRoleArn, now, timing, lifecycle));
    }

    public CopyJobRecord StartCopyJob(RecoveryPoint source, string destinationVaultArn, string iamRoleArn, Lifecycle lifecycle, string? idempotencyToken, DateTimeOffset now) =>
        Track(BackupJobKind.Copy, IdempotencyKey(source, "copy", idempotencyToken), timing => new CopyJobRecord(NewJobId(), source, destinationVaultArn, iamRoleArn, now, timing, lifecycle));

    public RestoreJobRecord StartRestoreJob(RecoveryPoint recoveryPoint, string iamRoleArn, IReadOnlyDictionary<string, string> metadata, bool copySourceTags, string? idempotencyToken, DateTimeOffset now)
    {
        if (recoveryPoint.Source.Kind.RestoreNameKey is { } nameKey && !metadata.ContainsKey(nameKey))
        {
            // (inferred) AWS's text for a missing restore metadata key is unknown.
            throw BackupErrors.InvalidParameterValue($"Restore metadata must contain {nameKey} to restore a {recoveryPoint.Source.Kind.BackupResourceType} recovery point.");
        }

        StoreBackedKindOf(recoveryPoint.Source)?.CheckRestore(recoveryPoint.Source, metadata);
        if (recoveryPoint.Source.Kind == ResourceKind.AuroraCluster)
        {
            AuroraClusterSnapshots.CheckRestore(recoveryPoint.Source, metadata);
        }

        CheckRestoreTime(recoveryPoint, metadata, now);

        return Track(BackupJobKind.Restore, IdempotencyKey(recoveryPoint, "restore", idempotencyToken), timing => new RestoreJobRecord(NewJobId(), recoveryPoint, iamRoleArn, now, timing, metadata, copySourceTags));
    }

    /// <summary>A job of one kind owned by the account and region, or ResourceNotFoundException.</summary>
    public TJob GetJob<TJob>(string accountId, string region, string jobId)
        where TJob : BackupJob
    {
        lock (gate)
        {
            return jobsById.GetValueOrDefault(jobId) is TJob job && job.AccountId == accountId && job.Region == region
                ? job
                : throw BackupErrors.ResourceNotFound($"Cannot find job with ID {jobId}.");
        }
    }

    /// <summary>Jobs of a kind in a region, newest first: of one account, or of every account when <paramref name="accountId"/> is null.</summary>
    public IReadOnlyList<TJob> ListJobs<TJob>(string? accountId, string region)
        where TJob : BackupJob
    {
        lock (gate)
        {
            return jobsById.Values.OfType<TJob>().Where(job => (accountId is null || job.AccountId == accountId) && job.Region == region).OrderByDescending(job => job.CreationDate).ToList();
        }
    }

    /// <summary>
    /// Creates a job with the current timing of its kind and keeps it; a start repeated with the idempotency token of an
    /// earlier one returns that job and starts nothing (docs/localcloud-backup.md).
    /// </summary>
    private TJob Track<TJob>(BackupJobKind kind, string? idempotencyKey, Func<JobTiming, TJob> create)
        where TJob : BackupJob
    {
        lock (gate)
        {
            if (idempotencyKey is not null && jobsByIdempotencyKey.TryGetValue(idempotencyKey, out var startedId) && jobsById.GetValueOrDefault(startedId) is TJob started)
            {
                return started;
            }

            var job = create(timings[kind]);
            jobsById.Add(job.Id, job);
            if (idempotencyKey is not null)
            {
                jobsByIdempotencyKey[idempotencyKey] = job.Id;
            }

            Emit(job, job.CreationDate);
            return job;
        }
    }

    /// <summary>Tokens are the caller's: one account and region, one kind of job.</summary>
    private static string? IdempotencyKey(RecoveryPoint source, string kind, string? token) =>
        string.IsNullOrEmpty(token) ? null : $"{source.Vault.AccountId}|{source.Vault.Region}|{kind}|{token}";

    private static string NewJobId() => Guid.NewGuid().ToString().ToUpperInvariant();

    private void Advance(BackupJob job)
    {
        if (job.Phase == JobPhase.Created)
        {
            job.Start();
            Emit(job, job.StartDate);
            return;
        }

        var time = job.StartDate + job.Timing.Running;
        job.Finish(time, job switch
        {
            BackupJobRecord backup => CompleteBackup(backup, time),
            CopyJobRecord copy => CompleteCopy(copy, time),
            RestoreJobRecord restore => CompleteRestore(restore, time),
            _ => throw new InvalidOperationException($"Unknown job type {job.GetType().Name}."),
        });
        Emit(job, time);
    }

    /// <summary>Finishes a backup job: the recovery point, then the rule's copy actions. Returns the failure, if any.</summary>
    private string? CompleteBackup(BackupJobRecord job, DateTimeOffset time)
    {
        if (vaultsByArn.GetValueOrDefault(job.Vault.Arn) is not { } vault)
        {
            // (inferred) text.
            return $"Backup vault {job.Vault.Name} does not exist.";
        }

        if (!roleExists(job.IamRoleArn))
        {
            // (inferred) text; the role is checked when the job runs, as AWS assumes it then.
            return $"Unable to assume IAM role {job.IamRoleArn}: the role does not exist.";
        }

        if (vault.Lock is { } vaultLock && !vaultLock.Admits(job.Lifecycle))
        {
            return LockRefusal(vault, vaultLock);
        }

        if (VaultKeyRefusal(job, vault) is { } keyRefusal)
        {
            return keyRefusal;
        }

        if (job.CaptureFailure is { } failure)
        {
            return failure;
        }

        RecoveryPoint point;
        if (job.Continuous && recoveryPointsByArn.GetValueOrDefault(job.RecoveryPointArn) is { } existing)
        {
            existing.LastBackupTime = time;
            existing.Source = job.Resource;
            existing.Lifecycle = job.Lifecycle;
            point = existing;
        }
        else
        {
            point = new RecoveryPoint(job.RecoveryPointArn, vault, job.Resource, job.IamRoleArn, time, job.Lifecycle) { CreatedBy = job.CreatedBy, Continuous = job.Continuous };
            recoveryPointsByArn.Add(point.Arn, point);
        }

        foreach (var action in job.CopyActions)
        {
            Track(BackupJobKind.Copy, null, timing => new CopyJobRecord(NewJobId(), point, action.DestinationBackupVaultArn, job.IamRoleArn, time, timing, action.Lifecycle)
            {
                CreatedBy = job.CreatedBy,
                CreatedByBackupJobId = job.Id,
            });
        }

        return null;
    }

    /// <summary>
    /// Finishes a copy job, refusing where AWS refuses a copy (docs/aws-behaviour.md section 4): organization membership
    /// and opt-in, the destination vault's access policy, the key policy of the source key, the destination's lock.
    /// </summary>
    private string? CompleteCopy(CopyJobRecord job, DateTimeOffset time)
    {
        if (!recoveryPointsByArn.ContainsKey(job.Source.Arn))
        {
            return $"Recovery point {job.Source.Arn} no longer exists.";
        }

        var destination = vaultsByArn.GetValueOrDefault(job.DestinationVaultArn);
        var sourceAccount = job.AccountId;
        var destinationAccount = BackupVault.ParseArn(job.DestinationVaultArn)?.AccountId;
        if (destinationAccount != sourceAccount)
        {
            if (destinationAccount is null || organization.FindAccount(destinationAccount) is null)
            {
                return "Access denied: Copy job failed. Both source and destination account must be a member of the same organization";
            }

            if (SettingsOf(job.Region).Values[CrossAccountSetting] != "true")
            {
                // (inferred) AWS's text for a cross-account copy while the organization has not opted in is unknown.
                return "Access denied: Copy job failed. Cross-account backup is not enabled for the organization (isCrossAccountBackupEnabled is false).";
            }

            if (destination?.AccessPolicy is not { } policy || !policy.Allows(PrincipalKeys.Context(AccountRoot(sourceAccount), "backup:CopyIntoBackupVault", job.DestinationVaultArn, organization.Id)))
            {
                return "Access Denied trying to call AWS Backup service";
            }

            KmsKey key;
            try
            {
                key = kms.Find(sourceAccount, job.Region, job.Source.Vault.EncryptionKeyArn);
            }
            catch (AwsServiceException)
            {
                return "The source snapshot KMS key does not exist, is not enabled or you do not have permissions to access it";
            }

            if (key.AwsManaged)
            {
                return "Given key ID is not accessible. You must have DescribeKey permissions on the default CMK";
            }

            var destinationRoot = AccountRoot(destinationAccount);
            if (!kms.Allows(key, destinationRoot, "kms:DescribeKey") || !kms.Allows(key, destinationRoot, "kms:Decrypt"))
            {
                return "Given key ID is not accessible";
            }
        }

        if (destination is null)
        {
            return "Access Denied trying to call AWS Backup service";
        }

        if (destination.Lock is { } vaultLock && !vaultLock.Admits(job.Lifecycle))
        {
            return LockRefusal(destination, vaultLock);
        }

        if (VaultKeyRefusal(job, destination) is { } keyRefusal)
        {
            return keyRefusal;
        }

        // A copy keeps its source's creation date: when the data was captured, not when it was copied. A continuous
        // backup is copied as the snapshot its rule's run took, so its copy dates from that run (docs/localcloud-backup.md, "Copies").
        var captured = job.Source.Continuous ? job.CreationDate : job.Source.CreationDate;
        var copy = new RecoveryPoint(RecoveryPoint.NewArn(destination.Region, destination.AccountId, job.Source.Source.Kind, "copyjob", job.Id), destination, job.Source.Source, job.IamRoleArn, captured, job.Lifecycle)
        {
            SourceBackupVaultArn = job.Source.Vault.Arn,
        };
        recoveryPointsByArn.Add(copy.Arn, copy);
        job.DestinationRecoveryPointArn = copy.Arn;
        return null;
    }

    /// <summary>Finishes a restore job by creating the resource in the recovery point's account and region.</summary>
    private string? CompleteRestore(RestoreJobRecord job, DateTimeOffset time)
    {
        if (!roleExists(job.IamRoleArn))
        {
            return "You are not authorized to perform this operation. Please consult the permissions associated with your AWS Backup role";
        }

        if (VaultKeyRefusal(job, job.RecoveryPoint.Vault) is { } keyRefusal)
        {
            return keyRefusal;
        }

        var source = job.RecoveryPoint.Source;
        if (StoreBackedKindOf(source) is { } storeBacked)
        {
            var (createdArn, failure) = storeBacked.Restore(source, job.AccountId, job.Region, job.Metadata, job.CopySourceTags, time);
            return failure ?? Restored(job, createdArn!, time);
        }

        var kind = source.Kind;
        if (kind == ResourceKind.AuroraCluster)
        {
            // AWS Backup restores the cluster alone; its instances are made afterwards with CreateDBInstance.
            var (clusterName, clusterAttributes) = AuroraClusterSnapshots.Restored(source, job.Metadata);
            return AddRestored(job, new CloudResource(kind, job.AccountId, job.Region, clusterName, time, job.CopySourceTags ? source.Tags : new Dictionary<string, string>(), clusterAttributes), time);
        }

        var name = kind.RestoreNameKey is { } nameKey ? job.Metadata[nameKey] : kind.GenerateName();
        // A snapshot does not carry deletion protection: a restored DB instance has AWS's default, off.
        var attributes = source.Attributes.Where(attribute => attribute.Key != RdsService.DeletionProtectionAttribute).ToDictionary(
            attribute => attribute.Key,
            attribute => job.Metadata.GetValueOrDefault(attribute.Key, attribute.Value),
            StringComparer.Ordinal);
        if (kind == ResourceKind.RdsDbInstance)
        {
            // Where the restored instance goes: RestoreDBInstanceFromDBSnapshot's placement, given even when the
            // snapshot's instance had none (docs/localcloud-backup.md, "Restore targets").
            foreach (var key in new[] { RdsService.SubnetGroupAttribute, RdsService.SecurityGroupsAttribute })
            {
                if (job.Metadata.TryGetValue(key, out var value))
                {
                    attributes[key] = value;
                }
            }

            if (RdsPlacement?.Failure(job.AccountId, job.Region, job.Metadata.GetValueOrDefault(RdsService.SubnetGroupAttribute), RdsService.SecurityGroups(job.Metadata.GetValueOrDefault(RdsService.SecurityGroupsAttribute))) is { } misplaced)
            {
                return misplaced;
            }
        }

        return AddRestored(job, new CloudResource(kind, job.AccountId, job.Region, name, time, job.CopySourceTags ? source.Tags : new Dictionary<string, string>(), attributes), time);
    }

    /// <summary>Keeps a restored resource of the resource store, or fails the job when its name is taken.</summary>
    private string? AddRestored(RestoreJobRecord job, CloudResource restored, DateTimeOffset time)
    {
        if (!resources.TryAdd(restored))
        {
            // (inferred) text: the target name is taken.
            return $"Restore failed: a {restored.Kind.BackupResourceType} resource named {restored.Name} already exists.";
        }

        return Restored(job, restored.Arn, time);
    }

    /// <summary>Records what a finished restore created; a restore test's copy awaits deletion.</summary>
    private static string? Restored(RestoreJobRecord job, string createdArn, DateTimeOffset time)
    {
        job.CreatedResourceArn = createdArn;
        job.RecoveryPoint.LastRestoreTime = time;
        if (job.RestoreTestingPlanArn is not null)
        {
            job.DeletionStatus = "DELETING";
        }

        return null;
    }

    /// <summary>
    /// Runs a restore testing plan: for each selection, the latest recovery point of every selected resource within
    /// the selection window is restored (with the selection's metadata overrides and a generated name), to be
    /// deleted after the selection's validation window.
    /// </summary>
    private void RunRestoreTests(RestoreTestingDocument plan)
    {
        var time = plan.NextRun!.Value;
        plan.NextRun = plan.Schedule!.Next(time);
        plan.LastExecutionTime = time;
        var scope = plan.Arn!.Split(':');
        var pointSelection = plan.Element.GetObjectOrNull("RecoveryPointSelection");
        var includeVaults = pointSelection?.GetStringsOrEmpty("IncludeVaults") is { Count: > 0 } include ? include : ["*"];
        var excludeVaults = pointSelection?.GetStringsOrEmpty("ExcludeVaults") ?? [];
        var windowStart = time.AddDays(-(pointSelection?.GetInt64OrNull("SelectionWindowDays") ?? 30));
        var candidates = RecoveryPointsOf(scope[4], scope[3])
            .Where(point => point.CreationDate >= windowStart && point.CreationDate <= time)
            .Where(point => includeVaults.Any(pattern => BackupSelection.Like(pattern, point.Vault.Arn)) && !excludeVaults.Any(pattern => BackupSelection.Like(pattern, point.Vault.Arn)))
            .ToList();
        foreach (var selection in plan.Selections.Values)
        {
            var document = selection.Element;
            var resourceArns = document.GetStringsOrEmpty("ProtectedResourceArns") is { Count: > 0 } arns ? arns : ["*"];
            var conditions = document.GetObjectOrNull("ProtectedResourceConditions");
            var latestPerResource = candidates
                .Where(point => point.Source.Kind.BackupResourceType == document.GetStringOrNull("ProtectedResourceType"))
                .Where(point => resourceArns.Any(pattern => BackupSelection.Like(pattern, point.Source.Arn)) && TagConditionsHold(conditions, point.Source))
                .GroupBy(point => point.Source.Arn, StringComparer.Ordinal)
                .Select(group => group.First());
            foreach (var point in latestPerResource)
            {
                var metadata = document.GetStringMapOrEmpty("RestoreMetadataOverrides");
                if (point.Source.Kind.RestoreNameKey is { } nameKey)
                {
                    metadata[nameKey] = $"restore-test-{ResourceKind.RandomHex(12)}";
                }

                Track(BackupJobKind.Restore, null, timing => new RestoreJobRecord(NewJobId(), point, document.GetStringOrNull("IamRoleArn") ?? "", time, timing, metadata, copySourceTags: false)
                {
                    RestoreTestingPlanArn = plan.Arn,
                    ValidationWindow = TimeSpan.FromHours(document.GetInt64OrNull("ValidationWindowHours") ?? 0),
                });
            }
        }
    }

    /// <summary>ProtectedResourceConditions: StringEquals and StringNotEquals on aws:ResourceTag/… keys, all of which must hold.</summary>
    private static bool TagConditionsHold(JsonElement? conditions, CloudResource resource) =>
        conditions is not { } all
        || (all.GetArrayOrEmpty("StringEquals").All(condition => resource.Tags.GetValueOrDefault(BackupSelection.TagKey(condition.GetStringOrNull("Key") ?? "")) == condition.GetStringOrNull("Value"))
            && all.GetArrayOrEmpty("StringNotEquals").All(condition => resource.Tags.GetValueOrDefault(BackupSelection.TagKey(condition.GetStringOrNull("Key") ?? "")) != condition.GetStringOrNull("Value")));

    /// <summary>The end of a restore test: its restored resource is deleted.</summary>
    private void DeleteRestoredResource(RestoreJobRecord test)
    {
        if (StoreBackedKindOf(test.RecoveryPoint.Source) is { } storeBacked)
        {
            try
            {
                storeBacked.DeleteRestored(test.AccountId, test.CreatedResourceArn!);
            }
            catch (AwsServiceException)
            {
                // Already gone (deleted by hand during the validation window): nothing left to delete.
            }
        }
        else
        {
            resources.Remove(test.CreatedResourceArn!);
        }

        test.DeletionStatus = "SUCCESSFUL";
    }

    /// <summary>(inferred) AWS fails such jobs; its StatusMessage is unknown.</summary>
    private static string LockRefusal(BackupVault vault, VaultLock vaultLock) =>
        $"The recovery point's retention does not satisfy the Vault Lock of backup vault {vault.Name} (MinRetentionDays {vaultLock.MinRetentionDays?.ToString() ?? "none"}, MaxRetentionDays {vaultLock.MaxRetentionDays?.ToString() ?? "none"}).";

    private static CallerIdentity AccountRoot(string accountId) => new(accountId, $"arn:aws:iam::{accountId}:root", accountId, null);

    /// <summary>Runs a plan rule: a backup job for every resource its plan's selections pick.</summary>
    private void Fire(BackupPlan plan, BackupRule rule)
    {
        var time = rule.NextRun!.Value;
        rule.NextRun = rule.Schedule.Next(time);
        plan.LastExecutionDate = time;
        var vault = vaultsByArn.GetValueOrDefault(BackupVault.ArnOf(plan.Region, plan.AccountId, rule.TargetBackupVaultName))
            ?? new BackupVault(plan.AccountId, plan.Region, rule.TargetBackupVaultName, "", time, null);
        var picked = resources.List(plan.AccountId, plan.Region)
            .Concat(storeBackedKinds.SelectMany(kind => kind.Selectable(plan.AccountId, plan.Region)))
            .Select(resource => (resource, selection: plan.Selections.Values.OrderBy(selection => selection.CreationDate).FirstOrDefault(selection => selection.Selects(resource))))
            .Where(pair => pair.selection is not null)
            .ToList();
        foreach (var (listed, selection) in picked)
        {
            var (resource, captureFailure) = CaptureSelected(listed, time);
            if (resource is null)
            {
                continue;
            }

            // A continuous rule keeps one continuous recovery point per resource and vault; other resources get snapshots.
            var continuous = rule.EnableContinuousBackup && BackupRule.SupportsContinuous(resource.Kind.BackupResourceType);
            var continuousArn = continuous
                ? recoveryPointsByArn.Values.FirstOrDefault(point => point.Continuous && point.Vault.Arn == vault.Arn && point.Source.Arn == resource.Arn)?.Arn
                    ?? RecoveryPoint.NewContinuousArn(vault.Region, vault.AccountId, resource.Name)
                : null;
            Track(BackupJobKind.Backup, null, timing =>
            {
                var id = NewJobId();
                return new BackupJobRecord(id, vault, resource, selection!.IamRoleArn, time, timing, rule.Lifecycle)
                {
                    CreatedBy = rule.Origin(plan),
                    CopyActions = rule.CopyActions,
                    Continuous = continuous,
                    RecoveryPointArn = continuousArn ?? RecoveryPoint.NewArn(vault.Region, vault.AccountId, resource.Kind, "job", id),
                    CaptureFailure = captureFailure,
                };
            });
        }
    }

    /// <summary>
    /// A selected resource as a plan's run backs it up: kept resources as they are; a store-backed one captured now
    /// (null when it went away since the listing), or, when its kind refuses it (an unversioned bucket), the listing
    /// with the refusal its job fails with (docs/localcloud-backup-kinds.md, "Plans").
    /// </summary>
    private (CloudResource? Resource, string? CaptureFailure) CaptureSelected(CloudResource listed, DateTimeOffset time)
    {
        if (StoreBackedKindOf(listed) is not { } kind)
        {
            return (listed, null);
        }

        try
        {
            return (kind.Capture(listed.Arn, listed.AccountId, listed.Region, time), null);
        }
        catch (AwsServiceException refusal)
        {
            return (listed, refusal.Message);
        }
    }

    /// <summary>
    /// Point-in-time restore: a continuous recovery point restores to RestoreTime (ISO 8601, within its window) or, with
    /// UseLatestRestorableTime "true", to the latest restorable time; a snapshot has no such choice.
    /// </summary>
    private static void CheckRestoreTime(RecoveryPoint point, IReadOnlyDictionary<string, string> metadata, DateTimeOffset now)
    {
        var restoreTime = metadata.GetValueOrDefault("RestoreTime");
        var useLatest = metadata.GetValueOrDefault("UseLatestRestorableTime");
        if (!point.Continuous)
        {
            if (restoreTime is not null || string.Equals(useLatest, "true", StringComparison.OrdinalIgnoreCase))
            {
                // (inferred) text.
                throw BackupErrors.InvalidParameterValue($"RestoreTime and UseLatestRestorableTime apply only to continuous recovery points; {point.Arn} is a snapshot.");
            }

            return;
        }

        if (restoreTime is null)
        {
            return;
        }

        var (earliest, latest) = point.RestoreWindow(now);
        if (string.Equals(useLatest, "true", StringComparison.OrdinalIgnoreCase))
        {
            throw BackupErrors.InvalidParameterValue("Give either RestoreTime or UseLatestRestorableTime, not both.");
        }

        if (!DateTimeOffset.TryParse(restoreTime, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var time)
            || time < earliest || time > latest)
        {
            // (inferred) text: RDS refuses a time outside the window with InvalidRestoreFault; AWS Backup's wording is unknown.
            throw BackupErrors.InvalidParameterValue(
                $"RestoreTime {restoreTime} is not in the restorable window of {point.Arn}: from {earliest:yyyy-MM-ddTHH:mm:ssZ} to {latest:yyyy-MM-ddTHH:mm:ssZ} (UTC).");
        }
    }
}
