using System.Text.Json.Nodes;

namespace CloudPatterns.LocalCloud.CloudFormation.Templates;

/// <summary>
/// The Rules functions that read AWS-specific parameters (docs/localcloud-cloudformation-validation.md, "Rules"):
/// Fn::RefAll (the values of every parameter of a type), Fn::ValueOf (an attribute of the resource a parameter names)
/// and Fn::ValueOfAll (that attribute for every parameter of a type), over the EC2 resources LocalCloud records.
/// </summary>
public sealed partial class TemplateEvaluator
{
    /// <summary>The attributes the rule functions read, by parameter type: the recorded resource type and its properties.</summary>
    private static readonly Dictionary<string, (string ResourceType, string[] Attributes)> RuleAttributes = new(StringComparer.Ordinal)
    {
        ["AWS::EC2::Subnet::Id"] = ("AWS::EC2::Subnet", ["AvailabilityZone", "VpcId"]),
        ["AWS::EC2::VPC::Id"] = ("AWS::EC2::VPC", []),
        ["AWS::EC2::Volume::Id"] = ("AWS::EC2::Volume", ["AvailabilityZone"]),
    };

    /// <summary>The value type of a parameter: T of List&lt;T&gt; too.</summary>
    private static string ElementType(ParameterDefinition parameter) =>
        parameter.ValueType.StartsWith("List<", StringComparison.Ordinal) ? parameter.ValueType[5..^1] : parameter.ValueType;

    /// <summary>The ids a parameter gives (one, or each of a list).</summary>
    private IEnumerable<string> ParameterIds(string name) => context.ParameterValues.GetValueOrDefault(name) switch
    {
        JsonArray list => list.Select(AsString).OfType<string>(),
        var single when AsString(single) is { } id => [id],
        _ => [],
    };

    private JsonArray EvaluateRefAll(JsonNode? argument)
    {
        var type = RequireString(argument, "Fn::RefAll");
        return new JsonArray([.. template.Parameters.Values.Where(parameter => ElementType(parameter) == type)
            .SelectMany(parameter => ParameterIds(parameter.Name)).Select(id => (JsonNode)JsonValue.Create(id))]);
    }

    private JsonNode EvaluateValueOf(JsonNode? argument)
    {
        if (argument is not JsonArray { Count: 2 } pair || AsString(pair[0]) is not { } name || AsString(Evaluate(pair[1])) is not { } attribute)
        {
            throw CloudFormationException.Validation("Template error: Fn::ValueOf requires two arguments: a parameter name and an attribute");
        }
        var parameter = template.Parameters.GetValueOrDefault(name)
            ?? throw CloudFormationException.Validation($"Template error: Fn::ValueOf refers to an unknown parameter {name}");
        var values = ParameterIds(name).Select(id => AttributeOf(ElementType(parameter), id, attribute)).ToList();
        return parameter.ValueType.StartsWith("List<", StringComparison.Ordinal) ? new JsonArray([.. values]) : values.FirstOrDefault() ?? JsonValue.Create("");
    }

    private JsonArray EvaluateValueOfAll(JsonNode? argument)
    {
        if (argument is not JsonArray { Count: 2 } pair || AsString(pair[0]) is not { } type || AsString(Evaluate(pair[1])) is not { } attribute)
        {
            throw CloudFormationException.Validation("Template error: Fn::ValueOfAll requires two arguments: a parameter type and an attribute");
        }
        return new JsonArray([.. template.Parameters.Values.Where(parameter => ElementType(parameter) == type)
            .SelectMany(parameter => ParameterIds(parameter.Name)).Select(id => AttributeOf(type, id, attribute))]);
    }

    /// <summary>An attribute of the resource an id names ("" when LocalCloud has no such resource or the tag is absent).</summary>
    private JsonNode AttributeOf(string parameterType, string id, string attribute)
    {
        var tagKey = attribute.StartsWith("Tags.", StringComparison.Ordinal) ? attribute[5..] : null;
        if (!RuleAttributes.TryGetValue(parameterType, out var known) || (tagKey is null && !known.Attributes.Contains(attribute)))
        {
            throw CloudFormationException.Validation($"The attribute {attribute} of {parameterType} in Rules is not supported by LocalCloud: it reads "
                + string.Join(", ", RuleAttributes.Select(pair => $"{pair.Key} ({string.Join(", ", [.. pair.Value.Attributes, "Tags.KEY"])})")) + ".");
        }
        var resource = context.RecordedResource?.Invoke(known.ResourceType, id);
        var value = tagKey is null
            ? resource?[attribute]
            : (resource?["Tags"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(tag => AsString(tag["Key"]) == tagKey)?["Value"];
        return JsonValue.Create(AsString(value) ?? "");
    }
}
