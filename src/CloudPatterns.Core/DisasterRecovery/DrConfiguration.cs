using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Core.Deployment;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>
/// What Set-CrossAccountBackup deployed, as the other DR cmdlets need it: recorded as tags and outputs of the evidence
/// stack in the vault account's primary region, and read back from there (<see cref="FindAsync"/>), so readiness,
/// validation, evidence and report need nothing but the vault account.
/// </summary>
public sealed class DrConfiguration
{
    /// <summary>The defaults Set-CrossAccountBackup and the cmdlets that read its setup share.</summary>
    public const string DefaultVaultName = "central";

    public const string DefaultMemberVaultName = "workload";

    private const string DrRegionTag = "cloudpatterns:dr-region";
    private const string VaultNameTag = "cloudpatterns:dr-vault";
    private const string MemberVaultNameTag = "cloudpatterns:dr-member-vault";
    private const string DrAccountTag = "cloudpatterns:dr-account";
    private const string BucketOutput = "BucketName";

    private DrConfiguration(string vaultAccountId, string primaryRegion, string drRegion, string vaultName, string memberVaultName, string evidenceBucketName, string? drAccountId)
    {
        VaultAccountId = vaultAccountId;
        PrimaryRegion = primaryRegion;
        DrRegion = drRegion;
        VaultName = vaultName;
        MemberVaultName = memberVaultName;
        EvidenceBucketName = evidenceBucketName;
        DrAccountId = drAccountId;
    }

    /// <summary>The vault account (log-archive): the central vaults and the evidence bucket live here.</summary>
    public string AccountId => VaultAccountId;

    /// <summary>The primary region, where the evidence stack records the configuration.</summary>
    public string Region => PrimaryRegion;

    public string VaultAccountId { get; }

    public string PrimaryRegion { get; }

    public string DrRegion { get; }

    public string VaultName { get; }

    public string MemberVaultName { get; }

    public string EvidenceBucketName { get; }

    /// <summary>The evidence bucket's account and region: the vault account's primary region.</summary>
    public string EvidenceAccountId => VaultAccountId;

    public string EvidenceRegion => PrimaryRegion;

    public string? DrAccountId { get; }

    /// <summary>The tags that record <paramref name="settings"/> on the evidence stack.</summary>
    internal static void Record(CrossAccountBackupSettings settings, IDictionary<string, string> tags)
    {
        tags[DrRegionTag] = settings.DrRegion;
        tags[VaultNameTag] = settings.VaultName;
        tags[MemberVaultNameTag] = settings.MemberVaultName;
        if (settings.DrAccountId is { } drAccountId)
        {
            tags[DrAccountTag] = drAccountId;
        }
    }

    /// <summary>The configuration recorded in <paramref name="vaultAccountId"/>'s <paramref name="region"/>; null when Set-CrossAccountBackup has not run there.</summary>
    public static async Task<DrConfiguration?> FindAsync(AwsSession session, string vaultAccountId, string region, CancellationToken cancellationToken)
    {
        var stacks = new StackDeployment(await session.GetTargetAsync(vaultAccountId, region, cancellationToken).ConfigureAwait(false));
        var evidence = await stacks.DescribeAsync(CrossAccountBackupSetup.EvidenceStack, cancellationToken).ConfigureAwait(false);
        if (evidence is null || !evidence.Tags.TryGetValue(DrRegionTag, out var drRegion) || !evidence.Outputs.TryGetValue(BucketOutput, out var bucket))
        {
            return null;
        }

        return new DrConfiguration(vaultAccountId, region, drRegion,
            evidence.Tags.TryGetValue(VaultNameTag, out var vaultName) ? vaultName : DefaultVaultName,
            evidence.Tags.TryGetValue(MemberVaultNameTag, out var memberVaultName) ? memberVaultName : DefaultMemberVaultName,
            bucket,
            evidence.Tags.TryGetValue(DrAccountTag, out var drAccountId) ? drAccountId : null);
    }

    /// <summary>As <see cref="FindAsync"/>, but a missing configuration is a <see cref="DrConfigurationNotFoundException"/> saying what to run.</summary>
    public static async Task<DrConfiguration> RequireAsync(AwsSession session, string vaultAccountId, string region, CancellationToken cancellationToken) =>
        await FindAsync(session, vaultAccountId, region, cancellationToken).ConfigureAwait(false)
            ?? throw new DrConfigurationNotFoundException(vaultAccountId, region);
}

/// <summary>No DR configuration in the vault account and region asked: Set-CrossAccountBackup has not run there.</summary>
public sealed class DrConfigurationNotFoundException : Exception
{
    public DrConfigurationNotFoundException(string vaultAccountId, string region)
        : base($"No DR configuration in account {vaultAccountId}, region {region}: stack {CrossAccountBackupSetup.EvidenceStack} with the configuration tags is not there. " +
            "Run Set-CrossAccountBackup first, or give -Region with the primary region it was run for.")
    {
        VaultAccountId = vaultAccountId;
        Region = region;
    }

    public string VaultAccountId { get; }

    public string Region { get; }
}
