using System.Collections.Generic;
using Amazon.Runtime;
using CloudPatterns.Aws.Protocol;

namespace CloudPatterns.Aws.Restore;

/// <summary>DescribeInstances by id: the instances an EC2 restore launches.</summary>
public sealed class DescribeInstancesRequest : AmazonWebServiceRequest
{
    [LocationName("InstanceId")]
    public List<string>? InstanceIds { get; set; }
}

public sealed class DescribeInstancesResponse : AmazonWebServiceResponse
{
    [LocationName("reservationSet")]
    public List<Reservation> Reservations { get; set; } = new();
}

public sealed class Reservation
{
    [LocationName("instancesSet")]
    public List<Instance> Instances { get; set; } = new();
}

public sealed class Instance
{
    [LocationName("instanceId")]
    public string? InstanceId { get; set; }

    [LocationName("instanceState")]
    public InstanceState? State { get; set; }

    [LocationName("instanceType")]
    public string? InstanceType { get; set; }

    [LocationName("subnetId")]
    public string? SubnetId { get; set; }
}

public sealed class InstanceState
{
    /// <summary>pending, running, shutting-down, terminated, stopping, stopped.</summary>
    [LocationName("name")]
    public string? Name { get; set; }
}

/// <summary>DescribeInstanceStatus by id; IncludeAllInstances reports instances that are not running too.</summary>
public sealed class DescribeInstanceStatusRequest : AmazonWebServiceRequest
{
    [LocationName("InstanceId")]
    public List<string>? InstanceIds { get; set; }

    public bool? IncludeAllInstances { get; set; }
}

public sealed class DescribeInstanceStatusResponse : AmazonWebServiceResponse
{
    [LocationName("instanceStatusSet")]
    public List<InstanceStatusEntry> InstanceStatuses { get; set; } = new();
}

public sealed class InstanceStatusEntry
{
    [LocationName("instanceId")]
    public string? InstanceId { get; set; }

    [LocationName("systemStatus")]
    public StatusSummary? SystemStatus { get; set; }

    [LocationName("instanceStatus")]
    public StatusSummary? InstanceStatus { get; set; }
}

public sealed class StatusSummary
{
    /// <summary>ok, impaired, initializing, insufficient-data, not-applicable.</summary>
    [LocationName("status")]
    public string? Status { get; set; }
}

public sealed class TerminateInstancesRequest : AmazonWebServiceRequest
{
    [LocationName("InstanceId")]
    public List<string>? InstanceIds { get; set; }
}

public sealed class TerminateInstancesResponse : AmazonWebServiceResponse
{
}
