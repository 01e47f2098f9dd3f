using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation.Specification;

namespace CloudPatterns.LocalCloud.CloudFormation.Templates;

/// <summary>
/// CloudFormation treats template numbers and strings as interchangeable and hands a resource's properties to its
/// handler as text, so a YAML number or boolean where the resource's schema declares a string arrives as that string
/// (an EventBridge target's <c>Id: 1</c> is "1", a tag's <c>Value: 2024</c> is "2024"). Sources and the rule:
/// docs/localcloud-cloudformation-validation.md, "Scalars and patterns".
/// </summary>
public static class PropertyCoercion
{
    /// <summary>
    /// Turns, in place, every number or boolean the spec types as a string into its text, and drops the read-only
    /// properties (attributes) a template set, which CloudFormation ignores (docs/localcloud-cloudformation-validation.md,
    /// "Read-only properties set in a template"): the handler never sees them and GetAtt gives the service's value.
    /// </summary>
    public static JsonObject StringsAsText(ResourceDefinition resource, JsonObject properties)
    {
        if (!resource.IsCustom)
        {
            foreach (var name in properties.Select(pair => pair.Key).Where(resource.Spec.IsReadOnlyProperty).ToList())
            {
                properties.Remove(name);
            }
            CoerceObject(resource.Spec.Properties, properties);
        }
        return properties;
    }

    private static void CoerceObject(IReadOnlyDictionary<string, PropertySpec> specs, JsonObject value)
    {
        foreach (var name in value.Select(pair => pair.Key).ToList())
        {
            if (specs.TryGetValue(name, out var spec) && Coerced(spec.Type, value[name]) is { } text)
            {
                value[name] = text;
            }
        }
    }

    /// <summary>The text that replaces a scalar, or null when the value stays (nested values are coerced in place).</summary>
    private static JsonNode? Coerced(PropertyTypeSpec type, JsonNode? value)
    {
        switch (type.Kind)
        {
            case PropertyKind.String:
                return Text(value);
            case PropertyKind.Array when value is JsonArray array:
                for (var index = 0; index < array.Count; index++)
                {
                    if (Coerced(type.Element!, array[index]) is { } text)
                    {
                        array[index] = text;
                    }
                }
                return null;
            case PropertyKind.Map when value is JsonObject map:
                foreach (var key in map.Select(pair => pair.Key).ToList())
                {
                    if (Coerced(type.Element!, map[key]) is { } text)
                    {
                        map[key] = text;
                    }
                }
                return null;
            case PropertyKind.Object when value is JsonObject obj:
                CoerceObject(type.ObjectType!.Properties, obj);
                return null;
            case PropertyKind.Tag when value is JsonObject tag:
                foreach (var key in new[] { "Key", "Value" })
                {
                    if (Text(tag[key]) is { } text)
                    {
                        tag[key] = text;
                    }
                }
                return null;
            default:
                // Json, unions (which member a scalar is cannot be told) and the other scalar types stay as written.
                return null;
        }
    }

    private static JsonNode? Text(JsonNode? value) =>
        value is JsonValue scalar && !scalar.TryGetValue<string>(out _) ? JsonValue.Create(TemplateEvaluator.AsString(scalar)) : null;
}
