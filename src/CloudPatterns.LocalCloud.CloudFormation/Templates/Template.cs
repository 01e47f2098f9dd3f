using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation.Specification;
using CloudPatterns.LocalCloud.CloudFormation.Templates.Transforms;

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

    /// <summary>The template as submitted (GetTemplate's Original stage).</summary>
    public string Body { get; }

    /// <summary>The template after its transforms (GetTemplate's Processed stage); the body itself when it has none.</summary>
    public string ProcessedBody { get; private init; } = "";

    /// <summary>Whether the submitted template has transforms or macros (module expansion alone is not one).</summary>
    public bool RunsTransforms { get; private init; }

    /// <summary>The template-level transforms, in order (ValidateTemplate's DeclaredTransforms).</summary>
    public IReadOnlyList<string> DeclaredTransforms { get; private init; } = [];

    public JsonObject Root { get; }

    public string? Description => (Root["Description"] as JsonValue)?.ToString();

    public IReadOnlyDictionary<string, ParameterDefinition> Parameters { get; }

    public JsonObject Mappings => Root["Mappings"] as JsonObject ?? [];

    public JsonObject Conditions => Root["Conditions"] as JsonObject ?? [];

    public JsonObject Rules => Root["Rules"] as JsonObject ?? [];

    public IReadOnlyDictionary<string, ResourceDefinition> Resources { get; }

    public IReadOnlyDictionary<string, OutputDefinition> Outputs { get; }

    /// <summary>Parses and checks a template the way CreateStack/ValidateTemplate do before anything is provisioned.</summary>
    /// <param name="transformContext">What the transforms read, built from the submitted template's root; null when the
    /// caller has none, which refuses a template that needs transforms.</param>
    public static Template Parse(string body, ResourceSpecification specification, Func<JsonObject, TransformContext>? transformContext = null)
    {
        var original = TemplateParser.Parse(body);
        if (!TemplateTransforms.Needed(original))
        {
            var plain = TemplateValidator.Validate(body, original, specification);
            return new Template(body, plain.Root, plain.Parameters, plain.Resources, plain.Outputs) { ProcessedBody = body };
        }
        if (transformContext is null && !TemplateTransforms.HasTransforms(original))
        {
            // Modules only, with no registry to read them from: refused as unrecognized resource types.
            var unexpanded = TemplateValidator.Validate(body, original, specification);
            return new Template(body, unexpanded.Root, unexpanded.Parameters, unexpanded.Resources, unexpanded.Outputs) { ProcessedBody = body };
        }
        var context = transformContext?.Invoke(original)
            ?? throw CloudFormationException.Validation("This template needs its transforms, which run when a stack is created or updated.");
        var processed = TemplateTransforms.Apply(original, context);
        return Processed(body, processed, TemplateTransforms.Declared(original), specification);
    }

    /// <summary>A template whose transforms already ran (LocalCloud's state file keeps both texts).</summary>
    public static Template Restore(string body, string processedBody, ResourceSpecification specification) =>
        body == processedBody
            ? Parse(body, specification)
            : Processed(body, TemplateParser.Parse(processedBody), TemplateTransforms.Declared(TemplateParser.Parse(body)), specification);

    private static Template Processed(string body, JsonObject processed, IReadOnlyList<string> declared, ResourceSpecification specification)
    {
        var template = TemplateValidator.Validate(body, processed, specification);
        return new Template(body, template.Root, template.Parameters, template.Resources, template.Outputs)
        {
            ProcessedBody = processed.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }),
            DeclaredTransforms = declared,
            RunsTransforms = TemplateTransforms.HasTransforms(TemplateParser.Parse(body)),
        };
    }

    /// <summary>The capabilities this template's resources require (CAPABILITY_IAM, CAPABILITY_NAMED_IAM).</summary>
    public IReadOnlyList<string> RequiredCapabilities()
    {
        var required = new List<string>();
        var iam = Resources.Values.Where(resource => resource.Type.StartsWith("AWS::IAM::", StringComparison.Ordinal)).ToList();
        if (iam.Count > 0)
        {
            var named = iam.Any(resource => NamedIamProperties.TryGetValue(resource.Type, out var nameProperty)
                && resource.Properties?.ContainsKey(nameProperty) == true);
            required.Add(named ? "CAPABILITY_NAMED_IAM" : "CAPABILITY_IAM");
        }
        if (RunsTransforms)
        {
            // Creating or updating a stack straight from a template with transforms (not through a change set).
            required.Add("CAPABILITY_AUTO_EXPAND");
        }
        return required;
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
