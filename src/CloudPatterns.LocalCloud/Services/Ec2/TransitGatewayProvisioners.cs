using System.Text.Json;
using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.CloudFormation;

namespace CloudPatterns.LocalCloud.Services.Ec2;

/// <summary>
/// The AWS::EC2::TransitGateway* types through <see cref="TransitGatewayStore"/>'s own checks, so what a stack makes is
/// what the EC2 API shows. Ref is the id (a gateway, attachment or route table); associations, propagations and routes
/// have composite ids (TABLE|ATTACHMENT, TABLE|CIDR). Tag changes are not applied on update.
/// </summary>
internal sealed class TransitGatewayProvisioner(TransitGatewayStore store, TimeProvider clock, string type) : ServiceProvisioner(clock)
{
    public static readonly string[] Types =
    [
        "AWS::EC2::TransitGateway", "AWS::EC2::TransitGatewayAttachment", "AWS::EC2::TransitGatewayVpcAttachment", "AWS::EC2::TransitGatewayRouteTable",
        "AWS::EC2::TransitGatewayRouteTableAssociation", "AWS::EC2::TransitGatewayRouteTablePropagation", "AWS::EC2::TransitGatewayRoute",
    ];

    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties)
    {
        var (account, region) = (request.Stack.AccountId, request.Stack.Region);
        switch (type)
        {
            case "AWS::EC2::TransitGateway":
                var gateway = store.Create(account, region, new TransitGateway("", "", "", default)
                {
                    Description = properties.GetStringOrNull("Description"),
                    AmazonSideAsn = (long)(Number(properties, "AmazonSideAsn") ?? 64512),
                    AutoAcceptSharedAttachments = properties.GetStringOrNull("AutoAcceptSharedAttachments") ?? "disable",
                    DefaultRouteTableAssociation = properties.GetStringOrNull("DefaultRouteTableAssociation") ?? "enable",
                    DefaultRouteTablePropagation = properties.GetStringOrNull("DefaultRouteTablePropagation") ?? "enable",
                    DnsSupport = properties.GetStringOrNull("DnsSupport") ?? "enable",
                    VpnEcmpSupport = properties.GetStringOrNull("VpnEcmpSupport") ?? "enable",
                    Tags = TagList(properties),
                });
                return Provisioned(gateway.Id, ("Id", gateway.Id), ("TransitGatewayArn", gateway.Arn), ("EncryptionSupportState", "disable"));
            case "AWS::EC2::TransitGatewayAttachment" or "AWS::EC2::TransitGatewayVpcAttachment":
                var options = properties.GetObjectOrNull("Options") ?? default;
                var attachment = store.Attach(account, region, Required(properties, "TransitGatewayId"), Required(properties, "VpcId"),
                    properties.GetStringsOrEmpty("SubnetIds"), new TransitGatewayAttachment("", null!, "", "", [], default)
                    {
                        DnsSupport = options.GetStringOrNull("DnsSupport") ?? "enable",
                        Ipv6Support = options.GetStringOrNull("Ipv6Support") ?? "disable",
                        ApplianceModeSupport = options.GetStringOrNull("ApplianceModeSupport") ?? "disable",
                        Tags = TagList(properties),
                    });
                return Provisioned(attachment.Id, ("Id", attachment.Id));
            case "AWS::EC2::TransitGatewayRouteTable":
                var table = store.CreateRouteTable(account, region, Required(properties, "TransitGatewayId"), TagList(properties));
                return Provisioned(table.Id, ("TransitGatewayRouteTableId", table.Id));
            case "AWS::EC2::TransitGatewayRouteTableAssociation":
                store.Associate(account, region, Required(properties, "TransitGatewayRouteTableId"), Required(properties, "TransitGatewayAttachmentId"));
                return Provisioned(Composite(properties, "TransitGatewayAttachmentId"));
            case "AWS::EC2::TransitGatewayRouteTablePropagation":
                store.Propagate(account, region, Required(properties, "TransitGatewayRouteTableId"), Required(properties, "TransitGatewayAttachmentId"), enable: true);
                return Provisioned(Composite(properties, "TransitGatewayAttachmentId"));
            default:
                var route = store.AddRoute(account, region, Required(properties, "TransitGatewayRouteTableId"), Required(properties, "DestinationCidrBlock"),
                    properties.GetStringOrNull("TransitGatewayAttachmentId"), Flag(properties, "Blackhole") == true);
                return Provisioned($"{Required(properties, "TransitGatewayRouteTableId")}|{route.DestinationCidrBlock}");
        }
    }

    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current) => current;

    protected override void Delete(ResourceRequest request, ProvisionedResource current)
    {
        if (!Exists(request, current))
        {
            return;
        }

        var (account, region) = (request.Stack.AccountId, request.Stack.Region);
        var (first, second) = Split(current.PhysicalId);
        switch (type)
        {
            case "AWS::EC2::TransitGateway":
                store.Delete(account, region, current.PhysicalId);
                break;
            case "AWS::EC2::TransitGatewayAttachment" or "AWS::EC2::TransitGatewayVpcAttachment":
                store.DeleteAttachment(account, region, current.PhysicalId);
                break;
            case "AWS::EC2::TransitGatewayRouteTable":
                store.DeleteRouteTable(account, region, current.PhysicalId);
                break;
            case "AWS::EC2::TransitGatewayRouteTableAssociation":
                store.Disassociate(account, region, first, second);
                break;
            case "AWS::EC2::TransitGatewayRouteTablePropagation":
                store.Propagate(account, region, first, second, enable: false);
                break;
            default:
                store.DeleteRoute(account, region, first, second);
                break;
        }
    }

    protected override bool Exists(ResourceRequest request, ProvisionedResource current)
    {
        var (account, region) = (request.Stack.AccountId, request.Stack.Region);
        var (first, second) = Split(current.PhysicalId);
        try
        {
            return type switch
            {
                "AWS::EC2::TransitGateway" => store.Gateways(account, region, [current.PhysicalId]).Count > 0,
                "AWS::EC2::TransitGatewayAttachment" or "AWS::EC2::TransitGatewayVpcAttachment" => store.Attachments(account, region, [current.PhysicalId]).Count > 0,
                "AWS::EC2::TransitGatewayRouteTable" => store.RouteTables(account, region, [current.PhysicalId]).Count > 0,
                "AWS::EC2::TransitGatewayRouteTableAssociation" => store.Linked(account, region, first, propagations: false).Any(attachment => attachment.Id == second),
                "AWS::EC2::TransitGatewayRouteTablePropagation" => store.Linked(account, region, first, propagations: true).Any(attachment => attachment.Id == second),
                _ => store.Routes(account, region, first).Any(route => route.Type == "static" && route.DestinationCidrBlock == second),
            };
        }
        catch (AwsServiceException)
        {
            return false;
        }
    }

    private static string Composite(JsonElement properties, string second) => $"{Required(properties, "TransitGatewayRouteTableId")}|{Required(properties, second)}";

    private static (string First, string Second) Split(string physicalId) =>
        physicalId.IndexOf('|', StringComparison.Ordinal) is var bar and > 0 ? (physicalId[..bar], physicalId[(bar + 1)..]) : (physicalId, "");

    private static string Required(JsonElement properties, string name) =>
        properties.GetStringOrNull(name) ?? throw new AwsServiceException(400, "MissingParameter", $"Property {name} is required.");
}
