using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace CloudPatterns.Aws.CloudFormation;

/// <summary>StackSets: sets, their instances and operations.</summary>
public sealed partial class CloudFormationClient
{
    public Task<DescribeOrganizationsAccessResponse> DescribeOrganizationsAccessAsync(DescribeOrganizationsAccessRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<DescribeOrganizationsAccessResponse>(request, cancellationToken);

    public Task<CreateStackSetResponse> CreateStackSetAsync(CreateStackSetRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<CreateStackSetResponse>(request, cancellationToken);

    public Task<UpdateStackSetResponse> UpdateStackSetAsync(UpdateStackSetRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<UpdateStackSetResponse>(request, cancellationToken);

    public Task<DescribeStackSetResponse> DescribeStackSetAsync(DescribeStackSetRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<DescribeStackSetResponse>(request, cancellationToken);

    public Task<CreateStackInstancesResponse> CreateStackInstancesAsync(CreateStackInstancesRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<CreateStackInstancesResponse>(request, cancellationToken);

    public Task<DescribeStackSetOperationResponse> DescribeStackSetOperationAsync(DescribeStackSetOperationRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<DescribeStackSetOperationResponse>(request, cancellationToken);

    public Task<ListStackInstancesResponse> ListStackInstancesAsync(ListStackInstancesRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<ListStackInstancesResponse>(request, cancellationToken);

    /// <summary>Every instance of a stack set, page by page.</summary>
    public IAsyncEnumerable<StackInstanceSummary> ListAllStackInstancesAsync(string stackSetName, string? callAs = null, CancellationToken cancellationToken = default) =>
        Protocol.Pagination.ItemsAsync(new ListStackInstancesRequest { StackSetName = stackSetName, CallAs = callAs }, ListStackInstancesAsync, page => page.Summaries, cancellationToken);

    public Task<DeleteStackInstancesResponse> DeleteStackInstancesAsync(DeleteStackInstancesRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<DeleteStackInstancesResponse>(request, cancellationToken);

    public Task<DeleteStackSetResponse> DeleteStackSetAsync(DeleteStackSetRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<DeleteStackSetResponse>(request, cancellationToken);

    public Task<DetectStackSetDriftResponse> DetectStackSetDriftAsync(DetectStackSetDriftRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<DetectStackSetDriftResponse>(request, cancellationToken);

    public Task<ListStackSetsResponse> ListStackSetsAsync(ListStackSetsRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<ListStackSetsResponse>(request, cancellationToken);

    /// <summary>Every ACTIVE stack set of the caller in the client's region, page by page.</summary>
    public IAsyncEnumerable<StackSetSummary> ListAllStackSetsAsync(string? callAs = null, CancellationToken cancellationToken = default) =>
        Protocol.Pagination.ItemsAsync(new ListStackSetsRequest { Status = "ACTIVE", CallAs = callAs }, ListStackSetsAsync, page => page.Summaries, cancellationToken);
}
