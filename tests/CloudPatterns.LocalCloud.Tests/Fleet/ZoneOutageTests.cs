using System.Text.Json;

namespace CloudPatterns.LocalCloud.Tests.Fleet;

/// <summary>
/// Requests through the emulated ALB (POST /_localcloud/elbv2/requests) and an Availability Zone outage
/// (PUT /_localcloud/fleet/zone-outages), over boto3 and the admin API on the sandbox clock (python/fleet_client.py).
/// </summary>
public sealed class ZoneOutageTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task Requests_go_round_robin_to_healthy_targets_and_get_503_when_the_group_has_none()
    {
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "fleet_client.py", "routing", "fleet-routing");

        Assert.Equal(2, result.GetProperty("roundRobin").EnumerateArray().Select(zone => zone.GetString()).Distinct().Count());
        Assert.NotEqual(result.GetProperty("roundRobin")[0].GetString(), result.GetProperty("roundRobin")[1].GetString());
        Assert.Equal(2, result.GetProperty("targets").GetInt32());
        Assert.Equal("ok\n", result.GetProperty("health").GetString());
        Assert.Equal(4.5, result.GetProperty("requestCountPerTarget").GetDouble());
        Assert.Equal(0, result.GetProperty("noListener").GetInt32());
        Assert.Equal(404, result.GetProperty("unknown").GetInt32());
        Assert.Equal("[503]", result.GetProperty("empty").GetRawText());
    }

    [Fact]
    public async Task A_zone_outage_is_routed_around_after_the_unhealthy_threshold_and_capacity_comes_back_in_the_other_zone_after_the_grace_period()
    {
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "fleet_client.py", "outage", "fleet-outage", "2");

        Assert.Equal("[[\"us-east-2a\",\"healthy\",\"\"],[\"us-east-2b\",\"healthy\",\"\"]]", result.GetProperty("before").GetRawText());
        // Only the zone that is down fails, with 504 (the connection to the target times out), until the third failed check
        // (health checks every 30 s, UnhealthyThreshold 3): at most 90 s of half the requests.
        Assert.Equal("[[504,\"us-east-2a\"]]", result.GetProperty("failures").GetRawText());
        Assert.InRange(result.GetProperty("lastFailure").GetInt32(), 60, 95);
        Assert.InRange(result.GetProperty("availability").GetDouble(), 1 - (95.0 / 600 / 2), 1 - (55.0 / 600 / 2));
        // Replacement waits for the 300 s grace period since launch (the instance was 2 minutes old), then the new
        // instance boots (60 s) and passes two checks: capacity is back in us-east-2b about 4.5 minutes after the outage.
        Assert.InRange(result.GetProperty("recovered").GetInt32(), 240, 300);
        Assert.Equal("[[\"us-east-2b\",\"healthy\",\"\"],[\"us-east-2b\",\"healthy\",\"\"]]", result.GetProperty("after").GetRawText());
        Assert.Contains("taken out of service in response to an ELB system health check failure. Successful", result.GetProperty("causes").EnumerateArray().Select(cause => cause.GetString()));
        Assert.Equal("[\"us-east-2a impaired\",\"us-east-2b ok\"]", result.GetProperty("statusChecks").GetRawText());
    }

    [Fact]
    public async Task In_a_single_zone_stack_the_outage_takes_the_application_down_and_no_capacity_comes_back()
    {
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "fleet_client.py", "outage", "fleet-single", "1");

        Assert.Equal("[[\"us-east-2a\",\"healthy\",\"\"],[\"us-east-2a\",\"healthy\",\"\"]]", result.GetProperty("before").GetRawText());
        // Fail-open sends requests to the unhealthy targets (504) until Auto Scaling terminates them; then the group is empty (503).
        Assert.Equal("[[503,null],[504,\"us-east-2a\"]]", result.GetProperty("failures").GetRawText());
        Assert.Equal(0, result.GetProperty("availability").GetDouble());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("recovered").ValueKind);
        Assert.Contains("started in response to a difference between desired and actual capacity, increasing the capacity from 0 to 2. Failed", result.GetProperty("causes").EnumerateArray().Select(cause => cause.GetString()));
    }
    [Fact]
    public async Task After_a_zone_comes_back_the_group_rebalances_launching_before_terminating_unless_AZRebalance_is_suspended()
    {
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "fleet_client.py", "rebalance", "fleet-rebalance");

        Assert.Equal("[\"us-east-2a\",\"us-east-2a\",\"us-east-2b\",\"us-east-2b\"]", result.GetProperty("before").GetRawText());
        // The outage moves the whole group to us-east-2b.
        Assert.Equal("[\"us-east-2b\",\"us-east-2b\",\"us-east-2b\",\"us-east-2b\"]", result.GetProperty("outage").GetRawText());
        Assert.StartsWith("ValidationError: LocalCloud does not emulate suspending Launch", result.GetProperty("refused")[0].GetString());
        Assert.StartsWith("ValidationError: Invalid scaling process name(s): Rebalance.", result.GetProperty("refused")[1].GetString());
        Assert.Equal("[[\"AZRebalance\",true]]", result.GetProperty("suspended").GetRawText());
        // Suspended: five minutes after the zone is back, nothing moved.
        Assert.Equal("[\"us-east-2b\",\"us-east-2b\",\"us-east-2b\",\"us-east-2b\"]", result.GetProperty("whileSuspended").GetRawText());
        Assert.Equal("[]", result.GetProperty("resumed").GetRawText());
        // Resumed: two instances move to us-east-2a, one at a time (maximum 4 + a margin of one instance), each launched
        // before one in us-east-2b is terminated, so four instances run throughout; desired capacity stays 4.
        Assert.Equal("[\"us-east-2a\",\"us-east-2a\",\"us-east-2b\",\"us-east-2b\"]", result.GetProperty("after").GetRawText());
        Assert.Equal(5, result.GetProperty("most").GetInt32());
        Assert.Equal(4, result.GetProperty("fewestRunning").GetInt32());
        Assert.InRange(result.GetProperty("seconds").GetInt32(), 45, 90);
        Assert.Equal(4, result.GetProperty("desired").GetInt32());
        Assert.Equal(
            "[\"Launching a new EC2 instance: an instance was launched to aid in balancing the group's zones.\"," +
            "\"Terminating EC2 instance: an instance was taken out of service in response to an Availability Zone rebalancing activity.\"," +
            "\"Launching a new EC2 instance: an instance was launched to aid in balancing the group's zones.\"," +
            "\"Terminating EC2 instance: an instance was taken out of service in response to an Availability Zone rebalancing activity.\"]",
            result.GetProperty("causes").GetRawText());
    }
}
