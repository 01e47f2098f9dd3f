using System;
using System.Collections.Generic;
using Amazon.Runtime;
using CloudPatterns.Aws.Protocol;

// StackSet shapes of the CloudFormation API 2010-05-15 (botocore model cloudformation/2010-05-15), members named as on the wire.
namespace CloudPatterns.Aws.CloudFormation;

public sealed class DescribeOrganizationsAccessRequest : AmazonWebServiceRequest
{
    public string? CallAs { get; set; }
}

public sealed class DescribeOrganizationsAccessResponse : AmazonWebServiceResponse
{
    /// <summary>ENABLED, DISABLED or DISABLED_PERMANENTLY.</summary>
    public string? Status { get; set; }
}

public sealed class AutoDeployment
{
    public bool? Enabled { get; set; }

    public bool? RetainStacksOnAccountRemoval { get; set; }
}

public sealed class DeploymentTargets
{
    public List<string>? Accounts { get; set; }

    public List<string>? OrganizationalUnitIds { get; set; }

    /// <summary>NONE, INTERSECTION, DIFFERENCE or UNION.</summary>
    public string? AccountFilterType { get; set; }
}

public sealed class StackSetOperationPreferences
{
    public string? RegionConcurrencyType { get; set; }

    public List<string>? RegionOrder { get; set; }

    public int? FailureToleranceCount { get; set; }

    public int? FailureTolerancePercentage { get; set; }

    public int? MaxConcurrentCount { get; set; }

    public int? MaxConcurrentPercentage { get; set; }

    public string? ConcurrencyMode { get; set; }
}

public sealed class CreateStackSetRequest : AmazonWebServiceRequest
{
    public string? StackSetName { get; set; }

    public string? Description { get; set; }

    public string? TemplateBody { get; set; }

    public List<Parameter>? Parameters { get; set; }

    public List<string>? Capabilities { get; set; }

    public List<Tag>? Tags { get; set; }

    /// <summary>SERVICE_MANAGED or SELF_MANAGED.</summary>
    public string? PermissionModel { get; set; }

    public AutoDeployment? AutoDeployment { get; set; }

    public string? CallAs { get; set; }
}

public sealed class CreateStackSetResponse : AmazonWebServiceResponse
{
    public string? StackSetId { get; set; }
}

public sealed class UpdateStackSetRequest : AmazonWebServiceRequest
{
    public string? StackSetName { get; set; }

    public string? TemplateBody { get; set; }

    public List<Parameter>? Parameters { get; set; }

    public List<string>? Capabilities { get; set; }

    public List<Tag>? Tags { get; set; }

    public StackSetOperationPreferences? OperationPreferences { get; set; }

    public AutoDeployment? AutoDeployment { get; set; }

    public string? CallAs { get; set; }
}

public sealed class UpdateStackSetResponse : AmazonWebServiceResponse
{
    public string? OperationId { get; set; }
}

public sealed class DescribeStackSetRequest : AmazonWebServiceRequest
{
    public string? StackSetName { get; set; }

    public string? CallAs { get; set; }
}

public sealed class DescribeStackSetResponse : AmazonWebServiceResponse
{
    public StackSet? StackSet { get; set; }
}

public sealed class StackSet
{
    public string? StackSetName { get; set; }

    public string? StackSetId { get; set; }

    public string? Status { get; set; }

    public string? TemplateBody { get; set; }

    public List<Parameter> Parameters { get; set; } = new();

    public string? StackSetARN { get; set; }

    public string? PermissionModel { get; set; }

    public AutoDeployment? AutoDeployment { get; set; }

    public List<string> OrganizationalUnitIds { get; set; } = new();

    public List<string> Regions { get; set; } = new();

    public List<string> Capabilities { get; set; } = new();

    public List<Tag> Tags { get; set; } = new();
}

public sealed class CreateStackInstancesRequest : AmazonWebServiceRequest
{
    public string? StackSetName { get; set; }

    public DeploymentTargets? DeploymentTargets { get; set; }

    public List<string>? Regions { get; set; }

    public StackSetOperationPreferences? OperationPreferences { get; set; }

    public string? CallAs { get; set; }
}

public sealed class CreateStackInstancesResponse : AmazonWebServiceResponse
{
    public string? OperationId { get; set; }
}

public sealed class DescribeStackSetOperationRequest : AmazonWebServiceRequest
{
    public string? StackSetName { get; set; }

    public string? OperationId { get; set; }

    public string? CallAs { get; set; }
}

public sealed class DescribeStackSetOperationResponse : AmazonWebServiceResponse
{
    public StackSetOperation? StackSetOperation { get; set; }
}

public sealed class StackSetOperation
{
    public string? OperationId { get; set; }

    public string? Action { get; set; }

    /// <summary>QUEUED, RUNNING, SUCCEEDED, FAILED, STOPPING or STOPPED.</summary>
    public string? Status { get; set; }

    public string? StatusReason { get; set; }

    public DateTime? CreationTimestamp { get; set; }

    public DateTime? EndTimestamp { get; set; }

    public StackSetOperationStatusDetails? StatusDetails { get; set; }
}

public sealed class StackSetOperationStatusDetails
{
    public int? FailedStackInstancesCount { get; set; }
}

public sealed class ListStackInstancesRequest : AmazonWebServiceRequest, IPaginatedRequest
{
    public string? StackSetName { get; set; }

    public string? NextToken { get; set; }

    public string? StackInstanceAccount { get; set; }

    public string? StackInstanceRegion { get; set; }

    public string? CallAs { get; set; }
}

public sealed class ListStackInstancesResponse : AmazonWebServiceResponse, IPaginatedResponse
{
    public List<StackInstanceSummary> Summaries { get; set; } = new();

    public string? NextToken { get; set; }
}

public sealed class StackInstanceSummary
{
    public string? StackSetId { get; set; }

    public string? Region { get; set; }

    public string? Account { get; set; }

    public string? StackId { get; set; }

    /// <summary>CURRENT, OUTDATED or INOPERABLE.</summary>
    public string? Status { get; set; }

    public string? StatusReason { get; set; }

    public StackInstanceComprehensiveStatus? StackInstanceStatus { get; set; }

    public string? OrganizationalUnitId { get; set; }

    public string? DriftStatus { get; set; }

    public string? LastOperationId { get; set; }
}

public sealed class StackInstanceComprehensiveStatus
{
    public string? DetailedStatus { get; set; }
}
