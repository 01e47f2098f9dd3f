using System;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>One validated recovery point: Invoke-DrValidation's output, written only after its evidence is stored.</summary>
public sealed class DrValidationResult
{
    /// <summary>The account the restore ran in (the vault's).</summary>
    public string AccountId { get; set; } = "";

    public string Region { get; set; } = "";

    public string BackupVaultName { get; set; } = "";

    public string SourceAccountId { get; set; } = "";

    public string SourceRegion { get; set; } = "";

    public string ResourceArn { get; set; } = "";

    public string ResourceType { get; set; } = "";

    public string RecoveryPointArn { get; set; } = "";

    public string? RestoreJobId { get; set; }

    public string? RestoredResourceArn { get; set; }

    /// <summary>Passed or Failed.</summary>
    public string Status { get; set; } = "";

    public bool Passed => Status == CheckOutcome.Passed;

    public TimeSpan? Rto { get; set; }

    public TimeSpan RtoTarget { get; set; }

    public TimeSpan? Rpo { get; set; }

    public TimeSpan RpoTarget { get; set; }

    public EvidenceCheck[] Checks { get; set; } = Array.Empty<EvidenceCheck>();

    public EvidenceCheck Cleanup { get; set; } = new();

    public string RunId { get; set; } = "";

    public string? EvidenceBucket { get; set; }

    public string? EvidenceKey { get; set; }

    public string? EvidenceSha256 { get; set; }

    /// <summary>Metrics or alerts that could not be sent; the validation itself stands.</summary>
    public string[] Warnings { get; set; } = Array.Empty<string>();
}
