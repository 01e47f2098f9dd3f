using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.CloudFormation.Specification;
using CloudPatterns.LocalCloud.CloudFormation.Templates;

namespace CloudPatterns.LocalCloud.CloudFormation.Stacks;

public sealed partial class CloudFormationEngine
{
    private const string KnownAfterApply = TemplateEvaluator.KnownAfterApply;

    private enum Touch
    {
        Added,
        Replaced,
        UpdatedInPlace,
        Failed,
    }

    /// <summary>What an update did to one resource, so a rollback can undo it.</summary>
    private sealed record TouchedResource(string LogicalId, Touch Kind, StackResource? Before, ProvisionedResource? Created);

    // ---------------------------------------------------------------- planning (change sets, "No updates")

    /// <summary>
    /// The resource changes an update would make: Add, Remove, and Modify with Replacement True/False/Conditional
    /// from the spec's update behaviour. Values that depend on a resource being created or replaced are Dynamic.
    /// </summary>
    private List<ResourceChange> PlanChanges(Stack stack, Template template, Dictionary<string, JsonNode> values)
    {
        lock (stack.Gate)
        {
            var pending = new HashSet<string>(StringComparer.Ordinal);
            var evaluator = new TemplateEvaluator(template, Context(stack.Identity, values, new PlaceholderValues(stack, pending)));
            var included = template.Resources.Values.Where(resource => evaluator.IsIncluded(resource.Condition))
                .Select(resource => resource.LogicalId).ToHashSet(StringComparer.Ordinal);
            var changes = new List<ResourceChange>();
            foreach (var id in DependencyRunner.TopologicalOrder(included, dependency => template.Resources[dependency].Dependencies))
            {
                var definition = template.Resources[id];
                if (!stack.ResourceMap.TryGetValue(id, out var existing) || existing.Provisioned is null)
                {
                    pending.Add(id);
                    changes.Add(new ResourceChange("Add", id, null, definition.Type, null, [], []));
                    continue;
                }
                JsonObject properties;
                try
                {
                    // As the update will send them (BuildRequest), so a number given for a string is no change.
                    properties = PropertyCoercion.StringsAsText(definition, evaluator.Resolve(definition.Properties) as JsonObject ?? []);
                }
                catch (ResourceFailedException)
                {
                    // An import that does not exist yet: the update will fail on it; the plan shows the resource as changing.
                    properties = new JsonObject { ["Fn::ImportValue"] = KnownAfterApply + "}}" };
                }
                var details = CompareProperties(existing, definition, properties);
                var typeChanged = existing.ResourceType != definition.Type;
                if (details.Count == 0 && !typeChanged)
                {
                    continue;
                }
                var replacement = typeChanged || details.Any(detail => detail is { RequiresRecreation: "Always", Evaluation: "Static" })
                    ? "True"
                    : details.Any(detail => detail.RequiresRecreation != "Never") ? "Conditional" : "False";
                if (replacement != "False")
                {
                    pending.Add(id);
                }
                changes.Add(new ResourceChange("Modify", id, existing.PhysicalId, definition.Type, replacement,
                    details.Count > 0 ? ["Properties"] : [], details));
            }
            foreach (var removed in stack.ResourceMap.Values.Where(resource => !included.Contains(resource.LogicalId) && resource.Provisioned is not null))
            {
                changes.Add(new ResourceChange("Remove", removed.LogicalId, removed.PhysicalId, removed.ResourceType, null, [], []));
            }
            return changes;
        }
    }

    private static List<ResourceChangeDetail> CompareProperties(StackResource existing, ResourceDefinition definition, JsonObject properties)
    {
        var old = existing.Properties ?? [];
        var details = new List<ResourceChangeDetail>();
        foreach (var name in old.Select(pair => pair.Key).Union(properties.Select(pair => pair.Key)).Distinct())
        {
            var newValue = properties[name];
            if (JsonNode.DeepEquals(old[name], newValue))
            {
                continue;
            }
            var behavior = definition.IsCustom
                ? UpdateBehavior.InPlace
                : definition.Spec.Properties.TryGetValue(name, out var spec) ? BehaviorOfChange(spec, old[name], newValue) : UpdateBehavior.InPlace;
            var recreation = behavior switch
            {
                UpdateBehavior.Replacement => "Always",
                UpdateBehavior.ConditionalReplacement => "Conditionally",
                _ => "Never",
            };
            var text = newValue?.ToJsonString() ?? "";
            var marker = text.IndexOf(KnownAfterApply, StringComparison.Ordinal);
            if (marker < 0)
            {
                details.Add(new ResourceChangeDetail("Properties", name, recreation, "Static", "DirectModification", null));
                continue;
            }
            var start = marker + KnownAfterApply.Length;
            var causingEntity = text[start..text.IndexOf("}}", start, StringComparison.Ordinal)];
            details.Add(new ResourceChangeDetail("Properties", name, recreation, "Dynamic",
                causingEntity.Contains('.') ? "ResourceAttribute" : "ResourceReference", causingEntity.Length == 0 ? null : causingEntity));
        }
        return details;
    }

    /// <summary>
    /// How a changed property updates: by its own update behaviour, or by a changed nested property's when that is
    /// stricter (a replacement-only field inside an object that otherwise updates in place).
    /// </summary>
    private static UpdateBehavior BehaviorOfChange(PropertySpec spec, JsonNode? before, JsonNode? after)
    {
        var behavior = spec.UpdateBehavior;
        switch (before, after)
        {
            case (JsonObject oldObject, JsonObject newObject) when spec.Type.ObjectType is { } objectType:
                foreach (var name in oldObject.Select(pair => pair.Key).Union(newObject.Select(pair => pair.Key)))
                {
                    if (!JsonNode.DeepEquals(oldObject[name], newObject[name]) && objectType.Properties.TryGetValue(name, out var nested))
                    {
                        behavior = Stricter(behavior, BehaviorOfChange(nested, oldObject[name], newObject[name]));
                    }
                }
                break;
            case (JsonArray oldArray, JsonArray newArray) when spec.Type.Element is { } element && oldArray.Count == newArray.Count:
                for (var index = 0; index < oldArray.Count; index++)
                {
                    behavior = Stricter(behavior, BehaviorOfChange(spec with { Type = element }, oldArray[index], newArray[index]));
                }
                break;
        }
        return behavior;
    }

    private static UpdateBehavior Stricter(UpdateBehavior first, UpdateBehavior second) => Rank(first) >= Rank(second) ? first : second;

    private static int Rank(UpdateBehavior behavior) => behavior switch
    {
        UpdateBehavior.Replacement => 2,
        UpdateBehavior.ConditionalReplacement => 1,
        _ => 0,
    };

    /// <summary>Resource values while planning: current ones, or a marker for resources that will get new ones.</summary>
    private sealed class PlaceholderValues(Stack? stack, HashSet<string> pending) : IResourceValues
    {
        public JsonNode Ref(string logicalId) =>
            Current(logicalId) is { } provisioned ? JsonValue.Create(provisioned.PhysicalId) : JsonValue.Create($"{KnownAfterApply}{logicalId}}}}}");

        public JsonNode GetAtt(string logicalId, string attribute) =>
            Current(logicalId)?.Attributes.GetValueOrDefault(attribute)?.DeepClone() ?? JsonValue.Create($"{KnownAfterApply}{logicalId}.{attribute}}}}}");

        private ProvisionedResource? Current(string logicalId) =>
            stack is not null && !pending.Contains(logicalId) && stack.ResourceMap.TryGetValue(logicalId, out var resource) ? resource.Provisioned : null;
    }

    // ---------------------------------------------------------------- update runs

    private async Task RunUpdateAsync(Stack stack, Template template, Dictionary<string, JsonNode> values, IReadOnlySet<string> revertDrift)
    {
        Template previousTemplate;
        Dictionary<string, JsonNode> previousValues;
        IReadOnlyList<StackOutput> previousOutputs;
        HashSet<string> previousImports;
        TemplateEvaluator evaluator;
        List<string> included;
        lock (stack.Gate)
        {
            previousTemplate = stack.Template!;
            previousValues = stack.ParameterValues;
            previousOutputs = stack.Outputs;
            previousImports = stack.Imports;
            stack.Template = template;
            stack.Description = template.Description;
            stack.ParameterValues = values;
            stack.Imports = CollectImports(template);
            evaluator = new TemplateEvaluator(template, Context(stack.Identity, values, new StackResourceValues(stack)));
            included = template.Resources.Values.Where(resource => evaluator.IsIncluded(resource.Condition)).Select(resource => resource.LogicalId).ToList();
        }
        var touched = new List<TouchedResource>();
        var failed = new List<string>();
        var succeeded = await DependencyRunner.RunAsync(included, id => template.Resources[id].Dependencies,
            id => UpdateResourceAsync(stack, evaluator, template.Resources[id], revertDrift.Contains(id), touched, failed));
        var outputFailure = succeeded ? ResolveOutputs(stack, template, evaluator) : null;
        if (succeeded && outputFailure is null)
        {
            stack.SetStatus("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", null);
            List<StackResource> removed;
            lock (stack.Gate)
            {
                removed = stack.ResourceMap.Values.Where(resource => !included.Contains(resource.LogicalId)).ToList();
            }
            await DeleteResourcesAsync(stack, removed, rollback: false);
            await DeleteReplacedAsync(stack, touched.Where(touch => touch.Kind == Touch.Replaced).Select(touch => touch.Before!).ToList());
            lock (stack.Gate)
            {
                foreach (var resource in removed)
                {
                    stack.ResourceMap.Remove(resource.LogicalId);
                }
            }
            stack.SetStatus("UPDATE_COMPLETE", null);
            return;
        }

        stack.SetStatus("UPDATE_ROLLBACK_IN_PROGRESS",
            outputFailure ?? $"The following resource(s) failed to update: [{string.Join(", ", failed)}]. ");
        lock (stack.Gate)
        {
            stack.Template = previousTemplate;
            stack.Description = previousTemplate.Description;
            stack.ParameterValues = previousValues;
            stack.Outputs = previousOutputs;
            stack.Imports = previousImports;
        }
        var rolledBack = true;
        var discard = new List<StackResource>();
        foreach (var touch in Enumerable.Reverse(touched))
        {
            rolledBack &= await RevertAsync(stack, touch, discard);
        }
        stack.SetStatus("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", null);
        rolledBack &= await DeleteResourcesAsync(stack, discard, rollback: true);
        stack.SetStatus(rolledBack ? "UPDATE_ROLLBACK_COMPLETE" : "UPDATE_ROLLBACK_FAILED", null);
    }

    private async Task<bool> UpdateResourceAsync(Stack stack, TemplateEvaluator evaluator, ResourceDefinition definition, bool revertDrift,
        List<TouchedResource> touched, List<string> failed)
    {
        StackResource? existing;
        lock (stack.Gate)
        {
            stack.ResourceMap.TryGetValue(definition.LogicalId, out existing);
        }
        if (existing?.Provisioned is null)
        {
            lock (stack.Gate)
            {
                touched.Add(new TouchedResource(definition.LogicalId, Touch.Added, existing?.CloneForRollback(), null));
            }
            return await CreateResourceAsync(stack, evaluator, definition, failed);
        }
        var before = existing.CloneForRollback();
        try
        {
            var request = BuildRequest(stack, evaluator, definition);
            var details = CompareProperties(existing, definition, request.Properties);
            // "Conditionally" (the spec's "maybe") updates in place: what decides it in AWS is state LocalCloud does not model.
            var replace = existing.ResourceType != definition.Type || details.Any(detail => detail.RequiresRecreation == "Always");
            // A nested stack is updated with its parent every time: its template in S3 may have changed under the same URL.
            if (details.Count == 0 && !replace && !revertDrift && definition.Type != NestedStackProvisioner.ResourceType)
            {
                lock (stack.Gate)
                {
                    existing.Definition = definition;
                }
                return true;
            }
            lock (stack.Gate)
            {
                existing.Definition = definition;
                existing.ResourceType = definition.Type;
                existing.PreviousProperties = existing.Properties;
                existing.Properties = request.Properties;
            }
            var provisioner = ProvisionerFor(stack, definition.Type);
            if (replace)
            {
                stack.SetResourceStatus(existing, "UPDATE_IN_PROGRESS", "Requested update requires the creation of a new physical resource; hence creating one.");
                var created = ResourceIdentities.Complete(request, await provisioner.CreateAsync(WithDynamicValues(request), CancellationToken.None));
                lock (stack.Gate)
                {
                    existing.Provisioned = created;
                    touched.Add(new TouchedResource(definition.LogicalId, Touch.Replaced, before, created));
                }
                stack.SetResourceStatus(existing, "UPDATE_IN_PROGRESS", "Resource creation Initiated");
            }
            else
            {
                stack.SetResourceStatus(existing, "UPDATE_IN_PROGRESS", null);
                var updated = ResourceIdentities.Complete(request, await provisioner.UpdateAsync(WithDynamicValues(request), before.Provisioned!, CancellationToken.None));
                lock (stack.Gate)
                {
                    existing.Provisioned = updated;
                    // A provider that answers an update with a new physical id replaced the resource (custom resources):
                    // the old one is deleted at cleanup.
                    touched.Add(updated.PhysicalId == before.Provisioned!.PhysicalId
                        ? new TouchedResource(definition.LogicalId, Touch.UpdatedInPlace, before, null)
                        : new TouchedResource(definition.LogicalId, Touch.Replaced, before, updated));
                }
            }
            if (CancelledBySibling(stack, failed, definition.LogicalId))
            {
                stack.SetResourceStatus(existing, "UPDATE_FAILED", "Resource update cancelled");
                return false;
            }
            stack.SetResourceStatus(existing, "UPDATE_COMPLETE", null);
            return true;
        }
        catch (Exception exception)
        {
            lock (stack.Gate)
            {
                failed.Add(definition.LogicalId);
                touched.Add(new TouchedResource(definition.LogicalId, Touch.Failed, before, null));
            }
            if (existing.Status != "UPDATE_IN_PROGRESS")
            {
                stack.SetResourceStatus(existing, "UPDATE_IN_PROGRESS", null);
            }
            stack.SetResourceStatus(existing, "UPDATE_FAILED", FailureReason(exception));
            return false;
        }
    }

    /// <summary>Undoes one resource's update; resources to delete afterwards go to <paramref name="discard"/>.</summary>
    private async Task<bool> RevertAsync(Stack stack, TouchedResource touch, List<StackResource> discard)
    {
        StackResource current;
        lock (stack.Gate)
        {
            current = stack.ResourceMap[touch.LogicalId];
        }
        switch (touch.Kind)
        {
            case Touch.Added:
                lock (stack.Gate)
                {
                    if (touch.Before is null)
                    {
                        stack.ResourceMap.Remove(touch.LogicalId);
                    }
                    else
                    {
                        stack.ResourceMap[touch.LogicalId] = touch.Before;
                    }
                }
                if (current.Provisioned is not null)
                {
                    discard.Add(current);
                }
                return true;
            case Touch.Replaced:
                lock (stack.Gate)
                {
                    stack.ResourceMap[touch.LogicalId] = touch.Before!;
                }
                discard.Add(current);
                stack.SetResourceStatus(touch.Before!, "UPDATE_COMPLETE", null);
                return true;
            case Touch.UpdatedInPlace:
                var before = touch.Before!;
                lock (stack.Gate)
                {
                    stack.ResourceMap[touch.LogicalId] = before;
                }
                stack.SetResourceStatus(before, "UPDATE_IN_PROGRESS", null);
                try
                {
                    await ProvisionerFor(stack, before.ResourceType).UpdateAsync(WithDynamicValues(RequestFor(stack, before)), current.Provisioned!, CancellationToken.None);
                    stack.SetResourceStatus(before, "UPDATE_COMPLETE", null);
                    return true;
                }
                catch (Exception exception)
                {
                    stack.SetResourceStatus(before, "UPDATE_FAILED", FailureReason(exception));
                    return false;
                }
            default:
                lock (stack.Gate)
                {
                    stack.ResourceMap[touch.LogicalId] = touch.Before!;
                }
                stack.SetResourceStatus(touch.Before!, "UPDATE_COMPLETE", null);
                return true;
        }
    }

    /// <summary>Deletes the old physical resources of replaced ones, honouring UpdateReplacePolicy.</summary>
    private async Task DeleteReplacedAsync(Stack stack, List<StackResource> oldResources)
    {
        foreach (var old in oldResources)
        {
            if (old.Definition.UpdateReplacePolicy == "Retain")
            {
                stack.SetResourceStatus(old, "DELETE_SKIPPED", null);
                continue;
            }
            stack.SetResourceStatus(old, "DELETE_IN_PROGRESS", null);
            try
            {
                await ProvisionerFor(stack, old.ResourceType).DeleteAsync(RequestFor(stack, old), old.Provisioned!, CancellationToken.None);
                stack.SetResourceStatus(old, "DELETE_COMPLETE", null);
            }
            catch (Exception exception)
            {
                // AWS leaves a replaced resource it cannot delete behind and still completes the update.
                stack.SetResourceStatus(old, "DELETE_FAILED", FailureReason(exception));
            }
        }
    }
}
