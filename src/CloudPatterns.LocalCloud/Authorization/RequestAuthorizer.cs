using System.Globalization;
using CloudPatterns.LocalCloud.Hosting;
using CloudPatterns.LocalCloud.Identity;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Authorization;

/// <summary>What authorization decided for one request, as the request log shows it.</summary>
/// <param name="Action">The IAM action, or null when the operation needs no permission.</param>
/// <param name="Resource">The resource ARN the action was evaluated on.</param>
internal sealed record AuthorizationOutcome(string? Action, string? Resource, AuthorizationDecision Decision)
{
    /// <summary>The request context evaluated, for further permissions the same request needs.</summary>
    public RequestContext? Context { get; init; }
}

/// <summary>
/// Authorizes every request after SigV4 and before the operation: the operation's action and resource from
/// <see cref="OperationActions"/>, the request's condition keys, the caller's identity-based, boundary and session
/// policies, the SCPs above its account, and the resource's own policy, evaluated by <see cref="PolicyEvaluator"/>.
/// </summary>
internal sealed class RequestAuthorizer(LocalCloudState state)
{
    public AuthorizationOutcome Authorize(string service, AwsOperationCall call, HttpContext http, CallerIdentity caller, string region)
    {
        if (OperationActions.Find(service, call.Name) is not { Action: { } action } row)
        {
            return new AuthorizationOutcome(null, null, AuthorizationDecision.Unauthorized);
        }

        // S3's DeleteObject of a given version needs s3:DeleteObjectVersion, not s3:DeleteObject (docs/localcloud-authorization.md).
        if (service == "s3" && call.Name == "DeleteObject" && call.Parameter("versionId") is not null)
        {
            action = "s3:DeleteObjectVersion";
        }

        var resource = ResolveResource(row.Resource, caller.AccountId, region, call.Parameter);
        var request = PrincipalKeys.Context(caller, action, resource, state.Organization.Id);
        AddRequestKeys(request, service, call, http, region);
        return Decide(request, service, call.Name, region, call.Parameter);
    }

    /// <summary>
    /// A further permission the same request needs, checked as AWS checks it for the caller: kms:GenerateDataKey when
    /// S3 encrypts under a KMS key (kms:ViaService set), iam:PassRole when Backup is handed a role
    /// (iam:PassedToService set), s3:BypassGovernanceRetention, s3:ListBucket when a read finds no key.
    /// <paramref name="resource"/> may be a KMS key id or alias.
    /// </summary>
    public AuthorizationOutcome AuthorizeAlso(RequestContext original, string viaService, string action, string resource, string region)
    {
        var service = action[..action.IndexOf(':', StringComparison.Ordinal)];
        if (service == "kms")
        {
            resource = ResolveResource(OperationActions.KmsKey, original.Principal.AccountId, region, name => name == "KeyId" ? resource : null);
        }

        var request = original.With(action, resource);
        if (service == "kms")
        {
            SetKmsViaService(request, viaService, region);
        }
        else if (action == "iam:PassRole")
        {
            request.Set("iam:PassedToService", $"{viaService}.amazonaws.com");
        }

        // An S3 permission is also granted by the bucket's own policy, as the request's own action is.
        var bucket = service == "s3" && resource.StartsWith(S3ArnPrefix, StringComparison.Ordinal) ? resource[S3ArnPrefix.Length..].Split('/')[0] : null;
        return Decide(request, service, operation: null, region, name => name == "Bucket" ? bucket : null);
    }

    private const string S3ArnPrefix = "arn:aws:s3:::";

    /// <summary>
    /// A call an AWS service makes for a principal outside any request of the principal's own: CloudFormation's resource
    /// calls, under the caller's forward access session (<paramref name="calledVia"/> set: aws:ViaAWSService true,
    /// aws:CalledVia the service) or its service role's session; Backup's KMS calls with a job's role. A KMS call that
    /// a service makes (<paramref name="kmsViaService"/>, e.g. "backup") carries that service's kms:ViaService.
    /// </summary>
    public AuthorizationOutcome AuthorizeOnBehalf(CallerIdentity principal, string action, string resource, string region, string? calledVia, string? passedToService, string? kmsViaService = null)
    {
        var request = PrincipalKeys.Context(principal, action, resource, state.Organization.Id);
        request.Set("aws:SecureTransport", "true")
            .Set("aws:RequestedRegion", region)
            .Set("aws:ViaAWSService", calledVia is null ? "false" : "true");
        SetIfPresent(request, "aws:CalledVia", calledVia);
        SetIfPresent(request, "iam:PassedToService", passedToService);
        if (kmsViaService is not null && action.StartsWith("kms:", StringComparison.Ordinal))
        {
            SetKmsViaService(request, kmsViaService, region);
        }

        return Decide(request, action[..action.IndexOf(':', StringComparison.Ordinal)], operation: null, region, _ => null);
    }

    /// <summary>The session name LocalCloud gives a Backup job's role (our choice: AWS's is not documented).</summary>
    public const string BackupJobSession = "AWSBackup";

    /// <summary>
    /// AWS Backup's KMS call on a vault key as a job's role (<see cref="Services.Backup.RoleKeyAccess"/>): null when the
    /// role's policies and the key policy allow it, else the refusal in AWS's words.
    /// </summary>
    public string? BackupJobKeyRefusal(string roleArn, string action, string keyArn, string region)
    {
        if (state.Iam.FindRole(roleArn) is not { } role)
        {
            return null;
        }

        var session = CallerIdentity.ForRoleSession(role, BackupJobSession);
        var outcome = AuthorizeOnBehalf(session, action, keyArn, region, calledVia: null, passedToService: null, kmsViaService: "backup");
        return outcome.Decision.Allowed ? null : AccessDeniedErrors.For("kms", session, action, keyArn, outcome.Decision).Message;
    }

    /// <summary>
    /// The keys of a KMS call an AWS service makes for the principal: kms:ViaService, kms:CallerAccount, aws:CalledVia;
    /// a grant such a service creates is for its own use on an AWS resource (kms:GrantIsForAWSResource true,
    /// docs/localcloud-authorization.md, "Backup vault keys").
    /// </summary>
    private static void SetKmsViaService(RequestContext request, string viaService, string region)
    {
        request.Set("kms:ViaService", $"{viaService}.{region}.amazonaws.com")
            .Set("kms:CallerAccount", request.Principal.AccountId)
            .Set("aws:ViaAWSService", "true")
            .Set("aws:CalledVia", $"{viaService}.amazonaws.com");
        if (request.Action == "kms:CreateGrant")
        {
            request.Set("kms:GrantIsForAWSResource", "true");
        }
    }

    private AuthorizationOutcome Decide(RequestContext request, string service, string? operation, string region, Func<string, string?> parameter)
    {
        var caller = request.Principal;
        var resourceAccount = AccountOf(request.Resource) ?? caller.AccountId;
        request.Set("aws:ResourceAccount", resourceAccount);
        var (resourcePolicy, required) = ResourcePolicy(service, operation, request.Resource, caller.AccountId, region, parameter);
        var policies = new PolicySet
        {
            Identity = IdentityPolicies(caller),
            Session = caller.SessionPolicy is { } session ? [new NamedPolicy("session policy", PolicyDocument.Cached(session))] : [],
            ServiceControl = IsServiceLinkedRole(caller) ? null : state.OrganizationPolicies.ServiceControlLevels(caller.AccountId),
            Resource = resourcePolicy,
            ResourcePolicyRequired = required,
            CrossAccount = resourceAccount != caller.AccountId,
        };
        return new AuthorizationOutcome(request.Action, request.Resource, PolicyEvaluator.Evaluate(policies, request)) { Context = request };
    }

    /// <summary>The identity-based policies of a caller: a role's inline and attached policies; the seed's admin users hold AdministratorAccess.</summary>
    public IReadOnlyList<NamedPolicy> IdentityPolicies(CallerIdentity caller)
    {
        if (caller.RoleArn is null)
        {
            return caller.IsService ? [] : [AdministratorAccess];
        }

        if (state.Iam.FindRole(caller.RoleArn) is not { } role)
        {
            return [];
        }

        // Roles are immutable records replaced on every change, and managed policy documents never change once created,
        // so a role's parsed policies are kept for as long as that record lives.
        return rolePolicies.GetValue(role, RolePolicies);
    }

    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<Services.Iam.IamRole, IReadOnlyList<NamedPolicy>> rolePolicies = new();

    private IReadOnlyList<NamedPolicy> RolePolicies(Services.Iam.IamRole role)
    {
        var policies = new List<NamedPolicy>(role.InlinePolicies.Count + role.AttachedPolicyArns.Count);
        foreach (var (name, document) in role.InlinePolicies)
        {
            policies.Add(new NamedPolicy($"{role.Arn}/{name}", PolicyDocument.Cached(document)));
        }

        foreach (var arn in role.AttachedPolicyArns)
        {
            if (ManagedPolicyDocuments.Find(arn) is { } awsManaged)
            {
                policies.Add(new NamedPolicy(arn, awsManaged));
            }
            else if (state.Iam.FindPolicyDocument(role.AccountId, arn) is { } customer)
            {
                policies.Add(new NamedPolicy(arn, PolicyDocument.Cached(customer)));
            }
        }

        return policies;
    }

    private static readonly NamedPolicy AdministratorAccess = new(
        "arn:aws:iam::aws:policy/AdministratorAccess",
        ManagedPolicyDocuments.Find("arn:aws:iam::aws:policy/AdministratorAccess")!);

    // Service-linked roles are exempt from SCPs (Organizations user guide, SCP effects).
    private static bool IsServiceLinkedRole(CallerIdentity caller) =>
        caller.RoleArn?.Contains(":role/aws-service-role/", StringComparison.Ordinal) == true;

    private string ResolveResource(string template, string accountId, string region, Func<string, string?> parameter)
    {
        try
        {
            if (template == OperationActions.KmsKey && parameter("KeyId") is { } keyId)
            {
                return state.Kms.Find(accountId, region, keyId).Arn;
            }

            if (template == OperationActions.Role && parameter("RoleName") is { } roleName && state.Iam.FindRole($"arn:aws:iam::{accountId}:role/{roleName}") is { } role)
            {
                return role.Arn;
            }
        }
        catch (AwsServiceException)
        {
            // An unknown key: the operation answers NotFound after authorization on the ARN as named.
        }

        // Organizations' account and policy ARNs name the organization (docs/localcloud-authorization.md).
        return OperationActions.ResourceArn(template, accountId, region, name => name == "OrganizationId" ? state.Organization.Id : parameter(name));
    }

    private (NamedPolicy? Policy, bool Required) ResourcePolicy(string service, string? operation, string resource, string accountId, string region, Func<string, string?> parameter)
    {
        try
        {
            switch (service)
            {
                case "kms" when resource.Contains(":key/", StringComparison.Ordinal) && !resource.EndsWith('*'):
                    var key = state.Kms.Find(accountId, region, resource);
                    return (new NamedPolicy("key policy", PolicyDocument.Cached(key.PolicyDocument)), true);
                case "sts" when operation == "AssumeRole":
                    // A missing role is refused exactly as a trust policy that does not admit the caller.
                    return (state.Iam.FindRole(resource) is { } role ? new NamedPolicy("trust policy", PolicyDocument.Cached(role.AssumeRolePolicyDocument)) : null, true);
                case "s3" when parameter("Bucket") is { Length: > 0 } bucket:
                    var bucketPolicy = state.S3.Read(accountId, bucket, found => found.Policy);
                    return (bucketPolicy is null ? null : new NamedPolicy("bucket policy", PolicyDocument.Cached(bucketPolicy)), false);
                case "backup" when parameter("backupVaultName") is { Length: > 0 } vaultName:
                    var vault = state.Backup.GetVault(accountId, region, vaultName);
                    return (vault.AccessPolicy is { } access ? new NamedPolicy("backup vault access policy", access) : null, false);
                case "lambda" when operation is not ("CreateFunction" or "ListFunctions") && state.Lambda.FindByArn(resource) is { } function:
                    var functionPolicy = Services.Lambda.LambdaPolicy.Document(function);
                    return (functionPolicy is null ? null : new NamedPolicy("function policy", PolicyDocument.Cached(functionPolicy)), false);
                case "events" when resource.Contains(":event-bus/", StringComparison.Ordinal):
                    var bus = Services.Events.EventsArns.ParseBus(accountId, region, resource);
                    var busPolicy = state.EventBuses.ReadBus(bus.AccountId, bus.Region, bus.Name, found => found.Policy?.ToJsonString());
                    return (busPolicy is null ? null : new NamedPolicy("event bus policy", PolicyDocument.Cached(busPolicy)), false);
                case "sns" when resource.StartsWith("arn:aws:sns:", StringComparison.Ordinal) && operation != "CreateTopic":
                    var topicPolicy = state.Sns.Read(AccountOf(resource) ?? accountId, resource, topic => topic.Attributes.GetValueOrDefault("Policy"));
                    return (topicPolicy is null ? null : new NamedPolicy("topic policy", PolicyDocument.Cached(topicPolicy)), false);
            }
        }
        catch (AwsServiceException)
        {
            // The resource does not exist: no policy of its own; the operation answers as AWS does.
        }

        return (null, service == "sts");
    }

    private static void AddRequestKeys(RequestContext request, string service, AwsOperationCall call, HttpContext http, string region)
    {
        var now = DateTimeOffset.UtcNow;
        // LocalCloud's loopback HTTP stands for AWS's TLS-only endpoints that real clients reach (docs/localcloud-authorization.md).
        request.Set("aws:SecureTransport", "true")
            .Set("aws:RequestedRegion", region)
            .Set("aws:ViaAWSService", "false")
            .Set("aws:CurrentTime", now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))
            .Set("aws:EpochTime", now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        if (http.Connection.RemoteIpAddress is { } ip)
        {
            request.Set("aws:SourceIp", (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString());
        }

        switch (service)
        {
            case "sts":
                SetIfPresent(request, "sts:ExternalId", call.Parameter("ExternalId"));
                SetIfPresent(request, "sts:RoleSessionName", call.Parameter("RoleSessionName"));
                break;
            case "s3":
                SetIfPresent(request, "s3:x-amz-server-side-encryption", Header(http, "x-amz-server-side-encryption"));
                SetIfPresent(request, "s3:x-amz-server-side-encryption-aws-kms-key-id", Header(http, "x-amz-server-side-encryption-aws-kms-key-id"));
                SetIfPresent(request, "s3:prefix", call.Parameter("prefix"));
                SetIfPresent(request, "s3:versionid", call.Parameter("versionId"));
                SetIfPresent(request, "s3:if-none-match", Header(http, "If-None-Match"));
                SetIfPresent(request, "s3:if-match", Header(http, "If-Match"));
                break;
            case "kms":
                request.Set("kms:CallerAccount", request.Get("aws:PrincipalAccount") ?? "");
                break;
            case "monitoring":
                // PutMetricData's namespace (docs/localcloud-authorization.md): policies limit metric writes with it.
                SetIfPresent(request, "cloudwatch:namespace", call.Parameter("Namespace"));
                break;
        }
    }

    private static string? Header(HttpContext http, string name) =>
        http.Request.Headers.TryGetValue(name, out var value) ? value.ToString() : null;

    private static void SetIfPresent(RequestContext request, string key, string? value)
    {
        if (value is { Length: > 0 })
        {
            request.Set(key, value);
        }
    }

    /// <summary>The account in an ARN's fifth field, or null (S3 ARNs and "*" name none).</summary>
    public static string? AccountOf(string arn)
    {
        if (!arn.StartsWith("arn:", StringComparison.Ordinal))
        {
            return null;
        }

        var parts = arn.Split(':', 6);
        return parts.Length == 6 && parts[4].Length == 12 && parts[4].All(char.IsAsciiDigit) ? parts[4] : null;
    }
}
