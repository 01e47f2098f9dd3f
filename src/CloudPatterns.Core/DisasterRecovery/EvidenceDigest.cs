using System;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>
/// The signed anchor of the chain head, written after every record (like CloudTrail's digest files): which record
/// was last, its hash, how many records the chain held then, and the digest before it. A record that disappears is
/// named by the digest that saw it, including the last records of a run.
/// </summary>
public sealed class EvidenceDigest
{
    public const string KeyPrefix = "dr-validation-digest/";

    public int SchemaVersion { get; set; } = 1;

    public string RunId { get; set; } = "";

    public int Sequence { get; set; }

    public DateTime DigestedAt { get; set; }

    public string RecordKey { get; set; } = "";

    public string RecordSha256 { get; set; } = "";

    /// <summary>Records in the bucket's chain up to and including <see cref="RecordKey"/>.</summary>
    public int ChainLength { get; set; }

    public string? PreviousDigestKey { get; set; }

    public string? PreviousDigestSha256 { get; set; }

    /// <summary>The digest of a record: the record's key under <see cref="KeyPrefix"/>.</summary>
    public static string KeyFor(string recordKey) => KeyPrefix + recordKey.Substring(EvidenceStore.KeyPrefix.Length);

    /// <summary>The record a digest key belongs to.</summary>
    public static string RecordKeyOf(string digestKey) => EvidenceStore.KeyPrefix + digestKey.Substring(KeyPrefix.Length);

    public JsonObject ToJson() => (JsonObject)JsonSerializer.SerializeToNode(this, EvidenceRecord.JsonOptions)!;

    public static EvidenceDigest? TryRead(JsonObject body)
    {
        try
        {
            return body.Deserialize<EvidenceDigest>(EvidenceRecord.JsonOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
