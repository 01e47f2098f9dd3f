using System.Collections.Concurrent;
using System.Text.Json;

namespace CloudPatterns.LocalCloud.Identity;

/// <summary>The effect of the statement that decided a policy, or none when no statement applies.</summary>
internal enum PolicyEffect
{
    None,
    Allow,
    Deny,
}

/// <summary>
/// Which statement of a policy applies to a request: a matching Deny wins over a matching Allow.
/// <paramref name="ViaAccount"/> tells that the Allow names the principal's whole account (a delegation to IAM
/// policies, as the account-root statement of a KMS key policy is), not the principal itself.
/// </summary>
internal readonly record struct PolicyMatch(PolicyEffect Effect, PolicyStatement? Statement, bool ViaAccount)
{
    public static readonly PolicyMatch None = new(PolicyEffect.None, null, false);
}

/// <summary>
/// An IAM policy document of any kind (identity, resource, trust, key, SCP, boundary, session), parsed once and
/// evaluated by <see cref="Evaluate"/>: Action/NotAction, Resource/NotResource, Principal/NotPrincipal, wildcards,
/// policy variables and every condition operator (docs/localcloud-authorization.md).
/// </summary>
internal sealed class PolicyDocument
{
    public const string ExternalIdKey = "sts:externalid";
    private const int CacheLimit = 4096;
    private static readonly ConcurrentDictionary<string, PolicyDocument> Cache = new(StringComparer.Ordinal);

    private PolicyDocument(IReadOnlyList<PolicyStatement> statements) => Statements = statements;

    public IReadOnlyList<PolicyStatement> Statements { get; }

    /// <summary>The ExternalId an Allow statement demands with StringEquals (the module's sandbox ExternalId).</summary>
    public string? RequiredExternalId => Statements
        .Where(statement => statement.Effect == PolicyEffect.Allow)
        .SelectMany(statement => statement.Conditions)
        .Where(condition => condition.Operator == "StringEquals" && condition.Key.Equals(ExternalIdKey, StringComparison.OrdinalIgnoreCase))
        .Select(condition => condition.Values[0])
        .FirstOrDefault();

    /// <summary>Parses a document; <see cref="FormatException"/> names what is wrong.</summary>
    public static PolicyDocument Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("Statement", out var statementElement))
            {
                throw new FormatException("A policy document must be a JSON object with a Statement.");
            }

            var statements = statementElement.ValueKind == JsonValueKind.Array
                ? statementElement.EnumerateArray().Select(PolicyStatement.Parse).ToList()
                : [PolicyStatement.Parse(statementElement)];
            return new PolicyDocument(statements);
        }
        catch (JsonException error)
        {
            throw new FormatException($"The policy is not valid JSON: {error.Message}");
        }
    }

    /// <summary>The parsed form of a document, parsed once per distinct text (policies are evaluated on every request).</summary>
    public static PolicyDocument Cached(string json)
    {
        if (Cache.TryGetValue(json, out var parsed))
        {
            return parsed;
        }

        parsed = Parse(json);
        if (Cache.Count >= CacheLimit)
        {
            Cache.Clear();
        }

        Cache[json] = parsed;
        return parsed;
    }

    /// <summary>The statement that decides this policy for the request: the first matching Deny, else the first matching Allow.</summary>
    public PolicyMatch Evaluate(RequestContext request)
    {
        var allow = PolicyMatch.None;
        foreach (var statement in Statements)
        {
            if (!statement.Applies(request, out var viaAccount))
            {
                continue;
            }

            if (statement.Effect == PolicyEffect.Deny)
            {
                return new PolicyMatch(PolicyEffect.Deny, statement, false);
            }

            // A statement naming the principal itself is the stronger grant; keep it over an account-wide one.
            if (allow.Effect == PolicyEffect.None || (allow.ViaAccount && !viaAccount))
            {
                allow = new PolicyMatch(PolicyEffect.Allow, statement, viaAccount);
            }
        }

        return allow;
    }

    /// <summary>True when an Allow applies and no Deny does (a resource or trust policy read on its own).</summary>
    public bool Allows(RequestContext request) => Evaluate(request).Effect == PolicyEffect.Allow;
}

/// <summary>One statement of a <see cref="PolicyDocument"/>.</summary>
internal sealed class PolicyStatement
{
    private PolicyStatement(string? sid, PolicyEffect effect, PolicyElement actions, PolicyElement? resources, PolicyPrincipals? principals, IReadOnlyList<PolicyCondition> conditions)
    {
        Sid = sid;
        Effect = effect;
        Actions = actions;
        Resources = resources;
        Principals = principals;
        Conditions = conditions;
    }

    public string? Sid { get; }

    public PolicyEffect Effect { get; }

    public PolicyElement Actions { get; }

    /// <summary>Resource or NotResource; null in trust policies and resource policies that leave it out.</summary>
    public PolicyElement? Resources { get; }

    /// <summary>Principal or NotPrincipal; null in identity-based policies, SCPs, boundaries and session policies.</summary>
    public PolicyPrincipals? Principals { get; }

    public IReadOnlyList<PolicyCondition> Conditions { get; }

    public static PolicyStatement Parse(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("Each policy statement must be a JSON object.");
        }

        var sid = element.TryGetProperty("Sid", out var sidElement) ? sidElement.GetString() : null;
        var effectText = element.TryGetProperty("Effect", out var effectElement) ? effectElement.GetString() : null;
        var effect = effectText switch
        {
            "Allow" => PolicyEffect.Allow,
            "Deny" => PolicyEffect.Deny,
            _ => throw new FormatException($"Policy statement Effect must be Allow or Deny, not '{effectText}'."),
        };
        var actions = PolicyElement.Read(element, "Action", "NotAction", ignoreCase: true)
            ?? throw new FormatException("A policy statement needs Action or NotAction.");
        var resources = PolicyElement.Read(element, "Resource", "NotResource", ignoreCase: false);
        var principals = PolicyPrincipals.Read(element);
        var conditions = element.TryGetProperty("Condition", out var condition)
            ? PolicyCondition.ParseBlock(condition)
            : [];
        return new PolicyStatement(sid, effect, actions, resources, principals, conditions);
    }

    public bool Applies(RequestContext request, out bool viaAccount)
    {
        viaAccount = false;
        if (Principals is { } principals && !principals.Matches(request.Principal, out viaAccount))
        {
            return false;
        }

        if (!Actions.Matches(request.Action, request))
        {
            return false;
        }

        if (Resources is { } resources && !resources.Matches(request.Resource, request))
        {
            return false;
        }

        foreach (var condition in Conditions)
        {
            if (!condition.Holds(request))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>Action/NotAction or Resource/NotResource: patterns with wildcards and, in resources, policy variables.</summary>
internal sealed class PolicyElement(IReadOnlyList<string> patterns, bool negated, bool ignoreCase)
{
    public IReadOnlyList<string> Patterns { get; } = patterns;

    public bool Negated { get; } = negated;

    public static PolicyElement? Read(JsonElement statement, string name, string negatedName, bool ignoreCase)
    {
        var has = statement.TryGetProperty(name, out var value);
        var hasNegated = statement.TryGetProperty(negatedName, out var negatedValue);
        if (has && hasNegated)
        {
            throw new FormatException($"A policy statement cannot have both {name} and {negatedName}.");
        }

        return has ? new PolicyElement(Strings(value, name), false, ignoreCase)
            : hasNegated ? new PolicyElement(Strings(negatedValue, negatedName), true, ignoreCase)
            : null;
    }

    public bool Matches(string value, RequestContext request)
    {
        var any = false;
        foreach (var pattern in Patterns)
        {
            if (PolicyVariables.Resolve(pattern, request) is { } resolved && Wildcard.Matches(resolved, value, ignoreCase))
            {
                any = true;
                break;
            }
        }

        return any != Negated;
    }

    internal static IReadOnlyList<string> Strings(JsonElement element, string name) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Array => element.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.String
            ? item.GetString()!
            : throw new FormatException($"Every value of {name} must be a string.")).ToList(),
        _ => throw new FormatException($"{name} must be a string or an array of strings."),
    };
}

/// <summary>
/// Principal/NotPrincipal: "*", AWS principals (an account id or root ARN means the whole account; a role ARN its
/// sessions; a user or session ARN itself), and Service principals.
/// </summary>
internal sealed class PolicyPrincipals(bool any, IReadOnlyList<string> aws, IReadOnlyList<string> services, bool negated)
{
    public static PolicyPrincipals? Read(JsonElement statement)
    {
        var has = statement.TryGetProperty("Principal", out var value);
        var hasNegated = statement.TryGetProperty("NotPrincipal", out var negatedValue);
        if (has && hasNegated)
        {
            throw new FormatException("A policy statement cannot have both Principal and NotPrincipal.");
        }

        if (!has && !hasNegated)
        {
            return null;
        }

        var element = has ? value : negatedValue;
        if (element.ValueKind == JsonValueKind.String)
        {
            return element.GetString() == "*"
                ? new PolicyPrincipals(true, [], [], !has)
                : throw new FormatException("Principal must be \"*\" or an object such as {\"AWS\": ...} or {\"Service\": ...}.");
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("Principal must be \"*\" or an object such as {\"AWS\": ...} or {\"Service\": ...}.");
        }

        IReadOnlyList<string> aws = element.TryGetProperty("AWS", out var awsElement) ? PolicyElement.Strings(awsElement, "Principal AWS") : [];
        IReadOnlyList<string> services = element.TryGetProperty("Service", out var serviceElement) ? PolicyElement.Strings(serviceElement, "Principal Service") : [];
        return new PolicyPrincipals(aws.Contains("*"), aws, services, !has);
    }

    public bool Matches(CallerIdentity caller, out bool viaAccount)
    {
        viaAccount = false;
        var matched = any || (caller.IsService ? services.Contains(caller.Service!, StringComparer.Ordinal) : MatchesAws(caller, out viaAccount));
        if (negated)
        {
            viaAccount = false;
            return !matched;
        }

        return matched;
    }

    private bool MatchesAws(CallerIdentity caller, out bool viaAccount)
    {
        viaAccount = false;
        foreach (var principal in aws)
        {
            if (principal == caller.Arn || (caller.RoleArn is { } roleArn && principal == roleArn))
            {
                viaAccount = false;
                return true;
            }

            if (principal == caller.AccountId || principal == $"arn:aws:iam::{caller.AccountId}:root")
            {
                viaAccount = true;
            }
        }

        return viaAccount;
    }
}
