using CloudPatterns.LocalCloud.Identity;

namespace CloudPatterns.LocalCloud.Services.Kms;

/// <summary>A KMS key. Mutable members are changed only under <see cref="KmsStore"/>'s lock.</summary>
internal sealed class KmsKey(string accountId, string region, string keyId, bool awsManaged, string description, DateTimeOffset creationDate)
{
    public string AccountId { get; } = accountId;

    public string Region { get; } = region;

    public string KeyId { get; } = keyId;

    public string Arn => $"arn:aws:kms:{Region}:{AccountId}:key/{KeyId}";

    /// <summary>AWS-managed keys (aws/backup…) are created by AWS services, cannot be shared across accounts, and
    /// their policies cannot be changed.</summary>
    public bool AwsManaged { get; } = awsManaged;

    public string Description { get; } = description;

    public DateTimeOffset CreationDate { get; } = creationDate;

    public required string PolicyDocument { get; set; }

    /// <summary>The parsed <see cref="PolicyDocument"/>; a key policy is evaluated as IAM evaluates resource policies.</summary>
    public required PolicyDocument Policy { get; set; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>Rotation period in days while automatic rotation is on; null when it is off.</summary>
    public int? RotationPeriodInDays { get; set; }

    public DateTimeOffset? RotationEnabledDate { get; set; }

    public KmsKeySpec KeySpec { get; init; } = KmsKeySpec.Symmetric;

    /// <summary>ENCRYPT_DECRYPT or SIGN_VERIFY.</summary>
    public string KeyUsage { get; init; } = KmsKeySpec.EncryptDecrypt;

    /// <summary>The private key (PKCS#8) of an asymmetric key; it never leaves LocalCloud.</summary>
    public byte[]? PrivateKey { get; init; }

    /// <summary>False after DisableKey: every cryptographic operation is refused with DisabledException.</summary>
    public bool Enabled { get; set; } = true;
}
