using System;
using System.Collections.Generic;
using Amazon.Runtime;
using CloudPatterns.Aws.Protocol;

// Shapes of RDS 2014-10-31, DynamoDB 2012-08-10 and EC2 2016-11-15 (botocore models), members named as on the wire
// (EC2: as in the SDK, with the model's locationName); only what a restore validation reads.
namespace CloudPatterns.Aws.Restore;

public sealed class DescribeDBInstancesRequest : AmazonWebServiceRequest
{
    public string? DBInstanceIdentifier { get; set; }
}

public sealed class DescribeDBInstancesResponse : AmazonWebServiceResponse
{
    public List<DBInstance> DBInstances { get; set; } = new();
}

public sealed class DeleteDBInstanceRequest : AmazonWebServiceRequest
{
    public string? DBInstanceIdentifier { get; set; }

    public bool? SkipFinalSnapshot { get; set; }

    public bool? DeleteAutomatedBackups { get; set; }
}

public sealed class DeleteDBInstanceResponse : AmazonWebServiceResponse
{
    public DBInstance? DBInstance { get; set; }
}

public sealed class DBInstance
{
    public string? DBInstanceIdentifier { get; set; }

    public string? DBInstanceArn { get; set; }

    public string? Engine { get; set; }

    /// <summary>available, creating, deleting…</summary>
    public string? DBInstanceStatus { get; set; }

    public DateTime? InstanceCreateTime { get; set; }

    /// <summary>While true, RDS refuses to delete the instance (and so CloudFormation to delete its stack).</summary>
    public bool? DeletionProtection { get; set; }

    public bool? MultiAZ { get; set; }

    /// <summary>The primary's zone; it changes in a Multi-AZ failover.</summary>
    public string? AvailabilityZone { get; set; }

    public string? SecondaryAvailabilityZone { get; set; }
}

public sealed class DescribeEventsRequest : AmazonWebServiceRequest
{
    public string? SourceIdentifier { get; set; }

    /// <summary>db-instance, db-cluster…</summary>
    public string? SourceType { get; set; }

    public DateTime? StartTime { get; set; }

    public DateTime? EndTime { get; set; }
}

public sealed class DescribeEventsResponse : AmazonWebServiceResponse
{
    public List<Event> Events { get; set; } = new();
}

public sealed class Event
{
    public string? SourceIdentifier { get; set; }

    public string? Message { get; set; }

    public DateTime? Date { get; set; }
}

public sealed class DescribeTableRequest : AmazonWebServiceRequest
{
    public string? TableName { get; set; }
}

public sealed class DescribeTableResponse : AmazonWebServiceResponse
{
    public TableDescription? Table { get; set; }
}

public sealed class DeleteTableRequest : AmazonWebServiceRequest
{
    public string? TableName { get; set; }
}

public sealed class DeleteTableResponse : AmazonWebServiceResponse
{
    public TableDescription? TableDescription { get; set; }
}

public sealed class TableDescription
{
    public string? TableName { get; set; }

    public string? TableArn { get; set; }

    /// <summary>CREATING, UPDATING, DELETING, ACTIVE…</summary>
    public string? TableStatus { get; set; }

    public DateTime? CreationDateTime { get; set; }
}

public sealed class DescribeVolumesRequest : AmazonWebServiceRequest
{
    [LocationName("VolumeId")]
    public List<string>? VolumeIds { get; set; }

    [LocationName("Filter")]
    public List<Filter>? Filters { get; set; }
}

/// <summary>A DescribeVolumes filter (volume-id, status, tag:Key…); a volume matches when it has any of the values.</summary>
public sealed class Filter
{
    public string? Name { get; set; }

    [LocationName("Value")]
    public List<string>? Values { get; set; }
}

public sealed class DescribeVolumesResponse : AmazonWebServiceResponse
{
    [LocationName("volumeSet")]
    public List<Volume> Volumes { get; set; } = new();

    [LocationName("nextToken")]
    public string? NextToken { get; set; }
}

public sealed class Volume
{
    [LocationName("volumeId")]
    public string? VolumeId { get; set; }

    /// <summary>creating, available, in-use, deleting, deleted, error.</summary>
    [LocationName("status")]
    public string? State { get; set; }

    [LocationName("size")]
    public int? Size { get; set; }

    [LocationName("availabilityZone")]
    public string? AvailabilityZone { get; set; }

    [LocationName("volumeType")]
    public string? VolumeType { get; set; }

    [LocationName("encrypted")]
    public bool? Encrypted { get; set; }

    [LocationName("createTime")]
    public DateTime? CreateTime { get; set; }

    [LocationName("tagSet")]
    public List<Tag> Tags { get; set; } = new();
}

public sealed class Tag
{
    [LocationName("key")]
    public string? Key { get; set; }

    [LocationName("value")]
    public string? Value { get; set; }
}

public sealed class DeleteVolumeRequest : AmazonWebServiceRequest
{
    public string? VolumeId { get; set; }
}

/// <summary>DeleteVolume has no output members.</summary>
public sealed class DeleteVolumeResponse : AmazonWebServiceResponse
{
}

/// <summary>The regions enabled for the caller's account (AWS's own answer to "can this account work there").</summary>
public sealed class DescribeRegionsRequest : AmazonWebServiceRequest
{
}

public sealed class DescribeRegionsResponse : AmazonWebServiceResponse
{
    [LocationName("regionInfo")]
    public List<RegionInfo> Regions { get; set; } = new();
}

public sealed class RegionInfo
{
    [LocationName("regionName")]
    public string? RegionName { get; set; }

    /// <summary>opt-in-not-required, opted-in or not-opted-in.</summary>
    [LocationName("optInStatus")]
    public string? OptInStatus { get; set; }
}
