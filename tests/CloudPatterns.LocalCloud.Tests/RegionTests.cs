namespace CloudPatterns.LocalCloud.Tests;

/// <summary>Regions: what EC2 says is enabled, and a region AWS does not have, which no request reaches.</summary>
public sealed class RegionTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task DescribeRegions_ListsTheSeedsRegions_ThroughCliV2()
    {
        var result = await AwsClients.RunCliAsync(AwsCli.V2, fixture.Server, fixture.Management, "ec2", "describe-regions");

        var regions = result.Json.GetProperty("Regions").EnumerateArray().ToList();
        Assert.Equal(["us-east-2", "us-west-2"], regions.Select(region => region.GetProperty("RegionName").GetString()));
        Assert.All(regions, region => Assert.Equal("opt-in-not-required", region.GetProperty("OptInStatus").GetString()));
    }

    [Theory]
    [InlineData(false, "us-east-9", "cloudformation", "list-stacks")]
    [InlineData(true, "eu-north-7", "backup", "list-backup-vaults")]
    public async Task RegionAwsDoesNotHave_NeverReachesAService_AsWithNoEndpoint(bool cliV2, string region, string service, string operation)
    {
        var before = fixture.Server.State.RequestLog.Snapshot().Count;

        var result = await AwsClients.RunCliAsync(cliV2 ? AwsCli.V2 : AwsCli.V1, fixture.Server, fixture.Management, service, operation, "--region", region);

        Assert.NotEqual(0, result.ExitCode);
        Assert.DoesNotContain("An error occurred (", result.Error, StringComparison.Ordinal);
        Assert.Contains("endpoint URL", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Server.State.RequestLog.Snapshot().Skip(before), entry => entry.Region == region);
    }

    [Theory]
    [InlineData("us-east-1", "organizations", "describe-organization")]
    [InlineData("eu-west-1", "cloudformation", "list-stacks")]
    public async Task RegionAwsHas_IsServedThoughNotInTheSeed(string region, string service, string operation)
    {
        var result = await AwsClients.RunCliAsync(AwsCli.V1, fixture.Server, fixture.Management, service, operation, "--region", region);

        Assert.True(result.ExitCode == 0, result.Error);
    }
}
