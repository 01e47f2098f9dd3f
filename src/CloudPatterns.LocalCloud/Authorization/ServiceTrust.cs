using CloudPatterns.LocalCloud.Identity;
using CloudPatterns.LocalCloud.Services.Iam;

namespace CloudPatterns.LocalCloud.Authorization;

/// <summary>Whether an AWS service may assume a role it is handed: the role exists and its trust policy admits the service principal.</summary>
internal static class ServiceTrust
{
    public static bool Allows(IamStore iam, string organizationId, string roleArn, string servicePrincipal) =>
        iam.FindRole(roleArn) is { } role && Trusts(role, organizationId, servicePrincipal, sourceAccount: null, sourceArn: null);

    /// <summary>
    /// The role's trust policy lets <paramref name="servicePrincipal"/> assume it when the service acts for
    /// <paramref name="sourceAccount"/>'s resource <paramref name="sourceArn"/> (aws:SourceAccount/aws:SourceArn, set when given).
    /// </summary>
    public static bool Trusts(IamRole role, string organizationId, string servicePrincipal, string? sourceAccount, string? sourceArn)
    {
        var context = PrincipalKeys.Context(CallerIdentity.ForService(servicePrincipal, role.AccountId), "sts:AssumeRole", role.Arn, organizationId);
        if (sourceAccount is not null)
        {
            context.Set("aws:SourceAccount", sourceAccount);
        }

        if (sourceArn is not null)
        {
            context.Set("aws:SourceArn", sourceArn);
        }

        return PolicyEvaluator.Evaluate(
            new PolicySet { Resource = new NamedPolicy("trust policy", PolicyDocument.Cached(role.AssumeRolePolicyDocument)), ResourcePolicyRequired = true },
            context).Allowed;
    }
}
