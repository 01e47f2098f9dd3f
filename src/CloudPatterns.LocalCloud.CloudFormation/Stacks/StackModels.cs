using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.CloudFormation.Templates;

namespace CloudPatterns.LocalCloud.CloudFormation.Stacks;

/// <summary>The inputs CreateStack, UpdateStack and CreateChangeSet share.</summary>
public sealed record StackInput
{
    public required string StackName { get; init; }

    /// <summary>The template body; null with <see cref="UsePreviousTemplate"/>.</summary>
    public string? TemplateBody { get; init; }

    public bool UsePreviousTemplate { get; init; }

    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Parameters given with UsePreviousValue=true.</summary>
    public IReadOnlyList<string> PreviousValueParameters { get; init; } = [];

    public IReadOnlyList<string> Capabilities { get; init; } = [];

    /// <summary>Stack tags; null on update keeps the current ones.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? Tags { get; init; }

    public IReadOnlyList<string> NotificationArns { get; init; } = [];

    /// <summary>ROLLBACK (default), DO_NOTHING or DELETE.</summary>
    public string OnFailure { get; init; } = "ROLLBACK";

    public bool EnableTerminationProtection { get; init; }

    /// <summary>
    /// CreateChangeSet's DeploymentMode: REVERT_DRIFT makes a drift-aware change set, which also puts drifted
    /// resources back to their template's properties; null compares templates only, as UpdateStack does.
    /// </summary>
    public string? DeploymentMode { get; init; }

    /// <summary>The stack whose AWS::CloudFormation::Stack resource creates this one (nested stacks); null for a root stack.</summary>
    internal Stack? Parent { get; init; }

    /// <summary>The service role CloudFormation assumes for the stack's resources (RoleARN); null keeps the stack's.</summary>
    public string? RoleArn { get; init; }

    /// <summary>The caller of the operation (LocalCloud's CallerIdentity), whose forward access session provisions without a role.</summary>
    public object? Caller { get; init; }
}

public sealed record StackEvent(
    string EventId,
    string StackId,
    string StackName,
    string LogicalResourceId,
    string? PhysicalResourceId,
    string ResourceType,
    DateTimeOffset Timestamp,
    string ResourceStatus,
    string? ResourceStatusReason,
    string? ResourceProperties,
    string? ClientRequestToken = null);

public sealed record StackOutput(string OutputKey, string OutputValue, string? Description, string? ExportName);

/// <param name="ResolvedValue">For SSM parameter types, the value read from Parameter Store (ParameterValue is its key).</param>
public sealed record StackParameter(string ParameterKey, string ParameterValue, bool NoEcho, string? ResolvedValue = null)
{
    /// <summary>Resolved values as the API shows them: lists comma-joined.</summary>
    internal static IReadOnlyList<StackParameter> From(Template template, IReadOnlyDictionary<string, JsonNode> values) =>
        values.Where(pair => !SsmParameterTypes.IsKeyEntry(pair.Key))
            .Select(pair =>
            {
                var (shown, resolved) = SsmParameterTypes.Display(pair.Key, pair.Value, values);
                return new StackParameter(pair.Key, shown, template.Parameters[pair.Key].NoEcho, resolved);
            })
            .ToList();
}

public sealed record Export(string ExportingStackId, string Name, string Value);

/// <summary>One property difference found by drift detection.</summary>
public sealed record PropertyDifference(string PropertyPath, string? ExpectedValue, string? ActualValue, string DifferenceType);

public sealed record ResourceDrift(
    string StackId,
    string LogicalResourceId,
    string PhysicalResourceId,
    string ResourceType,
    string? ExpectedProperties,
    string? ActualProperties,
    IReadOnlyList<PropertyDifference> Differences,
    string DriftStatus,
    DateTimeOffset Timestamp);

public sealed record DriftDetection(
    string DetectionId,
    string StackId,
    string DetectionStatus,
    string? StackDriftStatus,
    int DriftedResourceCount,
    DateTimeOffset Timestamp);

/// <summary>A resource of a stack as DescribeStackResources shows it.</summary>
public sealed class StackResource
{
    internal StackResource(ResourceDefinition definition)
    {
        LogicalId = definition.LogicalId;
        ResourceType = definition.Type;
        Definition = definition;
    }

    public string LogicalId { get; }

    public string ResourceType { get; internal set; }

    public string? PhysicalId => Provisioned?.PhysicalId;

    public string Status { get; internal set; } = "";

    public string? StatusReason { get; internal set; }

    public DateTimeOffset LastUpdated { get; internal set; }

    /// <summary>The resolved properties it was provisioned with (the "expected" side of drift).</summary>
    public JsonObject? Properties { get; internal set; }

    public string DriftStatus { get; internal set; } = "NOT_CHECKED";

    public DateTimeOffset? LastDriftCheck { get; internal set; }

    internal ResourceDefinition Definition { get; set; }

    internal ProvisionedResource? Provisioned { get; set; }

    /// <summary>The properties before the update in progress (a custom resource's OldResourceProperties).</summary>
    internal JsonObject? PreviousProperties { get; set; }

    internal StackResource CloneForRollback() => (StackResource)MemberwiseClone();
}

/// <summary>One resource change of a change set (or of an update about to run).</summary>
public sealed record ResourceChange(
    string Action,
    string LogicalResourceId,
    string? PhysicalResourceId,
    string ResourceType,
    string? Replacement,
    IReadOnlyList<string> Scope,
    IReadOnlyList<ResourceChangeDetail> Details,
    string? ResourceDriftStatus = null);

/// <summary>Why a resource changes: a property, whether that forces recreation (Never/Conditionally/Always), and the cause.</summary>
public sealed record ResourceChangeDetail(
    string Attribute,
    string? PropertyName,
    string RequiresRecreation,
    string Evaluation,
    string ChangeSource,
    string? CausingEntity);

public sealed class ChangeSet
{
    internal ChangeSet(string id, string name, Stack stack, string changeSetType, StackInput input, Template template,
        Dictionary<string, JsonNode> parameterValues, IReadOnlyList<ResourceChange> changes, DateTimeOffset created)
    {
        Id = id;
        Name = name;
        Stack = stack;
        ChangeSetType = changeSetType;
        Input = input;
        Template = template;
        ParameterValues = parameterValues;
        Changes = changes;
        CreationTime = created;
    }

    public string Id { get; }

    public string Name { get; }

    public Stack Stack { get; }

    /// <summary>CREATE or UPDATE.</summary>
    public string ChangeSetType { get; }

    public StackInput Input { get; }

    public Template Template { get; }

    internal Dictionary<string, JsonNode> ParameterValues { get; }

    public IReadOnlyList<StackParameter> Parameters => StackParameter.From(Template, ParameterValues);

    public IReadOnlyList<ResourceChange> Changes { get; }

    public DateTimeOffset CreationTime { get; }

    public string? Description { get; init; }

    /// <summary>CREATE_COMPLETE, FAILED or DELETE_COMPLETE.</summary>
    public string Status { get; internal set; } = "CREATE_COMPLETE";

    public string? StatusReason { get; internal set; }

    /// <summary>AVAILABLE, UNAVAILABLE, EXECUTE_IN_PROGRESS, EXECUTE_COMPLETE, OBSOLETE.</summary>
    public string ExecutionStatus { get; internal set; } = "AVAILABLE";
}
