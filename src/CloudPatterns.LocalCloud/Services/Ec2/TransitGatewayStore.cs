using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Resources;

namespace CloudPatterns.LocalCloud.Services.Ec2;

/// <summary>
/// Transit gateways, their VPC attachments, route tables, associations, propagations and static routes, with EC2's
/// refusals (docs/localcloud-transit-gateway.md). A gateway shared through RAM (<see cref="SharedWith"/>) can be seen
/// and attached to from the accounts it is shared with; only its owner manages its route tables. Thread-safe.
/// </summary>
internal sealed class TransitGatewayStore(TimeProvider clock, IVpcDirectory vpcs)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, TransitGateway> gateways = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TransitGatewayAttachment> attachments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TransitGatewayRouteTable> routeTables = new(StringComparer.Ordinal);

    /// <summary>Whether RAM shares the resource (by ARN) with the account; set by the RAM store.</summary>
    public Func<string, string, bool> SharedWith { get; set; } = (_, _) => false;

    public TransitGateway Create(string accountId, string region, TransitGateway options)
    {
        lock (gate)
        {
            var gateway = new TransitGateway(NewId("tgw-"), accountId, region, clock.GetUtcNow())
            {
                Description = options.Description,
                AmazonSideAsn = options.AmazonSideAsn,
                AutoAcceptSharedAttachments = options.AutoAcceptSharedAttachments,
                DefaultRouteTableAssociation = options.DefaultRouteTableAssociation,
                DefaultRouteTablePropagation = options.DefaultRouteTablePropagation,
                DnsSupport = options.DnsSupport,
                VpnEcmpSupport = options.VpnEcmpSupport,
                Tags = options.Tags,
            };
            if (gateway.AmazonSideAsn is not ((>= 64512 and <= 65534) or (>= 4200000000 and <= 4294967294)))
            {
                throw new AwsServiceException(400, "InvalidParameterValue", $"The value '{gateway.AmazonSideAsn}' for AmazonSideAsn is invalid: use a private ASN, 64512-65534 or 4200000000-4294967294.");
            }

            gateways[gateway.Id] = gateway;
            if (gateway.DefaultRouteTableAssociation == "enable" || gateway.DefaultRouteTablePropagation == "enable")
            {
                var table = new TransitGatewayRouteTable(NewId("tgw-rtb-"), gateway, gateway.CreationTime) { IsDefault = true };
                routeTables[table.Id] = table;
                gateway.DefaultRouteTableId = table.Id;
            }

            return gateway;
        }
    }

    /// <summary>The gateways the account owns or RAM shares with it, in the region.</summary>
    public IReadOnlyList<TransitGateway> Gateways(string accountId, string region, IReadOnlyCollection<string> ids)
    {
        lock (gate)
        {
            foreach (var id in ids)
            {
                VisibleGateway(accountId, region, id);
            }

            return gateways.Values.Where(gateway => gateway.Region == region && Visible(accountId, gateway) && (ids.Count == 0 || ids.Contains(gateway.Id)))
                .OrderBy(gateway => gateway.CreationTime).ThenBy(gateway => gateway.Id, StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>Whether the ARN names a gateway the account owns in the region (what RAM may share).</summary>
    public bool Owns(string accountId, string region, string arn)
    {
        lock (gate)
        {
            return gateways.Values.Any(gateway => gateway.Arn == arn && gateway.OwnerId == accountId && gateway.Region == region);
        }
    }

    /// <summary>Deletes an owned gateway with no attachment left, and its route tables.</summary>
    public TransitGateway Delete(string accountId, string region, string id)
    {
        lock (gate)
        {
            var gateway = OwnedGateway(accountId, region, id);
            var remaining = attachments.Values.Where(attachment => attachment.Gateway == gateway).Select(attachment => attachment.Id).ToList();
            if (remaining.Count > 0)
            {
                throw new AwsServiceException(400, "IncorrectState", $"{id} has non-deleted Transit Gateway Attachments: {string.Join(", ", remaining)}.");
            }

            gateways.Remove(id);
            foreach (var table in routeTables.Values.Where(table => table.Gateway == gateway).ToList())
            {
                routeTables.Remove(table.Id);
            }

            return gateway;
        }
    }

    /// <summary>
    /// Attaches a VPC of the caller's account: one subnet per Availability Zone, all in the VPC, one attachment per VPC
    /// and gateway. On a gateway shared with the caller it waits for the owner's acceptance unless the gateway
    /// auto-accepts.
    /// </summary>
    public TransitGatewayAttachment Attach(string accountId, string region, string gatewayId, string vpcId, IReadOnlyList<string> subnetIds, TransitGatewayAttachment options)
    {
        lock (gate)
        {
            var gateway = VisibleGateway(accountId, region, gatewayId);
            var cidr = vpcs.VpcCidr(accountId, region, vpcId) ?? throw new AwsServiceException(400, "InvalidVpcID.NotFound", $"The vpc ID '{vpcId}' does not exist");
            if (subnetIds.Count == 0)
            {
                throw new AwsServiceException(400, "MissingParameter", "The request must contain the parameter SubnetIds");
            }

            var zones = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var subnetId in subnetIds)
            {
                var subnet = vpcs.Subnet(accountId, region, subnetId) ?? throw new AwsServiceException(400, "InvalidSubnetID.NotFound", $"The subnet ID '{subnetId}' does not exist");
                if (subnet.VpcId != vpcId)
                {
                    throw new AwsServiceException(400, "InvalidParameterValue", $"The subnet '{subnetId}' belongs to VPC '{subnet.VpcId}', not to '{vpcId}'.");
                }

                if (!zones.TryAdd(subnet.AvailabilityZone, subnetId))
                {
                    throw new AwsServiceException(400, "DuplicateSubnetsInSameZone", $"Duplicate Subnets for same AZ: {zones[subnet.AvailabilityZone]} and {subnetId} are both in {subnet.AvailabilityZone}; give one subnet per Availability Zone.");
                }
            }

            if (attachments.Values.Any(attachment => attachment.Gateway == gateway && attachment.VpcId == vpcId && attachment.VpcOwnerId == accountId))
            {
                throw new AwsServiceException(400, "DuplicateTransitGatewayAttachment", $"{gatewayId} has non-deleted Transit Gateway Attachments with same VPC ID.");
            }

            var attachment = new TransitGatewayAttachment(NewId("tgw-attach-"), gateway, accountId, vpcId, subnetIds, clock.GetUtcNow())
            {
                VpcCidr = cidr.Length == 0 ? null : cidr,
                DnsSupport = options.DnsSupport,
                Ipv6Support = options.Ipv6Support,
                ApplianceModeSupport = options.ApplianceModeSupport,
                Tags = options.Tags,
                State = gateway.OwnerId == accountId || gateway.AutoAcceptSharedAttachments == "enable" ? "available" : "pendingAcceptance",
            };
            attachments[attachment.Id] = attachment;
            if (attachment.State == "available")
            {
                ApplyDefaults(attachment);
            }

            return attachment;
        }
    }

    /// <summary>
    /// The attachment AWS Network Firewall makes for a transit gateway-attached firewall (resource type network-function):
    /// available at once on the caller's own gateway or one that auto-accepts, else waiting for the gateway owner
    /// (docs/localcloud-network-firewall.md).
    /// </summary>
    public TransitGatewayAttachment AttachNetworkFunction(string accountId, string region, string gatewayId, string firewallArn)
    {
        lock (gate)
        {
            var gateway = VisibleGateway(accountId, region, gatewayId);
            var attachment = new TransitGatewayAttachment(NewId("tgw-attach-"), gateway, accountId, firewallArn, [], clock.GetUtcNow())
            {
                ResourceType = "network-function",
                ApplianceModeSupport = "enable",
                State = gateway.OwnerId == accountId || gateway.AutoAcceptSharedAttachments == "enable" ? "available" : "pendingAcceptance",
            };
            attachments[attachment.Id] = attachment;
            if (attachment.State == "available")
            {
                ApplyDefaults(attachment);
            }

            return attachment;
        }
    }

    /// <summary>The gateway owner rejects an attachment waiting for acceptance.</summary>
    public TransitGatewayAttachment Reject(string accountId, string region, string attachmentId)
    {
        lock (gate)
        {
            var attachment = VisibleAttachment(accountId, region, attachmentId);
            if (attachment.Gateway.OwnerId != accountId)
            {
                throw AttachmentNotFound(attachmentId);
            }

            if (attachment.State != "pendingAcceptance")
            {
                throw new AwsServiceException(400, "IncorrectState", $"tgw-attachment {attachmentId} is in invalid state {attachment.State}; only a pendingAcceptance attachment can be rejected.");
            }

            attachment.State = "rejected";
            return attachment;
        }
    }

    /// <summary>An attachment the account made or whose gateway it owns, or null.</summary>
    public TransitGatewayAttachment? FindAttachment(string accountId, string region, string attachmentId)
    {
        lock (gate)
        {
            return attachments.TryGetValue(attachmentId, out var attachment) && attachment.Gateway.Region == region
                && (attachment.VpcOwnerId == accountId || attachment.Gateway.OwnerId == accountId) ? attachment : null;
        }
    }

    /// <summary>The gateway owner accepts an attachment from an account the gateway is shared with.</summary>
    public TransitGatewayAttachment Accept(string accountId, string region, string attachmentId)
    {
        lock (gate)
        {
            var attachment = VisibleAttachment(accountId, region, attachmentId);
            if (attachment.Gateway.OwnerId != accountId)
            {
                throw AttachmentNotFound(attachmentId);
            }

            if (attachment.State != "pendingAcceptance")
            {
                throw new AwsServiceException(400, "IncorrectState", $"tgw-attachment {attachmentId} is in invalid state {attachment.State}; only a pendingAcceptance attachment can be accepted.");
            }

            attachment.State = "available";
            ApplyDefaults(attachment);
            return attachment;
        }
    }

    /// <summary>The attachments the account made or whose gateway it owns.</summary>
    public IReadOnlyList<TransitGatewayAttachment> Attachments(string accountId, string region, IReadOnlyCollection<string> ids)
    {
        lock (gate)
        {
            foreach (var id in ids)
            {
                VisibleAttachment(accountId, region, id);
            }

            return attachments.Values.Where(attachment => attachment.Gateway.Region == region && (attachment.VpcOwnerId == accountId || attachment.Gateway.OwnerId == accountId)
                    && (ids.Count == 0 || ids.Contains(attachment.Id)))
                .OrderBy(attachment => attachment.CreationTime).ThenBy(attachment => attachment.Id, StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>Either side deletes an attachment; it leaves its association, propagations and static routes.</summary>
    public TransitGatewayAttachment DeleteAttachment(string accountId, string region, string attachmentId)
    {
        lock (gate)
        {
            var attachment = VisibleAttachment(accountId, region, attachmentId);
            attachments.Remove(attachmentId);
            foreach (var table in routeTables.Values.Where(table => table.Gateway == attachment.Gateway))
            {
                table.Propagations.Remove(attachmentId);
                foreach (var route in table.StaticRoutes.Where(route => route.Value == attachmentId).ToList())
                {
                    table.StaticRoutes.Remove(route.Key);
                }
            }

            attachment.State = "deleting";
            return attachment;
        }
    }

    public TransitGatewayRouteTable CreateRouteTable(string accountId, string region, string gatewayId, Dictionary<string, string> tags)
    {
        lock (gate)
        {
            var table = new TransitGatewayRouteTable(NewId("tgw-rtb-"), OwnedGateway(accountId, region, gatewayId), clock.GetUtcNow()) { Tags = tags };
            routeTables[table.Id] = table;
            return table;
        }
    }

    public IReadOnlyList<TransitGatewayRouteTable> RouteTables(string accountId, string region, IReadOnlyCollection<string> ids)
    {
        lock (gate)
        {
            foreach (var id in ids)
            {
                OwnedRouteTable(accountId, region, id);
            }

            return routeTables.Values.Where(table => table.Gateway.OwnerId == accountId && table.Gateway.Region == region && (ids.Count == 0 || ids.Contains(table.Id)))
                .OrderBy(table => table.CreationTime).ThenBy(table => table.Id, StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>Deletes a route table nothing is associated with (the gateway's default one included).</summary>
    public TransitGatewayRouteTable DeleteRouteTable(string accountId, string region, string tableId)
    {
        lock (gate)
        {
            var table = OwnedRouteTable(accountId, region, tableId);
            if (attachments.Values.FirstOrDefault(attachment => attachment.AssociatedRouteTableId == tableId) is { } associated)
            {
                throw new AwsServiceException(400, "IncorrectState", $"{tableId} has associated attachments: {associated.Id}. Disassociate them first.");
            }

            routeTables.Remove(tableId);
            if (table.Gateway.DefaultRouteTableId == tableId)
            {
                table.Gateway.DefaultRouteTableId = null;
            }

            return table;
        }
    }

    /// <summary>Associates an attachment with a route table of its gateway: one route table per attachment.</summary>
    public TransitGatewayAttachment Associate(string accountId, string region, string tableId, string attachmentId)
    {
        lock (gate)
        {
            var (table, attachment) = TableAndAttachment(accountId, region, tableId, attachmentId);
            if (attachment.AssociatedRouteTableId is { } current)
            {
                throw new AwsServiceException(400, "Resource.AlreadyAssociated", $"Transit Gateway Attachment {attachmentId} is already associated with route table {current}; disassociate it first.");
            }

            attachment.AssociatedRouteTableId = table.Id;
            return attachment;
        }
    }

    public TransitGatewayAttachment Disassociate(string accountId, string region, string tableId, string attachmentId)
    {
        lock (gate)
        {
            var (table, attachment) = TableAndAttachment(accountId, region, tableId, attachmentId);
            if (attachment.AssociatedRouteTableId != table.Id)
            {
                throw new AwsServiceException(400, "InvalidAssociation.NotFound", $"Association between {attachmentId} and {tableId} does not exist.");
            }

            attachment.AssociatedRouteTableId = null;
            return attachment;
        }
    }

    /// <summary>Adds or removes a propagation; false when it already was in that state (EC2 then refuses).</summary>
    public TransitGatewayAttachment Propagate(string accountId, string region, string tableId, string attachmentId, bool enable)
    {
        lock (gate)
        {
            var (table, attachment) = TableAndAttachment(accountId, region, tableId, attachmentId);
            if (enable && !table.Propagations.Add(attachmentId))
            {
                throw new AwsServiceException(400, "TransitGatewayRouteTablePropagation.Duplicate", $"Propagation of {attachmentId} to {tableId} already exists.");
            }

            if (!enable && !table.Propagations.Remove(attachmentId))
            {
                throw new AwsServiceException(400, "InvalidRouteTableId.NotFound", $"Propagation of {attachmentId} to {tableId} does not exist.");
            }

            return attachment;
        }
    }

    /// <summary>The attachments associated with, or propagating to, a route table.</summary>
    public IReadOnlyList<TransitGatewayAttachment> Linked(string accountId, string region, string tableId, bool propagations)
    {
        lock (gate)
        {
            var table = OwnedRouteTable(accountId, region, tableId);
            return attachments.Values.Where(attachment => propagations ? table.Propagations.Contains(attachment.Id) : attachment.AssociatedRouteTableId == tableId)
                .OrderBy(attachment => attachment.CreationTime).ToList();
        }
    }

    /// <summary>A static route to an attachment of the table's gateway, or a blackhole; a CIDR already routed is refused.</summary>
    public TransitGatewayRoute AddRoute(string accountId, string region, string tableId, string cidr, string? attachmentId, bool blackhole)
    {
        lock (gate)
        {
            var table = OwnedRouteTable(accountId, region, tableId);
            var normalized = Cidr(cidr);
            if (blackhole == (attachmentId is not null))
            {
                throw new AwsServiceException(400, "InvalidParameterCombination", "Give either TransitGatewayAttachmentId or Blackhole=true for a transit gateway route.");
            }

            TransitGatewayAttachment? attachment = null;
            if (attachmentId is not null)
            {
                (_, attachment) = TableAndAttachment(accountId, region, tableId, attachmentId);
            }

            if (!table.StaticRoutes.TryAdd(normalized, attachmentId))
            {
                throw new AwsServiceException(400, "RouteAlreadyExists", $"Route {normalized} already exists in Transit Gateway Route Table {tableId}.");
            }

            return new TransitGatewayRoute(normalized, "static", blackhole ? "blackhole" : "active", attachment);
        }
    }

    public TransitGatewayRoute DeleteRoute(string accountId, string region, string tableId, string cidr)
    {
        lock (gate)
        {
            var table = OwnedRouteTable(accountId, region, tableId);
            var normalized = Cidr(cidr);
            if (!table.StaticRoutes.Remove(normalized, out var attachmentId))
            {
                throw new AwsServiceException(400, "InvalidRoute.NotFound", $"No route with destination-cidr-block {normalized} in Transit Gateway Route Table {tableId}.");
            }

            return new TransitGatewayRoute(normalized, "static", "deleted", attachmentId is null ? null : attachments.GetValueOrDefault(attachmentId));
        }
    }

    /// <summary>The static routes and the propagated VPC CIDRs of a route table; a static route wins over a propagated one.</summary>
    public IReadOnlyList<TransitGatewayRoute> Routes(string accountId, string region, string tableId)
    {
        lock (gate)
        {
            var table = OwnedRouteTable(accountId, region, tableId);
            var routes = table.StaticRoutes.Select(route => new TransitGatewayRoute(route.Key, "static", route.Value is null ? "blackhole" : "active",
                route.Value is null ? null : attachments.GetValueOrDefault(route.Value))).ToList();
            routes.AddRange(table.Propagations.Select(id => attachments[id])
                .Where(attachment => attachment.VpcCidr is { } cidr && routes.All(route => route.DestinationCidrBlock != cidr))
                .Select(attachment => new TransitGatewayRoute(attachment.VpcCidr!, "propagated", "active", attachment)));
            return routes.OrderBy(route => route.DestinationCidrBlock, StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>Default association and propagation, once an attachment is available.</summary>
    private void ApplyDefaults(TransitGatewayAttachment attachment)
    {
        if (attachment.Gateway.DefaultRouteTableId is not { } tableId || !routeTables.TryGetValue(tableId, out var table))
        {
            return;
        }

        if (attachment.Gateway.DefaultRouteTableAssociation == "enable")
        {
            attachment.AssociatedRouteTableId = tableId;
        }

        if (attachment.Gateway.DefaultRouteTablePropagation == "enable")
        {
            table.Propagations.Add(attachment.Id);
        }
    }

    private (TransitGatewayRouteTable Table, TransitGatewayAttachment Attachment) TableAndAttachment(string accountId, string region, string tableId, string attachmentId)
    {
        var table = OwnedRouteTable(accountId, region, tableId);
        var attachment = attachments.GetValueOrDefault(attachmentId);
        if (attachment is null || attachment.Gateway != table.Gateway)
        {
            throw AttachmentNotFound(attachmentId);
        }

        if (attachment.State != "available")
        {
            throw new AwsServiceException(400, "IncorrectState", $"tgw-attachment {attachmentId} is in invalid state {attachment.State}.");
        }

        return (table, attachment);
    }

    private bool Visible(string accountId, TransitGateway gateway) => gateway.OwnerId == accountId || SharedWith(accountId, gateway.Arn);

    private TransitGateway VisibleGateway(string accountId, string region, string id) =>
        gateways.TryGetValue(id, out var gateway) && gateway.Region == region && Visible(accountId, gateway) ? gateway : throw GatewayNotFound(id);

    private TransitGateway OwnedGateway(string accountId, string region, string id) =>
        gateways.TryGetValue(id, out var gateway) && gateway.Region == region && gateway.OwnerId == accountId ? gateway : throw GatewayNotFound(id);

    private TransitGatewayAttachment VisibleAttachment(string accountId, string region, string id) =>
        attachments.TryGetValue(id, out var attachment) && attachment.Gateway.Region == region && (attachment.VpcOwnerId == accountId || attachment.Gateway.OwnerId == accountId)
            ? attachment
            : throw AttachmentNotFound(id);

    private TransitGatewayRouteTable OwnedRouteTable(string accountId, string region, string id) =>
        routeTables.TryGetValue(id, out var table) && table.Gateway.Region == region && table.Gateway.OwnerId == accountId
            ? table
            : throw new AwsServiceException(400, "InvalidRouteTableID.NotFound", $"Transit Gateway Route Table {id} was deleted or does not exist.");

    private static AwsServiceException GatewayNotFound(string id) =>
        new(400, "InvalidTransitGatewayID.NotFound", $"Transit Gateway {id} was deleted or does not exist.");

    private static AwsServiceException AttachmentNotFound(string id) =>
        new(400, "InvalidTransitGatewayAttachmentID.NotFound", $"Transit Gateway Attachment {id} was deleted or does not exist.");

    /// <summary>An IPv4 CIDR in canonical form; anything else is refused.</summary>
    private static string Cidr(string value)
    {
        var parts = value.Split('/');
        if (parts.Length == 2 && System.Net.IPAddress.TryParse(parts[0], out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            && int.TryParse(parts[1], out var length) && length is >= 0 and <= 32)
        {
            return $"{address}/{length}";
        }

        throw new AwsServiceException(400, "InvalidParameterValue", $"Value ({value}) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block.");
    }

    private static string NewId(string prefix) => prefix + ResourceKind.RandomHex(17);
}
