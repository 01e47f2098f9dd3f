namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>A written audit report: where, in which format, and its headline figures.</summary>
public sealed class AuditReportFile
{
    public AuditReportFile(string accountId, string region, string path, string format, int validations, double? successRate, bool chainIntact)
    {
        AccountId = accountId;
        Region = region;
        Path = path;
        Format = format;
        Validations = validations;
        SuccessRate = successRate;
        ChainIntact = chainIntact;
    }

    /// <summary>The evidence bucket's account.</summary>
    public string AccountId { get; }

    /// <summary>The evidence bucket's region.</summary>
    public string Region { get; }

    public string Path { get; }

    public string Format { get; }

    public int Validations { get; }

    public double? SuccessRate { get; }

    public bool ChainIntact { get; }
}
