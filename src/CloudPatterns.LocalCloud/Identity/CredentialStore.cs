using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Security.Cryptography;

namespace CloudPatterns.LocalCloud.Identity;

/// <summary>A secret that can sign requests, and whom it identifies. Holds secrets: never log or print it.</summary>
internal sealed class SigningCredential(string accessKeyId, string secretAccessKey, CallerIdentity identity, string? sessionToken, DateTimeOffset? expiration)
{
    public string AccessKeyId { get; } = accessKeyId;

    public string SecretAccessKey { get; } = secretAccessKey;

    public CallerIdentity Identity { get; } = identity;

    /// <summary>Session token of temporary credentials; null for long-term keys.</summary>
    public string? SessionToken { get; } = sessionToken;

    public DateTimeOffset? Expiration { get; } = expiration;
}

/// <summary>The access keys LocalCloud accepts: the seed's long-term keys and the temporary ones STS issued.</summary>
internal sealed class CredentialStore
{
    private const string Base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private readonly FrozenDictionary<string, SigningCredential> longTerm;
    private readonly ConcurrentDictionary<string, SigningCredential> temporary = new(StringComparer.Ordinal);

    public CredentialStore(SeedOrganization organization)
    {
        longTerm = organization.Accounts.ToFrozenDictionary(
            account => account.Admin.AccessKeyId,
            account => new SigningCredential(
                account.Admin.AccessKeyId,
                account.Admin.SecretAccessKey,
                new CallerIdentity(account.Id, account.AdminUserArn, UniqueId("AIDA", account.AdminUserArn), RoleArn: null),
                sessionToken: null,
                expiration: null),
            StringComparer.Ordinal);
    }

    public SigningCredential? Find(string accessKeyId) =>
        longTerm.GetValueOrDefault(accessKeyId) ?? temporary.GetValueOrDefault(accessKeyId);

    /// <summary>Issues temporary credentials (ASIA… key, secret, session token) for a role session.</summary>
    public SigningCredential IssueTemporary(CallerIdentity sessionIdentity, DateTimeOffset expiration)
    {
        while (true)
        {
            var credential = new SigningCredential(
                "ASIA" + RandomString(16),
                Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)),
                sessionIdentity,
                Convert.ToBase64String(RandomNumberGenerator.GetBytes(180)),
                expiration);
            if (temporary.TryAdd(credential.AccessKeyId, credential))
            {
                return credential;
            }
        }
    }

    /// <summary>A stable IAM unique id (AIDA… for users, AROA… for roles), derived from the ARN as IAM would keep it.</summary>
    public static string UniqueId(string prefix, string arn)
    {
        var hash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(arn));
        return prefix + new string(hash.Take(17).Select(b => Base32Alphabet[b % 32]).ToArray());
    }

    private static string RandomString(int length) =>
        new(RandomNumberGenerator.GetItems<char>(Base32Alphabet, length));
}
