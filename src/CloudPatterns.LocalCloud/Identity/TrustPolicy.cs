using System.Text.Json;
using System.Text.RegularExpressions;

namespace CloudPatterns.LocalCloud.Identity;

/// <summary>
/// An IAM role trust policy, evaluated as IAM does for sts:AssumeRole: an explicit Deny wins, otherwise one matching
/// Allow statement is needed. Supports AWS principals, actions with wildcards, and the string condition operators.
/// </summary>
internal sealed class TrustPolicy
{
    private readonly IReadOnlyList<Statement> statements;

    private TrustPolicy(IReadOnlyList<Statement> statements) => this.statements = statements;

    /// <summary>The ExternalId an Allow statement demands with StringEquals (the module's sandbox ExternalId).</summary>
    public string? RequiredExternalId => statements
        .Where(statement => statement.Allow)
        .SelectMany(statement => statement.Conditions)
        .Where(condition => condition.Operator == "StringEquals" && condition.Key == ExternalIdKey)
        .Select(condition => condition.Values[0])
        .FirstOrDefault();

    public const string ExternalIdKey = "sts:externalid";

    public static TrustPolicy Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var statementElement = document.RootElement.GetProperty("Statement");
        var statements = statementElement.ValueKind == JsonValueKind.Array
            ? statementElement.EnumerateArray().Select(ParseStatement).ToList()
            : [ParseStatement(statementElement)];
        return new TrustPolicy(statements);
    }

    /// <summary>True when the policy lets <paramref name="caller"/> perform <paramref name="action"/>.</summary>
    /// <param name="context">Condition keys of the request (lower-case names, e.g. sts:externalid).</param>
    public bool Allows(CallerIdentity caller, string action, IReadOnlyDictionary<string, string> context)
    {
        var matching = statements.Where(statement => statement.Matches(caller, action, context)).ToList();
        return matching.Count > 0 && matching.All(statement => statement.Allow);
    }

    private static Statement ParseStatement(JsonElement element)
    {
        var effect = element.GetProperty("Effect").GetString();
        if (effect is not ("Allow" or "Deny"))
        {
            throw new FormatException($"Trust policy Effect must be Allow or Deny, not '{effect}'.");
        }

        var principals = element.TryGetProperty("Principal", out var principal)
            ? ParsePrincipals(principal)
            : throw new FormatException("A trust policy statement needs a Principal.");
        var actions = StringOrArray(element.GetProperty("Action"));
        var conditions = element.TryGetProperty("Condition", out var condition)
            ? condition.EnumerateObject().SelectMany(ParseConditionBlock).ToList()
            : [];
        return new Statement(effect == "Allow", principals, actions, conditions);
    }

    private static IReadOnlyList<string> ParsePrincipals(JsonElement principal)
    {
        if (principal.ValueKind == JsonValueKind.String)
        {
            return principal.GetString() == "*" ? ["*"] : throw new FormatException("Principal must be \"*\" or an object.");
        }

        // Service and federated principals never sign requests to LocalCloud, so only AWS principals can match.
        return principal.TryGetProperty("AWS", out var aws) ? StringOrArray(aws) : [];
    }

    private static IEnumerable<Condition> ParseConditionBlock(JsonProperty block)
    {
        if (!ConditionOperators.Contains(block.Name))
        {
            throw new FormatException($"Trust policy condition operator '{block.Name}' is not supported by LocalCloud.");
        }

        return block.Value.EnumerateObject()
            .Select(entry => new Condition(block.Name, entry.Name.ToLowerInvariant(), StringOrArray(entry.Value)));
    }

    private static readonly HashSet<string> ConditionOperators = ["StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringLike", "StringNotLike", "Bool", "BoolIfExists"];

    private static IReadOnlyList<string> StringOrArray(JsonElement element) => element.ValueKind == JsonValueKind.Array
        ? element.EnumerateArray().Select(item => item.GetString() ?? "").ToList()
        : [element.GetString() ?? ""];

    private static bool WildcardMatch(string pattern, string value, bool ignoreCase) =>
        Regex.IsMatch(
            value,
            "^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$",
            ignoreCase ? RegexOptions.IgnoreCase | RegexOptions.CultureInvariant : RegexOptions.CultureInvariant);

    private sealed record Statement(bool Allow, IReadOnlyList<string> Principals, IReadOnlyList<string> Actions, IReadOnlyList<Condition> Conditions)
    {
        public bool Matches(CallerIdentity caller, string action, IReadOnlyDictionary<string, string> context) =>
            Principals.Any(principal => PrincipalMatches(principal, caller))
            && Actions.Any(pattern => WildcardMatch(pattern, action, ignoreCase: true))
            && Conditions.All(condition => condition.Holds(context));

        // An account id or its root ARN trusts every identity of that account; a role ARN trusts that role's sessions.
        private static bool PrincipalMatches(string principal, CallerIdentity caller) =>
            principal == "*"
            || principal == caller.AccountId
            || principal == $"arn:aws:iam::{caller.AccountId}:root"
            || principal == caller.Arn
            || principal == caller.RoleArn;
    }

    private sealed record Condition(string Operator, string Key, IReadOnlyList<string> Values)
    {
        public bool Holds(IReadOnlyDictionary<string, string> context)
        {
            // As in IAM, a negated operator holds when the key is absent, as does an ...IfExists one; a positive one fails.
            if (!context.TryGetValue(Key, out var actual))
            {
                return Operator.StartsWith("StringNot", StringComparison.Ordinal) || Operator.EndsWith("IfExists", StringComparison.Ordinal);
            }

            return Operator switch
            {
                "Bool" or "BoolIfExists" => Values.Contains(actual, StringComparer.OrdinalIgnoreCase),
                "StringEquals" => Values.Contains(actual, StringComparer.Ordinal),
                "StringNotEquals" => !Values.Contains(actual, StringComparer.Ordinal),
                "StringEqualsIgnoreCase" => Values.Contains(actual, StringComparer.OrdinalIgnoreCase),
                "StringLike" => Values.Any(pattern => WildcardMatch(pattern, actual, ignoreCase: false)),
                _ => !Values.Any(pattern => WildcardMatch(pattern, actual, ignoreCase: false)),
            };
        }
    }
}
