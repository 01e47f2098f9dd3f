using System.Management.Automation;
using CloudPatterns.Aws;
using CloudPatterns.Core.DisasterRecovery;
using CloudPatterns.PowerShell.Completion;
using CloudPatterns.PowerShell.Infrastructure;

namespace CloudPatterns.PowerShell.Cmdlets;

/// <summary>
/// Get-DrConfiguration: what Set-CrossAccountBackup deployed (regions, vault names, evidence bucket, DR account), read
/// back from the vault account, for the DR cmdlets that take it from the pipeline or by -VaultAccountId.
/// </summary>
[Cmdlet(VerbsCommon.Get, "DrConfiguration")]
[OutputType(typeof(DrConfiguration))]
public sealed class GetDrConfigurationCommand : AwsCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(AccountIdCompleter))]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.AccountId))]
    public string VaultAccountId { get; set; } = "";

    /// <summary>The primary region Set-CrossAccountBackup was run for; default: the session's region.</summary>
    [Parameter]
    [Alias("PrimaryRegion")]
    [ArgumentCompleter(typeof(RegionCompleter))]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.Region))]
    public string? Region { get; set; }

    protected override string? ConnectionRegion => Region;

    protected override void ProcessRecord() =>
        RunAws(async (queue, session, cancellation) =>
        {
            var found = await DrConfiguration.FindAsync(session, VaultAccountId, Region ?? session.Region, cancellation).ConfigureAwait(false);
            if (found is null)
            {
                queue.Post(() => WriteError(ErrorRecords.Create(new DrConfigurationNotFoundException(VaultAccountId, Region ?? session.Region),
                    ErrorReason.DrConfigurationNotFound, ErrorCategory.ObjectNotFound, VaultAccountId)));
            }
            else
            {
                queue.Output(found);
            }
        }, VaultAccountId);
}
