using System;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace CloudPatterns.Aws.Protocol;

/// <summary>
/// The SDK's standard retries (exponential backoff with full jitter, capped at 20 s; the retry quota that stops
/// retry storms) with a larger default budget for transient errors: a throttled call (Throttling,
/// ThrottlingException, TooManyRequestsException, SlowDown, HTTP 429 ...) or one the service failed (HTTP 5xx:
/// InternalFailure, ServiceUnavailable, InternalError ...) is tried up to <see cref="MaxThrottledAttempts"/> times,
/// other retryable errors the standard 3. Both say "later", not "no": with three attempts in all, a call that was
/// throttled twice and then met one server error failed a whole validation for nothing (docs/dr-safety.md). Attempts
/// the user set (AWS_MAX_ATTEMPTS, see <see cref="AwsClientContext.ApplyTo"/>) hold for every error.
/// </summary>
public sealed class ThrottlingRetryPolicy : StandardRetryPolicy
{
    public const int MaxThrottledAttempts = 10;

    /// <summary>The SDK's standard attempts for errors other than throttling.</summary>
    public const int StandardAttempts = 3;

    /// <summary>How many attempts a call made before it failed with <paramref name="exception"/>, had every one failed.</summary>
    public static int AttemptsBefore(Exception exception) =>
        AwsClientContext.ConfiguredAttempts() ?? (AwsFailure.IsTransient(exception) ? MaxThrottledAttempts : StandardAttempts);

    private readonly int throttledRetries;

    public ThrottlingRetryPolicy(IClientConfig config)
        : base(config)
    {
        throttledRetries = config is ClientConfig { IsMaxErrorRetrySet: true } ? MaxRetries : Math.Max(MaxRetries, MaxThrottledAttempts - 1);
    }

    // The pipeline asks for the limit before it looks at the error: allow the throttling budget here, and hold
    // other errors to the configured attempts once the error is known.
    public override bool RetryLimitReached(IExecutionContext executionContext) =>
        executionContext.RequestContext.Retries >= throttledRetries;

    public override bool RetryForException(IExecutionContext executionContext, Exception exception) =>
        WithinBudget(executionContext, exception) && base.RetryForException(executionContext, exception);

    public override async Task<bool> RetryForExceptionAsync(IExecutionContext executionContext, Exception exception) =>
        WithinBudget(executionContext, exception) && await base.RetryForExceptionAsync(executionContext, exception).ConfigureAwait(false);

    private bool WithinBudget(IExecutionContext executionContext, Exception exception) =>
        IsThrottlingError(exception) || AwsFailure.IsTransient(exception) || executionContext.RequestContext.Retries < MaxRetries;
}
