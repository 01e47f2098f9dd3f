using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace CloudPatterns.Aws.Protocol;

/// <summary>
/// Base of our own service clients, in the shape of the SDK's generated clients: the SDK pipeline supplies
/// credentials, SigV4, retries and endpoint overrides; the <see cref="WireProtocol"/> supplies the wire format.
/// </summary>
public abstract class AwsServiceClient : AmazonServiceClient
{
    private readonly WireProtocol protocol;

    private protected AwsServiceClient(AwsClientContext context, AwsServiceDescription service, WireProtocol protocol)
        : base(context.Credentials, CreateConfig(context, service))
    {
        this.protocol = protocol;
        AccountId = context.AccountId;
        Region = context.Region;
        context.CustomizePipeline(RuntimePipeline, Config);
    }

    /// <summary>The account this client acts in (null when the caller's account is not yet known).</summary>
    public string? AccountId { get; }

    public string Region { get; }

    protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
    {
        pipeline.RemoveHandler<EndpointResolver>();
        pipeline.AddHandlerAfter<Marshaller>(new AwsServiceEndpointResolver());
        pipeline.AddHandlerAfter<Marshaller>(new SigV4AuthSchemeHandler());
    }

    private protected Task<TResponse> CallAsync<TResponse>(AmazonWebServiceRequest request, CancellationToken cancellationToken)
        where TResponse : AmazonWebServiceResponse, new() =>
        InvokeAsync<TResponse>(
            request,
            new InvokeOptions { RequestMarshaller = protocol, ResponseUnmarshaller = protocol.UnmarshallerFor<TResponse>() },
            cancellationToken);

    private static AwsServiceConfig CreateConfig(AwsClientContext context, AwsServiceDescription service)
    {
        var config = new AwsServiceConfig(service) { TargetRegion = context.Region };
        context.ApplyTo(config);
        return config;
    }
}
