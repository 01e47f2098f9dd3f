using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Identity;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Resources;

namespace CloudPatterns.LocalCloud.Services.Backup;

/// <summary>A recovery point's Lifecycle: days until cold storage and until deletion (either may be unset).</summary>
internal sealed record Lifecycle(long? MoveToColdStorageAfterDays, long? DeleteAfterDays)
{
    public static Lifecycle None { get; } = new(null, null);

    public static Lifecycle From(JsonElement? element) => element is { } value
        ? new Lifecycle(value.GetInt64OrNull("MoveToColdStorageAfterDays"), value.GetInt64OrNull("DeleteAfterDays"))
        : None;

    public JsonObject ToJson()
    {
        var json = new JsonObject();
        if (MoveToColdStorageAfterDays is { } cold)
        {
            json["MoveToColdStorageAfterDays"] = cold;
        }

        if (DeleteAfterDays is { } delete)
        {
            json["DeleteAfterDays"] = delete;
        }

        return json;
    }

    /// <summary>CalculatedLifecycle: the dates the lifecycle gives a recovery point created at <paramref name="created"/>.</summary>
    public JsonObject Calculated(DateTimeOffset created)
    {
        var json = new JsonObject();
        if (MoveToColdStorageAfterDays is { } cold)
        {
            json["MoveToColdStorageAt"] = ResponseBodies.EpochSeconds(created.AddDays(cold));
        }

        if (DeleteAfterDays is { } delete)
        {
            json["DeleteAt"] = ResponseBodies.EpochSeconds(created.AddDays(delete));
        }

        return json;
    }
}

/// <summary>The plan and rule that started a job or made a recovery point (Backup's RecoveryPointCreator).</summary>
internal sealed record PlanRuleOrigin(string PlanId, string PlanArn, string PlanName, string PlanVersion, string RuleId, string RuleName, string ScheduleExpression, string? Timezone)
{
    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["BackupPlanId"] = PlanId,
            ["BackupPlanArn"] = PlanArn,
            ["BackupPlanName"] = PlanName,
            ["BackupPlanVersion"] = PlanVersion,
            ["BackupRuleId"] = RuleId,
            ["BackupRuleName"] = RuleName,
            ["BackupRuleCron"] = ScheduleExpression,
        };
        if (Timezone is not null)
        {
            json["BackupRuleTimezone"] = Timezone;
        }

        return json;
    }
}

/// <summary>
/// A vault's lock. Without ChangeableForDays it is in governance mode (removable at any time); with it, it is in
/// compliance mode and becomes immutable at <see cref="LockDate"/>.
/// </summary>
internal sealed record VaultLock(long? MinRetentionDays, long? MaxRetentionDays, DateTimeOffset? LockDate)
{
    public bool IsImmutable(DateTimeOffset now) => LockDate is { } date && date <= now;

    /// <summary>Whether a recovery point kept for <paramref name="lifecycle"/> may enter the locked vault.</summary>
    public bool Admits(Lifecycle lifecycle) =>
        (MinRetentionDays is not { } min || lifecycle.DeleteAfterDays is not { } days || days >= min)
        && (MaxRetentionDays is not { } max || lifecycle.DeleteAfterDays is { } kept && kept <= max);
}

/// <summary>The SNS topic and events of a vault's notification configuration.</summary>
internal sealed record VaultNotifications(string TopicArn, IReadOnlyList<string> Events);

/// <summary>A backup vault. Mutable members change only under <see cref="BackupStore"/>'s lock.</summary>
internal sealed class BackupVault(string accountId, string region, string name, string encryptionKeyArn, DateTimeOffset creationDate, string? creatorRequestId)
{
    public string AccountId { get; } = accountId;

    public string Region { get; } = region;

    public string Name { get; } = name;

    public string Arn => ArnOf(Region, AccountId, Name);

    public string EncryptionKeyArn { get; } = encryptionKeyArn;

    public DateTimeOffset CreationDate { get; } = creationDate;

    public string? CreatorRequestId { get; } = creatorRequestId;

    public string? AccessPolicyDocument { get; set; }

    public PolicyDocument? AccessPolicy { get; set; }

    public VaultLock? Lock { get; set; }

    public VaultNotifications? Notifications { get; set; }

    public static string ArnOf(string region, string accountId, string name) => $"arn:aws:backup:{region}:{accountId}:backup-vault:{name}";

    /// <summary>Splits a backup vault ARN into region, account and name; null when it is not one.</summary>
    public static (string Region, string AccountId, string Name)? ParseArn(string arn) =>
        arn.Split(':') is ["arn", "aws", "backup", var region, var account, "backup-vault", var name] ? (region, account, name) : null;
}

/// <summary>A recovery point: a backup of one resource, held in one vault.</summary>
internal sealed class RecoveryPoint(string arn, BackupVault vault, CloudResource source, string iamRoleArn, DateTimeOffset creationDate, Lifecycle lifecycle)
{
    public string Arn { get; } = arn;

    public BackupVault Vault { get; } = vault;

    /// <summary>
    /// The protected resource as it was when backed up (restores re-create it from this); a continuous point's is the
    /// capture of its rule's latest run.
    /// </summary>
    public CloudResource Source { get; set; } = source;

    public string IamRoleArn { get; } = iamRoleArn;

    public DateTimeOffset CreationDate { get; } = creationDate;

    public Lifecycle Lifecycle { get; set; } = lifecycle;

    public PlanRuleOrigin? CreatedBy { get; init; }

    /// <summary>For copies: the vault the recovery point was copied from.</summary>
    public string? SourceBackupVaultArn { get; init; }

    public DateTimeOffset? LastRestoreTime { get; set; }

    /// <summary>
    /// A continuous (point-in-time) recovery point: one per resource and vault, updated by every run of its rule; it
    /// can be restored to any second of its window (docs/localcloud-backup.md, "Continuous backup").
    /// </summary>
    public bool Continuous { get; init; }

    /// <summary>When a continuous recovery point's rule last ran (its CompletionDate); the creation date for a snapshot.</summary>
    public DateTimeOffset LastBackupTime { get; set; } = creationDate;

    /// <summary>A continuous recovery point's window rolls (retention counts back from now); it is never deleted whole.</summary>
    public DateTimeOffset? DeleteAt => Continuous ? null : Lifecycle.DeleteAfterDays is { } days ? CreationDate.AddDays(days) : null;

    /// <summary>How far behind the present the latest restorable time of a continuous backup stays (RDS ships its logs every 5 minutes).</summary>
    public static readonly TimeSpan ContinuousLag = TimeSpan.FromMinutes(5);

    /// <summary>The window a continuous recovery point restores to now: from the later of its creation and now minus its retention, to now minus the lag.</summary>
    public (DateTimeOffset Earliest, DateTimeOffset Latest) RestoreWindow(DateTimeOffset now)
    {
        var earliest = Lifecycle.DeleteAfterDays is { } days && now.AddDays(-days) > CreationDate ? now.AddDays(-days) : CreationDate;
        var latest = now - ContinuousLag;
        return (earliest, latest < earliest ? earliest : latest);
    }

    /// <summary>The ARN of a continuous recovery point: AWS names them recovery-point:continuous:&lt;resource id&gt;-&lt;suffix&gt;.</summary>
    public static string NewContinuousArn(string region, string accountId, string resourceName) =>
        $"arn:aws:backup:{region}:{accountId}:recovery-point:continuous:{resourceName}-{Guid.NewGuid().ToString("N")[..8]}";

    public static string NewArn(string region, string accountId) => $"arn:aws:backup:{region}:{accountId}:recovery-point:{Guid.NewGuid().ToString().ToUpperInvariant()}";

    /// <summary>
    /// The ARN of the recovery point a backup (<paramref name="job"/> "job") or copy ("copyjob") job makes of a resource:
    /// an Aurora cluster's is the cluster snapshot AWS Backup takes, arn:aws:rds:…:cluster-snapshot:awsbackup:job-…
    /// (docs/localcloud-backup-kinds.md, "Aurora clusters"); other kinds get Backup's own recovery-point ARN.
    /// </summary>
    public static string NewArn(string region, string accountId, ResourceKind kind, string job, string jobId) =>
        kind == ResourceKind.AuroraCluster ? $"arn:aws:rds:{region}:{accountId}:cluster-snapshot:awsbackup:{job}-{jobId.ToLowerInvariant()}" : NewArn(region, accountId);
}
