using CloudPatterns.LocalCloud.Tests.Support;

namespace CloudPatterns.LocalCloud.Tests.Ec2;

/// <summary>
/// A transit gateway shared through RAM with one account while sharing with the organization is off: the other account
/// sees the gateway only after accepting the invitation, its VPC attachment waits for the owner's acceptance, and the
/// route tables learn both VPCs (docs/localcloud-transit-gateway.md, docs/localcloud-ram.md).
/// </summary>
public sealed class TransitGatewayTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task A_gateway_shared_by_invitation_is_seen_and_attached_to_only_after_each_side_accepts()
    {
        var production = cloud.As("production");
        var archive = cloud.As("log-archive");
        var (productionVpc, productionSubnets) = await cloud.DeployVpcAsync("production", "10.10", "us-east-2a", "us-east-2b");
        var (archiveVpc, archiveSubnets) = await cloud.DeployVpcAsync("log-archive", "10.20", "us-east-2a");

        var created = await production.Ec2Async("CreateTransitGateway", ("Description", "dr hub"), ("Options.AmazonSideAsn", "64600"));
        Assert.Equal("pending", created.Value("state"));
        var gateway = created.Value("transitGatewayId");
        var gatewayArn = created.Value("transitGatewayArn");
        var defaultTable = created.Value("associationDefaultRouteTableId");
        Assert.Equal($"arn:aws:ec2:us-east-2:333333333333:transit-gateway/{gateway}", gatewayArn);
        Assert.Equal("available", (await production.Ec2Async("DescribeTransitGateways", ("TransitGatewayIds.1", gateway))).Value("state"));

        var sameZone = await production.Ec2Async("CreateTransitGatewayVpcAttachment", ("TransitGatewayId", gateway), ("VpcId", productionVpc),
            ("SubnetIds.1", productionSubnets[0]), ("SubnetIds.2", productionSubnets[0]));
        Assert.Equal("DuplicateSubnetsInSameZone", sameZone.ErrorType);
        var own = (await production.Ec2Async("CreateTransitGatewayVpcAttachment", ("TransitGatewayId", gateway), ("VpcId", productionVpc),
            ("SubnetIds.1", productionSubnets[0]), ("SubnetIds.2", productionSubnets[1]))).Value("transitGatewayAttachmentId");
        Assert.Equal("DuplicateTransitGatewayAttachment", (await production.Ec2Async("CreateTransitGatewayVpcAttachment", ("TransitGatewayId", gateway),
            ("VpcId", productionVpc), ("SubnetIds.1", productionSubnets[0]))).ErrorType);

        Assert.Equal("InvalidTransitGatewayID.NotFound", (await archive.Ec2Async("DescribeTransitGateways", ("TransitGatewayIds.1", gateway))).ErrorType);
        var toOrganization = await production.RamAsync("/createresourceshare", new { name = "hub", resourceArns = new[] { gatewayArn }, principals = new[] { cloud.Organization.Arn } });
        Assert.Equal("OperationNotPermittedException", toOrganization.ErrorType);
        Assert.Contains("not enabled sharing with your AWS organization", toOrganization.Message);

        var share = (await production.RamAsync("/createresourceshare", new { name = "hub", resourceArns = new[] { gatewayArn }, principals = new[] { "222222222222" } }))
            .Ok()["resourceShare"]!["resourceShareArn"]!.GetValue<string>();
        var principal = (await production.RamAsync("/getresourceshareassociations", new { associationType = "PRINCIPAL", resourceShareArns = new[] { share } }))
            .Ok()["resourceShareAssociations"]![0]!;
        Assert.Equal(("222222222222", "ASSOCIATING"), (principal["associatedEntity"]!.GetValue<string>(), principal["status"]!.GetValue<string>()));
        Assert.Equal("InvalidTransitGatewayID.NotFound", (await archive.Ec2Async("DescribeTransitGateways", ("TransitGatewayIds.1", gateway))).ErrorType);

        var invitation = (await archive.RamAsync("/getresourceshareinvitations", new { })).Ok()["resourceShareInvitations"]!.AsArray().Single()!;
        Assert.Equal(("PENDING", "333333333333"), (invitation["status"]!.GetValue<string>(), invitation["senderAccountId"]!.GetValue<string>()));
        var invitationArn = invitation["resourceShareInvitationArn"]!.GetValue<string>();
        Assert.Equal("ResourceShareInvitationArnNotFoundException",
            (await production.RamAsync("/acceptresourceshareinvitation", new { resourceShareInvitationArn = invitationArn })).ErrorType);
        Assert.Equal("ACCEPTED", (await archive.RamAsync("/acceptresourceshareinvitation", new { resourceShareInvitationArn = invitationArn }))
            .Ok()["resourceShareInvitation"]!["status"]!.GetValue<string>());
        Assert.Equal("ResourceShareInvitationAlreadyAcceptedException",
            (await archive.RamAsync("/acceptresourceshareinvitation", new { resourceShareInvitationArn = invitationArn })).ErrorType);

        var seen = await archive.Ec2Async("DescribeTransitGateways", ("TransitGatewayIds.1", gateway));
        Assert.Equal("333333333333", seen.Value("ownerId"));
        Assert.Equal([gatewayArn], (await archive.RamAsync("/listresources", new { resourceOwner = "OTHER-ACCOUNTS" })).Ok()["resources"]!.AsArray()
            .Select(resource => resource!["arn"]!.GetValue<string>()));
        Assert.Equal("InvalidTransitGatewayID.NotFound", (await archive.Ec2Async("CreateTransitGatewayRouteTable", ("TransitGatewayId", gateway))).ErrorType);
        Assert.Equal("InvalidTransitGatewayID.NotFound", (await archive.Ec2Async("DeleteTransitGateway", ("TransitGatewayId", gateway))).ErrorType);

        var attached = await archive.Ec2Async("CreateTransitGatewayVpcAttachment", ("TransitGatewayId", gateway), ("VpcId", archiveVpc), ("SubnetIds.1", archiveSubnets[0]));
        Assert.Equal("pendingAcceptance", attached.Value("state"));
        var remote = attached.Value("transitGatewayAttachmentId");
        Assert.Equal(["10.10.0.0/16 propagated active"], await production.RoutesAsync(defaultTable));

        await production.Ec2Async("AcceptTransitGatewayVpcAttachment", ("TransitGatewayAttachmentId", remote));
        Assert.Equal("available", (await archive.Ec2Async("DescribeTransitGatewayVpcAttachments", ("TransitGatewayAttachmentIds.1", remote))).Value("state"));
        Assert.Equal(["10.10.0.0/16 propagated active", "10.20.0.0/16 propagated active"], await production.RoutesAsync(defaultTable));
        Assert.Equal([own, remote], (await production.Ec2Async("GetTransitGatewayRouteTableAssociations", ("TransitGatewayRouteTableId", defaultTable)))
            .Values("transitGatewayAttachmentId"));

        var refused = await production.Ec2Async("DeleteTransitGateway", ("TransitGatewayId", gateway));
        Assert.Equal("IncorrectState", refused.ErrorType);
        Assert.Contains(remote, refused.Body!["xml"]!.GetValue<string>());
        Assert.Empty((await cloud.As("staging").Ec2Async("DescribeTransitGateways")).Values("transitGatewayId"));
    }
}
