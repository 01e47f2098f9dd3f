namespace CloudPatterns.LocalCloud.Tests.Lambda;

/// <summary>
/// Warm execution environments (python/lambda_environments_client.py): the .NET, Python and Node.js runtimes keep
/// module state and their temporary directory between events of one environment; a timeout ends it, an update starts
/// a new one, two events at once get one environment each. Concurrency (python/lambda_concurrency_client.py): events
/// beyond a function's reserved concurrency wait and run in turn; a synchronous call beyond it is throttled.
/// </summary>
public sealed class LambdaEnvironmentTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task EnvironmentsAreReusedUntilATimeoutOrAnUpdate()
    {
        var results = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, TimeSpan.FromMinutes(3), "lambda_environments_client.py",
            TestFunctionPackage.ZipPath, TestFunctionPackage.HandlerPrefix + "Count");

        foreach (var name in new[] { "env-py", "env-js", "env-dotnet" })
        {
            var events = results.GetProperty(name).EnumerateArray().ToList();
            Assert.Equal([1, 2, 3], events.Select(item => item.GetProperty("count").GetInt32()));
            Assert.Equal([1, 2, 3], events.Select(item => item.GetProperty("seen").GetInt32()));
            Assert.Single(events.Select(item => item.GetProperty("pid").GetInt32()).Distinct());
        }

        var python = results.GetProperty("env-py").EnumerateArray().ToList();
        Assert.Single(python.Select(item => item.Text("stream")).Distinct());
        Assert.Equal("Sandbox.Timedout", results.GetProperty("timeout").At("payload", "errorType").GetString());
        var restarted = results.GetProperty("afterTimeout");
        Assert.Equal((1, 1), (restarted.GetProperty("count").GetInt32(), restarted.GetProperty("seen").GetInt32()));
        Assert.NotEqual(python[0].GetProperty("pid").GetInt32(), restarted.GetProperty("pid").GetInt32());
        Assert.NotEqual(python[0].Text("stream"), restarted.Text("stream"));

        var updated = results.GetProperty("afterUpdate");
        Assert.Equal((1, 1), (updated.GetProperty("count").GetInt32(), updated.GetProperty("seen").GetInt32()));
        Assert.NotEqual(restarted.GetProperty("pid").GetInt32(), updated.GetProperty("pid").GetInt32());
        Assert.Equal(2, results.GetProperty("afterUpdateAgain").GetProperty("count").GetInt32());

        var concurrent = results.GetProperty("concurrent").EnumerateArray().ToList();
        Assert.Equal(2, concurrent.Select(item => item.GetProperty("pid").GetInt32()).Distinct().Count());
        Assert.Contains(concurrent, item => item.GetProperty("pid").GetInt32() == updated.GetProperty("pid").GetInt32() && item.GetProperty("count").GetInt32() == 3);
        Assert.Contains(concurrent, item => item.GetProperty("count").GetInt32() == 1);
    }

    [Fact]
    public async Task EventsBeyondReservedConcurrencyWaitInOrderAndSynchronousCallsAreThrottled()
    {
        var results = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, TimeSpan.FromMinutes(2), "lambda_concurrency_client.py");

        Assert.All(results.GetProperty("statuses").EnumerateArray(), status => Assert.Equal(202, status.GetInt32()));
        Assert.True(results.GetProperty("twoStarted").GetBoolean());
        var sync = results.GetProperty("sync");
        Assert.True(sync.GetProperty("throttled").GetBoolean());
        Assert.Equal((429, "TooManyRequestsException"), (sync.GetProperty("status").GetInt32(), sync.Text("code")));
        Assert.Equal(2, results.GetProperty("startedBeforeGate").GetInt32());
        Assert.True(results.GetProperty("allEnded").GetBoolean());

        // Measured by the function: never more than two events between their start and end lines; each event ran once.
        var log = results.GetProperty("log").EnumerateArray()
            .Select(line => (Kind: line[0].GetString()!, Id: line[1].GetInt32(), At: line[2].GetDouble())).ToList();
        var running = 0;
        var most = 0;
        foreach (var line in log.OrderBy(line => line.At).ThenBy(line => line.Kind == "start" ? 1 : 0))
        {
            running += line.Kind == "start" ? 1 : -1;
            most = Math.Max(most, running);
        }

        Assert.Equal(2, most);
        Assert.Equal([0, 1, 2, 3, 4], log.Where(line => line.Kind == "start").Select(line => line.Id).Order());
        Assert.Equal([0, 1, 2, 3, 4], log.Where(line => line.Kind == "end").Select(line => line.Id).Order());
        Assert.Equal([0, 1], log.Where(line => line.Kind == "start").Take(2).Select(line => line.Id).Order());
    }
}
