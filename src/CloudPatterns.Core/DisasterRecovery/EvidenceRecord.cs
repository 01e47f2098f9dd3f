using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>
/// What one validated recovery point leaves behind for an auditor: who ran what, where, against which targets, each
/// check with its outcome, the cleanup, and the hash of the record before it (the chain). Stored as canonical JSON
/// with its own SHA-256 in <c>sha256</c> and a KMS signature of that hash in <c>signature</c> (<see cref="EvidenceSeal"/>).
/// </summary>
public sealed class EvidenceRecord
{
    /// <summary>2: signed (1 had only the hash).</summary>
    public const int CurrentSchemaVersion = 2;

    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    /// <summary>
    /// What the record is evidence of: <see cref="EvidenceKind.Validation"/> (a restore validation) or
    /// <see cref="EvidenceKind.Drill"/> (a failover exercise, with its <see cref="Timeline"/>). Records written before
    /// the field existed are validations.
    /// </summary>
    public string Kind { get; set; } = EvidenceKind.Validation;

    public string RunId { get; set; } = "";

    /// <summary>1, 2, … within the run; the object key ends in <c>&lt;Sequence&gt;.json</c>.</summary>
    public int Sequence { get; set; }

    public DateTime StartedAt { get; set; }

    public DateTime RecordedAt { get; set; }

    public string ToolVersion { get; set; } = "";

    public string CallerArn { get; set; } = "";

    public EvidenceResource Source { get; set; } = new();

    public EvidenceRestoreTarget Target { get; set; } = new();

    public string RecoveryPointArn { get; set; } = "";

    public DateTime? RecoveryPointCreatedAt { get; set; }

    public string? RestoreJobId { get; set; }

    public string? RestoreJobStatus { get; set; }

    public EvidenceMeasure Rto { get; set; } = new();

    public EvidenceMeasure Rpo { get; set; } = new();

    public List<EvidenceCheck> Checks { get; set; } = new();

    /// <summary>A drill's steps, each with its start and end (null for a validation).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<EvidenceTimelineStep>? Timeline { get; set; }

    /// <summary>The SNS topic a failure of this validation is alerted to; null when none was configured.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AlertTopicArn { get; set; }

    public EvidenceCheck Cleanup { get; set; } = new();

    /// <summary>Passed when every check passed and the cleanup left nothing behind.</summary>
    public string Outcome { get; set; } = "";

    /// <summary>The COMPLIANCE retention the record is stored with; verification expects at least this much.</summary>
    public int EvidenceRetentionDays { get; set; }

    /// <summary>The <c>sha256</c> of the record stored before this one; null for the first record of a bucket.</summary>
    public string? PreviousSha256 { get; set; }

    /// <summary>The record as a JSON tree without its own hash.</summary>
    public JsonObject ToJsonWithoutHash() => (JsonObject)JsonSerializer.SerializeToNode(this, JsonOptions)!;

    /// <summary>The stored form: the canonical JSON of the record plus <c>sha256</c> and <c>signature</c>, and that hash.</summary>
    public Task<(byte[] Content, string Sha256)> SealAsync(IEvidenceSigner signer, CancellationToken cancellationToken) =>
        EvidenceSeal.SealAsync(ToJsonWithoutHash(), signer, cancellationToken);
}

public sealed class EvidenceResource
{
    public string AccountId { get; set; } = "";

    public string Region { get; set; } = "";

    public string ResourceArn { get; set; } = "";

    public string ResourceType { get; set; } = "";
}

public sealed class EvidenceRestoreTarget
{
    public string AccountId { get; set; } = "";

    public string Region { get; set; } = "";

    public string BackupVaultName { get; set; } = "";

    public string? RestoredResourceArn { get; set; }
}

public sealed class EvidenceMeasure
{
    public double? MeasuredSeconds { get; set; }

    public double TargetSeconds { get; set; }
}

public sealed class EvidenceCheck
{
    public string Name { get; set; } = "";

    /// <summary>Passed, Failed or Skipped.</summary>
    public string Outcome { get; set; } = "";

    public string Detail { get; set; } = "";
}

/// <summary>One step of a drill's timeline.</summary>
public sealed class EvidenceTimelineStep
{
    public string Name { get; set; } = "";

    public DateTime StartedAt { get; set; }

    public DateTime? EndedAt { get; set; }

    /// <summary>Passed, Failed or Skipped.</summary>
    public string Outcome { get; set; } = "";
}

/// <summary>The kinds of evidence records (the <c>kind</c> field).</summary>
public static class EvidenceKind
{
    public const string Validation = "validation";
    public const string Drill = "drill";
}
