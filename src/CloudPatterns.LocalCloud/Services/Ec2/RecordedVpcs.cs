using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.CloudFormation.Templates;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Ec2;

/// <summary>A VPC as DescribeVpcs shows it: its primary IPv4 block first, then the AWS::EC2::VPCCidrBlock ones.</summary>
internal sealed record Vpc(string VpcId, IReadOnlyList<string> CidrBlocks, string InstanceTenancy, IReadOnlyDictionary<string, string> Tags);

/// <summary>A subnet as DescribeSubnets shows it.</summary>
internal sealed record Subnet(string SubnetId, string VpcId, string CidrBlock, string AvailabilityZone, bool MapPublicIpOnLaunch, IReadOnlyDictionary<string, string> Tags);

/// <summary>One route of a route table: its destination, its target (kind as the API names it, and id) and its origin.</summary>
internal sealed record VpcRoute(string Destination, bool Ipv6, string? TargetKind, string? TargetId, string Origin);

/// <summary>An association of a route table with a subnet, a gateway (edge association) or, for the main table, the VPC.</summary>
internal sealed record RouteTableAssociation(string AssociationId, string? SubnetId, string? GatewayId, bool Main);

/// <summary>A route table as DescribeRouteTables shows it.</summary>
internal sealed record VpcRouteTable(string RouteTableId, string VpcId, IReadOnlyList<VpcRoute> Routes, IReadOnlyList<RouteTableAssociation> Associations, IReadOnlyDictionary<string, string> Tags);

/// <summary>
/// The targets EC2 ReplaceRoute gave the routes no AWS::EC2::Route resource holds: a VPC's local routes (VPC "more
/// specific routing" points them at a network interface or an endpoint), by account, region, route table and destination.
/// </summary>
internal sealed class RouteReplacements
{
    private readonly ConcurrentDictionary<(string Account, string Region, string RouteTableId, string Destination), (string Member, string Id)> targets = new();

    public (string Member, string Id)? Target(string accountId, string region, string routeTableId, string destination) =>
        targets.TryGetValue((accountId, region, routeTableId, destination), out var target) ? target : null;

    /// <summary>Points the route at a target, or with null resets it to its default (local).</summary>
    public void Set(string accountId, string region, string routeTableId, string destination, (string Member, string Id)? target)
    {
        if (target is { } replaced)
        {
            targets[(accountId, region, routeTableId, destination)] = replaced;
        }
        else
        {
            targets.TryRemove((accountId, region, routeTableId, destination), out _);
        }
    }
}

/// <summary>
/// VPCs, subnets and route tables as CloudFormation recorded them (LocalCloud has no API that creates them): a VPC's
/// CidrBlock, a subnet's VpcId and AvailabilityZone (the region's "a" zone when the template names none, as the fleet
/// assumes); the route tables with their AWS::EC2::Route and association resources, and the main route table AWS gives
/// every VPC (docs/localcloud-fleet.md, "VPCs, subnets and route tables"); ReplaceRoute changes a route's target.
/// </summary>
internal sealed class RecordedVpcs(GenericResourceProvisioner generic, RouteReplacements? replacements = null) : IVpcDirectory
{
    private const string RouteType = "AWS::EC2::Route";

    // The properties of AWS::EC2::Route (and ReplaceRoute's parameters) that name a route's target, and the member
    // of DescribeRouteTables' Route that shows it.
    public static readonly (string Property, string Member)[] RouteTargets =
    [
        ("GatewayId", "gatewayId"), ("NatGatewayId", "natGatewayId"), ("TransitGatewayId", "transitGatewayId"),
        ("VpcEndpointId", "gatewayId"), ("InstanceId", "instanceId"), ("NetworkInterfaceId", "networkInterfaceId"),
        ("VpcPeeringConnectionId", "vpcPeeringConnectionId"), ("EgressOnlyInternetGatewayId", "egressOnlyInternetGatewayId"),
        ("CarrierGatewayId", "carrierGatewayId"), ("LocalGatewayId", "localGatewayId"), ("CoreNetworkArn", "coreNetworkArn"),
    ];

    public string? VpcCidr(string accountId, string region, string vpcId) =>
        generic.Recorded(accountId, region, "AWS::EC2::VPC").TryGetValue(vpcId, out var vpc) ? Text(vpc["CidrBlock"]) ?? "" : null;

    public (string VpcId, string AvailabilityZone)? Subnet(string accountId, string region, string subnetId) =>
        generic.Recorded(accountId, region, "AWS::EC2::Subnet").TryGetValue(subnetId, out var subnet)
            ? (Text(subnet["VpcId"]) ?? "", Text(subnet["AvailabilityZone"]) ?? region + "a")
            : null;

    public IReadOnlyList<Vpc> Vpcs(string accountId, string region)
    {
        var secondary = generic.Recorded(accountId, region, "AWS::EC2::VPCCidrBlock").Values.ToList();
        return [.. Sorted(generic.Recorded(accountId, region, "AWS::EC2::VPC")).Select(entry => new Vpc(
            entry.Key,
            [.. new[] { Text(entry.Value["CidrBlock"]) }.Concat(secondary.Where(block => Text(block["VpcId"]) == entry.Key).Select(block => Text(block["CidrBlock"])))
                .OfType<string>()],
            Text(entry.Value["InstanceTenancy"]) ?? "default",
            Tags(entry.Value)))];
    }

    public IReadOnlyList<Subnet> Subnets(string accountId, string region) =>
        [.. Sorted(generic.Recorded(accountId, region, "AWS::EC2::Subnet")).Select(entry => new Subnet(
            entry.Key,
            Text(entry.Value["VpcId"]) ?? "",
            Text(entry.Value["CidrBlock"]) ?? "",
            Text(entry.Value["AvailabilityZone"]) ?? region + "a",
            string.Equals(Text(entry.Value["MapPublicIpOnLaunch"]), "true", StringComparison.OrdinalIgnoreCase),
            Tags(entry.Value)))];

    /// <summary>
    /// The template's route tables, each with the VPC's local route first, then its AWS::EC2::Route resources and its
    /// subnet and gateway associations; and for every VPC its main route table (local route only), which AWS creates
    /// with the VPC and which serves the subnets no table is associated with explicitly.
    /// </summary>
    public IReadOnlyList<VpcRouteTable> RouteTables(string accountId, string region)
    {
        var routes = generic.Recorded(accountId, region, RouteType).Values.ToList();
        var subnetAssociations = generic.Recorded(accountId, region, "AWS::EC2::SubnetRouteTableAssociation");
        var gatewayAssociations = generic.Recorded(accountId, region, "AWS::EC2::GatewayRouteTableAssociation");
        var vpcs = Vpcs(accountId, region).ToDictionary(vpc => vpc.VpcId, StringComparer.Ordinal);
        IEnumerable<VpcRoute> Local(string vpcId, string routeTableId) => (vpcs.TryGetValue(vpcId, out var vpc) ? vpc.CidrBlocks : [])
            .Select(cidr => replacements?.Target(accountId, region, routeTableId, cidr) is { } target
                ? new VpcRoute(cidr, false, target.Member, target.Id, LocalOrigin)
                : new VpcRoute(cidr, false, "gatewayId", "local", LocalOrigin));

        var main = vpcs.Values.Select(vpc => new VpcRouteTable(
            DerivedId("rtb-", vpc.VpcId), vpc.VpcId, [.. Local(vpc.VpcId, DerivedId("rtb-", vpc.VpcId))],
            [new RouteTableAssociation(DerivedId("rtbassoc-", vpc.VpcId), null, null, Main: true)],
            new Dictionary<string, string>(StringComparer.Ordinal)));
        var declared = Sorted(generic.Recorded(accountId, region, "AWS::EC2::RouteTable")).Select(entry =>
        {
            var vpcId = Text(entry.Value["VpcId"]) ?? "";
            var own = routes.Where(route => Text(route["RouteTableId"]) == entry.Key).Select(route => Route(route)).OfType<VpcRoute>();
            var associations = Sorted(subnetAssociations).Where(association => Text(association.Value["RouteTableId"]) == entry.Key)
                .Select(association => new RouteTableAssociation(association.Key, Text(association.Value["SubnetId"]), null, Main: false))
                .Concat(Sorted(gatewayAssociations).Where(association => Text(association.Value["RouteTableId"]) == entry.Key)
                    .Select(association => new RouteTableAssociation(DerivedId("rtbassoc-", association.Key), null, Text(association.Value["GatewayId"]), Main: false)));
            return new VpcRouteTable(entry.Key, vpcId, [.. Local(vpcId, entry.Key), .. own], [.. associations], Tags(entry.Value));
        });
        return [.. main, .. declared];
    }

    /// <summary>
    /// EC2 ReplaceRoute (docs/localcloud-fleet.md, "ReplaceRoute"): the route of the table whose destination is
    /// <paramref name="destination"/> gets the target (<paramref name="target"/> null: a local route back to local).
    /// A route of an AWS::EC2::Route resource changes that resource's actual properties (drift shows it).
    /// </summary>
    public void ReplaceRoute(string accountId, string region, string routeTableId, string destination, (string Property, string Id)? target)
    {
        var table = RouteTables(accountId, region).FirstOrDefault(candidate => candidate.RouteTableId == routeTableId)
            ?? throw new AwsServiceException(400, "InvalidRouteTableID.NotFound", $"The routeTable ID '{routeTableId}' does not exist");
        var route = table.Routes.FirstOrDefault(candidate => candidate.Destination == destination)
            ?? throw new AwsServiceException(400, "InvalidParameterValue", $"There is no route defined for '{destination}' in the route table. Use CreateRoute instead.");
        if (route.Origin == LocalOrigin)
        {
            replacements!.Set(accountId, region, routeTableId, destination, target is { } given ? (RouteTargets.First(candidate => candidate.Property == given.Property).Member, given.Id) : null);
            return;
        }

        if (target is not { } replacement)
        {
            throw new AwsServiceException(400, "InvalidParameterValue", $"LocalTarget resets only a local route; the route to '{destination}' is not one.");
        }

        var resource = generic.Recorded(accountId, region, RouteType).First(entry => Text(entry.Value["RouteTableId"]) == routeTableId && Route(entry.Value)?.Destination == destination);
        var changes = new JsonObject();
        foreach (var (property, _) in RouteTargets)
        {
            changes[property] = property == replacement.Property ? replacement.Id : null;
        }

        generic.ChangeActualProperties(accountId, region, RouteType, resource.Key, changes);
    }

    private const string LocalOrigin = "CreateRouteTable";

    private static VpcRoute? Route(JsonObject route)
    {
        var ipv4 = Text(route["DestinationCidrBlock"]);
        var destination = ipv4 ?? Text(route["DestinationIpv6CidrBlock"]) ?? Text(route["DestinationPrefixListId"]);
        if (destination is null)
        {
            return null;
        }

        var target = RouteTargets.Select(candidate => (candidate.Member, Id: Text(route[candidate.Property]))).FirstOrDefault(candidate => candidate.Id is not null);
        return new VpcRoute(destination, ipv4 is null && Text(route["DestinationIpv6CidrBlock"]) is not null, target.Id is null ? null : target.Member, target.Id, "CreateRoute");
    }

    /// <summary>An id of the same shape as CloudFormation's for something AWS makes on its own (a VPC's main route table), stable for its owner.</summary>
    private static string DerivedId(string prefix, string owner) =>
        prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(prefix + owner)))[..17];

    private static IEnumerable<KeyValuePair<string, JsonObject>> Sorted(IReadOnlyDictionary<string, JsonObject> recorded) =>
        recorded.OrderBy(entry => entry.Key, StringComparer.Ordinal);

    private static Dictionary<string, string> Tags(JsonObject resource) =>
        (resource["Tags"] as JsonArray ?? []).OfType<JsonObject>().Where(tag => Text(tag["Key"]) is not null)
            .ToDictionary(tag => Text(tag["Key"])!, tag => Text(tag["Value"]) ?? "", StringComparer.Ordinal);

    private static string? Text(JsonNode? value) => TemplateEvaluator.AsString(value);

    /// <summary>The addresses of an IPv4 block a subnet's instances can take: all but the five AWS reserves.</summary>
    public static int AvailableAddresses(string cidr) =>
        cidr.Split('/') is [_, var bits] && int.TryParse(bits, NumberStyles.Integer, CultureInfo.InvariantCulture, out var prefix) && prefix is >= 16 and <= 28
            ? (1 << (32 - prefix)) - 5
            : 0;
}
