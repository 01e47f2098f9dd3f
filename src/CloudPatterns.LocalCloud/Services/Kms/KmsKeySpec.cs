using System.Security.Cryptography;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Kms;

/// <summary>
/// The key specs LocalCloud's KMS creates, what each may be used for, and the signing algorithms each accepts
/// (docs/kms-asymmetric-keys.md has AWS's table and its sources). Asymmetric key material is generated here and
/// never leaves LocalCloud except as the public key.
/// </summary>
internal sealed class KmsKeySpec
{
    public const string SymmetricDefault = "SYMMETRIC_DEFAULT";
    public const string EncryptDecrypt = "ENCRYPT_DECRYPT";
    public const string SignVerify = "SIGN_VERIFY";

    private static readonly string[] RsaSigning =
    [
        "RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512",
        "RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512",
    ];

    private static readonly string[] RsaEncryption = ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"];

    private static readonly Dictionary<string, KmsKeySpec> Specs = new KmsKeySpec[]
    {
        new(SymmetricDefault, [EncryptDecrypt], [], ["SYMMETRIC_DEFAULT"], null, null),
        new("RSA_2048", [EncryptDecrypt, SignVerify], RsaSigning, RsaEncryption, 2048, null),
        new("RSA_3072", [EncryptDecrypt, SignVerify], RsaSigning, RsaEncryption, 3072, null),
        new("RSA_4096", [EncryptDecrypt, SignVerify], RsaSigning, RsaEncryption, 4096, null),
        new("ECC_NIST_P256", [SignVerify], ["ECDSA_SHA_256"], [], null, ECCurve.NamedCurves.nistP256),
        new("ECC_NIST_P384", [SignVerify], ["ECDSA_SHA_384"], [], null, ECCurve.NamedCurves.nistP384),
        new("ECC_NIST_P521", [SignVerify], ["ECDSA_SHA_512"], [], null, ECCurve.NamedCurves.nistP521),
        new("ECC_SECG_P256K1", [SignVerify], ["ECDSA_SHA_256"], [], null, ECCurve.CreateFromValue("1.3.132.0.10")),
    }.ToDictionary(spec => spec.Name, StringComparer.Ordinal);

    private KmsKeySpec(string name, string[] usages, string[] signingAlgorithms, string[] encryptionAlgorithms, int? rsaBits, ECCurve? curve)
    {
        Name = name;
        Usages = usages;
        SigningAlgorithms = signingAlgorithms;
        EncryptionAlgorithms = encryptionAlgorithms;
        RsaBits = rsaBits;
        Curve = curve;
    }

    public string Name { get; }

    public IReadOnlyList<string> Usages { get; }

    public IReadOnlyList<string> SigningAlgorithms { get; }

    public IReadOnlyList<string> EncryptionAlgorithms { get; }

    public bool Asymmetric => RsaBits is not null || Curve is not null;

    private int? RsaBits { get; }

    private ECCurve? Curve { get; }

    public static KmsKeySpec Symmetric => Specs[SymmetricDefault];

    /// <summary>The spec and usage CreateKey asks for, refused as KMS refuses an unknown or incompatible pair.</summary>
    public static KmsKeySpec Resolve(string? keySpec, string? keyUsage)
    {
        var name = keySpec ?? SymmetricDefault;
        if (!Specs.TryGetValue(name, out var spec))
        {
            throw new AwsServiceException(400, "ValidationException",
                $"1 validation error detected: Value '{name}' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", Specs.Keys)}]");
        }

        var usage = keyUsage ?? EncryptDecrypt;
        if (!spec.Usages.Contains(usage))
        {
            throw new AwsServiceException(400, "ValidationException",
                $"KeyUsage {usage} is not compatible with KeySpec {spec.Name}. {spec.Name} supports {string.Join(", ", spec.Usages)}.");
        }

        return spec;
    }

    public static KmsKeySpec Named(string name) => Specs[name];

    /// <summary>A new private key in PKCS#8 form; null for symmetric keys.</summary>
    public byte[]? GeneratePrivateKey()
    {
        if (RsaBits is { } bits)
        {
            using var rsa = RSA.Create(bits);
            return rsa.ExportPkcs8PrivateKey();
        }

        if (Curve is { } curve)
        {
            using var ecdsa = ECDsa.Create(curve);
            return ecdsa.ExportPkcs8PrivateKey();
        }

        return null;
    }

    /// <summary>The DER SubjectPublicKeyInfo of a private key, as GetPublicKey returns it.</summary>
    public byte[] PublicKey(byte[] privateKey)
    {
        using var key = Load(privateKey);
        return key.ExportSubjectPublicKeyInfo();
    }

    /// <summary>Signs a message (RAW: hashed here) or a digest; ECDSA signatures are DER, as KMS returns them.</summary>
    public byte[] Sign(byte[] privateKey, string algorithm, byte[] message, bool isDigest)
    {
        var hash = Hash(algorithm, message, isDigest);
        using var key = Load(privateKey);
        return key switch
        {
            RSA rsa => rsa.SignHash(hash, HashName(algorithm), Padding(algorithm)),
            ECDsa ecdsa => ecdsa.SignHash(hash, DSASignatureFormat.Rfc3279DerSequence),
            _ => throw new InvalidOperationException(),
        };
    }

    public bool Verify(byte[] privateKey, string algorithm, byte[] message, bool isDigest, byte[] signature)
    {
        var hash = Hash(algorithm, message, isDigest);
        using var key = Load(privateKey);
        return key switch
        {
            RSA rsa => rsa.VerifyHash(hash, signature, HashName(algorithm), Padding(algorithm)),
            ECDsa ecdsa => ecdsa.VerifyHash(hash, signature, DSASignatureFormat.Rfc3279DerSequence),
            _ => false,
        };
    }

    private AsymmetricAlgorithm Load(byte[] privateKey)
    {
        AsymmetricAlgorithm key = RsaBits is not null ? RSA.Create() : ECDsa.Create();
        key.ImportPkcs8PrivateKey(privateKey, out _);
        return key;
    }

    private static byte[] Hash(string algorithm, byte[] message, bool isDigest)
    {
        var name = HashName(algorithm);
        var length = name == HashAlgorithmName.SHA256 ? 32 : name == HashAlgorithmName.SHA384 ? 48 : 64;
        if (!isDigest)
        {
            return name == HashAlgorithmName.SHA256 ? SHA256.HashData(message) : name == HashAlgorithmName.SHA384 ? SHA384.HashData(message) : SHA512.HashData(message);
        }

        return message.Length == length
            ? message
            : throw new AwsServiceException(400, "ValidationException", $"Digest is invalid length for algorithm {algorithm}.");
    }

    private static HashAlgorithmName HashName(string algorithm) =>
        algorithm.EndsWith("_256", StringComparison.Ordinal) ? HashAlgorithmName.SHA256
        : algorithm.EndsWith("_384", StringComparison.Ordinal) ? HashAlgorithmName.SHA384
        : HashAlgorithmName.SHA512;

    private static RSASignaturePadding Padding(string algorithm) =>
        algorithm.StartsWith("RSASSA_PSS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
}
