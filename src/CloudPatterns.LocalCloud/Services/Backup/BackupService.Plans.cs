using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Backup;

// BackupService: plans and selections.
internal sealed partial class BackupService
{
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
        var plan = OwnPlan(call);
        store.UpdatePlan(plan, call.Body.GetObjectOrNull("BackupPlan") ?? throw BackupErrors.MissingParameterValue("BackupPlan"), call.Now);
        return PlanIdentity(plan);
    }

    private JsonObject DeleteBackupPlan(Call call)
    {
        var plan = OwnPlan(call);
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

    /// <summary>A plan the caller may change: not one an Organizations backup policy put in the account.</summary>
    private BackupPlan OwnPlan(Call call)
    {
        var plan = Plan(call);
        return plan.OrganizationSource is null
            ? plan
            : throw BackupErrors.InvalidRequest($"Backup plan {plan.Id} is managed by an AWS Organizations backup policy; change the policy in the organization's management account instead.");
    }

    private JsonObject CreateBackupSelection(Call call)
    {
        var plan = OwnPlan(call);
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
}
