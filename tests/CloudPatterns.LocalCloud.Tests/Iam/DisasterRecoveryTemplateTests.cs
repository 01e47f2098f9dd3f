using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using CloudPatterns.LocalCloud.CloudFormation.Stacks;

namespace CloudPatterns.LocalCloud.Tests.Iam;

/// <summary>
/// The module's disaster-recovery templates (templates/disaster-recovery) deploy into LocalCloud with their IAM roles
/// made for real: the member plan's backup role is what its selection names, and the execution role's policy is the
/// one the cmdlets need.
/// </summary>
public sealed class DisasterRecoveryTemplateTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task The_dr_templates_create_their_roles_in_iam()
    {
        var execution = await DeployAsync("444444444444", "dr-execution", "execution-roles.yaml", new()
        {
            ["TrustedAccountId"] = "111111111111",
            ["ExternalId"] = "template-test",
            ["RoleName"] = "TemplateExecution",
        });
        var member = await DeployAsync("333333333333", "dr-member", "member-backup-plan.yaml", new() { ["VaultAccountId"] = "222222222222" });
        var pilotLight = await DeployAsync("555555555555", "dr-pilot-light", "pilot-light-dr-account.yaml", new()
        {
            ["OrganizationId"] = cloud.Organization.Id,
            ["VaultAccountId"] = "222222222222",
        });

        Assert.Equal(("CREATE_COMPLETE", "CREATE_COMPLETE", "CREATE_COMPLETE"), (execution.Status, member.Status, pilotLight.Status));
        var iam = cloud.Server.State.Iam;
        var executionRole = iam.GetRole("444444444444", "TemplateExecution");
        Assert.Contains("iam:GetRole", iam.GetRolePolicy("444444444444", "TemplateExecution", "dr-readiness"), StringComparison.Ordinal);
        Assert.Contains("template-test", executionRole.AssumeRolePolicyDocument, StringComparison.Ordinal);
        var backupRoleArn = member.Outputs.Single(output => output.OutputKey == "BackupRoleArn").OutputValue;
        var backupRole = iam.FindRole(backupRoleArn);
        Assert.NotNull(backupRole);
        Assert.Equal(("/service-role/", backupRoleArn), (backupRole.Path, backupRole.Arn));
        Assert.Equal(
            ["arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup", "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores"],
            backupRole.AttachedPolicyArns);
        var restoreRole = Assert.Single(iam.ListRoles("555555555555", "/service-role/"), role => role.RoleName.StartsWith("dr-pilot-light-RestoreRole-", StringComparison.Ordinal));
        // It backs up too: a failback backs up what changed in the DR account (docs/dr-failover.md).
        Assert.Equal(
            ["arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup", "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores"],
            restoreRole.AttachedPolicyArns);
    }

    [Fact]
    public async Task The_execution_role_writes_evidence_only_with_the_evidence_keys_permissions()
    {
        // One evidence bucket per writer role: the bucket policy lets only its named writer put evidence.
        var run = Guid.NewGuid().ToString("N")[..8];
        var keys = new Dictionary<string, string>();
        foreach (var role in new[] { "WithoutKey", "WithKey" })
        {
            var bucket = $"evidence-{run}-{role.ToLowerInvariant()}";
            var evidence = await DeployAsync("222222222222", $"{bucket}-stack", "evidence-bucket.yaml", new() { ["BucketName"] = bucket, ["EvidenceWriterRoleName"] = $"{run}-{role}" });
            keys[role] = evidence.Outputs.Single(output => output.OutputKey == "KeyArn").OutputValue;
            var stack = await DeployAsync("222222222222", $"{bucket}-role", "execution-roles.yaml", new()
            {
                ["TrustedAccountId"] = "111111111111",
                ["ExternalId"] = "evidence-test",
                ["RoleName"] = $"{run}-{role}",
                ["EvidenceBucketName"] = bucket,
                ["EvidenceKeyArn"] = role == "WithKey" ? keys[role] : "",
            });
            Assert.Equal(("CREATE_COMPLETE", "CREATE_COMPLETE"), (evidence.Status, stack.Status));
        }

        using var withoutKey = await EvidenceWriterAsync($"{run}-WithoutKey");
        using var withKey = await EvidenceWriterAsync($"{run}-WithKey");
        var refused = await Assert.ThrowsAsync<AmazonS3Exception>(() => withoutKey.PutObjectAsync(Evidence($"evidence-{run}-withoutkey")));
        var written = await withKey.PutObjectAsync(Evidence($"evidence-{run}-withkey"));

        Assert.Equal("AccessDenied", refused.ErrorCode);
        Assert.EndsWith($"is not authorized to perform: kms:GenerateDataKey on resource: {keys["WithoutKey"]} because no identity-based policy allows the kms:GenerateDataKey action", refused.Message, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.OK, written.HttpStatusCode);
    }

    // Evidence is written once: the bucket policy refuses a put without If-None-Match.
    private static PutObjectRequest Evidence(string bucket) => new() { BucketName = bucket, Key = "dr-validation/run-1.json", ContentBody = "{}", IfNoneMatch = "*" };

    private async Task<AmazonS3Client> EvidenceWriterAsync(string roleName)
    {
        var management = cloud.Organization.ManagementCredentials;
        using var sts = new AmazonSecurityTokenServiceClient(
            new BasicAWSCredentials(management.AccessKeyId, management.SecretAccessKey),
            new AmazonSecurityTokenServiceConfig { ServiceURL = cloud.Server.Url.ToString(), AuthenticationRegion = "us-east-2" });
        var session = (await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = $"arn:aws:iam::222222222222:role/{roleName}", RoleSessionName = "evidence", ExternalId = "evidence-test" })).Credentials;
        return new AmazonS3Client(
            new SessionAWSCredentials(session.AccessKeyId, session.SecretAccessKey, session.SessionToken),
            new AmazonS3Config { ServiceURL = cloud.Server.Url.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-2", MaxErrorRetry = 0 });
    }

    private async Task<Stack> DeployAsync(string accountId, string name, string template, Dictionary<string, string> parameters)
    {
        var stack = cloud.Server.State.CloudFormation.CreateStack(accountId, "us-east-2", new StackInput
        {
            StackName = name,
            TemplateBody = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "templates", "disaster-recovery", template)),
            Parameters = parameters,
            Capabilities = ["CAPABILITY_NAMED_IAM"],
        });
        await stack.Operation;
        return stack;
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory.FullName, "CloudPatterns.sln")))
        {
            directory = directory.Parent ?? throw new InvalidOperationException("The tests run outside the repository.");
        }

        return directory.FullName;
    }
}
