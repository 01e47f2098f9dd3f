using CloudPatterns.LocalCloud.Services.Resources;

namespace CloudPatterns.LocalCloud.Services.Backup;

/// <summary>
/// A protected resource type whose resources live in their own service's store (S3 buckets), not in
/// <see cref="CloudResourceStore"/>: how a backup captures one, how its restore metadata is checked, how a restore
/// re-creates it and how a restore test's copy is removed. One class per type (docs/localcloud-backup-kinds.md).
/// Called under <see cref="BackupStore"/>'s lock; implementations take only their own service's lock.
/// </summary>
internal interface IStoreBackedKind
{
    ResourceKind Kind { get; }

    /// <summary>
    /// The resources of this kind in the account and region as a plan's selection sees them: ARN and tags, nothing
    /// captured (a scheduled run captures the ones its selection picks).
    /// </summary>
    IReadOnlyList<CloudResource> Selectable(string accountId, string region);

    /// <summary>
    /// The resource with this ARN as a backup captures it now, or null when the ARN names none of this kind in the
    /// account and region (before anything is made); throws InvalidParameterValueException for one this kind cannot back up.
    /// </summary>
    CloudResource? Capture(string resourceArn, string accountId, string region, DateTimeOffset now);

    /// <summary>The restore metadata of a recovery point (what GetRecoveryPointRestoreMetadata returns).</summary>
    IReadOnlyDictionary<string, string> RestoreMetadata(CloudResource captured);

    /// <summary>Refuses StartRestoreJob metadata this kind cannot restore with (InvalidParameterValueException).</summary>
    void CheckRestore(CloudResource captured, IReadOnlyDictionary<string, string> metadata);

    /// <summary>Re-creates the captured resource in the job's account and region at the job's end <paramref name="time"/>: the created ARN, or the job's failure.</summary>
    (string? CreatedArn, string? Failure) Restore(CloudResource captured, string accountId, string region, IReadOnlyDictionary<string, string> metadata, bool copySourceTags, DateTimeOffset time);

    /// <summary>Removes what a restore created (the end of a restore test's validation window).</summary>
    void DeleteRestored(string accountId, string createdArn);
}
