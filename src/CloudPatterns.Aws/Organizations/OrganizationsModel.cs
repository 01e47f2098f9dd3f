using System;
using System.Collections.Generic;
using Amazon.Runtime;
using CloudPatterns.Aws.Protocol;

// Shapes of the Organizations API 2016-11-28 (botocore model organizations/2016-11-28), members named as on the wire.
namespace CloudPatterns.Aws.Organizations;

public sealed class DescribeOrganizationRequest : AmazonWebServiceRequest
{
}

public sealed class DescribeOrganizationResponse : AmazonWebServiceResponse
{
    public Organization? Organization { get; set; }
}

public sealed class ListRootsRequest : AmazonWebServiceRequest, IPaginatedRequest
{
    public string? NextToken { get; set; }

    public int? MaxResults { get; set; }
}

public sealed class ListRootsResponse : AmazonWebServiceResponse, IPaginatedResponse
{
    public List<Root> Roots { get; set; } = new();

    public string? NextToken { get; set; }
}

public sealed class ListOrganizationalUnitsForParentRequest : AmazonWebServiceRequest, IPaginatedRequest
{
    public string? ParentId { get; set; }

    public string? NextToken { get; set; }

    public int? MaxResults { get; set; }
}

public sealed class ListOrganizationalUnitsForParentResponse : AmazonWebServiceResponse, IPaginatedResponse
{
    public List<OrganizationalUnit> OrganizationalUnits { get; set; } = new();

    public string? NextToken { get; set; }
}

public sealed class ListAccountsRequest : AmazonWebServiceRequest, IPaginatedRequest
{
    public string? NextToken { get; set; }

    public int? MaxResults { get; set; }
}

public sealed class ListAccountsResponse : AmazonWebServiceResponse, IPaginatedResponse
{
    public List<Account> Accounts { get; set; } = new();

    public string? NextToken { get; set; }
}

public sealed class ListAccountsForParentRequest : AmazonWebServiceRequest, IPaginatedRequest
{
    public string? ParentId { get; set; }

    public string? NextToken { get; set; }

    public int? MaxResults { get; set; }
}

public sealed class ListAccountsForParentResponse : AmazonWebServiceResponse, IPaginatedResponse
{
    public List<Account> Accounts { get; set; } = new();

    public string? NextToken { get; set; }
}

public sealed class DescribeAccountRequest : AmazonWebServiceRequest
{
    public string? AccountId { get; set; }
}

public sealed class DescribeAccountResponse : AmazonWebServiceResponse
{
    public Account? Account { get; set; }
}

public sealed class ListParentsRequest : AmazonWebServiceRequest, IPaginatedRequest
{
    public string? ChildId { get; set; }

    public string? NextToken { get; set; }

    public int? MaxResults { get; set; }
}

public sealed class ListParentsResponse : AmazonWebServiceResponse, IPaginatedResponse
{
    public List<Parent> Parents { get; set; } = new();

    public string? NextToken { get; set; }
}

public sealed class ListTagsForResourceRequest : AmazonWebServiceRequest, IPaginatedRequest
{
    public string? ResourceId { get; set; }

    public string? NextToken { get; set; }
}

public sealed class ListTagsForResourceResponse : AmazonWebServiceResponse, IPaginatedResponse
{
    public List<Tag> Tags { get; set; } = new();

    public string? NextToken { get; set; }
}

public sealed class Organization
{
    public string? Id { get; set; }

    public string? Arn { get; set; }

    public string? FeatureSet { get; set; }

    public string? MasterAccountArn { get; set; }

    public string? MasterAccountId { get; set; }

    public string? MasterAccountEmail { get; set; }

    public List<PolicyTypeSummary> AvailablePolicyTypes { get; set; } = new();
}

public sealed class PolicyTypeSummary
{
    public string? Type { get; set; }

    public string? Status { get; set; }
}

public sealed class Root
{
    public string? Id { get; set; }

    public string? Arn { get; set; }

    public string? Name { get; set; }

    public List<PolicyTypeSummary> PolicyTypes { get; set; } = new();
}

public sealed class OrganizationalUnit
{
    public string? Id { get; set; }

    public string? Arn { get; set; }

    public string? Name { get; set; }

    public string? Path { get; set; }
}

public sealed class Account
{
    public string? Id { get; set; }

    public string? Arn { get; set; }

    public string? Email { get; set; }

    public string? Name { get; set; }

    /// <summary>ACTIVE, SUSPENDED or PENDING_CLOSURE (deprecated by AWS in favour of <see cref="State"/>).</summary>
    public string? Status { get; set; }

    public string? State { get; set; }

    public string? JoinedMethod { get; set; }

    public DateTime? JoinedTimestamp { get; set; }
}

public sealed class Parent
{
    public string? Id { get; set; }

    /// <summary>ROOT or ORGANIZATIONAL_UNIT.</summary>
    public string? Type { get; set; }
}

public sealed class Tag
{
    public string? Key { get; set; }

    public string? Value { get; set; }
}
