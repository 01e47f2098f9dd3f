using System.Text.Json;
using System.Text.Json.Nodes;

namespace CloudPatterns.LocalCloud.CloudFormation.Templates.Transforms;

/// <summary>
/// AWS::LanguageExtensions (docs/localcloud-cloudformation-transforms.md): Fn::ForEach (nested, ${} and &amp;{}
/// identifiers) in Conditions, Resources (also inside resource definitions) and Outputs; Fn::Length;
/// Fn::ToJsonString; Fn::FindInMap with DefaultValue; intrinsic functions in DeletionPolicy/UpdateReplacePolicy.
/// Values are resolved from parameters, pseudo parameters, mappings and conditions; what depends on a resource stays
/// an intrinsic function for the engine.
/// </summary>
internal static class LanguageExtensions
{
    private const string ForEachPrefix = "Fn::ForEach::";
    private static readonly string[] LoopSections = ["Conditions", "Resources", "Outputs"];

    public static JsonObject Apply(JsonObject root, TransformContext context)
    {
        // Conditions first: loops in Resources and Outputs may use the conditions they generate.
        foreach (var section in LoopSections)
        {
            if (root[section] is JsonObject content)
            {
                root[section] = ExpandLoops(content, context, StaticValues(root, context));
            }
        }
        var values = StaticValues(root, context);
        foreach (var section in LoopSections)
        {
            if (root[section] is { } content)
            {
                root[section] = Functions(content, values);
            }
        }
        foreach (var (_, resource) in root["Resources"] as JsonObject ?? [])
        {
            if (resource is JsonObject definition)
            {
                ResolvePolicy(definition, "DeletionPolicy", values);
                ResolvePolicy(definition, "UpdateReplacePolicy", values);
            }
        }
        return root;
    }

    // ---------------------------------------------------------------- Fn::ForEach

    private static JsonObject ExpandLoops(JsonObject obj, TransformContext context, StaticResolver values)
    {
        var result = new JsonObject();
        foreach (var (key, value) in obj)
        {
            if (!key.StartsWith(ForEachPrefix, StringComparison.Ordinal))
            {
                Add(result, key, value is JsonObject inner ? ExpandLoops(inner, context, values) : ExpandArrays(value, context, values));
                continue;
            }
            var loop = key[ForEachPrefix.Length..];
            if (value is not JsonArray { Count: 3 } parts || parts[0] is not JsonValue identifierNode
                || !identifierNode.TryGetValue<string>(out var identifier) || identifier.Length == 0 || parts[2] is not JsonObject fragment)
            {
                throw Failed($"{key} layout is incorrect");
            }
            var collection = Collection(parts[1], key, values);
            foreach (var (outputKey, _) in fragment)
            {
                if (collection.Count > 1 && !outputKey.Contains("${" + identifier + "}", StringComparison.Ordinal)
                    && !outputKey.Contains("&{" + identifier + "}", StringComparison.Ordinal) && !outputKey.StartsWith(ForEachPrefix, StringComparison.Ordinal))
                {
                    throw Failed($"{key}: the OutputKey {outputKey} must contain ${{{identifier}}} or &{{{identifier}}}, or every iteration makes the same key");
                }
            }
            foreach (var item in collection)
            {
                var expanded = (JsonObject)Substitute(fragment.DeepClone(), identifier, item)!;
                foreach (var (outputKey, outputValue) in ExpandLoops(expanded, context, values))
                {
                    Add(result, outputKey, outputValue?.DeepClone());
                }
            }
        }
        return result;
    }

    private static JsonNode? ExpandArrays(JsonNode? node, TransformContext context, StaticResolver values)
    {
        if (node is JsonArray array)
        {
            return new JsonArray(array.Select(item => item is JsonObject obj ? ExpandLoops(obj, context, values) : ExpandArrays(item?.DeepClone(), context, values)).ToArray());
        }
        return node?.DeepClone();
    }

    private static void Add(JsonObject result, string key, JsonNode? value)
    {
        if (result.ContainsKey(key))
        {
            throw Failed($"Fn::ForEach generated the key {key} twice; keys in a template section must be unique");
        }
        result[key] = value is null || value.Parent is null ? value : value.DeepClone();
    }

    private static List<string> Collection(JsonNode? node, string key, StaticResolver values)
    {
        var resolved = node is JsonArray literal ? new JsonArray(literal.Select(item => values.TryResolve(item)).ToArray()) : values.TryResolve(node);
        if (resolved is not JsonArray list || list.Any(item => item is not JsonValue))
        {
            throw Failed($"{key}: the collection must be a list of strings, or a parameter or function that resolves to one when the transform runs");
        }
        return list.Select(item => item!.ToString()).ToList();
    }

    /// <summary>The identifier replaced in keys, in Ref, and in Fn::Sub strings (&amp;{x} keeps only letters and digits).</summary>
    private static JsonNode? Substitute(JsonNode? node, string identifier, string value)
    {
        var alphanumeric = new string(value.Where(char.IsAsciiLetterOrDigit).ToArray());
        string Replace(string text) => text.Replace("${" + identifier + "}", value, StringComparison.Ordinal)
            .Replace("&{" + identifier + "}", alphanumeric, StringComparison.Ordinal);
        switch (node)
        {
            case JsonArray array:
                return new JsonArray(array.Select(item => Substitute(item?.DeepClone(), identifier, value)).ToArray());
            case JsonObject { Count: 1 } reference when reference["Ref"] is JsonValue target && target.ToString() == identifier:
                return JsonValue.Create(value);
            case JsonObject { Count: 1 } sub when sub["Fn::Sub"] is JsonValue text && text.TryGetValue<string>(out var subText):
                return new JsonObject { ["Fn::Sub"] = Replace(subText) };
            case JsonObject { Count: 1 } sub when sub["Fn::Sub"] is JsonArray { Count: > 0 } arguments && arguments[0] is JsonValue first
                && first.TryGetValue<string>(out var subFirst):
                var replaced = (JsonArray)Substitute(arguments.DeepClone(), identifier, value)!;
                replaced[0] = Replace(subFirst);
                return new JsonObject { ["Fn::Sub"] = replaced };
            case JsonObject obj:
                var result = new JsonObject();
                foreach (var (key, item) in obj)
                {
                    result[Replace(key)] = Substitute(item?.DeepClone(), identifier, value);
                }
                return result;
            default:
                return node?.DeepClone();
        }
    }

    // ---------------------------------------------------------------- Fn::Length, Fn::ToJsonString, Fn::FindInMap

    private static JsonNode? Functions(JsonNode? node, StaticResolver values)
    {
        switch (node)
        {
            case JsonArray array:
                return new JsonArray(array.Select(item => Functions(item, values)).ToArray());
            case JsonObject { Count: 1 } call when call.First().Key == "Fn::Length":
                var list = call["Fn::Length"] is JsonArray literal ? literal : values.TryResolve(Functions(call["Fn::Length"], values));
                return list is JsonArray counted ? JsonValue.Create(counted.Count) : throw Failed("Fn::Length layout is incorrect: it takes a list, or a function that resolves to one when the transform runs");
            case JsonObject { Count: 1 } call when call.First().Key == "Fn::ToJsonString":
                return ToJsonString(Functions(call["Fn::ToJsonString"], values), values);
            case JsonObject { Count: 1 } call when call.First().Key == "Fn::FindInMap" && call["Fn::FindInMap"] is JsonArray { Count: 4 } arguments:
                return FindInMapWithDefault(new JsonArray(arguments.Select(item => Functions(item, values)).ToArray()), values);
            case JsonObject { Count: 1 } call when call["Ref"] is JsonObject name:
                // Ref: !Sub '${Identifier}Name' in a loop: a logical id computed when the transform runs.
                return new JsonObject { ["Ref"] = Name(Functions(name, values), values, "Ref") };
            case JsonObject { Count: 1 } call when call["Fn::GetAtt"] is JsonArray { Count: 2 } arguments && arguments.Any(item => item is JsonObject):
                return new JsonObject { ["Fn::GetAtt"] = new JsonArray(arguments.Select(item => Name(Functions(item, values), values, "Fn::GetAtt")).ToArray()) };
            case JsonObject obj:
                var result = new JsonObject();
                foreach (var (key, item) in obj)
                {
                    // A condition name computed in a loop (Condition: !Sub 'Is${Name}') is an intrinsic function; an IAM
                    // policy statement's Condition block ({StringEquals: {...}}) is not, and stays as written.
                    result[key] = key is "Condition" && item is JsonObject { Count: 1 } computed && IsFunction(computed.First().Key)
                        ? Name(Functions(item, values), values, key)
                        : Functions(item, values);
                }
                return result;
            default:
                return node?.DeepClone();
        }
    }

    private static bool IsFunction(string key) => key is "Ref" || key.StartsWith("Fn::", StringComparison.Ordinal);

    private static JsonNode Name(JsonNode? node, StaticResolver values, string where) =>
        node is JsonValue literal ? literal : values.TryResolve(node) is JsonValue resolved && resolved.TryGetValue<string>(out var text)
            ? JsonValue.Create(text)
            : throw Failed($"{where} must resolve to a string when the transform runs (from parameters, loop identifiers or mappings)");

    private static JsonNode? FindInMapWithDefault(JsonArray arguments, StaticResolver values)
    {
        if (arguments[3] is not JsonObject { Count: 1 } options || !options.ContainsKey("DefaultValue"))
        {
            throw Failed("Fn::FindInMap layout is incorrect: the fourth argument must be {DefaultValue: value}");
        }
        var lookup = new JsonArray(arguments.Take(3).Select(item => item?.DeepClone()).ToArray());
        var keys = lookup.Select(values.TryResolve).ToList();
        if (keys.Any(key => key is not JsonValue))
        {
            // A key known only at deploy time: the engine looks it up then, without the default.
            return new JsonObject { ["Fn::FindInMap"] = lookup };
        }
        return values.Mapping(keys[0]!.ToString(), keys[1]!.ToString(), keys[2]!.ToString()) ?? options["DefaultValue"]?.DeepClone();
    }

    /// <summary>The JSON text of a value; parts known only at deploy time become an Fn::Join around them.</summary>
    private static JsonNode ToJsonString(JsonNode? value, StaticResolver values)
    {
        var resolved = values.TryResolve(value);
        if (resolved is not null && !StaticResolver.HasFunctions(resolved))
        {
            return JsonValue.Create(resolved.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        }
        var dynamicParts = new List<JsonNode?>();
        var marked = Mark(value?.DeepClone(), dynamicParts, values);
        var text = marked?.ToJsonString() ?? "null";
        var pieces = new JsonArray();
        for (var index = 0; index < dynamicParts.Count; index++)
        {
            var marker = $"\"@@dynamic{index}@@\"";
            var at = text.IndexOf(marker, StringComparison.Ordinal);
            pieces.Add(JsonValue.Create(text[..at] + "\""));
            pieces.Add(dynamicParts[index]);
            text = "\"" + text[(at + marker.Length)..];
        }
        pieces.Add(JsonValue.Create(text));
        return new JsonObject { ["Fn::Join"] = new JsonArray(JsonValue.Create(""), pieces) };
    }

    private static JsonNode? Mark(JsonNode? node, List<JsonNode?> dynamicParts, StaticResolver values)
    {
        switch (node)
        {
            case JsonObject obj when StaticResolver.IsFunction(obj):
                if (values.TryResolve(obj) is { } known && !StaticResolver.HasFunctions(known))
                {
                    return known;
                }
                dynamicParts.Add(obj.DeepClone());
                return JsonValue.Create($"@@dynamic{dynamicParts.Count - 1}@@");
            case JsonObject obj:
                var result = new JsonObject();
                foreach (var (key, item) in obj)
                {
                    result[key] = Mark(item?.DeepClone(), dynamicParts, values);
                }
                return result;
            case JsonArray array:
                return new JsonArray(array.Select(item => Mark(item?.DeepClone(), dynamicParts, values)).ToArray());
            default:
                return node;
        }
    }

    private static void ResolvePolicy(JsonObject resource, string attribute, StaticResolver values)
    {
        if (resource[attribute] is not JsonObject policy)
        {
            return;
        }
        resource[attribute] = values.TryResolve(policy) is JsonValue resolved && resolved.TryGetValue<string>(out var text)
            ? JsonValue.Create(text)
            : throw Failed($"{attribute} must resolve to a string (Delete, Retain, RetainExceptOnCreate or Snapshot) from parameters, mappings or conditions");
    }

    private static StaticResolver StaticValues(JsonObject root, TransformContext context) => new(root, context);

    private static CloudFormationException Failed(string detail) => TemplateTransforms.Failed(TemplateTransforms.LanguageExtensions, detail);
}
