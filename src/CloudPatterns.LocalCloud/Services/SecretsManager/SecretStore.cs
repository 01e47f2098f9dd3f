using System.Security.Cryptography;
using CloudPatterns.LocalCloud.CloudFormation.Templates;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.SecretsManager;

/// <summary>One version of a secret: its id, value and staging labels.</summary>
internal sealed class SecretVersion(string versionId, string? secretString, byte[]? secretBinary, DateTimeOffset created)
{
    public string VersionId { get; } = versionId;

    public string? SecretString { get; } = secretString;

    public byte[]? SecretBinary { get; } = secretBinary;

    public DateTimeOffset Created { get; } = created;

    public HashSet<string> Stages { get; } = new(StringComparer.Ordinal);
}

/// <summary>A secret of one account and region.</summary>
internal sealed class Secret(string arn, string name, string? description, string? kmsKeyId, IReadOnlyList<KeyValuePair<string, string>> tags, DateTimeOffset created)
{
    public string Arn { get; } = arn;

    public string Name { get; } = name;

    public string? Description { get; } = description;

    public string? KmsKeyId { get; } = kmsKeyId;

    public IReadOnlyList<KeyValuePair<string, string>> Tags { get; } = tags;

    public DateTimeOffset Created { get; } = created;

    public DateTimeOffset LastChanged { get; set; } = created;

    public DateTimeOffset? DeletionDate { get; set; }

    public List<SecretVersion> Versions { get; } = [];
}

/// <summary>
/// Secrets Manager's secrets of every account and region (never persisted, never logged). Thread-safe: one lock.
/// AWSCURRENT marks the version in force; a new value moves AWSPREVIOUS to the one it replaces.
/// </summary>
internal sealed class SecretStore : ISecretStore
{
    public const string Current = "AWSCURRENT";
    public const string Previous = "AWSPREVIOUS";
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private readonly Lock gate = new();
    private readonly List<Secret> secrets = [];

    public Secret Create(string accountId, string region, string name, string? description, string? kmsKeyId, IReadOnlyList<KeyValuePair<string, string>> tags, SecretVersion? first, DateTimeOffset now)
    {
        lock (gate)
        {
            if (secrets.Any(secret => secret.Arn.StartsWith(ArnPrefix(accountId, region), StringComparison.Ordinal) && secret.Name == name))
            {
                throw new AwsServiceException(400, "ResourceExistsException", $"The operation failed because the secret {name} already exists.") { JsonMessageMember = "Message" };
            }

            var arn = $"{ArnPrefix(accountId, region)}{name}-{RandomNumberGenerator.GetString(Alphabet, 6)}";
            var secret = new Secret(arn, name, description, kmsKeyId, tags, now);
            if (first is not null)
            {
                first.Stages.Add(Current);
                secret.Versions.Add(first);
            }

            secrets.Add(secret);
            return secret;
        }
    }

    /// <summary>A secret by name or ARN (the full ARN, or the ARN without its random suffix); deleted ones only when asked.</summary>
    public Secret Find(string accountId, string region, string secretId, bool allowDeleted = false)
    {
        lock (gate)
        {
            var prefix = ArnPrefix(accountId, region);
            var secret = secrets.FirstOrDefault(candidate => candidate.Arn.StartsWith(prefix, StringComparison.Ordinal)
                    && (candidate.Name == secretId || candidate.Arn == secretId || candidate.Arn[..^7] == secretId))
                ?? throw NotFound("Secrets Manager can't find the specified secret.");
            return secret.DeletionDate is null || allowDeleted
                ? secret
                : throw new AwsServiceException(400, "InvalidRequestException", "You can't perform this operation on the secret because it was marked for deletion.") { JsonMessageMember = "Message" };
        }
    }

    /// <summary>The version a request names (VersionId, VersionStage, or AWSCURRENT).</summary>
    public SecretVersion Version(Secret secret, string? versionId, string? versionStage)
    {
        lock (gate)
        {
            return versionId is not null
                ? secret.Versions.FirstOrDefault(version => version.VersionId == versionId && (versionStage is null || version.Stages.Contains(versionStage)))
                    ?? throw NotFound($"Secrets Manager can't find the specified secret value for VersionId: {versionId}")
                : secret.Versions.FirstOrDefault(version => version.Stages.Contains(versionStage ?? Current))
                    ?? throw NotFound($"Secrets Manager can't find the specified secret value for staging label: {versionStage ?? Current}");
        }
    }

    /// <summary>Adds a version; with the AWSCURRENT stage (the default) the old current becomes AWSPREVIOUS.</summary>
    public SecretVersion Put(Secret secret, SecretVersion version, IReadOnlyList<string> stages, DateTimeOffset now)
    {
        lock (gate)
        {
            if (secret.Versions.FirstOrDefault(existing => existing.VersionId == version.VersionId) is { } same)
            {
                return same.SecretString == version.SecretString && (same.SecretBinary ?? []).SequenceEqual(version.SecretBinary ?? [])
                    ? same
                    : throw new AwsServiceException(400, "ResourceExistsException", $"You can't modify an existing version, you can only create a new version. VersionId: {version.VersionId}") { JsonMessageMember = "Message" };
            }

            foreach (var stage in stages)
            {
                foreach (var holder in secret.Versions.Where(existing => existing.Stages.Remove(stage)))
                {
                    if (stage == Current)
                    {
                        foreach (var previous in secret.Versions)
                        {
                            previous.Stages.Remove(Previous);
                        }

                        holder.Stages.Add(Previous);
                    }
                }

                version.Stages.Add(stage);
            }

            secret.Versions.Add(version);
            secret.LastChanged = now;
            return version;
        }
    }

    public void ScheduleDeletion(Secret secret, DateTimeOffset deletionDate, bool now)
    {
        lock (gate)
        {
            if (now)
            {
                secrets.Remove(secret);
            }

            secret.DeletionDate = deletionDate;
        }
    }

    public IReadOnlyDictionary<string, IReadOnlyList<string>> VersionStages(Secret secret)
    {
        lock (gate)
        {
            return secret.Versions.Where(version => version.Stages.Count > 0)
                .ToDictionary(version => version.VersionId, version => (IReadOnlyList<string>)version.Stages.Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        }
    }

    /// <summary>What CloudFormation's secretsmanager dynamic references read.</summary>
    public string? SecretString(string accountId, string region, string secretId, string? versionStage, string? versionId)
    {
        try
        {
            return Version(Find(accountId, region, secretId), versionId, versionStage).SecretString;
        }
        catch (AwsServiceException)
        {
            return null;
        }
    }

    private static string ArnPrefix(string accountId, string region) => $"arn:aws:secretsmanager:{region}:{accountId}:secret:";

    private static AwsServiceException NotFound(string message) => new(400, "ResourceNotFoundException", message) { JsonMessageMember = "Message" };
}
