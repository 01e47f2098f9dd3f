using System;
using System.Collections.Generic;
using Amazon.Runtime;
using CloudPatterns.Aws.Protocol;

// Shapes of the CloudFormation API 2010-05-15 (botocore model cloudformation/2010-05-15), members named as on the wire.
namespace CloudPatterns.Aws.CloudFormation;

public sealed class DescribeStacksRequest : AmazonWebServiceRequest, IPaginatedRequest
{
    /// <summary>Name or stack id; without it every stack that is not deleted is described.</summary>
    public string? StackName { get; set; }

    public string? NextToken { get; set; }
}

public sealed class DescribeStacksResponse : AmazonWebServiceResponse, IPaginatedResponse
{
    public List<Stack> Stacks { get; set; } = new();

    public string? NextToken { get; set; }
}

public sealed class ListStacksRequest : AmazonWebServiceRequest, IPaginatedRequest
{
    public string? NextToken { get; set; }

    /// <summary>Stack statuses to include, e.g. CREATE_COMPLETE; without it all, including deleted stacks.</summary>
    public List<string>? StackStatusFilter { get; set; }
}

public sealed class ListStacksResponse : AmazonWebServiceResponse, IPaginatedResponse
{
    public List<StackSummary> StackSummaries { get; set; } = new();

    public string? NextToken { get; set; }
}

public sealed class Stack
{
    public string? StackId { get; set; }

    public string? StackName { get; set; }

    public string? ChangeSetId { get; set; }

    public string? Description { get; set; }

    public List<Parameter> Parameters { get; set; } = new();

    public DateTime? CreationTime { get; set; }

    public DateTime? DeletionTime { get; set; }

    public DateTime? LastUpdatedTime { get; set; }

    public string? StackStatus { get; set; }

    public string? StackStatusReason { get; set; }

    public bool? DisableRollback { get; set; }

    public List<string> NotificationARNs { get; set; } = new();

    public int? TimeoutInMinutes { get; set; }

    public List<string> Capabilities { get; set; } = new();

    public List<Output> Outputs { get; set; } = new();

    public string? RoleARN { get; set; }

    public List<Tag> Tags { get; set; } = new();

    public bool? EnableTerminationProtection { get; set; }

    public string? ParentId { get; set; }

    public string? RootId { get; set; }

    public StackDriftInformation? DriftInformation { get; set; }

    public string? DetailedStatus { get; set; }
}

public sealed class StackSummary
{
    public string? StackId { get; set; }

    public string? StackName { get; set; }

    public string? TemplateDescription { get; set; }

    public DateTime? CreationTime { get; set; }

    public DateTime? LastUpdatedTime { get; set; }

    public DateTime? DeletionTime { get; set; }

    public string? StackStatus { get; set; }

    public string? StackStatusReason { get; set; }

    public string? ParentId { get; set; }

    public string? RootId { get; set; }

    public StackDriftInformation? DriftInformation { get; set; }
}

public sealed class Parameter
{
    public string? ParameterKey { get; set; }

    public string? ParameterValue { get; set; }

    public bool? UsePreviousValue { get; set; }

    public string? ResolvedValue { get; set; }
}

public sealed class Output
{
    public string? OutputKey { get; set; }

    public string? OutputValue { get; set; }

    public string? Description { get; set; }

    public string? ExportName { get; set; }
}

public sealed class Tag
{
    public string? Key { get; set; }

    public string? Value { get; set; }
}

/// <summary>Also the shape of <c>StackDriftInformationSummary</c> in stack summaries: the members are the same.</summary>
public sealed class StackDriftInformation
{
    public string? StackDriftStatus { get; set; }

    public DateTime? LastCheckTimestamp { get; set; }
}
