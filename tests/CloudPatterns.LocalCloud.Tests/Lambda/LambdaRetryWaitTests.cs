using System.Text.Json;

namespace CloudPatterns.LocalCloud.Tests.Lambda;

/// <summary>
/// Lambda waits before retrying a failed Event invocation, on the sandbox clock (python/lambda_retry_waits_client.py,
/// docs/localcloud-lambda.md, "Invoke"): no retry 50 simulated seconds after the first attempt, the first once a minute
/// has passed, no second 110 seconds after that, the second once two more minutes have passed; the record then on the
/// OnFailure queue. A waiting retry is a pending job: the deliveries flag is idle and the clock's auto-advance skips to it.
/// </summary>
public sealed class LambdaRetryWaitTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task RetriesWaitOneMinuteThenTwoOnTheSandboxClock()
    {
        var results = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, TimeSpan.FromMinutes(4), "lambda_retry_waits_client.py");

        Assert.Equal(1, results.GetProperty("first").GetInt32());
        Assert.Equal(1, results.GetProperty("after50s").GetInt32());
        Assert.Equal(2, results.GetProperty("after60s").GetInt32());
        Assert.Equal(2, results.GetProperty("after110sMore").GetInt32());
        Assert.Equal(3, results.GetProperty("after120sMore").GetInt32());
        await fixture.Server.State.LambdaInvoker.DrainAsync();
        var record = JsonDocument.Parse(Assert.Single(fixture.Server.State.DeadLetters.Read(results.Text("failures"))).Body).RootElement;
        Assert.Equal(("RetriesExhausted", 3), (record.At("requestContext").Text("condition"), record.At("requestContext", "approximateInvokeCount").GetInt32()));
    }

    [Fact]
    public async Task AWaitingRetryIsDueAMinuteLaterAndRunsWhenTheClockGetsThere()
    {
        var clock = new LocalCloudClock();
        var waits = new Services.Lambda.LambdaRetryWaits(clock);
        var start = clock.GetUtcNow();
        var first = waits.WaitAsync(1);
        var due = Assert.IsType<DateTimeOffset>(waits.Next);
        Assert.InRange(due - start, TimeSpan.FromSeconds(59), TimeSpan.FromSeconds(61));
        Assert.Equal(1, waits.Count);
        Assert.NotSame(first, await Task.WhenAny(first, Task.Delay(300)));

        clock.Advance(due - clock.GetUtcNow());
        Assert.Same(first, await Task.WhenAny(first, Task.Delay(TimeSpan.FromSeconds(5))));
        Assert.Null(waits.Next);
        Assert.Equal(TimeSpan.FromMinutes(2), Services.Lambda.LambdaRetryWaits.Before(2));
    }
}
