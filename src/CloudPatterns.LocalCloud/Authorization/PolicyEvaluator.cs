using CloudPatterns.LocalCloud.Identity;

namespace CloudPatterns.LocalCloud.Authorization;

/// <summary>The kinds of policy AWS's evaluation logic weighs; the refusal message names the one that decided.</summary>
internal enum PolicyType
{
    Identity,
    ServiceControl,
    Resource,
    PermissionsBoundary,
    Session,
}

/// <summary>A policy with the name the request log and refusals show (an ARN, or role/name for an inline policy).</summary>
internal sealed record NamedPolicy(string Name, PolicyDocument Document);

/// <summary>Every policy that applies to one request, gathered by <see cref="RequestAuthorizer"/>.</summary>
internal sealed class PolicySet
{
    public IReadOnlyList<NamedPolicy> Identity { get; init; } = [];

    public NamedPolicy? PermissionsBoundary { get; init; }

    public IReadOnlyList<NamedPolicy> Session { get; init; } = [];

    /// <summary>SCPs per level (root, each OU down to the account, the account); every level must allow. Null when exempt.</summary>
    public IReadOnlyList<IReadOnlyList<NamedPolicy>>? ServiceControl { get; init; }

    public NamedPolicy? Resource { get; init; }

    /// <summary>The resource's own policy must allow (KMS key policies, role trust policies, service principals).</summary>
    public bool ResourcePolicyRequired { get; init; }

    /// <summary>The resource lives in another account than the principal: both sides must allow.</summary>
    public bool CrossAccount { get; init; }
}

/// <summary>The outcome and what decided it: the deciding policy and statement, or the policy type that allowed nothing.</summary>
internal sealed record AuthorizationDecision(bool Allowed, PolicyType? Type, bool ExplicitDeny, string? PolicyName, string? StatementId)
{
    public static AuthorizationDecision Unauthorized { get; } = new(true, null, false, null, null);

    public static AuthorizationDecision Deny(PolicyType type, NamedPolicy policy, PolicyStatement statement) => new(false, type, true, policy.Name, statement.Sid);

    public static AuthorizationDecision NoAllow(PolicyType type) => new(false, type, false, null, null);

    public static AuthorizationDecision Allow(NamedPolicy policy, PolicyStatement statement) => new(true, null, false, policy.Name, statement.Sid);

    /// <summary>Allow, ExplicitDeny or ImplicitDeny, as the request log shows the decision.</summary>
    public string Outcome => Allowed ? "Allow" : ExplicitDeny ? "ExplicitDeny" : "ImplicitDeny";

    /// <summary>The deciding statement as the request log shows it: policy#Sid, the policy alone, or the implicit deny.</summary>
    public string? Describe() =>
        PolicyName is not null ? (StatementId is { Length: > 0 } ? $"{PolicyName}#{StatementId}" : PolicyName)
        : Type is { } type ? $"no {type} allow"
        : null;
}

/// <summary>
/// AWS's policy evaluation logic (docs/localcloud-authorization.md): an explicit Deny in any policy wins; every SCP
/// level must allow; within an account an identity-based OR a resource-based Allow suffices (a resource policy naming
/// only the account delegates to IAM policies); across accounts both must allow; a permissions boundary and session
/// policies limit what identity policies grant; KMS key and role trust policies must allow themselves.
/// </summary>
internal static class PolicyEvaluator
{
    public static AuthorizationDecision Evaluate(PolicySet policies, RequestContext request)
    {
        // Each policy is evaluated once: its first matching Deny and its first matching Allow.
        var scpLevels = policies.ServiceControl;
        var scpAllowsEveryLevel = true;
        if (scpLevels is not null)
        {
            foreach (var level in scpLevels)
            {
                var scan = Scan(level, request);
                if (scan.Deny is { } deny)
                {
                    return AuthorizationDecision.Deny(PolicyType.ServiceControl, deny.Policy, deny.Statement);
                }

                scpAllowsEveryLevel &= scan.Allow is not null;
            }
        }

        // 1. Explicit deny anywhere.
        var resource = policies.Resource is { } resourcePolicy ? resourcePolicy.Document.Evaluate(request) : PolicyMatch.None;
        if (resource.Effect == PolicyEffect.Deny)
        {
            return AuthorizationDecision.Deny(PolicyType.Resource, policies.Resource!, resource.Statement!);
        }

        var identity = Scan(policies.Identity, request);
        var boundary = Scan(policies.PermissionsBoundary is { } boundaryPolicy ? [boundaryPolicy] : [], request);
        var session = Scan(policies.Session, request);
        foreach (var (type, scan) in (ReadOnlySpan<(PolicyType, ScanResult)>)[(PolicyType.Identity, identity), (PolicyType.PermissionsBoundary, boundary), (PolicyType.Session, session)])
        {
            if (scan.Deny is { } deny)
            {
                return AuthorizationDecision.Deny(type, deny.Policy, deny.Statement);
            }
        }

        // 2. Organizations: every level from the root down must allow.
        if (!scpAllowsEveryLevel)
        {
            return AuthorizationDecision.NoAllow(PolicyType.ServiceControl);
        }

        // 3. The resource's own policy, where it must allow.
        if ((policies.ResourcePolicyRequired || policies.CrossAccount) && resource.Effect != PolicyEffect.Allow)
        {
            return AuthorizationDecision.NoAllow(PolicyType.Resource);
        }

        // A same-account resource policy naming the principal itself allows without an identity policy.
        var directGrant = !policies.CrossAccount && resource.Effect == PolicyEffect.Allow && !resource.ViaAccount;
        if (identity.Allow is null && !directGrant)
        {
            return AuthorizationDecision.NoAllow(PolicyType.Identity);
        }

        // 4. A permissions boundary and session policies cap what identity policies grant.
        if (!directGrant)
        {
            if (policies.PermissionsBoundary is not null && boundary.Allow is null)
            {
                return AuthorizationDecision.NoAllow(PolicyType.PermissionsBoundary);
            }

            if (policies.Session.Count > 0 && session.Allow is null)
            {
                return AuthorizationDecision.NoAllow(PolicyType.Session);
            }
        }

        return directGrant || identity.Allow is not { } allow
            ? AuthorizationDecision.Allow(policies.Resource!, resource.Statement!)
            : AuthorizationDecision.Allow(allow.Policy, allow.Statement);
    }

    /// <summary>The first Deny and the first Allow among a list of policies, each policy evaluated once.</summary>
    private readonly record struct ScanResult((NamedPolicy Policy, PolicyStatement Statement)? Deny, (NamedPolicy Policy, PolicyStatement Statement)? Allow);

    private static ScanResult Scan(IReadOnlyList<NamedPolicy> policies, RequestContext request)
    {
        (NamedPolicy, PolicyStatement)? allow = null;
        for (var index = 0; index < policies.Count; index++)
        {
            var policy = policies[index];
            var match = policy.Document.Evaluate(request);
            if (match.Effect == PolicyEffect.Deny)
            {
                return new ScanResult((policy, match.Statement!), allow);
            }

            if (allow is null && match.Effect == PolicyEffect.Allow)
            {
                allow = (policy, match.Statement!);
            }
        }

        return new ScanResult(null, allow);
    }
}
