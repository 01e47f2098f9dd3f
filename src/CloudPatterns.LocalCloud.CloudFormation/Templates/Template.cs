using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation.Specification;

namespace CloudPatterns.LocalCloud.CloudFormation.Templates;

public sealed record ParameterDefinition(
    string Name,
    string Type,
    string? Default,
    string? Description,
    bool NoEcho,
    IReadOnlyList<string> AllowedValues,
    string? AllowedPattern,
    int? MinLength,
    int? MaxLength,
    double? MinValue,
    double? MaxValue,
    string? ConstraintDescription)
{
    /// <summary>The type of the value the template sees: T of AWS::SSM::Parameter::Value&lt;T&gt;, else the type.</summary>
    public string ValueType => SsmParameterTypes.ValueType(Type) ?? Type;

    /// <summary>List&lt;...&gt; types and CommaDelimitedList (also as SSM value types) resolve to lists.</summary>
    public bool IsList => ValueType == "CommaDelimitedList" || ValueType.StartsWith("List<", StringComparison.Ordinal);
}

public sealed record ResourceDefinition(
    string LogicalId,
    string Type,
    JsonObject? Properties,
    IReadOnlyList<string> DependsOn,
    string? Condition,
    string DeletionPolicy,
    string UpdateReplacePolicy,
    JsonNode? Metadata,
    ResourceTypeSpec Spec)
{
    /// <summary>Custom resources (Custom::Name or AWS::CloudFormation::CustomResource) take any properties and attributes.</summary>
    public bool IsCustom => Type.StartsWith("Custom::", StringComparison.Ordinal) || Type == TemplateValidator.CustomResourceType;

    /// <summary>The resources this one must wait for: DependsOn plus every Ref/GetAtt/Sub of a resource.</summary>
    public IReadOnlySet<string> Dependencies { get; internal set; } = new HashSet<string>();
}

public sealed record OutputDefinition(string Name, JsonNode? Value, string? Description, string? Condition, JsonNode? ExportName);

/// <summary>A parsed template that has passed CloudFormation's synchronous format checks.</summary>
public sealed class Template
{
    internal Template(
        string body,
        JsonObject root,
        IReadOnlyDictionary<string, ParameterDefinition> parameters,
        IReadOnlyDictionary<string, ResourceDefinition> resources,
        IReadOnlyDictionary<string, OutputDefinition> outputs)
    {
        Body = body;
        Root = root;
        Parameters = parameters;
        Resources = resources;
        Outputs = outputs;
    }

    public string Body { get; }

    public JsonObject Root { get; }

    public string? Description => (Root["Description"] as JsonValue)?.ToString();

    public IReadOnlyDictionary<string, ParameterDefinition> Parameters { get; }

    public JsonObject Mappings => Root["Mappings"] as JsonObject ?? [];

    public JsonObject Conditions => Root["Conditions"] as JsonObject ?? [];

    public JsonObject Rules => Root["Rules"] as JsonObject ?? [];

    public IReadOnlyDictionary<string, ResourceDefinition> Resources { get; }

    public IReadOnlyDictionary<string, OutputDefinition> Outputs { get; }

    /// <summary>Parses and checks a template the way CreateStack/ValidateTemplate do before anything is provisioned.</summary>
    public static Template Parse(string body, ResourceSpecification specification) =>
        TemplateValidator.Validate(body, TemplateParser.Parse(body), specification);

    /// <summary>The capabilities this template's resources require (CAPABILITY_IAM, CAPABILITY_NAMED_IAM).</summary>
    public IReadOnlyList<string> RequiredCapabilities()
    {
        var iam = Resources.Values.Where(resource => resource.Type.StartsWith("AWS::IAM::", StringComparison.Ordinal)).ToList();
        if (iam.Count == 0)
        {
            return [];
        }
        var named = iam.Any(resource => NamedIamProperties.TryGetValue(resource.Type, out var nameProperty)
            && resource.Properties?.ContainsKey(nameProperty) == true);
        return [named ? "CAPABILITY_NAMED_IAM" : "CAPABILITY_IAM"];
    }

    private static readonly Dictionary<string, string> NamedIamProperties = new(StringComparer.Ordinal)
    {
        ["AWS::IAM::Role"] = "RoleName",
        ["AWS::IAM::User"] = "UserName",
        ["AWS::IAM::Group"] = "GroupName",
        ["AWS::IAM::ManagedPolicy"] = "ManagedPolicyName",
        ["AWS::IAM::InstanceProfile"] = "InstanceProfileName",
    };
}
