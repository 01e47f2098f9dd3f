namespace CloudPatterns.LocalCloud.Identity;

/// <summary>Who signed a request: an IAM user, or a role session made by AssumeRole.</summary>
/// <param name="AccountId">The account the credentials belong to.</param>
/// <param name="Arn">The caller ARN as GetCallerIdentity reports it.</param>
/// <param name="UserId">The unique id as GetCallerIdentity reports it (AIDA… for users, AROA…:session for roles).</param>
/// <param name="RoleArn">For role sessions, the ARN of the assumed role; null for users.</param>
internal sealed record CallerIdentity(string AccountId, string Arn, string UserId, string? RoleArn)
{
    public bool IsRoleSession => RoleArn is not null;
}
