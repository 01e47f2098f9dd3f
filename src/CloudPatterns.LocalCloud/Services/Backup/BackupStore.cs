using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Identity;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Kms;
using CloudPatterns.LocalCloud.Services.Rds;
using CloudPatterns.LocalCloud.Services.Resources;

namespace CloudPatterns.LocalCloud.Services.Backup;

/// <summary>
/// AWS Backup's state for every account and region, and its simulation: jobs move through their states and plan
/// rules fire as the simulated clock passes their times (<see cref="Settle"/>). One lock guards everything; the
/// service runs each operation inside <see cref="Run{T}"/> so it reads a consistent, settled state.
/// </summary>
internal sealed class BackupStore(SeedOrganization organization, KmsStore kms, CloudResourceStore resources, Func<string, bool> roleExists)
{
    private const string CrossAccountSetting = "isCrossAccountBackupEnabled";

    public string ManagementAccountId => organization.ManagementAccountId;
    private static readonly string[] GlobalSettingNames = [CrossAccountSetting, "isDelegatedAdministratorEnabled", "isMpaEnabled"];

    private readonly Lock gate = new();
    private readonly Dictionary<string, BackupVault> vaultsByArn = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BackupPlan> plansById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RecoveryPoint> recoveryPointsByArn = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BackupJob> jobsById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RestoreTestingDocument> restoreTestingPlansByArn = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RegionalSettings> globalSettingsByRegion = new(StringComparer.Ordinal);
    private readonly Dictionary<BackupJobKind, JobTiming> timings = Enum.GetValues<BackupJobKind>().ToDictionary(kind => kind, _ => JobTiming.Default);

    /// <summary>Settles the simulation up to <paramref name="now"/>, then runs <paramref name="operation"/> under the lock.</summary>
    public T Run<T>(DateTimeOffset now, Func<T> operation)
    {
        lock (gate)
        {
            Settle(now);
            return operation();
        }
    }

    /// <summary>
    /// Runs, in time order, every job transition, plan rule and lifecycle expiry due at or before
    /// <paramref name="now"/>; each happens at its own simulated time.
    /// </summary>
    public void Settle(DateTimeOffset now)
    {
        lock (gate)
        {
            while (NextEvent(now) is { } due)
            {
                due.Run();
            }
        }
    }

    public JobTiming GetTiming(BackupJobKind kind)
    {
        lock (gate)
        {
            return timings[kind];
        }
    }

    /// <summary>Sets how long jobs of a kind started from now on wait and run.</summary>
    public void SetTiming(BackupJobKind kind, JobTiming timing)
    {
        lock (gate)
        {
            timings[kind] = timing;
        }
    }

    private (DateTimeOffset Time, Action Run)? NextEvent(DateTimeOffset now)
    {
        (DateTimeOffset Time, Action Run)? next = null;
        void Consider(DateTimeOffset? time, Action run)
        {
            if (time is { } at && at <= now && (next is null || at < next.Value.Time))
            {
                next = (at, run);
            }
        }

        foreach (var job in jobsById.Values)
        {
            Consider(job.NextTransition, () => Advance(job));
        }

        foreach (var plan in plansById.Values)
        {
            foreach (var rule in plan.Rules)
            {
                Consider(rule.NextRun, () => Fire(plan, rule));
            }
        }

        foreach (var point in recoveryPointsByArn.Values)
        {
            Consider(point.DeleteAt, () => recoveryPointsByArn.Remove(point.Arn));
        }

        foreach (var plan in restoreTestingPlansByArn.Values)
        {
            Consider(plan.NextRun, () => RunRestoreTests(plan));
        }

        foreach (var test in jobsById.Values.OfType<RestoreJobRecord>().Where(job => job.DeletionStatus == "DELETING"))
        {
            Consider(test.CompletionDate + test.ValidationWindow, () => DeleteRestoredResource(test));
        }

        return next;
    }

    // ---- state file ----

    /// <summary>
    /// What the state file keeps of Backup: vaults, global settings, plans and selections, recovery points and
    /// restore testing plans. Job history is not kept; schedules resume from the restored clock.
    /// </summary>
    public BackupSnapshot Snapshot()
    {
        lock (gate)
        {
            return new BackupSnapshot(
                [.. vaultsByArn.Values.Select(vault => new VaultSnapshot(
                    vault.AccountId, vault.Region, vault.Name, vault.EncryptionKeyArn, vault.CreationDate, vault.CreatorRequestId, vault.AccessPolicyDocument, vault.Lock, vault.Notifications))],
                globalSettingsByRegion.ToDictionary(entry => entry.Key, entry => new GlobalSettingsSnapshot(new Dictionary<string, string>(entry.Value.Values), entry.Value.LastUpdateTime)),
                [.. plansById.Values.Select(plan => new PlanSnapshot(
                    plan.Id, plan.AccountId, plan.Region, plan.CreationDate, plan.CreatorRequestId, plan.VersionId, plan.Document, plan.LastExecutionDate,
                    [.. plan.Selections.Values.Select(selection => new SelectionSnapshot(selection.Id, selection.Document, selection.CreationDate, selection.CreatorRequestId))]))],
                [.. recoveryPointsByArn.Values.Select(point => new RecoveryPointSnapshot(
                    point.Arn, point.Vault.Arn, CloudResourceSnapshot.Of(point.Source), point.IamRoleArn, point.CreationDate, point.Lifecycle, point.CreatedBy, point.SourceBackupVaultArn, point.LastRestoreTime))],
                [.. restoreTestingPlansByArn.Values.Select(RestoreTestingSnapshot.Of)]);
        }
    }

    public void Restore(BackupSnapshot snapshot, DateTimeOffset now)
    {
        lock (gate)
        {
            foreach (var saved in snapshot.Vaults)
            {
                var vault = new BackupVault(saved.AccountId, saved.Region, saved.Name, saved.EncryptionKeyArn, saved.CreationDate, saved.CreatorRequestId)
                {
                    Lock = saved.Lock,
                    Notifications = saved.Notifications,
                };
                vaultsByArn[vault.Arn] = vault;
                SetAccessPolicy(vault, saved.AccessPolicy);
            }

            foreach (var (region, saved) in snapshot.GlobalSettings)
            {
                var regional = SettingsOf(region);
                foreach (var (name, value) in saved.Values)
                {
                    regional.Values[name] = value;
                }

                regional.LastUpdateTime = saved.LastUpdateTime;
            }

            foreach (var saved in snapshot.Plans)
            {
                var (document, rules) = ReadPlan(JsonSerializer.SerializeToElement(saved.Document), [], now);
                var plan = new BackupPlan(saved.Id, saved.AccountId, saved.Region, saved.CreationDate, saved.CreatorRequestId)
                {
                    VersionId = saved.VersionId,
                    Document = document,
                    Rules = rules,
                    LastExecutionDate = saved.LastExecutionDate,
                };
                foreach (var selection in saved.Selections)
                {
                    plan.Selections[selection.Id] = new BackupSelection(selection.Id, plan.Id, selection.Document, selection.CreationDate, selection.CreatorRequestId);
                }

                plansById[plan.Id] = plan;
            }

            foreach (var saved in snapshot.RecoveryPoints)
            {
                recoveryPointsByArn[saved.Arn] = new RecoveryPoint(saved.Arn, vaultsByArn[saved.VaultArn], saved.Source.ToResource(), saved.IamRoleArn, saved.CreationDate, saved.Lifecycle)
                {
                    CreatedBy = saved.CreatedBy,
                    SourceBackupVaultArn = saved.SourceBackupVaultArn,
                    LastRestoreTime = saved.LastRestoreTime,
                };
            }

            foreach (var saved in snapshot.RestoreTestingPlans)
            {
                var plan = saved.ToDocument();
                Reschedule(plan, now);
                restoreTestingPlansByArn[plan.Arn!] = plan;
            }
        }
    }

    // ---- vaults ----

    public BackupVault CreateVault(string accountId, string region, string name, string? encryptionKeyArn, string? creatorRequestId, DateTimeOffset now)
    {
        var keyArn = encryptionKeyArn ?? kms.BackupManagedKey(accountId, region).Arn;
        if (encryptionKeyArn is not null)
        {
            try
            {
                kms.Find(accountId, region, encryptionKeyArn);
            }
            catch (AwsServiceException)
            {
                // (inferred) AWS refuses a key it cannot find; its exact text is unknown.
                throw BackupErrors.InvalidParameterValue($"Invalid EncryptionKeyArn: {encryptionKeyArn} is not an existing KMS key.");
            }
        }

        var vault = new BackupVault(accountId, region, name, keyArn, now, creatorRequestId);
        lock (gate)
        {
            if (vaultsByArn.TryGetValue(vault.Arn, out var existing))
            {
                throw BackupErrors.AlreadyExists("Backup vault with the same name already exists", existing.Arn, existing.CreatorRequestId);
            }

            vaultsByArn.Add(vault.Arn, vault);
        }

        return vault;
    }

    public BackupVault GetVault(string accountId, string region, string name)
    {
        lock (gate)
        {
            return vaultsByArn.GetValueOrDefault(BackupVault.ArnOf(region, accountId, name)) ?? throw BackupErrors.UnknownVault();
        }
    }

    public IReadOnlyList<BackupVault> ListVaults(string accountId, string region)
    {
        lock (gate)
        {
            return vaultsByArn.Values.Where(vault => vault.AccountId == accountId && vault.Region == region).OrderBy(vault => vault.Name, StringComparer.Ordinal).ToList();
        }
    }

    public void DeleteVault(BackupVault vault)
    {
        lock (gate)
        {
            if (RecoveryPointsIn(vault).Count > 0)
            {
                throw BackupErrors.InvalidRequest("Backup vault cannot be deleted because it contains recovery points.", "ERROR_9101");
            }

            vaultsByArn.Remove(vault.Arn);
        }
    }

    public void SetAccessPolicy(BackupVault vault, string? document)
    {
        PolicyDocument? policy = null;
        if (document is not null)
        {
            try
            {
                policy = PolicyDocument.Parse(document);
            }
            catch (Exception error) when (error is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
            {
                throw BackupErrors.InvalidParameterValue($"Invalid vault access policy: {error.Message}");
            }
        }

        lock (gate)
        {
            vault.AccessPolicyDocument = document;
            vault.AccessPolicy = policy;
        }
    }

    public void SetLock(BackupVault vault, long? minRetentionDays, long? maxRetentionDays, long? changeableForDays, DateTimeOffset now)
    {
        // Limits from the API reference; the texts are inferred (AWS-BEHAVIOUR.md section 4).
        if (changeableForDays is < 3 or > 36500)
        {
            throw BackupErrors.InvalidParameterValue("ChangeableForDays must be between 3 and 36500 days.");
        }

        if (minRetentionDays is < 1 or > 36500 || maxRetentionDays is < 1 or > 36500 || minRetentionDays > maxRetentionDays)
        {
            throw BackupErrors.InvalidParameterValue("MinRetentionDays and MaxRetentionDays must be between 1 and 36500 days, and MinRetentionDays must not exceed MaxRetentionDays.");
        }

        lock (gate)
        {
            RefuseIfImmutable(vault, now);
            vault.Lock = new VaultLock(minRetentionDays, maxRetentionDays, changeableForDays is { } days ? now.AddDays(days) : null);
        }
    }

    public void DeleteLock(BackupVault vault, DateTimeOffset now)
    {
        lock (gate)
        {
            RefuseIfImmutable(vault, now);
            vault.Lock = null;
        }
    }

    private static void RefuseIfImmutable(BackupVault vault, DateTimeOffset now)
    {
        if (vault.Lock is { } existing && existing.IsImmutable(now))
        {
            throw BackupErrors.InvalidRequest($"Backup vault {vault.Name} is locked in compliance mode since {existing.LockDate:O}; its lock configuration can no longer be changed or deleted.");
        }
    }

    public void SetNotifications(BackupVault vault, VaultNotifications? notifications)
    {
        lock (gate)
        {
            vault.Notifications = notifications;
        }
    }

    // ---- global settings ----

    /// <summary>The organization's Backup settings in a region (AWS keeps them per region).</summary>
    public (IReadOnlyDictionary<string, string> Settings, DateTimeOffset? LastUpdateTime) DescribeGlobalSettings(string region)
    {
        lock (gate)
        {
            var regional = SettingsOf(region);
            return (new Dictionary<string, string>(regional.Values, StringComparer.Ordinal), regional.LastUpdateTime);
        }
    }

    public void UpdateGlobalSettings(string callerAccountId, string region, IReadOnlyDictionary<string, string> settings, DateTimeOffset now)
    {
        if (callerAccountId != organization.ManagementAccountId)
        {
            // (inferred) AWS documents that only the management account may change this; the refusal text is not published.
            throw BackupErrors.InvalidRequest("Only the management account of an organization can update the global settings of AWS Backup.");
        }

        if (settings.FirstOrDefault(setting => !GlobalSettingNames.Contains(setting.Key) || setting.Value is not ("true" or "false")) is { Key: not null } bad)
        {
            throw BackupErrors.InvalidParameterValue($"Invalid value for global setting {bad.Key}: {bad.Value}. Supported: {string.Join(", ", GlobalSettingNames)} = true | false.");
        }

        lock (gate)
        {
            var regional = SettingsOf(region);
            foreach (var (name, value) in settings)
            {
                regional.Values[name] = value;
            }

            regional.LastUpdateTime = now;
        }
    }

    private RegionalSettings SettingsOf(string region)
    {
        if (!globalSettingsByRegion.TryGetValue(region, out var regional))
        {
            regional = new RegionalSettings(GlobalSettingNames.ToDictionary(name => name, _ => "false", StringComparer.Ordinal));
            globalSettingsByRegion.Add(region, regional);
        }

        return regional;
    }

    private sealed class RegionalSettings(Dictionary<string, string> values)
    {
        public Dictionary<string, string> Values { get; } = values;

        public DateTimeOffset? LastUpdateTime { get; set; }
    }

    // ---- plans and selections ----

    public BackupPlan CreatePlan(string accountId, string region, JsonElement planDocument, string? creatorRequestId, DateTimeOffset now)
    {
        var (document, rules) = ReadPlan(planDocument, [], now);
        var plan = new BackupPlan(Guid.NewGuid().ToString(), accountId, region, now, creatorRequestId)
        {
            VersionId = BackupPlan.NewVersionId(),
            Document = document,
            Rules = rules,
        };
        lock (gate)
        {
            plansById.Add(plan.Id, plan);
        }

        return plan;
    }

    public void UpdatePlan(BackupPlan plan, JsonElement planDocument, DateTimeOffset now)
    {
        lock (gate)
        {
            var (document, rules) = ReadPlan(planDocument, plan.Rules, now);
            plan.Document = document;
            plan.Rules = rules;
            plan.VersionId = BackupPlan.NewVersionId();
        }
    }

    private static (JsonObject Document, IReadOnlyList<BackupRule> Rules) ReadPlan(JsonElement planDocument, IReadOnlyList<BackupRule> previous, DateTimeOffset now)
    {
        try
        {
            return BackupPlan.ReadDocument(planDocument, previous, now);
        }
        catch (FormatException error)
        {
            throw BackupErrors.InvalidParameterValue(error.Message);
        }
    }

    public BackupPlan GetPlan(string accountId, string region, string planId)
    {
        lock (gate)
        {
            return plansById.GetValueOrDefault(planId) is { } plan && plan.AccountId == accountId && plan.Region == region
                ? plan
                : throw BackupErrors.ResourceNotFound($"Failed reading Backup plan with provided version. Backup plan {planId} does not exist.");
        }
    }

    public IReadOnlyList<BackupPlan> ListPlans(string accountId, string region)
    {
        lock (gate)
        {
            return plansById.Values.Where(plan => plan.AccountId == accountId && plan.Region == region).OrderBy(plan => plan.CreationDate).ToList();
        }
    }

    public void DeletePlan(BackupPlan plan)
    {
        lock (gate)
        {
            if (plan.Selections.Count > 0)
            {
                throw BackupErrors.InvalidRequest("Related backup plan selections must be deleted prior to backup plan deletion.");
            }

            plansById.Remove(plan.Id);
        }
    }

    public BackupSelection CreateSelection(BackupPlan plan, JsonElement selectionDocument, string? creatorRequestId, DateTimeOffset now)
    {
        var document = JsonNode.Parse(selectionDocument.GetRawText())!.AsObject();
        var selection = new BackupSelection(Guid.NewGuid().ToString(), plan.Id, document, now, creatorRequestId);
        RequireRole(selection.IamRoleArn);
        lock (gate)
        {
            plan.Selections.Add(selection.Id, selection);
        }

        return selection;
    }

    public BackupSelection GetSelection(BackupPlan plan, string selectionId)
    {
        lock (gate)
        {
            return plan.Selections.GetValueOrDefault(selectionId)
                ?? throw BackupErrors.ResourceNotFound($"Backup selection {selectionId} does not exist in backup plan {plan.Id}.");
        }
    }

    public void DeleteSelection(BackupPlan plan, BackupSelection selection)
    {
        lock (gate)
        {
            plan.Selections.Remove(selection.Id);
        }
    }

    /// <summary>Refuses an IAM role that does not exist in the seed or IAM state (the PassRole-style check Backup makes).</summary>
    private void RequireRole(string roleArn)
    {
        if (!roleExists(roleArn))
        {
            // (inferred) AWS validates the role when the selection is created; its exact text is unknown.
            throw BackupErrors.InvalidParameterValue($"IAM role {roleArn} does not exist.");
        }
    }

    // ---- jobs ----

    public BackupJobRecord StartBackupJob(BackupVault vault, string resourceArn, string iamRoleArn, Lifecycle lifecycle, DateTimeOffset now)
    {
        var resource = resources.Find(resourceArn) is { } found && found.AccountId == vault.AccountId && found.Region == vault.Region
            ? found
            : throw BackupErrors.InvalidParameterValue($"Invalid resource ARN {resourceArn}: no supported resource with this ARN exists in account {vault.AccountId}, region {vault.Region}.");
        return Track(BackupJobKind.Backup, timing => new BackupJobRecord(NewJobId(), vault, resource, iamRoleArn, now, timing, lifecycle));
    }

    public CopyJobRecord StartCopyJob(RecoveryPoint source, string destinationVaultArn, string iamRoleArn, Lifecycle lifecycle, DateTimeOffset now) =>
        Track(BackupJobKind.Copy, timing => new CopyJobRecord(NewJobId(), source, destinationVaultArn, iamRoleArn, now, timing, lifecycle));

    public RestoreJobRecord StartRestoreJob(RecoveryPoint recoveryPoint, string iamRoleArn, IReadOnlyDictionary<string, string> metadata, bool copySourceTags, DateTimeOffset now)
    {
        if (recoveryPoint.Source.Kind.RestoreNameKey is { } nameKey && !metadata.ContainsKey(nameKey))
        {
            // (inferred) AWS's text for a missing restore metadata key is unknown.
            throw BackupErrors.InvalidParameterValue($"Restore metadata must contain {nameKey} to restore a {recoveryPoint.Source.Kind.BackupResourceType} recovery point.");
        }

        return Track(BackupJobKind.Restore, timing => new RestoreJobRecord(NewJobId(), recoveryPoint, iamRoleArn, now, timing, metadata, copySourceTags));
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

    /// <summary>Creates a job with the current timing of its kind and keeps it.</summary>
    private TJob Track<TJob>(BackupJobKind kind, Func<JobTiming, TJob> create)
        where TJob : BackupJob
    {
        lock (gate)
        {
            var job = create(timings[kind]);
            jobsById.Add(job.Id, job);
            return job;
        }
    }

    private static string NewJobId() => Guid.NewGuid().ToString().ToUpperInvariant();

    private void Advance(BackupJob job)
    {
        if (job.Phase == JobPhase.Created)
        {
            job.Start();
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

        var point = new RecoveryPoint(job.RecoveryPointArn, vault, job.Resource, job.IamRoleArn, time, job.Lifecycle) { CreatedBy = job.CreatedBy };
        recoveryPointsByArn.Add(point.Arn, point);
        foreach (var action in job.CopyActions)
        {
            Track(BackupJobKind.Copy, timing => new CopyJobRecord(NewJobId(), point, action.DestinationBackupVaultArn, job.IamRoleArn, time, timing, action.Lifecycle)
            {
                CreatedBy = job.CreatedBy,
                CreatedByBackupJobId = job.Id,
            });
        }

        return null;
    }

    /// <summary>
    /// Finishes a copy job, refusing where AWS refuses a copy (AWS-BEHAVIOUR.md section 4): organization membership
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

        var copy = new RecoveryPoint(RecoveryPoint.NewArn(destination.Region, destination.AccountId), destination, job.Source.Source, job.IamRoleArn, time, job.Lifecycle)
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

        var source = job.RecoveryPoint.Source;
        var kind = source.Kind;
        var name = kind.RestoreNameKey is { } nameKey ? job.Metadata[nameKey] : kind.GenerateName();
        // A snapshot does not carry deletion protection: a restored DB instance has AWS's default, off.
        var attributes = source.Attributes.Where(attribute => attribute.Key != RdsService.DeletionProtectionAttribute).ToDictionary(
            attribute => attribute.Key,
            attribute => job.Metadata.GetValueOrDefault(attribute.Key, attribute.Value),
            StringComparer.Ordinal);
        var restored = new CloudResource(kind, job.AccountId, job.Region, name, time, job.CopySourceTags ? source.Tags : new Dictionary<string, string>(), attributes);
        if (!resources.TryAdd(restored))
        {
            // (inferred) text: the target name is taken.
            return $"Restore failed: a {kind.BackupResourceType} resource named {name} already exists.";
        }

        job.CreatedResourceArn = restored.Arn;
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

                Track(BackupJobKind.Restore, timing => new RestoreJobRecord(NewJobId(), point, document.GetStringOrNull("IamRoleArn") ?? "", time, timing, metadata, copySourceTags: false)
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
        resources.Remove(test.CreatedResourceArn!);
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
            .Select(resource => (resource, selection: plan.Selections.Values.OrderBy(selection => selection.CreationDate).FirstOrDefault(selection => selection.Selects(resource))))
            .Where(pair => pair.selection is not null);
        foreach (var (resource, selection) in picked)
        {
            Track(BackupJobKind.Backup, timing => new BackupJobRecord(NewJobId(), vault, resource, selection!.IamRoleArn, time, timing, rule.Lifecycle)
            {
                CreatedBy = rule.Origin(plan),
                CopyActions = rule.CopyActions,
            });
        }
    }

    // ---- recovery points ----

    public RecoveryPoint GetRecoveryPoint(BackupVault vault, string recoveryPointArn)
    {
        lock (gate)
        {
            return recoveryPointsByArn.GetValueOrDefault(recoveryPointArn) is { } point && point.Vault == vault
                ? point
                : throw BackupErrors.ResourceNotFound($"Recovery point {recoveryPointArn} does not exist in backup vault {vault.Name}.");
        }
    }

    /// <summary>A recovery point of the caller's account and region by ARN alone (StartCopyJob, StartRestoreJob).</summary>
    public RecoveryPoint GetRecoveryPoint(string accountId, string region, string recoveryPointArn)
    {
        lock (gate)
        {
            return recoveryPointsByArn.GetValueOrDefault(recoveryPointArn) is { } point && point.Vault.AccountId == accountId && point.Vault.Region == region
                ? point
                : throw BackupErrors.ResourceNotFound($"Recovery point {recoveryPointArn} does not exist.");
        }
    }

    public IReadOnlyList<RecoveryPoint> RecoveryPointsIn(BackupVault vault)
    {
        lock (gate)
        {
            return recoveryPointsByArn.Values.Where(point => point.Vault == vault).OrderByDescending(point => point.CreationDate).ToList();
        }
    }

    /// <summary>Recovery points of the account and region, newest first (ListRecoveryPointsByResource, ListProtectedResources).</summary>
    public IReadOnlyList<RecoveryPoint> RecoveryPointsOf(string accountId, string region)
    {
        lock (gate)
        {
            return recoveryPointsByArn.Values.Where(point => point.Vault.AccountId == accountId && point.Vault.Region == region).OrderByDescending(point => point.CreationDate).ToList();
        }
    }

    public void DeleteRecoveryPoint(RecoveryPoint point)
    {
        lock (gate)
        {
            if (point.Vault.Lock is not null)
            {
                // (inferred) text: AWS refuses deletions in a locked vault with InvalidRequestException.
                throw BackupErrors.InvalidRequest($"Recovery point {point.Arn} cannot be deleted because backup vault {point.Vault.Name} is protected by Vault Lock.");
            }

            recoveryPointsByArn.Remove(point.Arn);
        }
    }

    public void UpdateLifecycle(RecoveryPoint point, Lifecycle lifecycle)
    {
        lock (gate)
        {
            if (point.Vault.Lock is { } vaultLock && (!vaultLock.Admits(lifecycle) || lifecycle.DeleteAfterDays < point.Lifecycle.DeleteAfterDays))
            {
                // (inferred) text: a lock forbids shortening retention or leaving its range.
                throw BackupErrors.InvalidRequest($"The lifecycle of recovery point {point.Arn} cannot be shortened or set outside the Vault Lock retention of backup vault {point.Vault.Name}.");
            }

            point.Lifecycle = lifecycle;
        }
    }

    // ---- restore testing ----

    public RestoreTestingDocument CreateRestoreTestingPlan(string accountId, string region, string name, JsonObject document, string? creatorRequestId, DateTimeOffset now)
    {
        var plan = new RestoreTestingDocument(name, $"arn:aws:backup:{region}:{accountId}:restore-testing-plan:{name}-{ResourceKind.RandomHex(6)}", document, now, creatorRequestId);
        Reschedule(plan, now);
        lock (gate)
        {
            if (FindRestoreTestingPlan(accountId, region, name) is { } existing)
            {
                throw BackupErrors.AlreadyExists($"Restore testing plan {name} already exists.", existing.Arn!, existing.CreatorRequestId);
            }

            restoreTestingPlansByArn.Add(plan.Arn!, plan);
        }

        return plan;
    }

    public void UpdateRestoreTestingPlan(RestoreTestingDocument plan, JsonElement update, DateTimeOffset now)
    {
        lock (gate)
        {
            var previous = plan.Document.DeepClone().AsObject();
            plan.Merge(update, now);
            try
            {
                Reschedule(plan, now);
            }
            catch (AwsServiceException)
            {
                plan.Document = previous;
                throw;
            }
        }
    }

    private static void Reschedule(RestoreTestingDocument plan, DateTimeOffset now)
    {
        try
        {
            plan.Reschedule(now);
        }
        catch (FormatException error)
        {
            throw BackupErrors.InvalidParameterValue(error.Message);
        }
    }

    /// <summary>
    /// Reports the validation of a restore test's data; the restored resource is then deleted, as AWS does once
    /// validation has finished.
    /// </summary>
    public void PutRestoreValidationResult(RestoreJobRecord job, string status, string? message, DateTimeOffset now)
    {
        lock (gate)
        {
            if (job.Phase != JobPhase.Completed)
            {
                // (inferred) text.
                throw BackupErrors.InvalidRequest($"Restore job {job.Id} has not completed; a validation result can be reported only for a completed restore job.");
            }

            job.ValidationStatus = status;
            job.ValidationStatusMessage = message;
            if (job.DeletionStatus == "DELETING" && status != "VALIDATING")
            {
                DeleteRestoredResource(job);
            }
        }
    }

    public RestoreTestingDocument GetRestoreTestingPlan(string accountId, string region, string name)
    {
        lock (gate)
        {
            return FindRestoreTestingPlan(accountId, region, name) ?? throw BackupErrors.ResourceNotFound($"Restore testing plan {name} does not exist.");
        }
    }

    public IReadOnlyList<RestoreTestingDocument> ListRestoreTestingPlans(string accountId, string region)
    {
        var scope = $"arn:aws:backup:{region}:{accountId}:";
        lock (gate)
        {
            return restoreTestingPlansByArn.Values.Where(plan => plan.Arn!.StartsWith(scope, StringComparison.Ordinal)).OrderBy(plan => plan.CreationTime).ToList();
        }
    }

    private RestoreTestingDocument? FindRestoreTestingPlan(string accountId, string region, string name) =>
        ListRestoreTestingPlans(accountId, region).FirstOrDefault(plan => plan.Name == name);

    public void DeleteRestoreTestingPlan(RestoreTestingDocument plan)
    {
        lock (gate)
        {
            if (plan.Selections.Count > 0)
            {
                // (inferred) text: AWS refuses to delete a plan that still has selections.
                throw BackupErrors.InvalidRequest("Restore testing selections must be deleted before their restore testing plan.");
            }

            restoreTestingPlansByArn.Remove(plan.Arn!);
        }
    }

    public RestoreTestingDocument CreateRestoreTestingSelection(RestoreTestingDocument plan, string name, JsonObject document, string? creatorRequestId, DateTimeOffset now)
    {
        RequireRole(document["IamRoleArn"]?.GetValue<string>() ?? "");
        var selection = new RestoreTestingDocument(name, null, document, now, creatorRequestId);
        lock (gate)
        {
            if (!plan.Selections.TryAdd(name, selection))
            {
                throw BackupErrors.AlreadyExists($"Restore testing selection {name} already exists.", plan.Arn!, creatorRequestId);
            }
        }

        return selection;
    }

    public RestoreTestingDocument GetRestoreTestingSelection(RestoreTestingDocument plan, string name)
    {
        lock (gate)
        {
            return plan.Selections.GetValueOrDefault(name) ?? throw BackupErrors.ResourceNotFound($"Restore testing selection {name} does not exist.");
        }
    }

    public void DeleteRestoreTestingSelection(RestoreTestingDocument plan, RestoreTestingDocument selection)
    {
        lock (gate)
        {
            plan.Selections.Remove(selection.Name);
        }
    }
}

/// <summary>Backup's part of the state file.</summary>
internal sealed record BackupSnapshot(
    IReadOnlyList<VaultSnapshot> Vaults,
    IReadOnlyDictionary<string, GlobalSettingsSnapshot> GlobalSettings,
    IReadOnlyList<PlanSnapshot> Plans,
    IReadOnlyList<RecoveryPointSnapshot> RecoveryPoints,
    IReadOnlyList<RestoreTestingSnapshot> RestoreTestingPlans);

internal sealed record VaultSnapshot(
    string AccountId,
    string Region,
    string Name,
    string EncryptionKeyArn,
    DateTimeOffset CreationDate,
    string? CreatorRequestId,
    string? AccessPolicy,
    VaultLock? Lock,
    VaultNotifications? Notifications);

internal sealed record GlobalSettingsSnapshot(IReadOnlyDictionary<string, string> Values, DateTimeOffset? LastUpdateTime);

internal sealed record PlanSnapshot(
    string Id,
    string AccountId,
    string Region,
    DateTimeOffset CreationDate,
    string? CreatorRequestId,
    string VersionId,
    JsonObject Document,
    DateTimeOffset? LastExecutionDate,
    IReadOnlyList<SelectionSnapshot> Selections);

internal sealed record SelectionSnapshot(string Id, JsonObject Document, DateTimeOffset CreationDate, string? CreatorRequestId);

internal sealed record RecoveryPointSnapshot(
    string Arn,
    string VaultArn,
    CloudResourceSnapshot Source,
    string IamRoleArn,
    DateTimeOffset CreationDate,
    Lifecycle Lifecycle,
    PlanRuleOrigin? CreatedBy,
    string? SourceBackupVaultArn,
    DateTimeOffset? LastRestoreTime);

/// <summary>A restore testing plan (with its selections) or selection as the state file keeps it.</summary>
internal sealed record RestoreTestingSnapshot(
    string Name,
    string? Arn,
    JsonObject Document,
    DateTimeOffset CreationTime,
    string? CreatorRequestId,
    DateTimeOffset? LastUpdateTime,
    DateTimeOffset? LastExecutionTime,
    IReadOnlyList<RestoreTestingSnapshot> Selections)
{
    public static RestoreTestingSnapshot Of(RestoreTestingDocument document) => new(
        document.Name,
        document.Arn,
        document.Document,
        document.CreationTime,
        document.CreatorRequestId,
        document.LastUpdateTime,
        document.LastExecutionTime,
        [.. document.Selections.Values.Select(Of)]);

    public RestoreTestingDocument ToDocument()
    {
        var document = new RestoreTestingDocument(Name, Arn, Document, CreationTime, CreatorRequestId)
        {
            LastUpdateTime = LastUpdateTime,
            LastExecutionTime = LastExecutionTime,
        };
        foreach (var selection in Selections)
        {
            document.Selections[selection.Name] = selection.ToDocument();
        }

        return document;
    }
}
