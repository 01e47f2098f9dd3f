using System.Collections.Generic;
using System.Linq;
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
    private DrConfiguration? _configuration;

    [Parameter(Mandatory = true)]
    [ArgumentCompleter(typeof(AccountIdCompleter))]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.AccountId))]
    public string VaultAccountId { get; set; } = "";

    /// <summary>The central vault; default: what Set-CrossAccountBackup recorded, else central.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(VaultNameCompleter))]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.BackupVaultName))]
    public string? VaultName { get; set; }

    /// <summary>The DR region; default: what Set-CrossAccountBackup recorded.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(RegionCompleter))]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.Region))]
    public string? DrRegion { get; set; }

    /// <summary>The member accounts' vault; default: what Set-CrossAccountBackup recorded, else workload.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(VaultNameCompleter))]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.BackupVaultName))]
    public string? SourceVaultName { get; set; }

    [Parameter]
    [ValidatePattern("^[A-Za-z0-9_+=,.@/-]{1,512}$")]
    public string BackupRoleName { get; set; } = "service-role/AWSBackupDefaultServiceRole";

    /// <summary>The role Invoke-DrValidation runs as in the vault account: checks its PassRole and evidence key permissions.</summary>
    [Parameter]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.RoleName))]
    public string? ValidationRoleName { get; set; }

    /// <summary>The role the validation hands AWS Backup for restores in the vault account.</summary>
    [Parameter]
    [ValidatePattern("^[A-Za-z0-9_+=,.@/-]{1,512}$")]
    public string RestoreRoleName { get; set; } = "service-role/AWSBackupDefaultServiceRole";
    /// <summary>The RPO each protected resource type must be able to meet (the architecture's 1 hour by default).</summary>
    [Parameter]
    [ValidatePositiveDuration]
    public System.TimeSpan RpoTarget { get; set; } = Core.DisasterRecovery.AchievableRpo.DefaultTarget;

    /// <summary>The recorded configuration fills what was not given; the member accounts run in its primary region unless -Region says otherwise.</summary>
    protected override async Task<IReadOnlyList<FanOutTarget>> ResolveTargetsAsync(AwsSession session, CancellationToken cancellation)
    {
        _configuration = await DrConfiguration.FindAsync(session, VaultAccountId, RequestedRegions?.FirstOrDefault() ?? session.Region, cancellation).ConfigureAwait(false);
        var targets = await base.ResolveTargetsAsync(session, cancellation).ConfigureAwait(false);
        return RequestedRegions is null && _configuration is { } configuration
            ? targets.Select(target => target.AccountId).Distinct().SelectMany(accountId => session.CreateTargets(new[] { accountId }, new[] { configuration.PrimaryRegion })).ToList()
            : targets;
    }

    protected override async IAsyncEnumerable<object> RunTargetAsync(AwsSession session, FanOutTarget target, IReadOnlyList<PlannedStep> steps, [EnumeratorCancellation] CancellationToken cancellation)
    {
        var options = new ReadinessOptions
        {
            VaultAccountId = VaultAccountId,
            VaultName = VaultName ?? _configuration?.VaultName ?? DrConfiguration.DefaultVaultName,
            DrRegion = DrRegion ?? _configuration?.DrRegion,
            SourceVaultName = SourceVaultName ?? _configuration?.MemberVaultName ?? DrConfiguration.DefaultMemberVaultName,
            BackupRoleName = BackupRoleName,
            ValidationRoleName = ValidationRoleName,
            RestoreRoleName = RestoreRoleName,
            EvidenceBucketName = _configuration?.EvidenceBucketName,
            EvidenceRegion = _configuration?.PrimaryRegion,
            RpoTarget = RpoTarget,
        };
        await foreach (ReadinessCheck check in BackupReadiness.RunAsync(session, target, options, cancellation).ConfigureAwait(false))
        {
            yield return check;
        }
    }
}
