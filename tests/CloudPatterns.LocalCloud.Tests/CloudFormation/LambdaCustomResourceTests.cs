namespace CloudPatterns.LocalCloud.Tests.CloudFormation;

/// <summary>
/// Lambda-backed custom resources and macros through boto3 (python/lambda_custom_resources_client.py): inline Python
/// (cfnresponse, boto3 with the role's credentials, Lambda's context) and Node.js (cfn-response) providers created,
/// updated, replaced (a new PhysicalResourceId deletes the old one) and deleted; FAILED rolls back with the Reason;
/// a failed Create's resource gets the rollback's Delete with the FAILED response's PhysicalResourceId; a NoEcho
/// answer shows its attributes as ****; a macro's function processes the template (Transform section and Fn::Transform) or refuses it.
/// </summary>
public sealed class LambdaCustomResourceTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task LambdaProvidersAndMacrosFollowCloudFormationsProtocols()
    {
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, TimeSpan.FromMinutes(5), "lambda_custom_resources_client.py");

        Assert.Equal("CREATE_COMPLETE", result.Text("providers"));
        var created = result.GetProperty("created");
        Assert.Equal("CREATE_COMPLETE", created[0].GetString());
        Assert.Equal("hello world", created[1].Text("Message"));
        Assert.Equal("greeter-1", created[1].Text("Id"));
        Assert.Matches(@"^arn:aws:sts::111111111111:assumed-role/providers-Role-[A-Za-z0-9]+/providers-Python-[A-Za-z0-9]+$", created[1].Text("Caller"));
        Assert.Matches(@"^true,true,providers-Python-[A-Za-z0-9]+$", created[1].Text("Context"));
        Assert.Equal("HEY", created[1].Text("Shout"));
        Assert.Equal("node-hey", created[1].Text("ShouterId"));

        var updated = result.GetProperty("updated");
        Assert.Equal("UPDATE_COMPLETE", updated[0].GetString());
        Assert.Equal("bonjour world", updated[1].Text("Message"));
        Assert.Equal("hello", updated[1].Text("Old"));
        Assert.Equal("[\"UPDATE_COMPLETE\", \"greeter-2\"]", result.GetProperty("replaced").GetRawText());
        Assert.Equal("DELETE_COMPLETE", result.Text("deleted"));
        // Create, Update in place, Update to a new id, then the old id's Delete at cleanup, and the stack's Delete.
        Assert.Equal(["REQUEST Create -", "REQUEST Update greeter-1", "REQUEST Update greeter-1", "REQUEST Delete greeter-1", "REQUEST Delete greeter-2"],
            result.GetProperty("requests").EnumerateArray().Select(line => line.GetString()).ToList());

        // A Node.js provider that sends its response as AWS's bundled cfn-response does (https, port 443) reaches LocalCloud.
        var bundled = result.GetProperty("bundled");
        Assert.Equal("CREATE_COMPLETE", bundled[0].GetString());
        Assert.Equal("hi", bundled[1].Text("Echo"));
        Assert.Equal("bundled-1", bundled[1].Text("Id"));

        var failed = result.GetProperty("failed");
        Assert.Equal("ROLLBACK_COMPLETE", failed[0].GetString());
        Assert.Matches(@"^Received response status \[FAILED\] from custom resource. Message returned: The greeter refused. \(RequestId: [0-9a-f-]{36}\)$", failed[1].GetString());
        Assert.Equal("[\"REQUEST Create -\", \"REQUEST Delete half-made-1\"]", result.GetProperty("rolledBack").GetRawText());

        var hidden = result.GetProperty("hidden");
        Assert.Equal("CREATE_COMPLETE", hidden[0].GetString());
        Assert.Equal("****", hidden[1].Text("Message"));
        Assert.Equal("greeter-h", hidden[1].Text("Id"));
        Assert.Equal("secret world", hidden[2].GetString());
        Assert.False(hidden[3].GetBoolean());

        var macro = result.GetProperty("macro");
        Assert.Equal("CREATE_COMPLETE", macro[0].GetString());
        Assert.Equal("{\"DisplayName\": \"team\", \"TopicName\": \"team-Alerts\"}", macro[1].GetRawText());
        Assert.Equal("team", macro[2].GetString());
        Assert.Equal("ValidationError: Transform 111111111111::Namer failed with: The macro refused.", result.Text("macroFailed"));
    }
}
