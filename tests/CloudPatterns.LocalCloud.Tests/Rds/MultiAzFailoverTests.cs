namespace CloudPatterns.LocalCloud.Tests.Rds;

/// <summary>
/// RDS Multi-AZ failover over boto3 on the sandbox clock (python/fleet_client.py "failover"): RebootDBInstance with
/// ForceFailover moves the primary to the standby's zone within 60–120 s, the endpoint stays, DescribeEvents shows the
/// start and completion; a Single-AZ instance is refused; an outage of the primary's zone fails it over by itself.
/// </summary>
public sealed class MultiAzFailoverTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task A_forced_failover_moves_the_writer_to_the_standby_zone_within_60_to_120_seconds_and_keeps_the_endpoint()
    {
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "fleet_client.py", "failover", "rdsfail");

        Assert.Equal("CREATE_COMPLETE", result.GetProperty("status").GetString());
        var before = result.GetProperty("before");
        Assert.Equal("[\"available\",\"us-east-2a\",\"us-east-2b\"", before.GetRawText()[..before.GetRawText().LastIndexOf(',')]);
        var endpoint = before[3].GetString()!;
        Assert.StartsWith("rdsfail-multi.c", endpoint);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, result.GetProperty("single")[2].ValueKind);
        Assert.Equal("InvalidParameterCombination: Cannot reboot DB instance rdsfail-single with force failover because it is not a Multi-AZ DB instance.", result.GetProperty("singleRefused").GetString());
        Assert.Equal("rebooting", result.GetProperty("rebooting").GetString());
        Assert.Equal("InvalidDBInstanceState: DB instance rdsfail-multi is not in available state.", result.GetProperty("again").GetString());
        Assert.Equal($"[\"rebooting\",\"us-east-2a\",\"us-east-2b\",\"{endpoint}\"]", result.GetProperty("during").GetRawText());
        Assert.Equal($"[\"available\",\"us-east-2b\",\"us-east-2a\",\"{endpoint}\"]", result.GetProperty("after").GetRawText());
        Assert.Equal("[\"Multi-AZ instance failover started.\",\"Multi-AZ instance failover completed.\"]", result.GetProperty("events").GetRawText());
        Assert.InRange(result.GetProperty("seconds").GetDouble(), 60, 120);
        Assert.Equal($"[\"available\",\"us-east-2a\",\"us-east-2b\",\"{endpoint}\"]", result.GetProperty("afterOutage").GetRawText());
        Assert.Equal(4, result.GetProperty("outageEvents").GetInt32());
    }
}
