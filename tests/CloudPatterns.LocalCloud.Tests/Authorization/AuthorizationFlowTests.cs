using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using CloudPatterns.LocalCloud.Tests.Backup;
using CloudPatterns.LocalCloud.Tests.Support;

namespace CloudPatterns.LocalCloud.Tests.Authorization;

/// <summary>
/// Every request authorized as AWS does, over HTTP with SigV4: an SCP on the Workloads OU, SSE-KMS under a key that does
/// not grant the caller, a role's identity policy, and the request log's decisions.
/// </summary>
public sealed class AuthorizationFlowTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    private const string Production = "333333333333";
    private readonly string suffix = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Scp_OnTheWorkloadsOu_RefusesDeleteRecoveryPoint_NamingTheScp_AndSparesTheManagementAccount()
    {
        var management = cloud.As("management");
        var production = cloud.As("production");
        await production.CreateVaultAsync($"vault-{suffix}");
        var point = await production.StartTableBackupAsync($"vault-{suffix}");
        await cloud.AdvanceClockAsync("PT1H");
        await management.CreateVaultAsync($"mgmt-{suffix}");
        var workloads = cloud.Organization.OrganizationalUnits.Single(unit => unit.Name == "Workloads").Id;
        var policy = (await Organizations(management, "CreatePolicy", new
        {
            Name = $"deny-delete-{suffix}",
            Description = "recovery points are kept",
            Type = "SERVICE_CONTROL_POLICY",
            Content = """{"Version":"2012-10-17","Statement":[{"Sid":"KeepRecoveryPoints","Effect":"Deny","Action":"backup:DeleteRecoveryPoint","Resource":"*"}]}""",
        })).Ok()["Policy"]!["PolicySummary"]!;
        var policyId = policy["Id"]!.GetValue<string>();
        (await Organizations(management, "AttachPolicy", new { PolicyId = policyId, TargetId = workloads })).Ok();
        (await Organizations(management, "AttachPolicy", new { PolicyId = policyId, TargetId = cloud.Organization.ManagementAccountId })).Ok();

        var refused = await production.BackupAsync(HttpMethod.Delete, $"/backup-vaults/vault-{suffix}/recovery-points/{Uri.EscapeDataString(point)}");
        var managementCall = await management.BackupAsync(HttpMethod.Delete, $"/backup-vaults/mgmt-{suffix}/recovery-points/{Uri.EscapeDataString(point.Replace(Production, cloud.Organization.ManagementAccountId, StringComparison.Ordinal))}");
        (await Organizations(management, "DetachPolicy", new { PolicyId = policyId, TargetId = workloads })).Ok();
        var afterDetach = await production.BackupAsync(HttpMethod.Delete, $"/backup-vaults/vault-{suffix}/recovery-points/{Uri.EscapeDataString(point)}");

        Assert.Equal((HttpStatusCode.Forbidden, "AccessDeniedException"), (refused.Status, refused.ErrorType));
        Assert.Equal(
            $"User: arn:aws:iam::{Production}:user/admin is not authorized to perform: backup:DeleteRecoveryPoint on resource: {point} with an explicit deny in a service control policy: {policy["Arn"]!.GetValue<string>()}",
            refused.Message);
        Assert.NotEqual("AccessDeniedException", managementCall.ErrorType);
        Assert.Equal(HttpStatusCode.OK, afterDetach.Status);
    }

    [Fact]
    public async Task SseKms_UnderAKeyThatDoesNotGrantTheCaller_RefusesPutObject_WithAwsMessage()
    {
        var production = cloud.As("production");
        var adminArn = $"arn:aws:iam::{Production}:user/admin";
        var keyPolicy = new JsonObject
        {
            ["Version"] = "2012-10-17",
            ["Statement"] = new JsonArray(new JsonObject
            {
                ["Sid"] = "AdminOnly",
                ["Effect"] = "Allow",
                ["Principal"] = new JsonObject { ["AWS"] = adminArn },
                ["Action"] = "kms:*",
                ["Resource"] = "*",
            }),
        };
        var keyArn = (await production.JsonAsync("kms", "TrentService.CreateKey", new { Policy = keyPolicy.ToJsonString(), BypassPolicyLockoutSafetyCheck = true })).Ok()["KeyMetadata"]!["Arn"]!.GetValue<string>();
        var bucket = $"sse-{suffix}";
        using var admin = S3(new BasicAWSCredentials(production.Account.Admin.AccessKeyId, production.Account.Admin.SecretAccessKey));
        await CreateSseKmsBucketAsync(admin, bucket, keyArn);
        var writer = await AssumeRoleWithPolicyAsync(production, $"Writer-{suffix}", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","kms:*"],"Resource":"*"}]}""");

        using var writerS3 = S3(writer.Credentials);
        var refused = await Assert.ThrowsAsync<AmazonS3Exception>(() => writerS3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "run.json", ContentBody = "{}" }));
        await admin.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "run.json", ContentBody = "{}" });
        var readRefused = await Assert.ThrowsAsync<AmazonS3Exception>(() => writerS3.GetObjectAsync(bucket, "run.json"));
        using var read = await admin.GetObjectAsync(bucket, "run.json");

        Assert.Equal((HttpStatusCode.Forbidden, "AccessDenied"), (refused.StatusCode, refused.ErrorCode));
        Assert.Equal(
            $"User: {writer.Arn} is not authorized to perform: kms:GenerateDataKey on resource: {keyArn} because no resource-based policy allows the kms:GenerateDataKey action",
            refused.Message);
        Assert.Equal($"User: {writer.Arn} is not authorized to perform: kms:Decrypt on resource: {keyArn} because no resource-based policy allows the kms:Decrypt action", readRefused.Message);
        Assert.Equal(HttpStatusCode.OK, read.HttpStatusCode);
    }

    [Fact]
    public async Task MissingKey_IsNoSuchKeyOnlyToACallerThatMayListTheBucket_AnyoneElseGets403AccessDenied()
    {
        var production = cloud.As("production");
        var bucket = $"missing-{suffix}";
        using var admin = S3(new BasicAWSCredentials(production.Account.Admin.AccessKeyId, production.Account.Admin.SecretAccessKey));
        await admin.PutBucketAsync(new PutBucketRequest { BucketName = bucket, BucketRegion = S3Region.USEast2 });
        await admin.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "present.json", ContentBody = "{}" });
        await admin.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
        await admin.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "deleted.json", ContentBody = "{}" });
        await admin.DeleteObjectAsync(bucket, "deleted.json");
        var getOnly = await AssumeRoleWithPolicyAsync(production, $"GetOnly-{suffix}", $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::{{bucket}}/*"}]}""");
        var lister = await AssumeRoleWithPolicyAsync(production, $"Lister-{suffix}", $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::{{bucket}}/*"},{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::{{bucket}}"}]}""");
        using var getOnlyS3 = S3(getOnly.Credentials);
        using var listerS3 = S3(lister.Credentials);

        var refusedGet = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => getOnlyS3.GetObjectAsync(bucket, "absent.json"));
        var refusedHead = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => getOnlyS3.GetObjectMetadataAsync(bucket, "absent.json"));
        using var present = await getOnlyS3.GetObjectAsync(bucket, "present.json");
        var refusedDeleted = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => getOnlyS3.GetObjectAsync(bucket, "deleted.json"));
        var missingDeleted = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => listerS3.GetObjectAsync(bucket, "deleted.json"));
        var missingGet = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => listerS3.GetObjectAsync(bucket, "absent.json"));
        var missingHead = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => listerS3.GetObjectMetadataAsync(bucket, "absent.json"));
        // The bucket's own policy may grant the listing too.
        await admin.PutBucketPolicyAsync(bucket, $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Production}}:role/GetOnly-{{suffix}}"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::{{bucket}}"}]}""");
        var missingUnderBucketPolicy = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => getOnlyS3.GetObjectAsync(bucket, "absent.json"));

        Assert.Equal((HttpStatusCode.Forbidden, "AccessDenied", "Access Denied"), (refusedGet.StatusCode, refusedGet.ErrorCode, refusedGet.Message));
        Assert.Equal(HttpStatusCode.Forbidden, refusedHead.StatusCode);
        Assert.Equal(HttpStatusCode.OK, present.HttpStatusCode);
        // A key whose current version is a delete marker does not exist either.
        Assert.Equal((HttpStatusCode.Forbidden, "AccessDenied"), (refusedDeleted.StatusCode, refusedDeleted.ErrorCode));
        Assert.Equal((HttpStatusCode.NotFound, "NoSuchKey"), (missingDeleted.StatusCode, missingDeleted.ErrorCode));
        Assert.Equal((HttpStatusCode.NotFound, "NoSuchKey"), (missingGet.StatusCode, missingGet.ErrorCode));
        Assert.Equal(HttpStatusCode.NotFound, missingHead.StatusCode);
        Assert.Equal((HttpStatusCode.NotFound, "NoSuchKey"), (missingUnderBucketPolicy.StatusCode, missingUnderBucketPolicy.ErrorCode));

        // The request log shows the listing check the refusal came from, so least-privilege proofs see it.
        using var http = new HttpClient { BaseAddress = cloud.Server.Url };
        var refusedEntry = (await http.GetFromJsonAsync<JsonElement[]>("/_localcloud/requests"))!
            .First(entry => entry.GetProperty("callerArn").GetString() == getOnly.Arn && entry.GetProperty("operation").GetString() == "GetObject" && entry.GetProperty("statusCode").GetInt32() == 403);
        var listing = refusedEntry.GetProperty("checks").EnumerateArray().Last();
        Assert.Equal(("s3:ListBucket", $"arn:aws:s3:::{bucket}", "ImplicitDeny"),
            (listing.GetProperty("action").GetString(), listing.GetProperty("resource").GetString(), listing.GetProperty("decision").GetString()));
    }

    [Fact]
    public async Task RoleSession_IsRefusedWhatItsIdentityPolicyDoesNotAllow_AndTheRequestLogSaysWhy()
    {
        var production = cloud.As("production");
        var reader = await AssumeRoleWithPolicyAsync(production, $"Reader-{suffix}", """{"Version":"2012-10-17","Statement":[{"Sid":"ListVaults","Effect":"Allow","Action":"backup:List*","Resource":"*"}]}""");
        var session = production.With(reader.Credentials);

        var listed = await session.BackupAsync(HttpMethod.Get, "/backup-vaults");
        var refused = await session.JsonAsync("kms", "TrentService.CreateKey", new { Description = "not for readers" });

        listed.Ok();
        Assert.Equal((HttpStatusCode.BadRequest, "AccessDeniedException"), (refused.Status, refused.ErrorType));
        Assert.Equal($"User: {reader.Arn} is not authorized to perform: kms:CreateKey on resource: * because no identity-based policy allows the kms:CreateKey action", refused.Message);
        using var http = new HttpClient { BaseAddress = cloud.Server.Url };
        var log = (await http.GetFromJsonAsync<JsonElement[]>("/_localcloud/requests"))!.Where(entry => entry.GetProperty("callerArn").GetString() == reader.Arn).ToList();
        Assert.Contains(log, entry => entry.GetProperty("action").GetString() == "backup:ListBackupVaults"
            && entry.GetProperty("decision").GetString() == "Allow"
            && entry.GetProperty("decidedBy").GetString() == $"arn:aws:iam::{Production}:role/Reader-{suffix}/inline#ListVaults");
        Assert.Contains(log, entry => entry.GetProperty("action").GetString() == "kms:CreateKey"
            && entry.GetProperty("decision").GetString() == "ImplicitDeny"
            && entry.GetProperty("decidedBy").GetString() == "no Identity allow");
    }

    [Fact]
    public async Task AssumeRole_SessionPolicy_CapsTheRolesPermissions()
    {
        var production = cloud.As("production");
        var session = await AssumeRoleWithPolicyAsync(production, $"Capped-{suffix}", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"backup:*","Resource":"*"}]}""",
            sessionPolicy: """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"backup:ListBackupVaults","Resource":"*"}]}""");
        var caller = production.With(session.Credentials);

        (await caller.BackupAsync(HttpMethod.Get, "/backup-vaults")).Ok();
        var refused = await caller.BackupAsync(HttpMethod.Get, "/backup/plans");

        Assert.Equal($"User: {session.Arn} is not authorized to perform: backup:ListBackupPlans on resource: * because no session policy allows the backup:ListBackupPlans action", refused.Message);
    }

    [Fact]
    public async Task RequestLog_ListsTheChecksInsideARequest_WithTheConditionKeys_ThatTheSimulatorReplays()
    {
        var production = cloud.As("production");
        var delegating = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Production}}:root"},"Action":"kms:*","Resource":"*"}]}""";
        var keyArn = (await production.JsonAsync("kms", "TrentService.CreateKey", new { Policy = delegating })).Ok()["KeyMetadata"]!["Arn"]!.GetValue<string>();
        var bucket = $"checks-{suffix}";
        using var admin = S3(new BasicAWSCredentials(production.Account.Admin.AccessKeyId, production.Account.Admin.SecretAccessKey));
        await CreateSseKmsBucketAsync(admin, bucket, keyArn);
        var keyUse = """{"Sid":"KeyThroughS3","Effect":"Allow","Action":"kms:GenerateDataKey","Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"s3.us-east-2.amazonaws.com"}}}""";
        var writes = """{"Sid":"Writes","Effect":"Allow","Action":"s3:PutObject","Resource":"*"}""";
        var writer = await AssumeRoleWithPolicyAsync(production, $"Checked-{suffix}", $$"""{"Version":"2012-10-17","Statement":[{{writes}},{{keyUse}}]}""");
        using var writerS3 = S3(writer.Credentials);
        await writerS3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "run.json", ContentBody = "{}" });

        using var http = new HttpClient { BaseAddress = cloud.Server.Url };
        var put = (await http.GetFromJsonAsync<JsonElement[]>("/_localcloud/requests"))!
            .Single(entry => entry.GetProperty("callerArn").GetString() == writer.Arn && entry.GetProperty("operation").GetString() == "PutObject");
        var checks = put.GetProperty("checks").EnumerateArray().ToList();
        Assert.Equal(["s3:PutObject", "kms:GenerateDataKey"], checks.Select(check => check.GetProperty("action").GetString()));
        var inner = checks[1];
        Assert.Equal((keyArn, "Allow", $"arn:aws:iam::{Production}:role/Checked-{suffix}/inline#KeyThroughS3"),
            (inner.GetProperty("resource").GetString(), inner.GetProperty("decision").GetString(), inner.GetProperty("decidedBy").GetString()));
        var context = inner.GetProperty("context");
        Assert.Equal("s3.us-east-2.amazonaws.com", context.GetProperty("kms:ViaService")[0].GetString());

        // Replayed in IAM's simulator with its logged condition keys: the role's policy allows it, the policy without the
        // statement that decided it does not, and the condition keys matter (another ViaService is refused).
        var entries = context.EnumerateObject().Select(key => (key.Name, Values: key.Value.EnumerateArray().Select(value => value.GetString()!).ToList())).ToList();
        async Task<string> SimulateAsync(string statements, string viaService)
        {
            var parameters = new Dictionary<string, string> { ["PolicyInputList.member.1"] = $$"""{"Version":"2012-10-17","Statement":[{{statements}}]}""", ["ActionNames.member.1"] = "kms:GenerateDataKey", ["ResourceArns.member.1"] = keyArn };
            var index = 0;
            foreach (var (name, values) in entries)
            {
                index++;
                parameters[$"ContextEntries.member.{index}.ContextKeyName"] = name;
                parameters[$"ContextEntries.member.{index}.ContextKeyType"] = values.Count == 1 ? "string" : "stringList";
                var shown = name.Equals("kms:ViaService", StringComparison.OrdinalIgnoreCase) ? [viaService] : values;
                for (var value = 0; value < shown.Count; value++)
                {
                    parameters[$"ContextEntries.member.{index}.ContextKeyValues.member.{value + 1}"] = shown[value];
                }
            }

            var xml = (await production.QueryAsync("iam", "SimulateCustomPolicy", "2010-05-08", parameters)).Ok()["xml"]!.GetValue<string>();
            return System.Xml.Linq.XDocument.Parse(xml).Descendants().Single(element => element.Name.LocalName == "EvalDecision").Value;
        }

        Assert.Equal("allowed", await SimulateAsync($"{writes},{keyUse}", "s3.us-east-2.amazonaws.com"));
        Assert.Equal("implicitDeny", await SimulateAsync(writes, "s3.us-east-2.amazonaws.com"));
        Assert.Equal("implicitDeny", await SimulateAsync($"{writes},{keyUse}", "sqs.us-east-2.amazonaws.com"));
    }

    [Fact]
    public async Task OrganizationsAccountResource_NamesTheOrganization_SoPoliciesScopedToItsAccountsAllow()
    {
        var management = cloud.As("management");
        var managementId = cloud.Organization.ManagementAccountId;
        var member = cloud.Organization.Accounts.First(account => account.Id != managementId).Id;
        var scoped = await AssumeRoleWithPolicyAsync(management, $"OrgAccounts-{suffix}",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"organizations:DescribeAccount","Resource":"arn:aws:organizations::*:account/o-*/*"}]}""");
        var otherOrganization = await AssumeRoleWithPolicyAsync(management, $"OtherOrg-{suffix}",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"organizations:DescribeAccount","Resource":"arn:aws:organizations::*:account/o-aaaaaaaaaa/*"}]}""");

        var allowed = await Organizations(management.With(scoped.Credentials), "DescribeAccount", new { AccountId = member });
        var refused = await Organizations(management.With(otherOrganization.Credentials), "DescribeAccount", new { AccountId = member });

        Assert.Equal(member, allowed.Ok()["Account"]!["Id"]!.GetValue<string>());
        Assert.Equal("AccessDeniedException", refused.ErrorType);
        Assert.Equal(
            $"User: {otherOrganization.Arn} is not authorized to perform: organizations:DescribeAccount on resource: arn:aws:organizations::{managementId}:account/{cloud.Organization.Id}/{member} because no identity-based policy allows the organizations:DescribeAccount action",
            refused.Message);
    }

    private static Task<AwsAnswer> Organizations(AwsCaller caller, string operation, object body) =>
        caller.JsonAsync("organizations", $"AWSOrganizationsV20161128.{operation}", body);

    /// <summary>Creates a role in the caller's account trusted by the management account, with one inline policy, and assumes it.</summary>
    private async Task<(AWSCredentials Credentials, string Arn)> AssumeRoleWithPolicyAsync(AwsCaller owner, string roleName, string policy, string? sessionPolicy = null)
    {
        var trust = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{cloud.Organization.ManagementAccountId}}:root"},"Action":"sts:AssumeRole"}]}""";
        (await owner.QueryAsync("iam", "CreateRole", "2010-05-08", new Dictionary<string, string> { ["RoleName"] = roleName, ["AssumeRolePolicyDocument"] = trust })).Ok();
        (await owner.QueryAsync("iam", "PutRolePolicy", "2010-05-08", new Dictionary<string, string> { ["RoleName"] = roleName, ["PolicyName"] = "inline", ["PolicyDocument"] = policy })).Ok();
        var management = cloud.Organization.ManagementCredentials;
        using var sts = new AmazonSecurityTokenServiceClient(
            new BasicAWSCredentials(management.AccessKeyId, management.SecretAccessKey),
            new AmazonSecurityTokenServiceConfig { ServiceURL = cloud.Server.Url.ToString(), AuthenticationRegion = "us-east-2" });
        var assumed = await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = $"arn:aws:iam::{owner.Account.Id}:role/{roleName}", RoleSessionName = "test", Policy = sessionPolicy });
        return (new SessionAWSCredentials(assumed.Credentials.AccessKeyId, assumed.Credentials.SecretAccessKey, assumed.Credentials.SessionToken), assumed.AssumedRoleUser.Arn);
    }

    /// <summary>A bucket in us-east-2 whose default encryption is SSE-KMS under <paramref name="keyArn"/>.</summary>
    private static async Task CreateSseKmsBucketAsync(AmazonS3Client admin, string bucket, string keyArn)
    {
        await admin.PutBucketAsync(new PutBucketRequest { BucketName = bucket, BucketRegion = S3Region.USEast2 });
        await admin.PutBucketEncryptionAsync(new PutBucketEncryptionRequest
        {
            BucketName = bucket,
            ServerSideEncryptionConfiguration = new ServerSideEncryptionConfiguration
            {
                ServerSideEncryptionRules = [new ServerSideEncryptionRule { ServerSideEncryptionByDefault = new ServerSideEncryptionByDefault { ServerSideEncryptionAlgorithm = ServerSideEncryptionMethod.AWSKMS, ServerSideEncryptionKeyManagementServiceKeyId = keyArn } }],
            },
        });
    }

    private AmazonS3Client S3(AWSCredentials credentials) => new(
        credentials,
        new AmazonS3Config { ServiceURL = cloud.Server.Url.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-2", MaxErrorRetry = 0 });
}
