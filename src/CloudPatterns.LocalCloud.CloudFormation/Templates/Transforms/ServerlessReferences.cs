using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CloudPatterns.LocalCloud.CloudFormation.Templates.Transforms;

/// <summary>
/// SAM's referable properties of generated resources (docs/localcloud-cloudformation-transforms.md):
/// <c>!Ref MyFunction.Alias</c>, <c>!GetAtt MyFunction.Alias.Arn</c>, <c>${MyApi.Stage}</c> in Fn::Sub name the
/// resource SAM generated for that property, and are rewritten to its logical id.
/// </summary>
internal static partial class ServerlessReferences
{
    public static void Resolve(JsonNode? node, IReadOnlyDictionary<string, string> references)
    {
        if (references.Count == 0)
        {
            return;
        }
        switch (node)
        {
            case JsonObject { Count: 1 } reference when reference["Ref"] is JsonValue target && target.TryGetValue<string>(out var name) && references.TryGetValue(name, out var id):
                reference["Ref"] = id;
                break;
            case JsonObject { Count: 1 } getAtt when getAtt["Fn::GetAtt"] is JsonArray { Count: 2 } arguments && GetAtt(arguments, references) is { } rewritten:
                getAtt["Fn::GetAtt"] = rewritten;
                break;
            case JsonObject obj:
                if (obj.Count == 1 && obj["Fn::Sub"] is { } sub)
                {
                    obj["Fn::Sub"] = Sub(sub, references);
                }
                foreach (var (_, value) in obj.ToList())
                {
                    Resolve(value, references);
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Resolve(item, references);
                }
                break;
        }
    }

    /// <summary>[Function.Alias, Arn] or [Function, Alias.Arn] (the dotted short form split at its first dot).</summary>
    private static JsonArray? GetAtt(JsonArray arguments, IReadOnlyDictionary<string, string> references)
    {
        if (arguments[0]?.ToString() is not { } resource || arguments[1] is not JsonValue attributeValue || !attributeValue.TryGetValue<string>(out var attribute))
        {
            return null;
        }
        if (references.TryGetValue(resource, out var id))
        {
            return new JsonArray(id, attribute);
        }
        var dot = attribute.IndexOf('.');
        return dot > 0 && references.TryGetValue(resource + "." + attribute[..dot], out id) ? new JsonArray(id, attribute[(dot + 1)..]) : null;
    }

    private static JsonNode Sub(JsonNode sub, IReadOnlyDictionary<string, string> references)
    {
        string Replace(string text) => Variable().Replace(text, match =>
        {
            var parts = match.Groups[1].Value.Split('.');
            return parts.Length >= 2 && references.TryGetValue(parts[0] + "." + parts[1], out var id)
                ? "${" + string.Join('.', [id, .. parts[2..]]) + "}"
                : match.Value;
        });
        return sub switch
        {
            JsonValue text when text.TryGetValue<string>(out var value) => Replace(value),
            JsonArray { Count: 2 } pair when pair[0] is JsonValue text && text.TryGetValue<string>(out var value) => new JsonArray(Replace(value), pair[1]?.DeepClone()),
            _ => sub.DeepClone(),
        };
    }

    [GeneratedRegex(@"\$\{([A-Za-z0-9]+\.[A-Za-z0-9.]+)\}")]
    private static partial Regex Variable();
}
