using System.Collections.Generic;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Core.DisasterRecovery;
using CloudPatterns.PowerShell.Completion;
using CloudPatterns.PowerShell.Infrastructure;

namespace CloudPatterns.PowerShell.Cmdlets;

/// <summary>
/// Test-CrossAccountBackupReadiness: per member account × region, one object per check of what cross-account and
/// cross-region copies need, each with Status and a remediation.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "CrossAccountBackupReadiness")]
[OutputType(typeof(ReadinessCheck))]
public sealed class TestCrossAccountBackupReadinessCommand : FanOutCmdlet
{
    [Parameter(Mandatory = true)]
    [ArgumentCompleter(typeof(AccountIdCompleter))]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.AccountId))]
    public string VaultAccountId { get; set; } = "";

    [Parameter(Mandatory = true)]
    [ArgumentCompleter(typeof(VaultNameCompleter))]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.BackupVaultName))]
    public string VaultName { get; set; } = "";

    [Parameter]
    [ArgumentCompleter(typeof(RegionCompleter))]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.Region))]
    public string? DrRegion { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(VaultNameCompleter))]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.BackupVaultName))]
    public string SourceVaultName { get; set; } = "Default";

    [Parameter]
    [ValidatePattern("^[\\w+=,.@/-]{1,512}$")]
    public string BackupRoleName { get; set; } = "service-role/AWSBackupDefaultServiceRole";

    protected override async IAsyncEnumerable<object> RunTargetAsync(AwsSession session, FanOutTarget target, [EnumeratorCancellation] CancellationToken cancellation)
    {
        var options = new ReadinessOptions { VaultAccountId = VaultAccountId, VaultName = VaultName, DrRegion = DrRegion, SourceVaultName = SourceVaultName, BackupRoleName = BackupRoleName };
        await foreach (ReadinessCheck check in BackupReadiness.RunAsync(session, target, options, cancellation).ConfigureAwait(false))
        {
            yield return check;
        }
    }
}
