using CloudPatterns.LocalCloud.Identity;
using CloudPatterns.LocalCloud.Services.Iam;

namespace CloudPatterns.LocalCloud.Authorization;

/// <summary>Whether an AWS service may assume a role it is handed: the role exists and its trust policy admits the service principal.</summary>
internal static class ServiceTrust
{
    public static bool Allows(IamStore iam, string organizationId, string roleArn, string servicePrincipal) =>
        iam.FindRole(roleArn) is { } role && PolicyEvaluator.Evaluate(
            new PolicySet { Resource = new NamedPolicy("trust policy", PolicyDocument.Cached(role.AssumeRolePolicyDocument)), ResourcePolicyRequired = true },
            PrincipalKeys.Context(CallerIdentity.ForService(servicePrincipal, role.AccountId), "sts:AssumeRole", role.Arn, organizationId)).Allowed;
}
