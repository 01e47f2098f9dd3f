namespace CloudPatterns.LocalCloud.Tests.Route53;

/// <summary>
/// AWS::Route53::HostedZone, HealthCheck and RecordSet created for real by CloudFormation, seen through the Route 53
/// API with boto3, a bad record failing its resource with Route 53's message, and nothing left after the stacks go;
/// private zones in the VPCs CloudFormation made.
/// </summary>
public sealed class Route53StackTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task A_failover_pair_from_a_template_lives_in_Route_53_and_goes_with_its_stack()
    {
        var result = await AwsClients.RunPythonScriptAsync(cloud.Server, cloud.Management, "route53_stack_client.py", "dns");

        Assert.Equal("CREATE_COMPLETE", result.GetProperty("status").GetString());
        var outputs = result.GetProperty("outputs");
        var zoneId = outputs.GetProperty("ZoneId").GetString()!;
        Assert.Matches("^Z[A-Z0-9]{20}$", zoneId);
        Assert.Equal(4, outputs.GetProperty("NameServers").GetString()!.Split(',').Length);
        var checkId = outputs.GetProperty("CheckId").GetString()!;
        Assert.True(Guid.TryParse(checkId, out _));

        var records = result.GetProperty("records").EnumerateArray().Select(record => record.GetRawText()).ToList();
        Assert.Equal(
        [
            "[\"shop.example.com.\", \"NS\", null, null, null, null, " + result.GetProperty("records")[0][6].GetRawText() + "]",
            "[\"shop.example.com.\", \"SOA\", null, null, null, null, " + result.GetProperty("records")[1][6].GetRawText() + "]",
            "[\"www.shop.example.com.\", \"A\", \"dr\", \"SECONDARY\", null, \"dr-shop.us-west-2.elb.amazonaws.com.\", []]",
            $"[\"www.shop.example.com.\", \"A\", \"primary\", \"PRIMARY\", \"{checkId}\", null, [\"198.51.100.7\"]]",
        ], records);

        Assert.Equal("ROLLBACK_COMPLETE", result.GetProperty("failedStatus").GetString());
        var reason = Assert.Single(result.GetProperty("failedReasons").EnumerateArray()).GetString();
        Assert.Contains("ARRDATAIllegalIPv4Address", reason);
        Assert.Equal(["shop.example.com."], result.GetProperty("zonesAfterRollback").EnumerateArray().Select(zone => zone.GetString()));

        Assert.Equal("DELETE_COMPLETE", result.GetProperty("deleted").GetString());
        Assert.Empty(result.GetProperty("zonesAfterDelete").EnumerateArray());
        Assert.False(result.GetProperty("checkLeft").GetBoolean());
    }

    [Fact]
    public async Task A_private_zone_answers_in_the_VPCs_that_exist()
    {
        var result = await AwsClients.RunPythonScriptAsync(cloud.Server, cloud.Management, "route53_stack_client.py", "private");

        Assert.Equal("CREATE_COMPLETE", result.GetProperty("status").GetString());
        Assert.Equal("[true, true, false]", result.GetProperty("zone").GetRawText());
        Assert.Equal("[true, false, true]", result.GetProperty("api").GetRawText());
        Assert.Equal("[[\"api.internal.example.com.\", true], [\"internal.example.com.\", true]]", result.GetProperty("listed").GetRawText());
        const string refusal = "The VPC ID 'vpc-0123456789abcdef0' either isn't a valid ID or the current account is not authorized to access this VPC.";
        Assert.Equal($"[\"ROLLBACK_COMPLETE\", \"{refusal}\"]", result.GetProperty("missing").GetRawText());
        Assert.Equal("InvalidVPCId: " + refusal, result.GetProperty("refused").GetString());
    }
}
