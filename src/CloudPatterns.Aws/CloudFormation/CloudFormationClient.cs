using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime.Internal;
using CloudPatterns.Aws.Protocol;

namespace CloudPatterns.Aws.CloudFormation;

/// <summary>AWS CloudFormation (Query protocol, XML responses).</summary>
public sealed class CloudFormationClient : AwsServiceClient
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
}
