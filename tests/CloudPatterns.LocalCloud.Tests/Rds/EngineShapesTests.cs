using System.Text.Json;

namespace CloudPatterns.LocalCloud.Tests.Rds;

/// <summary>
/// DescribeDBInstances parses in boto3 and the AWS CLI v2 for every engine a stack creates: an Aurora instance
/// (storage belongs to its cluster) reports AllocatedStorage 1, never an empty member.
/// </summary>
public sealed class EngineShapesTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task AuroraAndClassicInstancesDescribeInEveryClient()
    {
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "rds_engines_client.py", "engines");

        Assert.Equal("CREATE_COMPLETE", result.GetProperty("status").GetString());
        Assert.Equal("[[\"aurora-postgresql\", 1, true], [\"mysql\", 30, false]]", result.GetProperty("instances").GetRawText());
        var cli = await AwsClients.RunCliAsync(AwsCli.V2, fixture.Server, fixture.Management, "rds", "describe-db-instances", "--region", fixture.Organization.PrimaryRegion);
        Assert.True(cli.ExitCode == 0, cli.Error);
        Assert.Equal([1, 30], cli.Json.GetProperty("DBInstances").EnumerateArray().Select(instance => instance.GetProperty("AllocatedStorage").GetInt32()).Order());
    }
}
