using System.Text;
using System.Text.Json.Nodes;

namespace CloudPatterns.LocalCloud.CloudFormation.Templates;

public enum ReferenceKind
{
    /// <summary>Ref, or a ${Name} in Fn::Sub.</summary>
    Ref,

    /// <summary>Fn::GetAtt, or a ${Name.Attribute} in Fn::Sub.</summary>
    GetAtt,

    /// <summary>A condition named by Fn::If or {"Condition": name}.</summary>
    Condition,
}

/// <summary>One reference from a template value to a parameter, resource or condition.</summary>
/// <param name="Attribute">For GetAtt: the attribute, or null when it is computed by another function.</param>
public sealed record TemplateReference(ReferenceKind Kind, string Target, string? Attribute);

/// <summary>Finds the references inside a template value, including inside Fn::Sub strings.</summary>
public static class TemplateReferences
{
    public static List<TemplateReference> Collect(JsonNode? node)
    {
        var found = new List<TemplateReference>();
        Walk(node, found);
        return found;
    }

    private static void Walk(JsonNode? node, List<TemplateReference> found)
    {
        switch (node)
        {
            case JsonArray array:
                foreach (var item in array)
                {
                    Walk(item, found);
                }
                break;
            case JsonObject obj when obj.Count == 1:
                var (name, argument) = obj.First();
                switch (name)
                {
                    case "Ref" when argument is JsonValue target && target.TryGetValue<string>(out var refTarget):
                        found.Add(new TemplateReference(ReferenceKind.Ref, refTarget, null));
                        return;
                    case "Condition" when argument is JsonValue condition && condition.TryGetValue<string>(out var conditionName):
                        found.Add(new TemplateReference(ReferenceKind.Condition, conditionName, null));
                        return;
                    case "Fn::GetAtt":
                        if (GetAttArguments(argument) is var (resource, attribute))
                        {
                            found.Add(new TemplateReference(ReferenceKind.GetAtt, resource, (attribute as JsonValue)?.GetValue<string>()));
                            Walk(attribute, found);
                        }
                        return;
                    case "Fn::If" when argument is JsonArray { Count: 3 } branches:
                        if (branches[0] is JsonValue ifCondition && ifCondition.TryGetValue<string>(out var ifConditionName))
                        {
                            found.Add(new TemplateReference(ReferenceKind.Condition, ifConditionName, null));
                        }
                        Walk(branches[1], found);
                        Walk(branches[2], found);
                        return;
                    case "Fn::Sub":
                        CollectSub(argument, found);
                        return;
                }
                Walk(argument, found);
                break;
            case JsonObject obj:
                foreach (var (_, value) in obj)
                {
                    Walk(value, found);
                }
                break;
        }
    }

    /// <summary>The resource and attribute of Fn::GetAtt, in either its list or its "A.B" string form.</summary>
    public static (string Resource, JsonNode? Attribute)? GetAttArguments(JsonNode? argument)
    {
        switch (argument)
        {
            case JsonArray { Count: 2 } pair when pair[0] is JsonValue resource && resource.TryGetValue<string>(out var resourceName):
                return (resourceName, pair[1]);
            case JsonValue dotted when dotted.TryGetValue<string>(out var text) && text.IndexOf('.') > 0:
                var dot = text.IndexOf('.');
                return (text[..dot], JsonValue.Create(text[(dot + 1)..]));
            default:
                return null;
        }
    }

    private static void CollectSub(JsonNode? argument, List<TemplateReference> found)
    {
        string? text;
        var variables = new HashSet<string>(StringComparer.Ordinal);
        if (argument is JsonArray { Count: 2 } pair && pair[1] is JsonObject map)
        {
            text = (pair[0] as JsonValue)?.GetValue<string>();
            foreach (var (name, value) in map)
            {
                variables.Add(name);
                Walk(value, found);
            }
        }
        else
        {
            text = (argument as JsonValue)?.GetValue<string>();
        }
        if (text is null)
        {
            return;
        }
        foreach (var part in SubTemplate.Parse(text))
        {
            if (part.Variable is not { } variable || variables.Contains(variable))
            {
                continue;
            }
            var dot = variable.IndexOf('.');
            found.Add(dot > 0
                ? new TemplateReference(ReferenceKind.GetAtt, variable[..dot], variable[(dot + 1)..])
                : new TemplateReference(ReferenceKind.Ref, variable, null));
        }
    }
}

/// <summary>The pieces of an Fn::Sub string: literal text and ${Variable} references (${!Text} is literal ${Text}).</summary>
public static class SubTemplate
{
    public readonly record struct Part(string? Literal, string? Variable);

    public static List<Part> Parse(string text)
    {
        var parts = new List<Part>();
        var literal = new StringBuilder();
        var position = 0;
        while (position < text.Length)
        {
            var start = text.IndexOf("${", position, StringComparison.Ordinal);
            var end = start < 0 ? -1 : text.IndexOf('}', start + 2);
            if (start < 0 || end < 0)
            {
                literal.Append(text, position, text.Length - position);
                break;
            }
            literal.Append(text, position, start - position);
            var name = text[(start + 2)..end];
            if (name.StartsWith('!'))
            {
                literal.Append("${").Append(name, 1, name.Length - 1).Append('}');
            }
            else
            {
                if (literal.Length > 0)
                {
                    parts.Add(new Part(literal.ToString(), null));
                    literal.Clear();
                }
                parts.Add(new Part(null, name.Trim()));
            }
            position = end + 1;
        }
        if (literal.Length > 0)
        {
            parts.Add(new Part(literal.ToString(), null));
        }
        return parts;
    }
}
