using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CloudPatterns.LocalCloud.Services.Events;

/// <summary>
/// What a target receives (docs/localcloud-events.md, "Target input"): the whole event; or Input, a constant JSON text;
/// or InputPath, the part of the event a JSONPath selects; or InputTransformer, whose InputTemplate has each
/// &lt;name&gt; replaced by the value its InputPathsMap path selects (reserved names: aws.events.rule-arn,
/// aws.events.rule-name, aws.events.event, aws.events.event.json, aws.events.event.ingestion-time).
/// </summary>
internal static class TargetInput
{
    /// <summary>JSON as AWS writes it to targets: quotes and non-ASCII text not \u-escaped.</summary>
    public static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Render(EventTarget target, JsonObject evt, EventRule rule)
    {
        if (target.Input is { } constant)
        {
            return constant;
        }

        if (target.InputPath is { } path)
        {
            return Select(evt, path)?.ToJsonString(Relaxed) ?? "null";
        }

        if (target.InputTemplate is not { } template)
        {
            return evt.ToJsonString(Relaxed);
        }

        var values = new Dictionary<string, JsonNode?>(StringComparer.Ordinal)
        {
            ["aws.events.rule-arn"] = rule.Arn,
            ["aws.events.rule-name"] = rule.Name,
            ["aws.events.event"] = evt,
            ["aws.events.event.json"] = evt,
            ["aws.events.event.ingestion-time"] = (string?)evt["time"],
        };
        foreach (var (name, selector) in target.InputPathsMap ?? new Dictionary<string, string>())
        {
            values[name] = Select(evt, selector);
        }

        var trimmed = template.TrimStart();
        var json = trimmed.StartsWith('{') || trimmed.StartsWith('[');
        var output = new StringBuilder(template.Length);
        var position = 0;
        while (template.IndexOf('<', position) is var open and >= 0 && template.IndexOf('>', open) is var close and > 0)
        {
            var name = template[(open + 1)..close];
            output.Append(template, position, open - position);
            if (values.TryGetValue(name, out var value))
            {
                output.Append(Insert(value, json && InsideQuotes(template, open)));
            }
            else
            {
                output.Append(template, open, close - open + 1);
            }

            position = close + 1;
        }

        return output.Append(template, position, template.Length - position).ToString();
    }

    /// <summary>A string value's text (escaped inside a JSON string), anything else as JSON; a missing value is empty.</summary>
    private static string Insert(JsonNode? value, bool insideJsonString)
    {
        if (value is JsonValue scalar && scalar.GetValueKind() == JsonValueKind.String)
        {
            var text = scalar.GetValue<string>();
            return insideJsonString ? JsonSerializer.Serialize(text, Relaxed)[1..^1] : text;
        }

        return value is null ? "" : insideJsonString ? JsonSerializer.Serialize(value.ToJsonString(Relaxed), Relaxed)[1..^1] : value.ToJsonString(Relaxed);
    }

    /// <summary>Whether an odd number of unescaped quotes precede the position.</summary>
    private static bool InsideQuotes(string template, int position)
    {
        var inside = false;
        for (var index = 0; index < position; index++)
        {
            if (template[index] == '\\')
            {
                index++;
            }
            else if (template[index] == '"')
            {
                inside = !inside;
            }
        }

        return inside;
    }

    /// <summary>A JSONPath of names and indexes: $, $.detail.state, $.resources[0], $.detail['job-id'].</summary>
    public static JsonNode? Select(JsonNode? node, string path)
    {
        if (!path.StartsWith('$'))
        {
            throw new FormatException($"The JSONPath {path} must start with $.");
        }

        var index = 1;
        while (index < path.Length && node is not null)
        {
            if (path[index] == '.')
            {
                var end = index + 1;
                while (end < path.Length && path[end] is not ('.' or '['))
                {
                    end++;
                }

                node = node is JsonObject obj ? obj[path[(index + 1)..end]] : null;
                index = end;
            }
            else if (path[index] == '[')
            {
                var end = path.IndexOf(']', index);
                if (end < 0)
                {
                    throw new FormatException($"The JSONPath {path} has an unclosed [.");
                }

                var inner = path[(index + 1)..end];
                node = inner.StartsWith('\'') && inner.EndsWith('\'') && inner.Length >= 2
                    ? (node as JsonObject)?[inner[1..^1]]
                    : int.TryParse(inner, out var item) && node is JsonArray array && item >= 0 && item < array.Count ? array[item] : null;
                index = end + 1;
            }
            else
            {
                throw new FormatException($"The JSONPath {path} is not valid.");
            }
        }

        return node;
    }
}
