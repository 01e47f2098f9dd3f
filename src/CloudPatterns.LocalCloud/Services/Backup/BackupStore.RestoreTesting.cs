using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Resources;

namespace CloudPatterns.LocalCloud.Services.Backup;

// BackupStore: restore testing.
internal sealed partial class BackupStore
{
    public RestoreTestingDocument CreateRestoreTestingPlan(string accountId, string region, string name, JsonObject document, string? creatorRequestId, DateTimeOffset now)
    {
        var plan = new RestoreTestingDocument(name, $"arn:aws:backup:{region}:{accountId}:restore-testing-plan:{name}-{ResourceKind.RandomHex(6)}", document, now, creatorRequestId);
        Reschedule(plan, now);
        lock (gate)
        {
            if (FindRestoreTestingPlan(accountId, region, name) is { } existing)
            {
                throw BackupErrors.AlreadyExists($"Restore testing plan {name} already exists.", existing.Arn!, existing.CreatorRequestId);
            }

            restoreTestingPlansByArn.Add(plan.Arn!, plan);
        }

        return plan;
    }

    public void UpdateRestoreTestingPlan(RestoreTestingDocument plan, JsonElement update, DateTimeOffset now)
    {
        lock (gate)
        {
            var previous = plan.Document.DeepClone().AsObject();
            plan.Merge(update, now);
            try
            {
                Reschedule(plan, now);
            }
            catch (AwsServiceException)
            {
                plan.Document = previous;
                throw;
            }
        }
    }

    private static void Reschedule(RestoreTestingDocument plan, DateTimeOffset now)
    {
        try
        {
            plan.Reschedule(now);
        }
        catch (FormatException error)
        {
            throw BackupErrors.InvalidParameterValue(error.Message);
        }
    }

    /// <summary>
    /// Reports the validation of a restore test's data; the restored resource is then deleted, as AWS does once
    /// validation has finished.
    /// </summary>
    public void PutRestoreValidationResult(RestoreJobRecord job, string status, string? message, DateTimeOffset now)
    {
        lock (gate)
        {
            if (job.Phase != JobPhase.Completed)
            {
                // (inferred) text.
                throw BackupErrors.InvalidRequest($"Restore job {job.Id} has not completed; a validation result can be reported only for a completed restore job.");
            }

            job.ValidationStatus = status;
            job.ValidationStatusMessage = message;
            if (job.DeletionStatus == "DELETING" && status != "VALIDATING")
            {
                DeleteRestoredResource(job);
            }
        }
    }

    public RestoreTestingDocument GetRestoreTestingPlan(string accountId, string region, string name)
    {
        lock (gate)
        {
            return FindRestoreTestingPlan(accountId, region, name) ?? throw BackupErrors.ResourceNotFound($"Restore testing plan {name} does not exist.");
        }
    }

    public IReadOnlyList<RestoreTestingDocument> ListRestoreTestingPlans(string accountId, string region)
    {
        var scope = $"arn:aws:backup:{region}:{accountId}:";
        lock (gate)
        {
            return restoreTestingPlansByArn.Values.Where(plan => plan.Arn!.StartsWith(scope, StringComparison.Ordinal)).OrderBy(plan => plan.CreationTime).ToList();
        }
    }

    private RestoreTestingDocument? FindRestoreTestingPlan(string accountId, string region, string name) =>
        ListRestoreTestingPlans(accountId, region).FirstOrDefault(plan => plan.Name == name);

    public void DeleteRestoreTestingPlan(RestoreTestingDocument plan)
    {
        lock (gate)
        {
            if (plan.Selections.Count > 0)
            {
                // (inferred) text: AWS refuses to delete a plan that still has selections.
                throw BackupErrors.InvalidRequest("Restore testing selections must be deleted before their restore testing plan.");
            }

            restoreTestingPlansByArn.Remove(plan.Arn!);
        }
    }

    public RestoreTestingDocument CreateRestoreTestingSelection(RestoreTestingDocument plan, string name, JsonObject document, string? creatorRequestId, DateTimeOffset now)
    {
        RequireRole(document["IamRoleArn"]?.GetValue<string>() ?? "");
        var selection = new RestoreTestingDocument(name, null, document, now, creatorRequestId);
        lock (gate)
        {
            if (!plan.Selections.TryAdd(name, selection))
            {
                throw BackupErrors.AlreadyExists($"Restore testing selection {name} already exists.", plan.Arn!, creatorRequestId);
            }
        }

        return selection;
    }

    public RestoreTestingDocument GetRestoreTestingSelection(RestoreTestingDocument plan, string name)
    {
        lock (gate)
        {
            return plan.Selections.GetValueOrDefault(name) ?? throw BackupErrors.ResourceNotFound($"Restore testing selection {name} does not exist.");
        }
    }

    public void DeleteRestoreTestingSelection(RestoreTestingDocument plan, RestoreTestingDocument selection)
    {
        lock (gate)
        {
            plan.Selections.Remove(selection.Name);
        }
    }
}
