namespace CloudPatterns.LocalCloud.Identity;

/// <summary>
/// The global condition keys IAM sets from the principal alone (aws:PrincipalArn, aws:PrincipalAccount,
/// aws:PrincipalOrgID, aws:PrincipalType, aws:username, aws:userid, aws:PrincipalIsAWSService): one place, so every
/// policy LocalCloud evaluates sees the same principal.
/// </summary>
internal static class PrincipalKeys
{
    public static RequestContext Context(CallerIdentity principal, string action, string resource, string? organizationId)
    {
        var context = new RequestContext(principal, action, resource);
        if (principal.IsService)
        {
            // A service principal has no account or ARN keys of its own; aws:SourceAccount/SourceArn say for whom it acts.
            return context.Set("aws:PrincipalIsAWSService", "true").Set("aws:PrincipalServiceName", principal.Service!);
        }

        context.Set("aws:PrincipalIsAWSService", "false")
            .Set("aws:PrincipalAccount", principal.AccountId)
            .Set("aws:PrincipalArn", principal.RoleArn ?? principal.Arn)
            .Set("aws:userid", principal.UserId)
            .Set("aws:PrincipalType", principal.IsRoleSession ? "AssumedRole" : principal.Arn.EndsWith(":root", StringComparison.Ordinal) ? "Account" : "User");
        if (!principal.IsRoleSession && principal.Arn.Contains(":user/", StringComparison.Ordinal))
        {
            context.Set("aws:username", principal.Arn[(principal.Arn.LastIndexOf('/') + 1)..]);
        }

        if (organizationId is not null)
        {
            context.Set("aws:PrincipalOrgID", organizationId);
        }

        return context;
    }
}
