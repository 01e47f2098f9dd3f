namespace CloudPatterns.LocalCloud.Tests;

/// <summary>
/// How LocalCloud refuses, as the AWS CLI v2 reports it: trust policies, expired, unknown and wrongly signed
/// credentials, management-only APIs. (The operations themselves run through both CLIs in CliConformanceTests.)
/// </summary>
public sealed class CliRefusalTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    private const string ExecutionRole = "arn:aws:iam::333333333333:role/CloudPatternsExecution";

    [Fact]
    public async Task AssumeRole_ExecutionRoleWithAWrongOrMissingExternalId_IsAccessDenied()
    {
        var results = await Task.WhenAll(
            RunAsync(fixture.Management, "sts", "assume-role", "--role-arn", ExecutionRole, "--role-session-name", "cli-test", "--external-id", "not-the-id"),
            RunAsync(fixture.Management, "sts", "assume-role", "--role-arn", ExecutionRole, "--role-session-name", "cli-test"));

        foreach (var result in results)
        {
            Assert.Equal("AccessDenied", result.ErrorCode);
            Assert.Contains(
                $"User: arn:aws:iam::111111111111:user/admin is not authorized to perform: sts:AssumeRole on resource: {ExecutionRole}",
                result.Error,
                StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ExpiredTemporaryCredentials_AreRefusedWithExpiredToken()
    {
        var assumed = await ManagementJsonAsync(
            "sts", "assume-role", "--role-arn", "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole", "--role-session-name", "expiring", "--duration-seconds", "900");
        var credentials = AwsCredentials.FromAssumeRole(assumed);
        fixture.Server.Clock.Advance(TimeSpan.FromMinutes(16));

        var results = await Task.WhenAll(
            RunAsync(credentials, "sts", "get-caller-identity"),
            RunAsync(credentials, "organizations", "describe-organization"));

        Assert.Equal("ExpiredToken", results[0].ErrorCode);
        Assert.Contains("The security token included in the request is expired", results[0].Error, StringComparison.Ordinal);
        Assert.Equal("ExpiredTokenException", results[1].ErrorCode);
    }

    [Fact]
    public async Task WrongSecret_IsRefusedWithEachProtocolsSignatureError()
    {
        var wrongSecret = fixture.Management with { SecretAccessKey = "not-the-secret-key-of-the-management-acct" };

        var results = await Task.WhenAll(
            RunAsync(wrongSecret, "sts", "get-caller-identity"),
            RunAsync(wrongSecret, "organizations", "list-roots"),
            RunAsync(wrongSecret, "backup", "list-backup-vaults"));

        Assert.Equal("SignatureDoesNotMatch", results[0].ErrorCode);
        Assert.Equal("InvalidSignatureException", results[1].ErrorCode);
        Assert.Equal("InvalidSignatureException", results[2].ErrorCode);
    }

    [Fact]
    public async Task UnknownAccessKey_IsRefusedWithEachProtocolsInvalidTokenError()
    {
        var unknown = new AwsCredentials("AKIAUNKNOWNKEY000000", "whatever-secret");

        var results = await Task.WhenAll(
            RunAsync(unknown, "sts", "get-caller-identity"),
            RunAsync(unknown, "organizations", "list-roots"),
            RunAsync(unknown, "cloudformation", "list-stacks"));

        Assert.Equal("InvalidClientTokenId", results[0].ErrorCode);
        Assert.Equal("UnrecognizedClientException", results[1].ErrorCode);
        Assert.Equal("InvalidClientTokenId", results[2].ErrorCode);
    }

    [Fact]
    public async Task MemberAccount_IsRefusedManagementOnlyApis()
    {
        var member = fixture.AdminOf("333333333333");

        var results = await Task.WhenAll(
            RunAsync(member, "organizations", "list-accounts"),
            RunAsync(member, "backup", "update-global-settings", "--global-settings", "isCrossAccountBackupEnabled=true"));

        Assert.Equal("AccessDeniedException", results[0].ErrorCode);
        Assert.Contains("You don't have permissions to access this resource.", results[0].Error, StringComparison.Ordinal);
        Assert.Equal("InvalidRequestException", results[1].ErrorCode);
    }

    [Fact]
    public async Task S3Requests_AreVerifiedWithS3sSigningRulesAndRefusedInS3sShape()
    {
        var body = Path.Combine(Path.GetTempPath(), $"localcloud-object-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(body, "object body");
        try
        {
            var results = await Task.WhenAll(
                RunAsync(fixture.Management, "s3api", "put-object", "--bucket", "evidence", "--key", "2026/report.json", "--body", body),
                RunAsync(fixture.Management with { SecretAccessKey = "wrong-secret" }, "s3api", "list-buckets"),
                RunAsync(new AwsCredentials("AKIAUNKNOWNKEY000000", "whatever"), "s3api", "list-buckets"));

            // The signed upload passed SigV4 (payload hash header, path-style URI): it is attributed to its caller.
            Assert.Contains(fixture.Server.State.RequestLog.Snapshot(), entry => entry is { Service: "s3", AccountId: "111111111111" });
            Assert.Equal("SignatureDoesNotMatch", results[1].ErrorCode);
            Assert.Contains("Check your key and signing method.", results[1].Error, StringComparison.Ordinal);
            Assert.Equal("InvalidAccessKeyId", results[2].ErrorCode);
        }
        finally
        {
            File.Delete(body);
        }
    }

    private async Task<System.Text.Json.JsonElement> ManagementJsonAsync(params string[] arguments) => (await RunAsync(fixture.Management, arguments)).Json;

    private Task<ProcessResult> RunAsync(AwsCredentials credentials, params string[] arguments) =>
        AwsClients.RunCliAsync(AwsCli.V2, fixture.Server, credentials, arguments);
}
