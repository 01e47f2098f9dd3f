using CloudPatterns.Aws;
using CloudPatterns.Aws.Restore;
using CloudPatterns.Core.Deployment;
using CloudPatterns.Core.DisasterRecovery;
using CloudPatterns.Tests;

namespace CloudPatterns.Core.Tests.DisasterRecovery;

/// <summary>
/// The Aurora restorable kind against LocalCloud over SigV4: a restored cluster has no instances (AWS Backup makes
/// none), so the check adds a writer and counts the cluster usable when that writer is available behind the cluster
/// endpoint; a second check adds nothing; removal deletes the writer and the cluster.
/// </summary>
public sealed class AuroraRestorableKindTests(LocalCloudFixture cloud) : ProductionTargetTests(cloud)
{
    private const string Cluster = """
        Resources:
          Cluster:
            Type: AWS::RDS::DBCluster
            Properties: {DBClusterIdentifier: drv-kind-aurora, Engine: aurora-mysql, MasterUsername: app, ManageMasterUserPassword: true}
        """;

    [Fact]
    public async Task A_restored_cluster_is_usable_once_the_writer_the_check_adds_is_available_and_is_removed_with_it()
    {
        RestorableKind kind = RestorableKind.For("Aurora")!;
        var metadata = new Dictionary<string, string> { ["DBClusterIdentifier"] = "orders", ["Engine"] = "aurora-mysql" };
        kind.NameRestore(metadata, "drv-abc123-1");
        Assert.Equal("drv-abc123-1", metadata["DBClusterIdentifier"]);
        Assert.Contains("Aurora", RestorableKind.SupportedTypes);
        Assert.Null(await kind.DescribeAsync(Target, "drv-kind-missing", CancellationToken.None));

        await new StackDeployment(Target).DeployAsync(new StackDeploymentRequest("drv-kind-aurora", Cluster), StackDeploymentMode.Create);
        var before = (await Target.Rds.DescribeDBClustersAsync(new DescribeDBClustersRequest { DBClusterIdentifier = "drv-kind-aurora" })).DBClusters.Single();
        Assert.Empty(before.DBClusterMembers);

        var checkedOnce = await kind.DescribeAsync(Target, "drv-kind-aurora", CancellationToken.None);
        Assert.True(checkedOnce!.Value.Available, checkedOnce.Value.Status);
        Assert.Equal(before.DBClusterArn, checkedOnce.Value.Arn);
        Assert.Equal($"available; writer drv-kind-aurora-writer (added for the check: the restore made no instance) available behind {before.Endpoint}", checkedOnce.Value.Status);
        var member = (await Target.Rds.DescribeDBClustersAsync(new DescribeDBClustersRequest { DBClusterIdentifier = "drv-kind-aurora" })).DBClusters.Single().DBClusterMembers.Single();
        Assert.Equal(("drv-kind-aurora-writer", true), (member.DBInstanceIdentifier, member.IsClusterWriter));

        var checkedTwice = await kind.DescribeAsync(Target, "drv-kind-aurora", CancellationToken.None);
        Assert.Equal($"available; writer drv-kind-aurora-writer available behind {before.Endpoint}", checkedTwice!.Value.Status);

        await kind.DeleteAsync(Target, "drv-kind-aurora", CancellationToken.None);
        Assert.Null(await kind.DescribeAsync(Target, "drv-kind-aurora", CancellationToken.None));
        var instances = await Target.Rds.DescribeDBInstancesAsync(new DescribeDBInstancesRequest());
        Assert.DoesNotContain(instances.DBInstances, instance => instance.DBInstanceIdentifier == "drv-kind-aurora-writer");
    }

    [Fact]
    public void The_writer_a_check_adds_keeps_within_RDS_identifier_length()
    {
        Assert.Equal(63, RestorableKind.AuroraWriterName(new string('a', 60)).Length);
        Assert.Equal("drv-1-writer", RestorableKind.AuroraWriterName("drv-1"));
    }
}
