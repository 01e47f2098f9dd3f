using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Backup;

// BackupService: restore testing.
internal sealed partial class BackupService
{
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
}
