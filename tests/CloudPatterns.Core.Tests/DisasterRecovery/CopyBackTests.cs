using CloudPatterns.Aws;
using CloudPatterns.Core.Deployment;
using CloudPatterns.Core.DisasterRecovery.Failover;
using CloudPatterns.Tests;

namespace CloudPatterns.Core.Tests.DisasterRecovery;

/// <summary>
/// What a failback copies back (docs/dr-failover.md, "Failback and the data changed in the DR account"), read against
/// LocalCloud over SigV4: an Aurora cluster the failover restored in the DR account is found as a cluster, not looked
/// for as a DB instance of the same name (which skipped it).
/// </summary>
public sealed class CopyBackTests(LocalCloudFixture cloud) : ProductionTargetTests(cloud)
{
    private const string DrAccountId = "555555555555";

    [Fact]
    public async Task An_Aurora_cluster_restored_by_the_failover_is_brought_back_as_a_cluster()
    {
        AwsTarget dr = await TargetOfAsync(DrAccountId, "us-west-2");
        string restored = DrFailoverPlan.FailoverName("orders-aurora");
        await new StackDeployment(dr).DeployAsync(new StackDeploymentRequest("copy-back-aurora", $$"""
            Resources:
              Cluster:
                Type: AWS::RDS::DBCluster
                Properties: {DBClusterIdentifier: {{restored}}, Engine: aurora-postgresql, MasterUsername: app, ManageMasterUserPassword: true}
            """), StackDeploymentMode.Create);
        string clusterArn = $"arn:aws:rds:us-east-2:{LocalCloudFixture.ProductionAccountId}:cluster:orders-aurora";
        string instanceArn = $"arn:aws:rds:us-east-2:{LocalCloudFixture.ProductionAccountId}:db:orders-aurora";
        var problems = new List<string>();

        var (items, to) = await DrCopyBack.ReadAsync(Target, dr, [clusterArn, instanceArn], "abc123", problems, CancellationToken.None);

        // The instance ARN of the same name has no restore in the DR account: only the cluster is brought back.
        var item = Assert.Single(items);
        Assert.Equal(("Aurora", restored, clusterArn), (item.Kind.ResourceType, item.DrName, item.SourceResourceArn));
        Assert.Equal($"arn:aws:rds:us-west-2:{DrAccountId}:cluster:{restored}", item.DrResourceArn);
        Assert.Equal("failback-orders-aurora-abc123", item.ProductionName);
        // Production has no member plan stack in this fixture: the copy back names what to run first.
        Assert.Null(to);
        Assert.Contains(problems, problem => problem.Contains(restored, StringComparison.Ordinal) && problem.Contains("Set-CrossAccountBackup -DrAccountId 555555555555", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("arn:aws:rds:us-east-2:333333333333:cluster:orders", "Aurora")]
    [InlineData("arn:aws:rds:us-east-2:333333333333:db:orders", "RDS")]
    [InlineData("arn:aws:dynamodb:us-east-2:333333333333:table/orders", "DynamoDB")]
    [InlineData("arn:aws:rds:us-east-2:333333333333:snapshot:orders", null)]
    public void The_kind_of_a_source_follows_its_ARN_s_resource_type(string arn, string? expected) =>
        Assert.Equal(expected, DrCopyBack.ResourceTypeOf(AwsArn.TryParse(arn)!));
}
