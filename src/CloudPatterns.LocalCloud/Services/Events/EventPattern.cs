using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Events;

/// <summary>
/// An EventBridge event pattern (docs/localcloud-events.md, "Event patterns"): every field the pattern names must
/// match, a field's array lists alternatives, nested objects follow nested fields, and <c>$or</c> adds alternatives of
/// whole sub-patterns. Matchers: exact values (string, number, boolean, null), prefix, suffix, anything-but,
/// numeric, exists, cidr, equals-ignore-case and wildcard. An event array matches when any of its items does.
/// </summary>
internal sealed class EventPattern
{
    private readonly List<(string[] Path, List<Matcher> Alternatives)> fields;
    private readonly List<EventPattern> or;

    private EventPattern(List<(string[] Path, List<Matcher> Alternatives)> fields, List<EventPattern> or)
    {
        this.fields = fields;
        this.or = or;
    }

    /// <summary>Parses a pattern; a pattern EventBridge refuses is InvalidEventPatternException.</summary>
    public static EventPattern Parse(string text)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(text);
            root = document.RootElement.Clone();
        }
        catch (JsonException error)
        {
            throw Invalid($"{error.Message}");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("Filter is not an object");
        }

        var pattern = ParseObject(root, []);
        if (pattern.fields.Count == 0 && pattern.or.Count == 0)
        {
            throw Invalid("Empty event patterns are not allowed.");
        }

        return pattern;
    }

    public static AwsServiceException Invalid(string reason) =>
        new(400, "InvalidEventPatternException", $"Event pattern is not valid. Reason: {reason}");

    /// <summary>Whether the event (its envelope and detail as one JSON object) matches.</summary>
    public bool Matches(JsonNode? evt)
    {
        foreach (var (path, alternatives) in fields)
        {
            var values = ValuesAt(evt, path);
            if (!alternatives.Any(matcher => matcher.Matches(values)))
            {
                return false;
            }
        }

        return or.Count == 0 || or.Any(alternative => alternative.Matches(evt));
    }

    private static EventPattern ParseObject(JsonElement element, string[] prefix)
    {
        var fields = new List<(string[] Path, List<Matcher> Alternatives)>();
        var or = new List<EventPattern>();
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name == "$or")
            {
                if (property.Value.ValueKind != JsonValueKind.Array || property.Value.GetArrayLength() < 2)
                {
                    throw Invalid("$or must be an array of at least two patterns");
                }

                foreach (var alternative in property.Value.EnumerateArray())
                {
                    or.Add(alternative.ValueKind == JsonValueKind.Object
                        ? ParseObject(alternative, prefix)
                        : throw Invalid("$or must be an array of at least two patterns"));
                }

                continue;
            }

            string[] path = [.. prefix, property.Name];
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.Object:
                    var nested = ParseObject(property.Value, path);
                    fields.AddRange(nested.fields);
                    if (nested.or.Count > 0)
                    {
                        or.Add(new EventPattern([], nested.or));
                    }

                    break;
                case JsonValueKind.Array:
                    fields.Add((path, property.Value.EnumerateArray().Select(value => ParseMatcher(value, property.Name)).ToList()));
                    break;
                default:
                    throw Invalid($"Match value must be String, number, true, false, or null at [Source: (String)\"{property.Name}\"]");
            }
        }

        return new EventPattern(fields, or.Count == 1 && or[0].fields.Count == 0 ? or[0].or : or);
    }

    private static Matcher ParseMatcher(JsonElement value, string field)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return value.ValueKind == JsonValueKind.Array
                ? throw Invalid($"Match value must be String, number, true, false, or null at field {field}")
                : new Exact(value);
        }

        var members = value.EnumerateObject().ToList();
        if (members.Count != 1)
        {
            throw Invalid($"Only one key allowed in match expression at field {field}");
        }

        var (name, operand) = (members[0].Name, members[0].Value);
        return name switch
        {
            "prefix" => StringOperand(operand, name, field, (text, ignoreCase) => new Prefix(text, ignoreCase)),
            "suffix" => StringOperand(operand, name, field, (text, ignoreCase) => new Suffix(text, ignoreCase)),
            "equals-ignore-case" => operand.ValueKind == JsonValueKind.String
                ? new IgnoreCase(operand.GetString()!)
                : throw Invalid($"equals-ignore-case match pattern must be a string at field {field}"),
            "wildcard" => operand.ValueKind == JsonValueKind.String
                ? new Wildcard(operand.GetString()!)
                : throw Invalid($"wildcard match pattern must be a string at field {field}"),
            "exists" => operand.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? new Exists(operand.GetBoolean())
                : throw Invalid($"exists match pattern must be either true or false at field {field}"),
            "numeric" => Numeric.Parse(operand, field),
            "cidr" => Cidr.Parse(operand, field),
            "anything-but" => AnythingBut(operand, field),
            _ => throw Invalid($"Unrecognized match type {name} at field {field}"),
        };
    }

    private static Matcher StringOperand(JsonElement operand, string kind, string field, Func<string, bool, Matcher> create) => operand.ValueKind switch
    {
        JsonValueKind.String => create(operand.GetString()!, false),
        JsonValueKind.Object when operand.EnumerateObject().ToList() is [{ Name: "equals-ignore-case", Value.ValueKind: JsonValueKind.String } inner] =>
            create(inner.Value.GetString()!, true),
        _ => throw Invalid($"{kind} match pattern must be a string at field {field}"),
    };

    private static Matcher AnythingBut(JsonElement operand, string field)
    {
        switch (operand.ValueKind)
        {
            case JsonValueKind.String or JsonValueKind.Number:
                return new Not([new Exact(operand)]);
            case JsonValueKind.Array when operand.GetArrayLength() > 0 && operand.EnumerateArray().All(item => item.ValueKind is JsonValueKind.String or JsonValueKind.Number):
                return new Not(operand.EnumerateArray().Select(item => (Matcher)new Exact(item)).ToList());
            case JsonValueKind.Object when operand.EnumerateObject().ToList() is [var inner]:
                Matcher excluded = inner.Name switch
                {
                    "prefix" => inner.Value.ValueKind == JsonValueKind.String ? new Prefix(inner.Value.GetString()!, false) : throw Invalid($"prefix match pattern must be a string at field {field}"),
                    "suffix" => inner.Value.ValueKind == JsonValueKind.String ? new Suffix(inner.Value.GetString()!, false) : throw Invalid($"suffix match pattern must be a string at field {field}"),
                    "wildcard" => inner.Value.ValueKind == JsonValueKind.String ? new Wildcard(inner.Value.GetString()!) : throw Invalid($"wildcard match pattern must be a string at field {field}"),
                    "equals-ignore-case" => inner.Value.ValueKind switch
                    {
                        JsonValueKind.String => new IgnoreCase(inner.Value.GetString()!),
                        JsonValueKind.Array when inner.Value.EnumerateArray().All(item => item.ValueKind == JsonValueKind.String) =>
                            new AnyOf(inner.Value.EnumerateArray().Select(item => (Matcher)new IgnoreCase(item.GetString()!)).ToList()),
                        _ => throw Invalid($"equals-ignore-case match pattern must be a string or an array of strings at field {field}"),
                    },
                    _ => throw Invalid($"Unsupported anything-but pattern: {inner.Name} at field {field}"),
                };
                return new Not([excluded]);
            default:
                throw Invalid($"Value of anything-but must be an array or single string/number value at field {field}");
        }
    }

    /// <summary>The values at a path, arrays along it flattened; empty when the field is absent.</summary>
    private static List<JsonNode?> ValuesAt(JsonNode? node, string[] path)
    {
        List<JsonNode?> current = [node];
        foreach (var name in path)
        {
            var next = new List<JsonNode?>();
            foreach (var item in current.SelectMany(Flatten))
            {
                if (item is JsonObject obj && obj.TryGetPropertyValue(name, out var child))
                {
                    next.Add(child);
                }
            }

            current = next;
        }

        return current.SelectMany(Flatten).ToList();
    }

    private static IEnumerable<JsonNode?> Flatten(JsonNode? node) => node is JsonArray array ? array.SelectMany(Flatten) : [node];

    /// <summary>One alternative of a field: decides for the field's values (empty when the field is absent).</summary>
    private abstract class Matcher
    {
        public virtual bool Matches(List<JsonNode?> values) => values.Any(Accepts);

        public abstract bool Accepts(JsonNode? value);

        protected static string? Text(JsonNode? value) =>
            value is JsonValue scalar && scalar.GetValueKind() == JsonValueKind.String ? scalar.GetValue<string>() : null;

        protected static double? Number(JsonNode? value) =>
            value is JsonValue scalar && scalar.GetValueKind() == JsonValueKind.Number ? scalar.GetValue<double>() : null;
    }

    private sealed class Exact(JsonElement expected) : Matcher
    {
        public override bool Accepts(JsonNode? value) => expected.ValueKind switch
        {
            JsonValueKind.Null => value is null || value.GetValueKind() == JsonValueKind.Null,
            JsonValueKind.String => Text(value) == expected.GetString(),
            JsonValueKind.Number => Number(value) == expected.GetDouble(),
            JsonValueKind.True or JsonValueKind.False => value is JsonValue scalar && scalar.GetValueKind() == expected.ValueKind,
            _ => false,
        };

        // A null in the pattern also matches a field that is present with the value null, but never an absent one.
        public override bool Matches(List<JsonNode?> values) => values.Any(Accepts);
    }

    private sealed class Prefix(string prefix, bool ignoreCase) : Matcher
    {
        public override bool Accepts(JsonNode? value) =>
            Text(value)?.StartsWith(prefix, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal) == true;
    }

    private sealed class Suffix(string suffix, bool ignoreCase) : Matcher
    {
        public override bool Accepts(JsonNode? value) =>
            Text(value)?.EndsWith(suffix, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal) == true;
    }

    private sealed class IgnoreCase(string expected) : Matcher
    {
        public override bool Accepts(JsonNode? value) => string.Equals(Text(value), expected, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>wildcard: "*" stands for any run of characters, "\\*" for a star itself.</summary>
    private sealed class Wildcard(string pattern) : Matcher
    {
        private readonly List<string> pieces = Split(pattern);

        public override bool Accepts(JsonNode? value)
        {
            if (Text(value) is not { } text || !text.StartsWith(pieces[0], StringComparison.Ordinal))
            {
                return false;
            }

            if (pieces.Count == 1)
            {
                return text.Length == pieces[0].Length;
            }

            var position = pieces[0].Length;
            for (var index = 1; index < pieces.Count - 1; index++)
            {
                var found = text.IndexOf(pieces[index], position, StringComparison.Ordinal);
                if (found < 0)
                {
                    return false;
                }

                position = found + pieces[index].Length;
            }

            return text.Length - position >= pieces[^1].Length && text.EndsWith(pieces[^1], StringComparison.Ordinal);
        }

        private static List<string> Split(string pattern)
        {
            var pieces = new List<string>();
            var current = new System.Text.StringBuilder();
            for (var index = 0; index < pattern.Length; index++)
            {
                if (pattern[index] == '\\' && index + 1 < pattern.Length && pattern[index + 1] == '*')
                {
                    current.Append('*');
                    index++;
                }
                else if (pattern[index] == '*')
                {
                    pieces.Add(current.ToString());
                    current.Clear();
                }
                else
                {
                    current.Append(pattern[index]);
                }
            }

            pieces.Add(current.ToString());
            return pieces;
        }
    }

    private sealed class Exists(bool present) : Matcher
    {
        public override bool Matches(List<JsonNode?> values) => present == values.Any(value => value is not JsonObject);

        public override bool Accepts(JsonNode? value) => true;
    }

    private sealed class AnyOf(List<Matcher> matchers) : Matcher
    {
        public override bool Accepts(JsonNode? value) => matchers.Any(matcher => matcher.Accepts(value));
    }

    /// <summary>anything-but: the field is present and none of its values is excluded.</summary>
    private sealed class Not(List<Matcher> excluded) : Matcher
    {
        public override bool Matches(List<JsonNode?> values) => values.Count > 0 && !values.Any(value => excluded.Any(matcher => matcher.Accepts(value)));

        public override bool Accepts(JsonNode? value) => !excluded.Any(matcher => matcher.Accepts(value));
    }

    private sealed class Numeric(List<(string Operator, double Operand)> comparisons) : Matcher
    {
        public static Numeric Parse(JsonElement operand, string field)
        {
            var items = operand.ValueKind == JsonValueKind.Array ? operand.EnumerateArray().ToList() : [];
            var comparisons = new List<(string, double)>();
            for (var index = 0; index + 1 < items.Count; index += 2)
            {
                if (items[index].GetString() is not ("<" or "<=" or "=" or ">" or ">=") || items[index + 1].ValueKind != JsonValueKind.Number)
                {
                    throw Invalid($"Unrecognized numeric range operator or value at field {field}");
                }

                comparisons.Add((items[index].GetString()!, items[index + 1].GetDouble()));
            }

            return items.Count is 2 or 4 && (items.Count == 2 || comparisons.All(comparison => comparison.Item1 != "="))
                ? new Numeric(comparisons)
                : throw Invalid($"Value of numeric must be an array of one or two comparisons at field {field}");
        }

        public override bool Accepts(JsonNode? value) => Number(value) is { } number && comparisons.All(comparison => comparison.Operator switch
        {
            "<" => number < comparison.Operand,
            "<=" => number <= comparison.Operand,
            "=" => number == comparison.Operand,
            ">" => number > comparison.Operand,
            _ => number >= comparison.Operand,
        });
    }

    private sealed class Cidr(IPNetwork network) : Matcher
    {
        public static Cidr Parse(JsonElement operand, string field) =>
            operand.ValueKind == JsonValueKind.String && IPNetwork.TryParse(operand.GetString()!, out var network)
                ? new Cidr(network)
                : throw Invalid($"Malformed CIDR, one '/' required at field {field}");

        public override bool Accepts(JsonNode? value) => Text(value) is { } text && IPAddress.TryParse(text, out var address) && network.Contains(address);
    }
}
