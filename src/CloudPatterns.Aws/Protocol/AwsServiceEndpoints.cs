using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using Amazon.Runtime;
using Amazon.Runtime.Credentials.Internal;
using Amazon.Runtime.Internal.Auth;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Endpoints.StandardLibrary;

namespace CloudPatterns.Aws.Protocol;

internal sealed class AwsServiceEndpointParameters : EndpointParameters
{
    public string? Region
    {
        get => (string?)this[nameof(Region)];
        set => this[nameof(Region)] = value;
    }

    /// <summary>The endpoint override: an explicit URL, <c>AWS_ENDPOINT_URL[_SERVICE]</c>, or a profile's endpoint_url.</summary>
    public string? Endpoint
    {
        get => (string?)this[nameof(Endpoint)];
        set => this[nameof(Endpoint)] = value;
    }

    public bool UseFips
    {
        get => this[nameof(UseFips)] is true;
        set => this[nameof(UseFips)] = value;
    }

    public bool UseDualStack
    {
        get => this[nameof(UseDualStack)] is true;
        set => this[nameof(UseDualStack)] = value;
    }
}

/// <summary>
/// Resolves the URL and SigV4 scope of a request the way the services' endpoint rule sets do: regional
/// <c>{prefix}.{region}.{dnsSuffix}</c>, global services in the partition's global region, and an endpoint override
/// used as given but still signed for the configured region (127.0.0.1 would otherwise be signed for us-east-1).
/// </summary>
internal sealed class AwsServiceEndpointProvider : IEndpointProvider
{
    // The SDK parses an endpoint's attributes from JSON on every request; the parsed bag is only read afterwards, so
    // each distinct one is parsed once (docs/benchmarks.md, the fan-out profile).
    private static readonly ConcurrentDictionary<string, IPropertyBag> AuthAttributes = new(StringComparer.Ordinal);

    private readonly AwsServiceDescription service;

    public AwsServiceEndpointProvider(AwsServiceDescription service) => this.service = service;

    public Endpoint ResolveEndpoint(EndpointParameters parameters)
    {
        var endpointParameters = (AwsServiceEndpointParameters)parameters;
        string region = endpointParameters.Region
            ?? throw new AmazonClientException($"No AWS region is configured for {service.ServiceId}. Pass a region or set AWS_REGION.");
        Partition partition = Fn.Partition(region);
        string signingRegion = service.IsGlobal ? partition.implicitGlobalRegion : region;
        string url = endpointParameters.Endpoint ?? BuildUrl(partition, signingRegion, endpointParameters);
        string attributes =
            $"{{\"authSchemes\":[{{\"name\":\"sigv4\",\"signingName\":\"{service.EndpointPrefix}\",\"signingRegion\":\"{signingRegion}\"}}]}}";
        return new Endpoint(url) { Attributes = AuthAttributes.GetOrAdd(attributes, json => new Endpoint(url, json, null).Attributes) };
    }

    private string BuildUrl(Partition partition, string hostRegion, AwsServiceEndpointParameters parameters)
    {
        if (parameters.UseFips && !partition.supportsFIPS)
        {
            throw new AmazonClientException($"FIPS endpoints are not available in partition {partition.name}.");
        }

        if (parameters.UseDualStack && !partition.supportsDualStack)
        {
            throw new AmazonClientException($"Dual-stack endpoints are not available in partition {partition.name}.");
        }

        string host = parameters.UseFips ? service.EndpointPrefix + "-fips" : service.EndpointPrefix;
        string dnsSuffix = parameters.UseDualStack ? partition.dualStackDnsSuffix : partition.dnsSuffix;
        return service.HostWithoutRegion ? $"https://{host}.{dnsSuffix}" : $"https://{host}.{hostRegion}.{dnsSuffix}";
    }
}

internal sealed class AwsServiceEndpointResolver : BaseEndpointResolver
{
    protected override EndpointParameters MapEndpointsParameters(IRequestContext requestContext)
    {
        var config = (AwsServiceConfig)requestContext.ClientConfig;
        return new AwsServiceEndpointParameters
        {
            Region = config.TargetRegion ?? config.RegionEndpoint?.SystemName,
            Endpoint = config.ServiceURL,
            UseFips = config.UseFIPSEndpoint,
            UseDualStack = config.UseDualstackEndpoint,
        };
    }
}

/// <summary>Every service here authenticates with SigV4; without this handler the pipeline has no signer.</summary>
internal sealed class SigV4AuthSchemeHandler : BaseAuthResolverHandler
{
    protected override List<IAuthSchemeOption> ResolveAuthOptions(IExecutionContext executionContext) => AuthSchemeOption.DEFAULT_SIGV4;
}

internal sealed class AwsServiceMetadata : IServiceMetadata
{
    public AwsServiceMetadata(AwsServiceDescription service) => ServiceId = service.ServiceId;

    public string ServiceId { get; }

    public IDictionary<string, string> OperationNameMapping { get; } = new Dictionary<string, string>(0);
}
