using System.Text.Json.Nodes;
using System.Xml.Linq;
using CloudPatterns.LocalCloud.Tests.Support;

namespace CloudPatterns.LocalCloud.Tests.Backup;

/// <summary>
/// Where a restored DB instance goes: the restore's metadata names its DB subnet group and security groups
/// (RestoreDBInstanceFromDBSnapshot's parameters), which DescribeDBInstances then shows; without them the instance keeps
/// the backed-up instance's placement (docs/localcloud-backup.md, "Restore targets").
/// </summary>
public sealed class RestorePlacementTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    private readonly string suffix = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task A_restore_places_the_instance_in_the_subnet_group_and_security_groups_its_metadata_names()
    {
        var production = cloud.As("production");
        await production.CreateVaultAsync($"placement-{suffix}");
        var point = (await production.BackupAsync(HttpMethod.Put, "/backup-jobs", new
        {
            BackupVaultName = $"placement-{suffix}",
            ResourceArn = "arn:aws:rds:us-east-2:333333333333:db:production-db",
            IamRoleArn = production.RoleArn(),
        })).Ok()["RecoveryPointArn"]!.GetValue<string>();
        await cloud.AdvanceClockAsync("PT1H");

        var placed = await RestoreAsync(production, point, new()
        {
            ["DBInstanceIdentifier"] = $"placed-{suffix}",
            ["DBSubnetGroupName"] = "dr-data-subnets",
            ["VpcSecurityGroupIds"] = "[\"sg-0aaaaaaaaaaaaaaa1\",\"sg-0bbbbbbbbbbbbbbb2\"]",
        });
        var unplaced = await RestoreAsync(production, point, new() { ["DBInstanceIdentifier"] = $"unplaced-{suffix}" });
        await cloud.AdvanceClockAsync("PT1H");
        foreach (var job in new[] { placed, unplaced })
        {
            Assert.Equal("COMPLETED", (await production.BackupAsync(HttpMethod.Get, $"/restore-jobs/{job}")).Ok()["Status"]!.GetValue<string>());
        }

        var instance = await DescribeAsync(production, $"placed-{suffix}");
        Assert.Equal("dr-data-subnets", instance.Descendants(Name("DBSubnetGroupName")).Single().Value);
        Assert.Equal(["sg-0aaaaaaaaaaaaaaa1", "sg-0bbbbbbbbbbbbbbb2"], instance.Descendants(Name("VpcSecurityGroupId")).Select(id => id.Value).ToArray());
        Assert.All(instance.Descendants(Name("VpcSecurityGroupMembership")), membership => Assert.Equal("active", membership.Element(Name("Status"))!.Value));

        // The seed instance has no placement, so neither has a restore that names none.
        var plain = await DescribeAsync(production, $"unplaced-{suffix}");
        Assert.Empty(plain.Descendants(Name("DBSubnetGroup")));
        Assert.Empty(plain.Descendants(Name("VpcSecurityGroupId")));
    }

    private static async Task<string> RestoreAsync(AwsCaller caller, string recoveryPointArn, Dictionary<string, string> metadata) =>
        (await caller.BackupAsync(HttpMethod.Put, "/restore-jobs", new { RecoveryPointArn = recoveryPointArn, IamRoleArn = caller.RoleArn(), Metadata = metadata }))
            .Ok()["RestoreJobId"]!.GetValue<string>();

    private static async Task<XElement> DescribeAsync(AwsCaller caller, string identifier)
    {
        var answer = (await caller.QueryAsync("rds", "DescribeDBInstances", "2014-10-31", new Dictionary<string, string> { ["DBInstanceIdentifier"] = identifier })).Ok();
        return XDocument.Parse(answer["xml"]!.GetValue<string>()).Descendants(Name("DBInstance")).Single();
    }

    private static XName Name(string local) => XName.Get(local, "http://rds.amazonaws.com/doc/2014-10-31/");
}
