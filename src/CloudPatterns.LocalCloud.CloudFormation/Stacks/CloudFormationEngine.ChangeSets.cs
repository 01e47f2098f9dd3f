using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation.Templates;

namespace CloudPatterns.LocalCloud.CloudFormation.Stacks;

public sealed partial class CloudFormationEngine
{
    // ---------------------------------------------------------------- change sets

    public ChangeSet CreateChangeSet(string accountId, string region, StackInput input, string changeSetName, string changeSetType, string? description)
    {
        CheckStackName(input.StackName);
        Stack stack;
        Template template;
        Dictionary<string, JsonNode> values;
        List<ResourceChange> changes;
        if (changeSetType == "CREATE")
        {
            // A stack waiting in REVIEW_IN_PROGRESS takes more CREATE change sets; any other stack of that name is a clash.
            var existing = FindStack(accountId, region, input.StackName);
            if (existing is not null && existing.Status != "REVIEW_IN_PROGRESS")
            {
                throw new CloudFormationException("AlreadyExistsException", $"Stack [{input.StackName}] already exists");
            }
            stack = existing ?? NewStack(accountId, region, input);
            (template, values) = Prepare(input, null, stack.Identity, changeSet: true);
            var evaluator = new TemplateEvaluator(template, Context(stack.Identity, values, new PlaceholderValues(null, [])));
            changes = template.Resources.Values.Where(resource => evaluator.IsIncluded(resource.Condition))
                .Select(resource => new ResourceChange("Add", resource.LogicalId, null, resource.Type, null, [], [])).ToList();
            if (existing is null)
            {
                stack.SetStatus("REVIEW_IN_PROGRESS", "User Initiated");
                Register(stack);
            }
        }
        else
        {
            stack = GetStackForUpdate(accountId, region, input.StackName);
            CheckUpdatable(stack);
            (template, values) = Prepare(input, stack, stack.Identity, changeSet: true);
            changes = PlanChanges(stack, template, values);
            if (input.DeploymentMode == "REVERT_DRIFT")
            {
                changes.AddRange(PlanDriftReverts(stack, template, changes));
            }
        }
        lock (stack.Gate)
        {
            if (stack.ChangeSetMap.ContainsKey(changeSetName))
            {
                throw new CloudFormationException("AlreadyExistsException", $"ChangeSet {changeSetName} already exists");
            }
            var id = $"arn:aws:cloudformation:{region}:{accountId}:changeSet/{changeSetName}/{Guid.NewGuid()}";
            var changeSet = new ChangeSet(id, changeSetName, stack, changeSetType, input, template, values, changes, _clock.GetUtcNow())
            {
                Description = description,
            };
            if (changeSetType != "CREATE" && changes.Count == 0 && !TemplateOrSettingsChanged(stack, template, values, input))
            {
                changeSet.Status = "FAILED";
                changeSet.StatusReason = "The submitted information didn't contain changes. Submit different information to create a change set.";
                changeSet.ExecutionStatus = "UNAVAILABLE";
            }
            stack.ChangeSetMap[changeSetName] = changeSet;
            return changeSet;
        }
    }

    /// <summary>
    /// A drift-aware change set's extra changes: every resource the template leaves unchanged whose actual state
    /// (the provisioner's reading, as drift detection sees it) differs from its properties is modified back to them,
    /// in place, one detail per drifted top-level property.
    /// </summary>
    private List<ResourceChange> PlanDriftReverts(Stack stack, Template template, IReadOnlyList<ResourceChange> templateChanges)
    {
        List<StackResource> unchanged;
        lock (stack.Gate)
        {
            unchanged = stack.Resources
                .Where(resource => resource.Provisioned is not null && template.Resources.ContainsKey(resource.LogicalId)
                    && templateChanges.All(change => change.LogicalResourceId != resource.LogicalId))
                .ToList();
        }
        var reverts = new List<ResourceChange>();
        foreach (var resource in unchanged)
        {
            var expected = resource.Properties ?? [];
            // Provisioners read in-memory stores; CreateChangeSet answers once the change set is planned, as AWS does.
            var actual = Provisioners.For(resource.ResourceType).ReadActualAsync(RequestFor(stack, resource), resource.Provisioned!, CancellationToken.None).GetAwaiter().GetResult();
            if (actual is null)
            {
                continue;
            }
            var differences = new List<PropertyDifference>();
            Compare("", expected, actual, differences);
            var drifted = differences.Select(difference => difference.PropertyPath.Split('/')[1]).Distinct(StringComparer.Ordinal).ToList();
            if (drifted.Count > 0)
            {
                reverts.Add(new ResourceChange("Modify", resource.LogicalId, resource.PhysicalId, resource.ResourceType, "False", ["Properties"],
                    drifted.Select(name => new ResourceChangeDetail("Properties", name, "Never", "Static", "DirectModification", null)).ToList(),
                    ResourceDriftStatus: "MODIFIED"));
            }
        }
        return reverts;
    }

    /// <summary>A change set by ARN, or by name within a stack; ChangeSetNotFound otherwise.</summary>
    public ChangeSet GetChangeSet(string accountId, string region, string changeSetNameOrArn, string? stackNameOrId)
    {
        IEnumerable<Stack> candidates = stackNameOrId is null
            ? ListStacks(accountId, region)
            : FindStack(accountId, region, stackNameOrId) is { } stack ? [stack] : [];
        foreach (var candidate in candidates)
        {
            var match = candidate.ChangeSets.FirstOrDefault(changeSet => changeSet.Id == changeSetNameOrArn || changeSet.Name == changeSetNameOrArn);
            if (match is not null)
            {
                return match;
            }
        }
        throw new CloudFormationException("ChangeSetNotFound", $"ChangeSet [{changeSetNameOrArn}] does not exist");
    }

    /// <param name="caller">The caller of ExecuteChangeSet, whose forward access session provisions when no role is set.</param>
    public void ExecuteChangeSet(string accountId, string region, string changeSetNameOrArn, string? stackNameOrId, string? clientRequestToken = null, object? caller = null)
    {
        var changeSet = GetChangeSet(accountId, region, changeSetNameOrArn, stackNameOrId);
        var stack = changeSet.Stack;
        lock (stack.Gate)
        {
            if (changeSet.ExecutionStatus != "AVAILABLE")
            {
                throw new CloudFormationException("InvalidChangeSetStatus",
                    $"ChangeSet [{changeSet.Id}] cannot be executed in its current execution status of [{changeSet.ExecutionStatus}]");
            }
            stack.OperationToken = clientRequestToken;
            if (changeSet.ChangeSetType == "CREATE")
            {
                BeginCreate(stack, changeSet.Template, changeSet.ParameterValues);
                stack.Principal = NextPrincipal(stack, changeSet.Input.RoleArn, caller ?? changeSet.Input.Caller);
                stack.Operation = Task.Run(() => RunCreateAsync(stack, changeSet.Template, changeSet.Input.OnFailure));
            }
            else
            {
                StartUpdate(stack, changeSet.Template, changeSet.ParameterValues, changeSet.Input with { Caller = caller ?? changeSet.Input.Caller },
                    changeSet.Changes.Where(change => change.ResourceDriftStatus == "MODIFIED").Select(change => change.LogicalResourceId).ToHashSet(StringComparer.Ordinal));
            }
            changeSet.ExecutionStatus = "EXECUTE_COMPLETE";
            // Executing one change set makes the stack's others obsolete; CloudFormation deletes them.
            foreach (var other in stack.ChangeSetMap.Keys.Where(name => name != changeSet.Name).ToList())
            {
                stack.ChangeSetMap.Remove(other);
            }
        }
    }

    public void DeleteChangeSet(string accountId, string region, string changeSetNameOrArn, string? stackNameOrId)
    {
        var changeSet = GetChangeSet(accountId, region, changeSetNameOrArn, stackNameOrId);
        lock (changeSet.Stack.Gate)
        {
            changeSet.Status = "DELETE_COMPLETE";
            changeSet.Stack.ChangeSetMap.Remove(changeSet.Name);
        }
    }
}
