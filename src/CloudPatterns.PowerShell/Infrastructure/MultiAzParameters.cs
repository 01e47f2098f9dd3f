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

    [Parameter]
    public int MinSize { get; set; }

    [Parameter]
    public int MaxSize { get; set; }

    [Parameter]
    public int TargetCpuUtilization { get; set; }

    [Parameter]
    [ValidateSet("postgres", "mysql")]
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
        settings.MinSize = given.ContainsKey(nameof(MinSize)) ? MinSize : settings.MinSize;
        settings.MaxSize = given.ContainsKey(nameof(MaxSize)) ? MaxSize : settings.MaxSize;
        settings.TargetCpuUtilization = given.ContainsKey(nameof(TargetCpuUtilization)) ? TargetCpuUtilization : settings.TargetCpuUtilization;
        settings.DbEngine = DbEngine ?? settings.DbEngine;
        settings.DbInstanceClass = DbInstanceClass ?? settings.DbInstanceClass;
        settings.DbAllocatedStorage = given.ContainsKey(nameof(DbAllocatedStorage)) ? DbAllocatedStorage : settings.DbAllocatedStorage;
        settings.CreateReadReplica = given.ContainsKey(nameof(ReadReplica)) ? ReadReplica.IsPresent : settings.CreateReadReplica;
        settings.CreateDbProxy = given.ContainsKey(nameof(DbProxy)) ? DbProxy.IsPresent : settings.CreateDbProxy;
        settings.DbDeletionProtection = given.ContainsKey(nameof(DbDeletionProtection)) ? DbDeletionProtection : settings.DbDeletionProtection;
        return settings;
    }
}
