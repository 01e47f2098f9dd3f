namespace CloudPatterns.LocalCloud.Services.S3;

/// <summary>
/// One bucket. Mutable, and only touched under <see cref="S3Store"/>'s lock; plain properties so the state file can
/// serialise it as it is.
/// </summary>
internal sealed class S3Bucket
{
    public required string Name { get; init; }

    public required string OwnerAccountId { get; init; }

    public required string Region { get; init; }

    public required DateTimeOffset CreationDate { get; init; }

    /// <summary>Null until versioning is first configured; then "Enabled" or "Suspended".</summary>
    public string? Versioning { get; set; }

    public bool ObjectLockEnabled { get; set; }

    public DefaultRetention? DefaultRetention { get; set; }

    public string? Policy { get; set; }

    public PublicAccessBlock? PublicAccessBlock { get; set; }

    /// <summary>Server access logging: where logs would go (LocalCloud writes none).</summary>
    public AccessLogging? Logging { get; set; }

    /// <summary>Since January 2023 every bucket has SSE-S3 default encryption until something else is configured.</summary>
    /// <remarks>Replaced as a whole, never changed in place, so a reader may keep the list it got under the lock.</remarks>
    public IReadOnlyList<EncryptionRule> Encryption { get; set; } = [EncryptionRule.Default];

    /// <remarks>Replaced as a whole, like <see cref="Encryption"/>.</remarks>
    public IReadOnlyList<S3Tag>? Tags { get; set; }

    /// <summary>Every key's versions, oldest first.</summary>
    public Dictionary<string, List<S3ObjectVersion>> Objects { get; init; } = new(StringComparer.Ordinal);

    public bool IsVersioned => Versioning is not null;
}

/// <summary>A stored object version or delete marker. Immutable: changes replace it in its key's list.</summary>
internal sealed record S3ObjectVersion
{
    /// <summary>The version id of objects written while versioning was never enabled or was suspended.</summary>
    public const string NullVersionId = "null";

    public required string Key { get; init; }

    public required string VersionId { get; init; }

    public required DateTimeOffset LastModified { get; init; }

    public bool IsDeleteMarker { get; init; }

    public byte[] Data { get; init; } = [];

    /// <summary>The quoted hex MD5 of the data, as S3 returns ETags of single-part uploads.</summary>
    public string ETag { get; init; } = "";

    public static string ETagOf(byte[] data) => $"\"{Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(data))}\"";

    public string ContentType { get; init; } = "binary/octet-stream";

    public Dictionary<string, string> Metadata { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Flexible checksums given at upload, by algorithm name (CRC32, SHA256, …), base64.</summary>
    public Dictionary<string, string> Checksums { get; init; } = new(StringComparer.Ordinal);

    /// <summary>How the version is encrypted at rest: the request's choice or the bucket's default rule.</summary>
    public EncryptionRule Encryption { get; init; } = EncryptionRule.Default;

    public ObjectRetention? Retention { get; init; }

    /// <summary>"ON" or "OFF" once a legal hold was set; null when it never was.</summary>
    public string? LegalHold { get; init; }
}

/// <summary>Object Lock retention: GOVERNANCE or COMPLIANCE until a date.</summary>
internal sealed record ObjectRetention(string Mode, DateTimeOffset RetainUntilDate);

/// <summary>A bucket's default retention: a mode and either days or years.</summary>
internal sealed record DefaultRetention(string Mode, int? Days, int? Years)
{
    public ObjectRetention From(DateTimeOffset time) =>
        new(Mode, Days is { } days ? time.AddDays(days) : time.AddYears(Years ?? 0));
}

internal sealed record PublicAccessBlock(bool BlockPublicAcls, bool IgnorePublicAcls, bool BlockPublicPolicy, bool RestrictPublicBuckets);

internal sealed record EncryptionRule(string Algorithm, string? KmsMasterKeyId, bool BucketKeyEnabled)
{
    /// <summary>SSE-S3, every bucket's default since January 2023.</summary>
    public static readonly EncryptionRule Default = new("AES256", null, false);

    public static bool IsAlgorithm([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? algorithm) => algorithm is "AES256" or "aws:kms" or "aws:kms:dsse";
}

internal sealed record S3Tag(string Key, string Value);

internal sealed record AccessLogging(string TargetBucket, string TargetPrefix);

/// <summary>The two Object Lock retention modes, as S3 spells them.</summary>
internal static class RetentionModes
{
    public const string Governance = "GOVERNANCE";
    public const string Compliance = "COMPLIANCE";

    public static bool IsValid(string mode) => mode is Governance or Compliance;
}
