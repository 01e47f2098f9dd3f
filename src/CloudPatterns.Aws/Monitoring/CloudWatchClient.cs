using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime.Internal;
using CloudPatterns.Aws.Protocol;

namespace CloudPatterns.Aws.Monitoring;

/// <summary>Amazon CloudWatch on the Query protocol (the model also allows JSON 1.0; CloudWatch answers both).</summary>
public sealed class CloudWatchClient : AwsServiceClient
{
    private static readonly IServiceMetadata Metadata = new AwsServiceMetadata(AwsServiceDescription.CloudWatch);

    internal CloudWatchClient(AwsClientContext context)
        : base(context, AwsServiceDescription.CloudWatch, new QueryProtocol(AwsServiceDescription.CloudWatch))
    {
    }

    protected override IServiceMetadata ServiceMetadata => Metadata;

    public Task<PutMetricDataResponse> PutMetricDataAsync(PutMetricDataRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<PutMetricDataResponse>(request, cancellationToken);

    public Task<GetMetricStatisticsResponse> GetMetricStatisticsAsync(GetMetricStatisticsRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<GetMetricStatisticsResponse>(request, cancellationToken);
}
