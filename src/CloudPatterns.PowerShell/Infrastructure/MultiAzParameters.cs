using System.Collections.Generic;
using System.Management.Automation;
using CloudPatterns.Core.MultiAz;

namespace CloudPatterns.PowerShell.Infrastructure;

/// <summary>
/// The Multi-AZ template's parameters as cmdlet parameters, shared by New-MultiAzStack (over the defaults),
/// Update-MultiAzStack (over what the stack runs with) and Get-PatternCostEstimate: a parameter not given keeps the
/// value underneath. A parameter object the cmdlets return from GetDynamicParameters, so that they share it without
/// a base class of their own.
/// </summary>
public sealed class MultiAzParameters
{
    [Parameter]
    public int AzCount { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? VpcCidr { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CertificateArn { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? FrontendInstanceType { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? BackendInstanceType { get; set; }

    /// <summary>Both tiers' smallest size; -FrontendMinSize/-BackendMinSize override it per tier.</summary>
    [Parameter]
    public int MinSize { get; set; }

    /// <summary>Both tiers' largest size; -FrontendMaxSize/-BackendMaxSize override it per tier.</summary>
    [Parameter]
    public int MaxSize { get; set; }

    [Parameter]
    public int FrontendMinSize { get; set; }

    [Parameter]
    public int FrontendMaxSize { get; set; }

    [Parameter]
    public int BackendMinSize { get; set; }

    [Parameter]
    public int BackendMaxSize { get; set; }

    [Parameter]
    [ValidateSet("CPU", "RequestCount", "Memory")]
    public string? ScalingMetric { get; set; }

    [Parameter]
    public int TargetCpuUtilization { get; set; }

    [Parameter]
    public int TargetRequestCount { get; set; }

    [Parameter]
    public int TargetMemoryUtilization { get; set; }

    [Parameter]
    public SwitchParameter ScaleInProtection { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ImageId { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ImageParameter { get; set; }

    [Parameter]
    public SwitchParameter EndToEndTls { get; set; }

    [Parameter]
    public SwitchParameter SsmEndpoints { get; set; }

    [Parameter]
    [ValidateSet("postgres", "mysql", "aurora-postgresql", "aurora-mysql")]
    public string? DbEngine { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DbInstanceClass { get; set; }

    [Parameter]
    public int DbAllocatedStorage { get; set; }

    [Parameter]
    public SwitchParameter ReadReplica { get; set; }

    [Parameter]
    public SwitchParameter DbProxy { get; set; }

    [Parameter]
    public bool DbDeletionProtection { get; set; }

    /// <summary>Puts the parameters the user gave (<paramref name="given"/>: the cmdlet's bound parameters) over <paramref name="settings"/>.</summary>
    internal MultiAzStackSettings Apply(MultiAzStackSettings settings, IDictionary<string, object> given)
    {
        settings.AzCount = given.ContainsKey(nameof(AzCount)) ? AzCount : settings.AzCount;
        settings.VpcCidr = VpcCidr ?? settings.VpcCidr;
        settings.CertificateArn = CertificateArn ?? settings.CertificateArn;
        settings.FrontendInstanceType = FrontendInstanceType ?? settings.FrontendInstanceType;
        settings.BackendInstanceType = BackendInstanceType ?? settings.BackendInstanceType;
        int Size(string tierName, int tierValue, string bothName, int bothValue, int underneath) =>
            given.ContainsKey(tierName) ? tierValue : given.ContainsKey(bothName) ? bothValue : underneath;
        settings.FrontendMinSize = Size(nameof(FrontendMinSize), FrontendMinSize, nameof(MinSize), MinSize, settings.FrontendMinSize);
        settings.FrontendMaxSize = Size(nameof(FrontendMaxSize), FrontendMaxSize, nameof(MaxSize), MaxSize, settings.FrontendMaxSize);
        settings.BackendMinSize = Size(nameof(BackendMinSize), BackendMinSize, nameof(MinSize), MinSize, settings.BackendMinSize);
        settings.BackendMaxSize = Size(nameof(BackendMaxSize), BackendMaxSize, nameof(MaxSize), MaxSize, settings.BackendMaxSize);
        settings.ScalingMetric = ScalingMetric ?? settings.ScalingMetric;
        settings.TargetCpuUtilization = given.ContainsKey(nameof(TargetCpuUtilization)) ? TargetCpuUtilization : settings.TargetCpuUtilization;
        settings.TargetRequestCount = given.ContainsKey(nameof(TargetRequestCount)) ? TargetRequestCount : settings.TargetRequestCount;
        settings.TargetMemoryUtilization = given.ContainsKey(nameof(TargetMemoryUtilization)) ? TargetMemoryUtilization : settings.TargetMemoryUtilization;
        settings.ScaleInProtection = given.ContainsKey(nameof(ScaleInProtection)) ? ScaleInProtection.IsPresent : settings.ScaleInProtection;
        settings.EndToEndTls = given.ContainsKey(nameof(EndToEndTls)) ? EndToEndTls.IsPresent : settings.EndToEndTls;
        settings.SsmEndpoints = given.ContainsKey(nameof(SsmEndpoints)) ? SsmEndpoints.IsPresent : settings.SsmEndpoints;

        // A parameter name given switches back from an AMI id; an AMI id given wins over the parameter.
        if (ImageParameter is not null)
        {
            settings.ImageParameter = ImageParameter;
            settings.ImageId = null;
        }

        settings.ImageId = ImageId ?? settings.ImageId;
        settings.DbEngine = DbEngine ?? settings.DbEngine;
        if (DbInstanceClass is not null)
        {
            settings.DbInstanceClass = DbInstanceClass;
        }
        settings.DbAllocatedStorage = given.ContainsKey(nameof(DbAllocatedStorage)) ? DbAllocatedStorage : settings.DbAllocatedStorage;
        settings.CreateReadReplica = given.ContainsKey(nameof(ReadReplica)) ? ReadReplica.IsPresent : settings.CreateReadReplica;
        settings.CreateDbProxy = given.ContainsKey(nameof(DbProxy)) ? DbProxy.IsPresent : settings.CreateDbProxy;
        settings.DbDeletionProtection = given.ContainsKey(nameof(DbDeletionProtection)) ? DbDeletionProtection : settings.DbDeletionProtection;
        return settings;
    }
}
