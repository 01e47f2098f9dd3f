using System.Globalization;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Services.Events;

namespace CloudPatterns.LocalCloud.Services.Backup;

/// <summary>
/// AWS Backup's job state-change events on EventBridge (source aws.backup; "Backup Job State Change", "Copy Job State
/// Change", "Restore Job State Change"), with the detail fields of AWS's examples (docs/localcloud-events.md, "AWS
/// Backup events"): a CREATED event when the job is made, then RUNNING, then COMPLETED or FAILED, each at its
/// simulated time, on the default bus of the job's account and region.
/// </summary>
internal static class BackupEvents
{
    private const string Source = "aws.backup";

    public static ServiceEvent Of(BackupJob job, DateTimeOffset time) => job switch
    {
        BackupJobRecord backup => new(job.AccountId, job.Region, Source, "Backup Job State Change", backup.Phase == JobPhase.Completed ? [backup.RecoveryPointArn] : [], BackupDetail(backup), time),
        CopyJobRecord copy => new(job.AccountId, job.Region, Source, "Copy Job State Change", [copy.Source.Arn], CopyDetail(copy), time),
        RestoreJobRecord restore => new(job.AccountId, job.Region, Source, "Restore Job State Change", [restore.RecoveryPoint.Arn], RestoreDetail(restore), time),
        _ => throw new InvalidOperationException($"Unknown job type {job.GetType().Name}."),
    };

    private static JsonObject BackupDetail(BackupJobRecord job)
    {
        if (job.Phase == JobPhase.Created)
        {
            return new JsonObject { ["backupJobId"] = job.Id, ["state"] = "CREATED", ["creationDate"] = Time(job.CreationDate) };
        }

        var detail = new JsonObject
        {
            ["backupJobId"] = job.Id,
            ["backupSizeInBytes"] = "0",
            ["backupVaultArn"] = job.Vault.Arn,
            ["backupVaultName"] = job.Vault.Name,
            ["bytesTransferred"] = "0",
            ["creationDate"] = Time(job.CreationDate),
            ["iamRoleArn"] = job.IamRoleArn,
            ["resourceArn"] = job.Resource.Arn,
            ["resourceType"] = job.Resource.Kind.BackupResourceType,
            ["state"] = State(job.Phase),
        };
        Outcome(detail, job);
        detail["startBy"] = Time(job.CreationDate.AddHours(8));
        detail["percentDone"] = job.Phase == JobPhase.Completed ? 100 : 0;
        AddCreatedBy(detail, job.CreatedBy);
        return detail;
    }

    private static JsonObject CopyDetail(CopyJobRecord job)
    {
        if (job.Phase == JobPhase.Created)
        {
            return new JsonObject
            {
                ["creationDate"] = Time(job.CreationDate),
                ["state"] = "CREATED",
                ["sourceBackupVaultArn"] = job.Source.Vault.Arn,
                ["destinationBackupVaultArn"] = job.DestinationVaultArn,
            };
        }

        var detail = new JsonObject
        {
            ["copyJobId"] = job.Id,
            ["backupSizeInBytes"] = 0,
            ["creationDate"] = Time(job.CreationDate),
            ["iamRoleArn"] = job.IamRoleArn,
            ["resourceArn"] = job.Source.Source.Arn,
            ["resourceType"] = job.Source.Source.Kind.BackupResourceType,
            ["sourceBackupVaultArn"] = job.Source.Vault.Arn,
            ["state"] = State(job.Phase),
        };
        Outcome(detail, job);
        detail["destinationBackupVaultArn"] = job.DestinationVaultArn;
        // AWS writes an empty object until the copy exists.
        detail["destinationRecoveryPointArn"] = job.DestinationRecoveryPointArn is { } arn ? arn : new JsonObject();
        AddCreatedBy(detail, job.CreatedBy);
        return detail;
    }

    private static JsonObject RestoreDetail(RestoreJobRecord job)
    {
        if (job.Phase == JobPhase.Created)
        {
            // AWS's CREATED restore event says "state"; the later ones say "status", as DescribeRestoreJob does.
            return new JsonObject { ["restoreJobId"] = job.Id, ["creationDate"] = Time(job.CreationDate), ["state"] = "CREATED" };
        }

        var detail = new JsonObject
        {
            ["restoreJobId"] = job.Id,
            ["backupVaultArn"] = job.RecoveryPoint.Vault.Arn,
            ["recoveryPointArn"] = job.RecoveryPoint.Arn,
            ["sourceResourceArn"] = job.RecoveryPoint.Source.Arn,
            ["backupSizeInBytes"] = "0",
            ["creationDate"] = Time(job.CreationDate),
            ["iamRoleArn"] = job.IamRoleArn,
            ["percentDone"] = job.Phase == JobPhase.Completed ? 100 : 0,
            ["resourceType"] = job.RecoveryPoint.Source.Kind.BackupResourceType,
            ["status"] = State(job.Phase),
        };
        if (job.CreatedResourceArn is { } created)
        {
            detail["createdResourceArn"] = created;
        }

        Outcome(detail, job);
        if (job.RestoreTestingPlanArn is { } plan)
        {
            detail["restoreTestingPlanArn"] = plan;
        }

        return detail;
    }

    /// <summary>statusMessage on failure, completionDate once finished.</summary>
    private static void Outcome(JsonObject detail, BackupJob job)
    {
        if (job.StatusMessage is { } message)
        {
            detail["statusMessage"] = message;
        }

        if (job.CompletionDate is { } completed)
        {
            detail["completionDate"] = Time(completed);
        }
    }

    private static void AddCreatedBy(JsonObject detail, PlanRuleOrigin? origin)
    {
        if (origin is not null)
        {
            detail["createdBy"] = new JsonObject
            {
                ["backupPlanId"] = origin.PlanId,
                ["backupPlanArn"] = origin.PlanArn,
                ["backupPlanVersion"] = origin.PlanVersion,
                ["backupPlanRuleId"] = origin.RuleId,
            };
        }
    }

    private static string State(JobPhase phase) => phase.ToString().ToUpperInvariant();

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
