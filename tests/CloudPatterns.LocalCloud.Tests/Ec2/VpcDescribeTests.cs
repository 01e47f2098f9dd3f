namespace CloudPatterns.LocalCloud.Tests.Ec2;

/// <summary>
/// The network a stack created, read back through boto3 (python/vpcs_client.py): DescribeVpcs with the primary and
/// secondary blocks and tags, DescribeSubnets (VPC, zone, addresses AWS leaves free, public-IP mapping), and
/// DescribeRouteTables with the local route, the template's routes and associations, and the VPC's main route table
/// that serves the subnets no table is associated with; unknown ids fail the call with EC2's codes; nothing remains
/// once the stack is deleted (docs/localcloud-fleet.md, "VPCs, subnets and route tables").
/// </summary>
public sealed class VpcDescribeTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task Vpcs_subnets_and_route_tables_of_a_stack_are_described_as_EC2_describes_them()
    {
        var production = fixture.Organization.Accounts.Single(account => account.Name == "production");
        var region = fixture.Organization.PrimaryRegion;
        var results = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.AdminOf(production.Id), "vpcs_client.py", production.Id);
        Assert.Equal("CREATE_COMPLETE", results.Text("Stack"));
        var vpcId = results.Text("Outputs", "Vpc");
        var publicId = results.Text("Outputs", "Public");
        var privateId = results.Text("Outputs", "Private");

        var vpc = Assert.Single(results.At("Vpc", "Vpcs").EnumerateArray());
        Assert.Equal(vpcId, vpc.Text("VpcId"));
        Assert.Equal("10.20.0.0/16", vpc.Text("CidrBlock"));
        Assert.Equal(["10.20.0.0/16", "10.21.0.0/16"], vpc.GetProperty("CidrBlockAssociationSet").EnumerateArray().Select(block => block.Text("CidrBlock")));
        Assert.Equal("available", vpc.Text("State"));
        Assert.Equal(production.Id, vpc.Text("OwnerId"));
        Assert.False(vpc.GetProperty("IsDefault").GetBoolean());
        Assert.Equal("checked", Assert.Single(vpc.GetProperty("Tags").EnumerateArray()).Text("Value"));
        Assert.Equal(vpcId, Assert.Single(results.At("VpcByTag", "Vpcs").EnumerateArray()).Text("VpcId"));
        Assert.Equal(vpcId, Assert.Single(results.At("VpcBySecondaryCidr", "Vpcs").EnumerateArray()).Text("VpcId"));
        Assert.Equal(("InvalidVpcID.NotFound", 400), results.AwsError("UnknownVpc"));
        Assert.Equal("The vpc ID 'vpc-0000000000000000f' does not exist", results.Text("UnknownVpc", "message"));

        var subnets = results.At("Subnets", "Subnets").EnumerateArray().ToDictionary(subnet => subnet.Text("SubnetId")!);
        Assert.Equal(new[] { publicId, privateId }.Order(StringComparer.Ordinal), subnets.Keys.Order(StringComparer.Ordinal));
        var publicSubnet = subnets[publicId!];
        Assert.Equal(vpcId, publicSubnet.Text("VpcId"));
        Assert.Equal($"{region}b", publicSubnet.Text("AvailabilityZone"));
        Assert.Equal(251, publicSubnet.GetProperty("AvailableIpAddressCount").GetInt32());
        Assert.True(publicSubnet.GetProperty("MapPublicIpOnLaunch").GetBoolean());
        Assert.Equal($"arn:aws:ec2:{region}:{production.Id}:subnet/{publicId}", publicSubnet.Text("SubnetArn"));
        var privateSubnet = subnets[privateId!];
        Assert.Equal($"{region}a", privateSubnet.Text("AvailabilityZone"));
        Assert.Equal(11, privateSubnet.GetProperty("AvailableIpAddressCount").GetInt32());
        Assert.False(privateSubnet.GetProperty("MapPublicIpOnLaunch").GetBoolean());
        Assert.Equal(2, results.At("SubnetsOfVpc", "Subnets").GetArrayLength());
        Assert.Equal(publicId, Assert.Single(results.At("PublicByTag", "Subnets").EnumerateArray()).Text("SubnetId"));
        Assert.Equal(("InvalidSubnetID.NotFound", 400), results.AwsError("UnknownSubnet"));
        Assert.Equal("The subnet ID 'subnet-0000000000000000f' does not exist", results.Text("UnknownSubnet", "message"));

        // The public subnet's own table: the local route, then the default route to the internet gateway.
        var publicTable = Assert.Single(results.At("PublicRouteTables", "RouteTables").EnumerateArray());
        Assert.Equal(results.Text("Outputs", "PublicRoutes"), publicTable.Text("RouteTableId"));
        var routes = publicTable.GetProperty("Routes").EnumerateArray().ToList();
        Assert.Equal(["10.20.0.0/16", "10.21.0.0/16", "0.0.0.0/0"], routes.Select(route => route.Text("DestinationCidrBlock")));
        Assert.Equal(["local", "local", results.Text("Outputs", "Gateway")], routes.Select(route => route.Text("GatewayId")));
        Assert.Equal("CreateRoute", routes[2].Text("Origin"));
        var association = Assert.Single(publicTable.GetProperty("Associations").EnumerateArray());
        Assert.Equal(results.Text("Outputs", "PublicAssociation"), association.Text("RouteTableAssociationId"));
        Assert.Equal(publicId, association.Text("SubnetId"));
        Assert.False(association.GetProperty("Main").GetBoolean());
        Assert.Equal(publicTable.Text("RouteTableId"), Assert.Single(results.At("ToGateway", "RouteTables").EnumerateArray()).Text("RouteTableId"));

        // The private subnet has no table of its own: the VPC's main table (local routes only) serves it.
        Assert.Equal(0, results.At("PrivateRouteTables", "RouteTables").GetArrayLength());
        var main = Assert.Single(results.At("MainRouteTable", "RouteTables").EnumerateArray());
        Assert.Matches("^rtb-[0-9a-f]{17}$", main.Text("RouteTableId"));
        Assert.NotEqual(publicTable.Text("RouteTableId"), main.Text("RouteTableId"));
        Assert.Equal(vpcId, main.Text("VpcId"));
        Assert.All(main.GetProperty("Routes").EnumerateArray(), route => Assert.Equal("local", route.Text("GatewayId")));
        Assert.True(Assert.Single(main.GetProperty("Associations").EnumerateArray()).GetProperty("Main").GetBoolean());

        Assert.Equal(("InvalidRouteTableID.NotFound", 400), results.AwsError("UnknownRouteTable"));
        Assert.Equal("The routeTable ID 'rtb-0000000000000000f' does not exist", results.Text("UnknownRouteTable", "message"));
        Assert.Equal(("InvalidParameterValue", 400), results.AwsError("BadFilter"));
        Assert.Contains("no-such-filter", results.Text("BadFilter", "message"), StringComparison.Ordinal);

        // The stack's deletion takes its network with it.
        Assert.Equal(("InvalidSubnetID.NotFound", 400), results.AwsError("SubnetAfterDelete"));
        Assert.Equal(0, results.At("VpcsOfAccountAfterDelete", "Vpcs").GetArrayLength());
    }
}
