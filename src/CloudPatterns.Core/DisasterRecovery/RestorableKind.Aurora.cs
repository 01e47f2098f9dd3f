using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using CloudPatterns.Aws;
using CloudPatterns.Aws.Restore;

namespace CloudPatterns.Core.DisasterRecovery;

// The Aurora cluster kind (docs/localcloud-backup-kinds.md, "Aurora clusters"; docs/disaster-recovery.md).
internal abstract partial class RestorableKind
{
    /// <summary>The writer a check adds to a restored Aurora cluster: its name, kept within RDS's 63 characters.</summary>
    internal static string AuroraWriterName(string cluster) => (cluster.Length > 56 ? cluster.Substring(0, 56).TrimEnd('-') : cluster) + "-writer";

    /// <summary>
    /// An Aurora cluster. AWS Backup restores the cluster without DB instances, so a cluster is usable only once it has
    /// a writer: when the restored cluster has none, the check adds one (<see cref="AuroraWriterName"/>, CreateDBInstance in
    /// the cluster) and the cluster counts as usable when the writer is available behind the cluster endpoint.
    /// Removal deletes every instance of the cluster, then the cluster.
    /// </summary>
    private sealed class AuroraCluster : RestorableKind
    {
        /// <summary>The class of the writer a check adds: the smallest class both Aurora engines offer on Graviton.</summary>
        public const string WriterClass = "db.t4g.medium";

        /// <summary>How long a check waits for the writer to become available.</summary>
        private static readonly TimeSpan WriterWait = TimeSpan.FromMinutes(20);

        public override string ResourceType => "Aurora";

        protected override string[] NameKeys { get; } = { "DBClusterIdentifier" };

        public override async Task<(string? Arn, bool Available, string Status)?> DescribeAsync(AwsTarget target, string name, CancellationToken cancellationToken)
        {
            DBCluster? cluster = await FindAsync(target, name, cancellationToken).ConfigureAwait(false);
            if (cluster is null || cluster.Status != "available")
            {
                return cluster is null ? null : (cluster.DBClusterArn, false, cluster.Status ?? "unknown");
            }

            string? writer = cluster.DBClusterMembers.FirstOrDefault(member => member.IsClusterWriter == true)?.DBInstanceIdentifier;
            string added = "";
            if (writer is null)
            {
                writer = AuroraWriterName(name);
                await target.Rds.CreateDBInstanceAsync(
                    new CreateDBInstanceRequest { DBInstanceIdentifier = writer, DBInstanceClass = WriterClass, Engine = cluster.Engine, DBClusterIdentifier = name },
                    cancellationToken).ConfigureAwait(false);
                added = " (added for the check: the restore made no instance)";
            }

            // A new writer takes minutes in AWS; LocalCloud's is available at once, so the first read ends the wait there.
            DateTime deadline = DateTime.UtcNow + WriterWait;
            string writerStatus;
            while (true)
            {
                DescribeDBInstancesResponse instances = await target.Rds.DescribeDBInstancesAsync(new DescribeDBInstancesRequest { DBInstanceIdentifier = writer }, cancellationToken).ConfigureAwait(false);
                writerStatus = instances.DBInstances.FirstOrDefault()?.DBInstanceStatus ?? "unknown";
                if (writerStatus == "available" || DateTime.UtcNow > deadline)
                {
                    break;
                }

                await Task.Delay(TimeSpan.FromSeconds(15), cancellationToken).ConfigureAwait(false);
            }

            bool reachable = writerStatus == "available" && !string.IsNullOrEmpty(cluster.Endpoint);
            return (cluster.DBClusterArn, reachable, $"available; writer {writer}{added} {writerStatus} behind {cluster.Endpoint}");
        }

        public override async Task DeleteAsync(AwsTarget target, string name, CancellationToken cancellationToken)
        {
            if (await FindAsync(target, name, cancellationToken).ConfigureAwait(false) is not { } cluster)
            {
                return;
            }

            foreach (DBClusterMember member in cluster.DBClusterMembers)
            {
                try
                {
                    await target.Rds.DeleteDBInstanceAsync(new DeleteDBInstanceRequest { DBInstanceIdentifier = member.DBInstanceIdentifier, DeleteAutomatedBackups = true }, cancellationToken).ConfigureAwait(false);
                }
                catch (AmazonServiceException error) when (IsNotFound(error, "DBInstanceNotFound"))
                {
                    // Deleted meanwhile: nothing left to delete.
                }
            }

            await target.Rds.DeleteDBClusterAsync(new DeleteDBClusterRequest { DBClusterIdentifier = name, SkipFinalSnapshot = true }, cancellationToken).ConfigureAwait(false);
        }

        private static async Task<DBCluster?> FindAsync(AwsTarget target, string name, CancellationToken cancellationToken)
        {
            try
            {
                DescribeDBClustersResponse found = await target.Rds.DescribeDBClustersAsync(new DescribeDBClustersRequest { DBClusterIdentifier = name }, cancellationToken).ConfigureAwait(false);
                return found.DBClusters.FirstOrDefault();
            }
            catch (AmazonServiceException error) when (IsNotFound(error, "DBClusterNotFoundFault"))
            {
                return null;
            }
        }
    }
}
