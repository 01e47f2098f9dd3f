using CloudPatterns.LocalCloud.Tests.Support;

namespace CloudPatterns.LocalCloud.Tests.Ec2;

/// <summary>
/// An AWS::RAM::ResourceShare of an IPAM pool that CloudFormation made (docs/localcloud-ram.md): the pool's ARN has
/// AWS's form, RAM lists it as ec2:IpamPool, and a pool nobody made is refused as RAM refuses an unknown resource.
/// </summary>
public sealed class IpamPoolShareTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task A_stack_shares_its_IPAM_pool_and_an_unknown_pool_is_refused()
    {
        var (stack, outputs) = await cloud.DeployAsync("production", "ipam", """
            Resources:
              Ipam:
                Type: AWS::EC2::IPAM
                Properties:
                  OperatingRegions: [{ RegionName: us-east-2 }]
              Pool:
                Type: AWS::EC2::IPAMPool
                Properties:
                  AddressFamily: ipv4
                  IpamScopeId: !GetAtt Ipam.PrivateDefaultScopeId
                  Locale: us-east-2
              Share:
                Type: AWS::RAM::ResourceShare
                Properties:
                  Name: ipam
                  Principals: ["555555555555"]
                  ResourceArns: [!GetAtt Pool.Arn]
            Outputs:
              PoolArn: { Value: !GetAtt Pool.Arn }
            """);

        Assert.Equal("CREATE_COMPLETE", stack.Status);
        Assert.Matches("^arn:aws:ec2::333333333333:ipam-pool/ipam-pool-[0-9a-f]{17}$", outputs["PoolArn"]);
        var production = cloud.As("production");
        var listed = (await production.RamAsync("/listresources", new { resourceOwner = "SELF" })).Ok()["resources"]!.AsArray();
        var pool = Assert.Single(listed, resource => resource!["arn"]!.GetValue<string>() == outputs["PoolArn"]);
        Assert.Equal("ec2:IpamPool", pool!["type"]!.GetValue<string>());

        var unknown = await production.RamAsync("/createresourceshare", new
        {
            name = "nothing",
            resourceArns = new[] { "arn:aws:ec2::333333333333:ipam-pool/ipam-pool-0123456789abcdef0" },
            principals = new[] { "555555555555" },
        });
        Assert.Equal("UnknownResourceException", unknown.ErrorType);
    }
}
