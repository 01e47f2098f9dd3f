namespace CloudPatterns.LocalCloud.Tests.CloudFormation;

/// <summary>
/// Intrinsic functions over values known only once a resource exists (Cidr over a VPC's CidrBlock, Select over an
/// ENI's addresses, Split over an endpoint's DNS entries) are evaluated when the resource that needs them is created,
/// through boto3: ValidateTemplate and CreateStack agree, updates re-evaluate them, and no placeholder shows.
/// </summary>
public sealed class LateValuesTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task FunctionsOverResourceAttributesAreEvaluatedWhenTheResourceIsCreated()
    {
        var template = Path.Combine(AppContext.BaseDirectory, "CloudFormation", "LateValues", "late-values.yaml");
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "late_values_client.py", template);
        var region = fixture.Organization.PrimaryRegion;

        Assert.Equal("Intrinsic functions over values known only once a resource exists.", result.GetProperty("validated").GetString());
        var created = result.GetProperty("created");
        Assert.Equal("CREATE_COMPLETE", created[0].GetString());
        var outputs = created[1];
        Assert.Equal(("10.20.0.0/24", "10.20.3.0/24"), (outputs.GetProperty("FirstSubnet").GetString(), outputs.GetProperty("LastSubnet").GetString()));
        var joined = outputs.GetProperty("Joined").GetString()!.Split(',');
        Assert.Equal(2, joined.Length);
        Assert.Matches(@"^10\.\d+\.\d+\.\d+$", joined[1]);
        Assert.Equal(joined[1], outputs.GetProperty("SecondIp").GetString());
        Assert.Matches($@"^[0-9a-f]{{17}}-[0-9a-f]{{8}}\.ec2\.{region}\.vpce\.amazonaws\.com$", outputs.GetProperty("EndpointHost").GetString());
        // A directory has a DNS server in each of its two subnets.
        Assert.Matches(@"^10\.\d+\.\d+\.11$", outputs.GetProperty("SecondaryDns").GetString());

        var updated = result.GetProperty("updated");
        Assert.Equal("UPDATE_COMPLETE", updated[0].GetString());
        Assert.Equal(("10.20.0.0/26", "10.20.0.192/26"), (updated[1].GetProperty("FirstSubnet").GetString(), updated[1].GetProperty("LastSubnet").GetString()));
        Assert.False(result.GetProperty("placeholderShown").GetBoolean());
        Assert.Equal("DELETE_COMPLETE", result.GetProperty("deleted").GetString());
    }
}
