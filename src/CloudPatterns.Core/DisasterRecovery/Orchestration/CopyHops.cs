using System;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Aws.Backup;

namespace CloudPatterns.Core.DisasterRecovery.Orchestration;

/// <summary>
/// Carries a recovery point on, one legal hop per completed copy: central vault (primary region) → central vault (DR
/// region), a cross-region copy within the vault account; central vault (DR region) → the DR account's vault in the DR
/// region, a cross-account copy within one region. No hop is both, which RDS and Aurora refuse (docs/orchestrator.md).
/// Each hop is started once: a copy job of the same recovery point to the same vault that has not failed means a
/// duplicate or retried event, and nothing is started.
/// </summary>
internal static class CopyHops
{
    public static async Task<OrchestratorOutcome> HandleAsync(AwsSession session, OrchestratorSettings settings, OrchestratorEvent incoming, CancellationToken cancellationToken)
    {
        string copyJobId = incoming.DetailText("copyJobId");
        string state = incoming.DetailText("state");
        if (state != "COMPLETED")
        {
            return incoming.Outcome(OrchestratorOutcome.Ignored, $"Copy job {copyJobId} is {state}: only a completed copy has a recovery point to carry on.");
        }

        string destinationVault = incoming.DetailText("destinationBackupVaultArn");
        string recoveryPoint = incoming.DetailText("destinationRecoveryPointArn");
        string resourceArn = incoming.DetailText("resourceArn");
        AwsArn? vault = AwsArn.TryParse(destinationVault);
        if (vault is null || recoveryPoint.Length == 0)
        {
            return incoming.Outcome(OrchestratorOutcome.Ignored, $"Copy job {copyJobId}'s event names no destination vault and recovery point.");
        }

        string vaultAccount = session.CallerAccountId;
        bool central = vault.AccountId == vaultAccount && vault.ResourceName == settings.VaultName;
        string? nextVault = central && vault.Region == settings.PrimaryRegion ? settings.CentralVaultArn(vaultAccount, settings.DrRegion)
            : central && vault.Region == settings.DrRegion ? settings.DrVaultArn
            : null;
        if (nextVault is null)
        {
            return incoming.Outcome(OrchestratorOutcome.Ignored, $"Copy job {copyJobId} ended in {destinationVault}, which is not a hop of the plan: the recovery point is where it belongs.");
        }

        AwsTarget source = await session.GetTargetAsync(vaultAccount, vault.Region, cancellationToken).ConfigureAwait(false);
        var earlier = new ListCopyJobsRequest { ByResourceArn = resourceArn.Length == 0 ? null : resourceArn, ByDestinationVaultArn = nextVault };
        await foreach (CopyJob job in source.Backup.ListAllCopyJobsAsync(earlier, cancellationToken).ConfigureAwait(false))
        {
            if (job.SourceRecoveryPointArn == recoveryPoint && job.State != "FAILED")
            {
                return Started(incoming, OrchestratorOutcome.CopyAlreadyStarted, job.CopyJobId!, $"Copy job {job.CopyJobId} already carries {recoveryPoint} to {nextVault} ({job.State}).");
            }
        }

        StartCopyJobResponse started = await Transient.RetryAsync(
            token => source.Backup.StartCopyJobAsync(
                new StartCopyJobRequest
                {
                    RecoveryPointArn = recoveryPoint,
                    SourceBackupVaultName = vault.ResourceName,
                    DestinationBackupVaultArn = nextVault,
                    IamRoleArn = settings.CopyRoleArn,
                    IdempotencyToken = Token(recoveryPoint, nextVault),
                },
                token),
            cancellationToken).ConfigureAwait(false);
        return Started(incoming, OrchestratorOutcome.CopyStarted, started.CopyJobId!, $"Copy job {started.CopyJobId} carries {recoveryPoint} from {destinationVault} to {nextVault}.");
    }

    private static OrchestratorOutcome Started(OrchestratorEvent incoming, string action, string copyJobId, string detail)
    {
        OrchestratorOutcome outcome = incoming.Outcome(action, detail);
        outcome.Items.Add(copyJobId);
        return outcome;
    }

    /// <summary>The same hop of the same recovery point always sends the same token, so AWS starts it once.</summary>
    private static string Token(string recoveryPoint, string destinationVault)
    {
        using var sha = SHA256.Create();
        byte[] hash = sha.ComputeHash(Encoding.UTF8.GetBytes(recoveryPoint + "|" + destinationVault));
        return BitConverter.ToString(hash, 0, 16).Replace("-", "").ToLowerInvariant();
    }
}
