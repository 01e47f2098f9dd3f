using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.CloudFormation.Specification;
using CloudPatterns.LocalCloud.CloudFormation.Templates;

namespace CloudPatterns.LocalCloud.CloudFormation.Stacks;

public sealed partial class CloudFormationEngine
{
    // ---------------------------------------------------------------- provisioning runs

    private static void BeginCreate(Stack stack, Template template, Dictionary<string, JsonNode> values)
    {
        lock (stack.Gate)
        {
            stack.Template = template;
            stack.Description = template.Description;
            stack.ParameterValues = values;
            stack.Imports = CollectImports(template);
            stack.SetStatus("CREATE_IN_PROGRESS", "User Initiated");
        }
    }

    private async Task RunCreateAsync(Stack stack, Template template, string onFailure)
    {
        TemplateEvaluator evaluator;
        List<ResourceDefinition> included;
        lock (stack.Gate)
        {
            evaluator = new TemplateEvaluator(template, Context(stack.Identity, stack.ParameterValues, new StackResourceValues(stack)));
            included = template.Resources.Values.Where(resource => evaluator.IsIncluded(resource.Condition)).ToList();
        }
        var failed = new List<string>();
        var succeeded = await DependencyRunner.RunAsync(
            included.Select(resource => resource.LogicalId).ToList(),
            id => template.Resources[id].Dependencies,
            id => CreateResourceAsync(stack, evaluator, template.Resources[id], failed));
        string? outputFailure = null;
        if (succeeded)
        {
            outputFailure = ResolveOutputs(stack, template, evaluator);
        }
        if (succeeded && outputFailure is null)
        {
            stack.SetStatus("CREATE_COMPLETE", null);
            return;
        }
        var reason = outputFailure ?? $"The following resource(s) failed to create: [{string.Join(", ", failed)}]. ";
        if (onFailure == "DO_NOTHING")
        {
            stack.SetStatus("CREATE_FAILED", reason);
            return;
        }
        stack.SetStatus("ROLLBACK_IN_PROGRESS", reason + "Rollback requested by user.");
        // Failed resources go through DELETE too, as CloudFormation shows them in a rollback.
        var rolledBack = await DeleteResourcesAsync(stack, stack.Resources, rollback: true);
        stack.SetStatus(rolledBack ? "ROLLBACK_COMPLETE" : "ROLLBACK_FAILED", null);
        if (rolledBack && onFailure == "DELETE")
        {
            await RunDeleteAsync(stack);
        }
    }

    private static HashSet<string> CollectImports(Template template)
    {
        var imports = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in template.Resources.Values.Select(resource => (JsonNode?)resource.Properties)
            .Concat(template.Outputs.Values.Select(output => output.Value)))
        {
            CollectImportNames(node, imports);
        }
        return imports;
    }

    private static void CollectImportNames(JsonNode? node, HashSet<string> imports)
    {
        switch (node)
        {
            case JsonObject { Count: 1 } function when function.ContainsKey("Fn::ImportValue"):
                if (function["Fn::ImportValue"] is JsonValue name && name.TryGetValue<string>(out var text))
                {
                    imports.Add(text);
                }
                break;
            case JsonObject obj:
                foreach (var (_, value) in obj)
                {
                    CollectImportNames(value, imports);
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    CollectImportNames(item, imports);
                }
                break;
        }
    }

    /// <summary>
    /// Whether a sibling failed while <paramref name="logicalId"/> was being provisioned; if so it fails too, as
    /// CloudFormation cancels every resource still in progress (the rollback undoes what was made).
    /// </summary>
    private static bool CancelledBySibling(Stack stack, List<string> failed, string logicalId)
    {
        lock (stack.Gate)
        {
            if (failed.Count == 0)
            {
                return false;
            }

            failed.Add(logicalId);
            return true;
        }
    }

    private async Task<bool> CreateResourceAsync(Stack stack, TemplateEvaluator evaluator, ResourceDefinition definition, List<string> failed)
    {
        var resource = new StackResource(definition);
        lock (stack.Gate)
        {
            stack.ResourceMap[definition.LogicalId] = resource;
        }
        try
        {
            stack.SetResourceStatus(resource, "CREATE_IN_PROGRESS", null);
            var request = BuildRequest(stack, evaluator, definition);
            lock (stack.Gate)
            {
                resource.Properties = request.Properties;
            }
            var provisioned = await ProvisionerFor(stack, definition.Type).CreateAsync(WithDynamicValues(request), CancellationToken.None);
            lock (stack.Gate)
            {
                resource.Provisioned = ResourceIdentities.Complete(request, provisioned);
            }
            bool cancelled = CancelledBySibling(stack, failed, definition.LogicalId);
            stack.SetResourceStatus(resource, "CREATE_IN_PROGRESS", "Resource creation Initiated");
            cancelled = cancelled || !await AwaitCreationSignalsAsync(stack, evaluator, resource, failed);
            if (cancelled)
            {
                // Another resource failed while this one was being created: CloudFormation cancels it (the rollback
                // deletes what was made), as it does every sibling still in progress.
                stack.SetResourceStatus(resource, "CREATE_FAILED", "Resource creation cancelled");
                return false;
            }
            stack.SetResourceStatus(resource, "CREATE_COMPLETE", null);
            return true;
        }
        catch (Exception exception)
        {
            lock (stack.Gate)
            {
                failed.Add(definition.LogicalId);
                if (exception is ResourceFailedException { LeftForRollback: { } left })
                {
                    resource.Provisioned = left;
                }
            }
            stack.SetResourceStatus(resource, "CREATE_FAILED", FailureReason(exception));
            return false;
        }
    }

    /// <summary>
    /// The *_FAILED reason for an exception from evaluation or a provisioner. Anything but the engine's own
    /// exceptions is a LocalCloud bug; it still fails the resource (with what broke) rather than hang the stack.
    /// </summary>
    private static string FailureReason(Exception exception) =>
        exception is ResourceFailedException or CloudFormationException
            ? exception.Message
            : $"Internal Failure ({exception.GetType().Name}: {exception.Message})";

    /// <summary>Resolves and validates a resource's properties; invalid ones fail it with the spec's message.</summary>
    private static ResourceRequest BuildRequest(Stack stack, TemplateEvaluator evaluator, ResourceDefinition definition)
    {
        JsonObject properties;
        lock (stack.Gate)
        {
            properties = evaluator.Resolve(definition.Properties) as JsonObject ?? [];
        }
        if (PropertyValidator.Validate(definition, properties) is { } violation)
        {
            throw new ResourceFailedException(violation);
        }
        return new ResourceRequest(stack.Identity, definition.LogicalId, definition.Type, PropertyCoercion.StringsAsText(definition, properties), definition.Spec);
    }

    private static ResourceRequest RequestFor(Stack stack, StackResource resource) =>
        new(stack.Identity, resource.LogicalId, resource.ResourceType, resource.Properties ?? [], resource.Definition.Spec);

    /// <summary>Evaluates the outputs; returns a failure reason (export clash, bad value) or null.</summary>
    private string? ResolveOutputs(Stack stack, Template template, TemplateEvaluator evaluator)
    {
        var outputs = new List<StackOutput>();
        try
        {
            lock (stack.Gate)
            {
                foreach (var output in template.Outputs.Values.Where(output => evaluator.IsIncluded(output.Condition)))
                {
                    var value = evaluator.Resolve(output.Value);
                    var text = value is JsonArray list ? string.Join(",", list.Select(TemplateEvaluator.AsString)) : TemplateEvaluator.AsString(value) ?? "";
                    var exportName = output.ExportName is null ? null : evaluator.ResolveString(output.ExportName, "Export Name");
                    outputs.Add(new StackOutput(output.Name, text, output.Description, exportName));
                }
            }
        }
        catch (Exception exception) when (exception is ResourceFailedException or CloudFormationException)
        {
            return exception.Message + " ";
        }
        foreach (var export in outputs.Where(output => output.ExportName is not null))
        {
            var holder = ListExports(stack.AccountId, stack.Region).FirstOrDefault(existing => existing.Name == export.ExportName && existing.ExportingStackId != stack.StackId);
            if (holder is not null)
            {
                return $"Export with name {export.ExportName} is already exported by stack {holder.ExportingStackId.Split('/')[1]}. ";
            }
        }
        lock (stack.Gate)
        {
            stack.Outputs = outputs;
        }
        return null;
    }

    /// <summary>Deletes resources, dependents first; Retain policies skip. Returns whether all went.</summary>
    private async Task<bool> DeleteResourcesAsync(Stack stack, IReadOnlyList<StackResource> resources, bool rollback)
    {
        var byId = resources.ToDictionary(resource => resource.LogicalId, StringComparer.Ordinal);
        var dependents = resources
            .SelectMany(resource => resource.Definition.Dependencies.Select(dependency => (dependency, resource.LogicalId)))
            .ToLookup(pair => pair.dependency, pair => pair.LogicalId);
        var allDeleted = true;
        await DependencyRunner.RunAsync(byId.Keys, id => dependents[id], async id =>
        {
            var deleted = await DeleteResourceAsync(stack, byId[id], rollback);
            if (!deleted)
            {
                allDeleted = false;
            }
            // A failed delete must not stop its siblings: the stack reports every failure.
            return true;
        });
        return allDeleted;
    }

    private async Task<bool> DeleteResourceAsync(Stack stack, StackResource resource, bool rollback)
    {
        var policy = resource.Definition.DeletionPolicy;
        if (policy == "Retain" || (policy == "RetainExceptOnCreate" && !rollback))
        {
            stack.SetResourceStatus(resource, "DELETE_SKIPPED", null);
            return true;
        }
        stack.SetResourceStatus(resource, "DELETE_IN_PROGRESS", null);
        try
        {
            if (resource.Provisioned is { } provisioned)
            {
                await ProvisionerFor(stack, resource.ResourceType).DeleteAsync(RequestFor(stack, resource), provisioned, CancellationToken.None);
            }
            stack.SetResourceStatus(resource, "DELETE_COMPLETE", null);
            return true;
        }
        catch (Exception exception)
        {
            stack.SetResourceStatus(resource, "DELETE_FAILED", FailureReason(exception));
            return false;
        }
    }

    private async Task RunDeleteAsync(Stack stack)
    {
        stack.SetStatus("DELETE_IN_PROGRESS", "User Initiated");
        var exports = stack.Outputs.Where(output => output.ExportName is not null).Select(output => output.ExportName!).ToList();
        var importer = ListStacks(stack.AccountId, stack.Region)
            .Where(other => other != stack && !other.IsDeleted)
            .Select(other => (other, name: exports.FirstOrDefault(other.Imports.Contains)))
            .FirstOrDefault(pair => pair.name is not null);
        if (importer.name is not null)
        {
            stack.SetStatus("DELETE_FAILED", $"Export {importer.name} cannot be deleted as it is in use by {importer.other.StackName}");
            return;
        }
        var deleted = await DeleteResourcesAsync(stack, stack.Resources.Where(resource => resource.Status != "DELETE_COMPLETE").ToList(), rollback: false);
        if (!deleted)
        {
            var failedIds = stack.Resources.Where(resource => resource.Status == "DELETE_FAILED").Select(resource => resource.LogicalId);
            stack.SetStatus("DELETE_FAILED", $"The following resource(s) failed to delete: [{string.Join(", ", failedIds)}]. ");
            return;
        }
        lock (stack.Gate)
        {
            stack.DeletionTime = _clock.GetUtcNow();
            stack.Outputs = [];
            foreach (var changeSet in stack.ChangeSetMap.Values)
            {
                changeSet.Status = "DELETE_COMPLETE";
            }
            stack.ChangeSetMap.Clear();
            stack.SetStatus("DELETE_COMPLETE", null);
        }
    }

    /// <summary>Refuses Ref/GetAtt of a resource its condition leaves out, as CloudFormation does when it accepts a template.</summary>
    private sealed class IncludedResourcesOnly(IResourceValues inner, Func<string, bool> isIncluded) : IResourceValues
    {
        public JsonNode Ref(string logicalId) => isIncluded(logicalId) ? inner.Ref(logicalId) : throw Unresolved(logicalId);

        public JsonNode GetAtt(string logicalId, string attribute) =>
            isIncluded(logicalId) ? inner.GetAtt(logicalId, attribute) : throw Unresolved(logicalId);

        private static CloudFormationException Unresolved(string logicalId) =>
            CloudFormationException.TemplateFormat($"Unresolved resource dependencies [{logicalId}] in the Resources block of the template");
    }

    /// <summary>Ref and GetAtt of a stack's provisioned resources.</summary>
    private sealed class StackResourceValues(Stack stack) : IResourceValues
    {
        public JsonNode Ref(string logicalId) => JsonValue.Create(Provisioned(logicalId).PhysicalId);

        public JsonNode GetAtt(string logicalId, string attribute) =>
            (Provisioned(logicalId).Attributes.GetValueOrDefault(attribute) ?? PropertyAttribute(logicalId, attribute)) is { } value
                ? value.DeepClone()
                : throw new ResourceFailedException($"Template error: resource {logicalId} does not support attribute type {attribute} in Fn::GetAtt");

        /// <summary>A property given to a type whose GetAtt returns its properties too, when its provisioner did not list it.</summary>
        private JsonNode? PropertyAttribute(string logicalId, string attribute)
        {
            lock (stack.Gate)
            {
                var resource = stack.ResourceMap[logicalId];
                return PropertyAttributes.Apply(resource.ResourceType) ? resource.Properties?[attribute] : null;
            }
        }

        private ProvisionedResource Provisioned(string logicalId)
        {
            lock (stack.Gate)
            {
                return stack.ResourceMap.TryGetValue(logicalId, out var resource) && resource.Provisioned is { } provisioned
                    ? provisioned
                    : throw new ResourceFailedException($"Template format error: Unresolved resource dependencies [{logicalId}] in the Resources block of the template");
            }
        }
    }
}
