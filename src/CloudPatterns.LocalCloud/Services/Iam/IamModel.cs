namespace CloudPatterns.LocalCloud.Services.Iam;

internal sealed record IamTag(string Key, string Value);

/// <summary>An IAM role as IAM keeps it; immutable, so the store replaces it on every change.</summary>
/// <param name="Path">"/" or "/a/b/", part of the ARN.</param>
/// <param name="InlinePolicies">Inline permission policies by name (PutRolePolicy).</param>
/// <param name="AttachedPolicyArns">Managed policies attached (AttachRolePolicy), in attachment order.</param>
internal sealed record IamRole(
    string AccountId,
    string Path,
    string RoleName,
    string RoleId,
    DateTimeOffset CreateDate,
    string AssumeRolePolicyDocument,
    string? Description,
    int MaxSessionDuration,
    IReadOnlyList<IamTag> Tags,
    IReadOnlyDictionary<string, string> InlinePolicies,
    IReadOnlyList<string> AttachedPolicyArns)
{
    public string Arn => $"arn:aws:iam::{AccountId}:role{Path}{RoleName}";
}

/// <summary>
/// A managed policy: a customer managed one of an account (one version, v1, which is the default), or one of the
/// AWS-managed policies (<see cref="AwsManagedPolicyCatalogue"/>), whose document LocalCloud has for some.
/// </summary>
internal sealed record IamManagedPolicy(
    string Arn,
    string PolicyName,
    string Path,
    string PolicyId,
    string? Description,
    string? Document,
    DateTimeOffset CreateDate,
    IReadOnlyList<IamTag> Tags)
{
    public const string DefaultVersionId = "v1";

    public bool IsAwsManaged => Arn.StartsWith("arn:aws:iam::aws:", StringComparison.Ordinal);
}

internal sealed record IamInstanceProfile(
    string AccountId,
    string Path,
    string InstanceProfileName,
    string InstanceProfileId,
    DateTimeOffset CreateDate,
    IReadOnlyList<string> RoleNames,
    IReadOnlyList<IamTag> Tags)
{
    public string Arn => $"arn:aws:iam::{AccountId}:instance-profile{Path}{InstanceProfileName}";
}

/// <summary>What the state file keeps of IAM: every role (the seed's included, so a deleted seed role stays deleted).</summary>
internal sealed record IamSnapshot(
    IReadOnlyList<IamRole> Roles,
    IReadOnlyList<IamManagedPolicy> Policies,
    IReadOnlyList<IamInstanceProfile> InstanceProfiles,
    IReadOnlyDictionary<string, IamPasswordPolicy>? PasswordPolicies = null);
