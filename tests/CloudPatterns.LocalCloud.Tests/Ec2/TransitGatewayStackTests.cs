using CloudPatterns.LocalCloud.Tests.Support;

namespace CloudPatterns.LocalCloud.Tests.Ec2;

/// <summary>
/// AWS::EC2::TransitGateway*, and an AWS::RAM::ResourceShare with an OU once sharing with the organization is on: made
/// for real by CloudFormation, seen through EC2 and RAM in the OU's account and not outside it, refused where EC2
/// refuses, and gone with the stack.
/// </summary>
public sealed class TransitGatewayStackTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task A_hub_stack_shares_its_gateway_with_an_OU_and_leaves_nothing_behind()
    {
        Assert.Equal("OperationNotPermittedException", (await cloud.As("production").RamAsync("/enablesharingwithawsorganization", new { })).ErrorType);
        Assert.True((await cloud.As("management").RamAsync("/enablesharingwithawsorganization", new { })).Ok()["returnValue"]!.GetValue<bool>());
        var recovery = cloud.Organization.OrganizationalUnits.Single(unit => unit.Path == "/Recovery");
        var recoveryArn = $"arn:aws:organizations::{cloud.Organization.ManagementAccountId}:ou/{cloud.Organization.Id}/{recovery.Id}";

        var (stack, outputs) = await cloud.DeployAsync("production", "dr-hub", Hub(recoveryArn, "us-east-2b"));
        Assert.Equal("CREATE_COMPLETE", stack.Status);
        var (gateway, table, attachment) = (outputs["Gateway"], outputs["Table"], outputs["Attachment"]);
        var production = cloud.As("production");
        Assert.Equal(["10.30.0.0/16 propagated active", "10.99.0.0/16 static blackhole"], await production.RoutesAsync(table));
        Assert.Equal([attachment], (await production.Ec2Async("GetTransitGatewayRouteTableAssociations", ("TransitGatewayRouteTableId", table))).Values("transitGatewayAttachmentId"));
        Assert.Equal("ACTIVE", (await production.RamAsync("/getresourceshares", new { resourceOwner = "SELF" })).Ok()["resourceShares"]![0]!["status"]!.GetValue<string>());

        var dr = cloud.As("dr");
        Assert.Equal("333333333333", (await dr.Ec2Async("DescribeTransitGateways", ("TransitGatewayIds.1", gateway))).Value("ownerId"));
        Assert.Equal("InvalidTransitGatewayID.NotFound", (await cloud.As("staging").Ec2Async("DescribeTransitGateways", ("TransitGatewayIds.1", gateway))).ErrorType);
        var (drVpc, drSubnets) = await cloud.DeployVpcAsync("dr", "10.40", "us-east-2a");
        var remote = await dr.Ec2Async("CreateTransitGatewayVpcAttachment", ("TransitGatewayId", gateway), ("VpcId", drVpc), ("SubnetIds.1", drSubnets[0]));
        Assert.Equal("pending", remote.Value("state"));
        var remoteId = remote.Value("transitGatewayAttachmentId");
        var seen = await production.Ec2Async("DescribeTransitGatewayAttachments", ("Filter.1.Name", "resource-owner-id"), ("Filter.1.Value.1", "555555555555"));
        Assert.Equal([remoteId], seen.Values("transitGatewayAttachmentId"));
        Assert.Equal(["available"], seen.Values("state"));
        Assert.Empty(seen.Values("association"));

        Assert.Equal("IncorrectState", (await production.Ec2Async("DeleteTransitGateway", ("TransitGatewayId", gateway))).ErrorType);
        await dr.Ec2Async("DeleteTransitGatewayVpcAttachment", ("TransitGatewayAttachmentId", remoteId));
        var deleted = cloud.Server.State.CloudFormation.DeleteStack("333333333333", "us-east-2", "dr-hub")!;
        await deleted.Operation;
        Assert.Equal("DELETE_COMPLETE", deleted.Status);
        Assert.Empty((await production.Ec2Async("DescribeTransitGateways")).Values("transitGatewayId"));
        Assert.Empty((await production.RamAsync("/getresourceshares", new { resourceOwner = "SELF" })).Ok()["resourceShares"]!.AsArray());
        Assert.Empty((await dr.RamAsync("/listresources", new { resourceOwner = "OTHER-ACCOUNTS" })).Ok()["resources"]!.AsArray());
    }

    [Fact]
    public async Task An_attachment_with_two_subnets_in_one_zone_fails_the_stack_with_EC2s_refusal()
    {
        var (stack, _) = await cloud.DeployAsync("staging", "bad-hub", Hub("555555555555", "us-east-2a"));

        Assert.Equal("ROLLBACK_COMPLETE", stack.Status);
        Assert.Contains(stack.Events, stackEvent => stackEvent.LogicalResourceId == "Attachment" && stackEvent.ResourceStatus == "CREATE_FAILED"
            && stackEvent.ResourceStatusReason!.Contains("Duplicate Subnets for same AZ", StringComparison.Ordinal));
        Assert.Empty((await cloud.As("staging").Ec2Async("DescribeTransitGateways")).Values("transitGatewayId"));
    }

    /// <summary>A VPC over two subnets (the second in <paramref name="secondZone"/>), a gateway that auto-accepts with its own route table, and a share.</summary>
    private static string Hub(string principal, string secondZone) => $$"""
        Resources:
          Vpc:
            Type: AWS::EC2::VPC
            Properties: { CidrBlock: 10.30.0.0/16 }
          SubnetA:
            Type: AWS::EC2::Subnet
            Properties: { VpcId: !Ref Vpc, CidrBlock: 10.30.1.0/24, AvailabilityZone: us-east-2a }
          SubnetB:
            Type: AWS::EC2::Subnet
            Properties: { VpcId: !Ref Vpc, CidrBlock: 10.30.2.0/24, AvailabilityZone: {{secondZone}} }
          Gateway:
            Type: AWS::EC2::TransitGateway
            Properties:
              AmazonSideAsn: 64700
              AutoAcceptSharedAttachments: enable
              DefaultRouteTableAssociation: disable
              DefaultRouteTablePropagation: disable
              Tags: [{ Key: Name, Value: dr-hub }]
          Table:
            Type: AWS::EC2::TransitGatewayRouteTable
            Properties: { TransitGatewayId: !Ref Gateway }
          Attachment:
            Type: AWS::EC2::TransitGatewayVpcAttachment
            Properties: { TransitGatewayId: !Ref Gateway, VpcId: !Ref Vpc, SubnetIds: [!Ref SubnetA, !Ref SubnetB] }
          Association:
            Type: AWS::EC2::TransitGatewayRouteTableAssociation
            Properties: { TransitGatewayRouteTableId: !Ref Table, TransitGatewayAttachmentId: !Ref Attachment }
          Propagation:
            Type: AWS::EC2::TransitGatewayRouteTablePropagation
            Properties: { TransitGatewayRouteTableId: !Ref Table, TransitGatewayAttachmentId: !Ref Attachment }
          Blackhole:
            Type: AWS::EC2::TransitGatewayRoute
            Properties: { TransitGatewayRouteTableId: !Ref Table, DestinationCidrBlock: 10.99.0.0/16, Blackhole: true }
          Share:
            Type: AWS::RAM::ResourceShare
            Properties:
              Name: dr-hub
              AllowExternalPrincipals: false
              ResourceArns: [!GetAtt Gateway.TransitGatewayArn]
              Principals: ["{{principal}}"]
        Outputs:
          Gateway: { Value: !Ref Gateway }
          Table: { Value: !Ref Table }
          Attachment: { Value: !Ref Attachment }
        """;
}
