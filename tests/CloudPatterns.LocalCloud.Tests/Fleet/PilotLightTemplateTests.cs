namespace CloudPatterns.LocalCloud.Tests.Fleet;

/// <summary>
/// The pilot-light DR template deploys in LocalCloud (python/pilot_light_client.py, boto3): at rest its tiers run no
/// instance and no NAT gateway exists; scaling up is a stack parameter change after which the load balancer's targets
/// become healthy and serve; a drill copy (Purpose drill) has no vault and leaves nothing once deleted.
/// </summary>
public sealed class PilotLightTemplateTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task The_pilot_light_scales_from_zero_by_a_parameter_change_and_a_drill_copy_leaves_nothing()
    {
        var template = Path.Combine(Iam.DisasterRecoveryTemplateTests.RepositoryRoot(), "templates", "disaster-recovery", "pilot-light-dr-account.yaml");
        var result = await AwsClients.RunPythonScriptAsync(cloud.Server, cloud.Management, "pilot_light_client.py", template, cloud.Organization.Id);

        Assert.Equal("{\"status\": \"CREATE_COMPLETE\", \"groups\": [[0, 0, 0], [0, 0, 0]], \"natGateways\": false, \"vault\": true, \"targets\": []}", result.GetProperty("atRest").GetRawText());
        Assert.Equal("{\"status\": \"UPDATE_COMPLETE\", \"groups\": [[2, 2, 2], [2, 2, 2]], \"natGateways\": true, \"vault\": true, \"targets\": []}", result.GetProperty("scaled").GetRawText());
        Assert.Equal("[\"healthy\", \"healthy\"]", result.GetProperty("healthy").GetRawText());
        Assert.True(result.GetProperty("dnsName").GetBoolean());
        Assert.Equal("[200]", result.GetProperty("served").GetRawText());
        Assert.Equal("{\"status\": \"UPDATE_COMPLETE\", \"groups\": [[0, 0, 0], [0, 0, 0]], \"natGateways\": false, \"vault\": true, \"targets\": []}", result.GetProperty("backAtRest").GetRawText());
        Assert.Equal("{\"status\": \"CREATE_COMPLETE\", \"groups\": [[0, 0, 0], [2, 2, 2]], \"natGateways\": true, \"vault\": false, \"targets\": []}", result.GetProperty("drill").GetRawText());
        Assert.Equal("[\"DELETE_COMPLETE\", [], true]", result.GetProperty("drillDeleted").GetRawText());
    }
}
