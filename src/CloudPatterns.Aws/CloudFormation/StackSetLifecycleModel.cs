using System.Collections.Generic;
using Amazon.Runtime;
using CloudPatterns.Aws.Protocol;

// Stack set removal, drift and listing shapes of the CloudFormation API 2010-05-15 (botocore model cloudformation/2010-05-15), members named as on the wire.
namespace CloudPatterns.Aws.CloudFormation;

public sealed class DeleteStackInstancesRequest : AmazonWebServiceRequest
{
    public string? StackSetName { get; set; }

    public DeploymentTargets? DeploymentTargets { get; set; }

    public List<string>? Regions { get; set; }

    public StackSetOperationPreferences? OperationPreferences { get; set; }

    /// <summary>Required by the API: whether the instances' stacks stay (unmanaged) after the instances are removed.</summary>
    public bool? RetainStacks { get; set; }

    public string? CallAs { get; set; }
}

public sealed class DeleteStackInstancesResponse : AmazonWebServiceResponse
{
    public string? OperationId { get; set; }
}

public sealed class DeleteStackSetRequest : AmazonWebServiceRequest
{
    public string? StackSetName { get; set; }

    public string? CallAs { get; set; }
}

public sealed class DeleteStackSetResponse : AmazonWebServiceResponse
{
}

public sealed class DetectStackSetDriftRequest : AmazonWebServiceRequest
{
    public string? StackSetName { get; set; }

    public StackSetOperationPreferences? OperationPreferences { get; set; }

    public string? CallAs { get; set; }
}

public sealed class DetectStackSetDriftResponse : AmazonWebServiceResponse
{
    public string? OperationId { get; set; }
}

public sealed class ListStackSetsRequest : AmazonWebServiceRequest, IPaginatedRequest
{
    public string? NextToken { get; set; }

    /// <summary>ACTIVE or DELETED.</summary>
    public string? Status { get; set; }

    public string? CallAs { get; set; }
}

public sealed class ListStackSetsResponse : AmazonWebServiceResponse, IPaginatedResponse
{
    public List<StackSetSummary> Summaries { get; set; } = new();

    public string? NextToken { get; set; }
}

public sealed class StackSetSummary
{
    public string? StackSetName { get; set; }

    public string? StackSetId { get; set; }

    public string? Status { get; set; }

    public string? PermissionModel { get; set; }
}
