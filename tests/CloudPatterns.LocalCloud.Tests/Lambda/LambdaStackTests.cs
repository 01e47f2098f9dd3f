namespace CloudPatterns.LocalCloud.Tests.Lambda;

/// <summary>CloudFormation creates log groups, functions and their permissions for real (python/lambda_stack_client.py).</summary>
public sealed class LambdaStackTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task AStackCreatesARunnableFunctionItsPermissionAndLogGroup_AndDeletesThem()
    {
        var results = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "lambda_stack_client.py",
            TestFunctionPackage.ZipPath, TestFunctionPackage.HandlerPrefix + "Echo");

        Assert.Equal("CREATE_COMPLETE", results.Text("status"));
        var functionArn = results.Text("outputs", "FunctionArn")!;
        Assert.StartsWith("arn:aws:lambda:us-east-2:111111111111:function:orchestrator-Function-", functionArn, StringComparison.Ordinal);
        Assert.Equal("arn:aws:logs:us-east-2:111111111111:log-group:/cfn/orchestrator:*", results.Text("outputs", "LogGroupArn"));
        Assert.Equal("cfn", results.Text("invoked", "event"));
        Assert.Equal("cfn", results.Text("invoked", "stage"));
        var statement = Assert.Single(results.GetProperty("policy").EnumerateArray());
        Assert.Equal("events.amazonaws.com", statement.At("Principal", "Service").GetString());
        Assert.Equal(30, results.GetProperty("retention").GetInt32());
        var settings = results.GetProperty("asyncSettings");
        Assert.Equal((1, "arn:aws:sqs:us-east-2:111111111111:cfn-failures"), (settings.GetProperty("MaximumRetryAttempts").GetInt32(), settings.At("DestinationConfig", "OnFailure").Text("Destination")));

        Assert.Equal("DELETE_COMPLETE", results.Text("deletedStatus"));
        Assert.StartsWith("ResourceNotFoundException:", results.Text("functionAfterDelete"), StringComparison.Ordinal);
        Assert.Equal(0, results.GetProperty("logGroupsAfterDelete").GetInt32());

        var untrusted = results.GetProperty("untrusted");
        Assert.Equal("ROLLBACK_COMPLETE", untrusted[0].GetString());
        Assert.Equal(["The role defined for the function cannot be assumed by Lambda."], untrusted[1].EnumerateArray().Select(reason => reason.GetString()).ToList());

        var image = results.GetProperty("image");
        Assert.Equal("ROLLBACK_COMPLETE", image[0].GetString());
        Assert.StartsWith("LocalCloud does not emulate container-image functions (PackageType Image)", Assert.Single(image[1].EnumerateArray()).GetString(), StringComparison.Ordinal);
    }
}
