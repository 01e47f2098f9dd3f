using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace CloudPatterns.LocalCloud.Tests.S3;

/// <summary>
/// Who holds s3:BypassGovernanceRetention: administrators (the account's admin user, OrganizationAccountAccessRole,
/// CloudPatternsExecution) do; any other role does not, so GOVERNANCE refuses it even with the bypass header.
/// Also: another account's bucket is refused.
/// </summary>
public sealed class GovernanceBypassTests : IAsyncLifetime
{
    private const string LogArchive = "222222222222";
    private const string Bucket = "log-archive-evidence";
    private readonly string seedPath = Path.Combine(Path.GetTempPath(), $"localcloud-seed-{Guid.NewGuid():N}.yaml");
    private LocalCloudServer? server;

    private LocalCloudServer Server => server!;

    public async Task InitializeAsync()
    {
        // The sample organization plus an Auditor role in every member account, assumable from the management account.
        var seed = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "seeds", "sample-org.yaml"));
        await File.WriteAllTextAsync(seedPath, seed.Replace("memberAccountRoles:\n", """
            memberAccountRoles:
              - name: Auditor
                trustPolicy: |
                  {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}]}

            """.Replace("\r\n", "\n"), StringComparison.Ordinal));
        server = await LocalCloudServer.StartAsync(new LocalCloudOptions { SeedPath = seedPath });
    }

    public async Task DisposeAsync()
    {
        File.Delete(seedPath);
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task GovernanceBypass_IsHonouredForAdministratorRolesOnly()
    {
        using var owner = S3(AwsCredentials.Of(Server.Organization.FindAccount(LogArchive)!.Admin));
        await owner.PutBucketAsync(new PutBucketRequest { BucketName = Bucket, BucketRegion = S3Region.USEast2, ObjectLockEnabledForBucket = true });
        await owner.PutObjectLockConfigurationAsync(new PutObjectLockConfigurationRequest
        {
            BucketName = Bucket,
            ObjectLockConfiguration = new ObjectLockConfiguration
            {
                ObjectLockEnabled = ObjectLockEnabled.Enabled,
                Rule = new ObjectLockRule { DefaultRetention = new DefaultRetention { Mode = ObjectLockRetentionMode.Governance, Days = 7 } },
            },
        });
        var versionId = (await owner.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "run.json", ContentBody = "{}" })).VersionId;
        var bypassingDelete = new DeleteObjectRequest { BucketName = Bucket, Key = "run.json", VersionId = versionId, BypassGovernanceRetention = true };

        using var auditor = S3(await AssumeAsync("Auditor"));
        var refusal = await Assert.ThrowsAsync<AmazonS3Exception>(() => auditor.DeleteObjectAsync(bypassingDelete));
        Assert.Equal(("AccessDenied", HttpStatusCode.Forbidden), (refusal.ErrorCode, refusal.StatusCode));

        using var administrator = S3(await AssumeAsync("OrganizationAccountAccessRole"));
        var deleted = await administrator.DeleteObjectAsync(bypassingDelete);
        Assert.Equal(HttpStatusCode.NoContent, deleted.HttpStatusCode);
    }

    [Fact]
    public async Task AnotherAccountsBucket_IsAccessDenied()
    {
        using var owner = S3(AwsCredentials.Of(Server.Organization.FindAccount(LogArchive)!.Admin));
        await owner.PutBucketAsync(new PutBucketRequest { BucketName = "private-to-log-archive", BucketRegion = S3Region.USEast2 });

        using var production = S3(AwsCredentials.Of(Server.Organization.FindAccount("333333333333")!.Admin));
        var refusal = await Assert.ThrowsAsync<AmazonS3Exception>(() => production.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "private-to-log-archive" }));

        Assert.Equal(("AccessDenied", HttpStatusCode.Forbidden), (refusal.ErrorCode, refusal.StatusCode));
    }

    private async Task<AwsCredentials> AssumeAsync(string roleName)
    {
        var management = Server.Organization.ManagementCredentials;
        using var sts = new AmazonSecurityTokenServiceClient(
            new BasicAWSCredentials(management.AccessKeyId, management.SecretAccessKey),
            new AmazonSecurityTokenServiceConfig { ServiceURL = Server.Url.ToString(), AuthenticationRegion = "us-east-2" });
        var assumed = await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = $"arn:aws:iam::{LogArchive}:role/{roleName}", RoleSessionName = "bypass-test" });
        return new AwsCredentials(assumed.Credentials.AccessKeyId, assumed.Credentials.SecretAccessKey, assumed.Credentials.SessionToken);
    }

    private AmazonS3Client S3(AwsCredentials credentials) => new(
        credentials.SessionToken is { } token
            ? new SessionAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, token)
            : new BasicAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey),
        new AmazonS3Config { ServiceURL = Server.Url.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-2", MaxErrorRetry = 0 });
}
