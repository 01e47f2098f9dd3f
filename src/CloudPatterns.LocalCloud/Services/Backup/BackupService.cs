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
            var plan = OwnPlan(call);
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
