using System;
using System.Collections.Generic;
using Amazon.Runtime;

// Shapes of CloudWatch 2010-08-01 and SNS 2010-03-31 (botocore models monitoring/2010-08-01, sns/2010-03-31),
// members named as on the wire.
namespace CloudPatterns.Aws.Monitoring;

public sealed class PutMetricDataRequest : AmazonWebServiceRequest
{
    public string? Namespace { get; set; }

    public List<MetricDatum> MetricData { get; set; } = new();
}

public sealed class PutMetricDataResponse : AmazonWebServiceResponse
{
}

public sealed class GetMetricStatisticsRequest : AmazonWebServiceRequest
{
    public string? Namespace { get; set; }

    public string? MetricName { get; set; }

    public List<Dimension> Dimensions { get; set; } = new();

    public DateTime? StartTime { get; set; }

    public DateTime? EndTime { get; set; }

    public int? Period { get; set; }

    /// <summary>SampleCount, Average, Sum, Minimum, Maximum.</summary>
    public List<string> Statistics { get; set; } = new();
}

public sealed class GetMetricStatisticsResponse : AmazonWebServiceResponse
{
    public List<MetricDatapoint> Datapoints { get; set; } = new();
}

public sealed class MetricDatapoint
{
    public DateTime? Timestamp { get; set; }

    public double? Sum { get; set; }
}

public sealed class MetricDatum
{
    public string? MetricName { get; set; }

    public List<Dimension>? Dimensions { get; set; }

    public DateTime? Timestamp { get; set; }

    public double? Value { get; set; }

    /// <summary>Seconds, Count, Percent, None…</summary>
    public string? Unit { get; set; }
}

public sealed class Dimension
{
    public string? Name { get; set; }

    public string? Value { get; set; }
}

public sealed class PublishRequest : AmazonWebServiceRequest
{
    public string? TopicArn { get; set; }

    public string? Subject { get; set; }

    public string? Message { get; set; }
}

public sealed class PublishResponse : AmazonWebServiceResponse
{
    public string? MessageId { get; set; }
}

public sealed class GetTopicAttributesRequest : AmazonWebServiceRequest
{
    public string? TopicArn { get; set; }
}

public sealed class GetTopicAttributesResponse : AmazonWebServiceResponse
{
    public Dictionary<string, string> Attributes { get; set; } = new();
}
