using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation.Templates.Modules;

namespace CloudPatterns.LocalCloud.CloudFormation.Templates.Transforms;

/// <summary>What a transform may read: the stack's identity, its parameter values, LocalCloud's S3 and macros.</summary>
/// <param name="ParameterValues">Resolved parameter values (strings, or arrays for list types).</param>
/// <param name="ReadObject">An S3 object's text in the stack's account (bucket, key), or null when it does not exist.</param>
/// <param name="MacroDefined">Whether a stack of the account and region defines an AWS::CloudFormation::Macro of that name.</param>
public sealed record TransformContext(
    StackIdentity Stack,
    IReadOnlyDictionary<string, JsonNode> ParameterValues,
    Func<string, IReadOnlyList<string>> AvailabilityZones,
    Func<string, string, string?> ReadObject,
    Func<string, bool> MacroDefined)
{
    /// <summary>
    /// Runs a defined macro's function with the macro event and returns its response; null when the account and
    /// region define no macro of that name (or LocalCloud cannot run it). Null: macros are refused.
    /// </summary>
    public Func<string, JsonObject, JsonObject?>? RunMacro { get; init; }

    /// <summary>
    /// The template URL of a published Serverless Application Repository application (application id, semantic
    /// version), null when it is not published; null: every application is unknown.
    /// </summary>
    public Func<string, string, string?>? ServerlessApplicationUrl { get; init; }

    /// <summary>The template fragment of a module type registered in the stack's account and region, null when none is; null: no module is registered.</summary>
    public Func<string, JsonObject?>? ModuleFragment { get; init; }
    /// <summary>
    /// The path (/service-role/) of the AWS-managed policy of that name, null when there is none: SAM turns a
    /// policy name in Policies into its ARN. Null: every name is taken to be at the path /.
    /// </summary>
    public Func<string, string?>? ManagedPolicyPath { get; init; }
}

/// <summary>
/// CloudFormation's transform step (docs/localcloud-cloudformation-transforms.md): inline <c>Fn::Transform</c>
/// (AWS::Include and macros) first, deepest first, then the template-level transforms and macros in the order listed
/// (<see cref="MacroTransform"/> runs a macro's Lambda function).
/// </summary>
public static class TemplateTransforms
{
    public const string LanguageExtensions = "AWS::LanguageExtensions";
    public const string Serverless = "AWS::Serverless-2016-10-31";
    public const string Include = "AWS::Include";

    /// <summary>The names of the template-level transforms, in order (the Transform section: a name or a list).</summary>
    public static IReadOnlyList<string> Declared(JsonObject root) => root["Transform"] switch
    {
        null => [],
        JsonArray list => list.Select(TransformName).ToList(),
        var single => [TransformName(single)],
    };

    private static string TransformName(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var name) => name,
        JsonObject named when named["Name"] is JsonValue name && name.TryGetValue<string>(out var text) => text,
        _ => throw CloudFormationException.TemplateFormat("Key Name of transform definition must be a string."),
    };

    /// <summary>
    /// Whether the template needs the transform step: a Transform section or an inline Fn::Transform, modules, or
    /// intrinsic functions in a resource's DeletionPolicy/UpdateReplacePolicy (resolved from the parameter values).
    /// </summary>
    public static bool Needed(JsonObject root) => HasTransforms(root) || ModuleExpansion.Uses(root) || HasPolicyFunctions(root);

    private static readonly string[] PolicyAttributes = ["DeletionPolicy", "UpdateReplacePolicy"];

    private static bool HasPolicyFunctions(JsonObject root) => (root["Resources"] as JsonObject ?? [])
        .Any(resource => resource.Value is JsonObject definition && PolicyAttributes.Any(attribute => definition[attribute] is JsonObject));

    /// <summary>
    /// Intrinsic functions in DeletionPolicy/UpdateReplacePolicy, with or without AWS::LanguageExtensions
    /// (docs/localcloud-cloudformation-validation.md, "Policy attributes"), resolved from parameters, mappings and
    /// conditions. One that reads a parameter without a value yet (ValidateTemplate, or a create that is then refused
    /// for the missing value) is left out, which is the default policy; anything else stays for the template's check.
    /// </summary>
    private static void ResolvePolicies(JsonObject root, TransformContext context)
    {
        var values = new StaticResolver(root, context);
        foreach (var resource in (root["Resources"] as JsonObject ?? []).Select(pair => pair.Value).OfType<JsonObject>())
        {
            foreach (var attribute in PolicyAttributes)
            {
                if (resource[attribute] is not JsonObject policy)
                {
                    continue;
                }
                if (values.TryResolve(policy) is JsonValue resolved && resolved.TryGetValue<string>(out var text))
                {
                    resource[attribute] = JsonValue.Create(text);
                }
                else if (ReferencedParameters(policy, root).Any(name => (root["Parameters"] as JsonObject)?.ContainsKey(name) == true && !context.ParameterValues.ContainsKey(name)))
                {
                    resource.Remove(attribute);
                }
            }
        }
    }

    /// <summary>The names a function refers to with Ref, also through the conditions its Fn::If and Condition name.</summary>
    private static IEnumerable<string> ReferencedParameters(JsonNode? node, JsonObject root, int depth = 0) => depth > 32 ? [] : node switch
    {
        JsonObject obj when obj["Ref"] is JsonValue name && name.TryGetValue<string>(out var text) => [text],
        JsonObject obj when obj["Condition"] is JsonValue name && name.TryGetValue<string>(out var condition) =>
            ReferencedParameters((root["Conditions"] as JsonObject)?[condition], root, depth + 1),
        JsonObject obj when obj["Fn::If"] is JsonArray { Count: 3 } branches && branches[0] is JsonValue name && name.TryGetValue<string>(out var condition) =>
            ReferencedParameters((root["Conditions"] as JsonObject)?[condition], root, depth + 1).Concat(branches.Skip(1).SelectMany(branch => ReferencedParameters(branch, root, depth + 1))),
        JsonObject obj => obj.SelectMany(pair => ReferencedParameters(pair.Value, root, depth + 1)),
        JsonArray array => array.SelectMany(item => ReferencedParameters(item, root, depth + 1)),
        _ => [],
    };

    /// <summary>Whether the template has transforms or macros to run (what CAPABILITY_AUTO_EXPAND acknowledges; modules are not macros).</summary>
    public static bool HasTransforms(JsonObject root) => root.ContainsKey("Transform") || ContainsInline(root);

    /// <summary>The processed template: a new tree, the input is left as submitted.</summary>
    public static JsonObject Apply(JsonObject original, TransformContext context)
    {
        var root = (JsonObject)original.DeepClone();
        var declared = Declared(root);
        var definitions = root["Transform"] is JsonArray list ? list.ToList() : [root["Transform"]];
        root.Remove("Transform");
        root = (JsonObject)ApplyInline(root, context, new StaticResolver(root, context))!;
        for (var index = 0; index < declared.Count; index++)
        {
            root = declared[index] switch
            {
                LanguageExtensions => Transforms.LanguageExtensions.Apply(root, context),
                Serverless => ServerlessTransform.Apply(root, context),
                Include => IncludeTransform.Merge(root, definitions[index], context),
                var macro => MacroTransform.Run(macro, root, (definitions[index] as JsonObject)?["Parameters"], context, new StaticResolver(root, context)) as JsonObject
                    ?? throw CloudFormationException.Validation($"Transform {context.Stack.AccountId}::{macro} failed with: The macro's fragment for a template-level transform must be a template object."),
            };
        }
        ResolvePolicies(root, context);
        // Modules after the transforms (a module may come from a macro's or SAM's output); an unregistered one stays.
        return context.ModuleFragment is { } fragmentFor && ModuleExpansion.Uses(root) ? ModuleExpansion.Apply(root, fragmentFor) : root;
    }

    private static bool ContainsInline(JsonNode? node) => node switch
    {
        JsonObject obj => obj.ContainsKey("Fn::Transform") || obj.Any(pair => ContainsInline(pair.Value)),
        JsonArray array => array.Any(ContainsInline),
        _ => false,
    };

    /// <summary>Inline Fn::Transform, deepest first: the object holding it becomes the snippet (merged with its other keys).</summary>
    private static JsonNode? ApplyInline(JsonNode? node, TransformContext context, StaticResolver values)
    {
        switch (node)
        {
            case JsonArray array:
                for (var index = 0; index < array.Count; index++)
                {
                    var replaced = ApplyInline(array[index], context, values);
                    if (!ReferenceEquals(replaced, array[index]))
                    {
                        array[index] = replaced?.DeepClone();
                    }
                }
                return array;
            case JsonObject obj:
                foreach (var key in obj.Select(pair => pair.Key).ToList())
                {
                    var replaced = ApplyInline(obj[key], context, values);
                    if (!ReferenceEquals(replaced, obj[key]))
                    {
                        obj[key] = replaced?.DeepClone();
                    }
                }
                if (obj["Fn::Transform"] is not { } definition)
                {
                    return obj;
                }
                // One transform, or a list of them applied in order, each to what the previous one returned.
                var definitions = definition is JsonArray several ? several.ToList() : [definition];
                obj.Remove("Fn::Transform");
                JsonNode? current = obj;
                foreach (var item in definitions)
                {
                    var name = TransformName(item is JsonObject ? item : null);
                    current = name == Include ? Included(current, IncludeTransform.Read(item, context, values))
                        : MacroTransform.Run(name, current ?? new JsonObject(), (item as JsonObject)?["Parameters"], context, values);
                }
                return current;
            default:
                return node;
        }
    }

    /// <summary>An AWS::Include snippet in place of the object that held Fn::Transform: merged with the object's other keys when both are objects.</summary>
    private static JsonNode? Included(JsonNode? current, JsonNode? snippet)
    {
        if (current is not JsonObject obj || obj.Count == 0 || snippet is not JsonObject snippetObject)
        {
            return snippet;
        }
        foreach (var (key, value) in snippetObject)
        {
            obj[key] = value?.DeepClone();
        }
        return obj;
    }

    /// <summary>"Transform NAME failed with: DETAIL", CloudFormation's text for a transform's refusal.</summary>
    internal static CloudFormationException Failed(string transform, string detail) =>
        CloudFormationException.Validation($"Transform {transform} failed with: {detail}");
}
