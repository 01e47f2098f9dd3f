using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Aws.Backup;

namespace CloudPatterns.Core.DisasterRecovery.Failover;

/// <summary>
/// The restores of a failover or drill in the DR account, all at once: each recovery point restored under its planned
/// name and waited for until the resource is available. A restored resource that exists already (a rerun of an
/// interrupted failover) is taken over, and a restore job started again returns the first (idempotency token).
/// </summary>
internal sealed class DrRestores
{
    private readonly AwsTarget dr;
    private readonly DrFailoverPlan plan;
    private readonly Action<string> report;
    private IReadOnlyDictionary<string, string>? network;

    public DrRestores(AwsTarget dr, DrFailoverPlan plan, Action<string> report)
    {
        this.dr = dr;
        this.plan = plan;
        this.report = report;
    }

    /// <summary>
    /// Restores into the network of <paramref name="stackOutputs"/> (the pilot light's, or a drill's copy): a database
    /// goes into its DB subnet group behind its database security group, which admits the backend tier, so the
    /// application reaches it.
    /// </summary>
    public DrRestores Into(IReadOnlyDictionary<string, string> stackOutputs)
    {
        network = stackOutputs;
        return this;
    }

    /// <summary>The restore metadata that places a database in <see cref="network"/>; null when it names no subnet group.</summary>
    internal static IReadOnlyDictionary<string, string>? DatabasePlacement(IReadOnlyDictionary<string, string>? outputs) =>
        outputs is not null && outputs.TryGetValue(DrFailoverPlan.DatabaseSubnetGroupOutput, out var subnetGroup) && outputs.TryGetValue(DrFailoverPlan.DatabaseSecurityGroupOutput, out var securityGroup)
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["DBSubnetGroupName"] = subnetGroup,
                ["VpcSecurityGroupIds"] = $"[\"{securityGroup}\"]",
            }
            : null;

    public async Task RunAsync(DrTimelineStep step, CancellationToken cancellationToken)
    {
        var options = new DrValidationOptions
        {
            BackupVaultName = plan.Request.BackupVaultName,
            IamRoleArn = plan.Request.IamRoleArn ?? (plan.PilotLight.Outputs.TryGetValue(DrFailoverPlan.RestoreRoleOutput, out var role) ? role : null),
            DatabasePlacement = DatabasePlacement(network),
        };
        await Task.WhenAll(plan.Restores.Select(restore => RestoreAsync(restore.Resource, restore.Point, restore.Kind, options, cancellationToken))).ConfigureAwait(false);
        step.Detail = string.Join("; ", plan.Restores.Select(r => $"{r.Resource.ResourceType} {r.Resource.RestoredResourceArn ?? r.Resource.RestoredName} {r.Resource.Status}"));
    }

    /// <summary>One check per restored resource: available now.</summary>
    public async Task<List<EvidenceCheck>> CheckAsync(CancellationToken cancellationToken)
    {
        var checks = new List<EvidenceCheck>();
        foreach (var (resource, _, kind) in plan.Restores)
        {
            string name = kind.RestoredName(resource.RestoredName, resource.RestoredResourceArn) ?? resource.RestoredName;
            var found = await Transient.RetryAsync(token => kind.DescribeAsync(dr, name, token), cancellationToken).ConfigureAwait(false);
            checks.Add(RestoreSteps.Check(DrValidation.RestoredResourceAvailable, found?.Available == true,
                found is null ? $"{kind.ResourceType} {name} restored from {resource.RecoveryPointArn} does not exist." : $"{kind.ResourceType} {name} restored from {resource.RecoveryPointArn} is {found.Value.Status}."));
        }

        return checks;
    }

    private async Task RestoreAsync(DrFailoverResource resource, RecoveryPointByBackupVault point, RestorableKind kind, DrValidationOptions options, CancellationToken cancellationToken)
    {
        DateTime deadline = DateTime.UtcNow + plan.Request.Timeout;
        var existing = kind.NamedByCaller ? await Transient.RetryAsync(token => kind.DescribeAsync(dr, resource.RestoredName, token), cancellationToken).ConfigureAwait(false) : null;
        if (existing is null)
        {
            report($"Restoring {resource.SourceResourceArn} as {resource.RestoredName}");
            string token = plan.Request.Mode == DrFailoverMode.Drill
                ? $"{plan.RunId}-{resource.RestoredName}"
                : $"{resource.RestoredName}-{point.RecoveryPointArn!.Substring(Math.Max(0, point.RecoveryPointArn.Length - 24))}";
            resource.RestoreJobId = await RestoreSteps.StartRestoreAsync(dr, options, point, kind, resource.RestoredName, token, () => Task.CompletedTask, cancellationToken, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                DescribeRestoreJobResponse job = await Transient.RetryAsync(t => dr.Backup.DescribeRestoreJobAsync(new DescribeRestoreJobRequest { RestoreJobId = resource.RestoreJobId }, t), cancellationToken).ConfigureAwait(false);
                resource.Status = job.Status ?? "PENDING";
                resource.RestoredResourceArn = job.CreatedResourceArn ?? resource.RestoredResourceArn;
                if (job.Status == "COMPLETED")
                {
                    break;
                }

                if (job.Status is "FAILED" or "ABORTED" || DateTime.UtcNow > deadline)
                {
                    throw new DrFailoverException($"Restore job {resource.RestoreJobId} of {resource.SourceResourceArn} is {job.Status} ({job.StatusMessage}); the DR side is not ready and traffic was not moved.");
                }

                report($"Restore job {resource.RestoreJobId}: {job.Status}");
                await Task.Delay(plan.Request.PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            report($"{kind.ResourceType} {resource.RestoredName} was restored by an earlier run; taking it over");
        }

        string name = kind.RestoredName(resource.RestoredName, resource.RestoredResourceArn) ?? resource.RestoredName;
        while (true)
        {
            var found = await Transient.RetryAsync(token => kind.DescribeAsync(dr, name, token), cancellationToken).ConfigureAwait(false);
            if (found?.Available == true)
            {
                resource.RestoredResourceArn = found.Value.Arn ?? resource.RestoredResourceArn;
                resource.Status = "Available";
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new DrFailoverException($"{kind.ResourceType} {name} is {found?.Status ?? "missing"} after {plan.Request.Timeout}; the DR side is not ready and traffic was not moved.");
            }

            await Task.Delay(plan.Request.PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }
}
