using CloudPatterns.LocalCloud.Tests.Support;

namespace CloudPatterns.LocalCloud.Tests.Ec2;

/// <summary>
/// The pilot-light DR template's connectivity (templates/disaster-recovery/pilot-light-dr-account.yaml): a transit
/// gateway with the DR VPC attached to its own route table, shared through RAM with production, which attaches once it
/// accepted; routes to production's CIDR; a drill copy has no gateway; nothing is left once the stacks go.
/// </summary>
public sealed class PilotLightTransitGatewayTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    private const string Region = "us-west-2";

    [Fact]
    public async Task The_pilot_light_shares_its_transit_gateway_and_a_drill_copy_has_none()
    {
        var template = File.ReadAllText(Path.Combine(Iam.DisasterRecoveryTemplateTests.RepositoryRoot(), "templates", "disaster-recovery", "pilot-light-dr-account.yaml"));
        var parameters = new Dictionary<string, string>
        {
            ["OrganizationId"] = cloud.Organization.Id, ["VaultAccountId"] = "222222222222",
            ["TransitGatewaySharePrincipal"] = "333333333333", ["ProductionCidr"] = "10.0.0.0/16",
        };
        var (stack, outputs) = await cloud.DeployAsync("dr", "pilot-light", template, Region, parameters);
        Assert.Equal("CREATE_COMPLETE", stack.Status);

        var dr = cloud.As("dr", Region);
        var gateway = outputs["TransitGatewayId"];
        var described = await dr.Ec2Async("DescribeTransitGateways", ("TransitGatewayIds.1", gateway));
        Assert.Equal(["64513", "disable", "disable"], new[] { "amazonSideAsn", "autoAcceptSharedAttachments", "defaultRouteTableAssociation" }.Select(described.Value));
        Assert.Equal(["10.1.0.0/16 propagated active"], await dr.RoutesAsync(outputs["TransitGatewayRouteTableId"]));
        Assert.Equal([outputs["TransitGatewayAttachmentId"]], (await dr.Ec2Async("GetTransitGatewayRouteTableAssociations",
            ("TransitGatewayRouteTableId", outputs["TransitGatewayRouteTableId"]))).Values("transitGatewayAttachmentId"));
        Assert.Equal(2, stack.Resources.Count(resource => resource.ResourceType == "AWS::EC2::Route" && resource.LogicalId.StartsWith("ProductionRoute", StringComparison.Ordinal)));

        var production = cloud.As("production", Region);
        Assert.Equal("InvalidTransitGatewayID.NotFound", (await production.Ec2Async("DescribeTransitGateways", ("TransitGatewayIds.1", gateway))).ErrorType);
        var invitation = (await production.RamAsync("/getresourceshareinvitations", new { resourceShareArns = new[] { outputs["TransitGatewayShareArn"] } }))
            .Ok()["resourceShareInvitations"]![0]!["resourceShareInvitationArn"]!.GetValue<string>();
        (await production.RamAsync("/acceptresourceshareinvitation", new { resourceShareInvitationArn = invitation })).Ok();
        Assert.Equal("555555555555", (await production.Ec2Async("DescribeTransitGateways", ("TransitGatewayIds.1", gateway))).Value("ownerId"));

        var (drill, drillOutputs) = await cloud.DeployAsync("dr", "pilot-light-drill", template, Region, new Dictionary<string, string>
        {
            ["Purpose"] = "drill", ["OrganizationId"] = cloud.Organization.Id, ["VaultAccountId"] = "222222222222", ["VpcCidr"] = "10.2.0.0/16",
        });
        Assert.Equal("CREATE_COMPLETE", drill.Status);
        Assert.DoesNotContain("TransitGatewayId", drillOutputs.Keys);
        Assert.DoesNotContain(drill.Resources, resource => resource.ResourceType.StartsWith("AWS::EC2::TransitGateway", StringComparison.Ordinal));

        foreach (var name in new[] { "pilot-light-drill", "pilot-light" })
        {
            var deleted = cloud.Server.State.CloudFormation.DeleteStack("555555555555", Region, name)!;
            await deleted.Operation;
            Assert.Equal("DELETE_COMPLETE", deleted.Status);
        }

        Assert.Empty((await dr.Ec2Async("DescribeTransitGateways")).Values("transitGatewayId"));
        Assert.Empty((await dr.RamAsync("/getresourceshares", new { resourceOwner = "SELF" })).Ok()["resourceShares"]!.AsArray());
        Assert.Empty((await production.Ec2Async("DescribeTransitGateways")).Values("transitGatewayId"));
    }
}
