using System.Globalization;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation.Specification;

namespace CloudPatterns.LocalCloud.CloudFormation.Templates;

/// <summary>
/// Checks a resource's resolved properties against the resource specification, with the JSON-schema messages
/// CloudFormation's registry handlers give ("#/Path: extraneous key [Y] is not permitted").
/// </summary>
public static class PropertyValidator
{
    /// <summary>The CREATE_FAILED/UPDATE_FAILED reason for invalid properties, or null when they are valid.</summary>
    public static string? Validate(ResourceDefinition resource, JsonObject? properties)
    {
        var errors = new List<string>();
        if (resource.IsCustom)
        {
            if (properties?["ServiceToken"] is null)
            {
                errors.Add("#: required key [ServiceToken] not found");
            }
        }
        else
        {
            CheckObject("#", resource.Spec.Properties, properties ?? [], errors, resource.Spec);
        }
        return errors.Count switch
        {
            0 => null,
            1 => $"Properties validation failed for resource {resource.LogicalId} with message: {errors[0]}",
            // Several violations are listed together, as the registry's validator reports them.
            _ => $"Properties validation failed for resource {resource.LogicalId} with message: [{string.Join(", ", errors)}]",
        };
    }

    // resourceType: given at the top level only, where a template may set a read-only property (ResourceTypeSpec.IsReadOnlyProperty).
    private static void CheckObject(string path, IReadOnlyDictionary<string, PropertySpec> specs, JsonObject value, List<string> errors,
        ResourceTypeSpec? resourceType = null)
    {
        foreach (var (name, item) in value)
        {
            if (resourceType?.IsReadOnlyProperty(name) == true)
            {
                continue;
            }
            if (!specs.TryGetValue(name, out var spec))
            {
                errors.Add($"{path}: extraneous key [{name}] is not permitted");
                continue;
            }
            CheckValue($"{path}/{name}", spec.Type, item, errors);
        }
        foreach (var spec in specs.Values)
        {
            if (spec.Required && value[spec.Name] is null)
            {
                errors.Add($"{path}: required key [{spec.Name}] not found");
            }
        }
    }

    private static void CheckValue(string path, PropertyTypeSpec type, JsonNode? value, List<string> errors)
    {
        switch (type.Kind)
        {
            case PropertyKind.Json:
                return;
            case PropertyKind.Union:
                var attempts = type.UnionTypes.Select(member =>
                {
                    var memberErrors = new List<string>();
                    CheckValue(path, member, value, memberErrors);
                    return memberErrors;
                }).ToList();
                if (attempts.All(attempt => attempt.Count > 0))
                {
                    errors.AddRange(attempts[0]);
                }
                return;
            case PropertyKind.Array:
                if (value is not JsonArray array)
                {
                    errors.Add($"{path}: expected type: JSONArray, found: {TypeName(value)}");
                    return;
                }
                for (var index = 0; index < array.Count; index++)
                {
                    CheckValue($"{path}/{index}", type.Element!, array[index], errors);
                }
                return;
            case PropertyKind.Map:
                if (value is not JsonObject map)
                {
                    errors.Add($"{path}: expected type: JSONObject, found: {TypeName(value)}");
                    return;
                }
                foreach (var (key, item) in map)
                {
                    CheckValue($"{path}/{key}", type.Element!, item, errors);
                }
                return;
            case PropertyKind.Object:
            case PropertyKind.Tag:
                if (value is not JsonObject obj)
                {
                    errors.Add($"{path}: expected type: JSONObject, found: {TypeName(value)}");
                    return;
                }
                CheckObject(path, type.Kind == PropertyKind.Tag ? TagProperties : type.ObjectType!.Properties, obj, errors);
                return;
            default:
                CheckScalar(path, type, value, errors);
                return;
        }
    }

    private static readonly IReadOnlyDictionary<string, PropertySpec> TagProperties = new Dictionary<string, PropertySpec>
    {
        ["Key"] = new("Key", new PropertyTypeSpec(PropertyKind.String, null, null, []), Required: true, UpdateBehavior.InPlace),
        ["Value"] = new("Value", new PropertyTypeSpec(PropertyKind.String, null, null, []), Required: true, UpdateBehavior.InPlace),
    };

    /// <summary>
    /// CloudFormation hands template scalars to handlers as strings and converts them, so "5" is a valid integer
    /// and 5 a valid string; only values that cannot convert fail.
    /// </summary>
    private static void CheckScalar(string path, PropertyTypeSpec type, JsonNode? value, List<string> errors)
    {
        var kind = type.Kind;
        if (value is not JsonValue scalar)
        {
            errors.Add($"{path}: expected type: {ScalarName(kind)}, found: {TypeName(value)}");
            return;
        }
        var text = TemplateEvaluator.AsString(scalar)!;
        var valid = kind switch
        {
            PropertyKind.Integer => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
            PropertyKind.Number => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
            PropertyKind.Boolean => text is "true" or "false" or "True" or "False",
            _ => true,
        };
        if (!valid)
        {
            errors.Add($"{path}: expected type: {ScalarName(kind)}, found: {TypeName(value)}");
        }
        else if (type.AllowedValues is { } allowed && !allowed.Contains(text, StringComparer.Ordinal))
        {
            // The registry schema's enum, with the JSON-schema validator's message (docs/localcloud-cloudformation-validation.md).
            errors.Add($"{path}: {text} is not a valid enum value");
        }
    }

    private static string ScalarName(PropertyKind kind) => kind switch
    {
        PropertyKind.Integer => "Integer",
        PropertyKind.Number => "Number",
        PropertyKind.Boolean => "Boolean",
        _ => "String",
    };

    private static string TypeName(JsonNode? value) => value switch
    {
        JsonObject => "JSONObject",
        JsonArray => "JSONArray",
        JsonValue scalar when scalar.TryGetValue<bool>(out _) => "Boolean",
        JsonValue scalar when scalar.TryGetValue<string>(out _) => "String",
        JsonValue => "Number",
        _ => "Null",
    };
}
