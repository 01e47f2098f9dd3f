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
        ["AWS::ElasticLoadBalancingV2::LoadBalancer"] = "loadbalancer/{kind}/{name}/{hex16}",
        ["AWS::ElasticLoadBalancingV2::TargetGroup"] = "targetgroup/{name}/{hex16}",
        ["AWS::ElasticLoadBalancingV2::Listener"] = "listener/app/{name}/{hex16}/{hex16b}",
        ["AWS::ElasticLoadBalancingV2::ListenerRule"] = "listener-rule/app/{name}/{hex16}/{hex16b}/{hex16c}",
    };

    // Types whose spec has no ARN template and whose ARN is not the generic service:type/name: "service:path", with
    // {name} (the name property, else the generated name) and {uuid} (docs/localcloud-cloudformation-recorded.md, "ARNs with a UUID").
    private static readonly Dictionary<string, (string Service, string Path, string NameProperty)> ArnFormats = new(StringComparer.Ordinal)
    {
        ["AWS::MSK::Cluster"] = ("kafka", "cluster/{name}/{uuid}", "ClusterName"),
        ["AWS::MSK::ServerlessCluster"] = ("kafka", "cluster/{name}/{uuid}", "ClusterName"),
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

    // Attributes that name the resource itself under another name than its primary identifier: a security group's
    // GroupId is its Id, which Ref returns (docs/localcloud-cloudformation-recorded.md).
    private static readonly Dictionary<string, string> OwnIdAttributes = new(StringComparer.Ordinal) { ["AWS::EC2::SecurityGroup"] = "GroupId" };

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
        var identifiers = request.Spec.RefIdentifier;
        if (identifiers.Count > 1)
        {
            // A compound identifier is its parts in order joined with "|", as CloudFormation's registry resources
            // and Cloud Control write it (docs/localcloud-cloudformation-recorded.md).
            return string.Join('|', identifiers.Select(part => IdentifierPart(request, seed, part)));
        }
        var identifier = identifiers.Count > 0 ? identifiers[0] : "Id";
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

    /// <summary>
    /// One part of a compound identifier: the property of that name; else a property that names it with a qualifier
    /// (a route's CidrBlock is its DestinationCidrBlock); else one a type derives (a gateway attachment's type); else
    /// generated: an ARN, a first version ("1"), an id, or a name.
    /// </summary>
    private static string IdentifierPart(ResourceRequest request, string seed, string part)
    {
        if (Templates.TemplateEvaluator.AsString(request.Properties[part]) is { } given)
        {
            return given;
        }
        var qualified = request.Properties.FirstOrDefault(property =>
            part.Length > 2 && property.Key.Length > part.Length && property.Key.EndsWith(part, StringComparison.Ordinal) && property.Value is JsonValue);
        if (Templates.TemplateEvaluator.AsString(qualified.Value) is { } named)
        {
            return named;
        }
        if (DerivedParts.TryGetValue($"{request.ResourceType}.{part}", out var derive))
        {
            return derive(request.Properties);
        }
        var partSeed = Hash(seed + part);
        return part switch
        {
            _ when part.EndsWith("Arn", StringComparison.Ordinal) => Arn(request, GeneratedName(request, seed), seed),
            "Version" or "VersionNumber" => "1",
            _ when part.EndsWith("Id", StringComparison.Ordinal) => partSeed[..10].ToUpperInvariant(),
            _ => GeneratedName(request, seed),
        };
    }

    // Parts of compound identifiers that a type derives from its properties (the spec documents the attribute).
    private static readonly Dictionary<string, Func<JsonObject, string>> DerivedParts = new(StringComparer.Ordinal)
    {
        // "Used to identify if this resource is an Internet Gateway or Vpn Gateway Attachment".
        ["AWS::EC2::VPCGatewayAttachment.AttachmentType"] = properties => properties["InternetGatewayId"] is not null ? "IGW" : "VPN",
    };

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
            // A listener's ARN extends its load balancer's, a rule's its listener's (listener/net/<name>/<id>/<id>).
            var parent = Templates.TemplateEvaluator.AsString(request.Properties["LoadBalancerArn"] ?? request.Properties["ListenerArn"]);
            var (from, to) = request.ResourceType.EndsWith("::Listener", StringComparison.Ordinal) ? (":loadbalancer/", ":listener/") : (":listener/", ":listener-rule/");
            if (parent is not null && request.ResourceType.StartsWith("AWS::ElasticLoadBalancingV2::Listener", StringComparison.Ordinal) && parent.Contains(from, StringComparison.Ordinal))
            {
                return $"{parent.Replace(from, to, StringComparison.Ordinal)}/{seed[..16]}";
            }
            var shortName = Templates.TemplateEvaluator.AsString(request.Properties["Name"]) ?? (name.Length > 32 ? name[..32].TrimEnd('-') : name);
            return $"arn:{stack.Partition}:elasticloadbalancing:{stack.Region}:{stack.AccountId}:" + path
                .Replace("{kind}", LoadBalancerKind(request)).Replace("{name}", shortName)
                .Replace("{hex16}", seed[..16]).Replace("{hex16b}", seed[16..32]).Replace("{hex16c}", seed[32..48]);
        }
        if (ArnFormats.TryGetValue(request.ResourceType, out var format))
        {
            var uuid = $"{seed[..8]}-{seed[8..12]}-{seed[12..16]}-{seed[16..20]}-{seed[20..32]}-{Convert.ToInt32(seed[32..33], 16) % 9 + 1}";
            var formatName = Templates.TemplateEvaluator.AsString(request.Properties[format.NameProperty]) ?? name;
            return $"arn:{stack.Partition}:{format.Service}:{stack.Region}:{stack.AccountId}:" + format.Path.Replace("{name}", formatName).Replace("{uuid}", uuid);
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

    /// <summary>
    /// The id of the security group EC2 creates with a VPC (its "default" group, docs/localcloud-fleet.md): GetAtt
    /// DefaultSecurityGroup of the VPC, and a group EC2 and EFS know.
    /// </summary>
    public static string DefaultSecurityGroupOf(string vpcId) =>
        "sg-" + Hash("default-security-group/" + vpcId)[..17];

    private static JsonNode AttributeValue(ResourceRequest request, string physicalId, string seed, string name, PropertyTypeSpec type,
        Func<string, string?>? subnetZone)
    {
        var stack = request.Stack;
        var spec = request.Spec;
        if (request.Properties[name] is { } given)
        {
            return given.DeepClone();
        }
        if (OwnNameProperty(request, name) is { } named)
        {
            return named.DeepClone();
        }
        var part = spec.RefIdentifier.Count > 1 ? spec.RefIdentifier.ToList().IndexOf(name) : -1;
        if (part >= 0 && physicalId.Split('|') is var parts && parts.Length == spec.RefIdentifier.Count)
        {
            return JsonValue.Create(parts[part]);
        }
        if (request.ResourceType == "AWS::EC2::VPC" && name == "DefaultSecurityGroup")
        {
            return JsonValue.Create(DefaultSecurityGroupOf(physicalId));
        }
        // Where Ref is not the primary identifier (a CodeBuild project's Name), the identifier attribute is not Ref's value.
        if ((spec.RefIdentifier.Count == 1 && spec.RefIdentifier[0] == name) || name is "Ref" || (name is "Id" && spec.RefIdentifierOverride is null)
            || OwnIdAttributes.GetValueOrDefault(request.ResourceType) == name)
        {
            return JsonValue.Create(physicalId);
        }
        if (name.EndsWith("Port", StringComparison.Ordinal) && name[(name.LastIndexOf('.') + 1)..] == "Port")
        {
            // The template's Port, else the engine's default (docs/localcloud-cloudformation-recorded.md).
            var port = Templates.TemplateEvaluator.AsString(request.Properties["Port"]) ?? DefaultPort(request);
            return type.Kind is PropertyKind.Integer or PropertyKind.Number && int.TryParse(port, out var number) ? JsonValue.Create(number) : JsonValue.Create(port);
        }
        var leafName = name[(name.LastIndexOf('.') + 1)..];
        if (leafName == "Version" || leafName.EndsWith("VersionNumber", StringComparison.Ordinal))
        {
            // A new resource's first version ("A new pipeline is always assigned a version number of 1", the spec's
            // documentation of AWS::CodePipeline::Pipeline Version; a launch template's LatestVersionNumber, a Lambda
            // version's Version): a number where the spec says so, else its text.
            return type.Kind is PropertyKind.Integer or PropertyKind.Number ? JsonValue.Create(1) : JsonValue.Create("1");
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
        if (request.ResourceType == "AWS::SES::EmailIdentity" && DkimRecord(request, seed, leaf) is { } dkim)
        {
            return JsonValue.Create(dkim);
        }
        var host = physicalId.StartsWith("arn:", StringComparison.Ordinal) ? physicalId[(physicalId.LastIndexOf(':') + 1)..].Replace('/', '-') : physicalId;
        string value = leaf switch
        {
            // A secret's ARN ends with a hyphen and six characters Secrets Manager adds to its name.
            _ when leaf.EndsWith("SecretArn", StringComparison.Ordinal) =>
                $"arn:{stack.Partition}:secretsmanager:{stack.Region}:{stack.AccountId}:secret:{host}-{seed[20..26]}",
            _ when leaf.EndsWith("Arn", StringComparison.OrdinalIgnoreCase) =>
                physicalId.StartsWith("arn:", StringComparison.Ordinal) ? physicalId : Arn(request, physicalId, seed),
            // A database cluster's writer and reader endpoints, an instance's endpoint (as RDS, DocumentDB and Neptune name them).
            "Endpoint" or "ReadEndpoint" when request.ResourceType.EndsWith("::DBCluster", StringComparison.Ordinal) =>
                $"{host.ToLowerInvariant()}.{(leaf == "ReadEndpoint" ? "cluster-ro-" : "cluster-")}{seed[..12]}.{stack.Region}.{ServiceHost(request.ResourceType)}.{stack.UrlSuffix}",
            // An EKS cluster's API server and OIDC issuer URLs (docs/localcloud-cloudformation-recorded.md): templates split
            // the issuer at "//" for the IAM condition keys of service-account roles.
            "Endpoint" when request.ResourceType == "AWS::EKS::Cluster" =>
                $"https://{seed[..32].ToUpperInvariant()}.{seed[32..35]}.{stack.Region}.eks.{stack.UrlSuffix}",
            "OpenIdConnectIssuerUrl" => $"https://oidc.eks.{stack.Region}.{stack.UrlSuffix}/id/{seed[..32].ToUpperInvariant()}",
            "DNSName" when request.ResourceType.StartsWith("AWS::ElasticLoadBalancing", StringComparison.Ordinal) =>
                $"{LoadBalancerName(physicalId)}-{Convert.ToInt64(seed[..8], 16) % 10_000_000_000:D10}.{stack.Region}.elb.{stack.UrlSuffix}",
            "DNSName" or "DomainName" or "Address" or "Endpoint" when leaf != "Endpoint" || request.ResourceType.EndsWith("::DBInstance", StringComparison.Ordinal) => $"{host.ToLowerInvariant()}.{seed[..12]}.{stack.Region}.{ServiceHost(request.ResourceType)}.{stack.UrlSuffix}",
            "CanonicalHostedZoneID" or "CanonicalHostedZoneNameID" or "HostedZoneId" => "Z" + seed[..13].ToUpperInvariant(),
            "AvailabilityZone" => stack.Region + "a",
            "LoadBalancerName" => LoadBalancerName(physicalId),
            "LoadBalancerFullName" => physicalId[(physicalId.IndexOf("loadbalancer/", StringComparison.Ordinal) + "loadbalancer/".Length)..],
            // "targetgroup/my-target-group/cbf133c568b0d20d" (AWS::ElasticLoadBalancingV2::TargetGroup return values).
            "TargetGroupFullName" => physicalId[physicalId.IndexOf("targetgroup/", StringComparison.Ordinal)..],
            "TargetGroupName" when physicalId.Contains(":targetgroup/", StringComparison.Ordinal) => physicalId.Split(":targetgroup/")[1].Split('/')[0],
            _ when leaf.EndsWith("Name", StringComparison.Ordinal) => host,
            _ when leaf.EndsWith("Id", StringComparison.Ordinal) || leaf.EndsWith("ID", StringComparison.Ordinal) => seed[..20],
            _ when leaf.EndsWith("Time", StringComparison.Ordinal) || leaf.EndsWith("Date", StringComparison.Ordinal) => "2026-01-01T00:00:00Z",
            _ => $"{leaf.ToLowerInvariant()}-{seed[..12]}",
        };
        return JsonValue.Create(value);
    }

    /// <summary>
    /// The value of a top-level name attribute that the type's own name property sets under another name: a
    /// repository's Name is its RepositoryName, an ECS service's Name its ServiceName, a user pool client's Name its
    /// ClientName (a property ending with "Name" whose stem ends the type's name), and an event rule's RuleName or an
    /// Amplify app's AppName its Name (the attribute's stem ends the type's name): the spec documents these attributes
    /// as the resource's name (docs/localcloud-cloudformation-recorded.md, "Name and version attributes"). Null when the
    /// template sets no such property (the generated name then stands).
    /// </summary>
    private static JsonNode? OwnNameProperty(ResourceRequest request, string name)
    {
        if (name.Contains('.', StringComparison.Ordinal) || !name.EndsWith("Name", StringComparison.Ordinal))
        {
            return null;
        }
        var typeName = request.ResourceType[(request.ResourceType.LastIndexOf(':') + 1)..];
        if (name == "Name")
        {
            var own = request.Properties.Where(property => property.Key.Length > 4 && property.Key.EndsWith("Name", StringComparison.Ordinal)
                    && typeName.EndsWith(property.Key[..^4], StringComparison.Ordinal) && property.Value is JsonValue)
                .Select(property => property.Value).ToList();
            return own.Count == 1 ? own[0] : null;
        }
        return typeName.EndsWith(name[..^4], StringComparison.Ordinal) && request.Properties["Name"] is JsonValue plain ? plain : null;
    }

    /// <summary>
    /// An SES identity's Easy DKIM records: DkimDNSTokenName&lt;N&gt; is <c>&lt;token&gt;._domainkey.&lt;domain&gt;</c> and
    /// DkimDNSTokenValue&lt;N&gt; <c>&lt;token&gt;.dkim.amazonses.com</c>, one token per N (docs/localcloud-cloudformation-recorded.md,
    /// "SES DKIM records"); null for other attributes.
    /// </summary>
    private static string? DkimRecord(ResourceRequest request, string seed, string leaf)
    {
        const string name = "DkimDNSTokenName", value = "DkimDNSTokenValue";
        var kind = leaf.StartsWith(name, StringComparison.Ordinal) ? name : leaf.StartsWith(value, StringComparison.Ordinal) ? value : null;
        if (kind is null)
        {
            return null;
        }
        var token = Hash(seed + "|dkim" + leaf[kind.Length..])[..32];
        var identity = Templates.TemplateEvaluator.AsString(request.Properties["EmailIdentity"]) ?? "example.com";
        return kind == name ? $"{token}._domainkey.{identity[(identity.IndexOf('@') + 1)..]}" : $"{token}.dkim.amazonses.com";
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

    /// <summary>loadbalancer/&lt;kind&gt;/&lt;name&gt;/&lt;id&gt;: the name after the kind (app, net or gwy).</summary>
    private static string LoadBalancerName(string physicalId)
    {
        var marker = physicalId.IndexOf(":loadbalancer/", StringComparison.Ordinal);
        return marker < 0 ? physicalId : physicalId[(marker + ":loadbalancer/".Length)..].Split('/')[1];
    }

    /// <summary>The ARN's kind of load balancer: net for Type network, gwy for gateway, else app (docs/localcloud-cloudformation-recorded.md).</summary>
    public static string LoadBalancerKind(ResourceRequest request) => Templates.TemplateEvaluator.AsString(request.Properties["Type"]) switch
    {
        "network" => "net",
        "gateway" => "gwy",
        _ => "app",
    };

    private static string ServiceHost(string resourceType) => resourceType.Split("::")[1].ToLowerInvariant();

    /// <summary>A database's or cache's default port by service and engine; 443 for the rest.</summary>
    private static string DefaultPort(ResourceRequest request) => request.ResourceType.Split("::")[1] switch
    {
        "RDS" => DefaultDatabasePort(request),
        "ElastiCache" or "MemoryDB" => (request.Properties["Engine"] as JsonValue)?.ToString() == "memcached" ? "11211" : "6379",
        "Neptune" => "8182",
        "DocDB" => "27017",
        "Redshift" => "5439",
        _ => "443",
    };

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
