using CloudPatterns.LocalCloud.Identity;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Authorization;

/// <summary>
/// Refusals in AWS's current wording (docs/localcloud-authorization.md quotes each form): "User: … is not authorized to
/// perform: … on resource: … because no identity-based policy allows the … action", or "… with an explicit deny in a
/// service control policy: arn…", with the error code and status each service answers with.
/// </summary>
internal static class AccessDeniedErrors
{
    public static AwsServiceException For(string service, CallerIdentity caller, string action, string resource, AuthorizationDecision decision)
    {
        var message = $"User: {caller.Arn} is not authorized to perform: {action} on resource: {resource} {Reason(action, decision)}";
        return service switch
        {
            "s3" => new AwsServiceException(403, "AccessDenied", message),
            "sns" => new AwsServiceException(403, "AuthorizationError", message),
            "ec2" => new AwsServiceException(403, "UnauthorizedOperation", $"You are not authorized to perform this operation. {message}"),
            "kms" or "organizations" or "dynamodb" or "logs" or "events" => new AwsServiceException(400, "AccessDeniedException", message) { JsonMessageMember = JsonMember(service) },
            "backup" => new AwsServiceException(403, "AccessDeniedException", message) { JsonMessageMember = "Message" },
            "scheduler" => new AwsServiceException(403, "AccessDeniedException", message),
            "elasticfilesystem" => new AwsServiceException(403, "AccessDeniedException", message) { JsonMessageMember = "Message", Fields = [KeyValuePair.Create("ErrorCode", "AccessDeniedException")] },
            "lambda" => new AwsServiceException(403, "AccessDeniedException", message) { JsonMessageMember = "Message", Fields = [KeyValuePair.Create("Type", "User")] },
            // STS does not say why an AssumeRole is refused (the trust policy stays private to its account).
            "sts" => new AwsServiceException(403, "AccessDenied", $"User: {caller.Arn} is not authorized to perform: {action} on resource: {resource}"),
            _ => new AwsServiceException(403, "AccessDenied", message),
        };
    }

    public static string Reason(string action, AuthorizationDecision decision)
    {
        var type = decision.Type switch
        {
            PolicyType.ServiceControl => "service control policy",
            PolicyType.Resource => "resource-based policy",
            PolicyType.PermissionsBoundary => "permissions boundary",
            PolicyType.Session => "session policy",
            _ => "identity-based policy",
        };
        if (!decision.ExplicitDeny)
        {
            return $"because no {type} allows the {action} action";
        }

        // AWS names the denying policy's ARN for these types within the account and organization; never a resource policy's.
        return decision.Type != PolicyType.Resource && decision.PolicyName?.StartsWith("arn:", StringComparison.Ordinal) == true
            ? $"with an explicit deny in a{(type[0] is 'i' ? "n" : "")} {type}: {decision.PolicyName}"
            : $"with an explicit deny in a{(type[0] is 'i' ? "n" : "")} {type}";
    }

    private static string JsonMember(string service) => service == "organizations" ? "Message" : "message";
}
