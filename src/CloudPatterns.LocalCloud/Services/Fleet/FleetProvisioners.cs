using System.Globalization;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation;
using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.CloudFormation.Templates;

namespace CloudPatterns.LocalCloud.Services.Fleet;

/// <summary>
/// CloudFormation's Auto Scaling groups, load balancers, target groups and listeners become real in the fleet. Each
/// is first recorded by the generic provisioner (ids, GetAtt values and drift stay as they were), then built in
/// <see cref="FleetStore"/> from the resolved properties; subnets and launch templates stay generic, and are read
/// from the generic records (a subnet's AvailabilityZone, a launch template's image and instance type).
/// </summary>
internal sealed class FleetProvisioner(GenericResourceProvisioner generic, FleetStore fleet, string resourceType) : IResourceProvisioner
{
    public const string AutoScalingGroupType = "AWS::AutoScaling::AutoScalingGroup";
    public const string LoadBalancerType = "AWS::ElasticLoadBalancingV2::LoadBalancer";
    public const string TargetGroupType = "AWS::ElasticLoadBalancingV2::TargetGroup";
    public const string ListenerType = "AWS::ElasticLoadBalancingV2::Listener";

    public static IReadOnlyList<string> Types { get; } = [AutoScalingGroupType, LoadBalancerType, TargetGroupType, ListenerType];

    public async Task<ProvisionedResource> CreateAsync(ResourceRequest request, CancellationToken cancellationToken)
    {
        var provisioned = await generic.CreateAsync(request, cancellationToken);
        try
        {
            Build(request, provisioned, existing: false);
        }
        catch
        {
            await generic.DeleteAsync(request, provisioned, cancellationToken);
            throw;
        }

        return provisioned;
    }

    public async Task<ProvisionedResource> UpdateAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        var updated = await generic.UpdateAsync(request, current, cancellationToken);
        Build(request, updated, existing: true);
        return updated;
    }

    public async Task DeleteAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        var (account, region, id) = (request.Stack.AccountId, request.Stack.Region, current.PhysicalId);
        switch (resourceType)
        {
            case AutoScalingGroupType:
                if (fleet.Use(_ => fleet.Group(account, region, id)) is { } group)
                {
                    fleet.RemoveGroup(group);
                }

                break;
            case LoadBalancerType:
                fleet.RemoveLoadBalancer(id);
                break;
            case TargetGroupType:
                fleet.RemoveTargetGroup(id);
                break;
            case ListenerType:
                fleet.RemoveListener(id);
                break;
        }

        await generic.DeleteAsync(request, current, cancellationToken);
    }

    public Task<JsonObject?> ReadActualAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken) =>
        generic.ReadActualAsync(request, current, cancellationToken);

    private void Build(ResourceRequest request, ProvisionedResource provisioned, bool existing)
    {
        switch (resourceType)
        {
            case AutoScalingGroupType:
                BuildGroup(request, provisioned.PhysicalId, existing);
                break;
            case LoadBalancerType:
                fleet.AddLoadBalancer(new LoadBalancer
                {
                    Arn = provisioned.PhysicalId,
                    Name = Text(provisioned.Attributes.GetValueOrDefault("LoadBalancerName")) ?? provisioned.PhysicalId.Split('/')[^2],
                    DnsName = Text(provisioned.Attributes.GetValueOrDefault("DNSName")) ?? "",
                    AccountId = request.Stack.AccountId,
                    Region = request.Stack.Region,
                    CreatedTime = fleet.Now,
                    Type = Text(request.Properties["Type"]) ?? "application",
                    Scheme = Text(request.Properties["Scheme"]) ?? "internet-facing",
                    VpcId = Subnets(request).Select(subnet => Text(subnet.Value["VpcId"])).FirstOrDefault(vpc => vpc is not null),
                    Zones = Placements(request, Strings(request.Properties["Subnets"]).Concat(Objects(request.Properties["SubnetMappings"]).Select(mapping => Text(mapping["SubnetId"]) ?? "")).ToList()),
                    SecurityGroups = Strings(request.Properties["SecurityGroups"]),
                    CanonicalHostedZoneId = Text(provisioned.Attributes.GetValueOrDefault("CanonicalHostedZoneID")) ?? "Z3AADJGX6KTTL2",
                });
                break;
            case TargetGroupType:
                BuildTargetGroup(request, provisioned.PhysicalId, existing);
                break;
            case ListenerType:
                fleet.AddListener(new Listener
                {
                    Arn = provisioned.PhysicalId,
                    LoadBalancerArn = Text(request.Properties["LoadBalancerArn"]) ?? "",
                    Port = Number(request.Properties["Port"]) ?? 80,
                    Protocol = Text(request.Properties["Protocol"]) ?? "HTTP",
                    SslPolicy = Text(request.Properties["SslPolicy"]),
                    CertificateArns = Objects(request.Properties["Certificates"]).Select(certificate => Text(certificate["CertificateArn"])).OfType<string>().ToList(),
                    DefaultAction = Action(Objects(request.Properties["DefaultActions"]).OrderBy(action => Number(action["Order"]) ?? 0).FirstOrDefault()),
                });
                break;
        }
    }

    private void BuildGroup(ResourceRequest request, string name, bool existing)
    {
        var properties = request.Properties;
        var (account, region) = (request.Stack.AccountId, request.Stack.Region);
        var min = Number(properties["MinSize"]) ?? 0;
        var max = Number(properties["MaxSize"]) ?? 0;
        var desired = Number(properties["DesiredCapacity"]);
        if (min > max || desired is { } asked && (asked < min || asked > max))
        {
            throw new ResourceFailedException(desired is { } value && (value < min || value > max)
                ? $"Desired capacity:{value} must be between the specified min size:{min} and max size:{max} (Service: AutoScaling, Status Code: 400)"
                : $"Max bound, {max}, must be greater than or equal to min bound, {min} (Service: AutoScaling, Status Code: 400)");
        }

        var subnetIds = Strings(properties["VPCZoneIdentifier"]);
        var zones = subnetIds.Count > 0
            ? Placements(request, subnetIds)
            : Strings(properties["AvailabilityZones"]).Select(zone => new Placement(null, zone)).ToList();
        if (zones.Count == 0)
        {
            throw new ResourceFailedException("At least one Availability Zone or VPC Subnet is required. (Service: AutoScaling, Status Code: 400)");
        }

        var launch = Launch(request);
        void Apply(AutoScalingGroup group)
        {
            group.MinSize = min;
            group.MaxSize = max;
            // Without DesiredCapacity a new group starts at MinSize, and an update keeps the current one within the new bounds.
            group.DesiredCapacity = desired ?? (existing ? Math.Clamp(group.DesiredCapacity, min, max) : min);
            group.Zones = zones;
            group.Launch = launch;
            group.TargetGroupArns = Strings(properties["TargetGroupARNs"]);
            group.HealthCheckType = Text(properties["HealthCheckType"]) ?? "EC2";
            group.HealthCheckGracePeriod = Number(properties["HealthCheckGracePeriod"]) ?? 0;
            group.DefaultCooldown = Number(properties["Cooldown"]) ?? 300;
            group.DefaultInstanceWarmup = Number(properties["DefaultInstanceWarmup"]);
            group.NewInstancesProtectedFromScaleIn = Text(properties["NewInstancesProtectedFromScaleIn"]) is "true" or "True";
            group.Tags = Objects(properties["Tags"]).Where(tag => Text(tag["PropagateAtLaunch"]) is "true" or "True")
                .ToDictionary(tag => Text(tag["Key"]) ?? "", tag => Text(tag["Value"]) ?? "", StringComparer.Ordinal);
        }

        if (existing && fleet.Use(_ => fleet.Group(account, region, name)) is { } current)
        {
            fleet.ChangeGroup(current, Apply);
            return;
        }

        var created = new AutoScalingGroup
        {
            Name = name,
            Arn = $"arn:{request.Stack.Partition}:autoscaling:{region}:{account}:autoScalingGroup:{Guid.NewGuid()}:autoScalingGroupName/{name}",
            AccountId = account,
            Region = region,
            CreatedTime = fleet.Now,
        };
        Apply(created);
        if (!fleet.AddGroup(created))
        {
            throw new ResourceFailedException($"AutoScalingGroup by this name already exists - A group with the name {name} already exists (Service: AutoScaling, Status Code: 400)");
        }
    }

    private void BuildTargetGroup(ResourceRequest request, string arn, bool existing)
    {
        var properties = request.Properties;
        var protocol = Text(properties["Protocol"]) ?? "HTTP";
        var checkProtocol = Text(properties["HealthCheckProtocol"]) ?? (protocol is "HTTPS" ? "HTTPS" : "HTTP");
        var check = new HealthCheck(
            checkProtocol,
            Text(properties["HealthCheckPort"]) ?? "traffic-port",
            Text(properties["HealthCheckPath"]) ?? "/",
            Number(properties["HealthCheckIntervalSeconds"]) ?? 30,
            Number(properties["HealthCheckTimeoutSeconds"]) ?? 5,
            Number(properties["HealthyThresholdCount"]) ?? 5,
            Number(properties["UnhealthyThresholdCount"]) ?? 2,
            Text((properties["Matcher"] as JsonObject)?["HttpCode"]) ?? "200");
        if (existing && fleet.Use(_ => fleet.TargetGroup(arn)) is { } current)
        {
            fleet.Use(_ =>
            {
                current.HealthCheck = check;
                current.Protocol = protocol;
                current.Port = Number(properties["Port"]) ?? current.Port;
            });
            return;
        }

        var group = new TargetGroup
        {
            Arn = arn,
            Name = arn.Split('/')[^2],
            AccountId = request.Stack.AccountId,
            Region = request.Stack.Region,
            Protocol = protocol,
            Port = Number(properties["Port"]) ?? (protocol == "HTTPS" ? 443 : 80),
            VpcId = Text(properties["VpcId"]),
            TargetType = Text(properties["TargetType"]) ?? "instance",
            HealthCheck = check,
        };
        fleet.AddTargetGroup(group);
        var targets = Objects(properties["Targets"]).Select(target => (Text(target["Id"]) ?? "", Number(target["Port"]))).ToList();
        if (targets.Count > 0)
        {
            fleet.RegisterTargets(group, targets);
        }
    }

    /// <summary>The image and type the group launches, from its launch template or launch configuration.</summary>
    private LaunchSpecification Launch(ResourceRequest request)
    {
        var (account, region) = (request.Stack.AccountId, request.Stack.Region);
        var properties = request.Properties;
        var template = properties["LaunchTemplate"] as JsonObject
            ?? (properties["MixedInstancesPolicy"]?["LaunchTemplate"]?["LaunchTemplateSpecification"] as JsonObject);
        if (template is not null)
        {
            var id = Text(template["LaunchTemplateId"]);
            var name = Text(template["LaunchTemplateName"]);
            var recorded = generic.Recorded(account, region, "AWS::EC2::LaunchTemplate");
            var (templateId, data) = recorded
                .Where(entry => entry.Key == id || (name is not null && Text(entry.Value["LaunchTemplateName"]) == name))
                .Select(entry => (entry.Key, entry.Value["LaunchTemplateData"] as JsonObject))
                .FirstOrDefault();
            if (templateId is null)
            {
                throw new ResourceFailedException($"The specified launch template, with template ID {id ?? name}, does not exist. (Service: AutoScaling, Status Code: 400)");
            }

            return new LaunchSpecification(templateId, name ?? Text(recorded[templateId]["LaunchTemplateName"]), Text(template["Version"]) ?? "$Default", null,
                Text(data?["ImageId"]) ?? "ami-00000000000000000", Text(data?["InstanceType"]) ?? "t3.micro")
            {
                // The template's groups: SecurityGroupIds, or those of its first network interface.
                SecurityGroupIds = Texts(data?["SecurityGroupIds"]) is { Count: > 0 } groups ? groups : Texts(data?["NetworkInterfaces"]?[0]?["Groups"]),
            };
        }

        if (Text(properties["LaunchConfigurationName"]) is { } configurationName)
        {
            var configuration = generic.Recorded(account, region, "AWS::AutoScaling::LaunchConfiguration").GetValueOrDefault(configurationName)
                ?? throw new ResourceFailedException($"Launch configuration name not found - Launch configuration {configurationName} not found (Service: AutoScaling, Status Code: 400)");
            return new LaunchSpecification(null, null, null, configurationName, Text(configuration["ImageId"]) ?? "ami-00000000000000000", Text(configuration["InstanceType"]) ?? "t3.micro")
            {
                SecurityGroupIds = Texts(configuration["SecurityGroups"]),
            };
        }

        throw new ResourceFailedException("Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter. (Service: AutoScaling, Status Code: 400)");
    }

    /// <summary>The subnets of the stack's account and region that CloudFormation recorded, by id.</summary>
    private IReadOnlyDictionary<string, JsonObject> Subnets(ResourceRequest request) =>
        generic.Recorded(request.Stack.AccountId, request.Stack.Region, "AWS::EC2::Subnet");

    /// <summary>Each subnet with its Availability Zone (the subnet's AvailabilityZone; AWS picks one when none is given, here the region's "a").</summary>
    private List<Placement> Placements(ResourceRequest request, IReadOnlyList<string> subnetIds)
    {
        var subnets = Subnets(request);
        return subnetIds.Where(id => id.Length > 0).Select(id => subnets.TryGetValue(id, out var subnet)
            ? new Placement(id, Text(subnet["AvailabilityZone"]) ?? request.Stack.Region + "a")
            : throw new ResourceFailedException($"The subnet ID '{id}' does not exist")).ToList();
    }

    private static ListenerAction Action(JsonObject? action)
    {
        var type = Text(action?["Type"]) ?? "forward";
        switch (type)
        {
            case "redirect":
                var redirect = action?["RedirectConfig"] as JsonObject;
                var protocol = (Text(redirect?["Protocol"]) ?? "#{protocol}").ToLowerInvariant();
                var location = $"{protocol}://{Text(redirect?["Host"]) ?? "#{host}"}:{Text(redirect?["Port"]) ?? "#{port}"}{Text(redirect?["Path"]) ?? "/#{path}"}";
                return new ListenerAction(type, null, Text(redirect?["StatusCode"]) == "HTTP_302" ? 302 : 301, location, null);
            case "fixed-response":
                var fixedResponse = action?["FixedResponseConfig"] as JsonObject;
                return new ListenerAction(type, null, Number(fixedResponse?["StatusCode"]) ?? 200, null, Text(fixedResponse?["MessageBody"]));
            default:
                var targetGroup = Text(action?["TargetGroupArn"])
                    ?? Objects(action?["ForwardConfig"]?["TargetGroups"]).Select(group => Text(group["TargetGroupArn"])).FirstOrDefault();
                return new ListenerAction(type, targetGroup, 0, null, null);
        }
    }

    private static string? Text(JsonNode? node) => TemplateEvaluator.AsString(node);

    private static List<string> Texts(JsonNode? node) => [.. (node as JsonArray ?? []).Select(Text).OfType<string>()];

    private static int? Number(JsonNode? node) =>
        int.TryParse(Text(node), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : null;

    private static List<string> Strings(JsonNode? node) => node switch
    {
        JsonArray array => array.Select(Text).OfType<string>().ToList(),
        JsonValue value when Text(value) is { } text => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
        _ => [],
    };

    private static IEnumerable<JsonObject> Objects(JsonNode? node) => node is JsonArray array ? array.OfType<JsonObject>() : [];
}
