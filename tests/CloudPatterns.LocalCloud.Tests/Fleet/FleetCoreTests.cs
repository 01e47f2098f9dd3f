namespace CloudPatterns.LocalCloud.Tests.Fleet;

/// <summary>
/// The fleet core over boto3 (python/fleet_client.py): a CloudFormation Auto Scaling group is real — instances per
/// zone of its subnets, DescribeInstanceStatus, target health after threshold × interval on the sandbox clock,
/// requests routed to both zones, SetDesiredCapacity and stack updates moving capacity, deletion terminating it.
/// </summary>
public sealed class FleetCoreTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task A_group_made_by_cloudformation_runs_instances_that_become_healthy_targets_and_follow_its_capacity()
    {
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "fleet_client.py", "core", "fleet-core");

        Assert.Equal("CREATE_COMPLETE", result.GetProperty("status").GetString());
        Assert.Equal("[2,6,2,\"ELB\",[\"us-east-2a\",\"us-east-2b\"],[\"Pending\",\"Pending\"]]", result.GetProperty("group").GetRawText());
        Assert.Equal("[\"us-east-2a\",\"us-east-2b\"]", result.GetProperty("pending").GetRawText());
        Assert.Equal("[]", result.GetProperty("initial").GetRawText());
        Assert.Equal("[\"initializing\",\"initializing\"]", result.GetProperty("statusChecks").GetRawText());
        Assert.Equal("[[\"us-east-2a\",\"initial\",\"Elb.RegistrationInProgress\"],[\"us-east-2b\",\"initial\",\"Elb.RegistrationInProgress\"]]", result.GetProperty("registering").GetRawText());
        Assert.Equal("[[\"us-east-2a\",\"healthy\",\"\"],[\"us-east-2b\",\"healthy\",\"\"]]", result.GetProperty("healthy").GetRawText());
        Assert.Equal("[\"ok\",\"ok\"]", result.GetProperty("statusChecksLater").GetRawText());
        Assert.Equal("[\"InService\",\"InService\"]", result.GetProperty("inService").GetRawText());
        Assert.Equal("[[200,\"us-east-2a\"],[200,\"us-east-2b\"]]", result.GetProperty("routed").GetRawText());
        Assert.Equal("ValidationError: New SetDesiredCapacity value 7 is above max value 6 for the AutoScalingGroup.", result.GetProperty("refused").GetString());
        Assert.Equal("[\"us-east-2a\",\"us-east-2b\",\"us-east-2a\",\"us-east-2b\"]", result.GetProperty("scaledOut").GetRawText());
        Assert.Equal("UPDATE_COMPLETE", result.GetProperty("updated").GetString());
        Assert.Equal("[1,3,3,3]", result.GetProperty("afterUpdate").GetRawText());
        Assert.Equal(1, result.GetProperty("terminated").GetInt32());
        Assert.Equal("[\"DELETE_COMPLETE\",[],\"TargetGroupNotFound: One or more target groups not found\"]", result.GetProperty("deleted").GetRawText());
    }
}
