using System.Globalization;
using System.Net;
using System.Text.Json;

namespace CloudPatterns.LocalCloud.Identity;

/// <summary>
/// One condition key under one operator (<c>"StringEquals": {"aws:SourceAccount": ["1", "2"]}</c>): values are ORed,
/// keys and operators ANDed by the statement. Set prefixes ForAllValues:/ForAnyValue: and the IfExists suffix follow
/// IAM's documented rules (docs/localcloud-authorization.md).
/// </summary>
internal sealed class PolicyCondition
{
    private static readonly HashSet<string> Operators =
    [
        "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike",
        "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals",
        "DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals",
        "Bool", "BinaryEquals", "IpAddress", "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Null",
    ];

    private enum SetQualifier
    {
        Single,
        ForAllValues,
        ForAnyValue,
    }

    private readonly SetQualifier qualifier;
    private readonly bool ifExists;
    private readonly bool negated;

    private PolicyCondition(string fullOperator, string baseOperator, SetQualifier qualifier, bool ifExists, string key, IReadOnlyList<string> values)
    {
        Operator = fullOperator;
        BaseOperator = baseOperator;
        this.qualifier = qualifier;
        this.ifExists = ifExists;
        Key = key;
        Values = values;
        negated = baseOperator.Contains("Not", StringComparison.Ordinal) && baseOperator != "Null";
    }

    /// <summary>The operator as written, e.g. ForAnyValue:StringLikeIfExists.</summary>
    public string Operator { get; }

    public string BaseOperator { get; }

    public string Key { get; }

    public IReadOnlyList<string> Values { get; }

    public static IReadOnlyList<PolicyCondition> ParseBlock(JsonElement block)
    {
        if (block.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("Condition must be an object of operators.");
        }

        var conditions = new List<PolicyCondition>();
        foreach (var operatorEntry in block.EnumerateObject())
        {
            var text = operatorEntry.Name;
            var qualifier = SetQualifier.Single;
            if (text.StartsWith("ForAllValues:", StringComparison.Ordinal))
            {
                qualifier = SetQualifier.ForAllValues;
            }
            else if (text.StartsWith("ForAnyValue:", StringComparison.Ordinal))
            {
                qualifier = SetQualifier.ForAnyValue;
            }

            var name = qualifier == SetQualifier.Single ? text : text[(text.IndexOf(':', StringComparison.Ordinal) + 1)..];
            var ifExists = name.EndsWith("IfExists", StringComparison.Ordinal) && name != "IfExists";
            var baseOperator = ifExists ? name[..^"IfExists".Length] : name;
            if (!Operators.Contains(baseOperator) || (ifExists && baseOperator == "Null"))
            {
                throw new FormatException($"Condition operator '{text}' is not valid. Allowed: {string.Join(", ", Operators)}, with an optional IfExists suffix and ForAllValues:/ForAnyValue: prefix.");
            }

            if (operatorEntry.Value.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"Condition operator '{text}' must map condition keys to values.");
            }

            foreach (var keyEntry in operatorEntry.Value.EnumerateObject())
            {
                conditions.Add(new PolicyCondition(text, baseOperator, qualifier, ifExists, keyEntry.Name, ConditionValues(keyEntry.Value, keyEntry.Name)));
            }
        }

        return conditions;
    }

    public bool Holds(RequestContext request)
    {
        if (BaseOperator == "Null")
        {
            var absent = !request.TryGet(Key, out var present) || present.Length == 0;
            return Values.Any(value => bool.TryParse(value, out var expected) && expected == absent);
        }

        if (!request.TryGet(Key, out var actualValues) || actualValues.Length == 0)
        {
            // Missing key: IfExists and ForAllValues hold, ForAnyValue does not; negated operators hold (IAM's rules).
            return qualifier switch
            {
                SetQualifier.ForAllValues => true,
                SetQualifier.ForAnyValue => false,
                _ => ifExists || negated,
            };
        }

        return qualifier switch
        {
            SetQualifier.ForAllValues => actualValues.All(actual => HoldsFor(actual, request)),
            SetQualifier.ForAnyValue => actualValues.Any(actual => HoldsFor(actual, request)),
            _ => negated ? actualValues.All(actual => HoldsFor(actual, request)) : actualValues.Any(actual => HoldsFor(actual, request)),
        };
    }

    // A positive operator holds when some policy value matches; a negated one when none matches the positive form.
    private bool HoldsFor(string actual, RequestContext request)
    {
        var any = false;
        foreach (var raw in Values)
        {
            if (PolicyVariables.Resolve(raw, request) is { } expected && Compare(expected, actual))
            {
                any = true;
                break;
            }
        }

        return any != negated;
    }

    private bool Compare(string expected, string actual) => BaseOperator switch
    {
        "StringEquals" or "StringNotEquals" or "BinaryEquals" => string.Equals(expected, actual, StringComparison.Ordinal),
        "StringEqualsIgnoreCase" or "StringNotEqualsIgnoreCase" => string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase),
        "StringLike" or "StringNotLike" or "ArnEquals" or "ArnLike" or "ArnNotEquals" or "ArnNotLike" => Wildcard.Matches(expected, actual, ignoreCase: false),
        "Bool" => bool.TryParse(expected, out var e) && bool.TryParse(actual, out var a) && e == a,
        "IpAddress" or "NotIpAddress" => InRange(expected, actual),
        var numeric when numeric.StartsWith("Numeric", StringComparison.Ordinal) => Order(numeric["Numeric".Length..], ParseNumber(expected), ParseNumber(actual)),
        var date => Order(date["Date".Length..], ParseDate(expected), ParseDate(actual)),
    };

    private static bool Order<T>(string relation, T? expected, T? actual)
        where T : struct, IComparable<T>
    {
        if (expected is not { } e || actual is not { } a)
        {
            return false;
        }

        var order = a.CompareTo(e);
        return relation switch
        {
            "Equals" or "NotEquals" => order == 0,
            "LessThan" => order < 0,
            "LessThanEquals" => order <= 0,
            "GreaterThan" => order > 0,
            _ => order >= 0,
        };
    }

    private static decimal? ParseNumber(string text) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    // Dates are ISO 8601 or epoch seconds, as IAM accepts both.
    private static DateTimeOffset? ParseDate(string text) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds)
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date
        : null;

    private static bool InRange(string cidr, string address)
    {
        if (!IPAddress.TryParse(address, out var ip))
        {
            return false;
        }

        return cidr.Contains('/', StringComparison.Ordinal)
            ? IPNetwork.TryParse(cidr, out var network) && network.Contains(ip)
            : IPAddress.TryParse(cidr, out var single) && single.Equals(ip);
    }

    private static IReadOnlyList<string> ConditionValues(JsonElement element, string key) => element.ValueKind switch
    {
        JsonValueKind.Array => element.EnumerateArray().Select(item => Scalar(item, key)).ToList(),
        _ => [Scalar(element, key)],
    };

    private static string Scalar(JsonElement element, string key) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!,
        JsonValueKind.Number => element.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => throw new FormatException($"Condition values for '{key}' must be strings, numbers or booleans."),
    };
}

/// <summary>
/// Policy variables in Resource and condition values: <c>${aws:username}</c>, <c>${aws:PrincipalTag/team}</c>, any
/// request key, a default (<c>${aws:PrincipalTag/team, 'none'}</c>) and the escapes <c>${*}</c>, <c>${?}</c>, <c>${$}</c>.
/// </summary>
internal static class PolicyVariables
{
    /// <summary>The text with variables replaced, or null when a variable has no value (the element then matches nothing).</summary>
    public static string? Resolve(string text, RequestContext request)
    {
        var start = text.IndexOf("${", StringComparison.Ordinal);
        if (start < 0)
        {
            return text;
        }

        var result = new System.Text.StringBuilder(text.Length);
        var position = 0;
        while (start >= 0)
        {
            var end = text.IndexOf('}', start);
            if (end < 0)
            {
                break;
            }

            result.Append(text, position, start - position);
            var variable = text[(start + 2)..end];
            string? value = variable switch
            {
                "*" => "*",
                "?" => "?",
                "$" => "$",
                _ => Lookup(variable, request),
            };
            if (value is null)
            {
                return null;
            }

            result.Append(value);
            position = end + 1;
            start = text.IndexOf("${", position, StringComparison.Ordinal);
        }

        return result.Append(text, position, text.Length - position).ToString();
    }

    private static string? Lookup(string variable, RequestContext request)
    {
        var comma = variable.IndexOf(',', StringComparison.Ordinal);
        var key = (comma < 0 ? variable : variable[..comma]).Trim();
        var fallback = comma < 0 ? null : variable[(comma + 1)..].Trim().Trim('\'');
        return request.Get(key) ?? fallback;
    }
}
