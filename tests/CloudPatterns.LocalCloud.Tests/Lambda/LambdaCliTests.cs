using System.Text.Json;

namespace CloudPatterns.LocalCloud.Tests.Lambda;

/// <summary>Every Lambda operation through the AWS CLI v1 and v2 (one batch per CLI, python/cli_batch.py), each parsing LocalCloud's answers with its own model.</summary>
public sealed class LambdaCliTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    [Theory]
    [InlineData(nameof(AwsCli.V1))]
    [InlineData(nameof(AwsCli.V2))]
    public async Task EveryLambdaOperation_AnswersTheCliInItsModelsShape(string version)
    {
        var cli = Enum.Parse<AwsCli>(version);
        var name = $"cli-{cli}".ToLowerInvariant();
        var output = Path.Combine(Path.GetTempPath(), $"{name}-{Guid.NewGuid():N}.json");
        var zip = "fileb://" + TestFunctionPackage.ZipPath;
        // The CLI v2 reads blob arguments as base64; the v1 passes them through.
        const string Event = """{"from":"cli"}""";
        string[] payload = ["--payload", cli == AwsCli.V2 ? Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Event)) : Event];
        var fn = new[] { "lambda" };
        var results = await CliBatch.RunAsync(cli, fixture.Server, fixture.Management,
        [
            new("role", "iam", "create-role", "--role-name", $"{name}-role", "--assume-role-policy-document", Trust),
            new("topic", "sns", "create-topic", "--name", $"{name}-dlq"),
            new("create", "lambda", "create-function", "--function-name", name, "--runtime", "dotnet10", "--role", "{role.Role.Arn}",
                "--handler", TestFunctionPackage.HandlerPrefix + "Echo", "--zip-file", zip, "--timeout", "20",
                "--environment", "Variables={STAGE=cli}", "--dead-letter-config", "TargetArn={topic.TopicArn}"),
            new("get", "lambda", "get-function", "--function-name", name),
            new("configuration", "lambda", "get-function-configuration", "--function-name", name),
            new("list", "lambda", "list-functions"),
            new("configure", "lambda", "update-function-configuration", "--function-name", name, "--description", "updated by the CLI"),
            new("code", "lambda", "update-function-code", "--function-name", name, "--zip-file", zip),
            new("concurrency", "lambda", "put-function-concurrency", "--function-name", name, "--reserved-concurrent-executions", "5"),
            new("noConcurrency", "lambda", "delete-function-concurrency", "--function-name", name),
            new("permit", "lambda", "add-permission", "--function-name", name, "--statement-id", "events", "--action", "lambda:InvokeFunction",
                "--principal", "events.amazonaws.com", "--source-arn", "arn:aws:events:us-east-2:111111111111:rule/nightly"),
            new("policy", "lambda", "get-policy", "--function-name", name),
            new("unpermit", "lambda", "remove-permission", "--function-name", name, "--statement-id", "events"),
            new("invoke", [.. fn, "invoke", "--function-name", name, .. payload, "--log-type", "Tail", output]),
            new("dryRun", [.. fn, "invoke", "--function-name", name, "--invocation-type", "DryRun", output + ".dry"]),
            // Lambda checks that the execution role may publish to the OnFailure topic (docs/localcloud-lambda.md).
            new("mayPublish", "iam", "put-role-policy", "--role-name", $"{name}-role", "--policy-name", "failures",
                "--policy-document", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sns:Publish","Resource":"{topic.TopicArn}"}]}"""),
            new("putAsync", "lambda", "put-function-event-invoke-config", "--function-name", name, "--maximum-retry-attempts", "0",
                "--destination-config", "OnFailure={Destination={topic.TopicArn}}"),
            new("updateAsync", "lambda", "update-function-event-invoke-config", "--function-name", name, "--maximum-event-age-in-seconds", "600"),
            new("getAsync", "lambda", "get-function-event-invoke-config", "--function-name", name),
            new("listAsync", "lambda", "list-function-event-invoke-configs", "--function-name", name),
            new("deleteAsync", "lambda", "delete-function-event-invoke-config", "--function-name", name),
            new("goneAsync", "lambda", "get-function-event-invoke-config", "--function-name", name),
            new("delete", "lambda", "delete-function", "--function-name", name),
            new("gone", "lambda", "get-function", "--function-name", name),
        ]);

        try
        {
            Assert.Equal($"arn:aws:lambda:us-east-2:111111111111:function:{name}", results["create"].Json.Text("FunctionArn"));
            Assert.Equal("cli", results["get"].Json.At("Configuration", "Environment", "Variables", "STAGE").GetString());
            Assert.Equal(results["topic"].Json.Text("TopicArn"), results["configuration"].Json.At("DeadLetterConfig", "TargetArn").GetString());
            Assert.Contains(results["list"].Json.GetProperty("Functions").EnumerateArray(), item => item.Text("FunctionName") == name);
            Assert.Equal("updated by the CLI", results["configure"].Json.Text("Description"));
            Assert.Equal(results["create"].Json.Text("CodeSha256"), results["code"].Json.Text("CodeSha256"));
            Assert.Equal(5, results["concurrency"].Json.GetProperty("ReservedConcurrentExecutions").GetInt32());
            Assert.Equal(0, results["noConcurrency"].ExitCode);
            Assert.Equal("events", JsonDocument.Parse(results["permit"].Json.Text("Statement")!).RootElement.Text("Sid"));
            Assert.Contains("\"events.amazonaws.com\"", results["policy"].Json.Text("Policy"), StringComparison.Ordinal);
            Assert.Equal(0, results["unpermit"].ExitCode);
            var invoked = results["invoke"].Json;
            Assert.Equal(200, invoked.GetProperty("StatusCode").GetInt32());
            Assert.Contains("START RequestId:", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(invoked.Text("LogResult")!)), StringComparison.Ordinal);
            var written = JsonDocument.Parse(await File.ReadAllTextAsync(output)).RootElement;
            Assert.Equal("cli", written.At("event", "from").GetString());
            Assert.Equal("cli", written.Text("stage"));
            Assert.Equal(204, results["dryRun"].Json.GetProperty("StatusCode").GetInt32());
            Assert.Equal(0, results["putAsync"].Json.GetProperty("MaximumRetryAttempts").GetInt32());
            Assert.Equal((0, 600), (results["getAsync"].Json.GetProperty("MaximumRetryAttempts").GetInt32(), results["getAsync"].Json.GetProperty("MaximumEventAgeInSeconds").GetInt32()));
            Assert.Equal(results["topic"].Json.Text("TopicArn"), results["updateAsync"].Json.At("DestinationConfig", "OnFailure").Text("Destination"));
            Assert.Equal($"arn:aws:lambda:us-east-2:111111111111:function:{name}:$LATEST", Assert.Single(results["listAsync"].Json.GetProperty("FunctionEventInvokeConfigs").EnumerateArray()).Text("FunctionArn"));
            Assert.Equal(0, results["deleteAsync"].ExitCode);
            Assert.Equal("ResourceNotFoundException", results["goneAsync"].ErrorCode);
            Assert.Equal(0, results["delete"].ExitCode);
            Assert.Equal("ResourceNotFoundException", results["gone"].ErrorCode);
        }
        finally
        {
            File.Delete(output);
            File.Delete(output + ".dry");
        }
    }
}
