using CloudPatterns.LocalCloud.Services.Resources;

namespace CloudPatterns.LocalCloud.Services.Backup;

/// <summary>The kinds of Backup job, for their timings (set through the admin API).</summary>
internal enum BackupJobKind
{
    Backup,
    Copy,
    Restore,
}

/// <summary>How long a job waits before it runs, and how long it runs, in simulated time.</summary>
internal sealed record JobTiming(TimeSpan Queued, TimeSpan Running)
{
    public static JobTiming Default { get; } = new(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5));
}

/// <summary>Where a job is in its life. Each job kind names these states as its API does.</summary>
internal enum JobPhase
{
    Created,
    Running,
    Completed,
    Failed,
}

/// <summary>
/// What every Backup job shares: identity, owner, timing on the simulated clock and outcome. Mutable members
/// change only under <see cref="BackupStore"/>'s lock.
/// </summary>
internal abstract class BackupJob(string id, string accountId, string region, string iamRoleArn, DateTimeOffset creationDate, JobTiming timing)
{
    public string Id { get; } = id;

    public string AccountId { get; } = accountId;

    public string Region { get; } = region;

    public string IamRoleArn { get; } = iamRoleArn;

    public DateTimeOffset CreationDate { get; } = creationDate;

    public JobTiming Timing { get; } = timing;

    public JobPhase Phase { get; private set; } = JobPhase.Created;

    public DateTimeOffset? CompletionDate { get; private set; }

    public string? StatusMessage { get; private set; }

    public DateTimeOffset StartDate => CreationDate + Timing.Queued;

    /// <summary>When the job next changes state; null once it has finished.</summary>
    public DateTimeOffset? NextTransition => Phase switch
    {
        JobPhase.Created => StartDate,
        JobPhase.Running => StartDate + Timing.Running,
        _ => null,
    };

    public void Start() => Phase = JobPhase.Running;

    public void Finish(DateTimeOffset time, string? failure)
    {
        Phase = failure is null ? JobPhase.Completed : JobPhase.Failed;
        StatusMessage = failure;
        CompletionDate = time;
    }
}

internal sealed class BackupJobRecord(string id, BackupVault vault, CloudResource resource, string iamRoleArn, DateTimeOffset creationDate, JobTiming timing, Lifecycle lifecycle)
    : BackupJob(id, vault.AccountId, vault.Region, iamRoleArn, creationDate, timing)
{
    public BackupVault Vault { get; } = vault;

    public CloudResource Resource { get; } = resource;

    public Lifecycle Lifecycle { get; } = lifecycle;

    /// <summary>The ARN the recovery point gets; StartBackupJob returns it before the job has run.</summary>
    public string RecoveryPointArn { get; init; } = RecoveryPoint.NewArn(vault.Region, vault.AccountId, resource.Kind, "job", id);

    /// <summary>A continuous backup: creates the resource's continuous recovery point, or brings it up to date.</summary>
    public bool Continuous { get; init; }

    public PlanRuleOrigin? CreatedBy { get; init; }

    /// <summary>The copy actions of the plan rule that started the job; they run when it completes.</summary>
    public IReadOnlyList<CopyAction> CopyActions { get; init; } = [];

    /// <summary>Why a plan's run could not capture the selected resource (an unversioned bucket): the job fails with it.</summary>
    public string? CaptureFailure { get; init; }
}

internal sealed class CopyJobRecord(string id, RecoveryPoint source, string destinationVaultArn, string iamRoleArn, DateTimeOffset creationDate, JobTiming timing, Lifecycle lifecycle)
    : BackupJob(id, source.Vault.AccountId, source.Vault.Region, iamRoleArn, creationDate, timing)
{
    public RecoveryPoint Source { get; } = source;

    public string DestinationVaultArn { get; } = destinationVaultArn;

    public Lifecycle Lifecycle { get; } = lifecycle;

    public string? DestinationRecoveryPointArn { get; set; }

    public PlanRuleOrigin? CreatedBy { get; init; }

    public string? CreatedByBackupJobId { get; init; }
}

internal sealed class RestoreJobRecord(string id, RecoveryPoint recoveryPoint, string iamRoleArn, DateTimeOffset creationDate, JobTiming timing, IReadOnlyDictionary<string, string> metadata, bool copySourceTags)
    : BackupJob(id, recoveryPoint.Vault.AccountId, recoveryPoint.Vault.Region, iamRoleArn, creationDate, timing)
{
    public RecoveryPoint RecoveryPoint { get; } = recoveryPoint;

    public IReadOnlyDictionary<string, string> Metadata { get; } = metadata;

    public bool CopySourceTags { get; } = copySourceTags;

    public string? CreatedResourceArn { get; set; }

    /// <summary>The restore testing plan that started the job; its restored resource is deleted after the validation window.</summary>
    public string? RestoreTestingPlanArn { get; init; }

    public TimeSpan ValidationWindow { get; init; }

    /// <summary>For restore tests: DELETING until the restored resource is deleted, then SUCCESSFUL.</summary>
    public string? DeletionStatus { get; set; }

    public string? ValidationStatus { get; set; }

    public string? ValidationStatusMessage { get; set; }
}
