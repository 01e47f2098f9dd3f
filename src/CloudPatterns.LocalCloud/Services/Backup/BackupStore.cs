using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Kms;
using CloudPatterns.LocalCloud.Services.Resources;

namespace CloudPatterns.LocalCloud.Services.Backup;

/// <summary>
/// AWS Backup's state for every account and region, and its simulation: jobs move through their states and plan
/// rules fire as the simulated clock passes their times (<see cref="Settle"/>). One lock guards everything; the
/// service runs each operation inside <see cref="Run{T}"/> so it reads a consistent, settled state.
/// </summary>
internal sealed partial class BackupStore(SeedOrganization organization, KmsStore kms, CloudResourceStore resources, Func<string, bool> roleExists)
{
    private const string CrossAccountSetting = "isCrossAccountBackupEnabled";

    public string ManagementAccountId => organization.ManagementAccountId;

    /// <summary>Where job state changes go as EventBridge events (BackupEvents); set once by LocalCloudState.</summary>
    public Action<Events.ServiceEvent>? Events { get; set; }

    /// <summary>Checks a restored DB instance's subnet group and security groups; set once by LocalCloudState.</summary>
    public Rds.RdsRestorePlacement? RdsPlacement { get; set; }
    private static readonly string[] GlobalSettingNames = [CrossAccountSetting, "isDelegatedAdministratorEnabled", "isMpaEnabled"];

    private readonly Lock gate = new();
    private readonly Dictionary<string, BackupVault> vaultsByArn = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BackupPlan> plansById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RecoveryPoint> recoveryPointsByArn = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BackupJob> jobsById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> jobsByIdempotencyKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RestoreTestingDocument> restoreTestingPlansByArn = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RegionalSettings> globalSettingsByRegion = new(StringComparer.Ordinal);
    private readonly List<IStoreBackedKind> storeBackedKinds = [];
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

    /// <summary>
    /// After settling up to <paramref name="now"/>, the earliest time a pending job (backup, copy or restore not yet
    /// finished, or a restore test's resource awaiting deletion) changes state; null when nothing is pending. Plan
    /// rules and restore testing schedules are not pending jobs: the clock's auto-advance never skips to them.
    /// </summary>
    public DateTimeOffset? NextPendingJobTime(DateTimeOffset now)
    {
        lock (gate)
        {
            Settle(now);
            var transitions = jobsById.Values.Select(job => job.NextTransition)
                .Concat(jobsById.Values.OfType<RestoreJobRecord>().Where(job => job.DeletionStatus == "DELETING").Select(test => test.CompletionDate + test.ValidationWindow));
            return transitions.Where(time => time is not null).Min();
        }
    }

    /// <summary>Adds a protected type whose resources live in their own service's store (set up once by LocalCloudState).</summary>
    public void AddKind(IStoreBackedKind kind)
    {
        lock (gate)
        {
            storeBackedKinds.Add(kind);
        }
    }

    /// <summary>
    /// GetRecoveryPointRestoreMetadata: the kind's own metadata for store-backed types; otherwise the resource's
    /// attributes, with the name key set to the backed-up resource's name.
    /// </summary>
    public IReadOnlyDictionary<string, string> RestoreMetadataOf(RecoveryPoint point)
    {
        if (StoreBackedKindOf(point.Source) is { } kind)
        {
            return kind.RestoreMetadata(point.Source);
        }

        if (point.Source.Kind == ResourceKind.AuroraCluster)
        {
            return AuroraClusterSnapshots.RestoreMetadata(point.Source);
        }

        var metadata = new Dictionary<string, string>(point.Source.Attributes, StringComparer.Ordinal);
        if (point.Source.Kind.RestoreNameKey is { } nameKey)
        {
            metadata[nameKey] = point.Source.Name;
        }

        return metadata;
    }

    private IStoreBackedKind? StoreBackedKindOf(CloudResource resource) => storeBackedKinds.FirstOrDefault(kind => kind.Kind == resource.Kind);

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

    private void Emit(BackupJob job, DateTimeOffset time) => Events?.Invoke(BackupEvents.Of(job, time));

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
                // Organization-managed plans come from the organization's policies, which the state file does not keep.
                [.. plansById.Values.Where(plan => plan.OrganizationSource is null).Select(plan => new PlanSnapshot(
                    plan.Id, plan.AccountId, plan.Region, plan.CreationDate, plan.CreatorRequestId, plan.VersionId, plan.Document, plan.LastExecutionDate,
                    [.. plan.Selections.Values.Select(selection => new SelectionSnapshot(selection.Id, selection.Document, selection.CreationDate, selection.CreatorRequestId))]))],
                [.. recoveryPointsByArn.Values.Select(point => new RecoveryPointSnapshot(
                    point.Arn, point.Vault.Arn, CloudResourceSnapshot.Of(point.Source), point.IamRoleArn, point.CreationDate, point.Lifecycle, point.CreatedBy, point.SourceBackupVaultArn, point.LastRestoreTime, point.Continuous, point.LastBackupTime))],
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
                    Continuous = saved.Continuous,
                    LastBackupTime = saved.LastBackupTime ?? saved.CreationDate,
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
    DateTimeOffset? LastRestoreTime,
    bool Continuous = false,
    DateTimeOffset? LastBackupTime = null);

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
