using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Iam;

/// <summary>The account password policies, one per account at most.</summary>
internal sealed partial class IamStore
{
    private readonly Dictionary<string, IamPasswordPolicy> passwordPolicies = new(StringComparer.Ordinal);

    public void PutPasswordPolicy(string accountId, IamPasswordPolicy policy)
    {
        lock (gate)
        {
            passwordPolicies[accountId] = policy;
        }
    }

    public IamPasswordPolicy GetPasswordPolicy(string accountId)
    {
        lock (gate)
        {
            return passwordPolicies.GetValueOrDefault(accountId) ?? throw NoPasswordPolicy(accountId);
        }
    }

    public void DeletePasswordPolicy(string accountId)
    {
        lock (gate)
        {
            if (!passwordPolicies.Remove(accountId))
            {
                throw NoPasswordPolicy(accountId);
            }
        }
    }

    /// <summary>AWS's answer when the account has no custom policy (docs/localcloud-iam.md).</summary>
    private static AwsServiceException NoPasswordPolicy(string accountId) =>
        new(404, "NoSuchEntity", $"The Password Policy with domain name {accountId} cannot be found.");
}

/// <summary>An account's password policy as UpdateAccountPasswordPolicy set it (null: not set).</summary>
internal sealed record IamPasswordPolicy(
    int MinimumPasswordLength,
    bool RequireSymbols,
    bool RequireNumbers,
    bool RequireUppercaseCharacters,
    bool RequireLowercaseCharacters,
    bool AllowUsersToChangePassword,
    int? MaxPasswordAge,
    int? PasswordReusePrevention,
    bool? HardExpiry)
{
    public const int DefaultMinimumLength = 6;
}
