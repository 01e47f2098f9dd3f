using System.Globalization;
using System.Xml.Linq;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Ec2;

/// <summary>
/// DescribeVpcs, DescribeSubnets and DescribeRouteTables over what CloudFormation created (docs/localcloud-fleet.md,
/// "VPCs, subnets and route tables"): custom resources and scripts check a network this way before using it.
/// </summary>
internal sealed partial class Ec2Service
{
    private void AddVpcOperations()
    {
        operations["DescribeVpcs"] = (false, DescribeVpcs);
        operations["DescribeSubnets"] = (false, DescribeSubnets);
        operations["DescribeRouteTables"] = (false, DescribeRouteTables);
        operations["ReplaceRoute"] = (true, ReplaceRoute);
    }

    /// <summary>
    /// ReplaceRoute (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ReplaceRoute.html): one destination,
    /// and exactly one target or LocalTarget true; the route must exist (docs/localcloud-fleet.md, "ReplaceRoute").
    /// </summary>
    private IEnumerable<XElement> ReplaceRoute(AwsRequest request, QueryParameters parameters)
    {
        var routeTableId = parameters.Get("RouteTableId") ?? throw new AwsServiceException(400, "MissingParameter", "The request must contain the parameter routeTableId");
        var destinations = new[] { "DestinationCidrBlock", "DestinationIpv6CidrBlock", "DestinationPrefixListId" }
            .Select(parameters.Get).OfType<string>().ToList();
        if (destinations.Count != 1)
        {
            throw new AwsServiceException(400, destinations.Count == 0 ? "MissingParameter" : "InvalidParameterCombination",
                "The request must contain exactly one of the parameters destinationCidrBlock, destinationIpv6CidrBlock and destinationPrefixListId");
        }

        var targets = RecordedVpcs.RouteTargets.Select(target => (target.Property, Id: parameters.Get(target.Property)))
            .Where(target => target.Id is not null).Select(target => (target.Property, Id: target.Id!)).ToList();
        var local = string.Equals(parameters.Get("LocalTarget"), "true", StringComparison.OrdinalIgnoreCase);
        if (targets.Count + (local ? 1 : 0) != 1)
        {
            throw new AwsServiceException(400, targets.Count == 0 && !local ? "MissingParameter" : "InvalidParameterCombination",
                $"The request must contain exactly one route target ({string.Join(", ", RecordedVpcs.RouteTargets.Select(target => target.Property))}) or LocalTarget true"
                + (targets.Count + (local ? 1 : 0) > 1 ? $"; it has {string.Join(", ", targets.Select(target => target.Property).Concat(local ? ["LocalTarget"] : []))}." : "."));
        }

        vpcDirectory.ReplaceRoute(request.AccountId, request.Region, routeTableId, destinations[0], local ? null : targets[0]);
        yield return Element("return", "true");
    }

    private IEnumerable<XElement> DescribeVpcs(AwsRequest request, QueryParameters parameters)
    {
        var vpcs = Selected(vpcDirectory.Vpcs(request.AccountId, request.Region), vpc => vpc.VpcId, parameters, "VpcId",
            id => $"The vpc ID '{id}' does not exist", "InvalidVpcID.NotFound", (vpc, filter) => VpcFilterValues(vpc, filter, request.AccountId));
        yield return Element("vpcSet", vpcs.Select(vpc => Element("item", new object?[]
        {
            Element("vpcId", vpc.VpcId),
            Element("ownerId", request.AccountId),
            Element("state", "available"),
            vpc.CidrBlocks.Count > 0 ? Element("cidrBlock", vpc.CidrBlocks[0]) : null,
            Element("cidrBlockAssociationSet", vpc.CidrBlocks.Select((cidr, index) => Element("item", new[]
            {
                Element("associationId", "vpc-cidr-assoc-" + vpc.VpcId[4..] + index.ToString(CultureInfo.InvariantCulture)),
                Element("cidrBlock", cidr),
                Element("cidrBlockState", Element("state", "associated")),
            }))),
            Element("instanceTenancy", vpc.InstanceTenancy),
            Element("isDefault", "false"),
            TagSet(vpc.Tags),
        })).ToList());
    }

    private IEnumerable<XElement> DescribeSubnets(AwsRequest request, QueryParameters parameters)
    {
        var subnets = Selected(vpcDirectory.Subnets(request.AccountId, request.Region), subnet => subnet.SubnetId, parameters, "SubnetId",
            id => $"The subnet ID '{id}' does not exist", "InvalidSubnetID.NotFound", (subnet, filter) => SubnetFilterValues(subnet, filter, request));
        yield return Element("subnetSet", subnets.Select(subnet => Element("item", new[]
        {
            Element("subnetId", subnet.SubnetId),
            Element("subnetArn", SubnetArn(subnet, request)),
            Element("state", "available"),
            Element("ownerId", request.AccountId),
            Element("vpcId", subnet.VpcId),
            Element("cidrBlock", subnet.CidrBlock),
            Element("availableIpAddressCount", RecordedVpcs.AvailableAddresses(subnet.CidrBlock).ToString(CultureInfo.InvariantCulture)),
            Element("availabilityZone", subnet.AvailabilityZone),
            Element("defaultForAz", "false"),
            Element("mapPublicIpOnLaunch", subnet.MapPublicIpOnLaunch ? "true" : "false"),
            Element("assignIpv6AddressOnCreation", "false"),
            Element("ipv6CidrBlockAssociationSet", null),
            TagSet(subnet.Tags),
        })).ToList());
    }

    private IEnumerable<XElement> DescribeRouteTables(AwsRequest request, QueryParameters parameters)
    {
        var tables = Selected(vpcDirectory.RouteTables(request.AccountId, request.Region), table => table.RouteTableId, parameters, "RouteTableId",
            id => $"The routeTable ID '{id}' does not exist", "InvalidRouteTableID.NotFound", (table, filter) => RouteTableFilterValues(table, filter, request.AccountId));
        yield return Element("routeTableSet", tables.Select(table => Element("item", new[]
        {
            Element("routeTableId", table.RouteTableId),
            Element("vpcId", table.VpcId),
            Element("ownerId", request.AccountId),
            Element("routeSet", table.Routes.Select(route => Element("item", new object?[]
            {
                Element(route.Ipv6 ? "destinationIpv6CidrBlock" : route.Destination.StartsWith("pl-", StringComparison.Ordinal) ? "destinationPrefixListId" : "destinationCidrBlock", route.Destination),
                route.TargetKind is null ? null : Element(route.TargetKind, route.TargetId),
                Element("state", "active"),
                Element("origin", route.Origin),
            }))),
            Element("associationSet", table.Associations.Select(association => Element("item", new object?[]
            {
                Element("routeTableAssociationId", association.AssociationId),
                Element("routeTableId", table.RouteTableId),
                association.SubnetId is null ? null : Element("subnetId", association.SubnetId),
                association.GatewayId is null ? null : Element("gatewayId", association.GatewayId),
                Element("main", association.Main ? "true" : "false"),
                Element("associationState", Element("state", "associated")),
            }))),
            Element("propagatingVgwSet", null),
            TagSet(table.Tags),
        })).ToList());
    }

    /// <summary>
    /// The items the request asks for: the ids in <paramref name="idParameter"/>.N (the first unknown one fails the whole
    /// call, as EC2 does), then every Filter.N (an item matches a filter when any of its values is among the filter's).
    /// </summary>
    private static List<T> Selected<T>(IReadOnlyList<T> items, Func<T, string> id, QueryParameters parameters, string idParameter,
        Func<string, string> notFoundMessage, string notFoundCode, Func<T, string, IEnumerable<string?>> filterValues)
    {
        var ids = List(parameters, idParameter);
        if (FirstUnknown(ids, items.Select(id)) is { } missing)
        {
            throw new AwsServiceException(400, notFoundCode, notFoundMessage(missing));
        }

        var filters = Filters(parameters);
        return [.. items.Where(item => (ids.Count == 0 || ids.Contains(id(item))) && filters.All(filter => filterValues(item, filter.Name).Any(filter.Values.Contains)))];
    }

    private static IEnumerable<string?> VpcFilterValues(Vpc vpc, string filter, string accountId) => filter switch
    {
        "vpc-id" => [vpc.VpcId],
        "cidr" or "cidrBlock" => vpc.CidrBlocks.Take(1),
        "cidr-block-association.cidr-block" => vpc.CidrBlocks,
        "cidr-block-association.state" => ["associated"],
        "state" => ["available"],
        "is-default" or "isDefault" => ["false"],
        "owner-id" => [accountId],
        "instance-tenancy" => [vpc.InstanceTenancy],
        _ => TagFilterValues(vpc.Tags, filter),
    };

    private static IEnumerable<string?> SubnetFilterValues(Subnet subnet, string filter, AwsRequest request) => filter switch
    {
        "subnet-id" => [subnet.SubnetId],
        "subnet-arn" => [SubnetArn(subnet, request)],
        "vpc-id" or "vpcId" => [subnet.VpcId],
        "availability-zone" or "availabilityZone" => [subnet.AvailabilityZone],
        "cidr-block" or "cidrBlock" or "cidr" => [subnet.CidrBlock],
        "state" => ["available"],
        "default-for-az" or "defaultForAz" => ["false"],
        "map-public-ip-on-launch" => [subnet.MapPublicIpOnLaunch ? "true" : "false"],
        "owner-id" => [request.AccountId],
        _ => TagFilterValues(subnet.Tags, filter),
    };

    private static IEnumerable<string?> RouteTableFilterValues(VpcRouteTable table, string filter, string accountId) => filter switch
    {
        "route-table-id" => [table.RouteTableId],
        "vpc-id" => [table.VpcId],
        "owner-id" => [accountId],
        "association.route-table-id" => table.Associations.Count > 0 ? [table.RouteTableId] : [],
        "association.route-table-association-id" => table.Associations.Select(association => association.AssociationId),
        "association.subnet-id" => table.Associations.Select(association => association.SubnetId),
        "association.gateway-id" => table.Associations.Select(association => association.GatewayId),
        "association.main" => table.Associations.Select(association => association.Main ? "true" : "false"),
        "route.destination-cidr-block" => table.Routes.Where(route => !route.Ipv6).Select(route => route.Destination),
        "route.destination-ipv6-cidr-block" => table.Routes.Where(route => route.Ipv6).Select(route => route.Destination),
        "route.gateway-id" => table.Routes.Where(route => route.TargetKind == "gatewayId").Select(route => route.TargetId),
        "route.nat-gateway-id" => table.Routes.Where(route => route.TargetKind == "natGatewayId").Select(route => route.TargetId),
        "route.transit-gateway-id" => table.Routes.Where(route => route.TargetKind == "transitGatewayId").Select(route => route.TargetId),
        "route.vpc-peering-connection-id" => table.Routes.Where(route => route.TargetKind == "vpcPeeringConnectionId").Select(route => route.TargetId),
        "route.instance-id" => table.Routes.Where(route => route.TargetKind == "instanceId").Select(route => route.TargetId),
        "route.egress-only-internet-gateway-id" => table.Routes.Where(route => route.TargetKind == "egressOnlyInternetGatewayId").Select(route => route.TargetId),
        "route.origin" => table.Routes.Select(route => route.Origin),
        "route.state" => table.Routes.Select(_ => "active"),
        _ => TagFilterValues(table.Tags, filter),
    };

    /// <summary>The tag filters every Describe call of these types takes (tag:Key, tag-key, tag-value); any other name is refused.</summary>
    private static IEnumerable<string?> TagFilterValues(IReadOnlyDictionary<string, string> tags, string filter) => filter switch
    {
        _ when filter.StartsWith("tag:", StringComparison.Ordinal) => tags.TryGetValue(filter[4..], out var value) ? [value] : [],
        "tag-key" => tags.Keys,
        "tag-value" => tags.Values,
        _ => throw new AwsServiceException(400, "InvalidParameterValue", $"The filter '{filter}' is invalid"),
    };

    private static string SubnetArn(Subnet subnet, AwsRequest request) => $"arn:aws:ec2:{request.Region}:{request.AccountId}:subnet/{subnet.SubnetId}";
}
