using System;
using System.Collections.Generic;
using Amazon.Runtime;
using CloudPatterns.Aws.Protocol;

namespace CloudPatterns.Aws.Routing;

/// <summary>One record set, members in the botocore model's order (route53 2013-04-01 <c>ResourceRecordSet</c>).</summary>
public sealed class ResourceRecordSet
{
    public string? Name { get; set; }

    public string? Type { get; set; }

    public string? SetIdentifier { get; set; }

    /// <summary>PRIMARY or SECONDARY for failover routing.</summary>
    public string? Failover { get; set; }

    public long? TTL { get; set; }

    public List<ResourceRecord>? ResourceRecords { get; set; }

    public AliasTarget? AliasTarget { get; set; }

    public string? HealthCheckId { get; set; }
}

public sealed class ResourceRecord
{
    public string? Value { get; set; }
}

public sealed class AliasTarget
{
    public string? HostedZoneId { get; set; }

    public string? DNSName { get; set; }

    public bool EvaluateTargetHealth { get; set; }
}

public sealed class Change
{
    /// <summary>CREATE, DELETE or UPSERT.</summary>
    public string? Action { get; set; }

    public ResourceRecordSet? ResourceRecordSet { get; set; }
}

public sealed class ChangeBatch
{
    public string? Comment { get; set; }

    public List<Change> Changes { get; set; } = new();
}

public sealed class ChangeInfo
{
    public string? Id { get; set; }

    /// <summary>PENDING, then INSYNC once every Route 53 name server has the change.</summary>
    public string? Status { get; set; }

    public DateTime? SubmittedAt { get; set; }
}

[RestOperation("POST", "/2013-04-01/hostedzone/{Id}/rrset/")]
public sealed class ChangeResourceRecordSetsRequest : AmazonWebServiceRequest
{
    [RestPath("Id")]
    public string? HostedZoneId { get; set; }

    public ChangeBatch? ChangeBatch { get; set; }
}

public sealed class ChangeResourceRecordSetsResponse : AmazonWebServiceResponse
{
    public ChangeInfo? ChangeInfo { get; set; }
}

[RestOperation("GET", "/2013-04-01/hostedzone/{Id}/rrset")]
public sealed class ListResourceRecordSetsRequest : AmazonWebServiceRequest
{
    [RestPath("Id")]
    public string? HostedZoneId { get; set; }

    [RestQuery("name")]
    public string? StartRecordName { get; set; }

    [RestQuery("type")]
    public string? StartRecordType { get; set; }

    [RestQuery("identifier")]
    public string? StartRecordIdentifier { get; set; }
}

public sealed class ListResourceRecordSetsResponse : AmazonWebServiceResponse
{
    public List<ResourceRecordSet> ResourceRecordSets { get; set; } = new();

    public bool IsTruncated { get; set; }

    public string? NextRecordName { get; set; }

    public string? NextRecordType { get; set; }

    public string? NextRecordIdentifier { get; set; }
}

[RestOperation("GET", "/2013-04-01/change/{Id}")]
public sealed class GetChangeRequest : AmazonWebServiceRequest
{
    [RestPath("Id")]
    public string? Id { get; set; }
}

public sealed class GetChangeResponse : AmazonWebServiceResponse
{
    public ChangeInfo? ChangeInfo { get; set; }
}
