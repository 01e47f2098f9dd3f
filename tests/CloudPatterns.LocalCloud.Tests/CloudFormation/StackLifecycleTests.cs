using System.Text.Json;

namespace CloudPatterns.LocalCloud.Tests.CloudFormation;

/// <summary>
/// Through boto3: generated names are new at every creation of a stack name (a retained bucket of the first stack
/// does not block the second), and a rollback leaves nothing it created behind (an instance profile whose role was
/// refused does not block the next create of the same name).
/// </summary>
public sealed class StackLifecycleTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task RecreatedStacksGetNewNamesAndRollbacksLeaveNothingBehind()
    {
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "stack_lifecycle_client.py");

        Assert.Equal("[\"CREATE_COMPLETE\", true, true]", result.GetProperty("recreated").GetRawText());
        Assert.Equal("ROLLBACK_COMPLETE", result.GetProperty("rolledBack").GetString());
        Assert.False(result.GetProperty("leftBehind").GetBoolean());
        Assert.Equal("CREATE_COMPLETE", result.GetProperty("createdAgain").GetString());
    }

    [Fact]
    public async Task IntrinsicFunctionsInPolicyAttributesResolveFromParametersWithoutTheTransform()
    {
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "policy_functions_client.py");

        Assert.Equal("[\"CREATE_COMPLETE\", \"Retain\", \"Retain\", true]", result.GetProperty("retain").GetRawText());
        Assert.Equal("[\"CREATE_COMPLETE\", \"Delete\", \"Delete\", false]", result.GetProperty("delete").GetRawText());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("validate").ValueKind);
        Assert.Equal("ValidationError: Template format error: Unrecognized DeletionPolicy Keep for resource Topic", result.GetProperty("refused").GetString());
    }
}
