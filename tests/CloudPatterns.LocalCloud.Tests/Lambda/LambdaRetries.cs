namespace CloudPatterns.LocalCloud.Tests.Lambda;

/// <summary>Drains Lambda's Event invocations on a server whose clock the test sets: each retry waiting on the clock is reached by moving the clock to its due time.</summary>
internal static class LambdaRetries
{
    public static async Task DrainAsync(LocalCloudServer server)
    {
        var invoker = server.State.LambdaInvoker;
        var drained = invoker.DrainAsync();
        while (!drained.IsCompleted)
        {
            var now = server.State.Clock.GetUtcNow();
            if (!invoker.Busy && invoker.NextRetry is { } due && due > now)
            {
                server.State.Clock.Advance(due - now);
            }

            await Task.WhenAny(drained, Task.Delay(50));
        }

        await drained;
    }
}
