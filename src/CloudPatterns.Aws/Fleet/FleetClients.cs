using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime.Internal;
using CloudPatterns.Aws.Protocol;

namespace CloudPatterns.Aws.Fleet;

/// <summary>Amazon EC2 Auto Scaling (Query protocol): the groups a Multi-AZ stack runs.</summary>
public sealed class AutoScalingClient : AwsServiceClient
{
    private static readonly IServiceMetadata Metadata = new AwsServiceMetadata(AwsServiceDescription.AutoScaling);

    internal AutoScalingClient(AwsClientContext context)
        : base(context, AwsServiceDescription.AutoScaling, new QueryProtocol(AwsServiceDescription.AutoScaling))
    {
    }

    protected override IServiceMetadata ServiceMetadata => Metadata;

    public Task<DescribeAutoScalingGroupsResponse> DescribeAutoScalingGroupsAsync(DescribeAutoScalingGroupsRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<DescribeAutoScalingGroupsResponse>(request, cancellationToken);
}

/// <summary>Elastic Load Balancing v2 (Query protocol): listeners and target health of a Multi-AZ stack.</summary>
public sealed class LoadBalancingClient : AwsServiceClient
{
    private static readonly IServiceMetadata Metadata = new AwsServiceMetadata(AwsServiceDescription.ElasticLoadBalancingV2);

    internal LoadBalancingClient(AwsClientContext context)
        : base(context, AwsServiceDescription.ElasticLoadBalancingV2, new QueryProtocol(AwsServiceDescription.ElasticLoadBalancingV2))
    {
    }

    protected override IServiceMetadata ServiceMetadata => Metadata;

    public Task<DescribeTargetHealthResponse> DescribeTargetHealthAsync(DescribeTargetHealthRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<DescribeTargetHealthResponse>(request, cancellationToken);

    public Task<DescribeListenersResponse> DescribeListenersAsync(DescribeListenersRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<DescribeListenersResponse>(request, cancellationToken);
}
