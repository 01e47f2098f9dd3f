using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Backup;

/// <summary>
/// AWS Backup (REST-JSON, 2018-11-15): vaults with access policies, locks and notifications; plans and selections;
/// global settings; backup, copy and restore jobs on the simulated clock; recovery points; restore testing. Shapes
/// follow the botocore model; every operation runs on a settled state (<see cref="BackupStore.Run{T}"/>).
/// </summary>
internal sealed partial class BackupService : RestJsonService
{
    private const int MaxPageSize = 1000;
    private readonly BackupStore store;
    private readonly TimeProvider clock;

    public BackupService(BackupStore store, TimeProvider clock)
        : base("backup", "ThrottlingException")
    {
        this.store = store;
        this.clock = clock;

        Add("DescribeGlobalSettings", false, "GET", "/global-settings", DescribeGlobalSettings);
        Add("UpdateGlobalSettings", true, "PUT", "/global-settings", UpdateGlobalSettings);

        Add("CreateBackupVault", true, "PUT", "/backup-vaults/{backupVaultName}", CreateBackupVault);
        Add("DescribeBackupVault", false, "GET", "/backup-vaults/{backupVaultName}", call => DescribeVault(Vault(call)));
        Add("ListBackupVaults", false, "GET", "/backup-vaults", call => Page(call, "BackupVaultList", store.ListVaults(call.AccountId, call.Region), DescribeVault));
        Add("DeleteBackupVault", true, "DELETE", "/backup-vaults/{backupVaultName}", call => Done(() => store.DeleteVault(Vault(call))));
        Add("PutBackupVaultAccessPolicy", true, "PUT", "/backup-vaults/{backupVaultName}/access-policy", call => Done(() => store.SetAccessPolicy(Vault(call), Required(call.Body.GetStringOrNull("Policy"), "Policy"))));
        Add("GetBackupVaultAccessPolicy", false, "GET", "/backup-vaults/{backupVaultName}/access-policy", GetBackupVaultAccessPolicy);
        Add("DeleteBackupVaultAccessPolicy", true, "DELETE", "/backup-vaults/{backupVaultName}/access-policy", call => Done(() => store.SetAccessPolicy(Vault(call), null)));
        Add("PutBackupVaultLockConfiguration", true, "PUT", "/backup-vaults/{backupVaultName}/vault-lock", call => Done(() => store.SetLock(
            Vault(call), call.Body.GetInt64OrNull("MinRetentionDays"), call.Body.GetInt64OrNull("MaxRetentionDays"), call.Body.GetInt64OrNull("ChangeableForDays"), call.Now)));
        Add("DeleteBackupVaultLockConfiguration", true, "DELETE", "/backup-vaults/{backupVaultName}/vault-lock", call => Done(() => store.DeleteLock(Vault(call), call.Now)));
        Add("PutBackupVaultNotifications", true, "PUT", "/backup-vaults/{backupVaultName}/notification-configuration", call => Done(() => store.SetNotifications(
            Vault(call),
            new VaultNotifications(Required(call.Body.GetStringOrNull("SNSTopicArn"), "SNSTopicArn"), call.Body.GetStringsOrEmpty("BackupVaultEvents")))));
        Add("GetBackupVaultNotifications", false, "GET", "/backup-vaults/{backupVaultName}/notification-configuration", GetBackupVaultNotifications);
        Add("DeleteBackupVaultNotifications", true, "DELETE", "/backup-vaults/{backupVaultName}/notification-configuration", call => Done(() => store.SetNotifications(Vault(call), null)));

        Add("CreateBackupPlan", true, "PUT", "/backup/plans", CreateBackupPlan);
        Add("GetBackupPlan", false, "GET", "/backup/plans/{backupPlanId}", GetBackupPlan);
        Add("ListBackupPlans", false, "GET", "/backup/plans", call => Page(call, "BackupPlansList", store.ListPlans(call.AccountId, call.Region), PlanSummary));
        Add("UpdateBackupPlan", true, "POST", "/backup/plans/{backupPlanId}", UpdateBackupPlan);
        Add("DeleteBackupPlan", true, "DELETE", "/backup/plans/{backupPlanId}", DeleteBackupPlan);
        Add("CreateBackupSelection", true, "PUT", "/backup/plans/{backupPlanId}/selections", CreateBackupSelection);
        Add("GetBackupSelection", false, "GET", "/backup/plans/{backupPlanId}/selections/{selectionId}", GetBackupSelection);
        Add("ListBackupSelections", false, "GET", "/backup/plans/{backupPlanId}/selections", ListBackupSelections);
        Add("DeleteBackupSelection", true, "DELETE", "/backup/plans/{backupPlanId}/selections/{selectionId}", call =>
        {
            var plan = Plan(call);
            return Done(() => store.DeleteSelection(plan, store.GetSelection(plan, call.Path("selectionId"))));
        });

        Add("StartBackupJob", true, "PUT", "/backup-jobs", StartBackupJob);
        Add("DescribeBackupJob", false, "GET", "/backup-jobs/{backupJobId}", call => BackupJobJson(store.GetJob<BackupJobRecord>(call.AccountId, call.Region, call.Path("backupJobId"))));
        Add("ListBackupJobs", false, "GET", "/backup-jobs", ListBackupJobs);
        Add("StartCopyJob", true, "PUT", "/copy-jobs", StartCopyJob);
        Add("DescribeCopyJob", false, "GET", "/copy-jobs/{copyJobId}", call => new JsonObject { ["CopyJob"] = CopyJobJson(store.GetJob<CopyJobRecord>(call.AccountId, call.Region, call.Path("copyJobId"))) });
        Add("ListCopyJobs", false, "GET", "/copy-jobs", ListCopyJobs);
        Add("StartRestoreJob", true, "PUT", "/restore-jobs", StartRestoreJob);
        Add("DescribeRestoreJob", false, "GET", "/restore-jobs/{restoreJobId}", call => RestoreJobJson(store.GetJob<RestoreJobRecord>(call.AccountId, call.Region, call.Path("restoreJobId"))));
        Add("ListRestoreJobs", false, "GET", "/restore-jobs", call => Page(
            call,
            "RestoreJobs",
            Jobs<RestoreJobRecord>(call, "status", RestoreStatus).Where(job => call.Query("restoreTestingPlanArn") is not { } plan || job.RestoreTestingPlanArn == plan).ToList(),
            RestoreJobJson));
        Add("ListRestoreJobsByProtectedResource", false, "GET", "/resources/{resourceArn}/restore-jobs", call => Page(
            call,
            "RestoreJobs",
            Jobs<RestoreJobRecord>(call, "status", RestoreStatus).Where(job => job.RecoveryPoint.Source.Arn == call.Path("resourceArn")).ToList(),
            RestoreJobJson));
        Add("PutRestoreValidationResult", true, "PUT", "/restore-jobs/{restoreJobId}/validations", PutRestoreValidationResult, status: 204);

        Add("ListRecoveryPointsByBackupVault", false, "GET", "/backup-vaults/{backupVaultName}/recovery-points", ListRecoveryPointsByBackupVault);
        Add("ListRecoveryPointsByResource", false, "GET", "/resources/{resourceArn}/recovery-points", call => Page(
            call, "RecoveryPoints", store.RecoveryPointsOf(call.AccountId, call.Region).Where(point => point.Source.Arn == call.Path("resourceArn")).ToList(), RecoveryPointByResourceJson));
        Add("DescribeRecoveryPoint", false, "GET", "/backup-vaults/{backupVaultName}/recovery-points/{recoveryPointArn}", call =>
        {
            var description = RecoveryPointJson(RecoveryPoint(call));
            description["StorageClass"] = "WARM";
            return description;
        });
        Add("DeleteRecoveryPoint", true, "DELETE", "/backup-vaults/{backupVaultName}/recovery-points/{recoveryPointArn}", call => Done(() => store.DeleteRecoveryPoint(RecoveryPoint(call))));
        Add("UpdateRecoveryPointLifecycle", true, "POST", "/backup-vaults/{backupVaultName}/recovery-points/{recoveryPointArn}", UpdateRecoveryPointLifecycle);
        Add("GetRecoveryPointRestoreMetadata", false, "GET", "/backup-vaults/{backupVaultName}/recovery-points/{recoveryPointArn}/restore-metadata", GetRecoveryPointRestoreMetadata);
        Add("ListProtectedResources", false, "GET", "/resources", ListProtectedResources);

        Add("CreateRestoreTestingPlan", true, "PUT", "/restore-testing/plans", CreateRestoreTestingPlan, status: 201);
        Add("GetRestoreTestingPlan", false, "GET", "/restore-testing/plans/{RestoreTestingPlanName}", call => new JsonObject { ["RestoreTestingPlan"] = RestoreTestingPlanJson(RestoreTestingPlan(call), full: true) });
        Add("ListRestoreTestingPlans", false, "GET", "/restore-testing/plans", call => Page(
            call, "RestoreTestingPlans", store.ListRestoreTestingPlans(call.AccountId, call.Region), plan => RestoreTestingPlanJson(plan, full: false), "MaxResults", "NextToken"));
        Add("UpdateRestoreTestingPlan", true, "PUT", "/restore-testing/plans/{RestoreTestingPlanName}", UpdateRestoreTestingPlan);
        Add("DeleteRestoreTestingPlan", true, "DELETE", "/restore-testing/plans/{RestoreTestingPlanName}", call => Done(() => store.DeleteRestoreTestingPlan(RestoreTestingPlan(call))), status: 204);
        Add("CreateRestoreTestingSelection", true, "PUT", "/restore-testing/plans/{RestoreTestingPlanName}/selections", CreateRestoreTestingSelection, status: 201);
        Add("GetRestoreTestingSelection", false, "GET", "/restore-testing/plans/{RestoreTestingPlanName}/selections/{RestoreTestingSelectionName}", call =>
        {
            var plan = RestoreTestingPlan(call);
            return new JsonObject { ["RestoreTestingSelection"] = RestoreTestingSelectionJson(plan, store.GetRestoreTestingSelection(plan, call.Path("RestoreTestingSelectionName")), full: true) };
        });
        Add("ListRestoreTestingSelections", false, "GET", "/restore-testing/plans/{RestoreTestingPlanName}/selections", call =>
        {
            var plan = RestoreTestingPlan(call);
            return Page(call, "RestoreTestingSelections", plan.Selections.Values.OrderBy(selection => selection.CreationTime).ToList(), selection => RestoreTestingSelectionJson(plan, selection, full: false), "MaxResults", "NextToken");
        });
        Add("UpdateRestoreTestingSelection", true, "PUT", "/restore-testing/plans/{RestoreTestingPlanName}/selections/{RestoreTestingSelectionName}", UpdateRestoreTestingSelection);
        Add("DeleteRestoreTestingSelection", true, "DELETE", "/restore-testing/plans/{RestoreTestingPlanName}/selections/{RestoreTestingSelectionName}", call =>
        {
            var plan = RestoreTestingPlan(call);
            return Done(() => store.DeleteRestoreTestingSelection(plan, store.GetRestoreTestingSelection(plan, call.Path("RestoreTestingSelectionName"))));
        }, status: 204);
    }

    /// <summary>One Backup request: who, where, its inputs and the simulated time it runs at.</summary>
    private sealed record Call(AwsRequest Request, RestJsonInput Input, DateTimeOffset Now)
    {
        public string AccountId => Request.AccountId;

        public string Region => Request.Region;

        /// <summary>The JSON body, or an empty object.</summary>
        public JsonElement Body => Input.Body ?? EmptyBody;

        public string Path(string name) => Input.Path[name];

        public string? Query(string name) => Input.Query[name].ToString() is { Length: > 0 } value ? value : null;
    }

    private static readonly JsonElement EmptyBody = JsonSerializer.SerializeToElement(new JsonObject());

    /// <summary>Registers an operation that runs on the settled state and answers JSON (nulls left out).</summary>
    private void Add(string name, bool mutating, string method, string uriTemplate, Func<Call, JsonObject?> handler, int status = 200) =>
        AddOperation(name, mutating, method, uriTemplate, (request, input) =>
        {
            var now = clock.GetUtcNow();
            var body = store.Run(now, () => handler(new Call(request, input, now)));
            return new RestJsonResult(status, body is null ? null : WithoutNulls(body));
        });

    private static JsonObject? Done(Action action)
    {
        action();
        return null;
    }

    // ---- global settings ----

    private JsonObject DescribeGlobalSettings(Call call)
    {
        var (settings, updated) = store.DescribeGlobalSettings(call.Region);
        return new JsonObject
        {
            ["GlobalSettings"] = new JsonObject(settings.Select(setting => KeyValuePair.Create(setting.Key, (JsonNode?)setting.Value))),
            ["LastUpdateTime"] = Epoch(updated),
        };
    }

    private JsonObject? UpdateGlobalSettings(Call call)
    {
        var settings = call.Body.GetObjectOrNull("GlobalSettings") is not null
            ? call.Body.GetStringMapOrEmpty("GlobalSettings")
            : throw BackupErrors.MissingParameterValue("GlobalSettings");
        store.UpdateGlobalSettings(call.AccountId, call.Region, settings, call.Now);
        return null;
    }

    // ---- vaults ----

    private JsonObject CreateBackupVault(Call call)
    {
        var name = call.Path("backupVaultName");
        if (!VaultNamePattern().IsMatch(name))
        {
            throw BackupErrors.InvalidParameterValue($"1 validation error detected: Value '{name}' at 'backupVaultName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9\\-\\_]{{2,50}}$");
        }

        var vault = store.CreateVault(call.AccountId, call.Region, name, call.Body.GetStringOrNull("EncryptionKeyArn"), call.Body.GetStringOrNull("CreatorRequestId"), call.Now);
        return new JsonObject
        {
            ["BackupVaultName"] = vault.Name,
            ["BackupVaultArn"] = vault.Arn,
            ["CreationDate"] = Epoch(vault.CreationDate),
        };
    }

    private JsonObject DescribeVault(BackupVault vault) => new()
    {
        ["BackupVaultName"] = vault.Name,
        ["BackupVaultArn"] = vault.Arn,
        ["VaultType"] = "BACKUP_VAULT",
        ["VaultState"] = "AVAILABLE",
        ["CreationDate"] = Epoch(vault.CreationDate),
        ["EncryptionKeyArn"] = vault.EncryptionKeyArn,
        ["CreatorRequestId"] = vault.CreatorRequestId,
        ["NumberOfRecoveryPoints"] = store.RecoveryPointsIn(vault).Count,
        ["Locked"] = vault.Lock is not null,
        ["MinRetentionDays"] = vault.Lock?.MinRetentionDays,
        ["MaxRetentionDays"] = vault.Lock?.MaxRetentionDays,
        ["LockDate"] = Epoch(vault.Lock?.LockDate),
    };

    private JsonObject GetBackupVaultAccessPolicy(Call call)
    {
        var vault = Vault(call);
        return new JsonObject
        {
            ["BackupVaultName"] = vault.Name,
            ["BackupVaultArn"] = vault.Arn,
            // (inferred) text for a vault without a policy.
            ["Policy"] = vault.AccessPolicyDocument ?? throw BackupErrors.ResourceNotFound($"Backup vault {vault.Name} has no access policy."),
        };
    }

    private JsonObject GetBackupVaultNotifications(Call call)
    {
        var vault = Vault(call);
        var notifications = vault.Notifications
            ?? throw BackupErrors.ResourceNotFound($"Backup vault {vault.Name} has no notification configuration."); // (inferred) text
        return new JsonObject
        {
            ["BackupVaultName"] = vault.Name,
            ["BackupVaultArn"] = vault.Arn,
            ["SNSTopicArn"] = notifications.TopicArn,
            ["BackupVaultEvents"] = Strings(notifications.Events),
        };
    }

    /// <summary>
    /// The caller's vault named in the path. Another account's vault (backupVaultAccountId) is refused like an
    /// unknown one: vault sharing for reads is not emulated.
    /// </summary>
    private BackupVault Vault(Call call) => call.Query("backupVaultAccountId") is { } owner && owner != call.AccountId
        ? throw BackupErrors.UnknownVault()
        : store.GetVault(call.AccountId, call.Region, call.Path("backupVaultName"));

    // ---- plans and selections ----

    private JsonObject CreateBackupPlan(Call call)
    {
        var document = call.Body.GetObjectOrNull("BackupPlan") ?? throw BackupErrors.MissingParameterValue("BackupPlan");
        var plan = store.CreatePlan(call.AccountId, call.Region, document, call.Body.GetStringOrNull("CreatorRequestId"), call.Now);
        return PlanIdentity(plan);
    }

    private JsonObject GetBackupPlan(Call call)
    {
        var plan = Plan(call);
        var output = PlanSummary(plan);
        output.Remove("BackupPlanName");
        output["BackupPlan"] = plan.Document.DeepClone();
        return output;
    }

    private JsonObject UpdateBackupPlan(Call call)
    {
        var plan = Plan(call);
        store.UpdatePlan(plan, call.Body.GetObjectOrNull("BackupPlan") ?? throw BackupErrors.MissingParameterValue("BackupPlan"), call.Now);
        return PlanIdentity(plan);
    }

    private JsonObject DeleteBackupPlan(Call call)
    {
        var plan = Plan(call);
        store.DeletePlan(plan);
        return new JsonObject
        {
            ["BackupPlanId"] = plan.Id,
            ["BackupPlanArn"] = plan.Arn,
            ["DeletionDate"] = Epoch(call.Now),
            ["VersionId"] = plan.VersionId,
        };
    }

    private static JsonObject PlanIdentity(BackupPlan plan) => new()
    {
        ["BackupPlanId"] = plan.Id,
        ["BackupPlanArn"] = plan.Arn,
        ["CreationDate"] = Epoch(plan.CreationDate),
        ["VersionId"] = plan.VersionId,
    };

    private static JsonObject PlanSummary(BackupPlan plan)
    {
        var summary = PlanIdentity(plan);
        summary["BackupPlanName"] = plan.Name;
        summary["CreatorRequestId"] = plan.CreatorRequestId;
        summary["LastExecutionDate"] = Epoch(plan.LastExecutionDate);
        return summary;
    }

    private BackupPlan Plan(Call call) => store.GetPlan(call.AccountId, call.Region, call.Path("backupPlanId"));

    private JsonObject CreateBackupSelection(Call call)
    {
        var plan = Plan(call);
        var document = call.Body.GetObjectOrNull("BackupSelection") ?? throw BackupErrors.MissingParameterValue("BackupSelection");
        Required(document.GetStringOrNull("SelectionName"), "SelectionName");
        PassedRole(call, Required(document.GetStringOrNull("IamRoleArn"), "IamRoleArn"));
        var selection = store.CreateSelection(plan, document, call.Body.GetStringOrNull("CreatorRequestId"), call.Now);
        return new JsonObject
        {
            ["SelectionId"] = selection.Id,
            ["BackupPlanId"] = plan.Id,
            ["CreationDate"] = Epoch(selection.CreationDate),
        };
    }

    private JsonObject GetBackupSelection(Call call)
    {
        var plan = Plan(call);
        var selection = store.GetSelection(plan, call.Path("selectionId"));
        return new JsonObject
        {
            ["BackupSelection"] = selection.Document.DeepClone(),
            ["SelectionId"] = selection.Id,
            ["BackupPlanId"] = plan.Id,
            ["CreationDate"] = Epoch(selection.CreationDate),
            ["CreatorRequestId"] = selection.CreatorRequestId,
        };
    }

    private JsonObject ListBackupSelections(Call call)
    {
        var plan = Plan(call);
        return Page(call, "BackupSelectionsList", plan.Selections.Values.OrderBy(selection => selection.CreationDate).ToList(), selection => new JsonObject
        {
            ["SelectionId"] = selection.Id,
            ["SelectionName"] = selection.Name,
            ["BackupPlanId"] = plan.Id,
            ["CreationDate"] = Epoch(selection.CreationDate),
            ["CreatorRequestId"] = selection.CreatorRequestId,
            ["IamRoleArn"] = selection.IamRoleArn,
        });
    }

    // ---- jobs ----

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
            call.Now);
        return new JsonObject { ["RestoreJobId"] = job.Id };
    }

    /// <summary>Handing AWS Backup a role needs iam:PassRole on it (iam:PassedToService backup.amazonaws.com).</summary>
    private static string PassedRole(Call call, string roleArn)
    {
        call.Request.Demand("backup", "iam:PassRole", roleArn);
        return roleArn;
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

    // ---- recovery points ----

    private JsonObject ListRecoveryPointsByBackupVault(Call call)
    {
        var points = store.RecoveryPointsIn(Vault(call))
            .Where(point => call.Query("resourceArn") is not { } arn || point.Source.Arn == arn)
            .Where(point => call.Query("resourceType") is not { } type || point.Source.Kind.BackupResourceType == type)
            .Where(point => call.Query("backupPlanId") is not { } planId || point.CreatedBy?.PlanId == planId)
            .ToList();
        return Page(call, "RecoveryPoints", points, RecoveryPointJson);
    }

    private JsonObject UpdateRecoveryPointLifecycle(Call call)
    {
        var point = RecoveryPoint(call);
        store.UpdateLifecycle(point, Lifecycle.From(call.Body.GetObjectOrNull("Lifecycle")));
        return new JsonObject
        {
            ["BackupVaultArn"] = point.Vault.Arn,
            ["RecoveryPointArn"] = point.Arn,
            ["Lifecycle"] = point.Lifecycle.ToJson(),
            ["CalculatedLifecycle"] = point.Lifecycle.Calculated(point.CreationDate),
        };
    }

    private JsonObject GetRecoveryPointRestoreMetadata(Call call)
    {
        var point = RecoveryPoint(call);
        var metadata = new JsonObject(point.Source.Attributes.Select(attribute => KeyValuePair.Create(attribute.Key, (JsonNode?)attribute.Value)));
        if (point.Source.Kind.RestoreNameKey is { } nameKey)
        {
            metadata[nameKey] = point.Source.Name;
        }

        return new JsonObject
        {
            ["BackupVaultArn"] = point.Vault.Arn,
            ["RecoveryPointArn"] = point.Arn,
            ["RestoreMetadata"] = metadata,
            ["ResourceType"] = point.Source.Kind.BackupResourceType,
        };
    }

    private JsonObject ListProtectedResources(Call call)
    {
        var latestPerResource = store.RecoveryPointsOf(call.AccountId, call.Region)
            .GroupBy(point => point.Source.Arn, StringComparer.Ordinal)
            .Select(group => group.First())
            .OrderBy(point => point.Source.Arn, StringComparer.Ordinal)
            .ToList();
        return Page(call, "Results", latestPerResource, point => new JsonObject
        {
            ["ResourceArn"] = point.Source.Arn,
            ["ResourceType"] = point.Source.Kind.BackupResourceType,
            ["LastBackupTime"] = Epoch(point.CreationDate),
            ["ResourceName"] = point.Source.Name,
            ["LastBackupVaultArn"] = point.Vault.Arn,
            ["LastRecoveryPointArn"] = point.Arn,
        });
    }

    private static JsonObject RecoveryPointJson(RecoveryPoint point) => new()
    {
        ["RecoveryPointArn"] = point.Arn,
        ["BackupVaultName"] = point.Vault.Name,
        ["BackupVaultArn"] = point.Vault.Arn,
        ["SourceBackupVaultArn"] = point.SourceBackupVaultArn,
        ["ResourceArn"] = point.Source.Arn,
        ["ResourceType"] = point.Source.Kind.BackupResourceType,
        ["CreatedBy"] = point.CreatedBy?.ToJson(),
        ["IamRoleArn"] = point.IamRoleArn,
        ["Status"] = "COMPLETED",
        ["CreationDate"] = Epoch(point.CreationDate),
        ["InitiationDate"] = Epoch(point.CreationDate),
        ["CompletionDate"] = Epoch(point.CreationDate),
        ["BackupSizeInBytes"] = 0,
        ["CalculatedLifecycle"] = point.Lifecycle.Calculated(point.CreationDate),
        ["Lifecycle"] = point.Lifecycle.ToJson(),
        ["EncryptionKeyArn"] = point.Vault.EncryptionKeyArn,
        ["IsEncrypted"] = true,
        ["LastRestoreTime"] = Epoch(point.LastRestoreTime),
        ["IsParent"] = false,
        ["ResourceName"] = point.Source.Name,
        ["VaultType"] = "BACKUP_VAULT",
    };

    private static JsonObject RecoveryPointByResourceJson(RecoveryPoint point) => new()
    {
        ["RecoveryPointArn"] = point.Arn,
        ["CreationDate"] = Epoch(point.CreationDate),
        ["Status"] = "COMPLETED",
        ["EncryptionKeyArn"] = point.Vault.EncryptionKeyArn,
        ["BackupSizeBytes"] = 0,
        ["BackupVaultName"] = point.Vault.Name,
        ["IsParent"] = false,
        ["ResourceName"] = point.Source.Name,
        ["VaultType"] = "BACKUP_VAULT",
    };

    private RecoveryPoint RecoveryPoint(Call call) => store.GetRecoveryPoint(Vault(call), call.Path("recoveryPointArn"));

    // ---- restore testing ----

    private JsonObject CreateRestoreTestingPlan(Call call)
    {
        var document = call.Body.GetObjectOrNull("RestoreTestingPlan") ?? throw BackupErrors.MissingParameterValue("RestoreTestingPlan");
        var name = Required(document.GetStringOrNull("RestoreTestingPlanName"), "RestoreTestingPlanName");
        Required(document.GetStringOrNull("ScheduleExpression"), "ScheduleExpression");
        var plan = store.CreateRestoreTestingPlan(call.AccountId, call.Region, name, ToNode(document), call.Body.GetStringOrNull("CreatorRequestId"), call.Now);
        return new JsonObject
        {
            ["CreationTime"] = Epoch(plan.CreationTime),
            ["RestoreTestingPlanArn"] = plan.Arn,
            ["RestoreTestingPlanName"] = plan.Name,
        };
    }

    private JsonObject UpdateRestoreTestingPlan(Call call)
    {
        var plan = RestoreTestingPlan(call);
        store.UpdateRestoreTestingPlan(plan, call.Body.GetObjectOrNull("RestoreTestingPlan") ?? throw BackupErrors.MissingParameterValue("RestoreTestingPlan"), call.Now);
        return new JsonObject
        {
            ["CreationTime"] = Epoch(plan.CreationTime),
            ["RestoreTestingPlanArn"] = plan.Arn,
            ["RestoreTestingPlanName"] = plan.Name,
            ["UpdateTime"] = Epoch(plan.LastUpdateTime),
        };
    }

    private static JsonObject RestoreTestingPlanJson(RestoreTestingDocument plan, bool full)
    {
        var json = new JsonObject
        {
            ["CreationTime"] = Epoch(plan.CreationTime),
            ["LastExecutionTime"] = Epoch(plan.LastExecutionTime),
            ["LastUpdateTime"] = Epoch(plan.LastUpdateTime),
            ["RestoreTestingPlanArn"] = plan.Arn,
            ["RestoreTestingPlanName"] = plan.Name,
            ["ScheduleExpression"] = plan.Document["ScheduleExpression"]?.DeepClone(),
            ["ScheduleExpressionTimezone"] = plan.Document["ScheduleExpressionTimezone"]?.DeepClone(),
            ["StartWindowHours"] = plan.Document["StartWindowHours"]?.DeepClone(),
        };
        if (full)
        {
            json["CreatorRequestId"] = plan.CreatorRequestId;
            json["RecoveryPointSelection"] = plan.Document["RecoveryPointSelection"]?.DeepClone();
        }

        return json;
    }

    private RestoreTestingDocument RestoreTestingPlan(Call call) => store.GetRestoreTestingPlan(call.AccountId, call.Region, call.Path("RestoreTestingPlanName"));

    private JsonObject CreateRestoreTestingSelection(Call call)
    {
        var plan = RestoreTestingPlan(call);
        var document = call.Body.GetObjectOrNull("RestoreTestingSelection") ?? throw BackupErrors.MissingParameterValue("RestoreTestingSelection");
        var name = Required(document.GetStringOrNull("RestoreTestingSelectionName"), "RestoreTestingSelectionName");
        Required(document.GetStringOrNull("ProtectedResourceType"), "ProtectedResourceType");
        Required(document.GetStringOrNull("IamRoleArn"), "IamRoleArn");
        var selection = store.CreateRestoreTestingSelection(plan, name, ToNode(document), call.Body.GetStringOrNull("CreatorRequestId"), call.Now);
        return new JsonObject
        {
            ["CreationTime"] = Epoch(selection.CreationTime),
            ["RestoreTestingPlanArn"] = plan.Arn,
            ["RestoreTestingPlanName"] = plan.Name,
            ["RestoreTestingSelectionName"] = selection.Name,
        };
    }

    private JsonObject UpdateRestoreTestingSelection(Call call)
    {
        var plan = RestoreTestingPlan(call);
        var selection = store.GetRestoreTestingSelection(plan, call.Path("RestoreTestingSelectionName"));
        selection.Merge(call.Body.GetObjectOrNull("RestoreTestingSelection") ?? throw BackupErrors.MissingParameterValue("RestoreTestingSelection"), call.Now);
        return new JsonObject
        {
            ["CreationTime"] = Epoch(selection.CreationTime),
            ["RestoreTestingPlanArn"] = plan.Arn,
            ["RestoreTestingPlanName"] = plan.Name,
            ["RestoreTestingSelectionName"] = selection.Name,
            ["UpdateTime"] = Epoch(selection.LastUpdateTime),
        };
    }

    private static JsonObject RestoreTestingSelectionJson(RestoreTestingDocument plan, RestoreTestingDocument selection, bool full)
    {
        var json = new JsonObject
        {
            ["CreationTime"] = Epoch(selection.CreationTime),
            ["IamRoleArn"] = selection.Document["IamRoleArn"]?.DeepClone(),
            ["ProtectedResourceType"] = selection.Document["ProtectedResourceType"]?.DeepClone(),
            ["RestoreTestingPlanName"] = plan.Name,
            ["RestoreTestingSelectionName"] = selection.Name,
            ["ValidationWindowHours"] = selection.Document["ValidationWindowHours"]?.DeepClone(),
        };
        if (full)
        {
            json["CreatorRequestId"] = selection.CreatorRequestId;
            foreach (var member in new[] { "ProtectedResourceArns", "ProtectedResourceConditions", "RestoreMetadataOverrides" })
            {
                json[member] = selection.Document[member]?.DeepClone();
            }
        }

        return json;
    }

    // ---- shared ----

    /// <summary>One page of a list: maxResults (1–1000) items from the offset in the token, and the next token.</summary>
    private static JsonObject Page<T>(Call call, string listMember, IReadOnlyList<T> items, Func<T, JsonObject> render, string maxResultsName = "maxResults", string nextTokenName = "nextToken")
    {
        var pageSize = MaxPageSize;
        if (call.Query(maxResultsName) is { } maxResults
            && (!int.TryParse(maxResults, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > MaxPageSize))
        {
            throw BackupErrors.InvalidParameterValue($"1 validation error detected: Value '{maxResults}' at '{maxResultsName}' failed to satisfy constraint: Member must have value between 1 and {MaxPageSize}");
        }

        var offset = 0;
        if (call.Query(nextTokenName) is { } nextToken && !PageTokens.TryRead(listMember, nextToken, out offset))
        {
            throw BackupErrors.InvalidParameterValue("The nextToken is not valid.");
        }

        return new JsonObject
        {
            [listMember] = new JsonArray(items.Skip(offset).Take(pageSize).Select(item => (JsonNode)render(item)).ToArray()),
            ["NextToken"] = offset + pageSize < items.Count ? PageTokens.Create(listMember, offset + pageSize) : null,
        };
    }

    private static string Required(string? value, string name) => value ?? throw BackupErrors.MissingParameterValue(name);

    private static JsonObject ToNode(JsonElement element) => JsonNode.Parse(element.GetRawText())!.AsObject();

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(value => (JsonNode)value).ToArray());

    private static JsonNode? Epoch(DateTimeOffset? time) => time is { } value ? ResponseBodies.EpochSeconds(value) : null;

    /// <summary>Drops null members, as AWS leaves unset members out of its answers.</summary>
    private static JsonObject WithoutNulls(JsonObject json)
    {
        foreach (var name in json.Where(member => member.Value is null).Select(member => member.Key).ToList())
        {
            json.Remove(name);
        }

        foreach (var child in json.Select(member => member.Value).OfType<JsonObject>())
        {
            WithoutNulls(child);
        }

        foreach (var item in json.Select(member => member.Value).OfType<JsonArray>().SelectMany(array => array).OfType<JsonObject>())
        {
            WithoutNulls(item);
        }

        return json;
    }

    [GeneratedRegex(@"^[a-zA-Z0-9_-]{2,50}$")]
    private static partial Regex VaultNamePattern();
}
