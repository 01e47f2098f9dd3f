namespace CloudPatterns.LocalCloud.Tests.Ec2;

/// <summary>
/// EC2 ReplaceRoute through boto3 (python/replace_route_client.py, docs/localcloud-fleet.md "ReplaceRoute"): a stack's
/// route and a VPC's local route get new targets, LocalTarget resets the local route, and EC2's refusals change nothing.
/// </summary>
public sealed class ReplaceRouteTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    private const string Account = "333333333333";

    [Fact]
    public async Task ReplaceRoute_ChangesTargets_ResetsTheLocalRoute_AndRefusesAsEc2Does()
    {
        var results = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.AdminOf(Account), "replace_route_client.py");

        Assert.Equal("CREATE_COMPLETE", results.Text("stack"));
        var appliance = results.Text("appliance");
        var replaced = results.GetProperty("replaced");
        Assert.Equal(appliance, replaced.GetProperty("0.0.0.0/0").Text("NetworkInterfaceId"));
        Assert.False(replaced.GetProperty("0.0.0.0/0").TryGetProperty("GatewayId", out _));
        Assert.Equal("CreateRoute", replaced.GetProperty("0.0.0.0/0").Text("Origin"));
        Assert.Equal("vpce-0a1b2c3d4e5f60718", replaced.GetProperty("10.30.0.0/16").Text("GatewayId"));
        Assert.Equal("CreateRouteTable", replaced.GetProperty("10.30.0.0/16").Text("Origin"));

        Assert.Equal("MODIFIED", results.GetProperty("drift").Text("status"));
        Assert.Contains(results.GetProperty("drift").GetProperty("differences").EnumerateArray(), path => path.GetString() == "/GatewayId");

        Assert.Equal("local", results.GetProperty("reset").GetProperty("10.30.0.0/16").Text("GatewayId"));

        var refusals = results.GetProperty("refusals");
        Assert.Equal("InvalidParameterValue: There is no route defined for '10.99.0.0/16' in the route table. Use CreateRoute instead.", refusals.Text("no_route"));
        Assert.Equal("InvalidRouteTableID.NotFound: The routeTable ID 'rtb-0000000000000000f' does not exist", refusals.Text("unknown_table"));
        Assert.StartsWith("InvalidParameterCombination: The request must contain exactly one route target", refusals.Text("two_targets"), StringComparison.Ordinal);
        Assert.Contains("it has VpcEndpointId, NetworkInterfaceId", refusals.Text("two_targets"), StringComparison.Ordinal);
        Assert.StartsWith("MissingParameter: The request must contain exactly one route target", refusals.Text("no_target"), StringComparison.Ordinal);
        Assert.StartsWith("InvalidParameterValue: LocalTarget resets only a local route", refusals.Text("local_target_elsewhere"), StringComparison.Ordinal);
        Assert.Equal(appliance, results.GetProperty("afterRefusals").GetProperty("0.0.0.0/0").Text("NetworkInterfaceId"));
    }
}
