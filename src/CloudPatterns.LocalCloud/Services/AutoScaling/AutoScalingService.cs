using System.Globalization;
using System.Xml.Linq;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Fleet;

namespace CloudPatterns.LocalCloud.Services.AutoScaling;

/// <summary>
/// Auto Scaling (Query, 2011-01-01) over the fleet: groups, their instances and activities, desired capacity and
/// group updates (docs/localcloud-fleet.md); scaling policies and instance protection in AutoScalingService.Policies.cs
/// (docs/localcloud-autoscaling.md). Groups are created by CloudFormation.
/// </summary>
internal sealed partial class AutoScalingService : QueryService
{
    private readonly FleetStore fleet;
    private readonly ScalingEngine engine;

    public AutoScalingService(FleetStore fleet, ScalingEngine engine)
        : base("autoscaling", "2011-01-01", "http://autoscaling.amazonaws.com/doc/2011-01-01/")
    {
        this.fleet = fleet;
        this.engine = engine;
        AddPolicyOperations();
        AddProcessOperations();
        AddOperation("DescribeAutoScalingGroups", mutating: false, DescribeAutoScalingGroups);
        AddOperation("DescribeAutoScalingInstances", mutating: false, DescribeAutoScalingInstances);
        AddOperation("DescribeScalingActivities", mutating: false, DescribeScalingActivities);
        AddOperation("SetDesiredCapacity", mutating: true, SetDesiredCapacity);
        AddOperation("UpdateAutoScalingGroup", mutating: true, UpdateAutoScalingGroup);
    }

    private IEnumerable<XElement> DescribeAutoScalingGroups(AwsRequest request, QueryParameters parameters) => Settled(() => fleet.Use(_ =>
    {
        var names = parameters.GetList("AutoScalingGroupNames");
        var selected = fleet.Groups(request.AccountId, request.Region).Where(group => names.Count == 0 || names.Contains(group.Name));
        return new[] { Element("AutoScalingGroups", selected.Select(Group).ToList()) };
    }));

    private IEnumerable<XElement> DescribeAutoScalingInstances(AwsRequest request, QueryParameters parameters) => fleet.Use(_ =>
    {
        var ids = parameters.GetList("InstanceIds");
        var details = fleet.Groups(request.AccountId, request.Region)
            .SelectMany(group => group.Instances.Select(instance => (Group: group, Instance: instance)))
            .Where(entry => ids.Count == 0 || ids.Contains(entry.Instance.Id))
            .Select(entry => Element("member", InstanceMembers(entry.Group, entry.Instance).Prepend(Element("AutoScalingGroupName", entry.Group.Name))))
            .ToList();
        return new[] { Element("AutoScalingInstances", details) };
    });

    private IEnumerable<XElement> DescribeScalingActivities(AwsRequest request, QueryParameters parameters) => Settled(() => fleet.Use(_ =>
    {
        var name = parameters.Get("AutoScalingGroupName");
        var activities = fleet.Groups(request.AccountId, request.Region)
            .Where(group => name is null || group.Name == name)
            .SelectMany(group => group.Activities.Select(activity => (Group: group, Activity: activity)))
            .OrderByDescending(entry => entry.Activity.StartTime)
            .Select(entry => Element("member", new object?[]
            {
                Element("ActivityId", entry.Activity.ActivityId),
                Element("AutoScalingGroupName", entry.Group.Name),
                Element("AutoScalingGroupARN", entry.Group.Arn),
                Element("Description", entry.Activity.Description),
                Element("Cause", entry.Activity.Cause),
                Element("StartTime", Timestamp(entry.Activity.StartTime)),
                Element("EndTime", Timestamp(entry.Activity.EndTime)),
                Element("StatusCode", entry.Activity.StatusCode),
                entry.Activity.StatusMessage is { } message ? Element("StatusMessage", message) : null,
                Element("Progress", "100"),
                Element("Details", "{}"),
            }))
            .ToList();
        return new[] { Element("Activities", activities) };
    }));

    /// <summary>SetDesiredCapacity: refused outside the group's bounds, in Auto Scaling's words.</summary>
    private IEnumerable<XElement> SetDesiredCapacity(AwsRequest request, QueryParameters parameters)
    {
        var group = Find(request, parameters);
        var desired = Integer(parameters, "DesiredCapacity") ?? throw Missing("desiredCapacity");
        fleet.ChangeGroup(group, changed =>
        {
            if (desired > changed.MaxSize)
            {
                throw new AwsServiceException(400, "ValidationError", $"New SetDesiredCapacity value {desired} is above max value {changed.MaxSize} for the AutoScalingGroup.");
            }

            if (desired < changed.MinSize)
            {
                throw new AwsServiceException(400, "ValidationError", $"New SetDesiredCapacity value {desired} is below min value {changed.MinSize} for the AutoScalingGroup.");
            }

            changed.DesiredCapacity = desired;
        });
        return [];
    }

    /// <summary>UpdateAutoScalingGroup: sizes, health check and grace period (the members the fleet models).</summary>
    private IEnumerable<XElement> UpdateAutoScalingGroup(AwsRequest request, QueryParameters parameters)
    {
        var group = Find(request, parameters);
        var (min, max, desired) = (Integer(parameters, "MinSize"), Integer(parameters, "MaxSize"), Integer(parameters, "DesiredCapacity"));
        var healthCheckType = parameters.Get("HealthCheckType");
        if (healthCheckType is not null and not ("EC2" or "ELB" or "VPC_LATTICE" or "EBS"))
        {
            throw new AwsServiceException(400, "ValidationError", $"Health check type {healthCheckType} is not valid. Valid values are EC2, ELB, VPC_LATTICE and EBS.");
        }

        fleet.ChangeGroup(group, changed =>
        {
            var newMin = min ?? changed.MinSize;
            var newMax = max ?? changed.MaxSize;
            if (newMin > newMax)
            {
                throw new AwsServiceException(400, "ValidationError", $"Max bound, {newMax}, must be greater than or equal to min bound, {newMin}");
            }

            // Without DesiredCapacity, a desired capacity outside the new bounds moves to the nearest bound.
            var newDesired = desired ?? Math.Clamp(changed.DesiredCapacity, newMin, newMax);
            if (newDesired < newMin || newDesired > newMax)
            {
                throw new AwsServiceException(400, "ValidationError", $"Desired capacity:{newDesired} must be between the specified min size:{newMin} and max size:{newMax}");
            }

            (changed.MinSize, changed.MaxSize, changed.DesiredCapacity) = (newMin, newMax, newDesired);
            changed.HealthCheckType = healthCheckType ?? changed.HealthCheckType;
            changed.HealthCheckGracePeriod = Integer(parameters, "HealthCheckGracePeriod") ?? changed.HealthCheckGracePeriod;
            changed.DefaultCooldown = Integer(parameters, "DefaultCooldown") ?? changed.DefaultCooldown;
            changed.DefaultInstanceWarmup = Integer(parameters, "DefaultInstanceWarmup") ?? changed.DefaultInstanceWarmup;
            changed.NewInstancesProtectedFromScaleIn = Flag(parameters, "NewInstancesProtectedFromScaleIn") ?? changed.NewInstancesProtectedFromScaleIn;
        });
        return [];
    }

    private AutoScalingGroup Find(AwsRequest request, QueryParameters parameters)
    {
        var name = parameters.Get("AutoScalingGroupName") ?? throw Missing("autoScalingGroupName");
        var groupName = name.StartsWith("arn:", StringComparison.Ordinal) ? name[(name.LastIndexOf("autoScalingGroupName/", StringComparison.Ordinal) + "autoScalingGroupName/".Length)..] : name;
        return fleet.Use(_ => fleet.Group(request.AccountId, request.Region, groupName))
            ?? throw new AwsServiceException(400, "ValidationError", $"AutoScalingGroup name not found - AutoScalingGroup {name} not found");
    }

    private T Settled<T>(Func<T> read)
    {
        engine.Settle();
        return read();
    }

    private static bool? Flag(QueryParameters parameters, string name) => parameters.Get(name) switch
    {
        null => null,
        "true" => true,
        "false" => false,
        var text => throw new AwsServiceException(400, "ValidationError", $"Value '{text}' for {name} is not a boolean (true or false)."),
    };

    private static AwsServiceException Missing(string member) =>
        AwsServiceException.Validation("ValidationError", [$"Value null at '{member}' failed to satisfy constraint: Member must not be null"]);

    private static int? Integer(QueryParameters parameters, string name) =>
        parameters.Get(name) is { } text ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
            : throw new AwsServiceException(400, "ValidationError", $"Value '{text}' for {name} is not an integer.") : null;

    private XElement Group(AutoScalingGroup group) => Element("member", new object?[]
    {
        Element("AutoScalingGroupName", group.Name),
        Element("AutoScalingGroupARN", group.Arn),
        group.Launch.ConfigurationName is { } configuration ? Element("LaunchConfigurationName", configuration) : null,
        group.Launch.TemplateId is not null ? Element("LaunchTemplate", LaunchTemplate(group.Launch)) : null,
        Element("MinSize", group.MinSize),
        Element("MaxSize", group.MaxSize),
        Element("DesiredCapacity", group.DesiredCapacity),
        Element("DefaultCooldown", group.DefaultCooldown),
        Element("AvailabilityZones", group.Zones.Select(zone => zone.AvailabilityZone).Distinct().Select(zone => Element("member", zone))),
        Element("LoadBalancerNames", null),
        Element("TargetGroupARNs", group.TargetGroupArns.Select(arn => Element("member", arn))),
        Element("HealthCheckType", group.HealthCheckType),
        Element("HealthCheckGracePeriod", group.HealthCheckGracePeriod),
        Element("Instances", group.Instances.Select(instance => Element("member", InstanceMembers(group, instance)))),
        Element("CreatedTime", Timestamp(group.CreatedTime)),
        Element("SuspendedProcesses", SuspendedProcesses(group)),
        Element("VPCZoneIdentifier", string.Join(",", group.Zones.Select(zone => zone.SubnetId).OfType<string>())),
        Element("EnabledMetrics", null),
        Element("Tags", group.Tags.Select(tag => Element("member", new[]
        {
            Element("ResourceId", group.Name), Element("ResourceType", "auto-scaling-group"), Element("Key", tag.Key), Element("Value", tag.Value), Element("PropagateAtLaunch", "true"),
        }))),
        Element("TerminationPolicies", Element("member", "Default")),
        Element("NewInstancesProtectedFromScaleIn", group.NewInstancesProtectedFromScaleIn ? "true" : "false"),
        group.DefaultInstanceWarmup is { } warmup ? Element("DefaultInstanceWarmup", warmup) : null,
        Element("ServiceLinkedRoleARN", $"arn:aws:iam::{group.AccountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"),
    });

    private IEnumerable<XElement> InstanceMembers(AutoScalingGroup group, FleetInstance instance) =>
    [
        Element("InstanceId", instance.Id),
        Element("InstanceType", instance.InstanceType),
        Element("AvailabilityZone", instance.Placement.AvailabilityZone),
        Element("LifecycleState", instance.LifecycleState),
        Element("HealthStatus", instance.HealthStatus),
        .. group.Launch.TemplateId is not null ? [Element("LaunchTemplate", LaunchTemplate(group.Launch))] : Array.Empty<XElement>(),
        Element("ProtectedFromScaleIn", instance.ProtectedFromScaleIn ? "true" : "false"),
    ];

    private IEnumerable<XElement> LaunchTemplate(LaunchSpecification launch) =>
    [
        Element("LaunchTemplateId", launch.TemplateId),
        Element("LaunchTemplateName", launch.TemplateName),
        Element("Version", launch.TemplateVersion),
    ];
}
