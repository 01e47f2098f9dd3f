namespace CloudPatterns.LocalCloud.Tests.CloudFormation;

/// <summary>
/// CloudFormation provisions under AWS's authorization, through boto3 over HTTP: without a role a resource the caller
/// may not create fails in the registry handlers' words and the stack rolls back; with RoleARN the service role's
/// permissions apply, DescribeStacks returns it and DeleteStack uses it; RoleARN needs iam:PassRole and a role
/// CloudFormation may assume.
/// </summary>
public sealed class ProvisioningAuthorizationTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task StackResources_AreAuthorizedAsTheCaller_OrAsTheServiceRoleItPasses()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var account = fixture.Organization.ManagementAccountId;
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "provisioning_authorization_client.py", suffix);
        var serviceRole = result.GetProperty("serviceRole").GetString();

        var asCaller = result.GetProperty("asCaller");
        Assert.Equal("ROLLBACK_COMPLETE", asCaller[0].GetString());
        Assert.Matches(
            "^Resource handler returned message: \"User: arn:aws:sts::" + account + ":assumed-role/cfn-deployer-" + suffix + "/deploy is not authorized to perform: "
            + "s3:CreateBucket on resource: arn:aws:s3:::provisioned-" + suffix + " because no identity-based policy allows the s3:CreateBucket action "
            + @"\(Service: S3, Status Code: 403, Request ID: [0-9a-f-]{36}\)"" \(RequestToken: [0-9a-f-]{36}, HandlerErrorCode: AccessDenied\)$",
            asCaller[1].GetString());

        Assert.Equal($"[\"CREATE_COMPLETE\", \"{serviceRole}\", true]", result.GetProperty("asRole").GetRawText());
        Assert.Equal("DELETE_COMPLETE", result.GetProperty("deleted").GetString());

        var refusals = result.GetProperty("refusals");
        Assert.Equal(
            $"AccessDenied: User: arn:aws:sts::{account}:assumed-role/cfn-nopass-{suffix}/deploy is not authorized to perform: iam:PassRole on resource: {serviceRole} because no identity-based policy allows the iam:PassRole action",
            refusals.GetProperty("noPassRole").GetString());
        Assert.Equal($"ValidationError: Role arn:aws:iam::{account}:role/cfn-untrusting-{suffix} is invalid or cannot be assumed", refusals.GetProperty("untrusting").GetString());
        Assert.Equal($"ValidationError: Role arn:aws:iam::{account}:role/cfn-none-{suffix} is invalid or cannot be assumed", refusals.GetProperty("missingRole").GetString());
    }
}
