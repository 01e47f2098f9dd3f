using System.Text.Json;

namespace CloudPatterns.LocalCloud.Tests.Rds;

/// <summary>
/// Aurora DB clusters over boto3 (python/aurora_client.py): a CloudFormation cluster with a writer and two readers
/// spread over three zones; FailoverDBCluster promotes a reader in 30–60 simulated seconds with the endpoints
/// unchanged and RDS-EVENT-0073/0071; an outage of the writer's zone promotes a reader elsewhere; each call's refusals;
/// FIS aws:rds:failover-db-cluster.
/// </summary>
public sealed class AuroraClusterTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task A_failover_promotes_a_reader_of_another_zone_and_the_endpoints_follow_the_writer()
    {
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "aurora_client.py", "failover", "aur");

        Assert.Equal("CREATE_COMPLETE", result.GetProperty("status").GetString());
        Assert.Equal("[true,true,\"5432\",true]", result.GetProperty("outputs").GetRawText());
        Assert.Equal("[\"aurora-postgresql\",true,[\"us-east-2a\",\"us-east-2b\",\"us-east-2c\"],1,[{\"Key\":\"tier\",\"Value\":\"data\"}]]", result.GetProperty("cluster").GetRawText());
        Assert.Equal("{\"aur-1\":\"us-east-2a\",\"aur-2\":\"us-east-2b\",\"aur-3\":\"us-east-2c\"}", result.GetProperty("zones").GetRawText());
        var before = result.GetProperty("before");
        Assert.Equal("[\"available\",[\"aur-1\"]", before.GetRawText()[..before.GetRawText().IndexOf("]", StringComparison.Ordinal)] + "]");
        var (endpoint, reader) = (before[2].GetString()!, before[3].GetString()!);
        Assert.Matches(@"^aur\.cluster-c[0-9a-f]{11}\.us-east-2\.rds\.amazonaws\.com$", endpoint);
        Assert.Equal(endpoint.Replace(".cluster-", ".cluster-ro-", StringComparison.Ordinal), reader);

        Assert.Equal("InvalidDBInstanceState: DB instance aur-1 is not a reader of DB cluster aur.", result.GetProperty("toWriter").GetString());
        Assert.Equal("DBInstanceNotFound: DBInstance nobody not found.", result.GetProperty("toMissing").GetString());
        Assert.Equal("DBClusterNotFoundFault: DBCluster nothere not found.", result.GetProperty("missingCluster").GetString());
        Assert.Equal("failing-over", result.GetProperty("started").GetString());
        Assert.Equal("InvalidDBClusterStateFault: DB cluster aur is not in available state.", result.GetProperty("again").GetString());
        Assert.Equal(JsonSerializer.Serialize(new object[] { "failing-over", new[] { "aur-1" }, endpoint, reader }), result.GetProperty("during").GetRawText());
        Assert.Equal(JsonSerializer.Serialize(new object[] { "available", new[] { "aur-2" }, endpoint, reader }), result.GetProperty("after").GetRawText());
        Assert.Equal("[\"Started cross AZ failover to DB instance: aur-2\",\"Completed failover to DB instance: aur-2\"]", result.GetProperty("events").GetRawText());
        Assert.InRange(result.GetProperty("seconds").GetDouble(), 30, 60);

        Assert.Equal("failing-over", result.GetProperty("outageDuring").GetString());
        Assert.Equal("[\"available\",true,true]", result.GetProperty("afterOutage").GetRawText());
        Assert.Equal("InvalidDBClusterStateFault: Cluster cannot be deleted, it still contains DB instances in non-deleting state.", result.GetProperty("deleteWithInstances").GetString());
        Assert.Equal("[\"DELETE_COMPLETE\",\"DBClusterNotFoundFault: DBCluster aur not found.\"]", result.GetProperty("deleted").GetRawText());
    }

    [Fact]
    public async Task The_cluster_calls_refuse_what_RDS_refuses()
    {
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "aurora_client.py", "api", "aurapi");

        Assert.StartsWith("InvalidParameterValue: The parameter DBClusterIdentifier is not a valid identifier.", result.GetProperty("badName").GetString());
        Assert.StartsWith("InvalidParameterValue: Invalid DB engine: oracle-ee.", result.GetProperty("badEngine").GetString());
        Assert.Equal("InvalidParameterValue: The parameter MasterUsername must be provided and must not be blank.", result.GetProperty("noUser").GetString());
        Assert.Equal("InvalidParameterValue: The parameter MasterUserPassword must be provided and must not be blank.", result.GetProperty("noPassword").GetString());
        Assert.Equal("[\"aurapi\",\"creating\",3306,[]]", result.GetProperty("created").GetRawText());
        Assert.Equal("DBClusterAlreadyExistsFault: DB Cluster already exists", result.GetProperty("duplicate").GetString());
        Assert.Equal("InvalidDBClusterStateFault: DB cluster aurapi has no DB instances to fail over to.", result.GetProperty("noReader").GetString());
        Assert.StartsWith("InvalidParameterValue: Invalid backup retention period: 36.", result.GetProperty("badRetention").GetString());
        Assert.Equal("[true,7]", result.GetProperty("modified").GetRawText());
        Assert.Equal("InvalidParameterCombination: FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.", result.GetProperty("noSnapshotChoice").GetString());
        Assert.Equal("InvalidParameterCombination: Cannot delete protected Cluster, please disable deletion protection and try again.", result.GetProperty("protected").GetString());
        Assert.Equal("deleting", result.GetProperty("deleted").GetString());
        Assert.Equal("DBClusterNotFoundFault: DBCluster aurapi not found.", result.GetProperty("gone").GetString());
        var orphan = Assert.Single(result.GetProperty("orphan").EnumerateArray()).GetString();
        Assert.Contains("DBCluster no-such-cluster not found.", orphan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_FIS_experiment_fails_the_tagged_cluster_over_to_a_reader()
    {
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "aurora_client.py", "fis", "aurfis");

        Assert.StartsWith("ValidationException:", result.GetProperty("wrongTarget").GetString());
        Assert.Equal("failing-over", result.GetProperty("during").GetString());
        Assert.Equal("[\"completed\",\"aws:rds:cluster\"]", result.GetProperty("experiment").GetRawText());
        Assert.Equal("[[\"aurfis-1\"],\"available\",true]", result.GetProperty("writer").GetRawText());
    }

    [Fact]
    public async Task CreateDBInstance_makes_stand_alone_instances_and_cluster_members_with_the_checks_RDS_makes()
    {
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "aurora_client.py", "instances", "aurinst");

        Assert.StartsWith("InvalidParameterValue: The parameter DBInstanceIdentifier is not a valid identifier.", result.GetProperty("badName").GetString());
        Assert.StartsWith("InvalidParameterValue: Invalid DB engine: postgresql.", result.GetProperty("badEngine").GetString());
        Assert.StartsWith("InvalidParameterValue: Invalid DB Instance class: t3.small.", result.GetProperty("badClass").GetString());
        Assert.StartsWith("InvalidParameterValue: The parameter AllocatedStorage must be provided for postgres", result.GetProperty("noStorage").GetString());
        Assert.Equal("InvalidParameterCombination: Invalid storage size for engine name postgres and storage type gp2: 5", result.GetProperty("smallStorage").GetString());
        Assert.Equal("InvalidParameterValue: The parameter MasterUsername must be provided and must not be blank.", result.GetProperty("noUser").GetString());
        Assert.Equal("InvalidParameterCombination: You can't specify MasterUserPassword and ManageMasterUserPassword at the same time.", result.GetProperty("twoPasswords").GetString());
        Assert.Equal("InvalidParameterCombination: Requesting a specific availability zone is not valid for Multi-AZ instances.", result.GetProperty("zoneAndMultiAz").GetString());
        Assert.StartsWith("InvalidParameterValue: An aurora-postgresql DB instance is a member of a DB cluster", result.GetProperty("auroraAlone").GetString());
        Assert.Equal("DBClusterNotFoundFault: DBCluster no-such-cluster not found.", result.GetProperty("noCluster").GetString());
        Assert.Equal("[\"aurinst\",\"creating\",true,\"us-east-2a\",\"us-east-2b\",20,[{\"Key\":\"tier\",\"Value\":\"data\"}]]", result.GetProperty("created").GetRawText());
        Assert.Equal("DBInstanceAlreadyExists: DB instance already exists", result.GetProperty("duplicate").GetString());
        Assert.StartsWith("InvalidParameterCombination: The engine name requested for your DB instance (aurora-postgresql) doesn't match", result.GetProperty("wrongEngine").GetString());
        Assert.StartsWith("InvalidParameterCombination: The requested DB instance will be a member of DB cluster aurinst-c, which sets MasterUserPassword", result.GetProperty("memberPassword").GetString());
        Assert.Equal("[[\"aurinst-c-1\",true],[\"aurinst-c-2\",false]]", result.GetProperty("cluster").GetRawText());
        Assert.Equal("[\"us-east-2a\",\"us-east-2b\"]", result.GetProperty("memberZones").GetRawText());
        var template = result.GetProperty("template");
        Assert.Contains("The parameter MasterUserPassword must be provided and must not be blank.", Assert.Single(template.GetProperty("nopass").EnumerateArray()).GetString(), StringComparison.Ordinal);
        Assert.Contains("Invalid DB engine: mysql.", Assert.Single(template.GetProperty("mysql").EnumerateArray()).GetString(), StringComparison.Ordinal);
    }
}
