using System.Text.Json.Nodes;

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
    Func<string, bool> MacroDefined);

/// <summary>
/// CloudFormation's transform step (docs/localcloud-cloudformation-transforms.md): inline <c>Fn::Transform</c>
/// (AWS::Include) first, then the template-level transforms in the order listed; macros are refused naming the
/// macro, since LocalCloud cannot run their Lambda functions.
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

    /// <summary>Whether the template needs the transform step (a Transform section or an inline Fn::Transform).</summary>
    public static bool Needed(JsonObject root) => root.ContainsKey("Transform") || ContainsInline(root);

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
                var macro => throw Macro(macro, context),
            };
        }
        return root;
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
                // One transform, or a list of them applied in order.
                var definitions = definition is JsonArray several ? several.ToList() : [definition];
                if (definitions.Select(item => TransformName(item is JsonObject ? item : null)).FirstOrDefault(name => name != Include) is { } macro)
                {
                    throw Macro(macro, context);
                }
                obj.Remove("Fn::Transform");
                JsonNode? snippet = null;
                foreach (var item in definitions)
                {
                    snippet = IncludeTransform.Read(item, context, values);
                    if (snippet is JsonObject included && definitions.Count > 1)
                    {
                        foreach (var (key, value) in included)
                        {
                            obj[key] = value?.DeepClone();
                        }
                    }
                }
                if (obj.Count == 0 || snippet is not JsonObject snippetObject)
                {
                    return snippet;
                }
                foreach (var (key, value) in snippetObject)
                {
                    obj[key] = value?.DeepClone();
                }
                return obj;
            default:
                return node;
        }
    }

    /// <summary>
    /// A macro: CloudFormation looks it up in the account and region. LocalCloud cannot invoke the Lambda function
    /// behind a defined macro, so that is a documented LocalCloud limit; an undefined one is CloudFormation's refusal.
    /// </summary>
    private static CloudFormationException Macro(string name, TransformContext context) => context.MacroDefined(name)
        ? CloudFormationException.Validation($"Transform {context.Stack.AccountId}::{name} failed: LocalCloud cannot run macros (their Lambda function); deploy the processed template instead.")
        : CloudFormationException.Validation($"No transform named {context.Stack.AccountId}::{name} found.");

    /// <summary>"Transform NAME failed with: DETAIL", CloudFormation's text for a transform's refusal.</summary>
    internal static CloudFormationException Failed(string transform, string detail) =>
        CloudFormationException.Validation($"Transform {transform} failed with: {detail}");
}
