using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>
/// How an evidence object (record or digest) is sealed and opened: the SHA-256 of its canonical JSON without the
/// <c>sha256</c> and <c>signature</c> members, stated in <c>sha256</c> and signed (over those 32 bytes) in
/// <c>signature</c>. The chain links (<c>previousSha256</c>) are inside what is hashed, so they are signed too.
/// </summary>
public static class EvidenceSeal
{
    public const string HashMember = "sha256";

    /// <summary>Adds <c>sha256</c> and <c>signature</c> to <paramref name="json"/>; returns the stored bytes and the hash.</summary>
    public static async Task<(byte[] Content, string Sha256)> SealAsync(JsonObject json, IEvidenceSigner signer, CancellationToken cancellationToken)
    {
        byte[] hash = CanonicalJson.Sha256Bytes(json);
        EvidenceSignature signature = await signer.SignAsync(hash, cancellationToken).ConfigureAwait(false);
        string sha256 = CanonicalJson.Hex(hash);
        json[HashMember] = sha256;
        json[EvidenceSignature.Member] = signature.ToJson();
        return (CanonicalJson.ToBytes(json), sha256);
    }

    /// <summary>
    /// Parses a stored object and checks its hash and signature: the body without the seal, the hash it states,
    /// and each reason it cannot be trusted (none when it verifies). Null body when it is not a JSON object.
    /// </summary>
    public static OpenedEvidence Open(byte[] content, EvidenceSigningKey key)
    {
        JsonObject? json;
        try
        {
            json = JsonNode.Parse(content) as JsonObject;
        }
        catch (JsonException error)
        {
            return new OpenedEvidence(null, null, $"It is not valid JSON: {error.Message}", null);
        }

        if (json is null)
        {
            return new OpenedEvidence(null, null, "It is not a JSON object.", null);
        }

        string? stated = json[HashMember] is JsonValue value && value.TryGetValue(out string? text) ? text : null;
        EvidenceSignature? signature = EvidenceSignature.FromJson(json[EvidenceSignature.Member]);
        json.Remove(HashMember);
        json.Remove(EvidenceSignature.Member);
        byte[] hash = CanonicalJson.Sha256Bytes(json);
        string recomputed = CanonicalJson.Hex(hash);
        string? hashFailure = stated == recomputed ? null : $"Its SHA-256 is {recomputed}, not the {stated ?? "(missing)"} it states: its content changed after it was sealed.";
        return new OpenedEvidence(json, stated, hashFailure, key.Check(signature, hash));
    }
}

/// <summary>A stored evidence object after <see cref="EvidenceSeal.Open"/>.</summary>
public sealed class OpenedEvidence
{
    internal OpenedEvidence(JsonObject? body, string? sha256, string? hashFailure, string? signatureFailure)
    {
        Body = body;
        Sha256 = sha256;
        HashFailure = hashFailure;
        SignatureFailure = signatureFailure ?? (body is null ? "It cannot be read, so its signature cannot be checked." : null);
    }

    public JsonObject? Body { get; }

    /// <summary>The hash the object states (what later objects chain to).</summary>
    public string? Sha256 { get; }

    public string? HashFailure { get; }

    public string? SignatureFailure { get; }
}
