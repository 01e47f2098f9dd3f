using System;
using System.Collections.Concurrent;
using System.Linq;
using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;
using Amazon.Util.Internal;

namespace CloudPatterns.Aws.Protocol;

/// <summary>
/// The client configuration of one of our own service clients, shaped like the SDK's generated configs.
/// </summary>
internal sealed class AwsServiceConfig : ClientConfig
{
    private static readonly string SdkVersion = typeof(AwsServiceConfig).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    // Every defaults mode gets the same settings: standard retries (3 attempts, throttling backoff) and the SDK's
    // standard connect timeout. The provider refuses a mode it has no entry for, so all modes are listed.
    private static readonly IDefaultConfiguration[] DefaultConfigurations = Enum.GetValues(typeof(DefaultConfigurationMode))
        .Cast<DefaultConfigurationMode>()
        .Select(mode => (IDefaultConfiguration)new DefaultConfiguration
        {
            Name = mode,
            RetryMode = RequestRetryMode.Standard,
            S3UsEast1RegionalEndpoint = S3UsEast1RegionalEndpointValue.Regional,
            ConnectTimeout = TimeSpan.FromMilliseconds(3100),
            TlsNegotiationTimeout = TimeSpan.FromMilliseconds(3100),
        })
        .ToArray();

    private static readonly AwsServiceEndpointResolver EndpointResolver = new();

    // The user agent depends only on the service and the process (SDK version, execution environment); building it
    // reads environment variables, and a fan-out creates a client per target (docs/benchmarks.md, fan-out profile).
    private static readonly ConcurrentDictionary<string, string> UserAgents = new(StringComparer.Ordinal);

    public AwsServiceConfig(AwsServiceDescription service)
        : base(new DefaultConfigurationProvider(DefaultConfigurations))
    {
        Service = service;
        ServiceId = service.ServiceId;
        AuthenticationServiceName = service.EndpointPrefix;
        EndpointProvider = new AwsServiceEndpointProvider(service);
        UserAgent = UserAgents.GetOrAdd(service.ServiceId, id => InternalSDKUtils.BuildUserAgentString(id, SdkVersion));
    }

    public AwsServiceDescription Service { get; }

    /// <summary>
    /// The region the client works in. Kept apart from <see cref="ClientConfig.RegionEndpoint"/> because setting
    /// <see cref="ClientConfig.ServiceURL"/> clears that, while the signature still needs the region.
    /// </summary>
    public string? TargetRegion { get; set; }

    public override string RegionEndpointServiceName => Service.EndpointPrefix;

    public override string ServiceVersion => Service.ApiVersion;

    public override string UserAgent { get; }

    public override Endpoint DetermineServiceOperationEndpoint(ServiceOperationEndpointParameters parameters)
    {
        var requestContext = new RequestContext(false)
        {
            ClientConfig = this,
            OriginalRequest = parameters.Request,
            Request = new DefaultRequest(parameters.Request, ServiceId) { AlternateEndpoint = parameters.AlternateEndpoint },
        };
        return EndpointResolver.GetEndpoint(new ExecutionContext(requestContext, null));
    }
}
