using System.Xml.Linq;
using CloudPatterns.LocalCloud.Hosting;
using CloudPatterns.LocalCloud.Identity;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Sts;

/// <summary>AWS STS (Query protocol, 2011-06-15): GetCallerIdentity and AssumeRole with trust policies.</summary>
internal sealed class StsService : QueryService
{
    private const int DefaultDurationSeconds = 3600;
    private const int RoleChainingLimitSeconds = 3600;
    private const string SessionNamePattern = @"[\w+=,.@-]*";
    private const string ExternalIdPattern = @"[\w+=,.@:\/-]*";
    private readonly LocalCloudState state;

    public StsService(LocalCloudState state)
        : base("sts", "2011-06-15", "https://sts.amazonaws.com/doc/2011-06-15/")
    {
        this.state = state;
        AddOperation("GetCallerIdentity", mutating: false, GetCallerIdentity);

        // AssumeRole creates credentials but changes no resource, so -WhatIf runs may call it.
        AddOperation("AssumeRole", mutating: false, AssumeRole);
    }

    private IEnumerable<XElement> GetCallerIdentity(AwsRequest request, QueryParameters parameters) =>
    [
        Element("UserId", request.Caller.UserId),
        Element("Account", request.AccountId),
        Element("Arn", request.Caller.Arn),
    ];

    private IEnumerable<XElement> AssumeRole(AwsRequest request, QueryParameters parameters)
    {
        var roleArn = parameters.Get("RoleArn");
        var sessionName = parameters.Get("RoleSessionName");
        var externalId = parameters.Get("ExternalId");
        var durationText = parameters.Get("DurationSeconds");
        var violations = new List<string>();
        ModelConstraints.CheckString(violations, "roleArn", roleArn, 20, 2048, pattern: null);
        ModelConstraints.CheckString(violations, "roleSessionName", sessionName, 2, 64, SessionNamePattern);
        if (externalId is not null)
        {
            ModelConstraints.CheckString(violations, "externalId", externalId, 2, 1224, ExternalIdPattern);
        }

        var duration = ModelConstraints.CheckInteger(violations, "durationSeconds", durationText, 900, 43200) ?? DefaultDurationSeconds;
        ModelConstraints.ThrowIfAny(violations);

        var sessionPolicy = parameters.Get("Policy");
        if (sessionPolicy is not null)
        {
            RequireValidSessionPolicy(sessionPolicy);
        }

        // The trust policy (and the caller's own permission) were checked before the operation, as for every request.
        var caller = request.Caller;
        var role = state.Iam.FindRole(roleArn!)
            ?? throw new AwsServiceException(403, "AccessDenied", $"User: {caller.Arn} is not authorized to perform: sts:AssumeRole on resource: {roleArn}");

        if (caller.IsRoleSession && duration > RoleChainingLimitSeconds)
        {
            throw new AwsServiceException(400, "ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
        }

        if (duration > role.MaxSessionDuration)
        {
            throw new AwsServiceException(400, "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
        }

        var session = new CallerIdentity(
            role.AccountId,
            $"arn:aws:sts::{role.AccountId}:assumed-role/{role.RoleName}/{sessionName}",
            $"{role.RoleId}:{sessionName}",
            role.Arn,
            sessionPolicy);
        var credentials = state.Credentials.IssueTemporary(session, state.Clock.GetUtcNow().AddSeconds(duration));
        return
        [
            Element("Credentials", new object[]
            {
                Element("AccessKeyId", credentials.AccessKeyId),
                Element("SecretAccessKey", credentials.SecretAccessKey),
                Element("SessionToken", credentials.SessionToken),
                Element("Expiration", Timestamp(credentials.Expiration!.Value)),
            }),
            Element("AssumedRoleUser", new object[]
            {
                Element("AssumedRoleId", session.UserId),
                Element("Arn", session.Arn),
            }),
        ];
    }

    // A session policy is a permission policy of at most 2,048 characters (STS AssumeRole API reference).
    private static void RequireValidSessionPolicy(string policy)
    {
        if (policy.Length > 2048)
        {
            throw new AwsServiceException(400, "PackedPolicyTooLarge", "Packed size of the session policy exceeds the limit of 2048 characters.");
        }

        try
        {
            PolicyDocument.Parse(policy);
        }
        catch (FormatException error)
        {
            throw new AwsServiceException(400, "MalformedPolicyDocument", error.Message);
        }
    }
}
