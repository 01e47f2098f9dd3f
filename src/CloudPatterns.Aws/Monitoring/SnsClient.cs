using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime.Internal;
using CloudPatterns.Aws.Protocol;

namespace CloudPatterns.Aws.Monitoring;

/// <summary>Amazon SNS (Query protocol).</summary>
public sealed class SnsClient : AwsServiceClient
{
    private static readonly IServiceMetadata Metadata = new AwsServiceMetadata(AwsServiceDescription.Sns);

    internal SnsClient(AwsClientContext context)
        : base(context, AwsServiceDescription.Sns, new QueryProtocol(AwsServiceDescription.Sns))
    {
    }

    protected override IServiceMetadata ServiceMetadata => Metadata;

    public Task<PublishResponse> PublishAsync(PublishRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<PublishResponse>(request, cancellationToken);

    public Task<GetTopicAttributesResponse> GetTopicAttributesAsync(GetTopicAttributesRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<GetTopicAttributesResponse>(request, cancellationToken);
}
