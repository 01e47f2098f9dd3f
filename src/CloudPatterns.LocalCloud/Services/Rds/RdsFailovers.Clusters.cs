using System.Security.Cryptography;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Resources;

namespace CloudPatterns.LocalCloud.Services.Rds;

/// <summary>
/// Aurora cluster failovers (docs/localcloud-rds.md, "Aurora failover"): a reader is promoted to writer after
/// <see cref="ClusterDurationSeconds"/> simulated seconds, the cluster "failing-over" meanwhile; the cluster and
/// reader endpoints follow the writer. Events RDS-EVENT-0073 (cross-AZ) or 0072 (same AZ) at the start, 0071 at
/// the end. An outage of the writer's zone fails the cluster over to a reader in another zone, if it has one.
/// </summary>
internal sealed partial class RdsFailovers
{
    /// <summary>How long a cluster failover takes in LocalCloud (see the doc for AWS's figures).</summary>
    public static readonly (int Min, int Max) ClusterDurationSeconds = (30, 60);

    private readonly Dictionary<string, (DateTimeOffset Completes, string Target)> clusterFailovers = new(StringComparer.Ordinal);

    /// <summary>The reader a cluster is failing over to, or null when it is not failing over.</summary>
    public string? ClusterFailoverTarget(CloudResource cluster)
    {
        lock (gate)
        {
            return clusterFailovers.TryGetValue(cluster.Arn, out var failover) ? failover.Target : null;
        }
    }

    /// <summary>Starts promoting <paramref name="target"/> (a member of the cluster); false when a failover is under way.</summary>
    public bool StartCluster(CloudResource cluster, CloudResource writer, CloudResource target, DateTimeOffset? at = null)
    {
        lock (gate)
        {
            if (clusterFailovers.ContainsKey(cluster.Arn))
            {
                return false;
            }

            var started = at ?? clock.GetUtcNow();
            var completes = started + TimeSpan.FromSeconds(RandomNumberGenerator.GetInt32(ClusterDurationSeconds.Min, ClusterDurationSeconds.Max + 1));
            clusterFailovers[cluster.Arn] = (completes, target.Name);
            var crossZone = Primary(writer) != Primary(target);
            Record(cluster, crossZone ? "RDS-EVENT-0073" : "RDS-EVENT-0072", $"Started {(crossZone ? "cross AZ" : "same AZ")} failover to DB instance: {target.Name}", started);
            return true;
        }
    }

    /// <summary>
    /// The member a failover promotes when none is named: a reader outside <paramref name="avoidZone"/>, the lowest
    /// promotion tier first (all LocalCloud instances are tier 1), then the oldest. Null when there is none.
    /// </summary>
    public static CloudResource? PromotionCandidate(IReadOnlyList<CloudResource> members, CloudResource writer, string? avoidZone = null) =>
        members.Where(member => member.Name != writer.Name && Primary(member) != avoidZone)
            .OrderBy(member => int.TryParse(member.Attributes.GetValueOrDefault("PromotionTier"), out var tier) ? tier : 1)
            .FirstOrDefault();

    /// <summary>The writer and the reader a failover of the cluster promotes, or AWS's refusal (shared with FIS).</summary>
    public (CloudResource Writer, CloudResource Target) ClusterFailover(CloudResource cluster, string? targetIdentifier)
    {
        if (ClusterFailoverTarget(cluster) is not null)
        {
            throw new AwsServiceException(400, "InvalidDBClusterStateFault", $"DB cluster {cluster.Name} is not in available state.");
        }

        var members = AuroraClusters.Members(resources, cluster);
        var writer = AuroraClusters.Writer(members, cluster)
            ?? throw new AwsServiceException(400, "InvalidDBClusterStateFault", $"DB cluster {cluster.Name} has no DB instances to fail over to.");
        if (targetIdentifier is null)
        {
            return (writer, PromotionCandidate(members, writer)
                ?? throw new AwsServiceException(400, "InvalidDBClusterStateFault", $"DB cluster {cluster.Name} has no reader DB instance to fail over to."));
        }

        var target = resources.Find(ResourceKind.RdsDbInstance, cluster.AccountId, cluster.Region, targetIdentifier.ToLowerInvariant()) ?? throw RdsService.NotFound(targetIdentifier);
        return members.Any(member => member.Name == target.Name) && target.Name != writer.Name
            ? (writer, target)
            : throw new AwsServiceException(400, "InvalidDBInstanceState", $"DB instance {target.Name} is not a reader of DB cluster {cluster.Name}.");
    }

    private void SettleClusters()
    {
        var now = clock.GetUtcNow();
        foreach (var (arn, failover) in clusterFailovers.Where(entry => entry.Value.Completes <= now).ToList())
        {
            clusterFailovers.Remove(arn);
            if (resources.Find(arn) is not { } cluster)
            {
                continue;
            }

            var attributes = new Dictionary<string, string>(cluster.Attributes, StringComparer.Ordinal) { [AuroraClusters.WriterAttribute] = failover.Target };
            resources.Replace(cluster with { Attributes = attributes });
            Record(cluster, "RDS-EVENT-0071", $"Completed failover to DB instance: {failover.Target}", failover.Completes);
        }
    }

    /// <summary>Every cluster whose writer is in the failed zone fails over to a reader in another zone, when it has one.</summary>
    private void ClusterZoneOutage(string accountId, string region, string zone, DateTimeOffset at)
    {
        foreach (var cluster in resources.List(ResourceKind.AuroraCluster, accountId, region))
        {
            var members = AuroraClusters.Members(resources, cluster);
            if (AuroraClusters.Writer(members, cluster) is { } writer && Primary(writer) == zone && PromotionCandidate(members, writer, zone) is { } target)
            {
                StartCluster(cluster, writer, target, at);
            }
        }
    }
}
