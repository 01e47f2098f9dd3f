using System.Globalization;
using System.Xml.Linq;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Fleet;

namespace CloudPatterns.LocalCloud.Services.Elbv2;

/// <summary>
/// Elastic Load Balancing v2 (Query, 2015-12-01) over the fleet: load balancers, target groups, listeners and target
/// health as the health checks on the sandbox clock found it; registering and deregistering targets
/// (docs/localcloud-fleet.md). Load balancers, target groups and listeners are created by CloudFormation.
/// </summary>
internal sealed class Elbv2Service : QueryService
{
    private readonly FleetStore fleet;

    public Elbv2Service(FleetStore fleet)
        : base("elasticloadbalancing", "2015-12-01", "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/")
    {
        this.fleet = fleet;
        AddOperation("DescribeLoadBalancers", mutating: false, DescribeLoadBalancers);
        AddOperation("DescribeTargetGroups", mutating: false, DescribeTargetGroups);
        AddOperation("DescribeListeners", mutating: false, DescribeListeners);
        AddOperation("DescribeTargetHealth", mutating: false, DescribeTargetHealth);
        AddOperation("RegisterTargets", mutating: true, RegisterTargets);
        AddOperation("DeregisterTargets", mutating: true, DeregisterTargets);
    }

    private IEnumerable<XElement> DescribeLoadBalancers(AwsRequest request, QueryParameters parameters) => fleet.Use(_ =>
    {
        var (arns, names) = (parameters.GetList("LoadBalancerArns"), parameters.GetList("Names"));
        var all = fleet.LoadBalancers(request.AccountId, request.Region).ToList();
        if (arns.FirstOrDefault(arn => all.All(balancer => balancer.Arn != arn)) is { } missingArn)
        {
            throw LoadBalancerNotFound($"One or more load balancers not found");
        }

        if (names.FirstOrDefault(name => all.All(balancer => balancer.Name != name)) is { } missingName)
        {
            throw LoadBalancerNotFound($"Load balancers '[{missingName}]' not found");
        }

        var selected = all.Where(balancer => (arns.Count == 0 || arns.Contains(balancer.Arn)) && (names.Count == 0 || names.Contains(balancer.Name)));
        return new[] { Element("LoadBalancers", selected.Select(LoadBalancer).ToList()) };
    });

    private IEnumerable<XElement> DescribeTargetGroups(AwsRequest request, QueryParameters parameters) => fleet.Use(_ =>
    {
        var (arns, names, balancer) = (parameters.GetList("TargetGroupArns"), parameters.GetList("Names"), parameters.Get("LoadBalancerArn"));
        var all = fleet.TargetGroups(request.AccountId, request.Region).ToList();
        if (arns.Any(arn => all.All(group => group.Arn != arn)) || names.Any(name => all.All(group => group.Name != name)))
        {
            throw TargetGroupNotFound();
        }

        if (balancer is not null && fleet.LoadBalancer(balancer) is not { } found || balancer is not null && fleet.LoadBalancer(balancer)!.AccountId != request.AccountId)
        {
            throw LoadBalancerNotFound("One or more load balancers not found");
        }

        var selected = all.Where(group => (arns.Count == 0 || arns.Contains(group.Arn)) && (names.Count == 0 || names.Contains(group.Name))
            && (balancer is null || fleet.LoadBalancersOf(group).Any(candidate => candidate.Arn == balancer)));
        return new[] { Element("TargetGroups", selected.Select(TargetGroup).ToList()) };
    });

    private IEnumerable<XElement> DescribeListeners(AwsRequest request, QueryParameters parameters) => fleet.Use(_ =>
    {
        var (balancerArn, arns) = (parameters.Get("LoadBalancerArn"), parameters.GetList("ListenerArns"));
        if (balancerArn is null && arns.Count == 0)
        {
            throw new AwsServiceException(400, "ValidationError", "You must specify either listener ARNs or a load balancer ARN");
        }

        var listeners = new List<Listener>();
        if (balancerArn is not null)
        {
            var balancer = fleet.LoadBalancer(balancerArn) is { } found && found.AccountId == request.AccountId && found.Region == request.Region
                ? found
                : throw LoadBalancerNotFound("One or more load balancers not found");
            listeners.AddRange(fleet.Listeners(balancer.Arn));
        }

        foreach (var arn in arns)
        {
            listeners.Add(fleet.Listener(arn) is { } listener && fleet.LoadBalancer(listener.LoadBalancerArn)?.AccountId == request.AccountId
                ? listener
                : throw new AwsServiceException(400, "ListenerNotFound", "One or more listeners not found"));
        }

        return new[] { Element("Listeners", listeners.Where(listener => arns.Count == 0 || arns.Contains(listener.Arn)).Distinct().Select(Listener).ToList()) };
    });

    private IEnumerable<XElement> DescribeTargetHealth(AwsRequest request, QueryParameters parameters) => fleet.Use(now =>
    {
        var group = FindTargetGroup(request, parameters);
        var asked = Targets(parameters);
        var descriptions = asked.Count == 0
            ? group.Targets.Select(target => Description(group, target.InstanceId, target.Port, target)).ToList()
            : asked.Select(target => Description(group, target.InstanceId, target.Port ?? group.Port,
                group.Targets.FirstOrDefault(registered => registered.InstanceId == target.InstanceId && (target.Port is null || registered.Port == target.Port)))).ToList();
        return new[] { Element("TargetHealthDescriptions", descriptions) };
    });

    private IEnumerable<XElement> RegisterTargets(AwsRequest request, QueryParameters parameters)
    {
        var group = fleet.Use(_ => FindTargetGroup(request, parameters));
        var targets = Targets(parameters);
        if (targets.Count == 0)
        {
            throw AwsServiceException.Validation("ValidationError", ["Value null at 'targets' failed to satisfy constraint: Member must not be null"]);
        }

        if (fleet.Use(_ => targets.FirstOrDefault(target => fleet.Instance(target.InstanceId) is not { AccountId: var account, Active: true } || account != request.AccountId)) is { InstanceId: { } invalid })
        {
            throw new AwsServiceException(400, "InvalidTarget", $"The following targets are not in a running state and cannot be registered: '{invalid}'");
        }

        fleet.RegisterTargets(group, targets);
        return [];
    }

    private IEnumerable<XElement> DeregisterTargets(AwsRequest request, QueryParameters parameters)
    {
        var group = fleet.Use(_ => FindTargetGroup(request, parameters));
        var targets = Targets(parameters);
        if (fleet.Use(_ => targets.FirstOrDefault(target => group.Targets.All(registered => registered.InstanceId != target.InstanceId))) is { InstanceId: { } missing })
        {
            throw new AwsServiceException(400, "InvalidTarget", $"The following targets are not registered in target group '{group.Arn}': '{missing}'");
        }

        fleet.DeregisterTargets(group, targets);
        return [];
    }

    private TargetGroup FindTargetGroup(AwsRequest request, QueryParameters parameters)
    {
        var arn = parameters.Get("TargetGroupArn")
            ?? throw AwsServiceException.Validation("ValidationError", ["Value null at 'targetGroupArn' failed to satisfy constraint: Member must not be null"]);
        return fleet.TargetGroup(arn) is { } group && group.AccountId == request.AccountId && group.Region == request.Region ? group : throw TargetGroupNotFound();
    }

    private static List<(string InstanceId, int? Port)> Targets(QueryParameters parameters)
    {
        var targets = new List<(string, int?)>();
        for (var index = 1; parameters.Get($"Targets.member.{index}.Id") is { } id; index++)
        {
            targets.Add((id, parameters.Get($"Targets.member.{index}.Port") is { } port ? int.Parse(port, CultureInfo.InvariantCulture) : null));
        }

        return targets;
    }

    private XElement Description(TargetGroup group, string instanceId, int port, Target? target)
    {
        var instance = fleet.Instance(instanceId);
        var (state, reason, description) = target switch
        {
            null => ("unused", "Target.NotRegistered", "Target is not registered to the target group"),
            _ when instance is null || !instance.Active => ("unused", "Target.InvalidState", "Target is in the stopped or terminated state"),
            { State: "unused" } when !fleet.LoadBalancersOf(group).Any() => ("unused", "Target.NotInUse", "Target group is not configured to receive traffic from the load balancer"),
            { State: "unused" } => ("unused", "Target.NotInUse", "Target is in an Availability Zone that is not enabled for the load balancer"),
            { State: "initial", LastCheckPassed: null } => ("initial", "Elb.RegistrationInProgress", "Target registration is in progress"),
            { State: "initial" } => ("initial", "Elb.InitialHealthChecking", "Initial health checking in progress"),
            { State: "unhealthy" } when !fleet.Reachable(instance) => ("unhealthy", "Target.Timeout", "Request timed out"),
            { State: "unhealthy" } => ("unhealthy", "Target.FailedHealthChecks", "Health checks failed"),
            _ => (target.State, (string?)null, (string?)null),
        };
        return Element("member", new object?[]
        {
            Element("Target", new object?[]
            {
                Element("Id", instanceId),
                Element("Port", port),
                instance is not null ? Element("AvailabilityZone", instance.Placement.AvailabilityZone) : null,
            }),
            Element("HealthCheckPort", group.HealthCheck.Port == "traffic-port" ? port.ToString(CultureInfo.InvariantCulture) : group.HealthCheck.Port),
            Element("TargetHealth", new object?[]
            {
                Element("State", state),
                reason is not null ? Element("Reason", reason) : null,
                description is not null ? Element("Description", description) : null,
            }),
        });
    }

    private XElement LoadBalancer(LoadBalancer balancer) => Element("member", new object?[]
    {
        Element("LoadBalancerArn", balancer.Arn),
        Element("DNSName", balancer.DnsName),
        Element("CanonicalHostedZoneId", balancer.CanonicalHostedZoneId),
        Element("CreatedTime", Timestamp(balancer.CreatedTime)),
        Element("LoadBalancerName", balancer.Name),
        Element("Scheme", balancer.Scheme),
        balancer.VpcId is { } vpc ? Element("VpcId", vpc) : null,
        Element("State", Element("Code", "active")),
        Element("Type", balancer.Type),
        Element("AvailabilityZones", balancer.Zones.Select(zone => Element("member", new object?[]
        {
            Element("ZoneName", zone.AvailabilityZone),
            zone.SubnetId is { } subnet ? Element("SubnetId", subnet) : null,
        }))),
        Element("SecurityGroups", balancer.SecurityGroups.Select(group => Element("member", group))),
        Element("IpAddressType", "ipv4"),
    });

    private XElement TargetGroup(TargetGroup group) => Element("member", new object?[]
    {
        Element("TargetGroupArn", group.Arn),
        Element("TargetGroupName", group.Name),
        Element("Protocol", group.Protocol),
        Element("Port", group.Port),
        group.VpcId is { } vpc ? Element("VpcId", vpc) : null,
        Element("HealthCheckProtocol", group.HealthCheck.Protocol),
        Element("HealthCheckPort", group.HealthCheck.Port),
        Element("HealthCheckEnabled", "true"),
        Element("HealthCheckIntervalSeconds", group.HealthCheck.IntervalSeconds),
        Element("HealthCheckTimeoutSeconds", group.HealthCheck.TimeoutSeconds),
        Element("HealthyThresholdCount", group.HealthCheck.HealthyThreshold),
        Element("UnhealthyThresholdCount", group.HealthCheck.UnhealthyThreshold),
        Element("HealthCheckPath", group.HealthCheck.Path),
        Element("Matcher", Element("HttpCode", group.HealthCheck.Matcher)),
        Element("LoadBalancerArns", fleet.LoadBalancersOf(group).Select(balancer => Element("member", balancer.Arn))),
        Element("TargetType", group.TargetType),
        Element("ProtocolVersion", "HTTP1"),
        Element("IpAddressType", "ipv4"),
    });

    private XElement Listener(Listener listener) => Element("member", new object?[]
    {
        Element("ListenerArn", listener.Arn),
        Element("LoadBalancerArn", listener.LoadBalancerArn),
        Element("Port", listener.Port),
        Element("Protocol", listener.Protocol),
        Element("Certificates", listener.CertificateArns.Select(arn => Element("member", Element("CertificateArn", arn)))),
        listener.SslPolicy is { } policy ? Element("SslPolicy", policy) : null,
        Element("DefaultActions", Element("member", Action(listener.DefaultAction))),
    });

    private IEnumerable<XElement?> Action(ListenerAction action) => action.Type switch
    {
        "forward" => [Element("Type", "forward"), Element("TargetGroupArn", action.TargetGroupArn)],
        "redirect" => [Element("Type", "redirect"), Element("RedirectConfig", new[] { Element("Protocol", action.Location!.Split(':')[0].ToUpperInvariant()), Element("StatusCode", $"HTTP_{action.StatusCode}") })],
        _ => [Element("Type", action.Type), Element("FixedResponseConfig", Element("StatusCode", action.StatusCode.ToString(CultureInfo.InvariantCulture)))],
    };

    private static AwsServiceException LoadBalancerNotFound(string message) => new(400, "LoadBalancerNotFound", message);

    private static AwsServiceException TargetGroupNotFound() => new(400, "TargetGroupNotFound", "One or more target groups not found");
}
