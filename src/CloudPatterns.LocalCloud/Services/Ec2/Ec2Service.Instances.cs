using System.Globalization;
using System.Xml.Linq;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Fleet;

namespace CloudPatterns.LocalCloud.Services.Ec2;

/// <summary>EC2 instances of the fleet: DescribeInstances and DescribeInstanceStatus (docs/localcloud-fleet.md).</summary>
internal sealed partial class Ec2Service
{
    private static readonly Dictionary<string, int> StateCodes = new(StringComparer.Ordinal)
    {
        ["pending"] = 0, ["running"] = 16, ["shutting-down"] = 32, ["terminated"] = 48, ["stopping"] = 64, ["stopped"] = 80,
    };

    /// <summary>One reservation per instance (Auto Scaling launches them one request each), filtered by id, zone, state, subnet or tag.</summary>
    private IEnumerable<XElement> DescribeInstances(AwsRequest request, QueryParameters parameters) => fleet.Use(_ =>
    {
        var selected = SelectInstances(request, parameters, InstanceFilter);
        return new[]
        {
            Element("reservationSet", selected.Select(instance => Element("item", new object[]
            {
                Element("reservationId", "r-" + instance.Id[2..]),
                Element("ownerId", instance.AccountId),
                Element("groupSet", null),
                Element("instancesSet", Element("item", Instance(instance))),
            })).ToList()),
        };
    });

    /// <summary>
    /// Status checks: running instances only unless IncludeAllInstances. "initializing" until the instance has
    /// booted; both checks "impaired" (reachability failed) while its Availability Zone is down.
    /// </summary>
    private IEnumerable<XElement> DescribeInstanceStatus(AwsRequest request, QueryParameters parameters) => fleet.Use(now =>
    {
        var all = string.Equals(parameters.Get("IncludeAllInstances"), "true", StringComparison.OrdinalIgnoreCase);
        var selected = SelectInstances(request, parameters, StatusFilter).Where(instance => all || instance.State == "running");
        return new[]
        {
            Element("instanceStatusSet", selected.Select(instance =>
            {
                var zoneDown = !fleet.Reachable(instance);
                var status = instance.State != "running" ? "not-applicable" : zoneDown ? "impaired" : now < instance.ServingAt ? "initializing" : "ok";
                var detail = status switch { "impaired" => "failed", "initializing" => "initializing", _ => "passed" };
                XElement Check(string name) => Element(name, new object?[]
                {
                    Element("status", status),
                    status == "not-applicable" ? null : Element("details", Element("item", new[] { Element("name", "reachability"), Element("status", detail) })),
                });
                return Element("item", new object?[]
                {
                    Element("instanceId", instance.Id),
                    Element("availabilityZone", instance.Placement.AvailabilityZone),
                    State(instance),
                    Check("systemStatus"),
                    Check("instanceStatus"),
                });
            }).ToList()),
        };
    });

    private List<FleetInstance> SelectInstances(AwsRequest request, QueryParameters parameters, Func<FleetInstance, string, string?> filterValue)
    {
        var ids = List(parameters, "InstanceId");
        var instances = fleet.Instances(request.AccountId, request.Region).ToList();
        if (ids.FirstOrDefault(id => instances.All(instance => instance.Id != id)) is { } missing)
        {
            throw new AwsServiceException(400, "InvalidInstanceID.NotFound", $"The instance ID '{missing}' does not exist");
        }

        var filters = Filters(parameters);
        return instances.Where(instance => (ids.Count == 0 || ids.Contains(instance.Id))
            && filters.All(filter => filter.Values.Contains(filterValue(instance, filter.Name)))).ToList();
    }

    private static string? InstanceFilter(FleetInstance instance, string filter) => filter switch
    {
        "instance-id" => instance.Id,
        "availability-zone" => instance.Placement.AvailabilityZone,
        "instance-state-name" => instance.State,
        "subnet-id" => instance.Placement.SubnetId,
        "image-id" => instance.ImageId,
        "instance-type" => instance.InstanceType,
        _ when filter.StartsWith("tag:", StringComparison.Ordinal) => instance.Tags.GetValueOrDefault(filter[4..]),
        _ => throw new AwsServiceException(400, "InvalidParameterValue", $"The filter '{filter}' is invalid"),
    };

    private static string? StatusFilter(FleetInstance instance, string filter) => filter switch
    {
        "availability-zone" => instance.Placement.AvailabilityZone,
        "instance-state-name" => instance.State,
        _ => throw new AwsServiceException(400, "InvalidParameterValue", $"The filter '{filter}' is invalid"),
    };

    private static XElement State(FleetInstance instance, string element = "instanceState") =>
        Element(element, new[] { Element("code", StateCodes[instance.State].ToString(CultureInfo.InvariantCulture)), Element("name", instance.State) });

    private static IEnumerable<XElement?> Instance(FleetInstance instance) =>
    [
        Element("instanceId", instance.Id),
        Element("imageId", instance.ImageId),
        State(instance),
        Element("privateDnsName", instance.Active ? $"ip-{instance.PrivateIpAddress.Replace('.', '-')}.{instance.Region}.compute.internal" : ""),
        Element("dnsName", ""),
        Element("amiLaunchIndex", "0"),
        Element("instanceType", instance.InstanceType),
        Element("launchTime", Time(instance.LaunchTime)),
        Element("placement", new[] { Element("availabilityZone", instance.Placement.AvailabilityZone), Element("groupName", ""), Element("tenancy", "default") }),
        Element("monitoring", Element("state", "disabled")),
        instance.Placement.SubnetId is { } subnet ? Element("subnetId", subnet) : null,
        instance.Active ? Element("privateIpAddress", instance.PrivateIpAddress) : null,
        Element("architecture", "x86_64"),
        Element("rootDeviceType", "ebs"),
        Element("rootDeviceName", "/dev/xvda"),
        Element("virtualizationType", "hvm"),
        Element("hypervisor", "xen"),
        Element("groupSet", instance.SecurityGroupIds.Select(group => Element("item", Element("groupId", group))).ToList()),
        Element("tagSet", instance.Tags.Select(tag => Element("item", new[] { Element("key", tag.Key), Element("value", tag.Value) }))),
        Element("ebsOptimized", "false"),
        Element("enaSupport", "true"),
    ];
}
