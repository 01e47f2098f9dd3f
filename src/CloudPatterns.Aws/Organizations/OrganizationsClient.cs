using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime.Internal;
using CloudPatterns.Aws.Protocol;

namespace CloudPatterns.Aws.Organizations;

/// <summary>AWS Organizations (JSON 1.1, global: signed for the partition's global region).</summary>
public sealed class OrganizationsClient : AwsServiceClient
{
    private static readonly IServiceMetadata Metadata = new AwsServiceMetadata(AwsServiceDescription.Organizations);

    internal OrganizationsClient(AwsClientContext context)
        : base(context, AwsServiceDescription.Organizations, new Json11Protocol(AwsServiceDescription.Organizations, "AWSOrganizationsV20161128"))
    {
    }

    protected override IServiceMetadata ServiceMetadata => Metadata;

    public Task<DescribeOrganizationResponse> DescribeOrganizationAsync(DescribeOrganizationRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<DescribeOrganizationResponse>(request, cancellationToken);

    public Task<ListRootsResponse> ListRootsAsync(ListRootsRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<ListRootsResponse>(request, cancellationToken);

    public IAsyncEnumerable<Root> ListAllRootsAsync(CancellationToken cancellationToken = default) =>
        Pagination.ItemsAsync(new ListRootsRequest(), ListRootsAsync, page => page.Roots, cancellationToken);

    public Task<ListOrganizationalUnitsForParentResponse> ListOrganizationalUnitsForParentAsync(ListOrganizationalUnitsForParentRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<ListOrganizationalUnitsForParentResponse>(request, cancellationToken);

    public IAsyncEnumerable<OrganizationalUnit> ListAllOrganizationalUnitsForParentAsync(string parentId, CancellationToken cancellationToken = default) =>
        Pagination.ItemsAsync(new ListOrganizationalUnitsForParentRequest { ParentId = parentId }, ListOrganizationalUnitsForParentAsync, page => page.OrganizationalUnits, cancellationToken);

    public Task<ListAccountsResponse> ListAccountsAsync(ListAccountsRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<ListAccountsResponse>(request, cancellationToken);

    public IAsyncEnumerable<Account> ListAllAccountsAsync(CancellationToken cancellationToken = default) =>
        Pagination.ItemsAsync(new ListAccountsRequest(), ListAccountsAsync, page => page.Accounts, cancellationToken);

    public Task<ListAccountsForParentResponse> ListAccountsForParentAsync(ListAccountsForParentRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<ListAccountsForParentResponse>(request, cancellationToken);

    public IAsyncEnumerable<Account> ListAllAccountsForParentAsync(string parentId, CancellationToken cancellationToken = default) =>
        Pagination.ItemsAsync(new ListAccountsForParentRequest { ParentId = parentId }, ListAccountsForParentAsync, page => page.Accounts, cancellationToken);

    public Task<DescribeAccountResponse> DescribeAccountAsync(DescribeAccountRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<DescribeAccountResponse>(request, cancellationToken);

    public Task<ListParentsResponse> ListParentsAsync(ListParentsRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<ListParentsResponse>(request, cancellationToken);

    public IAsyncEnumerable<Parent> ListAllParentsAsync(string childId, CancellationToken cancellationToken = default) =>
        Pagination.ItemsAsync(new ListParentsRequest { ChildId = childId }, ListParentsAsync, page => page.Parents, cancellationToken);

    public Task<ListTagsForResourceResponse> ListTagsForResourceAsync(ListTagsForResourceRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<ListTagsForResourceResponse>(request, cancellationToken);

    public IAsyncEnumerable<PolicySummary> ListAllPoliciesAsync(string filter, CancellationToken cancellationToken = default) =>
        Pagination.ItemsAsync(new ListPoliciesRequest { Filter = filter }, (request, token) => CallAsync<ListPoliciesResponse>(request, token), page => page.Policies, cancellationToken);

    public Task<DescribePolicyResponse> DescribePolicyAsync(DescribePolicyRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<DescribePolicyResponse>(request, cancellationToken);

    public Task<CreatePolicyResponse> CreatePolicyAsync(CreatePolicyRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<CreatePolicyResponse>(request, cancellationToken);

    public Task<UpdatePolicyResponse> UpdatePolicyAsync(UpdatePolicyRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<UpdatePolicyResponse>(request, cancellationToken);

    public Task AttachPolicyAsync(AttachPolicyRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<EmptyOrganizationsResponse>(request, cancellationToken);

    public Task DetachPolicyAsync(DetachPolicyRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<EmptyOrganizationsResponse>(request, cancellationToken);

    public IAsyncEnumerable<PolicyTargetSummary> ListAllTargetsForPolicyAsync(string policyId, CancellationToken cancellationToken = default) =>
        Pagination.ItemsAsync(new ListTargetsForPolicyRequest { PolicyId = policyId }, (request, token) => CallAsync<ListTargetsForPolicyResponse>(request, token), page => page.Targets, cancellationToken);

    public IAsyncEnumerable<Tag> ListAllTagsForResourceAsync(string resourceId, CancellationToken cancellationToken = default) =>
        Pagination.ItemsAsync(new ListTagsForResourceRequest { ResourceId = resourceId }, ListTagsForResourceAsync, page => page.Tags, cancellationToken);
}
