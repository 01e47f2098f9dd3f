using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CloudPatterns.LocalCloud.CloudFormation.Templates;

/// <summary>
/// Turns a template body (JSON, or YAML with CloudFormation's short-form tags) into one JSON tree in which every
/// intrinsic function has its long form (<c>!GetAtt A.B</c> becomes <c>{"Fn::GetAtt":["A","B"]}</c>).
/// </summary>
public static class TemplateParser
{
    public static JsonObject Parse(string body)
    {
        var trimmed = body.TrimStart();
        var root = trimmed.StartsWith('{') ? ParseJson(body) : ParseYaml(body);
        return root as JsonObject ?? throw CloudFormationException.TemplateFormat("the template must be a JSON or YAML object.");
    }

    /// <summary>A template snippet (AWS::Include): any JSON or YAML value, short-form tags in their long form.</summary>
    internal static JsonNode? ParseFragment(string body) =>
        body.TrimStart().StartsWith('{') || body.TrimStart().StartsWith('[') ? ParseJson(body) : ParseYaml(body);

    private static JsonNode? ParseJson(string body)
    {
        try
        {
            return JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException exception)
        {
            throw CloudFormationException.TemplateFormat(
                $"JSON not well-formed. (line {(exception.LineNumber ?? 0) + 1}, column {(exception.BytePositionInLine ?? 0) + 1})");
        }
    }

    private static JsonNode? ParseYaml(string body)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(body));
        }
        catch (YamlException exception)
        {
            throw CloudFormationException.TemplateFormat(
                $"YAML not well-formed. (line {exception.Start.Line}, column {exception.Start.Column})");
        }
        if (stream.Documents.Count != 1)
        {
            throw CloudFormationException.TemplateFormat("YAML not well-formed. A template holds exactly one YAML document.");
        }
        return Convert(stream.Documents[0].RootNode);
    }

    private static JsonNode? Convert(YamlNode node)
    {
        var tag = node.Tag.IsEmpty ? null : node.Tag.Value;
        var value = node switch
        {
            YamlMappingNode mapping => ConvertMapping(mapping),
            YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(Convert).ToArray()),
            YamlScalarNode scalar => ConvertScalar(scalar, plainTypes: tag is null),
            _ => throw CloudFormationException.TemplateFormat($"YAML not well-formed. (line {node.Start.Line}, column {node.Start.Column})"),
        };
        return tag is null ? value : ShortFormToLongForm(tag, value, node);
    }

    private static JsonObject ConvertMapping(YamlMappingNode mapping)
    {
        var result = new JsonObject();
        foreach (var (key, value) in mapping.Children)
        {
            var name = key is YamlScalarNode scalar ? scalar.Value ?? "" : throw CloudFormationException.TemplateFormat(
                $"YAML not well-formed. (line {key.Start.Line}, column {key.Start.Column})");
            if (result.ContainsKey(name))
            {
                throw CloudFormationException.TemplateFormat(
                    $"YAML not well-formed. Duplicate key {name} (line {key.Start.Line}, column {key.Start.Column})");
            }
            result[name] = Convert(value);
        }
        return result;
    }

    /// <summary>
    /// Plain scalars take YAML's core types (numbers, booleans, null); quoted ones stay strings. A number that JSON
    /// cannot hold exactly as written (012345678901, 0x1F) stays a string, so account ids keep their leading zeros.
    /// </summary>
    private static JsonNode? ConvertScalar(YamlScalarNode scalar, bool plainTypes)
    {
        var text = scalar.Value ?? "";
        if (!plainTypes || scalar.Style != YamlDotNet.Core.ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }
        if (IsJsonNumber(text))
        {
            return JsonNode.Parse(text);
        }
        return JsonValue.Create(text);
    }

    private static bool IsJsonNumber(string text)
    {
        if (text.Length == 0 || !(char.IsAsciiDigit(text[0]) || text[0] == '-'))
        {
            return false;
        }
        var digits = text.TrimStart('-');
        if (digits.Length > 1 && digits[0] == '0' && char.IsAsciiDigit(digits[1]))
        {
            return false;
        }
        return double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture, out _) && !text.EndsWith('.');
    }

    private static JsonObject ShortFormToLongForm(string tag, JsonNode? value, YamlNode node)
    {
        var name = tag.TrimStart('!');
        switch (name)
        {
            case "Ref":
            case "Condition":
                return new JsonObject { [name] = value };
            case "GetAtt" when value is JsonValue dotted && dotted.TryGetValue<string>(out var text):
                var dot = text.IndexOf('.');
                if (dot <= 0)
                {
                    throw CloudFormationException.Validation(
                        $"Template error: every Fn::GetAtt object requires two non-empty parameters, the resource name and the resource attribute (line {node.Start.Line}, column {node.Start.Column})");
                }
                return new JsonObject { ["Fn::GetAtt"] = new JsonArray(text[..dot], text[(dot + 1)..]) };
            default:
                return new JsonObject { ["Fn::" + name] = value };
        }
    }
}
