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
        Assert.Equal(11, result.GetProperty("jobFunctions").GetInt32()); // three AmazonODB… job functions came in August 2026
        Assert.True(result.GetProperty("viewOnly").GetBoolean());
        Assert.Equal("/service-role/", result.GetProperty("lambdaBasic").GetString());
        // Created 2026-03-26, after the first snapshot (2026-03-07): the catalogue of 2026-08-22 has it (ManagedPolicies/README.md).
        Assert.Equal("ANPAZKAPJZG4KEX6FTLTS", result.GetProperty("devOpsAgent").GetString());
        Assert.Equal("{\"Version\": \"2012-10-17\", \"Statement\": [{\"Action\": \"*\", \"Resource\": \"*\", \"Effect\": \"Allow\"}]}", result.GetProperty("adminDocument").GetRawText());
        Assert.Equal("[\"CREATE_COMPLETE\", null]", result.GetProperty("real").GetRawText());
        Assert.True(result.GetProperty("attached").GetBoolean());
        var madeUp = result.GetProperty("madeUp");
        Assert.Equal("ROLLBACK_COMPLETE", madeUp[0].GetString());
        Assert.Contains("Policy arn:aws:iam::aws:policy/NoSuchManagedPolicyAtAll does not exist or is not attachable.", madeUp[1].GetString());
    }
}
