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
    public async Task AnIdleLocalCloudSkipsItsClockToEachRetry()
    {
        await using var server = await LocalCloudServer.StartAsync(new LocalCloudOptions { AutoAdvance = true });
        var start = server.Clock.GetUtcNow();
        var results = await AwsClients.RunPythonScriptAsync(server, AwsCredentials.Of(server.Organization.ManagementCredentials), TimeSpan.FromMinutes(2), "lambda_retry_waits_client.py", "invoke-only");

        // Watched in-process (a request would count as activity and hold the clock): three attempts within a minute of real time.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (server.State.DeadLetters.Read(results.Text("failures")).Count == 0)
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                Assert.Fail("The retries had not run after 60 real seconds.");
            }
            await Task.Delay(50);
        }

        Assert.Equal(3, Attempts(server));
        // The clock skipped the three minutes of waits, and no further (nothing else was pending).
        Assert.InRange(server.Clock.GetUtcNow() - start, TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(4));
    }

    private static int Attempts(LocalCloudServer server) => server.State.Logs.Read("111111111111", "us-east-2", "/aws/lambda/retry-wait",
        group => group.Streams.Values.SelectMany(stream => stream.Events).Count(item => item.Message.StartsWith("START RequestId", StringComparison.Ordinal)));

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
