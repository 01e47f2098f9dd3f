namespace CloudPatterns.LocalCloud.Tests.Lambda;

/// <summary>
/// Warm execution environments (python/lambda_environments_client.py): the .NET, Python and Node.js runtimes keep
/// module state and their temporary directory between events of one environment; a timeout ends it, an update starts
/// a new one, two events at once get one environment each.
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
}
