using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>What Invoke-DrValidation restores, against which targets, and where it reports.</summary>
public sealed class DrValidationOptions
{
    /// <summary>The vault holding the recovery points; restores land in that vault's account and region.</summary>
    public string BackupVaultName { get; set; } = "";

    /// <summary>Only recovery points created within this span before now are candidates; the latest per resource is taken.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Backup resource types to validate (RDS, DynamoDB, EBS); null = every type that can be validated.</summary>
    public IReadOnlyCollection<string>? ResourceTypes { get; set; }

    /// <summary>Which source resources to validate; null = all.</summary>
    public Func<string, bool>? ResourceFilter { get; set; }

    public TimeSpan RtoTarget { get; set; } = AchievableRpo.DefaultTarget;

    public TimeSpan RpoTarget { get; set; } = AchievableRpo.DefaultTarget;

    /// <summary>The role Backup restores with; null = the account's service-role/AWSBackupDefaultServiceRole.</summary>
    public string? IamRoleArn { get; set; }

    /// <summary>
    /// Restore metadata that places a restored DB instance (DBSubnetGroupName, VpcSecurityGroupIds as a JSON array),
    /// over what the recovery point's metadata says; null keeps the backed-up instance's placement.
    /// </summary>
    public IReadOnlyDictionary<string, string>? DatabasePlacement { get; set; }

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait for a restore job before it counts as failed (and is cleaned up).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(12);

    /// <summary>CloudWatch namespace for the metrics, put in the restore account and region; null = no metrics.</summary>
    public string? MetricNamespace { get; set; } = "CloudPatterns/DisasterRecovery";

    /// <summary>SNS topic told about each failed validation; null = none.</summary>
    public string? AlertTopicArn { get; set; }

    /// <summary>The user's own check of a restored resource, run where the caller decides (the pipeline thread).</summary>
    public Func<RestoredResource, CancellationToken, Task<EvidenceCheck>>? Validator { get; set; }

    /// <summary>
    /// Validations at once in the vault's account and region. AWS Backup publishes no quota on concurrent restore jobs,
    /// but the services it restores into do (DynamoDB: 50 concurrent restores per account): docs/dr-safety.md.
    /// </summary>
    public int RestoresPerRegion { get; set; } = DefaultRestoresPerRegion;

    public const int DefaultRestoresPerRegion = 10;

    /// <summary>The highest <see cref="RestoresPerRegion"/>: DynamoDB's concurrent-restore quota per account.</summary>
    public const int MaxRestoresPerRegion = 50;

    /// <summary>Validations at once across every vault of the invocation (-ThrottleLimit); null = only the per-region limit.</summary>
    public SemaphoreSlim? RestoreSlots { get; set; }

    /// <summary>The interrupted run this invocation continues (-ResumeRunId); null for a new run.</summary>
    public ResumedRun? Resumed { get; set; }

    /// <summary>Follows each validation so the host can wait for cleanup after a stop; null = not followed.</summary>
    public DrValidationTracker? Tracker { get; set; }

    /// <summary>Told what the run did besides validating (e.g. removing what an interrupted run left); null = not told.</summary>
    public Action<string>? Warn { get; set; }

    public string ToolVersion { get; set; } = typeof(DrValidationOptions).Assembly.GetName().Version?.ToString() ?? "0.0.0";
}

/// <summary>What a restore created, as a validator sees it.</summary>
public sealed class RestoredResource
{
    public string AccountId { get; set; } = "";

    public string Region { get; set; } = "";

    public string ResourceType { get; set; } = "";

    /// <summary>The DB instance identifier, table name or volume id (vol-…).</summary>
    public string Name { get; set; } = "";

    public string? Arn { get; set; }

    public string SourceResourceArn { get; set; } = "";

    public string RecoveryPointArn { get; set; } = "";
}

/// <summary>Where a validation stands, for progress bars.</summary>
public sealed class DrValidationProgress
{
    public DrValidationProgress(string accountId, string region, string resourceArn, string activity, int inFlight)
    {
        InFlight = inFlight;
        AccountId = accountId;
        Region = region;
        ResourceArn = resourceArn;
        Activity = activity;
    }

    public string AccountId { get; }

    public string Region { get; }

    public string ResourceArn { get; }

    public string Activity { get; }

    /// <summary>Validations of the invocation under way (restoring, checking or cleaning up).</summary>
    public int InFlight { get; }
}
