using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CloudPatterns.LocalCloud.Identity;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Kms;

/// <summary>
/// The KMS keys and aliases of every account and region, and the key-policy decisions other services need
/// (Backup's cross-account copies). Thread-safe: one lock guards everything.
/// </summary>
internal sealed class KmsStore(string organizationId, TimeProvider clock)
{
    /// <summary>The alias of the AWS-managed key that encrypts backup vaults created without a key.</summary>
    public const string BackupManagedAlias = AwsManagedKeyService.BackupAlias;

    private const string AliasPrefix = "alias/";
    private readonly Lock gate = new();
    private readonly Dictionary<string, KmsKey> keysByArn = new(StringComparer.Ordinal);
    private readonly Dictionary<string, KmsAlias> aliasesByArn = new(StringComparer.Ordinal);

    public KmsKey CreateKey(string accountId, string region, string description, string? policyDocument, IReadOnlyDictionary<string, string> tags, DateTimeOffset now, string? keySpec = null, string? keyUsage = null)
    {
        var spec = KmsKeySpec.Resolve(keySpec, keyUsage);
        var document = policyDocument ?? DefaultPolicy(accountId);
        var key = new KmsKey(accountId, region, Guid.NewGuid().ToString(), awsManaged: false, description, now)
        {
            PolicyDocument = document,
            Policy = ParsePolicy(document),
            Tags = tags,
            KeySpec = spec,
            KeyUsage = keyUsage ?? KmsKeySpec.EncryptDecrypt,
            PrivateKey = spec.GeneratePrivateKey(),
        };
        lock (gate)
        {
            keysByArn.Add(key.Arn, key);
        }

        return key;
    }

    /// <summary>The AWS-managed key behind <see cref="BackupManagedAlias"/> in an account and region.</summary>
    public KmsKey BackupManagedKey(string accountId, string region) => AwsManagedKey(accountId, region, AwsManagedKeyService.Backup);

    /// <summary>
    /// The AWS-managed key of a service (alias/aws/backup, alias/aws/ssm) in an account and region; AWS creates it the
    /// first time the service needs it, or when DescribeKey names its alias. Its id is derived from account, region
    /// and alias so it is stable across restarts.
    /// </summary>
    public KmsKey AwsManagedKey(string accountId, string region, AwsManagedKeyService service)
    {
        var now = clock.GetUtcNow();
        var aliasArn = AliasArn(accountId, region, service.Alias);
        lock (gate)
        {
            if (aliasesByArn.TryGetValue(aliasArn, out var existing))
            {
                return keysByArn[existing.TargetKeyArn];
            }

            var keyId = new Guid(SHA256.HashData(Encoding.UTF8.GetBytes($"{accountId}/{region}/{service.Alias}"))[..16]).ToString();
            var document = service.Policy(accountId, region);
            var key = new KmsKey(accountId, region, keyId, awsManaged: true, service.Description, now)
            {
                PolicyDocument = document,
                Policy = ParsePolicy(document),
                RotationPeriodInDays = 365,
                RotationEnabledDate = now,
            };
            keysByArn.Add(key.Arn, key);
            aliasesByArn.Add(aliasArn, new KmsAlias(aliasArn, service.Alias, key.Arn, now));
            return key;
        }
    }

    /// <summary>
    /// Finds the key a KeyId parameter names (key id, key ARN, alias name or alias ARN) as seen from the caller's
    /// account and region, and checks that its key policy allows <paramref name="action"/>.
    /// </summary>
    public KmsKey Authorize(CallerIdentity caller, string region, string keyIdentifier, string action, string? viaService = null)
    {
        var key = Find(caller.AccountId, region, keyIdentifier);
        if (!Allows(key, caller, action, viaService))
        {
            throw new AwsServiceException(
                400,
                "AccessDeniedException",
                $"User: {caller.Arn} is not authorized to perform: {action} on resource: {key.Arn} because no resource-based policy allows the {action} action");
        }

        return key;
    }

    /// <summary>Finds a key by the forms KMS accepts; NotFoundException with KMS's texts otherwise.</summary>
    public KmsKey Find(string accountId, string region, string keyIdentifier)
    {
        var arn = keyIdentifier switch
        {
            _ when keyIdentifier.StartsWith("arn:", StringComparison.Ordinal) => keyIdentifier,
            _ when keyIdentifier.StartsWith(AliasPrefix, StringComparison.Ordinal) => AliasArn(accountId, region, keyIdentifier),
            _ when Guid.TryParse(keyIdentifier, out _) => $"arn:aws:kms:{region}:{accountId}:key/{keyIdentifier}",
            _ => throw new AwsServiceException(400, "NotFoundException", $"Invalid keyId {keyIdentifier}"),
        };
        if (AwsManagedKeyService.All.FirstOrDefault(service => arn == AliasArn(accountId, region, service.Alias)) is { } managed)
        {
            return AwsManagedKey(accountId, region, managed);
        }

        lock (gate)
        {
            if (arn.Contains(":alias/", StringComparison.Ordinal))
            {
                return aliasesByArn.TryGetValue(arn, out var alias)
                    ? keysByArn[alias.TargetKeyArn]
                    : throw new AwsServiceException(400, "NotFoundException", $"Alias {arn} is not found.");
            }

            return keysByArn.GetValueOrDefault(arn)
                ?? throw new AwsServiceException(400, "NotFoundException", $"Key '{arn}' does not exist");
        }
    }

    /// <summary>
    /// Whether the key's policy lets <paramref name="caller"/> perform a KMS action on it; <paramref name="viaService"/>
    /// (e.g. ssm.us-east-1.amazonaws.com) when a service calls KMS on the caller's behalf (kms:ViaService).
    /// </summary>
    public bool Allows(KmsKey key, CallerIdentity caller, string action, string? viaService = null)
    {
        var context = PrincipalKeys.Context(caller, action, key.Arn, organizationId)
            .Set("kms:CallerAccount", caller.AccountId)
            .Set("kms:GrantIsForAWSResource", "false");
        if (viaService is not null)
        {
            context.Set("kms:ViaService", viaService);
        }

        lock (gate)
        {
            return key.Policy.Allows(context);
        }
    }

    public void PutPolicy(KmsKey key, string policyDocument)
    {
        var policy = ParsePolicy(policyDocument);
        lock (gate)
        {
            key.PolicyDocument = policyDocument;
            key.Policy = policy;
        }
    }

    public string GetPolicy(KmsKey key)
    {
        lock (gate)
        {
            return key.PolicyDocument;
        }
    }

    public void EnableRotation(KmsKey key, int periodInDays, DateTimeOffset now)
    {
        lock (gate)
        {
            key.RotationEnabledDate ??= now;
            key.RotationPeriodInDays = periodInDays;
        }
    }

    /// <summary>EnableKey / DisableKey.</summary>
    public void SetEnabled(KmsKey key, bool enabled)
    {
        lock (gate)
        {
            key.Enabled = enabled;
        }
    }

    /// <summary>
    /// The key a cryptographic operation may use: enabled (DisabledException otherwise) and of the usage the
    /// operation needs (InvalidKeyUsageException, in KMS's words, otherwise).
    /// </summary>
    public static KmsKey Usable(KmsKey key, string usage, string operation)
    {
        if (!key.Enabled)
        {
            throw new AwsServiceException(400, "DisabledException", $"{key.Arn} is disabled.");
        }

        return key.KeyUsage == usage
            ? key
            : throw new AwsServiceException(400, "InvalidKeyUsageException", $"{key.Arn} key usage is {key.KeyUsage} which is not valid for {operation}.");
    }

    public (int? PeriodInDays, DateTimeOffset? EnabledDate) RotationStatus(KmsKey key)
    {
        lock (gate)
        {
            return (key.RotationPeriodInDays, key.RotationEnabledDate);
        }
    }

    public KmsAlias CreateAlias(string accountId, string region, string aliasName, KmsKey target, DateTimeOffset now)
    {
        var alias = new KmsAlias(AliasArn(accountId, region, aliasName), aliasName, target.Arn, now);
        lock (gate)
        {
            if (!aliasesByArn.TryAdd(alias.AliasArn, alias))
            {
                throw new AwsServiceException(400, "AlreadyExistsException", $"An alias with the name {alias.AliasArn} already exists");
            }
        }

        return alias;
    }

    /// <summary>Deletes a customer managed key and the aliases that point at it (CloudFormation stack deletion).</summary>
    public void DeleteKey(KmsKey key)
    {
        lock (gate)
        {
            keysByArn.Remove(key.Arn);
            foreach (var alias in aliasesByArn.Values.Where(alias => alias.TargetKeyArn == key.Arn).ToList())
            {
                aliasesByArn.Remove(alias.AliasArn);
            }
        }
    }

    public bool DeleteAlias(string accountId, string region, string aliasName)
    {
        lock (gate)
        {
            return aliasesByArn.Remove(AliasArn(accountId, region, aliasName));
        }
    }

    /// <summary>The aliases of an account and region (optionally only those of one key), by name.</summary>
    public IReadOnlyList<KmsAlias> ListAliases(string accountId, string region, KmsKey? target)
    {
        var prefix = AliasArn(accountId, region, AliasPrefix);
        lock (gate)
        {
            return aliasesByArn.Values
                .Where(alias => alias.AliasArn.StartsWith(prefix, StringComparison.Ordinal) && (target is null || alias.TargetKeyArn == target.Arn))
                .OrderBy(alias => alias.AliasName, StringComparer.Ordinal)
                .ToList();
        }
    }

    /// <summary>Keys and aliases, for the state file.</summary>
    public KmsSnapshot Snapshot()
    {
        lock (gate)
        {
            return new KmsSnapshot(
                [.. keysByArn.Values.Select(key => new KmsKeySnapshot(
                    key.AccountId, key.Region, key.KeyId, key.AwsManaged, key.Description, key.CreationDate, key.PolicyDocument, key.Tags, key.RotationPeriodInDays, key.RotationEnabledDate,
                    key.KeySpec.Name, key.KeyUsage, key.PrivateKey, key.Enabled))],
                [.. aliasesByArn.Values]);
        }
    }

    public void Restore(KmsSnapshot snapshot)
    {
        lock (gate)
        {
            foreach (var saved in snapshot.Keys)
            {
                var key = new KmsKey(saved.AccountId, saved.Region, saved.KeyId, saved.AwsManaged, saved.Description, saved.CreationDate)
                {
                    PolicyDocument = saved.PolicyDocument,
                    Policy = ParsePolicy(saved.PolicyDocument),
                    Tags = saved.Tags,
                    RotationPeriodInDays = saved.RotationPeriodInDays,
                    RotationEnabledDate = saved.RotationEnabledDate,
                    KeySpec = KmsKeySpec.Named(saved.KeySpec),
                    KeyUsage = saved.KeyUsage,
                    PrivateKey = saved.PrivateKey,
                    Enabled = saved.Enabled,
                };
                keysByArn[key.Arn] = key;
            }

            foreach (var alias in snapshot.Aliases)
            {
                aliasesByArn[alias.AliasArn] = alias;
            }
        }
    }

    public static string AliasArn(string accountId, string region, string aliasName) => $"arn:aws:kms:{region}:{accountId}:{aliasName}";

    private static PolicyDocument ParsePolicy(string document)
    {
        try
        {
            return PolicyDocument.Parse(document);
        }
        catch (Exception error) when (error is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            throw new AwsServiceException(400, "MalformedPolicyDocumentException", $"The key policy is not valid: {error.Message}");
        }
    }

    /// <summary>KMS's default key policy: the account's root, and so IAM policies of the account, may do everything.</summary>
    private static string DefaultPolicy(string accountId) => $$"""
        {
          "Version" : "2012-10-17",
          "Id" : "key-default-1",
          "Statement" : [ {
            "Sid" : "Enable IAM User Permissions",
            "Effect" : "Allow",
            "Principal" : { "AWS" : "arn:aws:iam::{{accountId}}:root" },
            "Action" : "kms:*",
            "Resource" : "*"
          } ]
        }
        """;
}

/// <summary>A KMS alias: alias/name in an account and region, pointing at one key.</summary>
internal sealed record KmsAlias(string AliasArn, string AliasName, string TargetKeyArn, DateTimeOffset CreationDate)
{
    public string TargetKeyId => TargetKeyArn[(TargetKeyArn.LastIndexOf('/') + 1)..];
}

/// <summary>KMS's part of the state file.</summary>
internal sealed record KmsSnapshot(IReadOnlyList<KmsKeySnapshot> Keys, IReadOnlyList<KmsAlias> Aliases);

internal sealed record KmsKeySnapshot(
    string AccountId,
    string Region,
    string KeyId,
    bool AwsManaged,
    string Description,
    DateTimeOffset CreationDate,
    string PolicyDocument,
    IReadOnlyDictionary<string, string> Tags,
    int? RotationPeriodInDays,
    DateTimeOffset? RotationEnabledDate,
    string KeySpec = KmsKeySpec.SymmetricDefault,
    string KeyUsage = KmsKeySpec.EncryptDecrypt,
    byte[]? PrivateKey = null,
    bool Enabled = true);
