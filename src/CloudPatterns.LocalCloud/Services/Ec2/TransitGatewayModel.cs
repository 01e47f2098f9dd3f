namespace CloudPatterns.LocalCloud.Services.Ec2;

/// <summary>A transit gateway of one account and region (docs/localcloud-transit-gateway.md).</summary>
internal sealed class TransitGateway(string id, string ownerId, string region, DateTimeOffset created)
{
    public string Id { get; } = id;

    public string OwnerId { get; } = ownerId;

    public string Region { get; } = region;

    public string Arn => $"arn:aws:ec2:{Region}:{OwnerId}:transit-gateway/{Id}";

    public DateTimeOffset CreationTime { get; } = created;

    public string? Description { get; init; }

    public long AmazonSideAsn { get; init; } = 64512;

    /// <summary>enable or disable, as the options are spelled on the wire.</summary>
    public string AutoAcceptSharedAttachments { get; init; } = "disable";

    public string DefaultRouteTableAssociation { get; init; } = "enable";

    public string DefaultRouteTablePropagation { get; init; } = "enable";

    public string DnsSupport { get; init; } = "enable";

    public string VpnEcmpSupport { get; init; } = "enable";

    /// <summary>The route table made with the gateway when default association or propagation is on.</summary>
    public string? DefaultRouteTableId { get; set; }

    public Dictionary<string, string> Tags { get; init; } = new(StringComparer.Ordinal);
}

/// <summary>
/// A VPC attached to a transit gateway, possibly from another account the gateway is shared with; or a transit
/// gateway-attached network firewall (<see cref="ResourceType"/> network-function, <see cref="VpcId"/> the firewall's ARN).
/// </summary>
internal sealed class TransitGatewayAttachment(string id, TransitGateway gateway, string vpcOwnerId, string vpcId, IReadOnlyList<string> subnetIds, DateTimeOffset created)
{
    public string Id { get; } = id;

    public TransitGateway Gateway { get; } = gateway;

    public string VpcOwnerId { get; } = vpcOwnerId;

    /// <summary>The attached resource: the VPC id, or the firewall ARN of a network-function attachment.</summary>
    public string VpcId { get; } = vpcId;

    /// <summary>vpc, or network-function for a transit gateway-attached AWS Network Firewall (EC2's TransitGatewayAttachmentResourceType).</summary>
    public string ResourceType { get; init; } = "vpc";

    public IReadOnlyList<string> SubnetIds { get; } = subnetIds;

    /// <summary>The VPC's CIDR block, the route a propagation adds.</summary>
    public string? VpcCidr { get; init; }

    public DateTimeOffset CreationTime { get; } = created;

    /// <summary>pendingAcceptance (shared gateway without auto-accept) or available.</summary>
    public string State { get; set; } = "available";

    public string DnsSupport { get; init; } = "enable";

    public string Ipv6Support { get; init; } = "disable";

    public string ApplianceModeSupport { get; init; } = "disable";

    /// <summary>The one route table the attachment is associated with.</summary>
    public string? AssociatedRouteTableId { get; set; }

    public Dictionary<string, string> Tags { get; init; } = new(StringComparer.Ordinal);
}

/// <summary>A transit gateway route table: static routes, and the VPC CIDRs of the attachments propagating to it.</summary>
internal sealed class TransitGatewayRouteTable(string id, TransitGateway gateway, DateTimeOffset created)
{
    public string Id { get; } = id;

    public TransitGateway Gateway { get; } = gateway;

    public DateTimeOffset CreationTime { get; } = created;

    public bool IsDefault { get; init; }

    /// <summary>Attachment ids whose VPC CIDR this table learns.</summary>
    public HashSet<string> Propagations { get; } = new(StringComparer.Ordinal);

    /// <summary>Static routes by destination CIDR: the attachment they go to, or null for a blackhole.</summary>
    public SortedDictionary<string, string?> StaticRoutes { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Tags { get; init; } = new(StringComparer.Ordinal);
}

/// <summary>One route of a route table as SearchTransitGatewayRoutes reports it.</summary>
internal sealed record TransitGatewayRoute(string DestinationCidrBlock, string Type, string State, TransitGatewayAttachment? Attachment);

/// <summary>What CloudFormation recorded for a VPC and its subnets in an account and region (the VPC's CIDR; each subnet's VPC and zone).</summary>
internal interface IVpcDirectory
{
    string? VpcCidr(string accountId, string region, string vpcId);

    (string VpcId, string AvailabilityZone)? Subnet(string accountId, string region, string subnetId);
}
