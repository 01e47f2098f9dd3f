using System.Collections.Generic;
using Amazon.Runtime;
using CloudPatterns.Aws.Protocol;

// Organizations' policy operations (botocore model organizations/2016-11-28), members named as on the wire.
namespace CloudPatterns.Aws.Organizations;

public sealed class ListPoliciesRequest : AmazonWebServiceRequest, IPaginatedRequest
{
    public string? Filter { get; set; }

    public string? NextToken { get; set; }

    public int? MaxResults { get; set; }
}

public sealed class ListPoliciesResponse : AmazonWebServiceResponse, IPaginatedResponse
{
    public List<PolicySummary> Policies { get; set; } = new();

    public string? NextToken { get; set; }
}

public sealed class DescribePolicyRequest : AmazonWebServiceRequest
{
    public string? PolicyId { get; set; }
}

public sealed class DescribePolicyResponse : AmazonWebServiceResponse
{
    public Policy? Policy { get; set; }
}

public sealed class CreatePolicyRequest : AmazonWebServiceRequest
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public string? Type { get; set; }

    public string? Content { get; set; }
}

public sealed class CreatePolicyResponse : AmazonWebServiceResponse
{
    public Policy? Policy { get; set; }
}

public sealed class UpdatePolicyRequest : AmazonWebServiceRequest
{
    public string? PolicyId { get; set; }

    public string? Content { get; set; }
}

public sealed class UpdatePolicyResponse : AmazonWebServiceResponse
{
    public Policy? Policy { get; set; }
}

public sealed class AttachPolicyRequest : AmazonWebServiceRequest
{
    public string? PolicyId { get; set; }

    public string? TargetId { get; set; }
}

public sealed class DetachPolicyRequest : AmazonWebServiceRequest
{
    public string? PolicyId { get; set; }

    public string? TargetId { get; set; }
}

public sealed class EmptyOrganizationsResponse : AmazonWebServiceResponse
{
}

public sealed class ListTargetsForPolicyRequest : AmazonWebServiceRequest, IPaginatedRequest
{
    public string? PolicyId { get; set; }

    public string? NextToken { get; set; }

    public int? MaxResults { get; set; }
}

public sealed class ListTargetsForPolicyResponse : AmazonWebServiceResponse, IPaginatedResponse
{
    public List<PolicyTargetSummary> Targets { get; set; } = new();

    public string? NextToken { get; set; }
}

public sealed class PolicySummary
{
    public string? Id { get; set; }

    public string? Arn { get; set; }

    public string? Name { get; set; }

    public string? Type { get; set; }
}

public sealed class Policy
{
    public PolicySummary? PolicySummary { get; set; }

    public string? Content { get; set; }
}

public sealed class PolicyTargetSummary
{
    public string? TargetId { get; set; }

    public string? Type { get; set; }
}
