using System.Globalization;
using System.Xml.Linq;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Ec2;

/// <summary>Transit gateways, VPC attachments, route tables and routes on the EC2 API (docs/localcloud-transit-gateway.md).</summary>
internal sealed partial class Ec2Service
{
    private void AddTransitGatewayOperations()
    {
        operations["CreateTransitGateway"] = (true, CreateTransitGateway);
        operations["DescribeTransitGateways"] = (false, (request, parameters) =>
            [Element("transitGatewaySet", Matching(transitGateways.Gateways(request.AccountId, request.Region, List(parameters, "TransitGatewayIds")), parameters, GatewayFilter)
                .Select(gateway => Element("item", Gateway(gateway, "available"))))]);
        operations["DeleteTransitGateway"] = (true, (request, parameters) =>
            [Element("transitGateway", Gateway(transitGateways.Delete(request.AccountId, request.Region, Required(parameters, "TransitGatewayId")), "deleting"))]);
        operations["CreateTransitGatewayVpcAttachment"] = (true, CreateTransitGatewayVpcAttachment);
        operations["AcceptTransitGatewayVpcAttachment"] = (true, (request, parameters) =>
            [Element("transitGatewayVpcAttachment", VpcAttachment(transitGateways.Accept(request.AccountId, request.Region, Required(parameters, "TransitGatewayAttachmentId")), "pending"))]);
        operations["DeleteTransitGatewayVpcAttachment"] = (true, (request, parameters) =>
            [Element("transitGatewayVpcAttachment", VpcAttachment(transitGateways.DeleteAttachment(request.AccountId, request.Region, Required(parameters, "TransitGatewayAttachmentId")), null))]);
        operations["DescribeTransitGatewayVpcAttachments"] = (false, (request, parameters) =>
            [Element("transitGatewayVpcAttachments", AttachmentsOf(request, parameters).Where(attachment => attachment.ResourceType == "vpc").Select(attachment => Element("item", VpcAttachment(attachment, null))))]);
        operations["DescribeTransitGatewayAttachments"] = (false, (request, parameters) =>
            [Element("transitGatewayAttachments", AttachmentsOf(request, parameters).Select(attachment => Element("item", Attachment(attachment))))]);
        operations["CreateTransitGatewayRouteTable"] = (true, (request, parameters) =>
            [Element("transitGatewayRouteTable", RouteTable(transitGateways.CreateRouteTable(request.AccountId, request.Region, Required(parameters, "TransitGatewayId"),
                TagSpecifications(parameters, "TagSpecifications")), "pending"))]);
        operations["DescribeTransitGatewayRouteTables"] = (false, (request, parameters) =>
            [Element("transitGatewayRouteTables", Matching(transitGateways.RouteTables(request.AccountId, request.Region, List(parameters, "TransitGatewayRouteTableIds")), parameters, RouteTableFilter)
                .Select(table => Element("item", RouteTable(table, "available"))))]);
        operations["DeleteTransitGatewayRouteTable"] = (true, (request, parameters) =>
            [Element("transitGatewayRouteTable", RouteTable(transitGateways.DeleteRouteTable(request.AccountId, request.Region, Required(parameters, "TransitGatewayRouteTableId")), "deleting"))]);
        operations["AssociateTransitGatewayRouteTable"] = (true, (request, parameters) => [Link("association", parameters,
            transitGateways.Associate(request.AccountId, request.Region, Required(parameters, "TransitGatewayRouteTableId"), Required(parameters, "TransitGatewayAttachmentId")), "associating")]);
        operations["DisassociateTransitGatewayRouteTable"] = (true, (request, parameters) => [Link("association", parameters,
            transitGateways.Disassociate(request.AccountId, request.Region, Required(parameters, "TransitGatewayRouteTableId"), Required(parameters, "TransitGatewayAttachmentId")), "disassociating")]);
        operations["EnableTransitGatewayRouteTablePropagation"] = (true, (request, parameters) => [Link("propagation", parameters,
            transitGateways.Propagate(request.AccountId, request.Region, Required(parameters, "TransitGatewayRouteTableId"), Required(parameters, "TransitGatewayAttachmentId"), enable: true), "enabled")]);
        operations["DisableTransitGatewayRouteTablePropagation"] = (true, (request, parameters) => [Link("propagation", parameters,
            transitGateways.Propagate(request.AccountId, request.Region, Required(parameters, "TransitGatewayRouteTableId"), Required(parameters, "TransitGatewayAttachmentId"), enable: false), "disabled")]);
        operations["GetTransitGatewayRouteTableAssociations"] = (false, (request, parameters) =>
            [Element("associations", transitGateways.Linked(request.AccountId, request.Region, Required(parameters, "TransitGatewayRouteTableId"), propagations: false)
                .Select(attachment => Element("item", LinkMembers(attachment, "associated"))))]);
        operations["GetTransitGatewayRouteTablePropagations"] = (false, (request, parameters) =>
            [Element("transitGatewayRouteTablePropagations", transitGateways.Linked(request.AccountId, request.Region, Required(parameters, "TransitGatewayRouteTableId"), propagations: true)
                .Select(attachment => Element("item", LinkMembers(attachment, "enabled"))))]);
        operations["CreateTransitGatewayRoute"] = (true, (request, parameters) => [Element("route", Route(transitGateways.AddRoute(request.AccountId, request.Region,
            Required(parameters, "TransitGatewayRouteTableId"), Required(parameters, "DestinationCidrBlock"), parameters.Get("TransitGatewayAttachmentId"),
            string.Equals(parameters.Get("Blackhole"), "true", StringComparison.OrdinalIgnoreCase))))]);
        operations["DeleteTransitGatewayRoute"] = (true, (request, parameters) => [Element("route", Route(transitGateways.DeleteRoute(request.AccountId, request.Region,
            Required(parameters, "TransitGatewayRouteTableId"), Required(parameters, "DestinationCidrBlock"))))]);
        operations["SearchTransitGatewayRoutes"] = (false, SearchTransitGatewayRoutes);
    }

    private IEnumerable<XElement> CreateTransitGateway(AwsRequest request, QueryParameters parameters)
    {
        var asn = parameters.Get("Options.AmazonSideAsn");
        var gateway = transitGateways.Create(request.AccountId, request.Region, new TransitGateway("", "", "", default)
        {
            Description = parameters.Get("Description"),
            AmazonSideAsn = asn is null ? 64512 : long.TryParse(asn, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : -1,
            AutoAcceptSharedAttachments = Toggle(parameters, "Options.AutoAcceptSharedAttachments", "disable"),
            DefaultRouteTableAssociation = Toggle(parameters, "Options.DefaultRouteTableAssociation", "enable"),
            DefaultRouteTablePropagation = Toggle(parameters, "Options.DefaultRouteTablePropagation", "enable"),
            DnsSupport = Toggle(parameters, "Options.DnsSupport", "enable"),
            VpnEcmpSupport = Toggle(parameters, "Options.VpnEcmpSupport", "enable"),
            Tags = TagSpecifications(parameters, "TagSpecification"),
        });
        yield return Element("transitGateway", Gateway(gateway, "pending"));
    }

    private IEnumerable<XElement> CreateTransitGatewayVpcAttachment(AwsRequest request, QueryParameters parameters)
    {
        var attachment = transitGateways.Attach(request.AccountId, request.Region, Required(parameters, "TransitGatewayId"), Required(parameters, "VpcId"),
            List(parameters, "SubnetIds"), new TransitGatewayAttachment("", null!, "", "", [], default)
            {
                DnsSupport = Toggle(parameters, "Options.DnsSupport", "enable"),
                Ipv6Support = Toggle(parameters, "Options.Ipv6Support", "disable"),
                ApplianceModeSupport = Toggle(parameters, "Options.ApplianceModeSupport", "disable"),
                Tags = TagSpecifications(parameters, "TagSpecifications"),
            });
        yield return Element("transitGatewayVpcAttachment", VpcAttachment(attachment, attachment.State == "available" ? "pending" : null));
    }

    private IEnumerable<XElement> SearchTransitGatewayRoutes(AwsRequest request, QueryParameters parameters)
    {
        var filters = Filters(parameters);
        if (filters.Count == 0)
        {
            throw new AwsServiceException(400, "MissingParameter", "The request must contain the parameter Filters");
        }

        var routes = Matching(transitGateways.Routes(request.AccountId, request.Region, Required(parameters, "TransitGatewayRouteTableId")), parameters, RouteFilter).ToList();
        yield return Element("routeSet", routes.Select(route => Element("item", Route(route))));
        yield return Element("additionalRoutesAvailable", "false");
    }

    private List<TransitGatewayAttachment> AttachmentsOf(AwsRequest request, QueryParameters parameters) =>
        Matching(transitGateways.Attachments(request.AccountId, request.Region, List(parameters, "TransitGatewayAttachmentIds")), parameters, AttachmentFilter).ToList();

    private static IEnumerable<T> Matching<T>(IEnumerable<T> items, QueryParameters parameters, Func<T, string, string?> value)
    {
        var filters = Filters(parameters);
        return items.Where(item => filters.All(filter => filter.Values.Contains(value(item, filter.Name))));
    }

    private static string? GatewayFilter(TransitGateway gateway, string filter) => filter switch
    {
        "transit-gateway-id" => gateway.Id,
        "owner-id" => gateway.OwnerId,
        "state" => "available",
        "options.amazon-side-asn" => gateway.AmazonSideAsn.ToString(CultureInfo.InvariantCulture),
        "options.association-default-route-table-id" or "options.propagation-default-route-table-id" => gateway.DefaultRouteTableId,
        _ => TagFilter(gateway.Tags, filter),
    };

    private static string? AttachmentFilter(TransitGatewayAttachment attachment, string filter) => filter switch
    {
        "transit-gateway-attachment-id" => attachment.Id,
        "transit-gateway-id" => attachment.Gateway.Id,
        "transit-gateway-owner-id" => attachment.Gateway.OwnerId,
        "resource-owner-id" or "vpc-owner-id" => attachment.VpcOwnerId,
        "resource-id" or "vpc-id" => attachment.VpcId,
        "resource-type" => attachment.ResourceType,
        "state" => attachment.State,
        "association.transit-gateway-route-table-id" => attachment.AssociatedRouteTableId,
        _ => TagFilter(attachment.Tags, filter),
    };

    private static string? RouteTableFilter(TransitGatewayRouteTable table, string filter) => filter switch
    {
        "transit-gateway-route-table-id" => table.Id,
        "transit-gateway-id" => table.Gateway.Id,
        "state" => "available",
        "default-association-route-table" => Flag(table.IsDefault && table.Gateway.DefaultRouteTableAssociation == "enable"),
        "default-propagation-route-table" => Flag(table.IsDefault && table.Gateway.DefaultRouteTablePropagation == "enable"),
        _ => TagFilter(table.Tags, filter),
    };

    private static string? RouteFilter(TransitGatewayRoute route, string filter) => filter switch
    {
        "type" => route.Type,
        "state" => route.State,
        "route-search.exact-match" => route.DestinationCidrBlock,
        "attachment.transit-gateway-attachment-id" => route.Attachment?.Id,
        "attachment.resource-id" => route.Attachment?.VpcId,
        "attachment.resource-type" => route.Attachment?.ResourceType,
        _ => throw new AwsServiceException(400, "InvalidParameterValue", $"The filter '{filter}' is invalid"),
    };

    private static string? TagFilter(IReadOnlyDictionary<string, string> tags, string filter) =>
        filter.StartsWith("tag:", StringComparison.Ordinal) ? tags.GetValueOrDefault(filter[4..])
        : throw new AwsServiceException(400, "InvalidParameterValue", $"The filter '{filter}' is invalid");

    private static IEnumerable<XElement> Gateway(TransitGateway gateway, string state) =>
    [
        Element("transitGatewayId", gateway.Id),
        Element("transitGatewayArn", gateway.Arn),
        Element("state", state),
        Element("ownerId", gateway.OwnerId),
        Element("description", gateway.Description ?? ""),
        Element("creationTime", Time(gateway.CreationTime)),
        Element("options", new object?[]
        {
            Element("amazonSideAsn", gateway.AmazonSideAsn.ToString(CultureInfo.InvariantCulture)),
            Element("autoAcceptSharedAttachments", gateway.AutoAcceptSharedAttachments),
            Element("defaultRouteTableAssociation", gateway.DefaultRouteTableAssociation),
            gateway.DefaultRouteTableAssociation == "enable" && gateway.DefaultRouteTableId is { } associationTable ? Element("associationDefaultRouteTableId", associationTable) : null,
            Element("defaultRouteTablePropagation", gateway.DefaultRouteTablePropagation),
            gateway.DefaultRouteTablePropagation == "enable" && gateway.DefaultRouteTableId is { } propagationTable ? Element("propagationDefaultRouteTableId", propagationTable) : null,
            Element("vpnEcmpSupport", gateway.VpnEcmpSupport),
            Element("dnsSupport", gateway.DnsSupport),
            Element("multicastSupport", "disable"),
        }),
        TagSet(gateway.Tags),
    ];

    /// <summary>A VPC attachment; <paramref name="state"/> overrides the stored one (what a create or accept call answers while it settles).</summary>
    private static IEnumerable<XElement> VpcAttachment(TransitGatewayAttachment attachment, string? state) =>
    [
        Element("transitGatewayAttachmentId", attachment.Id),
        Element("transitGatewayId", attachment.Gateway.Id),
        Element("vpcId", attachment.VpcId),
        Element("vpcOwnerId", attachment.VpcOwnerId),
        Element("state", state ?? attachment.State),
        Element("subnetIds", attachment.SubnetIds.Select(subnet => Element("item", subnet))),
        Element("creationTime", Time(attachment.CreationTime)),
        Element("options", new[]
        {
            Element("dnsSupport", attachment.DnsSupport),
            Element("ipv6Support", attachment.Ipv6Support),
            Element("applianceModeSupport", attachment.ApplianceModeSupport),
        }),
        TagSet(attachment.Tags),
    ];

    private static IEnumerable<XElement?> Attachment(TransitGatewayAttachment attachment) =>
    [
        Element("transitGatewayAttachmentId", attachment.Id),
        Element("transitGatewayId", attachment.Gateway.Id),
        Element("transitGatewayOwnerId", attachment.Gateway.OwnerId),
        Element("resourceOwnerId", attachment.VpcOwnerId),
        Element("resourceType", attachment.ResourceType),
        Element("resourceId", attachment.VpcId),
        Element("state", attachment.State),
        attachment.AssociatedRouteTableId is { } table
            ? Element("association", new[] { Element("transitGatewayRouteTableId", table), Element("state", "associated") })
            : null,
        Element("creationTime", Time(attachment.CreationTime)),
        TagSet(attachment.Tags),
    ];

    private static IEnumerable<XElement> RouteTable(TransitGatewayRouteTable table, string state) =>
    [
        Element("transitGatewayRouteTableId", table.Id),
        Element("transitGatewayId", table.Gateway.Id),
        Element("state", state),
        Element("defaultAssociationRouteTable", Flag(table.IsDefault && table.Gateway.DefaultRouteTableAssociation == "enable")),
        Element("defaultPropagationRouteTable", Flag(table.IsDefault && table.Gateway.DefaultRouteTablePropagation == "enable")),
        Element("creationTime", Time(table.CreationTime)),
        TagSet(table.Tags),
    ];

    /// <summary>An association or propagation answer: the route table, the attachment and its VPC, and the state.</summary>
    private static XElement Link(string name, QueryParameters parameters, TransitGatewayAttachment attachment, string state) =>
        Element(name, LinkMembers(attachment, state).Prepend(Element("transitGatewayRouteTableId", parameters.Get("TransitGatewayRouteTableId"))));

    private static IEnumerable<XElement> LinkMembers(TransitGatewayAttachment attachment, string state) =>
    [
        Element("transitGatewayAttachmentId", attachment.Id),
        Element("resourceId", attachment.VpcId),
        Element("resourceType", attachment.ResourceType),
        Element("state", state),
    ];

    private static IEnumerable<XElement?> Route(TransitGatewayRoute route) =>
    [
        Element("destinationCidrBlock", route.DestinationCidrBlock),
        route.Attachment is { } attachment
            ? Element("transitGatewayAttachments", Element("item", new[]
            {
                Element("resourceId", attachment.VpcId),
                Element("transitGatewayAttachmentId", attachment.Id),
                Element("resourceType", attachment.ResourceType),
            }))
            : null,
        Element("type", route.Type),
        Element("state", route.State),
    ];

    private static XElement TagSet(IReadOnlyDictionary<string, string> tags) =>
        Element("tagSet", tags.Select(tag => Element("item", new[] { Element("key", tag.Key), Element("value", tag.Value) })));

    /// <summary>Tags of TagSpecification(s).N (the member is named TagSpecification in CreateTransitGateway, TagSpecifications elsewhere).</summary>
    private static Dictionary<string, string> TagSpecifications(QueryParameters parameters, string name)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var index = 1; parameters.Get($"{name}.{index}.ResourceType") is not null || parameters.Get($"{name}.{index}.Tag.1.Key") is not null; index++)
        {
            for (var tag = 1; parameters.Get($"{name}.{index}.Tag.{tag}.Key") is { } key; tag++)
            {
                tags[key] = parameters.Get($"{name}.{index}.Tag.{tag}.Value") ?? "";
            }
        }

        return tags;
    }

    /// <summary>An enable/disable option; anything else is refused with the values allowed.</summary>
    private static string Toggle(QueryParameters parameters, string name, string fallback) => parameters.Get(name) switch
    {
        null => fallback,
        "enable" => "enable",
        "disable" => "disable",
        var other => throw new AwsServiceException(400, "InvalidParameterValue", $"Value ({other}) for parameter {name} is invalid. Allowed values: enable, disable."),
    };

    private static string Required(QueryParameters parameters, string name) =>
        parameters.Get(name) ?? throw new AwsServiceException(400, "MissingParameter", $"The request must contain the parameter {name}");

    private static string Flag(bool value) => value ? "true" : "false";
}
