using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation.Templates;

namespace CloudPatterns.LocalCloud.CloudFormation.Stacks;

/// <summary>
/// A stack's state. The engine changes it under <see cref="Gate"/>; readers take snapshots through the
/// public members, which lock too, so a describe during provisioning never sees a half-made change.
/// </summary>
public sealed class Stack
{
    private readonly List<StackEvent> _events = [];
    private readonly TimeProvider _clock;
    private IReadOnlyList<StackOutput> _outputs = [];

    internal Stack(string accountId, string region, string stackId, string stackName, TimeProvider clock)
    {
        AccountId = accountId;
        Region = region;
        StackId = stackId;
        StackName = stackName;
        _clock = clock;
        CreationTime = clock.GetUtcNow();
    }

    internal object Gate { get; } = new();

    public string AccountId { get; }

    public string Region { get; }

    public string StackId { get; }

    public string StackName { get; }

    public DateTimeOffset CreationTime { get; private init; }

    public DateTimeOffset? LastUpdatedTime { get; internal set; }

    public DateTimeOffset? DeletionTime { get; internal set; }

    public string Status { get; private set; } = "";

    public string? StatusReason { get; private set; }

    /// <summary>The ClientRequestToken of the operation running now: CloudFormation puts it on each of its events.</summary>
    internal string? OperationToken { get; set; }

    public string? Description { get; internal set; }

    /// <summary>For a nested stack, the stack ARN of its parent and of the top-level stack; null for a root stack.</summary>
    public string? ParentId { get; internal init; }

    public string? RootId { get; internal init; }

    public bool TerminationProtection { get; internal set; }

    /// <summary>Whom the stack's resource calls are made as: its service role, or the caller of its latest operation.</summary>
    public Provisioning.StackPrincipal Principal { get; internal set; } = Provisioning.StackPrincipal.None;

    /// <summary>The stack's service role (DescribeStacks' RoleARN), or null.</summary>
    public string? RoleArn => Principal.RoleArn;

    public bool DisableRollback { get; internal set; }

    public IReadOnlyList<string> Capabilities { get; internal set; } = [];

    public IReadOnlyList<string> NotificationArns { get; internal set; } = [];

    public IReadOnlyList<KeyValuePair<string, string>> Tags { get; internal set; } = [];

    public string DriftStatus { get; internal set; } = "NOT_CHECKED";

    public DateTimeOffset? LastDriftCheck { get; internal set; }

    /// <summary>The template in force (null while a CREATE change set waits in REVIEW_IN_PROGRESS).</summary>
    public Template? Template { get; internal set; }

    internal Dictionary<string, JsonNode> ParameterValues { get; set; } = new(StringComparer.Ordinal);

    internal Dictionary<string, StackResource> ResourceMap { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Export names this stack's template imports (Fn::ImportValue), which keep the exporter from deleting them.</summary>
    internal HashSet<string> Imports { get; set; } = new(StringComparer.Ordinal);

    internal Dictionary<string, ChangeSet> ChangeSetMap { get; } = new(StringComparer.Ordinal);

    /// <summary>The running (or last) operation; tests await it, the API does not.</summary>
    public Task Operation { get; internal set; } = Task.CompletedTask;

    public StackIdentity Identity => new(AccountId, Region, StackName, StackId, NotificationArns);

    public bool IsDeleted => Status == "DELETE_COMPLETE";

    public IReadOnlyList<StackParameter> Parameters
    {
        get
        {
            lock (Gate)
            {
                return Template is null ? [] : StackParameter.From(Template, ParameterValues);
            }
        }
    }

    /// <summary>
    /// The outputs. The engine replaces the list, never changes it, so reading needs no lock; that keeps export
    /// lookups (Fn::ImportValue, made while another stack's lock is held) free of lock ordering.
    /// </summary>
    public IReadOnlyList<StackOutput> Outputs
    {
        get => Volatile.Read(ref _outputs);
        internal set => Volatile.Write(ref _outputs, value);
    }

    /// <summary>
    /// The outputs as DescribeStacks shows them: values a custom resource's provider answered with NoEcho appear as
    /// ****. NoEcho parameters are not masked in outputs, as in AWS (docs/localcloud-cloudformation-custom-resources.md).
    /// </summary>
    public IReadOnlyList<StackOutput> ShownOutputs
    {
        get
        {
            var hidden = HiddenAttributeValues();
            return hidden.Count == 0 ? Outputs : Outputs.Select(output => output with { OutputValue = Replace(output.OutputValue, hidden) }).ToList();
        }
    }

    public IReadOnlyList<StackResource> Resources
    {
        get
        {
            lock (Gate)
            {
                return [.. ResourceMap.Values];
            }
        }
    }

    /// <summary>Events newest first, as DescribeStackEvents lists them.</summary>
    public IReadOnlyList<StackEvent> Events
    {
        get
        {
            lock (Gate)
            {
                return Enumerable.Reverse(_events).ToList();
            }
        }
    }

    public IReadOnlyList<ChangeSet> ChangeSets
    {
        get
        {
            lock (Gate)
            {
                return [.. ChangeSetMap.Values];
            }
        }
    }

    /// <summary>A stack as a state file kept it: status and events as they were, no new event.</summary>
    internal static Stack Restored(StackSnapshot snapshot, TimeProvider clock)
    {
        var stack = new Stack(snapshot.AccountId, snapshot.Region, snapshot.StackId, snapshot.StackName, clock)
        {
            CreationTime = snapshot.CreationTime,
            LastUpdatedTime = snapshot.LastUpdatedTime,
            DeletionTime = snapshot.DeletionTime,
            Status = snapshot.Status,
            StatusReason = snapshot.StatusReason,
            TerminationProtection = snapshot.TerminationProtection,
            DisableRollback = snapshot.DisableRollback,
            Capabilities = snapshot.Capabilities,
            NotificationArns = snapshot.NotificationArns,
            Tags = snapshot.Tags,
            Outputs = snapshot.Outputs,
            ParentId = snapshot.ParentId,
            RootId = snapshot.RootId,
        };
        stack._events.AddRange(snapshot.Events);
        return stack;
    }

    /// <summary>Events oldest first, for the state file.</summary>
    internal IReadOnlyList<StackEvent> EventsInOrder()
    {
        lock (Gate)
        {
            return [.. _events];
        }
    }

    internal void SetStatus(string status, string? reason)
    {
        lock (Gate)
        {
            Status = status;
            StatusReason = reason;
            AddEvent(StackName, StackId, "AWS::CloudFormation::Stack", status, reason, null);
        }
    }

    internal void SetResourceStatus(StackResource resource, string status, string? reason)
    {
        lock (Gate)
        {
            resource.Status = status;
            resource.StatusReason = reason;
            resource.LastUpdated = _clock.GetUtcNow();
            AddEvent(resource.LogicalId, resource.PhysicalId, resource.ResourceType, status, reason, MaskedJson(resource.Properties));
        }
    }

    /// <summary>JSON of a value with NoEcho parameter values shown as AWS shows them: ****.</summary>
    internal string? MaskedJson(JsonNode? node)
    {
        if (node is null)
        {
            return null;
        }
        var secrets = NoEchoValues();
        return secrets.Count == 0 ? node.ToJsonString() : Mask(node.DeepClone(), secrets)!.ToJsonString();
    }

    /// <summary>A text with NoEcho parameter values replaced by ****.</summary>
    internal string? Mask(string? text) => text is null ? null : Replace(text, NoEchoValues());

    private static string Replace(string text, List<string> secrets) =>
        secrets.Aggregate(text, (masked, secret) => masked.Replace(secret, "****", StringComparison.Ordinal));

    /// <summary>The values of NoEcho parameters and of NoEcho custom resources' attributes.</summary>
    private List<string> NoEchoValues()
    {
        lock (Gate)
        {
            var parameters = Template is null ? [] : ParameterValues
                .Where(pair => Template.Parameters.TryGetValue(pair.Key, out var definition) && definition.NoEcho)
                .Select(pair => pair.Value.ToString());
            return [.. parameters.Where(secret => secret.Length > 0), .. HiddenAttributeValues()];
        }
    }

    private List<string> HiddenAttributeValues()
    {
        lock (Gate)
        {
            return ResourceMap.Values
                .Select(resource => resource.Provisioned)
                .OfType<Provisioning.ProvisionedResource>()
                .Where(provisioned => provisioned.NoEcho)
                // The physical id (Ref) is not masked: it can be among the attributes the engine keeps.
                .SelectMany(provisioned => provisioned.Attributes.Values
                    .Select(value => TemplateEvaluator.AsString(value) ?? value.ToJsonString())
                    .Where(secret => secret.Length > 0 && secret != provisioned.PhysicalId))
                .ToList();
        }
    }

    private static JsonNode? Mask(JsonNode? node, List<string> secrets)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(pair => pair.Key).ToList())
                {
                    // Only a replaced string is set: a node cannot be set again where it already is.
                    if (Mask(obj[name], secrets) is { } masked && !ReferenceEquals(masked, obj[name]))
                    {
                        obj[name] = masked;
                    }
                }
                return obj;
            case JsonArray array:
                for (var index = 0; index < array.Count; index++)
                {
                    if (Mask(array[index], secrets) is { } masked && !ReferenceEquals(masked, array[index]))
                    {
                        array[index] = masked;
                    }
                }
                return array;
            case JsonValue value when value.TryGetValue<string>(out var text):
                return JsonValue.Create(secrets.Aggregate(text, (masked, secret) => masked.Replace(secret, "****", StringComparison.Ordinal)));
            default:
                return node;
        }
    }

    private void AddEvent(string logicalId, string? physicalId, string type, string status, string? reason, string? properties) =>
        _events.Add(new StackEvent(Guid.NewGuid().ToString(), StackId, StackName, logicalId, physicalId ?? "", type,
            _clock.GetUtcNow(), status, reason, properties, OperationToken));
}
