using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;

namespace CloudPatterns.LocalCloud.CloudFormation.Templates;

/// <summary>
/// YAML 1.1's standard tags in a template (<c>!!int 86400</c>, <c>!!str 0123</c>): CloudFormation reads YAML 1.1 with
/// these types and refuses the binary, omap, pairs, set and timestamp tags (docs/localcloud-cloudformation-validation.md,
/// "YAML").
/// </summary>
internal static class YamlStandardTags
{
    private const string Prefix = "tag:yaml.org,2002:";

    public static bool IsStandard(string tag) => tag.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The node a standard tag makes of <paramref name="value"/> (a scalar's text, or a collection read already).</summary>
    public static JsonNode? Apply(string tag, JsonNode? value, bool isScalar, Mark start)
    {
        var name = tag[Prefix.Length..];
        var text = isScalar && value is JsonValue scalar && scalar.TryGetValue<string>(out var s) ? s : null;
        JsonNode? result = name switch
        {
            "str" when text is not null => JsonValue.Create(text),
            "int" when text is not null && ParseInteger(text) is { } integer => JsonValue.Create(integer),
            "float" when text is not null && ParseFloat(text) is { } number => JsonValue.Create(number),
            "bool" when text is not null && ParseBoolean(text) is { } flag => JsonValue.Create(flag),
            "null" when text is not null && text is "" or "~" or "null" or "Null" or "NULL" => null,
            "seq" when value is JsonArray => value,
            "map" when value is JsonObject => value,
            _ => throw CloudFormationException.TemplateFormat(
                $"YAML not well-formed. The tag !!{name} is not supported here. (line {start.Line}, column {start.Column})"),
        };
        return result;
    }

    /// <summary>A YAML 1.1 integer: decimal, 0x hexadecimal, 0 octal or 0b binary, an optional sign, '_' between digits.</summary>
    private static long? ParseInteger(string text)
    {
        var digits = text.Replace("_", "", StringComparison.Ordinal);
        var negative = digits.StartsWith('-');
        digits = digits.TrimStart('-', '+');
        if (digits.Length == 0 || text.Count(c => c is '-' or '+') > 1)
        {
            return null;
        }

        long? magnitude = digits switch
        {
            _ when digits.StartsWith("0x", StringComparison.Ordinal) =>
                long.TryParse(digits[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex) ? hex : null,
            _ when digits.StartsWith("0b", StringComparison.Ordinal) && digits.Length > 2 && digits[2..].All(c => c is '0' or '1') =>
                Convert.ToInt64(digits[2..], 2),
            _ when digits.Length > 1 && digits[0] == '0' && digits.All(c => c is >= '0' and <= '7') => Convert.ToInt64(digits, 8),
            _ when digits.All(char.IsAsciiDigit) && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value) => value,
            _ => null,
        };
        return negative ? -magnitude : magnitude;
    }

    private static double? ParseFloat(string text)
    {
        var digits = text.Replace("_", "", StringComparison.Ordinal);
        return digits.Length > 0 && (char.IsAsciiDigit(digits[^1]) || digits[^1] == '.')
            && double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
    }

    private static bool? ParseBoolean(string text) => text switch
    {
        "y" or "Y" or "yes" or "Yes" or "YES" or "true" or "True" or "TRUE" or "on" or "On" or "ON" => true,
        "n" or "N" or "no" or "No" or "NO" or "false" or "False" or "FALSE" or "off" or "Off" or "OFF" => false,
        _ => null,
    };
}
