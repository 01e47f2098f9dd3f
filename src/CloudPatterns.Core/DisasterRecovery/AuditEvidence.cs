using System;
using System.Collections.Generic;
using System.Linq;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>One stored evidence record as Get-AuditEvidence returns it: what it says, and whether it can be trusted.</summary>
public sealed class AuditEvidence
{
    /// <summary>The account of the protected (source) resource.</summary>
    public string? AccountId { get; set; }

    /// <summary>The region of the protected (source) resource.</summary>
    public string? Region { get; set; }

    public string? ResourceArn { get; set; }

    public string? ResourceType { get; set; }

    public string? RunId { get; set; }

    public int Sequence { get; set; }

    public DateTime? RecordedAt { get; set; }

    /// <summary>Passed or Failed, as the validation recorded it.</summary>
    public string? Outcome { get; set; }

    public string? RecoveryPointArn { get; set; }

    public string? RestoreJobId { get; set; }

    public string? RestoreAccountId { get; set; }

    public string? RestoreRegion { get; set; }

    public TimeSpan? Rto { get; set; }

    public TimeSpan? RtoTarget { get; set; }

    public TimeSpan? Rpo { get; set; }

    public TimeSpan? RpoTarget { get; set; }

    public string[] FailedChecks { get; set; } = Array.Empty<string>();

    /// <summary>validation or drill (the record's <c>kind</c>).</summary>
    public string Kind { get; set; } = EvidenceKind.Validation;

    /// <summary>A drill's steps with their start and end; empty for a validation.</summary>
    public EvidenceTimelineStep[] Timeline { get; set; } = Array.Empty<EvidenceTimelineStep>();

    /// <summary>Where a failure of this validation was alerted; null when no alert was configured.</summary>
    public string? AlertTopicArn { get; set; }

    /// <summary>Validation (a stored record) or Missing (a record the chain or a digest proves was removed).</summary>
    public string RecordType { get; set; } = EvidenceRecordType.Validation;

    /// <summary>True only when the hash, the signature, the chain, the digest, the versions and the retention all check out.</summary>
    public bool Verified { get; set; }

    /// <summary>Why the record can be trusted, or every reason it cannot.</summary>
    public string Reason => Verified
        ? $"Signed by {SignedBy}, chained to the record before it, {(Anchored ? "anchored by its signed digest" : "not yet anchored by a digest (the newest record of an unfinished run)")}, one version, {RetentionMode} until {RetainUntil:u}."
        : string.Join(" ", Failures);

    public bool HashValid { get; set; }

    public bool SignatureValid { get; set; }

    /// <summary>The KMS key the record's signature names.</summary>
    public string? SignedBy { get; set; }

    /// <summary>A signed digest written after the record confirms its key and hash.</summary>
    public bool Anchored { get; set; }

    /// <summary>Every version S3 holds for the key, oldest first; more than one, or a delete marker, is tampering.</summary>
    public string[] Versions { get; set; } = Array.Empty<string>();

    public bool ChainValid { get; set; }

    public bool RetentionValid { get; set; }

    public string? RetentionMode { get; set; }

    public DateTime? RetainUntil { get; set; }

    /// <summary>What did not check out, each with what it means.</summary>
    public string[] Failures { get; set; } = Array.Empty<string>();

    public string? Sha256 { get; set; }

    public string? Bucket { get; set; }

    public string? Key { get; set; }

    public string? EvidenceAccountId { get; set; }

    public string? EvidenceRegion { get; set; }

    internal void Fill(EvidenceRecord record)
    {
        AccountId = record.Source.AccountId;
        Region = record.Source.Region;
        ResourceArn = record.Source.ResourceArn;
        ResourceType = record.Source.ResourceType;
        RunId = record.RunId;
        Sequence = record.Sequence;
        RecordedAt = record.RecordedAt.ToUniversalTime();
        Outcome = record.Outcome;
        RecoveryPointArn = record.RecoveryPointArn;
        RestoreJobId = record.RestoreJobId;
        RestoreAccountId = record.Target.AccountId;
        RestoreRegion = record.Target.Region;
        Rto = Seconds(record.Rto.MeasuredSeconds);
        RtoTarget = TimeSpan.FromSeconds(record.Rto.TargetSeconds);
        Rpo = Seconds(record.Rpo.MeasuredSeconds);
        RpoTarget = TimeSpan.FromSeconds(record.Rpo.TargetSeconds);
        Kind = record.Kind;
        Timeline = record.Timeline?.ToArray() ?? Array.Empty<EvidenceTimelineStep>();
        AlertTopicArn = record.AlertTopicArn;
        FailedChecks = record.Checks.Where(check => check.Outcome == CheckOutcome.Failed).Select(check => check.Name).ToArray();
    }

    /// <summary>
    /// Puts one instance of each value that many records repeat (accounts, regions, types, resources, outcomes, the
    /// signing key) in place of this record's copies, so a report holding every record of a bucket holds each value
    /// once. Values unique to a record (keys, hashes, recovery points) are left as they are.
    /// </summary>
    internal void ShareValues(Dictionary<string, string> shared)
    {
        string? Share(string? value)
        {
            if (value is null)
            {
                return null;
            }

            if (!shared.TryGetValue(value, out string? one))
            {
                shared.Add(value, one = value);
            }

            return one;
        }

        AccountId = Share(AccountId);
        Region = Share(Region);
        ResourceArn = Share(ResourceArn);
        ResourceType = Share(ResourceType);
        Outcome = Share(Outcome);
        RestoreAccountId = Share(RestoreAccountId);
        RestoreRegion = Share(RestoreRegion);
        Kind = Share(Kind)!;
        AlertTopicArn = Share(AlertTopicArn);
        SignedBy = Share(SignedBy);
        RetentionMode = Share(RetentionMode);
        FailedChecks = FailedChecks.Length == 0 ? Array.Empty<string>() : FailedChecks.Select(check => Share(check)!).ToArray();
    }

    private static TimeSpan? Seconds(double? value) => value is { } seconds ? TimeSpan.FromSeconds(seconds) : null;
}

/// <summary>What an <see cref="AuditEvidence"/> stands for.</summary>
public static class EvidenceRecordType
{
    public const string Validation = "Validation";
    public const string Missing = "Missing";
}

/// <summary>The outcomes a check or a validation can have, as written in evidence.</summary>
public static class CheckOutcome
{
    public const string Passed = "Passed";
    public const string Failed = "Failed";
    public const string Skipped = "Skipped";

    /// <summary>A validation stopped before it ended (Ctrl+C, a stopped runspace): its restore was cleaned up, not judged.</summary>
    public const string Aborted = "Aborted";
}
