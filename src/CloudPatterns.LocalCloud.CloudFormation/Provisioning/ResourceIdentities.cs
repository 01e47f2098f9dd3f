using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation.Specification;

namespace CloudPatterns.LocalCloud.CloudFormation.Provisioning;

/// <summary>
/// Deterministic, AWS-looking physical ids and GetAtt attribute values, derived from the stack, the logical id, the
/// type and the properties (so a replacement gets a new id). Explicit names in the properties win, as in AWS.
/// </summary>
public static class ResourceIdentities
{
    // Ref of these EC2-style types returns a prefixed hexadecimal id.
    private static readonly Dictionary<string, string> IdPrefixes = new(StringComparer.Ordinal)
    {
        ["AWS::EC2::VPC"] = "vpc-", ["AWS::EC2::Subnet"] = "subnet-", ["AWS::EC2::RouteTable"] = "rtb-",
        ["AWS::EC2::InternetGateway"] = "igw-", ["AWS::EC2::NatGateway"] = "nat-", ["AWS::EC2::SecurityGroup"] = "sg-",
        ["AWS::EC2::SubnetRouteTableAssociation"] = "rtbassoc-", ["AWS::EC2::Instance"] = "i-", ["AWS::EC2::Volume"] = "vol-",
        ["AWS::EC2::NetworkAcl"] = "acl-", ["AWS::EC2::LaunchTemplate"] = "lt-", ["AWS::EC2::VPCEndpoint"] = "vpce-",
        ["AWS::EC2::NetworkInterface"] = "eni-", ["AWS::EC2::TransitGateway"] = "tgw-", ["AWS::EC2::FlowLog"] = "fl-",
        ["AWS::EC2::EgressOnlyInternetGateway"] = "eigw-", ["AWS::EC2::VPCPeeringConnection"] = "pcx-",
        ["AWS::EC2::DHCPOptions"] = "dopt-", ["AWS::EC2::PrefixList"] = "pl-", ["AWS::EC2::SecurityGroupIngress"] = "sgr-",
        ["AWS::EC2::SecurityGroupEgress"] = "sgr-",
        ["AWS::EC2::KeyPair"] = "key-", ["AWS::EC2::PlacementGroup"] = "pg-",
        ["AWS::EC2::IPAM"] = "ipam-", ["AWS::EC2::IPAMPool"] = "ipam-pool-", ["AWS::EC2::IPAMScope"] = "ipam-scope-",
    };

    private static readonly Dictionary<string, string> ArnResourcePaths = new(StringComparer.Ordinal)
    {
        ["AWS::ElasticLoadBalancingV2::LoadBalancer"] = "loadbalancer/app/{name}/{hex16}",
        ["AWS::ElasticLoadBalancingV2::TargetGroup"] = "targetgroup/{name}/{hex16}",
        ["AWS::ElasticLoadBalancingV2::Listener"] = "listener/app/{name}/{hex16}/{hex16b}",
        ["AWS::ElasticLoadBalancingV2::ListenerRule"] = "listener-rule/app/{name}/{hex16}/{hex16b}/{hex16c}",
    };

    /// <param name="subnetZone">The Availability Zone of a subnet id, where the caller knows the subnets (zone-placed
    /// attributes such as a firewall's EndpointIds); null, or a null answer, means the region's "a" zone.</param>
    public static ProvisionedResource Generate(ResourceRequest request, Func<string, string?>? subnetZone = null)
    {
        var physicalId = PhysicalId(request, Seed(request));
        return new ProvisionedResource(physicalId, Attributes(request, physicalId, subnetZone));
    }

    /// <summary>
    /// The name CloudFormation gives a resource whose template names none: stack name, logical id and a random
    /// suffix (lower case for S3 buckets and RDS), for provisioners of types named by the caller.
    /// </summary>
    public static string GeneratedName(ResourceRequest request) => GeneratedName(request, Seed(request));

    /// <summary>
    /// The seed of generated ids and names: the stack id (new at every creation of a stack name, so a re-created
    /// stack never meets the names of a retained resource of its predecessor, as in CloudFormation), logical id, type
    /// and properties (so a replacement gets a new one).
    /// </summary>
    private static string Seed(ResourceRequest request) =>
        Hash($"{request.Stack.StackId}|{request.LogicalId}|{request.ResourceType}|{request.Properties.ToJsonString()}");

    /// <summary>Adds generated values for the spec attributes a provisioner did not return.</summary>
    public static ProvisionedResource Complete(ResourceRequest request, ProvisionedResource provisioned)
    {
        var attributes = Attributes(request, provisioned.PhysicalId);
        foreach (var (name, value) in provisioned.Attributes)
        {
            attributes[name] = value;
        }
        return provisioned with { Attributes = attributes };
    }

    public static Dictionary<string, JsonNode> Attributes(ResourceRequest request, string physicalId, Func<string, string?>? subnetZone = null)
    {
        var seed = Hash(physicalId);
        var attributes = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var (name, type) in request.Spec.Attributes)
        {
            attributes[name] = AttributeValue(request, physicalId, seed, name, type, subnetZone);
        }
        return attributes;
    }

    private static string PhysicalId(ResourceRequest request, string seed)
    {
        var spec = request.Spec;
        var identifier = spec.PrimaryIdentifier.Count > 0 ? spec.PrimaryIdentifier[0] : "Id";
        if (request.Properties[identifier] is JsonValue named && named.TryGetValue<string>(out var explicitName))
        {
            return explicitName;
        }
        if (IdPrefixes.TryGetValue(request.ResourceType, out var prefix))
        {
            return prefix + seed[..17];
        }
        if (request.ResourceType == "AWS::EC2::EIP")
        {
            return $"203.0.{Convert.ToInt32(seed[..2], 16)}.{Convert.ToInt32(seed[2..4], 16)}";
        }
        if (identifier.EndsWith("Arn", StringComparison.OrdinalIgnoreCase))
        {
            return Arn(request, GeneratedName(request, seed), seed);
        }
        if (identifier == "QueueUrl")
        {
            return $"https://sqs.{request.Stack.Region}.{request.Stack.UrlSuffix}/{request.Stack.AccountId}/{GeneratedName(request, seed)}";
        }
        return GeneratedName(request, seed);
    }

    /// <summary>CloudFormation's generated names: stack name, logical id and a random suffix of 12-13 characters.</summary>
    private static string GeneratedName(ResourceRequest request, string seed)
    {
        var suffix = seed[..13].ToUpperInvariant();
        var name = $"{request.Stack.StackName}-{request.LogicalId}";
        name = name.Length > 48 ? name[..48] : name;
        var generated = $"{name}-{suffix}";
        // RDS and S3 take lower-case names only.
        return request.ResourceType.StartsWith("AWS::RDS::", StringComparison.Ordinal) || request.ResourceType == "AWS::S3::Bucket"
            ? generated.ToLowerInvariant()
            : generated;
    }

    private static string Arn(ResourceRequest request, string name, string seed)
    {
        var stack = request.Stack;
        if (ArnResourcePaths.TryGetValue(request.ResourceType, out var path))
        {
            var shortName = name.Length > 32 ? name[..32].TrimEnd('-') : name;
            return $"arn:{stack.Partition}:elasticloadbalancing:{stack.Region}:{stack.AccountId}:" + path
                .Replace("{name}", shortName).Replace("{hex16}", seed[..16]).Replace("{hex16b}", seed[16..32]).Replace("{hex16c}", seed[32..48]);
        }
        if (request.Spec.ArnTemplate is { } template)
        {
            var arn = template.Replace("${Partition}", stack.Partition).Replace("${Region}", stack.Region).Replace("${Account}", stack.AccountId);
            var start = arn.IndexOf("${", StringComparison.Ordinal);
            while (start >= 0)
            {
                var end = arn.IndexOf('}', start);
                var variable = arn[(start + 2)..end];
                var value = request.Properties[variable] is JsonValue given && given.TryGetValue<string>(out var text) ? text : name;
                arn = arn[..start] + value + arn[(end + 1)..];
                start = arn.IndexOf("${", start + value.Length, StringComparison.Ordinal);
            }
            return arn;
        }
        var parts = request.ResourceType.Split("::");
        return $"arn:{stack.Partition}:{parts[1].ToLowerInvariant()}:{stack.Region}:{stack.AccountId}:{parts[2].ToLowerInvariant()}/{name}";
    }

    private static JsonNode AttributeValue(ResourceRequest request, string physicalId, string seed, string name, PropertyTypeSpec type,
        Func<string, string?>? subnetZone)
    {
        var stack = request.Stack;
        var spec = request.Spec;
        if (request.Properties[name] is { } given)
        {
            return given.DeepClone();
        }
        if ((spec.PrimaryIdentifier.Count > 0 && spec.PrimaryIdentifier[0] == name) || name is "Id" or "Ref")
        {
            return JsonValue.Create(physicalId);
        }
        switch (type.Kind)
        {
            case PropertyKind.Array:
                return ListAttribute(request, seed, name, type.Element, subnetZone);
            case PropertyKind.Object or PropertyKind.Map or PropertyKind.Json:
                return new JsonObject();
            case PropertyKind.Integer or PropertyKind.Number:
                return JsonValue.Create(0);
            case PropertyKind.Boolean:
                return JsonValue.Create(false);
        }
        var leaf = name[(name.LastIndexOf('.') + 1)..];
        var host = physicalId.StartsWith("arn:", StringComparison.Ordinal) ? physicalId[(physicalId.LastIndexOf(':') + 1)..].Replace('/', '-') : physicalId;
        string value = leaf switch
        {
            _ when leaf.EndsWith("Arn", StringComparison.OrdinalIgnoreCase) =>
                physicalId.StartsWith("arn:", StringComparison.Ordinal) ? physicalId : Arn(request, physicalId, seed),
            "DNSName" when request.ResourceType.StartsWith("AWS::ElasticLoadBalancing", StringComparison.Ordinal) =>
                $"{LoadBalancerName(physicalId)}-{Convert.ToInt64(seed[..8], 16) % 10_000_000_000:D10}.{stack.Region}.elb.{stack.UrlSuffix}",
            "DNSName" or "DomainName" or "Address" => $"{host.ToLowerInvariant()}.{seed[..12]}.{stack.Region}.{ServiceHost(request.ResourceType)}.{stack.UrlSuffix}",
            "Port" => request.ResourceType.StartsWith("AWS::RDS::", StringComparison.Ordinal) ? DefaultDatabasePort(request) : "443",
            "CanonicalHostedZoneID" or "CanonicalHostedZoneNameID" or "HostedZoneId" => "Z" + seed[..13].ToUpperInvariant(),
            "AvailabilityZone" => stack.Region + "a",
            "LoadBalancerName" => LoadBalancerName(physicalId),
            "LoadBalancerFullName" => physicalId[(physicalId.IndexOf("loadbalancer/", StringComparison.Ordinal) + "loadbalancer/".Length)..],
            // "targetgroup/my-target-group/cbf133c568b0d20d" (AWS::ElasticLoadBalancingV2::TargetGroup return values).
            "TargetGroupFullName" => physicalId[physicalId.IndexOf("targetgroup/", StringComparison.Ordinal)..],
            _ when leaf.EndsWith("Name", StringComparison.Ordinal) => host,
            _ when leaf.EndsWith("Id", StringComparison.Ordinal) || leaf.EndsWith("ID", StringComparison.Ordinal) => seed[..20],
            _ when leaf.EndsWith("Time", StringComparison.Ordinal) || leaf.EndsWith("Date", StringComparison.Ordinal) => "2026-01-01T00:00:00Z",
            _ => $"{leaf.ToLowerInvariant()}-{seed[..12]}",
        };
        return JsonValue.Create(value);
    }

    /// <summary>
    /// A list attribute with plausible members, so templates that take one (<c>!Select [0, !GetAtt X.List]</c>) work:
    /// IP addresses (as many as the resource asks for), IPv6 blocks, VPC endpoint DNS entries (hosted zone:name), a
    /// firewall's endpoints (one "zone:vpce-id" per subnet or zone mapping), ids.
    /// </summary>
    private static JsonArray ListAttribute(ResourceRequest request, string seed, string name, PropertyTypeSpec? element, Func<string, string?>? subnetZone)
    {
        var stack = request.Stack;
        var leaf = name[(name.LastIndexOf('.') + 1)..];
        if (element is { Kind: not PropertyKind.String })
        {
            return new JsonArray(element.Kind is PropertyKind.Object or PropertyKind.Map or PropertyKind.Json ? new JsonObject() : JsonValue.Create(0));
        }
        IEnumerable<string> members = leaf switch
        {
            _ when leaf.EndsWith("IpAddresses", StringComparison.Ordinal) =>
                Enumerable.Range(0, Math.Clamp(AddressCount(request), 1, 50))
                    .Select(index => $"10.{Convert.ToInt32(seed[..2], 16)}.{Convert.ToInt32(seed[2..4], 16)}.{10 + index}"),
            _ when leaf.Contains("Ipv6CidrBlock", StringComparison.Ordinal) => [$"2600:1f{seed[..2]}:{seed[2..6]}:{seed[6..8]}00::/56"],
            "EndpointIds" when ZoneMappings(request, subnetZone) is { Count: > 0 } zones =>
                zones.Select((zone, index) => $"{zone}:vpce-{Hash($"{seed}|{index}")[..17]}"),
            "DnsEntries" => [$"Z{seed[..13].ToUpperInvariant()}:{seed[..17]}-{seed[17..25]}.{ServiceHost(request.ResourceType)}.{stack.Region}.vpce.{stack.UrlSuffix}"],
            _ when leaf.EndsWith("Ids", StringComparison.Ordinal) => [seed[..17]],
            _ => [$"{leaf.ToLowerInvariant()}-{seed[..12]}"],
        };
        return new JsonArray(members.Select(member => (JsonNode)JsonValue.Create(member)).ToArray());
    }

    /// <summary>
    /// How many addresses a resource has: the secondary addresses an interface asks for, or one per subnet of a
    /// directory's VpcSettings (a directory runs a domain controller, and so a DNS server, in each of its two subnets:
    /// docs/localcloud-cloudformation-recorded.md), else one.
    /// </summary>
    private static int AddressCount(ResourceRequest request) =>
        int.TryParse(Templates.TemplateEvaluator.AsString(request.Properties["SecondaryPrivateIpAddressCount"]), out var count) ? count
        : request.Properties["VpcSettings"]?["SubnetIds"] is JsonArray subnets ? subnets.Count
        : 1;

    /// <summary>
    /// The zone of each of a resource's SubnetMappings (the subnet's zone) or AvailabilityZoneMappings, in order:
    /// a network firewall has one endpoint in each (docs/localcloud-cloudformation-recorded.md).
    /// </summary>
    private static List<string> ZoneMappings(ResourceRequest request, Func<string, string?>? subnetZone)
    {
        string Zone(JsonNode? mapping) =>
            Templates.TemplateEvaluator.AsString(mapping?["AvailabilityZone"])
            ?? (Templates.TemplateEvaluator.AsString(mapping?["SubnetId"]) is { } subnetId ? subnetZone?.Invoke(subnetId) : null)
            ?? request.Stack.Region + "a";
        var mappings = request.Properties["SubnetMappings"] as JsonArray ?? request.Properties["AvailabilityZoneMappings"] as JsonArray ?? [];
        return mappings.Select(Zone).ToList();
    }

    private static string LoadBalancerName(string physicalId)
    {
        var marker = physicalId.IndexOf("loadbalancer/app/", StringComparison.Ordinal);
        return marker < 0 ? physicalId : physicalId[(marker + "loadbalancer/app/".Length)..].Split('/')[0];
    }

    private static string ServiceHost(string resourceType) => resourceType.Split("::")[1].ToLowerInvariant();

    private static string DefaultDatabasePort(ResourceRequest request)
    {
        var engine = (request.Properties["Engine"] as JsonValue)?.ToString() ?? "mysql";
        return engine switch
        {
            _ when engine.Contains("postgres", StringComparison.Ordinal) => "5432",
            _ when engine.Contains("sqlserver", StringComparison.Ordinal) => "1433",
            _ when engine.Contains("oracle", StringComparison.Ordinal) => "1521",
            _ => "3306",
        };
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
