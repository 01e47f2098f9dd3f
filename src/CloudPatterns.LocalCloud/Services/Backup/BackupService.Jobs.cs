using System.Globalization;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Backup;

// BackupService: jobs.
internal sealed partial class BackupService
{
    private JsonObject StartBackupJob(Call call)
    {
        var vault = store.GetVault(call.AccountId, call.Region, Required(call.Body.GetStringOrNull("BackupVaultName"), "BackupVaultName"));
        var job = store.StartBackupJob(
            vault,
            Required(call.Body.GetStringOrNull("ResourceArn"), "ResourceArn"),
            PassedRole(call, Required(call.Body.GetStringOrNull("IamRoleArn"), "IamRoleArn")),
            Lifecycle.From(call.Body.GetObjectOrNull("Lifecycle")),
            call.Now);
        return new JsonObject
        {
            ["BackupJobId"] = job.Id,
            ["RecoveryPointArn"] = job.RecoveryPointArn,
            ["CreationDate"] = Epoch(job.CreationDate),
            ["IsParent"] = false,
        };
    }

    private JsonObject StartCopyJob(Call call)
    {
        var sourceVault = store.GetVault(call.AccountId, call.Region, Required(call.Body.GetStringOrNull("SourceBackupVaultName"), "SourceBackupVaultName"));
        var source = store.GetRecoveryPoint(sourceVault, Required(call.Body.GetStringOrNull("RecoveryPointArn"), "RecoveryPointArn"));
        var job = store.StartCopyJob(
            source,
            Required(call.Body.GetStringOrNull("DestinationBackupVaultArn"), "DestinationBackupVaultArn"),
            PassedRole(call, Required(call.Body.GetStringOrNull("IamRoleArn"), "IamRoleArn")),
            Lifecycle.From(call.Body.GetObjectOrNull("Lifecycle")),
            call.Body.GetStringOrNull("IdempotencyToken"),
            call.Now);
        return new JsonObject
        {
            ["CopyJobId"] = job.Id,
            ["CreationDate"] = Epoch(job.CreationDate),
            ["IsParent"] = false,
        };
    }

    private JsonObject StartRestoreJob(Call call)
    {
        var point = store.GetRecoveryPoint(call.AccountId, call.Region, Required(call.Body.GetStringOrNull("RecoveryPointArn"), "RecoveryPointArn"));
        if (call.Body.GetObjectOrNull("Metadata") is null)
        {
            throw BackupErrors.MissingParameterValue("Metadata");
        }

        var job = store.StartRestoreJob(
            point,
            PassedRole(call, call.Body.GetStringOrNull("IamRoleArn") ?? point.IamRoleArn),
            call.Body.GetStringMapOrEmpty("Metadata"),
            call.Body.GetBooleanOrNull("CopySourceTagsToRestoredResource") ?? false,
            call.Body.GetStringOrNull("IdempotencyToken"),
            call.Now);
        return new JsonObject { ["RestoreJobId"] = job.Id };
    }

    private JsonObject ListBackupJobs(Call call)
    {
        var jobs = Jobs<BackupJobRecord>(call, "state", BackupState)
            .Where(job => call.Query("resourceArn") is not { } arn || job.Resource.Arn == arn)
            .Where(job => call.Query("backupVaultName") is not { } vault || job.Vault.Name == vault)
            .Where(job => call.Query("resourceType") is not { } type || job.Resource.Kind.BackupResourceType == type)
            .ToList();
        return Page(call, "BackupJobs", jobs, BackupJobJson);
    }

    private JsonObject ListCopyJobs(Call call)
    {
        var jobs = Jobs<CopyJobRecord>(call, "state", BackupState)
            .Where(job => call.Query("resourceArn") is not { } arn || job.Source.Source.Arn == arn)
            .Where(job => call.Query("destinationVaultArn") is not { } destination || job.DestinationVaultArn == destination)
            .Where(job => call.Query("sourceRecoveryPointArn") is not { } source || job.Source.Arn == source)
            .ToList();
        return Page(call, "CopyJobs", jobs, CopyJobJson);
    }

    private JsonObject? PutRestoreValidationResult(Call call)
    {
        var job = store.GetJob<RestoreJobRecord>(call.AccountId, call.Region, call.Path("restoreJobId"));
        var status = Required(call.Body.GetStringOrNull("ValidationStatus"), "ValidationStatus");
        if (status is not ("FAILED" or "SUCCESSFUL" or "TIMED_OUT" or "VALIDATING"))
        {
            throw BackupErrors.InvalidParameterValue($"Invalid ValidationStatus {status}: expected FAILED, SUCCESSFUL, TIMED_OUT or VALIDATING.");
        }

        store.PutRestoreValidationResult(job, status, call.Body.GetStringOrNull("ValidationStatusMessage"), call.Now);
        return null;
    }

    /// <summary>
    /// The jobs of a kind that the List*Jobs filters every kind shares select: account (the management account may
    /// name any account of the organization, or * for all of them), state, creation and completion times.
    /// </summary>
    private IEnumerable<TJob> Jobs<TJob>(Call call, string stateParameter, Func<JobPhase, string> stateName)
        where TJob : BackupJob
    {
        var account = call.Query("accountId") ?? call.AccountId;
        if (account != call.AccountId && call.AccountId != store.ManagementAccountId)
        {
            // (inferred) Only the management account monitors other accounts' jobs; a member sees none of theirs.
            return [];
        }

        var createdAfter = Time(call, "createdAfter");
        var createdBefore = Time(call, "createdBefore");
        var completeAfter = Time(call, "completeAfter");
        var completeBefore = Time(call, "completeBefore");
        return store.ListJobs<TJob>(account == "*" ? null : account, call.Region)
            .Where(job => call.Query(stateParameter) is not { } state || stateName(job.Phase) == state)
            .Where(job => (createdAfter is null || job.CreationDate > createdAfter) && (createdBefore is null || job.CreationDate < createdBefore))
            .Where(job => (completeAfter is null || job.CompletionDate > completeAfter) && (completeBefore is null || job.CompletionDate < completeBefore));
    }

    /// <summary>A timestamp query parameter: ISO 8601 as botocore sends it, or epoch seconds.</summary>
    private static DateTimeOffset? Time(Call call, string name) => call.Query(name) switch
    {
        null => null,
        var text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) => DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000)),
        var text when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) => time,
        var text => throw BackupErrors.InvalidParameterValue($"Invalid timestamp '{text}' for {name}."),
    };

    private static string BackupState(JobPhase phase) => phase.ToString().ToUpperInvariant();

    private static string RestoreStatus(JobPhase phase) => phase == JobPhase.Created ? "PENDING" : BackupState(phase);

    private static JsonObject BackupJobJson(BackupJobRecord job) => new()
    {
        ["AccountId"] = job.AccountId,
        ["BackupJobId"] = job.Id,
        ["BackupVaultName"] = job.Vault.Name,
        ["BackupVaultArn"] = job.Vault.Arn,
        ["VaultType"] = "BACKUP_VAULT",
        ["RecoveryPointArn"] = job.RecoveryPointArn,
        ["RecoveryPointLifecycle"] = job.Lifecycle.ToJson(),
        ["EncryptionKeyArn"] = job.Vault.EncryptionKeyArn,
        ["IsEncrypted"] = true,
        ["ResourceArn"] = job.Resource.Arn,
        ["CreationDate"] = Epoch(job.CreationDate),
        ["CompletionDate"] = Epoch(job.CompletionDate),
        ["State"] = BackupState(job.Phase),
        ["StatusMessage"] = job.StatusMessage,
        ["PercentDone"] = job.Phase == JobPhase.Completed ? "100.0" : "0.0",
        ["BackupSizeInBytes"] = 0,
        ["IamRoleArn"] = job.IamRoleArn,
        ["CreatedBy"] = job.CreatedBy?.ToJson(),
        ["ResourceType"] = job.Resource.Kind.BackupResourceType,
        ["ResourceName"] = job.Resource.Name,
        ["StartBy"] = Epoch(job.CreationDate.AddHours(8)),
        ["ExpectedCompletionDate"] = Epoch(job.StartDate + job.Timing.Running),
        ["InitiationDate"] = Epoch(job.CreationDate),
        ["BackupType"] = "",
        ["IsParent"] = false,
    };

    private static JsonObject CopyJobJson(CopyJobRecord job) => new()
    {
        ["AccountId"] = job.AccountId,
        ["CopyJobId"] = job.Id,
        ["SourceBackupVaultArn"] = job.Source.Vault.Arn,
        ["SourceRecoveryPointArn"] = job.Source.Arn,
        ["DestinationBackupVaultArn"] = job.DestinationVaultArn,
        ["DestinationRecoveryPointArn"] = job.DestinationRecoveryPointArn,
        ["DestinationRecoveryPointLifecycle"] = job.Lifecycle.ToJson(),
        ["ResourceArn"] = job.Source.Source.Arn,
        ["CreationDate"] = Epoch(job.CreationDate),
        ["CompletionDate"] = Epoch(job.CompletionDate),
        ["State"] = BackupState(job.Phase),
        ["StatusMessage"] = job.StatusMessage,
        ["BackupSizeInBytes"] = 0,
        ["IamRoleArn"] = job.IamRoleArn,
        ["CreatedBy"] = job.CreatedBy?.ToJson(),
        ["CreatedByBackupJobId"] = job.CreatedByBackupJobId,
        ["ResourceType"] = job.Source.Source.Kind.BackupResourceType,
        ["ResourceName"] = job.Source.Source.Name,
        ["IsParent"] = false,
    };

    private static JsonObject RestoreJobJson(RestoreJobRecord job) => new()
    {
        ["AccountId"] = job.AccountId,
        ["RestoreJobId"] = job.Id,
        ["RecoveryPointArn"] = job.RecoveryPoint.Arn,
        ["SourceResourceArn"] = job.RecoveryPoint.Source.Arn,
        ["BackupVaultArn"] = job.RecoveryPoint.Vault.Arn,
        ["CreationDate"] = Epoch(job.CreationDate),
        ["CompletionDate"] = Epoch(job.CompletionDate),
        ["Status"] = RestoreStatus(job.Phase),
        ["StatusMessage"] = job.StatusMessage,
        ["PercentDone"] = job.Phase == JobPhase.Completed ? "100.0" : "0.0",
        ["BackupSizeInBytes"] = 0,
        ["IamRoleArn"] = job.IamRoleArn,
        ["ExpectedCompletionTimeMinutes"] = (long)(job.Timing.Queued + job.Timing.Running).TotalMinutes,
        ["CreatedResourceArn"] = job.CreatedResourceArn,
        ["ResourceType"] = job.RecoveryPoint.Source.Kind.BackupResourceType,
        ["RecoveryPointCreationDate"] = Epoch(job.RecoveryPoint.CreationDate),
        ["CreatedBy"] = job.RestoreTestingPlanArn is { } testingPlan ? new JsonObject { ["RestoreTestingPlanArn"] = testingPlan } : null,
        ["ValidationStatus"] = job.ValidationStatus,
        ["ValidationStatusMessage"] = job.ValidationStatusMessage,
        ["DeletionStatus"] = job.DeletionStatus,
        ["IsParent"] = false,
    };

    /// <summary>Handing AWS Backup a role needs iam:PassRole on it (iam:PassedToService backup.amazonaws.com).</summary>
    private static string PassedRole(Call call, string roleArn)
    {
        call.Request.Demand("backup", "iam:PassRole", roleArn);
        return roleArn;
    }
}
