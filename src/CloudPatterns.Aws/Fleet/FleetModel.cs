using System;
using System.Collections.Generic;
using Amazon.Runtime;

// Shapes of Auto Scaling 2011-01-01 and ELBv2 2015-12-01 (botocore models), members named as on the wire; only what
// the Multi-AZ drill reads.
namespace CloudPatterns.Aws.Fleet;

public sealed class DescribeAutoScalingGroupsRequest : AmazonWebServiceRequest
{
    public List<string> AutoScalingGroupNames { get; set; } = new();
}

public sealed class DescribeAutoScalingGroupsResponse : AmazonWebServiceResponse
{
    public List<AutoScalingGroup> AutoScalingGroups { get; set; } = new();
}

public sealed class AutoScalingGroup
{
    public string? AutoScalingGroupName { get; set; }

    public int? MinSize { get; set; }

    public int? MaxSize { get; set; }

    public int? DesiredCapacity { get; set; }

    public List<string> AvailabilityZones { get; set; } = new();

    public List<string> TargetGroupARNs { get; set; } = new();
}

public sealed class DescribeTargetHealthRequest : AmazonWebServiceRequest
{
    public string? TargetGroupArn { get; set; }
}

public sealed class DescribeTargetHealthResponse : AmazonWebServiceResponse
{
    public List<TargetHealthDescription> TargetHealthDescriptions { get; set; } = new();
}

public sealed class TargetHealthDescription
{
    public TargetDescription? Target { get; set; }

    public TargetHealth? TargetHealth { get; set; }
}

public sealed class TargetDescription
{
    public string? Id { get; set; }

    public string? AvailabilityZone { get; set; }
}

public sealed class TargetHealth
{
    /// <summary>initial, healthy, unhealthy, unused, draining, unavailable.</summary>
    public string? State { get; set; }
}

public sealed class DescribeListenersRequest : AmazonWebServiceRequest
{
    public string? LoadBalancerArn { get; set; }
}

public sealed class DescribeListenersResponse : AmazonWebServiceResponse
{
    public List<Listener> Listeners { get; set; } = new();
}

public sealed class Listener
{
    public int? Port { get; set; }

    public List<ListenerAction> DefaultActions { get; set; } = new();
}

public sealed class ListenerAction
{
    public string? Type { get; set; }

    public string? TargetGroupArn { get; set; }
}
