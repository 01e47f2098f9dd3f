using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>
/// The signature an evidence record or digest carries: which key made it, with which algorithm, over the record's
/// SHA-256 (docs/evidence.md). Stored as the <c>signature</c> member, outside what the hash covers.
/// </summary>
public sealed class EvidenceSignature
{
    public const string Member = "signature";

    public EvidenceSignature(string keyId, string algorithm, byte[] value)
    {
        KeyId = keyId;
        Algorithm = algorithm;
        Value = value;
    }

    public string KeyId { get; }

    public string Algorithm { get; }

    public byte[] Value { get; }

    public JsonObject ToJson() => new() { ["algorithm"] = Algorithm, ["keyId"] = KeyId, ["value"] = Convert.ToBase64String(Value) };

    /// <summary>The signature member of a stored object; null when it has none or it is malformed.</summary>
    public static EvidenceSignature? FromJson(JsonNode? node)
    {
        try
        {
            return node is JsonObject json && json["keyId"]?.GetValue<string>() is { } keyId && json["algorithm"]?.GetValue<string>() is { } algorithm
                && json["value"]?.GetValue<string>() is { } value
                ? new EvidenceSignature(keyId, algorithm, Convert.FromBase64String(value))
                : null;
        }
        catch (Exception error) when (error is FormatException or InvalidOperationException)
        {
            return null;
        }
    }
}

/// <summary>Signs the SHA-256 of an evidence object; the private key stays wherever the signer keeps it.</summary>
public interface IEvidenceSigner
{
    Task<EvidenceSignature> SignAsync(byte[] sha256, CancellationToken cancellationToken);
}

/// <summary>Signs with an asymmetric KMS key (kms:Sign, MessageType DIGEST): the private key never leaves KMS.</summary>
public sealed class KmsEvidenceSigner : IEvidenceSigner
{
    private readonly IAmazonKeyManagementService kms;

    public KmsEvidenceSigner(IAmazonKeyManagementService kms, string keyId)
    {
        this.kms = kms;
        KeyId = keyId;
    }

    /// <summary>The key as given: id, ARN, alias name or alias ARN.</summary>
    public string KeyId { get; }

    public async Task<EvidenceSignature> SignAsync(byte[] sha256, CancellationToken cancellationToken)
    {
        using var message = new MemoryStream(sha256);
        SignResponse response = await kms.SignAsync(
            new SignRequest { KeyId = KeyId, Message = message, MessageType = MessageType.DIGEST, SigningAlgorithm = SigningAlgorithmSpec.ECDSA_SHA_256 },
            cancellationToken).ConfigureAwait(false);
        return new EvidenceSignature(response.KeyId, response.SigningAlgorithm.Value, response.Signature.ToArray());
    }
}

/// <summary>
/// The public half of the evidence signing key (KMS GetPublicKey, once), which verifies signatures offline.
/// Evidence keys are ECC_NIST_P256 with ECDSA_SHA_256, the spec the evidence template creates.
/// </summary>
public sealed class EvidenceSigningKey
{
    public const string KeySpec = "ECC_NIST_P256";
    public const string Algorithm = "ECDSA_SHA_256";

    // DER SubjectPublicKeyInfo of an ECC_NIST_P256 key up to its uncompressed point: SEQUENCE { SEQUENCE { id-ecPublicKey,
    // prime256v1 }, BIT STRING 0x04 || X || Y }.
    private static readonly byte[] P256InfoPrefix =
    {
        0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d,
        0x03, 0x01, 0x07, 0x03, 0x42, 0x00, 0x04,
    };

    private readonly ECParameters parameters;

    private EvidenceSigningKey(string keyArn, ECParameters parameters)
    {
        KeyArn = keyArn;
        this.parameters = parameters;
    }

    public string KeyArn { get; }

    /// <summary>The default alias of a bucket's signing key, as the evidence template names it (dots become hyphens).</summary>
    public static string DefaultAlias(string bucket) => "alias/cloudpatterns-dr-evidence-" + bucket.Replace('.', '-');

    /// <summary>Reads the public key of a KMS key, refusing a key that is not an ECC_NIST_P256 signing key.</summary>
    public static async Task<EvidenceSigningKey> LoadAsync(IAmazonKeyManagementService kms, string keyId, CancellationToken cancellationToken)
    {
        GetPublicKeyResponse response = await kms.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = keyId }, cancellationToken).ConfigureAwait(false);
        if (response.KeyUsage?.Value != "SIGN_VERIFY" || response.KeySpec?.Value != KeySpec)
        {
            throw new InvalidOperationException($"KMS key {response.KeyId} is {response.KeySpec?.Value} {response.KeyUsage?.Value}; evidence is signed with an {KeySpec} SIGN_VERIFY key.");
        }

        return FromPublicKey(response.KeyId, response.PublicKey.ToArray());
    }

    /// <summary>A key from its DER SubjectPublicKeyInfo (what GetPublicKey returns).</summary>
    public static EvidenceSigningKey FromPublicKey(string keyArn, byte[] subjectPublicKeyInfo)
    {
        if (subjectPublicKeyInfo.Length != P256InfoPrefix.Length + 64 || !subjectPublicKeyInfo.Take(P256InfoPrefix.Length).SequenceEqual(P256InfoPrefix))
        {
            throw new InvalidOperationException($"The public key of {keyArn} is not an uncompressed {KeySpec} key.");
        }

        var point = new ECPoint
        {
            X = subjectPublicKeyInfo.Skip(P256InfoPrefix.Length).Take(32).ToArray(),
            Y = subjectPublicKeyInfo.Skip(P256InfoPrefix.Length + 32).ToArray(),
        };
        return new EvidenceSigningKey(keyArn, new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = point });
    }

    /// <summary>Why a signature does not verify with this key; null when it does.</summary>
    public string? Check(EvidenceSignature? signature, byte[] sha256)
    {
        if (signature is null)
        {
            return "It has no signature: evidence is signed when it is written, so it was not written by the evidence writer.";
        }

        if (!string.Equals(signature.KeyId, KeyArn, StringComparison.Ordinal))
        {
            return $"It is signed with KMS key {signature.KeyId}, not with the evidence signing key {KeyArn}.";
        }

        if (signature.Algorithm != Algorithm || !VerifyDer(sha256, signature.Value))
        {
            return $"Its signature does not verify with the public key of {KeyArn}: its content changed after it was signed.";
        }

        return null;
    }

    private bool VerifyDer(byte[] sha256, byte[] der)
    {
        byte[]? ieee = DerToIeee(der);
        if (ieee is null)
        {
            return false;
        }

        using ECDsa ecdsa = ECDsa.Create(parameters);
        return ecdsa.VerifyHash(sha256, ieee);
    }

    /// <summary>ECDSA's DER form (SEQUENCE { INTEGER r, INTEGER s }, as KMS returns it) to r || s of 32 bytes each.</summary>
    private static byte[]? DerToIeee(byte[] der)
    {
        if (der.Length < 8 || der[0] != 0x30 || der[1] != der.Length - 2)
        {
            return null;
        }

        var result = new byte[64];
        int offset = 2;
        for (int part = 0; part < 2; part++)
        {
            if (offset + 2 > der.Length || der[offset] != 0x02)
            {
                return null;
            }

            int length = der[offset + 1];
            int start = offset + 2;
            if (start + length > der.Length)
            {
                return null;
            }

            byte[] integer = der.Skip(start).Take(length).SkipWhile(b => b == 0).ToArray();
            if (integer.Length > 32)
            {
                return null;
            }

            Buffer.BlockCopy(integer, 0, result, part * 32 + 32 - integer.Length, integer.Length);
            offset = start + length;
        }

        return offset == der.Length ? result : null;
    }
}
