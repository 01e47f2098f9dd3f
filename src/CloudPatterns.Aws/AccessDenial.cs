using System;
using System.Text.RegularExpressions;

namespace CloudPatterns.Aws;

/// <summary>Which kind of policy AWS says refused a request (the policy types of AWS's policy evaluation).</summary>
public enum DenyingPolicyType
{
    /// <summary>AWS's message gives no reason (older form, or STS AssumeRole).</summary>
    Unknown,
    IdentityBased,
    ServiceControl,
    ResourceControl,
    ResourceBased,
    PermissionsBoundary,
    Session,
    VpcEndpoint,
}

/// <summary>
/// An access-denied refusal as AWS words it (docs/aws-errors.md quotes each form): "User: &lt;principal&gt; is not
/// authorized to perform: &lt;action&gt; on resource: &lt;resource&gt; because no &lt;policy type&gt; allows the
/// &lt;action&gt; action", or "… with an explicit deny in a(n) &lt;policy type&gt;[: &lt;policy ARN&gt;]", and what to
/// change so that the request is allowed.
/// </summary>
public sealed class AccessDenial
{
    private const string PolicyTypes = "identity-based policy|service control policy|resource control policy|resource-based policy|permissions boundary|session policy|VPC endpoint policy";

    // EC2 puts "You are not authorized to perform this operation." before and an encoded message after; S3 quotes the resource.
    private static readonly Regex Form = new(
        "User: (?<principal>arn:[^\\s\"]+) is not authorized to perform: (?<action>[A-Za-z0-9-]+:[A-Za-z0-9*]+)" +
        "(?: on resource: \"?(?<resource>[^\"\\s]*[^\"\\s.])\"?)?" +
        "(?: because no (?<type>" + PolicyTypes + ") allows the |(?: with an explicit deny in an? (?<denyType>" + PolicyTypes + ")(?:: (?<policy>arn:[^\\s\"]*[^\\s\".]))?))?",
        RegexOptions.CultureInvariant);

    private AccessDenial(string principal, string action, string? resource, DenyingPolicyType policyType, bool explicitDeny, string? policyArn)
    {
        Principal = principal;
        Action = action;
        Resource = resource;
        PolicyType = policyType;
        ExplicitDeny = explicitDeny;
        PolicyArn = policyArn;
    }

    /// <summary>The caller's ARN as AWS names it (an assumed-role session, a user, a role).</summary>
    public string Principal { get; }

    /// <summary>The IAM action refused, e.g. kms:GenerateDataKey.</summary>
    public string Action { get; }

    /// <summary>The resource's ARN; null when AWS does not name one.</summary>
    public string? Resource { get; }

    public DenyingPolicyType PolicyType { get; }

    /// <summary>True for "with an explicit deny", false for "because no … allows".</summary>
    public bool ExplicitDeny { get; }

    /// <summary>The denying policy's ARN, when AWS names it (SCPs, managed identity policies).</summary>
    public string? PolicyArn { get; }

    /// <summary>The role's name for a role or its session (assumed-role/R/s, role/path/R); null for other principals.</summary>
    public string? RoleName
    {
        get
        {
            var resource = Principal.Split(new[] { ':' }, 6) is { Length: 6 } parts ? parts[5] : string.Empty;
            if (resource.StartsWith("assumed-role/", StringComparison.Ordinal))
            {
                return resource.Split('/')[1];
            }

            return resource.StartsWith("role/", StringComparison.Ordinal) ? resource.Substring(resource.LastIndexOf('/') + 1) : null;
        }
    }

    /// <summary>The refusal in <paramref name="message"/>, or null when it is not in one of AWS's access-denied forms.</summary>
    public static AccessDenial? Parse(string? message)
    {
        if (message is null || Form.Match(message) is not { Success: true } match)
        {
            return null;
        }

        var explicitDeny = match.Groups["denyType"].Success;
        var type = PolicyTypeOf(explicitDeny ? match.Groups["denyType"].Value : match.Groups["type"].Value);
        return new AccessDenial(
            match.Groups["principal"].Value,
            match.Groups["action"].Value,
            match.Groups["resource"].Success ? match.Groups["resource"].Value : null,
            type,
            explicitDeny,
            match.Groups["policy"].Success ? match.Groups["policy"].Value : null);
    }

    /// <summary>What to change so that AWS allows the request: where the permission is missing or the Deny is.</summary>
    public string Remedy
    {
        get
        {
            var who = RoleName is { } role ? $"role {role}" : Principal;
            var on = Resource is null ? string.Empty : $" on {Resource}";
            var policy = PolicyArn is null ? string.Empty : $" ({PolicyArn})";
            return (PolicyType, ExplicitDeny) switch
            {
                (DenyingPolicyType.IdentityBased, false) => $"Add {Action}{on} to {who}.",
                (DenyingPolicyType.IdentityBased, true) => $"A policy of {who}{policy} denies {Action}{on}: remove that Deny statement, or use another role.",
                (DenyingPolicyType.ServiceControl, false) => $"No service control policy above the account allows {Action}: every level (root, each OU, the account) needs an SCP that allows it; no role policy can grant it.",
                (DenyingPolicyType.ServiceControl, true) => $"A service control policy{policy} denies {Action} in this account: the organization's administrators must change or detach it; no role policy can override it.",
                (DenyingPolicyType.ResourceControl, _) => $"A resource control policy{policy} of the organization does not let {who} use {Action}{on}: the organization's administrators must change it.",
                (DenyingPolicyType.ResourceBased, false) => $"The resource's own policy{on} must allow {who} to use {Action} (a KMS key policy, or any resource policy across accounts): add a statement for {Principal}'s role.",
                (DenyingPolicyType.ResourceBased, true) => $"The resource's own policy{on} denies {Action} to {who}: change its Deny statement.",
                (DenyingPolicyType.PermissionsBoundary, _) => $"The permissions boundary of {who}{policy} does not allow {Action}: add it to the boundary as well as to the role's policy.",
                (DenyingPolicyType.Session, _) => $"The session policy given when {who} was assumed does not allow {Action}: allow it there, or assume the role without one.",
                (DenyingPolicyType.VpcEndpoint, _) => $"The VPC endpoint's policy does not allow {Action}{on}: add it to the endpoint policy.",
                _ => $"Add {Action}{on} to {who}, and check the resource's policy and the SCPs above the account.",
            };
        }
    }

    private static DenyingPolicyType PolicyTypeOf(string text) => text switch
    {
        "identity-based policy" => DenyingPolicyType.IdentityBased,
        "service control policy" => DenyingPolicyType.ServiceControl,
        "resource control policy" => DenyingPolicyType.ResourceControl,
        "resource-based policy" => DenyingPolicyType.ResourceBased,
        "permissions boundary" => DenyingPolicyType.PermissionsBoundary,
        "session policy" => DenyingPolicyType.Session,
        "VPC endpoint policy" => DenyingPolicyType.VpcEndpoint,
        _ => DenyingPolicyType.Unknown,
    };
}
