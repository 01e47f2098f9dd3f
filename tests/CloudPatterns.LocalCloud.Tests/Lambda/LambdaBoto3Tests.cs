using System.Text.Json;

namespace CloudPatterns.LocalCloud.Tests.Lambda;

/// <summary>
/// Lambda through boto3 (python/lambda_client.py): the test function's .NET handlers run in child processes with the
/// execution role's credentials, AWS's error payloads for a throw and a timeout, reserved concurrency, the resource
/// policy deciding cross-account Invoke, Event invocations retried twice and then sent to the dead-letter topic.
/// </summary>
public sealed class LambdaBoto3Tests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task FunctionsRunTheirDotnetHandlersAsLambdaDoes()
    {
        var other = fixture.Organization.Accounts.Single(account => account.Name == "log-archive");
        var results = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "lambda_client.py",
            TestFunctionPackage.ZipPath, other.Admin.AccessKeyId, other.Admin.SecretAccessKey, other.Id);

        var created = results.GetProperty("created");
        Assert.Equal("arn:aws:lambda:us-east-2:111111111111:function:fn-echo", created.Text("FunctionArn"));
        Assert.Equal("Active", created.Text("State"));
        Assert.Equal(128, created.GetProperty("MemorySize").GetInt32());
        Assert.Equal("$LATEST", created.Text("Version"));
        Assert.StartsWith("ResourceConflictException: Function already exist: fn-echo", results.Text("duplicate"), StringComparison.Ordinal);
        Assert.Equal("InvalidParameterValueException: The role defined for the function cannot be assumed by Lambda.", results.Text("untrustedRole"));
        Assert.Equal("InvalidParameterValueException: The role defined for the function cannot be assumed by Lambda.", results.Text("missingRole"));
        Assert.EndsWith("Reserved keys used in this request: AWS_REGION", results.Text("reservedVariable"), StringComparison.Ordinal);
        Assert.StartsWith("InvalidParameterValueException: Could not unzip uploaded file.", results.Text("notAZip"), StringComparison.Ordinal);
        Assert.Contains("Value '901' at 'timeout' failed to satisfy constraint", results.Text("badTimeout"), StringComparison.Ordinal);
        Assert.StartsWith("InvalidParameterValueException: LocalCloud does not emulate container-image functions (PackageType Image)", results.Text("imagePackage"), StringComparison.Ordinal);
        Assert.Equal(
            "AccessDeniedException: User: arn:aws:sts::111111111111:assumed-role/lambda-deployer/deployer is not authorized to perform: iam:PassRole "
            + "on resource: arn:aws:iam::111111111111:role/fn-role because no identity-based policy allows the iam:PassRole action",
            results.Text("noPassRole"));
        Assert.StartsWith("InvalidParameterValueException: Error occurred while GetObject. S3 Error Code: NoSuchKey.", results.Text("missingS3Key"), StringComparison.Ordinal);

        var got = results.GetProperty("get");
        Assert.Equal("test", got[1].GetProperty("STAGE").GetString());
        Assert.Equal("dr", got[2].GetProperty("team").GetString());
        Assert.Equal("fn-echo", results.Text("getByArn"));
        Assert.StartsWith("ResourceNotFoundException: Function not found: arn:aws:lambda:us-east-2:111111111111:function:fn-none", results.Text("getMissing"), StringComparison.Ordinal);
        Assert.Equal(["fn-echo", "fn-fail", "fn-java", "fn-python", "fn-sleep", "fn-who"], results.GetProperty("list").EnumerateArray().Select(item => item.GetString()).ToList());
        Assert.Equal(2, results.GetProperty("listPaged")[0].GetInt32());
        Assert.True(results.GetProperty("listPaged")[1].GetBoolean());

        var echo = results.GetProperty("echo");
        Assert.Equal(200, echo.GetProperty("status").GetInt32());
        Assert.Equal(JsonValueKind.Null, echo.GetProperty("functionError").ValueKind);
        Assert.Equal("world", echo.At("payload", "event", "hello").GetString());
        Assert.Equal("fn-echo", echo.At("payload", "function").GetString());
        Assert.Equal("us-east-2", echo.At("payload", "region").GetString());
        Assert.Equal("test", echo.At("payload", "stage").GetString());
        Assert.True(echo.At("payload", "hasSessionToken").GetBoolean());
        // LocalCloud runs without tiered compilation; a .NET function's host gets .NET's default back.
        Assert.Equal("1", echo.At("payload", "tieredCompilation").GetString());
        var tail = echo.Text("log")!;
        Assert.Matches(@"^START RequestId: [0-9a-f-]{36} Version: \$LATEST\necho handler got 18 bytes\nEND RequestId: [0-9a-f-]{36}\nREPORT RequestId: [0-9a-f-]{36}\tDuration: ", tail);

        var fail = results.GetProperty("fail");
        Assert.Equal("Unhandled", fail.Text("functionError"));
        Assert.Equal("InvalidOperationException", fail.At("payload", "errorType").GetString());
        Assert.Equal("The test function failed on purpose.", fail.At("payload", "errorMessage").GetString());
        Assert.Equal(JsonValueKind.Array, fail.At("payload", "stackTrace").ValueKind);

        var sleep = results.GetProperty("sleep");
        Assert.Equal("Unhandled", sleep.Text("functionError"));
        Assert.Equal("Sandbox.Timedout", sleep.At("payload", "errorType").GetString());
        Assert.EndsWith("Error: Task timed out after 1.00 seconds", sleep.At("payload", "errorMessage").GetString(), StringComparison.Ordinal);
        Assert.InRange(results.GetProperty("sleepSeconds").GetDouble(), 1, 30);

        Assert.Equal("arn:aws:sts::111111111111:assumed-role/fn-role/fn-who", results.At("who", "payload").GetString());
        // A python3.x function whose package has no such module: the Python runtime's import error, not a LocalCloud refusal.
        Assert.Equal("Runtime.ImportModuleError", results.At("python", "payload", "errorType").GetString());
        Assert.StartsWith("Unable to import module 'app':", results.At("python", "payload", "errorMessage").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("InvalidRuntimeException: LocalCloud runs the .NET (dotnet6 and later), Python (python3.x) and Node.js (nodejsNN.x) runtimes only; the runtime java21 of fn-java", results.Text("java"), StringComparison.Ordinal);
        Assert.Equal("InvalidParameterValueException: The runtime parameter of python3.7 is no longer supported for creating or updating AWS Lambda functions. "
            + "We recommend you use the new runtime (python3.14) while creating or updating functions.", results.Text("deprecated"));
        Assert.StartsWith("InvalidRequestContentException: Could not parse request body into json", results.Text("notJson"), StringComparison.Ordinal);
        Assert.Equal(204, results.GetProperty("dryRun").GetInt32());
        Assert.Equal(202, results.GetProperty("event").GetInt32());
        Assert.Equal(0, results.At("concurrency", "ReservedConcurrentExecutions").GetInt32());
        Assert.Equal("TooManyRequestsException: Rate Exceeded.", results.Text("throttled"));
        Assert.Equal(1, results.GetProperty("afterThrottle").GetInt32());

        Assert.StartsWith($"AccessDeniedException: User: arn:aws:iam::{other.Id}:", results.Text("crossAccountDenied"), StringComparison.Ordinal);
        Assert.Equal($"arn:aws:iam::{other.Id}:root", results.At("statement", "Principal", "AWS").GetString());
        Assert.Equal("from-other", results.GetProperty("crossAccountAllowed").GetString());
        Assert.StartsWith("ResourceConflictException: The statement id (events) provided already exists.", results.Text("duplicateSid"), StringComparison.Ordinal);
        var statements = results.At("policy", "Statement").EnumerateArray().ToList();
        Assert.Equal(2, statements.Count);
        Assert.Equal("events.amazonaws.com", statements[1].At("Principal", "Service").GetString());
        Assert.Equal("arn:aws:events:us-east-2:111111111111:rule/nightly", statements[1].At("Condition", "ArnLike", "AWS:SourceArn").GetString());
        Assert.Equal("ResourceNotFoundException: Statement events is not found in resource policy.", results.Text("removeMissing"));
        Assert.Equal("ResourceNotFoundException: The resource you requested does not exist.", results.Text("policyGone"));
        Assert.StartsWith("AccessDeniedException:", results.Text("crossAccountDeniedAgain"), StringComparison.Ordinal);
        Assert.True(results.GetProperty("codeUpdated")[0].GetBoolean());
        Assert.True(results.GetProperty("codeUpdated")[1].GetBoolean());

        // fn-echo ran three times (the throttled call and the dry run never ran it): one stream and one REPORT line each.
        Assert.Equal(3, results.GetProperty("logStreams").GetInt32());
        Assert.Equal(3, results.GetProperty("reportLines").GetInt32());
        Assert.NotEmpty(results.GetProperty("failLog").EnumerateArray());
        Assert.StartsWith("ResourceNotFoundException: Function not found:", results.Text("deleted"), StringComparison.Ordinal);

        // The Event invocation: three attempts (the first and two retries), then the event on the dead-letter topic.
        await LambdaRetries.DrainAsync(fixture.Server);
        var attempts = fixture.Server.State.Logs.Read("111111111111", "us-east-2", "/aws/lambda/fn-fail",
            group => group.Streams.Values.SelectMany(stream => stream.Events).Count(item => item.Message == "about to fail"));
        Assert.Equal(1 + 3, attempts);
        var dead = Assert.Single(fixture.Server.State.Sns.Messages(results.Text("dlqTopic")));
        Assert.Equal("{\"job\": \"j-1\"}", dead.Message);
        Assert.Contains("InvalidOperationException", dead.MessageAttributes["ErrorMessage"], StringComparison.Ordinal);
    }
}
