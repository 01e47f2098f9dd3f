namespace CloudPatterns.LocalCloud.Tests.Iam;

/// <summary>
/// Every AWS-managed policy (incl. service-role/ and job-function/ paths) is listed and attachable, through IAM and
/// CloudFormation with boto3; a made-up one is refused as IAM refuses it, and the stack rolls back.
/// </summary>
public sealed class ManagedPolicyCatalogueTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task RealManagedPoliciesAttachAndMadeUpOnesAreRefused()
    {
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "managed_policies_client.py");

        Assert.InRange(result.GetProperty("count").GetInt32(), 1400, 2000);
        Assert.Equal(8, result.GetProperty("jobFunctions").GetInt32());
        Assert.True(result.GetProperty("viewOnly").GetBoolean());
        Assert.Equal("/service-role/", result.GetProperty("lambdaBasic").GetString());
        Assert.Equal("{\"Version\": \"2012-10-17\", \"Statement\": [{\"Action\": \"*\", \"Resource\": \"*\", \"Effect\": \"Allow\"}]}", result.GetProperty("adminDocument").GetRawText());
        Assert.Equal("[\"CREATE_COMPLETE\", null]", result.GetProperty("real").GetRawText());
        Assert.True(result.GetProperty("attached").GetBoolean());
        var madeUp = result.GetProperty("madeUp");
        Assert.Equal("ROLLBACK_COMPLETE", madeUp[0].GetString());
        Assert.Contains("Policy arn:aws:iam::aws:policy/NoSuchManagedPolicyAtAll does not exist or is not attachable.", madeUp[1].GetString());
    }
}
