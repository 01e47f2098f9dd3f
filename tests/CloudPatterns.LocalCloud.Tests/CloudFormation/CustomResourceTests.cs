namespace CloudPatterns.LocalCloud.Tests.CloudFormation;

/// <summary>
/// SNS-backed custom resources through boto3 with a provider that answers over HTTP: the request CloudFormation
/// publishes (RequestType, ResponseURL, StackId, RequestId, LogicalResourceId, ResourceProperties), Data through
/// GetAtt, the provider's PhysicalResourceId through Ref, Update with OldResourceProperties, Delete, FAILED with
/// its Reason, ServiceTimeout on the simulated clock, and a Lambda ServiceToken naming no function.
/// </summary>
public sealed class CustomResourceTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task CustomResourcesFollowTheProviderProtocol()
    {
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "custom_resources_client.py");
        var topic = $"arn:aws:sns:{fixture.Organization.PrimaryRegion}:{fixture.Organization.ManagementAccountId}:greeter-provider";

        Assert.Equal(
            $"[\"AWS CloudFormation custom resource request\", \"Create\", true, \"Thing\", \"Custom::Greeter\", {{\"ServiceToken\": \"{topic}\", \"Greeting\": \"hello\"}}, false, true]",
            result.GetProperty("createRequest").GetRawText());
        Assert.Equal(403, result.GetProperty("wrongRequestId").GetInt32());
        Assert.Equal(200, result.GetProperty("createResponse").GetInt32());
        Assert.Equal("[\"CREATE_COMPLETE\", {\"Message\": \"hello world\", \"Id\": \"greeter-1\"}]", result.GetProperty("created").GetRawText());
        Assert.Equal(403, result.GetProperty("answeredTwice").GetInt32());
        Assert.Equal("[\"Update\", \"greeter-1\", \"bonjour\", \"hello\"]", result.GetProperty("updateRequest").GetRawText());
        Assert.Equal("[\"UPDATE_COMPLETE\", {\"Message\": \"bonjour monde\", \"Id\": \"greeter-1\"}]", result.GetProperty("updated").GetRawText());
        Assert.Equal("[\"ROLLBACK_COMPLETE\", \"Received response status [FAILED] from custom resource. Message returned: The greeter refused. (RequestId: ID)\"]",
            result.GetProperty("failed").GetRawText());
        Assert.Equal("[\"Delete\", \"greeter-2\", \"Thing\"]", result.GetProperty("rollbackDelete").GetRawText());
        Assert.Equal("[\"Delete\", true]", result.GetProperty("silentDelete").GetRawText());
        Assert.Equal("[\"ROLLBACK_COMPLETE\", \"CloudFormation did not receive a response from your Custom Resource. Please check your logs for requestId [ID]. " +
            "If you are using the Python cfn-response module, you may need to update your Lambda function code so that CloudFormation can attach the updated version.\"]",
            result.GetProperty("timedOut").GetRawText());
        var lambda = result.GetProperty("lambda");
        Assert.Equal("ROLLBACK_COMPLETE", lambda[0].GetString());
        var missing = $"arn:aws:lambda:{fixture.Organization.PrimaryRegion}:{fixture.Organization.ManagementAccountId}:function:greeter";
        Assert.Equal($"Unable to invoke the Lambda function {missing}: Function not found: {missing}", lambda[1].GetString());
        Assert.Equal("[\"Delete\", \"greeter-1\"]", result.GetProperty("deleteRequest").GetRawText());
        Assert.Equal("DELETE_COMPLETE", result.GetProperty("deleted").GetString());
    }
}
