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

    [Fact]
    public async Task ALoadBalancer_IsAuthorizedOnTheArnItsTypeMakes_NetForANetworkLoadBalancer()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var account = fixture.Organization.ManagementAccountId;
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "load_balancer_authorization_client.py", suffix);

        Assert.Equal("[\"CREATE_COMPLETE\", null]", result.GetProperty("network").GetRawText());
        var application = result.GetProperty("application");
        Assert.Equal("ROLLBACK_COMPLETE", application[0].GetString());
        Assert.Contains($"is not authorized to perform: elasticloadbalancing:CreateLoadBalancer on resource: arn:aws:elasticloadbalancing:us-east-2:{account}:loadbalancer/app/",
            application[1].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServiceManagedStackInstances_AreProvisionedAsTheStackSetsExecRole_UnderTheMemberAccountsScps()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var management = fixture.Organization.ManagementAccountId;
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "stackset_authorization_client.py", suffix);

        var role = Assert.Single(result.GetProperty("execRoles").EnumerateArray()).GetString()!;
        Assert.Matches("^stacksets-exec-[0-9a-f]{32}$", role);
        Assert.Equal("[\"AdministratorAccess\"]", result.GetProperty("execPolicies").GetRawText());
        Assert.Equal($"[\"arn:aws:iam::{management}:role/aws-service-role/stacksets.cloudformation.amazonaws.com/AWSServiceRoleForCloudFormationStackSetsOrgAdmin\"]", result.GetProperty("execTrust").GetRawText());

        // The SCP on the account's OU denies logs:CreateLogGroup: AdministratorAccess does not help the exec role.
        Assert.Equal("FAILED", result.GetProperty("denied").GetString());
        var denied = result.GetProperty("deniedInstance");
        Assert.Equal("333333333333", denied[0].GetString());
        Assert.Equal("FAILED", denied[1].GetString());
        Assert.Contains(
            $"User: arn:aws:sts::333333333333:assumed-role/{role}/AWSCloudFormation is not authorized to perform: logs:CreateLogGroup on resource: "
            + $"arn:aws:logs:us-east-2:333333333333:log-group:stackset-{suffix} with an explicit deny in a service control policy",
            denied[2].GetString(), StringComparison.Ordinal);

        // Without it the same instance deploys.
        Assert.Equal("SUCCEEDED", result.GetProperty("allowed").GetString());
        Assert.Equal("SUCCEEDED", result.GetProperty("allowedInstance").GetString());
        Assert.Equal($"[\"stackset-{suffix}\"]", result.GetProperty("logGroups").GetRawText());
    }
}
