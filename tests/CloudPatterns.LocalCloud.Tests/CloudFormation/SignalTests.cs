namespace CloudPatterns.LocalCloud.Tests.CloudFormation;

/// <summary>
/// Resource signals through boto3 and plain HTTP PUTs (what cfn-signal sends to a wait handle): a WaitCondition
/// completes on its handle's signals and exposes their Data; a CreationPolicy completes on SignalResource; a FAILURE
/// signal and a timeout on the simulated clock fail the resource with CloudFormation's messages; an emulated instance
/// whose user data runs cfn-signal signals by itself, and the admin switch makes its boot fail.
/// </summary>
public sealed class SignalTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task ResourcesWaitForSignalsAndFailAsCloudFormationDoes()
    {
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "signals_client.py");

        Assert.Equal("CREATE_IN_PROGRESS", result.GetProperty("waiting").GetString());
        Assert.Equal("[200, 200, 400]", result.GetProperty("handlePut").GetRawText());
        Assert.Equal("ValidationError: 1 validation error detected: Value 'MAYBE' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [SUCCESS, FAILURE]",
            result.GetProperty("badStatus").GetString());
        Assert.Equal("[\"CREATE_COMPLETE\", {\"a\": \"one\", \"b\": \"two\"}, [null, \"Resource creation Initiated\", \"Received SUCCESS signal with UniqueId i-web1\", null]]",
            result.GetProperty("created").GetRawText());
        Assert.Matches(@"^ValidationError: Stack arn:aws:cloudformation:[a-z0-9-]+:\d{12}:stack/signals/[0-9a-f-]{36} is in CREATE_COMPLETE state and cannot be signaled$",
            result.GetProperty("lateSignal").GetString());
        Assert.Equal("[\"ROLLBACK_COMPLETE\", \"WaitCondition received failed message: 'Configuration failed.' for uniqueId: i-1\"]", result.GetProperty("waitFailure").GetRawText());
        Assert.Equal("[\"CREATE_COMPLETE\", 2, true]", result.GetProperty("booted").GetRawText());
        Assert.Equal("FAILURE", result.GetProperty("switch").GetString());
        Assert.Equal("[\"ROLLBACK_COMPLETE\", true]", result.GetProperty("bootFailure").GetRawText());
        Assert.Equal("CREATE_IN_PROGRESS", result.GetProperty("beforeTimeout").GetString());
        Assert.Equal("[\"ROLLBACK_COMPLETE\", [\"Failed to receive 1 resource signal(s) within the specified duration\"]]", result.GetProperty("timedOut").GetRawText());
        Assert.Equal("[\"DELETE_COMPLETE\", 403]", result.GetProperty("deleted").GetRawText());
    }
}
