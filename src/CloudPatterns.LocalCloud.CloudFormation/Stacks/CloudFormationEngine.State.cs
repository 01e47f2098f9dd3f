using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.CloudFormation.Templates;

namespace CloudPatterns.LocalCloud.CloudFormation.Stacks;

/// <summary>What a state file keeps of the engine: stacks (with template, resources and events) and the actual state of generically provisioned resources.</summary>
public sealed record EngineSnapshot(IReadOnlyList<StackSnapshot> Stacks, IReadOnlyList<ActualResourceSnapshot> GenericResources);

public sealed record StackSnapshot(
    string AccountId,
    string Region,
    string StackId,
    string StackName,
    string Status,
    string? StatusReason,
    DateTimeOffset CreationTime,
    DateTimeOffset? LastUpdatedTime,
    DateTimeOffset? DeletionTime,
    string? TemplateBody,
    IReadOnlyDictionary<string, JsonNode> ParameterValues,
    IReadOnlyList<KeyValuePair<string, string>> Tags,
    IReadOnlyList<string> Capabilities,
    IReadOnlyList<string> NotificationArns,
    bool TerminationProtection,
    bool DisableRollback,
    IReadOnlyList<StackOutput> Outputs,
    IReadOnlyList<ResourceSnapshot> Resources,
    IReadOnlyList<StackEvent> Events,
    string? ParentId = null,
    string? RootId = null)
{
    /// <summary>The template after its transforms, when it has any (older state files have none).</summary>
    public string? ProcessedTemplateBody { get; init; }
}

public sealed record ResourceSnapshot(
    string LogicalId,
    string ResourceType,
    string Status,
    string? StatusReason,
    DateTimeOffset LastUpdated,
    JsonObject? Properties,
    string? PhysicalId,
    IReadOnlyDictionary<string, JsonNode>? Attributes,
    bool NoEcho = false);

public sealed record ActualResourceSnapshot(string AccountId, string Region, string ResourceType, string PhysicalId, JsonObject Properties);

public sealed partial class CloudFormationEngine
{
    /// <summary>The engine's state for a state file (change sets and drift results are not kept).</summary>
    public EngineSnapshot Save()
    {
        List<Stack> stacks;
        lock (_stacks)
        {
            stacks = [.. _stacks];
        }
        return new EngineSnapshot(stacks.Select(SaveStack).ToList(), Provisioners.Generic.Save());
    }

    private static StackSnapshot SaveStack(Stack stack)
    {
        lock (stack.Gate)
        {
            return new StackSnapshot(stack.AccountId, stack.Region, stack.StackId, stack.StackName, stack.Status, stack.StatusReason,
                stack.CreationTime, stack.LastUpdatedTime, stack.DeletionTime, stack.Template?.Body,
                stack.ParameterValues.ToDictionary(pair => pair.Key, pair => pair.Value.DeepClone()),
                stack.Tags, stack.Capabilities, stack.NotificationArns, stack.TerminationProtection, stack.DisableRollback, stack.Outputs,
                stack.ResourceMap.Values.Select(resource => new ResourceSnapshot(resource.LogicalId, resource.ResourceType, resource.Status,
                    resource.StatusReason, resource.LastUpdated, (JsonObject?)resource.Properties?.DeepClone(), resource.PhysicalId,
                    resource.Provisioned?.Attributes.ToDictionary(pair => pair.Key, pair => pair.Value.DeepClone()), resource.Provisioned?.NoEcho ?? false)).ToList(),
                stack.EventsInOrder(), stack.ParentId, stack.RootId)
            {
                ProcessedTemplateBody = stack.Template?.ProcessedBody == stack.Template?.Body ? null : stack.Template?.ProcessedBody,
            };
        }
    }

    /// <summary>Adds the stacks and generic resources of a state file (call before any request arrives).</summary>
    public void Restore(EngineSnapshot snapshot)
    {
        Provisioners.Generic.Restore(snapshot.GenericResources);
        foreach (var saved in snapshot.Stacks)
        {
            var stack = Stack.Restored(saved, _clock);
            if (saved.TemplateBody is { } body)
            {
                var template = Template.Restore(body, saved.ProcessedTemplateBody ?? body, Specification);
                stack.Template = template;
                stack.Description = template.Description;
                stack.Imports = CollectImports(template);
                stack.ParameterValues = saved.ParameterValues.ToDictionary(pair => pair.Key, pair => pair.Value.DeepClone(), StringComparer.Ordinal);
                // A resource the kept template does not declare can only come from an interrupted update: nothing describes it any more.
                foreach (var resource in saved.Resources.Where(resource => template.Resources.ContainsKey(resource.LogicalId)))
                {
                    stack.ResourceMap[resource.LogicalId] = RestoreResource(template.Resources[resource.LogicalId], resource);
                }
            }
            lock (_stacks)
            {
                _stacks.Add(stack);
            }
        }
    }

    private static StackResource RestoreResource(ResourceDefinition definition, ResourceSnapshot saved) => new(definition)
    {
        ResourceType = saved.ResourceType,
        Status = saved.Status,
        StatusReason = saved.StatusReason,
        LastUpdated = saved.LastUpdated,
        Properties = saved.Properties,
        Provisioned = saved.PhysicalId is null ? null : new ProvisionedResource(saved.PhysicalId, saved.Attributes ?? new Dictionary<string, JsonNode>(), saved.NoEcho),
    };
}
