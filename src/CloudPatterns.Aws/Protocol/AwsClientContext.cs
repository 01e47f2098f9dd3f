using System;
using System.Globalization;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using CloudPatterns.Aws.Diagnostics;

namespace CloudPatterns.Aws.Protocol;

/// <summary>What every client for one target needs: whose credentials, which region and endpoint, who observes calls.</summary>
internal sealed class AwsClientContext
{
    public AwsClientContext(AWSCredentials credentials, string region, string? endpointUrl, string? accountId, AwsCallObserver? observer)
    {
        Credentials = credentials;
        Region = region;
        EndpointUrl = endpointUrl;
        AccountId = accountId;
        Observer = observer;
    }

    public AWSCredentials Credentials { get; }

    public string Region { get; }

    /// <summary>An explicit endpoint; without it the SDK still honours <c>AWS_ENDPOINT_URL[_SERVICE]</c> and profiles.</summary>
    public string? EndpointUrl { get; }

    public string? AccountId { get; }

    public AwsCallObserver? Observer { get; }

    public AwsClientContext ForAccount(AWSCredentials credentials, string accountId, string region) =>
        new(credentials, region, EndpointUrl, accountId, Observer);

    /// <summary>Points a config at the region, and at the explicit endpoint when there is one (it wins over the environment).</summary>
    public void ApplyTo(ClientConfig config)
    {
        config.RegionEndpoint = RegionEndpoint.GetBySystemName(Region);
        if (EndpointUrl is not null)
        {
            config.ServiceURL = EndpointUrl;
        }

        // The SDK reads AWS_MAX_ATTEMPTS once per process; a PowerShell session sets it when a run needs more
        // attempts, after the module has made calls, so every client reads it again.
        if (ConfiguredAttempts() is { } attempts)
        {
            config.MaxErrorRetry = attempts - 1;
        }
    }

    /// <summary>The attempts per call the user set with AWS_MAX_ATTEMPTS; null when not set.</summary>
    public static int? ConfiguredAttempts() =>
        int.TryParse(Environment.GetEnvironmentVariable("AWS_MAX_ATTEMPTS"), NumberStyles.None, CultureInfo.InvariantCulture, out int attempts) && attempts > 0
            ? attempts
            : null;

    /// <summary>
    /// What every client's pipeline gets: retries that outlast throttling (<see cref="ThrottlingRetryPolicy"/>), and
    /// call reporting as the outermost handler, so one report covers a call with all its retries.
    /// </summary>
    public void CustomizePipeline(RuntimePipeline pipeline, IClientConfig config)
    {
        pipeline.ReplaceHandler<RetryHandler>(new RetryHandler(new ThrottlingRetryPolicy(config)));
        if (Observer is not null)
        {
            pipeline.AddHandler(new AwsCallDiagnosticsHandler(Observer, AccountId, Region));
        }
    }
}
