using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

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
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 256 });
            return FromElement(document.RootElement);
        }
        catch (JsonException exception)
        {
            throw CloudFormationException.TemplateFormat(
                $"JSON not well-formed. (line {(exception.LineNumber ?? 0) + 1}, column {(exception.BytePositionInLine ?? 0) + 1})");
        }
    }

    /// <summary>A JSON value as a node; a repeated member keeps its last value, as CloudFormation reads it (the node model would refuse it).</summary>
    private static JsonNode? FromElement(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var mapping = new JsonObject();
                foreach (var member in element.EnumerateObject())
                {
                    mapping.Remove(member.Name);
                    mapping[member.Name] = FromElement(member.Value);
                }

                return mapping;
            case JsonValueKind.Array:
                return new JsonArray([.. element.EnumerateArray().Select(FromElement)]);
            case JsonValueKind.Null:
                return null;
            default:
                return JsonValue.Create(element.Clone());
        }
    }

    /// <summary>
    /// Reads YAML as CloudFormation does (docs/localcloud-cloudformation-validation.md, "YAML"): a repeated key keeps
    /// its last value, a double-quoted scalar whose continuation lines are indented no deeper than its key is read,
    /// not refused, and so is a block scalar led by blank lines holding spaces. The continuation lines of a quoted scalar lose their leading blanks in any case, so
    /// indenting them changes no value: each such scalar the reader refuses is indented to its opening quote's column
    /// and read again.
    /// </summary>
    private static JsonNode? ParseYaml(string body)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return ReadDocument(new Parser(new StringReader(body)));
            }
            catch (YamlException exception) when (attempt < MaxReindents && exception.Message.Contains("multi-line double-quoted scalar, found wrong indentation", StringComparison.Ordinal)
                && ReindentQuoted(body, exception.Start) is { } reindented)
            {
                body = reindented;
            }
            catch (YamlException exception) when (attempt < MaxReindents && exception.Message.Contains("block scalar, found extra spaces in first line", StringComparison.Ordinal)
                && EmptyLeadingBlankLines(body, exception.Start) is { } emptied)
            {
                body = emptied;
            }
            catch (YamlException exception)
            {
                throw CloudFormationException.TemplateFormat(
                    $"YAML not well-formed. (line {exception.Start.Line}, column {exception.Start.Column})");
            }
        }
    }

    /// <summary>The stream's one document as JSON, from the parser's events (a node model would refuse repeated keys).</summary>
    private static JsonNode? ReadDocument(IParser parser)
    {
        parser.Consume<StreamStart>();
        if (!parser.TryConsume<DocumentStart>(out _))
        {
            throw CloudFormationException.TemplateFormat("YAML not well-formed. A template holds exactly one YAML document.");
        }

        var root = ReadNode(parser, new Dictionary<string, JsonNode?>(StringComparer.Ordinal));
        parser.Consume<DocumentEnd>();
        if (!parser.TryConsume<StreamEnd>(out _))
        {
            throw CloudFormationException.TemplateFormat("YAML not well-formed. A template holds exactly one YAML document.");
        }

        return root;
    }

    private static JsonNode? ReadNode(IParser parser, Dictionary<string, JsonNode?> anchors)
    {
        var current = parser.Current ?? throw new YamlException("Unexpected end of the YAML stream.");
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            return anchors.TryGetValue(alias.Value.Value, out var anchored)
                ? anchored?.DeepClone()
                : throw CloudFormationException.TemplateFormat($"YAML not well-formed. (line {alias.Start.Line}, column {alias.Start.Column})");
        }

        var properties = current as NodeEvent ?? throw CloudFormationException.TemplateFormat(
            $"YAML not well-formed. (line {current.Start.Line}, column {current.Start.Column})");
        var tag = properties.Tag.IsEmpty ? null : properties.Tag.Value;
        JsonNode? value;
        var isScalar = parser.TryConsume<Scalar>(out var scalar);
        if (isScalar)
        {
            value = ConvertScalar(scalar!, plainTypes: tag is null);
        }
        else if (parser.TryConsume<SequenceStart>(out _))
        {
            var items = new JsonArray();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                items.Add(ReadNode(parser, anchors));
            }

            value = items;
        }
        else
        {
            parser.Consume<MappingStart>();
            var mapping = new JsonObject();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var key = parser.Current;
                var name = parser.TryConsume<Scalar>(out var keyScalar) ? keyScalar.Value : throw CloudFormationException.TemplateFormat(
                    $"YAML not well-formed. (line {key?.Start.Line}, column {key?.Start.Column})");
                var item = ReadNode(parser, anchors);
                mapping.Remove(name);
                mapping[name] = item;
            }

            value = mapping;
        }

        var node = tag switch
        {
            null => value,
            _ when YamlStandardTags.IsStandard(tag) => YamlStandardTags.Apply(tag, value, isScalar, properties.Start),
            _ => ShortFormToLongForm(tag, value, properties.Start),
        };
        if (!properties.Anchor.IsEmpty)
        {
            anchors[properties.Anchor.Value] = node;
        }

        return node;
    }

    private const int MaxReindents = 1000;

    /// <summary>
    /// The body with the blank lines that lead a block scalar (next to <paramref name="start"/>, up to its first line
    /// of text) emptied, when each holds fewer spaces than that line's indentation; null otherwise.
    /// YAML makes such lines empty lines of the scalar, whose content indentation the first text line sets, so
    /// emptying them changes no value; YamlDotNet refuses spaces there ("found extra spaces in first line"), PyYAML
    /// (cfn-lint) reads them (docs/localcloud-cloudformation-validation.md, "YAML").
    /// </summary>
    private static string? EmptyLeadingBlankLines(string body, Mark start)
    {
        var lines = body.Split('\n');
        static bool Blank(string line) => line.Trim(' ', '\r').Length == 0;
        // The mark is at a leading blank line or at the scalar's first text line: find that line, then the blanks before it.
        var text = (int)start.Line - 1;
        while (text >= 0 && text < lines.Length && Blank(lines[text]))
        {
            text++;
        }
        var first = text;
        while (first > 0 && first <= lines.Length && Blank(lines[first - 1]))
        {
            first--;
        }
        if (text < 0 || text >= lines.Length || first == text)
        {
            return null;
        }
        var indentation = lines[text].Length - lines[text].TrimStart(' ').Length;
        if (lines[first..text].Any(blank => blank.TrimEnd('\r').Length >= indentation) || lines[first..text].All(blank => blank.TrimEnd('\r').Length == 0))
        {
            return null;
        }
        for (var line = first; line < text; line++)
        {
            lines[line] = lines[line].EndsWith('\r') ? "\r" : "";
        }
        return string.Join('\n', lines);
    }

    /// <summary>
    /// The body with the continuation lines of the double-quoted scalar that opens at <paramref name="start"/>
    /// indented to the opening quote's column; null when no quote opens there or nothing needs indenting.
    /// </summary>
    private static string? ReindentQuoted(string body, Mark start)
    {
        var lines = body.Split('\n');
        var line = (int)start.Line - 1;
        var column = (int)start.Column - 1;
        if (line < 0 || line >= lines.Length || column < 0 || column >= lines[line].Length || lines[line][column] != '"')
        {
            return null;
        }

        var changed = false;
        var position = column + 1;
        while (line < lines.Length)
        {
            var text = lines[line];
            for (; position < text.Length; position++)
            {
                if (text[position] == '\\')
                {
                    position++;
                }
                else if (text[position] == '"')
                {
                    return changed ? string.Join('\n', lines) : null;
                }
            }

            line++;
            if (line < lines.Length)
            {
                var blanks = lines[line].Length - lines[line].TrimStart(' ', '\t').Length;
                if (blanks < column && lines[line].Trim().Length > 0)
                {
                    lines[line] = new string(' ', column) + lines[line].TrimStart(' ', '\t');
                    changed = true;
                }

                position = 0;
            }
        }

        return null;
    }

    /// <summary>
    /// Plain scalars take YAML's core types (numbers, booleans, null); quoted ones stay strings. A number that JSON
    /// cannot hold exactly as written (012345678901, 0x1F) stays a string, so account ids keep their leading zeros.
    /// Booleans are YAML 1.1's, as CloudFormation reads them: yes/no and on/off too, so <c>AllowedValues: [Yes, No]</c>
    /// allows "true" and "false" (docs/localcloud-cloudformation-validation.md, "YAML").
    /// </summary>
    private static JsonNode? ConvertScalar(Scalar scalar, bool plainTypes)
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
            case "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF":
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

    private static JsonObject ShortFormToLongForm(string tag, JsonNode? value, Mark start)
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
                        $"Template error: every Fn::GetAtt object requires two non-empty parameters, the resource name and the resource attribute (line {start.Line}, column {start.Column})");
                }
                return new JsonObject { ["Fn::GetAtt"] = new JsonArray(text[..dot], text[(dot + 1)..]) };
            default:
                return new JsonObject { ["Fn::" + name] = value };
        }
    }
}
