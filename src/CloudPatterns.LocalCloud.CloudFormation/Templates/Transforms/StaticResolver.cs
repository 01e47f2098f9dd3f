using System.Text.Json.Nodes;

namespace CloudPatterns.LocalCloud.CloudFormation.Templates.Transforms;

/// <summary>
/// Intrinsic functions a transform can evaluate when it runs (parameters, pseudo parameters, mappings, conditions),
/// through the engine's own <see cref="TemplateEvaluator"/>; anything that needs a resource gives null.
/// </summary>
internal sealed class StaticResolver
{
    private readonly JsonObject _root;
    private readonly TemplateEvaluator _evaluator;

    public StaticResolver(JsonObject root, TransformContext context)
    {
        _root = root;
        var template = new Template("", root, ParameterParser.Parse(root["Parameters"]), new Dictionary<string, ResourceDefinition>(), new Dictionary<string, OutputDefinition>());
        _evaluator = new TemplateEvaluator(template, new EvaluationContext(context.Stack, context.ParameterValues, NoResources.Instance, context.AvailabilityZones, _ => null));
    }

    /// <summary>The value, or null when it depends on something known only at deploy time.</summary>
    public JsonNode? TryResolve(JsonNode? node)
    {
        try
        {
            var value = _evaluator.Resolve(node);
            return value is not null && value.ToJsonString().Contains(TemplateEvaluator.KnownAfterApply, StringComparison.Ordinal) ? null : value;
        }
        catch (Exception error) when (error is CloudFormationException or ResourceFailedException or KeyNotFoundException)
        {
            return null;
        }
    }

    /// <summary>A mapping's value, or null when the map or a key is missing.</summary>
    public JsonNode? Mapping(string map, string top, string second) => (_root["Mappings"]?[map] as JsonObject)?[top] is JsonObject level
        ? level[second]?.DeepClone()
        : null;

    /// <summary>Whether the object is one intrinsic function call ({"Ref": ...} or {"Fn::X": ...}).</summary>
    public static bool IsFunction(JsonObject obj) =>
        obj.Count == 1 && (obj.First().Key == "Ref" || obj.First().Key.StartsWith("Fn::", StringComparison.Ordinal));

    public static bool HasFunctions(JsonNode? node) => node switch
    {
        JsonObject obj => IsFunction(obj) || obj.Any(pair => HasFunctions(pair.Value)),
        JsonArray array => array.Any(HasFunctions),
        _ => false,
    };

    /// <summary>Resources do not exist while a transform runs.</summary>
    private sealed class NoResources : IResourceValues
    {
        public static readonly NoResources Instance = new();

        public JsonNode Ref(string logicalId) => JsonValue.Create($"{TemplateEvaluator.KnownAfterApply}{logicalId}}}}}");

        public JsonNode GetAtt(string logicalId, string attribute) => JsonValue.Create($"{TemplateEvaluator.KnownAfterApply}{logicalId}.{attribute}}}}}");
    }
}
