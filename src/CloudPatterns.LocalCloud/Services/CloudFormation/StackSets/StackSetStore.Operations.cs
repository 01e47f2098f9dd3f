using CloudPatterns.LocalCloud.CloudFormation;
using CloudPatterns.LocalCloud.CloudFormation.Stacks;

namespace CloudPatterns.LocalCloud.Services.CloudFormation.StackSets;

/// <summary>
/// Running stack set operations: region by region (SEQUENTIAL, in RegionOrder) or all regions at once (PARALLEL),
/// within a region as many accounts at a time as MaxConcurrentCount/Percentage and the concurrency mode allow, stopping
/// a region (and the regions after it) once more accounts failed than FailureToleranceCount/Percentage.
/// </summary>
internal sealed partial class StackSetStore
{
    /// <summary>The reason CloudFormation gives instances it did not deploy because the tolerance was exceeded.</summary>
    private const string CancelledReason = "Cancelled since failure tolerance has exceeded";

    /// <summary>Registers an operation and starts it (or, with <paramref name="queue"/>, queues it after the running one). Call under the gate.</summary>
    private StackSetOperation Start(StackSet stackSet, string action, string? operationId, OperationPreferences preferences,
        DeploymentTargets targets, bool? retainStacks, IReadOnlyList<StackInstance> selected, bool queue)
    {
        var operation = new StackSetOperation
        {
            Id = operationId ?? Guid.NewGuid().ToString(),
            Action = action,
            Preferences = preferences,
            RetainStacks = retainStacks,
            Targets = targets,
            CreationTimestamp = clock.GetUtcNow(),
        };
        foreach (var instance in selected)
        {
            operation.Results.Add(new OperationResult { Account = instance.Account, Region = instance.Region, OrganizationalUnitId = instance.OrganizationalUnitId });
            instance.LastOperationId = operation.Id;
            if (action != "DETECT_DRIFT")
            {
                instance.DetailedStatus = "PENDING";
                instance.StatusReason = null;
            }
        }

        stackSet.Operations.Add(operation);
        var previous = queue ? stackSet.Tail : Task.CompletedTask;
        stackSet.Tail = Task.Run(async () =>
        {
            await previous.ConfigureAwait(false);
            await RunAsync(stackSet, operation).ConfigureAwait(false);
        });
        return operation;
    }

    /// <summary>Waits for every operation queued on a stack set so far (tests and benchmarks).</summary>
    public Task WhenIdle(StackSet stackSet)
    {
        lock (gate)
        {
            return stackSet.Tail;
        }
    }

    private async Task RunAsync(StackSet stackSet, StackSetOperation operation)
    {
        List<string> regions;
        lock (gate)
        {
            operation.Status = "RUNNING";
            var used = operation.Results.Select(result => result.Region).Distinct().ToList();
            regions = operation.Preferences.RegionOrder.Where(used.Contains).Concat(used.Except(operation.Preferences.RegionOrder)).ToList();
        }

        bool succeeded;
        if (operation.Preferences.RegionConcurrencyType == "PARALLEL")
        {
            var outcomes = await Task.WhenAll(regions.Select(region => RunRegionAsync(stackSet, operation, region))).ConfigureAwait(false);
            succeeded = outcomes.All(ok => ok);
        }
        else
        {
            succeeded = true;
            foreach (var region in regions)
            {
                if (succeeded)
                {
                    succeeded = await RunRegionAsync(stackSet, operation, region).ConfigureAwait(false);
                }
                else
                {
                    Cancel(stackSet, operation, operation.Results.Where(result => result.Region == region).ToList());
                }
            }
        }

        lock (gate)
        {
            operation.Status = succeeded ? "SUCCEEDED" : "FAILED";
            operation.StatusReason = succeeded ? null : "The Operation failed: the failure tolerance was exceeded in a Region.";
            operation.EndTimestamp = clock.GetUtcNow();
            if (operation.Action == "DETECT_DRIFT")
            {
                stackSet.LastDriftCheck = operation.EndTimestamp;
                stackSet.DriftStatus = stackSet.Instances.Any(instance => instance.DriftStatus == "DRIFTED") ? "DRIFTED" : "IN_SYNC";
            }
        }
    }

    /// <summary>One region's accounts in batches; false when the region stopped on failures.</summary>
    private async Task<bool> RunRegionAsync(StackSet stackSet, StackSetOperation operation, string region)
    {
        List<OperationResult> pending;
        lock (gate)
        {
            pending = operation.Results.Where(result => result.Region == region).ToList();
        }

        var tolerance = operation.Preferences.Tolerance(pending.Count);
        var concurrency = operation.Preferences.Concurrency(pending.Count);
        var failed = 0;
        var index = 0;
        while (index < pending.Count)
        {
            // Strict mode lowers concurrency as failures use up the tolerance, so failures never pass it by more than one.
            var batchSize = operation.Preferences.ConcurrencyMode == "SOFT_FAILURE_TOLERANCE"
                ? concurrency
                : Math.Max(1, Math.Min(concurrency, tolerance - failed + 1));
            var batch = pending.Skip(index).Take(batchSize).ToList();
            index += batch.Count;
            var outcomes = await Task.WhenAll(batch.Select(result => RunInstanceAsync(stackSet, operation, result))).ConfigureAwait(false);
            failed += outcomes.Count(ok => !ok);
            if (failed > tolerance)
            {
                Cancel(stackSet, operation, pending.Skip(index).ToList());
                return false;
            }
        }

        return true;
    }

    private void Cancel(StackSet stackSet, StackSetOperation operation, IReadOnlyList<OperationResult> results)
    {
        lock (gate)
        {
            foreach (var result in results)
            {
                result.Status = "CANCELLED";
                result.StatusReason = CancelledReason;
                if (operation.Action != "DETECT_DRIFT" && stackSet.FindInstance(result.Account, result.Region) is { } instance)
                {
                    instance.DetailedStatus = "CANCELLED";
                    instance.StatusReason = CancelledReason;
                }
            }
        }
    }

    private async Task<bool> RunInstanceAsync(StackSet stackSet, StackSetOperation operation, OperationResult result)
    {
        StackInstance? instance;
        lock (gate)
        {
            result.Status = "RUNNING";
            instance = stackSet.FindInstance(result.Account, result.Region);
            if (instance is not null && operation.Action != "DETECT_DRIFT")
            {
                instance.DetailedStatus = "RUNNING";
            }
        }

        string? failure;
        try
        {
            failure = instance is null ? null : operation.Action switch
            {
                "DELETE" => await DeleteInstanceAsync(stackSet, instance, operation.RetainStacks == true).ConfigureAwait(false),
                "DETECT_DRIFT" => await DetectInstanceDriftAsync(instance).ConfigureAwait(false),
                _ => await DeployInstanceAsync(stackSet, instance).ConfigureAwait(false),
            };
        }
        catch (CloudFormationException error)
        {
            failure = error.Message;
        }

        lock (gate)
        {
            result.Status = failure is null ? "SUCCEEDED" : "FAILED";
            result.StatusReason = failure;
            if (instance is not null && operation.Action != "DETECT_DRIFT")
            {
                if (operation.Action == "DELETE" && failure is null)
                {
                    stackSet.Instances.Remove(instance);
                }
                else
                {
                    instance.DetailedStatus = failure is null ? "SUCCEEDED" : "FAILED";
                    instance.Status = failure is null ? "CURRENT" : "OUTDATED";
                    instance.StatusReason = failure;
                }
            }
        }

        return failure is null;
    }

    /// <summary>
    /// Creates the instance's stack (StackSet-name-uuid, with the stack set's tags, as CloudFormation tags the stacks
    /// it creates) or updates it; the failure reason, or null.
    /// </summary>
    private async Task<string?> DeployInstanceAsync(StackSet stackSet, StackInstance instance)
    {
        string body;
        Dictionary<string, string> parameters;
        IReadOnlyList<string> capabilities;
        IReadOnlyList<KeyValuePair<string, string>> tags;
        lock (gate)
        {
            body = stackSet.TemplateBody;
            parameters = new Dictionary<string, string>(stackSet.Parameters, StringComparer.Ordinal);
            foreach (var (key, value) in instance.ParameterOverrides)
            {
                parameters[key] = value;
            }

            capabilities = stackSet.Capabilities;
            tags = stackSet.Tags;
        }

        if (!stackSet.IsServiceManaged && !roleExists($"arn:aws:iam::{instance.Account}:role/{stackSet.ExecutionRoleName}"))
        {
            return $"Account {instance.Account} should have '{stackSet.ExecutionRoleName}' role with trust relationship to Role '{stackSet.AdministrationRoleArn?.Split('/')[^1]}'.";
        }

        var existing = instance.StackId is { } stackId ? engine.FindStack(instance.Account, instance.Region, stackId) : null;
        Stack stack;
        if (existing is null || existing.IsDeleted)
        {
            stack = engine.CreateStack(instance.Account, instance.Region, new StackInput
            {
                StackName = $"StackSet-{stackSet.Name}-{Guid.NewGuid()}",
                TemplateBody = body,
                Parameters = parameters,
                Capabilities = capabilities,
                Tags = tags,
                RoleArn = ExecutionRoleArn(stackSet, instance),
            });
            lock (gate)
            {
                instance.StackId = stack.StackId;
            }
        }
        else
        {
            try
            {
                stack = engine.UpdateStack(instance.Account, instance.Region, new StackInput
                {
                    StackName = existing.StackId,
                    TemplateBody = body,
                    Parameters = parameters,
                    Capabilities = capabilities,
                    Tags = tags,
                    RoleArn = ExecutionRoleArn(stackSet, instance),
                });
            }
            catch (CloudFormationException error) when (error.Message == "No updates are to be performed.")
            {
                return null;
            }
        }

        await stack.Operation.ConfigureAwait(false);
        return stack.Status is "CREATE_COMPLETE" or "UPDATE_COMPLETE" ? null : FailureReason(stack);
    }

    /// <summary>
    /// The role the instance's stack operations run as: the self-managed execution role, or for service-managed
    /// instances the stacksets-exec role StackSets makes in the member account with AdministratorAccess
    /// (docs/localcloud-stacksets.md), whose calls the SCPs above that account still limit.
    /// </summary>
    private string ExecutionRoleArn(StackSet stackSet, StackInstance instance) =>
        stackSet.IsServiceManaged ? serviceManagedRole(instance.Account) : $"arn:aws:iam::{instance.Account}:role/{stackSet.ExecutionRoleName}";

    /// <summary>The first failed resource's reason, as the instance's StatusReason shows it.</summary>
    private static string FailureReason(Stack stack)
    {
        var failed = stack.Resources.FirstOrDefault(resource => resource.Status.EndsWith("_FAILED", StringComparison.Ordinal));
        if (failed is not null)
        {
            return $"ResourceLogicalId:{failed.LogicalId}, ResourceType:{failed.ResourceType}, ResourceStatusReason:{failed.StatusReason}.";
        }

        // A rollback deleted what failed: its first failure event still says why.
        var first = stack.Events.LastOrDefault(entry => entry.ResourceStatus.EndsWith("_FAILED", StringComparison.Ordinal) && entry.ResourceType != "AWS::CloudFormation::Stack");
        return first is null
            ? $"Stack {stack.StackName} is in {stack.Status} state"
            : $"ResourceLogicalId:{first.LogicalResourceId}, ResourceType:{first.ResourceType}, ResourceStatusReason:{first.ResourceStatusReason}.";
    }

    private async Task<string?> DeleteInstanceAsync(StackSet stackSet, StackInstance instance, bool retainStack)
    {
        if (retainStack || instance.StackId is null)
        {
            return null;
        }

        var stack = engine.DeleteStack(instance.Account, instance.Region, instance.StackId, ExecutionRoleArn(stackSet, instance));
        if (stack is null)
        {
            return null;
        }

        await stack.Operation.ConfigureAwait(false);
        return stack.IsDeleted ? null : FailureReason(stack);
    }

    private async Task<string?> DetectInstanceDriftAsync(StackInstance instance)
    {
        if (instance.StackId is null || engine.FindStack(instance.Account, instance.Region, instance.StackId) is not { IsDeleted: false } stack)
        {
            return null;
        }

        engine.DetectStackDrift(instance.Account, instance.Region, stack.StackId);
        await stack.Operation.ConfigureAwait(false);
        lock (gate)
        {
            instance.DriftStatus = stack.DriftStatus;
            instance.LastDriftCheck = stack.LastDriftCheck;
        }

        return null;
    }

    // ---------------------------------------------------------------- auto-deployment

    /// <summary>
    /// After MoveAccount: every service-managed set with auto-deployment deploys to an account that moved into one
    /// of its OUs, and removes the instances of one that left them (keeping the stacks with RetainStacksOnAccountRemoval).
    /// Auto-deployment does not use operation preferences, and waits behind a running operation.
    /// </summary>
    private void AutoDeploy(string accountId)
    {
        if (accountId == organization.ManagementAccountId)
        {
            return;
        }

        lock (gate)
        {
            foreach (var stackSet in stackSets.Where(set => set.IsServiceManaged && set.AutoDeploymentEnabled))
            {
                var unit = OrganizationalUnitOf(stackSet, accountId);
                var instances = stackSet.Instances.Where(instance => instance.Account == accountId).ToList();
                var everyRegion = new OperationPreferences("PARALLEL", [], null, null, null, 100, "SOFT_FAILURE_TOLERANCE");
                if (unit is not null && instances.Count == 0 && stackSet.Regions.Count > 0)
                {
                    var added = stackSet.Regions.Select(region => new StackInstance { Account = accountId, Region = region, OrganizationalUnitId = unit }).ToList();
                    stackSet.Instances.AddRange(added);
                    Start(stackSet, "CREATE", null, everyRegion, new DeploymentTargets([], [unit], null), null, added, queue: true);
                }
                else if (unit is null && instances.Count > 0)
                {
                    Start(stackSet, "DELETE", null, everyRegion, new DeploymentTargets([accountId], [], null), stackSet.RetainStacksOnAccountRemoval, instances, queue: true);
                }
                else
                {
                    instances.ForEach(instance => instance.OrganizationalUnitId = unit);
                }
            }
        }
    }
}
