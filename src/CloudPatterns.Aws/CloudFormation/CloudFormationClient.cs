using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime.Internal;
using CloudPatterns.Aws.Protocol;

namespace CloudPatterns.Aws.CloudFormation;

/// <summary>AWS CloudFormation (Query protocol, XML responses).</summary>
public sealed partial class CloudFormationClient : AwsServiceClient
{
    private static readonly IServiceMetadata Metadata = new AwsServiceMetadata(AwsServiceDescription.CloudFormation);

    internal CloudFormationClient(AwsClientContext context)
        : base(context, AwsServiceDescription.CloudFormation, new QueryProtocol(AwsServiceDescription.CloudFormation))
    {
    }

    protected override IServiceMetadata ServiceMetadata => Metadata;

    public Task<DescribeStacksResponse> DescribeStacksAsync(DescribeStacksRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<DescribeStacksResponse>(request, cancellationToken);

    public IAsyncEnumerable<Stack> DescribeAllStacksAsync(CancellationToken cancellationToken = default) =>
        Pagination.ItemsAsync(new DescribeStacksRequest(), DescribeStacksAsync, page => page.Stacks, cancellationToken);

    public Task<ListStacksResponse> ListStacksAsync(ListStacksRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<ListStacksResponse>(request, cancellationToken);

    public IAsyncEnumerable<StackSummary> ListAllStacksAsync(IEnumerable<string>? statusFilter = null, CancellationToken cancellationToken = default) =>
        Pagination.ItemsAsync(
            new ListStacksRequest { StackStatusFilter = statusFilter is null ? null : new List<string>(statusFilter) },
            ListStacksAsync,
            page => page.StackSummaries,
            cancellationToken);

    public Task<CreateChangeSetResponse> CreateChangeSetAsync(CreateChangeSetRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<CreateChangeSetResponse>(request, cancellationToken);

    public Task<DescribeChangeSetResponse> DescribeChangeSetAsync(DescribeChangeSetRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<DescribeChangeSetResponse>(request, cancellationToken);

    public Task<ExecuteChangeSetResponse> ExecuteChangeSetAsync(ExecuteChangeSetRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<ExecuteChangeSetResponse>(request, cancellationToken);

    public Task<DeleteChangeSetResponse> DeleteChangeSetAsync(DeleteChangeSetRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<DeleteChangeSetResponse>(request, cancellationToken);

    public Task<DescribeStackEventsResponse> DescribeStackEventsAsync(DescribeStackEventsRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<DescribeStackEventsResponse>(request, cancellationToken);

    public Task<DescribeStackResourcesResponse> DescribeStackResourcesAsync(DescribeStackResourcesRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<DescribeStackResourcesResponse>(request, cancellationToken);

    public Task<GetTemplateResponse> GetTemplateAsync(GetTemplateRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<GetTemplateResponse>(request, cancellationToken);

    public Task<DeleteStackResponse> DeleteStackAsync(DeleteStackRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<DeleteStackResponse>(request, cancellationToken);

    public Task<UpdateTerminationProtectionResponse> UpdateTerminationProtectionAsync(UpdateTerminationProtectionRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<UpdateTerminationProtectionResponse>(request, cancellationToken);

    public Task<ValidateTemplateResponse> ValidateTemplateAsync(ValidateTemplateRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<ValidateTemplateResponse>(request, cancellationToken);

    public Task<DetectStackDriftResponse> DetectStackDriftAsync(DetectStackDriftRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<DetectStackDriftResponse>(request, cancellationToken);

    public Task<DescribeStackDriftDetectionStatusResponse> DescribeStackDriftDetectionStatusAsync(DescribeStackDriftDetectionStatusRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<DescribeStackDriftDetectionStatusResponse>(request, cancellationToken);

    public Task<DescribeStackResourceDriftsResponse> DescribeStackResourceDriftsAsync(DescribeStackResourceDriftsRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<DescribeStackResourceDriftsResponse>(request, cancellationToken);

    /// <summary>The drift results of the stack's last detection, with these statuses (all when none given).</summary>
    public IAsyncEnumerable<StackResourceDrift> DescribeAllStackResourceDriftsAsync(string stackName, IEnumerable<string>? statusFilter = null, CancellationToken cancellationToken = default) =>
        Pagination.ItemsAsync(
            new DescribeStackResourceDriftsRequest { StackName = stackName, StackResourceDriftStatusFilters = statusFilter is null ? null : new List<string>(statusFilter) },
            DescribeStackResourceDriftsAsync,
            page => page.StackResourceDrifts,
            cancellationToken);

    /// <summary>Every change of a change set (DescribeChangeSet pages through them).</summary>
    public IAsyncEnumerable<Change> DescribeAllChangesAsync(string stackName, string changeSetName, CancellationToken cancellationToken = default) =>
        Pagination.ItemsAsync(new DescribeChangeSetRequest { StackName = stackName, ChangeSetName = changeSetName }, DescribeChangeSetAsync, page => page.Changes, cancellationToken);

    /// <summary>Stack events, newest first, page by page as the consumer reads on.</summary>
    public IAsyncEnumerable<StackEvent> DescribeAllStackEventsAsync(string stackName, CancellationToken cancellationToken = default) =>
        Pagination.ItemsAsync(new DescribeStackEventsRequest { StackName = stackName }, DescribeStackEventsAsync, page => page.StackEvents, cancellationToken);
}
