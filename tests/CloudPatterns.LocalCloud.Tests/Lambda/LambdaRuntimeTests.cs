namespace CloudPatterns.LocalCloud.Tests.Lambda;

/// <summary>
/// The Python and Node.js runtimes through boto3 (python/lambda_runtimes_client.py): results, the context object,
/// each runtime's error payload, the timeout, ES modules, callback handlers, a missing handler, and the admin API's
/// deliveries flag around an Event invocation.
/// </summary>
public sealed class LambdaRuntimeTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task PythonAndNodeHandlersRunWithLambdasContractAndErrors()
    {
        var results = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, TimeSpan.FromMinutes(5), "lambda_runtimes_client.py");

        var echo = results.GetProperty("py-echo");
        Assert.Null(echo.Text("functionError"));
        Assert.Equal("hi", echo.At("payload", "word").GetString());
        Assert.Equal("py-echo", echo.At("payload", "name").GetString());
        Assert.Equal(results.Text("arn"), echo.At("payload", "arn").GetString());
        Assert.True(echo.At("payload", "remaining").GetBoolean());
        var requestId = echo.At("payload", "requestId").GetString()!;
        Assert.Matches("^[0-9a-f-]{36}$", requestId);
        Assert.Contains($"START RequestId: {requestId} Version: $LATEST\nechoing hi\nEND RequestId: {requestId}", echo.Text("log"), StringComparison.Ordinal);

        var fail = results.GetProperty("py-fail");
        Assert.Equal("Unhandled", fail.Text("functionError"));
        Assert.Equal(("ValueError", "bad word: hi"), (fail.At("payload", "errorType").GetString(), fail.At("payload", "errorMessage").GetString()));
        Assert.Contains("raise ValueError", fail.At("payload", "stackTrace")[0].GetString(), StringComparison.Ordinal);

        var sleep = results.GetProperty("py-sleep");
        Assert.Equal("Sandbox.Timedout", sleep.At("payload", "errorType").GetString());
        Assert.EndsWith("Task timed out after 5.00 seconds", sleep.At("payload", "errorMessage").GetString(), StringComparison.Ordinal);

        Assert.Equal("{\"word\": \"HI\", \"remaining\": true}", results.GetProperty("js-async").GetProperty("payload").GetRawText());
        var jsFail = results.GetProperty("js-fail");
        Assert.Equal("Unhandled", jsFail.Text("functionError"));
        Assert.Equal(("TypeError", "not a word"), (jsFail.At("payload", "errorType").GetString(), jsFail.At("payload", "errorMessage").GetString()));
        Assert.Equal("{\"later\": \"hi\"}", results.GetProperty("js-callback").GetProperty("payload").GetRawText());
        Assert.Equal("{\"module\": \"esm\", \"word\": \"hi\"}", results.GetProperty("js-esm").GetProperty("payload").GetRawText());
        // GET /_localcloud/deliveries: busy while an Event invocation runs, idle only once it has logged its lines.
        var deliveries = results.GetProperty("deliveries");
        Assert.True(deliveries.GetProperty("busyAtOnce").GetBoolean());
        Assert.True(deliveries.GetProperty("idle").GetBoolean());
        Assert.Equal(1, deliveries.GetProperty("logged").GetInt32());
        var missing = results.GetProperty("js-missing");
        Assert.Equal(("Runtime.HandlerNotFound", "index.nothing is undefined or not exported"),
            (missing.At("payload", "errorType").GetString(), missing.At("payload", "errorMessage").GetString()));
    }
}
