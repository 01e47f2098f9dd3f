using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CloudPatterns.LocalCloud.CloudFormation.Templates;

/// <summary>Reads the Parameters section and checks the values a stack operation supplies for it.</summary>
internal static class ParameterParser
{
    private static readonly HashSet<string> AwsSpecificTypes = new(StringComparer.Ordinal)
    {
        "AWS::EC2::AvailabilityZone::Name", "AWS::EC2::Image::Id", "AWS::EC2::Instance::Id", "AWS::EC2::KeyPair::KeyName",
        "AWS::EC2::SecurityGroup::GroupName", "AWS::EC2::SecurityGroup::Id", "AWS::EC2::Subnet::Id", "AWS::EC2::Volume::Id",
        "AWS::EC2::VPC::Id", "AWS::Route53::HostedZone::Id",
    };

    private const string AvailabilityZoneType = "AWS::EC2::AvailabilityZone::Name";

    public static Dictionary<string, ParameterDefinition> Parse(JsonNode? section)
    {
        var result = new Dictionary<string, ParameterDefinition>(StringComparer.Ordinal);
        if (section is not JsonObject parameters)
        {
            return result;
        }
        foreach (var (name, node) in parameters)
        {
            if (node is not JsonObject parameter || TemplateValidator.ReadString(parameter["Type"]) is not { } type)
            {
                throw CloudFormationException.TemplateFormat($"Every Parameters object must contain a Type member. Parameter {name} has none.");
            }
            CheckType(name, type);
            result[name] = new ParameterDefinition(
                name,
                type,
                Scalar(parameter["Default"]),
                TemplateValidator.ReadString(parameter["Description"]),
                string.Equals(Scalar(parameter["NoEcho"]), "true", StringComparison.OrdinalIgnoreCase),
                (parameter["AllowedValues"] as JsonArray)?.Select(Scalar).OfType<string>().ToList() ?? [],
                TemplateValidator.ReadString(parameter["AllowedPattern"]),
                Integer(name, "MinLength", parameter["MinLength"]),
                Integer(name, "MaxLength", parameter["MaxLength"]),
                Number(name, "MinValue", parameter["MinValue"]),
                Number(name, "MaxValue", parameter["MaxValue"]),
                TemplateValidator.ReadString(parameter["ConstraintDescription"]));
        }
        return result;
    }

    private static void CheckType(string name, string type)
    {
        if (type == SsmParameterTypes.NameType)
        {
            return;
        }
        var valueType = SsmParameterTypes.ValueType(type);
        if (valueType is "Number" or "List<Number>")
        {
            // Parameter Store holds text: CloudFormation's SSM value types are String, lists and the AWS-specific types.
            throw CloudFormationException.TemplateFormat($"Unrecognized parameter type: {type}");
        }
        type = valueType ?? type;
        var itemType = type.StartsWith("List<", StringComparison.Ordinal) && type.EndsWith('>') ? type[5..^1] : null;
        var known = type is "String" or "Number" or "CommaDelimitedList"
            || AwsSpecificTypes.Contains(type)
            || itemType is "Number" or "String" || (itemType is not null && AwsSpecificTypes.Contains(itemType));
        if (!known)
        {
            throw CloudFormationException.TemplateFormat($"Unrecognized parameter type: {type}");
        }
    }

    /// <summary>
    /// The values for a stack operation: supplied values, else defaults; every constraint checked. Lists become
    /// JSON arrays of strings, everything else a string (CloudFormation passes numbers as strings too).
    /// </summary>
    public static Dictionary<string, JsonNode> ResolveValues(
        IReadOnlyDictionary<string, ParameterDefinition> definitions,
        IReadOnlyDictionary<string, string> supplied,
        IReadOnlyList<string> availabilityZones,
        Func<string, ParameterStoreValue?> parameterStore)
    {
        var unknown = supplied.Keys.Where(name => !definitions.ContainsKey(name)).ToList();
        if (unknown.Count > 0)
        {
            throw CloudFormationException.Validation($"Parameters: [{string.Join(", ", unknown)}] do not exist in the template");
        }
        var missing = definitions.Values.Where(definition => !supplied.ContainsKey(definition.Name) && definition.Default is null)
            .Select(definition => definition.Name).ToList();
        if (missing.Count > 0)
        {
            throw CloudFormationException.Validation($"Parameters: [{string.Join(", ", missing)}] must have values");
        }
        string Raw(ParameterDefinition definition) => supplied.TryGetValue(definition.Name, out var value) ? value : definition.Default!;
        var fromStore = SsmParameterTypes.Read(
            definitions.Values.Where(definition => definition.Type.StartsWith("AWS::SSM::Parameter::", StringComparison.Ordinal)).Select(definition => (definition, Raw(definition))),
            parameterStore);
        var values = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var definition in definitions.Values)
        {
            var raw = Raw(definition);
            var checkedAs = definition;
            if (SsmParameterTypes.ValueType(definition.Type) is { } valueType)
            {
                // The template sees the stored value as T; the key's own constraints were checked on the key.
                values[SsmParameterTypes.KeyEntry(definition.Name)] = JsonValue.Create(raw);
                raw = fromStore[definition.Name].Value;
                checkedAs = definition with { Type = valueType, AllowedValues = [], AllowedPattern = null, MinLength = null, MaxLength = null };
            }
            if (definition.IsList)
            {
                // An empty CommaDelimitedList is a list of one empty string, as CloudFormation makes it
                // (docs/localcloud-cloudformation-validation.md, "Parameters"); the AWS-specific list types stay empty.
                var items = raw.Length == 0 && definition.Type != "CommaDelimitedList" ? [] : raw.Split(',').Select(item => item.Trim()).ToArray();
                foreach (var item in items)
                {
                    CheckValue(checkedAs, item, availabilityZones);
                }
                values[definition.Name] = new JsonArray(items.Select(item => (JsonNode)JsonValue.Create(item)).ToArray());
            }
            else
            {
                CheckValue(checkedAs, raw, availabilityZones);
                values[definition.Name] = JsonValue.Create(raw);
            }
        }
        return values;
    }

    private static void CheckValue(ParameterDefinition definition, string value, IReadOnlyList<string> availabilityZones)
    {
        var name = definition.Name;
        var isNumber = definition.Type is "Number" or "List<Number>";
        double number = 0;
        if (isNumber && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out number))
        {
            throw CloudFormationException.Validation($"Parameter '{name}' must be a number");
        }
        string? violation = null;
        if (definition.AllowedValues.Count > 0 && !definition.AllowedValues.Contains(value))
        {
            violation = $"Parameter '{name}' must be one of AllowedValues";
        }
        else if (definition.AllowedPattern is { } pattern && !JavaPattern.IsMatch(value, pattern))
        {
            violation = $"Parameter '{name}' must match pattern {pattern}";
        }
        else if (definition.MinLength is { } minLength && value.Length < minLength)
        {
            violation = $"Parameter '{name}' must contain at least {minLength} characters";
        }
        else if (definition.MaxLength is { } maxLength && value.Length > maxLength)
        {
            violation = $"Parameter '{name}' must contain at most {maxLength} characters";
        }
        else if (isNumber && definition.MinValue is { } minValue && number < minValue)
        {
            violation = $"Parameter '{name}' must be a number not less than {minValue.ToString(CultureInfo.InvariantCulture)}";
        }
        else if (isNumber && definition.MaxValue is { } maxValue && number > maxValue)
        {
            violation = $"Parameter '{name}' must be a number not greater than {maxValue.ToString(CultureInfo.InvariantCulture)}";
        }
        else if (definition.Type.Contains(AvailabilityZoneType, StringComparison.Ordinal) && !availabilityZones.Contains(value))
        {
            violation = $"Parameter value {value} for parameter name {name} does not exist";
        }
        if (violation is not null)
        {
            // A ConstraintDescription replaces the generic text (inferred wording, AWS shows the description).
            throw CloudFormationException.Validation(definition.ConstraintDescription is { } description
                ? $"Parameter '{name}' failed to satisfy constraint: {description}"
                : violation);
        }
    }

    private static string? Scalar(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonValue value => value.ToJsonString(),
        _ => null,
    };

    private static int? Integer(string parameter, string attribute, JsonNode? node) =>
        Scalar(node) is { } text
            ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw CloudFormationException.TemplateFormat($"Parameter {parameter} has a non-integer {attribute}: {text}")
            : null;

    private static double? Number(string parameter, string attribute, JsonNode? node) =>
        Scalar(node) is { } text
            ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw CloudFormationException.TemplateFormat($"Parameter {parameter} has a non-numeric {attribute}: {text}")
            : null;
}
