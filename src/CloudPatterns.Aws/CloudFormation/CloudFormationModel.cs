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

public sealed class CreateChangeSetRequest : AmazonWebServiceRequest
{
    public string? StackName { get; set; }

    public string? TemplateBody { get; set; }

    public string? TemplateURL { get; set; }

    public bool? UsePreviousTemplate { get; set; }

    public List<Parameter>? Parameters { get; set; }

    /// <summary>CAPABILITY_IAM, CAPABILITY_NAMED_IAM, CAPABILITY_AUTO_EXPAND.</summary>
    public List<string>? Capabilities { get; set; }

    public string? RoleARN { get; set; }

    public List<Tag>? Tags { get; set; }

    public string? ChangeSetName { get; set; }

    public string? ClientToken { get; set; }

    public string? Description { get; set; }

    /// <summary>CREATE for a new stack, UPDATE (the default) for an existing one, IMPORT.</summary>
    public string? ChangeSetType { get; set; }

    /// <summary>REVERT_DRIFT: a drift-aware change set, planned against the resources' actual state so executing it reverts drift.</summary>
    public string? DeploymentMode { get; set; }
}

public sealed class CreateChangeSetResponse : AmazonWebServiceResponse
{
    public string? Id { get; set; }

    public string? StackId { get; set; }
}

public sealed class DescribeChangeSetRequest : AmazonWebServiceRequest, IPaginatedRequest
{
    public string? ChangeSetName { get; set; }

    public string? StackName { get; set; }

    public string? NextToken { get; set; }
}

public sealed class DescribeChangeSetResponse : AmazonWebServiceResponse, IPaginatedResponse
{
    public string? ChangeSetName { get; set; }

    public string? ChangeSetId { get; set; }

    public string? StackId { get; set; }

    public string? StackName { get; set; }

    public string? Description { get; set; }

    public List<Parameter> Parameters { get; set; } = new();

    public DateTime? CreationTime { get; set; }

    /// <summary>UNAVAILABLE, AVAILABLE, EXECUTE_IN_PROGRESS, EXECUTE_COMPLETE, EXECUTE_FAILED, OBSOLETE.</summary>
    public string? ExecutionStatus { get; set; }

    /// <summary>CREATE_PENDING, CREATE_IN_PROGRESS, CREATE_COMPLETE, DELETE_*, FAILED.</summary>
    public string? Status { get; set; }

    public string? StatusReason { get; set; }

    public List<string> Capabilities { get; set; } = new();

    public List<Tag> Tags { get; set; } = new();

    public List<Change> Changes { get; set; } = new();

    public string? NextToken { get; set; }
}

public sealed class Change
{
    public string? Type { get; set; }

    public ResourceChange? ResourceChange { get; set; }
}

public sealed class ResourceChange
{
    /// <summary>Add, Modify, Remove, Import, Dynamic.</summary>
    public string? Action { get; set; }

    public string? LogicalResourceId { get; set; }

    public string? PhysicalResourceId { get; set; }

    public string? ResourceType { get; set; }

    /// <summary>True, False, Conditional (Modify only).</summary>
    public string? Replacement { get; set; }

    public List<string> Scope { get; set; } = new();

    public List<ResourceChangeDetail> Details { get; set; } = new();
}

public sealed class ResourceChangeDetail
{
    public ResourceTargetDefinition? Target { get; set; }

    public string? Evaluation { get; set; }

    public string? ChangeSource { get; set; }

    public string? CausingEntity { get; set; }
}

public sealed class ResourceTargetDefinition
{
    public string? Attribute { get; set; }

    public string? Name { get; set; }

    public string? RequiresRecreation { get; set; }
}

public sealed class ExecuteChangeSetRequest : AmazonWebServiceRequest
{
    public string? ChangeSetName { get; set; }

    public string? StackName { get; set; }

    /// <summary>Given to every stack event of the operation (CloudFormation copies it into StackEvent.ClientRequestToken).</summary>

    public string? ClientRequestToken { get; set; }

    public bool? DisableRollback { get; set; }
}

public sealed class ExecuteChangeSetResponse : AmazonWebServiceResponse
{
}

public sealed class DeleteChangeSetRequest : AmazonWebServiceRequest
{
    public string? ChangeSetName { get; set; }

    public string? StackName { get; set; }
}

public sealed class DeleteChangeSetResponse : AmazonWebServiceResponse
{
}

public sealed class DescribeStackEventsRequest : AmazonWebServiceRequest, IPaginatedRequest
{
    public string? StackName { get; set; }

    public string? NextToken { get; set; }
}

public sealed class DescribeStackEventsResponse : AmazonWebServiceResponse, IPaginatedResponse
{
    /// <summary>Newest first.</summary>
    public List<StackEvent> StackEvents { get; set; } = new();

    public string? NextToken { get; set; }
}

public sealed class StackEvent
{
    public string? StackId { get; set; }

    public string? EventId { get; set; }

    public string? StackName { get; set; }

    public string? LogicalResourceId { get; set; }

    public string? PhysicalResourceId { get; set; }

    public string? ResourceType { get; set; }

    public DateTime? Timestamp { get; set; }

    public string? ResourceStatus { get; set; }

    public string? ResourceStatusReason { get; set; }

    public string? ResourceProperties { get; set; }

    public string? ClientRequestToken { get; set; }
}

public sealed class DescribeStackResourcesRequest : AmazonWebServiceRequest
{
    public string? StackName { get; set; }

    public string? LogicalResourceId { get; set; }

    public string? PhysicalResourceId { get; set; }
}

public sealed class DescribeStackResourcesResponse : AmazonWebServiceResponse
{
    public List<StackResource> StackResources { get; set; } = new();
}

public sealed class StackResource
{
    public string? StackName { get; set; }

    public string? StackId { get; set; }

    public string? LogicalResourceId { get; set; }

    public string? PhysicalResourceId { get; set; }

    public string? ResourceType { get; set; }

    public DateTime? Timestamp { get; set; }

    public string? ResourceStatus { get; set; }

    public string? ResourceStatusReason { get; set; }

    public string? Description { get; set; }
}

public sealed class GetTemplateRequest : AmazonWebServiceRequest
{
    public string? StackName { get; set; }

    public string? ChangeSetName { get; set; }

    /// <summary>Original (as submitted) or Processed (transforms applied).</summary>
    public string? TemplateStage { get; set; }
}

public sealed class GetTemplateResponse : AmazonWebServiceResponse
{
    public string? TemplateBody { get; set; }

    public List<string> StagesAvailable { get; set; } = new();
}

public sealed class DeleteStackRequest : AmazonWebServiceRequest
{
    public string? StackName { get; set; }

    public List<string>? RetainResources { get; set; }

    public string? RoleARN { get; set; }

    public string? ClientRequestToken { get; set; }
}

public sealed class DeleteStackResponse : AmazonWebServiceResponse
{
}

public sealed class UpdateTerminationProtectionRequest : AmazonWebServiceRequest
{
    public bool? EnableTerminationProtection { get; set; }

    public string? StackName { get; set; }
}

public sealed class UpdateTerminationProtectionResponse : AmazonWebServiceResponse
{
    public string? StackId { get; set; }
}

public sealed class ValidateTemplateRequest : AmazonWebServiceRequest
{
    public string? TemplateBody { get; set; }

    public string? TemplateURL { get; set; }
}

public sealed class ValidateTemplateResponse : AmazonWebServiceResponse
{
    public List<TemplateParameter> Parameters { get; set; } = new();

    public string? Description { get; set; }

    public List<string> Capabilities { get; set; } = new();

    public string? CapabilitiesReason { get; set; }

    public List<string> DeclaredTransforms { get; set; } = new();
}

public sealed class TemplateParameter
{
    public string? ParameterKey { get; set; }

    public string? DefaultValue { get; set; }

    public bool? NoEcho { get; set; }

    public string? Description { get; set; }
}

public sealed class DetectStackDriftRequest : AmazonWebServiceRequest
{
    public string? StackName { get; set; }

    public List<string>? LogicalResourceIds { get; set; }
}

public sealed class DetectStackDriftResponse : AmazonWebServiceResponse
{
    public string? StackDriftDetectionId { get; set; }
}

public sealed class DescribeStackDriftDetectionStatusRequest : AmazonWebServiceRequest
{
    public string? StackDriftDetectionId { get; set; }
}

public sealed class DescribeStackDriftDetectionStatusResponse : AmazonWebServiceResponse
{
    public string? StackId { get; set; }

    public string? StackDriftDetectionId { get; set; }

    /// <summary>DRIFTED, IN_SYNC, UNKNOWN, NOT_CHECKED.</summary>
    public string? StackDriftStatus { get; set; }

    /// <summary>DETECTION_IN_PROGRESS, DETECTION_FAILED, DETECTION_COMPLETE.</summary>
    public string? DetectionStatus { get; set; }

    public string? DetectionStatusReason { get; set; }

    public int? DriftedStackResourceCount { get; set; }

    public DateTime? Timestamp { get; set; }
}

public sealed class DescribeStackResourceDriftsRequest : AmazonWebServiceRequest, IPaginatedRequest
{
    public string? StackName { get; set; }

    /// <summary>IN_SYNC, MODIFIED, DELETED, NOT_CHECKED, UNKNOWN, UNSUPPORTED.</summary>
    public List<string>? StackResourceDriftStatusFilters { get; set; }

    public string? NextToken { get; set; }

    public int? MaxResults { get; set; }
}

public sealed class DescribeStackResourceDriftsResponse : AmazonWebServiceResponse, IPaginatedResponse
{
    public List<StackResourceDrift> StackResourceDrifts { get; set; } = new();

    public string? NextToken { get; set; }
}

public sealed class StackResourceDrift
{
    public string? StackId { get; set; }

    public string? LogicalResourceId { get; set; }

    public string? PhysicalResourceId { get; set; }

    public string? ResourceType { get; set; }

    public string? ExpectedProperties { get; set; }

    public string? ActualProperties { get; set; }

    public List<PropertyDifference> PropertyDifferences { get; set; } = new();

    public string? StackResourceDriftStatus { get; set; }

    public DateTime? Timestamp { get; set; }
}

public sealed class PropertyDifference
{
    public string? PropertyPath { get; set; }

    public string? ExpectedValue { get; set; }

    public string? ActualValue { get; set; }

    /// <summary>ADD, REMOVE, NOT_EQUAL.</summary>
    public string? DifferenceType { get; set; }
}
