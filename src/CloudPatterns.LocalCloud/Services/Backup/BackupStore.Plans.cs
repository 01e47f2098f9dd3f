using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Services.Resources;

namespace CloudPatterns.LocalCloud.Services.Backup;

// BackupStore: plans and selections.
internal sealed partial class BackupStore
{
    public BackupPlan CreatePlan(string accountId, string region, JsonElement planDocument, string? creatorRequestId, DateTimeOffset now)
    {
        var (document, rules) = ReadPlan(planDocument, [], now);
        var plan = new BackupPlan(Guid.NewGuid().ToString(), accountId, region, now, creatorRequestId)
        {
            VersionId = BackupPlan.NewVersionId(),
            Document = document,
            Rules = rules,
        };
        lock (gate)
        {
            plansById.Add(plan.Id, plan);
        }

        return plan;
    }

    public void UpdatePlan(BackupPlan plan, JsonElement planDocument, DateTimeOffset now)
    {
        lock (gate)
        {
            var (document, rules) = ReadPlan(planDocument, plan.Rules, now);
            plan.Document = document;
            plan.Rules = rules;
            plan.VersionId = BackupPlan.NewVersionId();
        }
    }

    private static (JsonObject Document, IReadOnlyList<BackupRule> Rules) ReadPlan(JsonElement planDocument, IReadOnlyList<BackupRule> previous, DateTimeOffset now)
    {
        try
        {
            return BackupPlan.ReadDocument(planDocument, previous, now);
        }
        catch (FormatException error)
        {
            throw BackupErrors.InvalidParameterValue(error.Message);
        }
    }

    public BackupPlan GetPlan(string accountId, string region, string planId)
    {
        lock (gate)
        {
            return plansById.GetValueOrDefault(planId) is { } plan && plan.AccountId == accountId && plan.Region == region
                ? plan
                : throw BackupErrors.ResourceNotFound($"Failed reading Backup plan with provided version. Backup plan {planId} does not exist.");
        }
    }

    public IReadOnlyList<BackupPlan> ListPlans(string accountId, string region)
    {
        lock (gate)
        {
            return plansById.Values.Where(plan => plan.AccountId == accountId && plan.Region == region).OrderBy(plan => plan.CreationDate).ToList();
        }
    }

    public void DeletePlan(BackupPlan plan)
    {
        lock (gate)
        {
            if (plan.Selections.Count > 0)
            {
                throw BackupErrors.InvalidRequest("Related backup plan selections must be deleted prior to backup plan deletion.");
            }

            plansById.Remove(plan.Id);
        }
    }

    public BackupSelection CreateSelection(BackupPlan plan, JsonElement selectionDocument, string? creatorRequestId, DateTimeOffset now)
    {
        var document = JsonNode.Parse(selectionDocument.GetRawText())!.AsObject();
        var selection = new BackupSelection(Guid.NewGuid().ToString(), plan.Id, document, now, creatorRequestId);
        RequireRole(selection.IamRoleArn);
        lock (gate)
        {
            plan.Selections.Add(selection.Id, selection);
        }

        return selection;
    }

    public BackupSelection GetSelection(BackupPlan plan, string selectionId)
    {
        lock (gate)
        {
            return plan.Selections.GetValueOrDefault(selectionId)
                ?? throw BackupErrors.ResourceNotFound($"Backup selection {selectionId} does not exist in backup plan {plan.Id}.");
        }
    }

    public void DeleteSelection(BackupPlan plan, BackupSelection selection)
    {
        lock (gate)
        {
            plan.Selections.Remove(selection.Id);
        }
    }

    /// <summary>Refuses an IAM role that does not exist in the seed or IAM state (the PassRole-style check Backup makes).</summary>
    private void RequireRole(string roleArn)
    {
        if (!roleExists(roleArn))
        {
            // (inferred) AWS validates the role when the selection is created; its exact text is unknown.
            throw BackupErrors.InvalidParameterValue($"IAM role {roleArn} does not exist.");
        }
    }
}
