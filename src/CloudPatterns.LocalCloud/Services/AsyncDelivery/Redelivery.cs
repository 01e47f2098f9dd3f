namespace CloudPatterns.LocalCloud.Services.AsyncDelivery;

/// <summary>Why one delivery attempt failed, and whether the service tries again.</summary>
internal sealed record DeliveryFailure(string Code, string Message, bool Retryable);

/// <summary>
/// How many times a service retries a failed asynchronous delivery before it gives up (then the dead-letter target):
/// AWS's policies, per service, are in docs/localcloud-delivery.md.
/// </summary>
internal readonly record struct RetryPolicy(int MaximumRetryAttempts)
{
    /// <summary>Lambda retries a failed asynchronous invocation twice (three attempts in all).</summary>
    public static RetryPolicy LambdaAsync { get; } = new(2);

    /// <summary>EventBridge targets and Scheduler schedules without a RetryPolicy: 185 retries.</summary>
    public static RetryPolicy EventBridgeDefault { get; } = new(185);
}

/// <summary>
/// The retry loop that EventBridge targets, Scheduler schedules and Lambda's asynchronous invocations share: attempt,
/// and on a retryable failure attempt again until the policy's retries are used up. LocalCloud does not wait between
/// attempts (AWS backs off exponentially for up to the event's maximum age; docs/localcloud-delivery.md).
/// </summary>
internal static class Redelivery
{
    /// <summary>The last failure (null when delivered) and the number of retries made; <paramref name="beforeRetry"/>, if given, is awaited before each retry (its number, from 1).</summary>
    public static async Task<(DeliveryFailure? Failure, int Retries)> RunAsync(Func<Task<DeliveryFailure?>> attempt, RetryPolicy policy, Func<int, Task>? beforeRetry = null)
    {
        var retries = 0;
        while (true)
        {
            var failure = await attempt();
            if (failure is null || !failure.Retryable || retries >= policy.MaximumRetryAttempts)
            {
                return (failure, retries);
            }

            retries++;
            if (beforeRetry is not null)
            {
                await beforeRetry(retries);
            }
        }
    }

    /// <summary>As <see cref="RunAsync"/>, for attempts that complete at once.</summary>
    public static (DeliveryFailure? Failure, int Retries) Run(Func<DeliveryFailure?> attempt, RetryPolicy policy) =>
        RunAsync(() => Task.FromResult(attempt()), policy).GetAwaiter().GetResult();
}
