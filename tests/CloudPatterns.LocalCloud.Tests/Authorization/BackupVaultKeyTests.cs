using System.Net;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Tests.Backup;
using CloudPatterns.LocalCloud.Tests.Support;

namespace CloudPatterns.LocalCloud.Tests.Authorization;

/// <summary>
/// A backup vault's customer managed key, enforced as AWS does (docs/localcloud-authorization.md, "Backup vault keys"):
/// creating the vault needs the caller's five KMS permissions on the key; a backup, copy or restore job's role needs
/// kms:DescribeKey and kms:CreateGrant on the key of the vault it writes or reads, from its own policies and the key
/// policy, or the job fails naming the action.
/// </summary>
public sealed class BackupVaultKeyTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    private const string BackupTrust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"backup.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
    private readonly AwsCaller production = cloud.As("production");
    private readonly string suffix = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task CreateBackupVault_WithAKey_IsRefusedNamingTheKmsActionTheCallerOrTheKeyPolicyLacks()
    {
        var delegating = await production.CreateKeyAsync(shareWithOrganization: false);
        var adminOnly = await CreateKeyAsync(new JsonObject
        {
            ["Effect"] = "Allow",
            ["Principal"] = new JsonObject { ["AWS"] = $"arn:aws:iam::{production.Account.Id}:user/admin" },
            ["Action"] = "kms:*",
            ["Resource"] = "*",
        });
        var vaultsOnly = await RoleCallerAsync($"VaultMaker-{suffix}", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["backup:CreateBackupVault","kms:DescribeKey","kms:RetireGrant","kms:Decrypt","kms:GenerateDataKey"],"Resource":"*"}]}""");
        var withKeyUse = await RoleCallerAsync($"VaultKeyUser-{suffix}", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["backup:CreateBackupVault","kms:CreateGrant","kms:DescribeKey","kms:RetireGrant","kms:Decrypt","kms:GenerateDataKey"],"Resource":"*"}]}""");

        var noGrant = await vaultsOnly.Caller.BackupAsync(HttpMethod.Put, $"/backup-vaults/nogrant-{suffix}", new { EncryptionKeyArn = delegating });
        var keyPolicyRefuses = await withKeyUse.Caller.BackupAsync(HttpMethod.Put, $"/backup-vaults/keypolicy-{suffix}", new { EncryptionKeyArn = adminOnly });
        var created = await withKeyUse.Caller.BackupAsync(HttpMethod.Put, $"/backup-vaults/created-{suffix}", new { EncryptionKeyArn = delegating });
        var defaultKey = await vaultsOnly.Caller.BackupAsync(HttpMethod.Put, $"/backup-vaults/default-{suffix}", new { });

        Assert.Equal((HttpStatusCode.Forbidden, "AccessDeniedException"), (noGrant.Status, noGrant.ErrorType));
        Assert.Equal($"User: {vaultsOnly.Arn} is not authorized to perform: kms:CreateGrant on resource: {delegating} because no identity-based policy allows the kms:CreateGrant action", noGrant.Message);
        Assert.Equal($"User: {withKeyUse.Arn} is not authorized to perform: kms:CreateGrant on resource: {adminOnly} because no resource-based policy allows the kms:CreateGrant action", keyPolicyRefuses.Message);
        Assert.Equal(HttpStatusCode.OK, created.Status);
        Assert.Equal(HttpStatusCode.OK, defaultKey.Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await production.BackupAsync(HttpMethod.Get, $"/backup-vaults/nogrant-{suffix}")).Status);
    }

    [Fact]
    public async Task BackupAndRestoreJobs_FailNamingTheKmsActionTheJobRoleLacksOnTheVaultKey()
    {
        var key = await production.CreateKeyAsync(shareWithOrganization: false);
        await production.CreateVaultAsync($"cmk-{suffix}", key);
        var noKeyRole = await CreateRoleAsync($"BackupNoKey-{suffix}", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["dynamodb:*","backup:*"],"Resource":"*"}]}""");
        var describeOnlyRole = await CreateRoleAsync($"BackupDescribeOnly-{suffix}", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["dynamodb:*","backup:*","kms:DescribeKey"],"Resource":"*"}]}""");

        var refusedBackup = await StartBackupAsync($"cmk-{suffix}", noKeyRole);
        var point = (await StartBackupAsync($"cmk-{suffix}", production.RoleArn())).RecoveryPoint;
        await cloud.AdvanceClockAsync("PT1H");
        var refusedRestore = await StartRestoreAsync(point, describeOnlyRole, $"refused-{suffix}");
        var restore = await StartRestoreAsync(point, production.RoleArn(), $"restored-{suffix}");
        await cloud.AdvanceClockAsync("PT2H");

        var backupJob = (await production.BackupAsync(HttpMethod.Get, $"/backup-jobs/{refusedBackup.JobId}")).Ok();
        Assert.Equal("FAILED", backupJob["State"]!.GetValue<string>());
        Assert.Equal(
            $"User: arn:aws:sts::{production.Account.Id}:assumed-role/BackupNoKey-{suffix}/AWSBackup is not authorized to perform: kms:DescribeKey on resource: {key} because no identity-based policy allows the kms:DescribeKey action",
            backupJob["StatusMessage"]!.GetValue<string>());
        Assert.DoesNotContain(await production.RecoveryPointsAsync($"cmk-{suffix}"), found => found["RecoveryPointArn"]!.GetValue<string>() == refusedBackup.RecoveryPoint);
        var restoreJob = (await production.BackupAsync(HttpMethod.Get, $"/restore-jobs/{refusedRestore}")).Ok();
        Assert.Equal(("FAILED", $"User: arn:aws:sts::{production.Account.Id}:assumed-role/BackupDescribeOnly-{suffix}/AWSBackup is not authorized to perform: kms:CreateGrant on resource: {key} because no identity-based policy allows the kms:CreateGrant action"),
            (restoreJob["Status"]!.GetValue<string>(), restoreJob["StatusMessage"]!.GetValue<string>()));
        Assert.Equal("COMPLETED", (await production.BackupAsync(HttpMethod.Get, $"/restore-jobs/{restore}")).Ok()["Status"]!.GetValue<string>());
    }

    [Fact]
    public async Task ACopyIntoAVaultWhoseKeyPolicyDoesNotAdmitTheSourceAccount_FailsNamingKmsDescribeKey()
    {
        var logArchive = cloud.As("log-archive");
        await cloud.As("management").SetCrossAccountBackupAsync(true);
        await production.CreateVaultAsync($"source-{suffix}", await production.CreateKeyAsync(shareWithOrganization: true));
        var accountOnlyKey = await logArchive.CreateKeyAsync(shareWithOrganization: false);
        var sharedKey = await logArchive.CreateKeyAsync(shareWithOrganization: true);
        foreach (var (vault, key) in new[] { ($"private-{suffix}", accountOnlyKey), ($"shared-{suffix}", sharedKey) })
        {
            await logArchive.CreateVaultAsync(vault, key);
            await logArchive.AllowOrganizationCopiesAsync(vault);
        }

        var point = await production.StartTableBackupAsync($"source-{suffix}");
        await cloud.AdvanceClockAsync("PT1H");
        var refused = await production.StartCopyAsync($"source-{suffix}", point, logArchive.VaultArn($"private-{suffix}"));
        var copied = await production.StartCopyAsync($"source-{suffix}", point, logArchive.VaultArn($"shared-{suffix}"));
        await cloud.AdvanceClockAsync("PT1H");

        var job = await production.DescribeCopyJobAsync(refused);
        Assert.Equal(
            ("FAILED", $"User: arn:aws:sts::{production.Account.Id}:assumed-role/AWSBackupDefaultServiceRole/AWSBackup is not authorized to perform: kms:DescribeKey on resource: {accountOnlyKey} because no resource-based policy allows the kms:DescribeKey action"),
            (job["State"]!.GetValue<string>(), job["StatusMessage"]!.GetValue<string>()));
        Assert.Empty(await logArchive.RecoveryPointsAsync($"private-{suffix}"));
        Assert.Equal("COMPLETED", (await production.DescribeCopyJobAsync(copied))["State"]!.GetValue<string>());
    }

    private async Task<string> CreateKeyAsync(JsonObject statement)
    {
        var policy = new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = new JsonArray(statement) };
        return (await production.JsonAsync("kms", "TrentService.CreateKey", new { Policy = policy.ToJsonString(), BypassPolicyLockoutSafetyCheck = true })).Ok()["KeyMetadata"]!["Arn"]!.GetValue<string>();
    }

    private async Task<string> CreateRoleAsync(string roleName, string policy, string trust = BackupTrust)
    {
        (await production.QueryAsync("iam", "CreateRole", "2010-05-08", new Dictionary<string, string> { ["RoleName"] = roleName, ["AssumeRolePolicyDocument"] = trust })).Ok();
        (await production.QueryAsync("iam", "PutRolePolicy", "2010-05-08", new Dictionary<string, string> { ["RoleName"] = roleName, ["PolicyName"] = "inline", ["PolicyDocument"] = policy })).Ok();
        return $"arn:aws:iam::{production.Account.Id}:role/{roleName}";
    }

    /// <summary>A role of production trusted by its own account, with one inline policy, and a caller with its session.</summary>
    private async Task<(AwsCaller Caller, string Arn)> RoleCallerAsync(string roleName, string policy)
    {
        var roleArn = await CreateRoleAsync(roleName, policy, $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{production.Account.Id}}:root"},"Action":"sts:AssumeRole"}]}""");
        var xml = (await production.QueryAsync("sts", "AssumeRole", "2011-06-15", new Dictionary<string, string> { ["RoleArn"] = roleArn, ["RoleSessionName"] = "test" })).Ok()["xml"]!.GetValue<string>();
        string Field(string name) => System.Xml.Linq.XDocument.Parse(xml).Descendants().First(element => element.Name.LocalName == name).Value;
        var session = new Amazon.Runtime.SessionAWSCredentials(Field("AccessKeyId"), Field("SecretAccessKey"), Field("SessionToken"));
        return (production.With(session), Field("Arn"));
    }

    private async Task<(string JobId, string RecoveryPoint)> StartBackupAsync(string vault, string roleArn)
    {
        var answer = (await production.BackupAsync(HttpMethod.Put, "/backup-jobs", new { BackupVaultName = vault, ResourceArn = production.TableArn(), IamRoleArn = roleArn })).Ok();
        return (answer["BackupJobId"]!.GetValue<string>(), answer["RecoveryPointArn"]!.GetValue<string>());
    }

    private async Task<string> StartRestoreAsync(string recoveryPoint, string roleArn, string tableName) =>
        (await production.BackupAsync(HttpMethod.Put, "/restore-jobs", new
        {
            RecoveryPointArn = recoveryPoint,
            IamRoleArn = roleArn,
            Metadata = new Dictionary<string, string> { ["TargetTableName"] = tableName },
        })).Ok()["RestoreJobId"]!.GetValue<string>();
}
