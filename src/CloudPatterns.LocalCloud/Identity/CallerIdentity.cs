namespace CloudPatterns.LocalCloud.Identity;

/// <summary>Who signed a request: an IAM user, a role session made by AssumeRole, or an AWS service acting itself.</summary>
/// <param name="AccountId">The account the credentials belong to.</param>
/// <param name="Arn">The caller ARN as GetCallerIdentity reports it.</param>
/// <param name="UserId">The unique id as GetCallerIdentity reports it (AIDA… for users, AROA…:session for roles).</param>
/// <param name="RoleArn">For role sessions, the ARN of the assumed role; null for users.</param>
/// <param name="SessionPolicy">The inline session policy passed to AssumeRole (Policy), or null.</param>
/// <param name="Service">For a service principal (backup.amazonaws.com), its name; null for IAM identities.</param>
internal sealed record CallerIdentity(string AccountId, string Arn, string UserId, string? RoleArn, string? SessionPolicy = null, string? Service = null)
{
    public bool IsRoleSession => RoleArn is not null;

    public bool IsService => Service is not null;

    /// <summary>An AWS service acting on its own behalf for a resource of <paramref name="accountId"/>.</summary>
    public static CallerIdentity ForService(string service, string accountId) => new(accountId, service, service, RoleArn: null, Service: service);

    /// <summary>A session of <paramref name="role"/> that an AWS service makes for its work (the FIS experiment, the function, the stack).</summary>
    public static CallerIdentity ForRoleSession(Services.Iam.IamRole role, string session) =>
        new(role.AccountId, $"arn:aws:sts::{role.AccountId}:assumed-role/{role.RoleName}/{session}", $"{role.RoleId}:{session}", role.Arn);
}
