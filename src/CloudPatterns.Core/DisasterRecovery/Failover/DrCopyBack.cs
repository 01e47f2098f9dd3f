using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Aws.Backup;
using CloudPatterns.Core.Deployment;
using CloudPatterns.Core.Stacks;

namespace CloudPatterns.Core.DisasterRecovery.Failover;

/// <summary>
/// A failback's way back for the data changed in the DR account (docs/dr-failover.md, "Failback and the data changed in
/// the DR account"): each resource the failover restored there is backed up into the DR vault, the recovery point is
/// copied into production's member vault (which admits the DR account's copies), and restored in production under a
/// new name, all before traffic moves back. The application keeps its own resources: pointing it at the restored ones
/// is the operator's step, which the timeline names.
/// </summary>
internal sealed class DrCopyBack
{
    /// <summary>The member stack's outputs a copy back uses: production's vault and the role Backup restores with.</summary>
    private const string VaultArnOutput = "VaultArn";
    private const string BackupRoleOutput = "BackupRoleArn";

    private readonly AwsTarget dr;
    private readonly AwsTarget production;
    private readonly DrFailoverPlan plan;
    private readonly Action<string> report;

    public DrCopyBack(AwsTarget dr, AwsTarget production, DrFailoverPlan plan, Action<string> report)
    {
        this.dr = dr;
        this.production = production;
        this.plan = plan;
        this.report = report;
    }

    /// <summary>One resource to bring back: what the failover restored in the DR account, and the name it gets in production.</summary>
    internal sealed record Item(string SourceResourceArn, RestorableKind Kind, string DrName, string DrResourceArn, string ProductionName);

    /// <summary>Production's member vault (ARN) and restore role, read from the member stack; null when it is not deployed.</summary>
    internal sealed record Destination(string VaultArn, string VaultName, string RoleArn);

    /// <summary>
    /// What the failover restored in the DR account that still exists (the restores named after their sources), and
    /// where it goes back to. A failover that restored nothing leaves nothing to copy back.
    /// </summary>
    public static async Task<(List<Item> Items, Destination? To)> ReadAsync(AwsTarget source, AwsTarget dr, IEnumerable<string> sourceArns, string runTail, List<string> problems, CancellationToken cancellationToken)
    {
        var items = new List<Item>();
        foreach (string arn in sourceArns.OrderBy(a => a, StringComparer.Ordinal))
        {
            if (AwsArn.TryParse(arn) is not { } parsed || RestorableKind.For(ResourceTypeOf(parsed)) is not { NamedByCaller: true } kind)
            {
                continue;
            }

            string drName = DrFailoverPlan.FailoverName(parsed.ResourceName);
            if (await Transient.RetryAsync(token => kind.DescribeAsync(dr, drName, token), cancellationToken).ConfigureAwait(false) is { Arn: { } drArn })
            {
                items.Add(new Item(arn, kind, drName, drArn, DrFailoverPlan.Truncate($"failback-{parsed.ResourceName}-{runTail}", 63)));
            }
        }

        if (items.Count == 0)
        {
            return (items, null);
        }

        PatternStack? member = await new StackDeployment(source).DescribeAsync(CrossAccountBackupSetup.MemberPlanStack, cancellationToken).ConfigureAwait(false);
        if (member is null || !member.Outputs.TryGetValue(VaultArnOutput, out var vaultArn) || !member.Outputs.TryGetValue(BackupRoleOutput, out var role))
        {
            problems.Add($"{items.Count} resource(s) restored in the DR account ({string.Join(", ", items.Select(i => i.DrName))}) hold what changed there, but {source.AccountId} {source.Region} has no {CrossAccountBackupSetup.MemberPlanStack} stack to copy them back into: run Set-CrossAccountBackup -DrAccountId {dr.AccountId} for it first.");
            return (items, null);
        }

        return (items, new Destination(vaultArn, vaultArn.Substring(vaultArn.LastIndexOf(':') + 1), role));
    }

    /// <summary>Backs up, copies back and restores every item at once; the detail names what the operator points the application at.</summary>
    public async Task RunAsync(IReadOnlyList<Item> items, Destination to, string drRoleArn, DrTimelineStep step, CancellationToken cancellationToken)
    {
        var restored = await Task.WhenAll(items.Select(item => BringBackAsync(item, to, drRoleArn, cancellationToken))).ConfigureAwait(false);
        step.Detail = string.Join("; ", restored) +
            $". The application still uses its own resources: point it at the restored ones (for a Multi-AZ stack, restore its database from the recovery point copied into vault {to.VaultName}, or repoint its clients), then delete the originals.";
    }

    private async Task<string> BringBackAsync(Item item, Destination to, string drRoleArn, CancellationToken cancellationToken)
    {
        string token = $"{plan.RunId}-{item.DrName}";
        report($"Backing up {item.DrResourceArn} in the DR account");
        StartBackupJobResponse backup = await Transient.RetryAsync(t => dr.Backup.StartBackupJobAsync(
            new StartBackupJobRequest { BackupVaultName = plan.Request.BackupVaultName, ResourceArn = item.DrResourceArn, IamRoleArn = drRoleArn, IdempotencyToken = token }, t), cancellationToken).ConfigureAwait(false);
        await WaitAsync($"Backup job {backup.BackupJobId} of {item.DrResourceArn}", async t => (await dr.Backup.DescribeBackupJobAsync(new DescribeBackupJobRequest { BackupJobId = backup.BackupJobId }, t).ConfigureAwait(false)) is var job ? (job.State, job.StatusMessage) : default, cancellationToken).ConfigureAwait(false);

        report($"Copying {backup.RecoveryPointArn} to {to.VaultArn}");
        StartCopyJobResponse copy = await Transient.RetryAsync(t => dr.Backup.StartCopyJobAsync(
            new StartCopyJobRequest { RecoveryPointArn = backup.RecoveryPointArn, SourceBackupVaultName = plan.Request.BackupVaultName, DestinationBackupVaultArn = to.VaultArn, IamRoleArn = drRoleArn, IdempotencyToken = token }, t), cancellationToken).ConfigureAwait(false);
        string? copied = null;
        await WaitAsync($"Copy job {copy.CopyJobId} of {backup.RecoveryPointArn}", async t =>
        {
            CopyJob? job = (await dr.Backup.DescribeCopyJobAsync(new DescribeCopyJobRequest { CopyJobId = copy.CopyJobId }, t).ConfigureAwait(false)).CopyJob;
            copied = job?.DestinationRecoveryPointArn;
            return (job?.State, job?.StatusMessage);
        }, cancellationToken).ConfigureAwait(false);

        report($"Restoring {copied} in production as {item.ProductionName}");
        // Into production's own database network: the copy's metadata names the DR account's, which production lacks.
        var options = new DrValidationOptions { BackupVaultName = to.VaultName, IamRoleArn = to.RoleArn, DatabasePlacement = DrRestores.DatabasePlacement(plan.ProductionNetwork) };
        var point = new RecoveryPointByBackupVault { RecoveryPointArn = copied, ResourceArn = item.DrResourceArn, ResourceType = item.Kind.ResourceType, BackupVaultName = to.VaultName };
        string? restoreJob = await RestoreSteps.StartRestoreAsync(production, options, point, item.Kind, item.ProductionName, token, () => Task.CompletedTask, cancellationToken, cancellationToken).ConfigureAwait(false);
        await WaitAsync($"Restore job {restoreJob} of {copied}", async t =>
            (await production.Backup.DescribeRestoreJobAsync(new DescribeRestoreJobRequest { RestoreJobId = restoreJob }, t).ConfigureAwait(false)) is var job ? (job.Status, job.StatusMessage) : default, cancellationToken).ConfigureAwait(false);
        return $"{item.Kind.ResourceType} {item.DrName} backed up, copied to vault {to.VaultName} of {production.AccountId} {production.Region} ({copied}) and restored there as {item.ProductionName}";
    }

    /// <summary>Polls a job until COMPLETED; FAILED, ABORTED or EXPIRED, or the request's timeout, stops the failback before traffic moves.</summary>
    private async Task WaitAsync(string what, Func<CancellationToken, Task<(string? State, string? Message)>> describe, CancellationToken cancellationToken)
    {
        DateTime deadline = DateTime.UtcNow + plan.Request.Timeout;
        while (true)
        {
            var (state, message) = await Transient.RetryAsync(describe, cancellationToken).ConfigureAwait(false);
            if (state == "COMPLETED")
            {
                return;
            }

            if (state is "FAILED" or "ABORTED" or "EXPIRED" || DateTime.UtcNow > deadline)
            {
                throw new DrFailoverException($"{what} is {state} ({message}); the data changed in the DR account is not back in production, and traffic was not moved back.");
            }

            await Task.Delay(plan.Request.PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The Backup resource type of a restored resource's source: an RDS ARN names a DB instance (<c>db:</c>) or an
    /// Aurora cluster (<c>cluster:</c>), which are restored, described and deleted differently.
    /// </summary>
    internal static string? ResourceTypeOf(AwsArn arn) => arn.Service switch
    {
        "rds" when arn.Resource.StartsWith("cluster:", StringComparison.Ordinal) => "Aurora",
        "rds" when arn.Resource.StartsWith("db:", StringComparison.Ordinal) => "RDS",
        "dynamodb" => "DynamoDB",
        _ => null,
    };
}
