using Amazon.KeyManagementService;
using Amazon.Runtime;
using Amazon.S3;
using CloudPatterns.Aws.Protocol;

namespace CloudPatterns.Aws.Storage;

/// <summary>
/// The SDK's own S3 and KMS clients for one target: same credentials, region, endpoint and call reporting as our
/// clients. S3 goes path-style when an endpoint is given (LocalCloud and most S3-compatible endpoints need it).
/// </summary>
internal static class SdkClients
{
    public static IAmazonS3 S3(AwsClientContext context)
    {
        var config = new AmazonS3Config();
        Configure(context, config);
        config.ForcePathStyle = context.EndpointUrl is not null;
        return new ReportedS3Client(context, config);
    }

    public static IAmazonKeyManagementService Kms(AwsClientContext context)
    {
        var config = new AmazonKeyManagementServiceConfig();
        Configure(context, config);
        return new ReportedKmsClient(context, config);
    }

    private static void Configure(AwsClientContext context, ClientConfig config)
    {
        context.ApplyTo(config);
        // An endpoint override makes the SDK sign for the region it derives from the host (us-east-1 for 127.0.0.1).
        config.AuthenticationRegion = context.Region;
    }

    private sealed class ReportedS3Client : AmazonS3Client
    {
        public ReportedS3Client(AwsClientContext context, AmazonS3Config config)
            : base(context.Credentials, config) => context.CustomizePipeline(RuntimePipeline, Config);
    }

    private sealed class ReportedKmsClient : AmazonKeyManagementServiceClient
    {
        public ReportedKmsClient(AwsClientContext context, AmazonKeyManagementServiceConfig config)
            : base(context.Credentials, config) => context.CustomizePipeline(RuntimePipeline, Config);
    }
}
