using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>
/// Reads a resource policy (vault access policy, key policy) the way the cross-account copy checks need: does an
/// Allow statement, not overridden by a Deny, give an action to a principal of another account — by account id, its
/// root or a role ARN, or by "*" narrowed to the organization (aws:PrincipalOrgID) or the account
/// (aws:PrincipalAccount, kms:CallerAccount). A condition on any other key is not assumed to hold.
/// </summary>
public static class ResourcePolicy
{
    public static bool Grants(string? policyJson, string action, string accountId, string organizationId)
    {
        if (!TryStatements(policyJson, out List<JsonElement> statements))
        {
            return false;
        }

        bool Applies(JsonElement statement) =>
            Strings(statement, "Action").Any(pattern => Matches(pattern, action))
            && PrincipalCovers(statement, accountId, organizationId);

        return statements.Any(s => Effect(s) == "Allow" && Applies(s)) && !statements.Any(s => Effect(s) == "Deny" && Applies(s));
    }

    /// <summary>
    /// Whether a role's trust policy lets an AWS service (e.g. backup.amazonaws.com) assume the role: an Allow of
    /// sts:AssumeRole to the service principal, and no Deny of it.
    /// </summary>
    public static bool TrustsService(string? trustPolicyJson, string servicePrincipal)
    {
        if (!TryStatements(trustPolicyJson, out List<JsonElement> statements))
        {
            return false;
        }

        bool Applies(JsonElement statement) =>
            Strings(statement, "Action").Any(pattern => Matches(pattern, "sts:AssumeRole"))
            && statement.TryGetProperty("Principal", out JsonElement principal)
            && principal.ValueKind == JsonValueKind.Object
            && Strings(principal, "Service").Contains(servicePrincipal, StringComparer.OrdinalIgnoreCase);

        return statements.Any(s => Effect(s) == "Allow" && Applies(s)) && !statements.Any(s => Effect(s) == "Deny" && Applies(s));
    }

    private static bool TryStatements(string? policyJson, out List<JsonElement> statements)
    {
        statements = new List<JsonElement>();
        if (string.IsNullOrWhiteSpace(policyJson))
        {
            return false;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(policyJson!);
            JsonElement statement = document.RootElement.GetProperty("Statement");
            statements = (statement.ValueKind == JsonValueKind.Array ? statement.EnumerateArray().ToList() : new List<JsonElement> { statement })
                .Select(element => element.Clone()).ToList();
            return true;
        }
        catch (Exception error) when (error is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return false;
        }
    }

    private static string? Effect(JsonElement statement) =>
        statement.TryGetProperty("Effect", out JsonElement effect) ? effect.GetString() : null;

    private static bool PrincipalCovers(JsonElement statement, string accountId, string organizationId)
    {
        if (!statement.TryGetProperty("Principal", out JsonElement principal))
        {
            return false;
        }

        IEnumerable<string> principals = principal.ValueKind == JsonValueKind.String ? new[] { principal.GetString()! } : Strings(principal, "AWS");
        bool named = principals.Any(p => p == accountId || p.StartsWith($"arn:aws:iam::{accountId}:", StringComparison.Ordinal));
        bool everyone = principals.Contains("*");
        if (!named && !everyone)
        {
            return false;
        }

        if (!statement.TryGetProperty("Condition", out JsonElement conditions))
        {
            return true;
        }

        foreach (JsonProperty test in conditions.EnumerateObject())
        {
            foreach (JsonProperty key in test.Value.EnumerateObject())
            {
                string? expected = key.Name.ToLowerInvariant() switch
                {
                    "aws:principalorgid" => organizationId,
                    "aws:principalaccount" or "kms:calleraccount" => accountId,
                    _ => null,
                };
                IEnumerable<string> values = key.Value.ValueKind == JsonValueKind.Array ? key.Value.EnumerateArray().Select(v => v.GetString() ?? "") : new[] { key.Value.GetString() ?? "" };
                bool holds = expected is not null && test.Name switch
                {
                    "StringEquals" or "StringEqualsIgnoreCase" => values.Any(v => string.Equals(v, expected, StringComparison.OrdinalIgnoreCase)),
                    "StringLike" => values.Any(v => Matches(v, expected)),
                    _ => false,
                };
                if (!holds)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static IEnumerable<string> Strings(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out JsonElement value))
        {
            return Array.Empty<string>();
        }

        return value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(v => v.GetString() ?? "").ToArray() : new[] { value.GetString() ?? "" };
    }

    /// <summary>IAM wildcards: * any run, ? one character; case-insensitive like action names.</summary>
    private static bool Matches(string pattern, string value) =>
        Regex.IsMatch(value, "^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$", RegexOptions.IgnoreCase);
}
