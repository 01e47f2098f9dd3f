using Amazon.SecurityToken;
using CloudPatterns.Aws.Protocol;

namespace CloudPatterns.Aws.Credentials;

/// <summary>
/// The SDK's STS client with our endpoint handling and call reporting. An endpoint override (explicit or
/// <c>AWS_ENDPOINT_URL[_STS]</c>) would otherwise be signed for us-east-1, so the region is pinned for signing.
/// </summary>
internal sealed class StsClient : AmazonSecurityTokenServiceClient
{
    public StsClient(AwsClientContext context)
        : base(context.Credentials, CreateConfig(context)) =>
        context.CustomizePipeline(RuntimePipeline, Config);

    private static AmazonSecurityTokenServiceConfig CreateConfig(AwsClientContext context)
    {
        var config = new AmazonSecurityTokenServiceConfig { AuthenticationRegion = context.Region };
        context.ApplyTo(config);
        return config;
    }
}
