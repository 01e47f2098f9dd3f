using System.Text.Json;

namespace CloudPatterns.LocalCloud.Tests.Backup;

/// <summary>
/// Where a restored DB instance goes, through boto3 (python/backup_kinds_client.py "placement"): the restore's
/// metadata names its DB subnet group and security groups (RestoreDBInstanceFromDBSnapshot's parameters), which
/// DescribeDBInstances then shows; a subnet group or security group that does not exist, or a group of another VPC,
/// fails the job with RDS's code and creates nothing (docs/localcloud-backup.md, "Restore targets"). DescribeSecurityGroups
/// shows the database group admitting the backend tier's group on the database port.
/// </summary>
public sealed class RestorePlacementTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task A_restore_lands_only_in_a_subnet_group_and_security_groups_that_exist_in_one_VPC()
    {
        var production = fixture.Organization.Accounts.Single(account => account.Name == "production");
        var results = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.AdminOf(production.Id), "backup_kinds_client.py", "placement", production.Id);
        var database = results.Text("Outputs", "Database");
        var backend = results.Text("Outputs", "Backend");

        Assert.Equal("COMPLETED", results.Text("Placed", "Status"));
        var placed = results.At("PlacedInstance", "DBInstances")[0];
        Assert.Equal("placement-data", placed.Text("DBSubnetGroup", "DBSubnetGroupName"));
        Assert.Equal(database, Assert.Single(placed.GetProperty("VpcSecurityGroups").EnumerateArray()).Text("VpcSecurityGroupId"));

        // The seed instance has no placement, so neither has a restore that names none.
        Assert.Equal("COMPLETED", results.Text("Unplaced", "Status"));
        var unplaced = results.At("UnplacedInstance", "DBInstances")[0];
        Assert.False(unplaced.TryGetProperty("DBSubnetGroup", out _));
        Assert.Empty(unplaced.GetProperty("VpcSecurityGroups").EnumerateArray());

        Assert.Equal("FAILED", results.Text("UnknownSubnetGroup", "Status"));
        Assert.Contains("DBSubnetGroupNotFoundFault", results.Text("UnknownSubnetGroup", "StatusMessage"), StringComparison.Ordinal);
        Assert.Contains("no-such-subnets", results.Text("UnknownSubnetGroup", "StatusMessage"), StringComparison.Ordinal);
        Assert.Equal("FAILED", results.Text("UnknownGroup", "Status"));
        Assert.Contains("InvalidParameterValue: Invalid security group , groupId= sg-0000000000000000f", results.Text("UnknownGroup", "StatusMessage"), StringComparison.Ordinal);
        Assert.Equal("FAILED", results.Text("OtherVpcGroup", "Status"));
        Assert.Contains("InvalidParameterCombination: The DB instance and EC2 security group are in different VPCs", results.Text("OtherVpcGroup", "StatusMessage"), StringComparison.Ordinal);
        Assert.Equal(("DBInstanceNotFound", 404), results.AwsError("MissingInstance"));

        var group = Assert.Single(results.At("DatabaseGroup", "SecurityGroups").EnumerateArray());
        Assert.Equal("database tier", group.Text("Description"));
        Assert.StartsWith("vpc-", group.Text("VpcId"), StringComparison.Ordinal);
        Assert.Equal(production.Id, group.Text("OwnerId"));
        var rules = group.GetProperty("IpPermissions").EnumerateArray().ToList();
        Assert.Equal(2, rules.Count);
        Assert.All(rules, rule => Assert.Equal(("tcp", 5432, 5432), (rule.Text("IpProtocol"), rule.GetProperty("FromPort").GetInt32(), rule.GetProperty("ToPort").GetInt32())));
        Assert.Equal(backend, Assert.Single(rules.SelectMany(rule => rule.GetProperty("UserIdGroupPairs").EnumerateArray())).Text("GroupId"));
        Assert.Equal("10.1.9.0/24", Assert.Single(rules.SelectMany(rule => rule.GetProperty("IpRanges").EnumerateArray())).Text("CidrIp"));
        var egress = Assert.Single(group.GetProperty("IpPermissionsEgress").EnumerateArray());
        Assert.Equal(("-1", "0.0.0.0/0"), (egress.Text("IpProtocol"), egress.GetProperty("IpRanges")[0].Text("CidrIp")));

        Assert.Equal([database], Ids(results, "AdmitsBackend"));
        Assert.Equal([backend], Ids(results, "ByTag"));
        Assert.Equal(("InvalidGroup.NotFound", 400), results.AwsError("UnknownGroupId"));
        Assert.Equal(("InvalidParameterValue", 400), results.AwsError("BadFilter"));
    }

    private static List<string?> Ids(JsonElement results, string name) =>
        [.. results.At(name, "SecurityGroups").EnumerateArray().Select(group => group.Text("GroupId"))];
}
