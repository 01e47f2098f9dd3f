using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CloudPatterns.LocalCloud.Services.Logs;

/// <summary>
/// A CloudWatch Logs filter pattern (docs/localcloud-logs.md): terms (all must occur, case-sensitive; "quoted
/// phrases"; <c>-term</c> must not occur; <c>?a ?b</c> any of them) or a JSON pattern <c>{ $.a.b = "x*" &amp;&amp; $.n &gt; 5 }</c>
/// with =, !=, &lt;, &gt;, &lt;=, &gt;=, IS NULL/TRUE/FALSE, NOT EXISTS, &amp;&amp;, || and parentheses. Space-delimited
/// patterns (<c>[ip, user, ...]</c>) are not supported and are refused as invalid.
/// </summary>
internal abstract partial class FilterPattern
{
    public abstract bool Matches(string message);

    /// <summary>Parses a pattern; null or blank matches every event. Throws InvalidParameterException when invalid.</summary>
    public static FilterPattern Parse(string? pattern)
    {
        var text = pattern?.Trim() ?? "";
        try
        {
            return text.StartsWith('{') ? new JsonPattern(text) : text.StartsWith('[') ? throw Invalid() : new TermPattern(text);
        }
        catch (FormatException)
        {
            throw Invalid();
        }
    }

    private static Protocols.AwsServiceException Invalid() => LogsArns.InvalidParameter("Invalid filter pattern");

    private sealed class TermPattern : FilterPattern
    {
        private readonly List<string> required = [];
        private readonly List<string> excluded = [];
        private readonly List<string> anyOf = [];

        public TermPattern(string text)
        {
            foreach (Match token in TermToken().Matches(text))
            {
                var mark = token.Groups["mark"].Value;
                var term = token.Groups["quoted"].Success ? token.Groups["quoted"].Value : token.Groups["bare"].Value;
                if (!token.Groups["quoted"].Success && term.Length > 1 && term.StartsWith('%') && term.EndsWith('%'))
                {
                    throw new FormatException("Regular-expression terms are not supported.");
                }

                (mark == "-" ? excluded : mark == "?" ? anyOf : required).Add(term);
            }
        }

        public override bool Matches(string message) =>
            required.All(term => message.Contains(term, StringComparison.Ordinal))
            && !excluded.Any(term => message.Contains(term, StringComparison.Ordinal))
            && (anyOf.Count == 0 || anyOf.Any(term => message.Contains(term, StringComparison.Ordinal)));
    }

    private sealed class JsonPattern : FilterPattern
    {
        private readonly Func<JsonElement, bool> test;
        private readonly List<string> tokens;
        private int position;

        public JsonPattern(string text)
        {
            if (!text.EndsWith('}'))
            {
                throw new FormatException();
            }

            tokens = JsonToken().Matches(text[1..^1]).Select(token => token.Groups[1].Value).ToList();
            test = Or();
            if (position != tokens.Count)
            {
                throw new FormatException();
            }
        }

        public override bool Matches(string message)
        {
            try
            {
                using var document = JsonDocument.Parse(message);
                return document.RootElement.ValueKind == JsonValueKind.Object && test(document.RootElement);
            }
            catch (JsonException)
            {
                return false;
            }
        }

        private string Next() => position < tokens.Count ? tokens[position++] : throw new FormatException();

        private bool Accept(string token)
        {
            if (position < tokens.Count && string.Equals(tokens[position], token, StringComparison.OrdinalIgnoreCase))
            {
                position++;
                return true;
            }

            return false;
        }

        private Func<JsonElement, bool> Or()
        {
            var left = And();
            while (Accept("||"))
            {
                var (first, second) = (left, And());
                left = root => first(root) || second(root);
            }

            return left;
        }

        private Func<JsonElement, bool> And()
        {
            var left = Comparison();
            while (Accept("&&"))
            {
                var (first, second) = (left, Comparison());
                left = root => first(root) && second(root);
            }

            return left;
        }

        private Func<JsonElement, bool> Comparison()
        {
            if (Accept("("))
            {
                var inner = Or();
                return Accept(")") ? inner : throw new FormatException();
            }

            var selector = Selector(Next());
            if (Accept("IS"))
            {
                var kind = Next().ToUpperInvariant() switch
                {
                    "NULL" => JsonValueKind.Null,
                    "TRUE" => JsonValueKind.True,
                    "FALSE" => JsonValueKind.False,
                    _ => throw new FormatException(),
                };
                return root => selector(root) is { } value && value.ValueKind == kind;
            }

            if (Accept("NOT"))
            {
                return Accept("EXISTS") ? root => selector(root) is null : throw new FormatException();
            }

            var comparison = Next();
            var operand = Next();
            if (operand.StartsWith('"'))
            {
                return comparison is "=" or "!=" ? StringTest(selector, comparison == "=", operand[1..^1]) : throw new FormatException();
            }

            if (double.TryParse(operand, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                Func<double, bool> holds = comparison switch
                {
                    "=" => actual => actual == number,
                    "!=" => actual => actual != number,
                    "<" => actual => actual < number,
                    ">" => actual => actual > number,
                    "<=" => actual => actual <= number,
                    ">=" => actual => actual >= number,
                    _ => throw new FormatException(),
                };
                return root => selector(root) is { ValueKind: JsonValueKind.Number } value && holds(value.GetDouble());
            }

            return comparison is "=" or "!=" ? StringTest(selector, comparison == "=", operand) : throw new FormatException();
        }

        /// <summary>A string comparison; "*" in the operand matches any run of characters.</summary>
        private static Func<JsonElement, bool> StringTest(Func<JsonElement, JsonElement?> selector, bool equal, string operand)
        {
            var pattern = new Regex("^" + string.Join(".*", operand.Split('*').Select(Regex.Escape)) + "$", RegexOptions.Singleline | RegexOptions.CultureInvariant);
            return root => selector(root) is { ValueKind: JsonValueKind.String } value && pattern.IsMatch(value.GetString()!) == equal;
        }

        /// <summary>A selector <c>$.a.b[0].c</c>: the element it names, or null when absent.</summary>
        private static Func<JsonElement, JsonElement?> Selector(string text)
        {
            if (!text.StartsWith('$'))
            {
                throw new FormatException();
            }

            var steps = SelectorStep().Matches(text[1..]).ToList();
            if (steps.Sum(step => step.Length) != text.Length - 1)
            {
                throw new FormatException();
            }

            return root =>
            {
                JsonElement current = root;
                foreach (var step in steps)
                {
                    if (step.Groups["name"].Success)
                    {
                        if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(step.Groups["name"].Value, out current))
                        {
                            return null;
                        }
                    }
                    else
                    {
                        var index = int.Parse(step.Groups["index"].Value, CultureInfo.InvariantCulture);
                        if (current.ValueKind != JsonValueKind.Array || index >= current.GetArrayLength())
                        {
                            return null;
                        }

                        current = current[index];
                    }
                }

                return current;
            };
        }
    }

    [GeneratedRegex("""(?<mark>[-?]?)(?:"(?<quoted>[^"]*)"|(?<bare>[^\s"]+))""")]
    private static partial Regex TermToken();

    [GeneratedRegex("""\s*("[^"]*"|&&|\|\||<=|>=|!=|=|<|>|\(|\)|[^\s()=<>!&|"]+)""")]
    private static partial Regex JsonToken();

    [GeneratedRegex(@"\.(?<name>[A-Za-z0-9_\-]+)|\[(?<index>\d+)\]")]
    private static partial Regex SelectorStep();
}
