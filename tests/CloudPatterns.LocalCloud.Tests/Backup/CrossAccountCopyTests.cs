using System.Net;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Tests.Support;

namespace CloudPatterns.LocalCloud.Tests.Backup;

/// <summary>
/// The DR flow over HTTP with SigV4: production backs up on a schedule and copies into log-archive's vaults in
/// us-east-2 and us-west-2; each way AWS refuses a copy (vault policy, key policy, AWS-managed key, vault lock) fails
/// the copy job with AWS's message and copies nothing. The organization has opted in to cross-account backup.
/// </summary>
public sealed class CrossAccountCopyTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>, IAsyncLifetime
{
    private readonly AwsCaller production = cloud.As("production");
    private readonly AwsCaller logArchive = cloud.As("log-archive");
    private readonly AwsCaller logArchiveDr = cloud.As("log-archive", "us-west-2");
    private readonly string suffix = Guid.NewGuid().ToString("N")[..8];

    public async Task InitializeAsync()
    {
        await cloud.As("management").SetCrossAccountBackupAsync(true);
        await cloud.As("management", "us-west-2").SetCrossAccountBackupAsync(true);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_scheduled_rule_backs_up_the_tagged_resources_and_copies_them_to_log_archive_in_both_regions()
    {
        // From midnight, 26 hours hold exactly one 05:00 run, long finished (backup and copies) when the clock stops.
        await cloud.MoveClockToNextMidnightAsync();
        await production.CreateVaultAsync($"prod-{suffix}", await production.CreateKeyAsync(shareWithOrganization: true));
        var central = await logArchive.CreateVaultAsync($"central-{suffix}");
        var centralDr = await logArchiveDr.CreateVaultAsync($"central-dr-{suffix}");
        await logArchive.AllowOrganizationCopiesAsync($"central-{suffix}");
        await logArchiveDr.AllowOrganizationCopiesAsync($"central-dr-{suffix}");
        var planId = await CreateDailyPlanAsync(
            $"prod-{suffix}",
            new JsonArray(CopyAction(central, 90), CopyAction(centralDr, 90)),
            new JsonObject { ["ListOfTags"] = new JsonArray(new JsonObject { ["ConditionType"] = "STRINGEQUALS", ["ConditionKey"] = "backup", ["ConditionValue"] = "daily" }) });

        Assert.Empty(await logArchive.RecoveryPointsAsync($"central-{suffix}"));
        await cloud.AdvanceClockAsync("PT26H");

        // The seed's production resources tagged backup=daily: one of each type (its file system's id is generated).
        var seedResources = new[]
        {
            "arn:aws:dynamodb:us-east-2:333333333333:table/production-orders",
            "arn:aws:ec2:us-east-2:333333333333:instance/i-03333333333330001",
            "arn:aws:ec2:us-east-2:333333333333:volume/vol-03333333333330001",
            cloud.Server.State.Efs.Store.List("333333333333", "us-east-2", null, "production-shared").Single().FileSystem.Arn,
            "arn:aws:rds:us-east-2:333333333333:cluster:production-aurora",
            "arn:aws:rds:us-east-2:333333333333:db:production-db",
            "arn:aws:s3:::production-assets-333333333333",
        }.Order(StringComparer.Ordinal).ToArray();
        foreach (var (caller, vault) in new[] { (production, $"prod-{suffix}"), (logArchive, $"central-{suffix}"), (logArchiveDr, $"central-dr-{suffix}") })
        {
            var points = await caller.RecoveryPointsAsync(vault);
            Assert.Equal(seedResources, points.Select(point => point["ResourceArn"]!.GetValue<string>()).Distinct().Order(StringComparer.Ordinal).ToArray());
        }

        var backups = (await production.BackupAsync(HttpMethod.Get, $"/backup-jobs/?backupVaultName=prod-{suffix}")).Ok()["BackupJobs"]!.AsArray();
        var copies = (await production.BackupAsync(HttpMethod.Get, "/copy-jobs/")).Ok()["CopyJobs"]!.AsArray()
            .Where(job => job!["CreatedBy"]?["BackupPlanId"]?.GetValue<string>() == planId)
            .ToList();
        Assert.Equal(seedResources.Length, backups.Count);
        Assert.All(backups, job => Assert.Equal("COMPLETED", job!["State"]!.GetValue<string>()));
        Assert.Equal(2 * backups.Count, copies.Count);
        Assert.All(copies, job => Assert.Equal("COMPLETED", job!["State"]!.GetValue<string>()));
        var drPoint = (await logArchiveDr.RecoveryPointsAsync($"central-dr-{suffix}"))[0];
        Assert.Equal(production.VaultArn($"prod-{suffix}"), drPoint["SourceBackupVaultArn"]!.GetValue<string>());
        Assert.Equal(90, drPoint["Lifecycle"]!["DeleteAfterDays"]!.GetValue<int>());

        // A copy is dated by its data's capture, not by the copy (docs/localcloud-backup.md, "Copies").
        var source = (await production.RecoveryPointsAsync($"prod-{suffix}")).Single(point => point!["ResourceArn"]!.GetValue<string>() == drPoint["ResourceArn"]!.GetValue<string>());
        var copied = copies.Single(job => job!["DestinationRecoveryPointArn"]!.GetValue<string>() == drPoint["RecoveryPointArn"]!.GetValue<string>());
        Assert.Equal(source["CreationDate"]!.GetValue<double>(), drPoint["CreationDate"]!.GetValue<double>());
        Assert.True(copied!["CompletionDate"]!.GetValue<double>() > drPoint["CreationDate"]!.GetValue<double>(), "the copy finished after the data was captured");
    }

    [Fact]
    public async Task A_selection_by_resource_arn_backs_up_only_that_resource()
    {
        await production.CreateVaultAsync($"arn-{suffix}");
        await CreateDailyPlanAsync($"arn-{suffix}", [], new JsonObject { ["Resources"] = new JsonArray(production.TableArn()) });

        await cloud.AdvanceClockAsync("PT26H");

        var points = await production.RecoveryPointsAsync($"arn-{suffix}");
        Assert.Equal([production.TableArn()], points.Select(point => point["ResourceArn"]!.GetValue<string>()).Distinct().ToArray());
        Assert.Equal("daily", points[0]["CreatedBy"]!["BackupRuleName"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_destination_vault_whose_policy_does_not_allow_CopyIntoBackupVault_fails_the_copy()
    {
        var copyJob = await CopyTableToLogArchiveAsync(await production.CreateKeyAsync(shareWithOrganization: true), destinationPolicyAction: "backup:DescribeBackupVault");

        Assert.Equal(("FAILED", "Access Denied trying to call AWS Backup service"), copyJob);
        Assert.Empty(await logArchive.RecoveryPointsAsync($"central-{suffix}"));
    }

    [Fact]
    public async Task A_source_key_whose_policy_does_not_let_the_destination_account_use_it_fails_the_copy()
    {
        var copyJob = await CopyTableToLogArchiveAsync(await production.CreateKeyAsync(shareWithOrganization: false));

        Assert.Equal(("FAILED", "Given key ID is not accessible"), copyJob);
        Assert.Empty(await logArchive.RecoveryPointsAsync($"central-{suffix}"));
    }

    [Fact]
    public async Task A_recovery_point_under_the_AWS_managed_backup_key_cannot_be_copied_to_another_account()
    {
        var copyJob = await CopyTableToLogArchiveAsync(sourceKeyArn: null);

        Assert.Equal(("FAILED", "Given key ID is not accessible. You must have DescribeKey permissions on the default CMK"), copyJob);
        Assert.Empty(await logArchive.RecoveryPointsAsync($"central-{suffix}"));
    }

    [Fact]
    public async Task A_copy_whose_retention_is_outside_the_destination_vault_lock_fails()
    {
        await logArchive.CreateVaultAsync($"locked-{suffix}");
        await logArchive.AllowOrganizationCopiesAsync($"locked-{suffix}");
        (await logArchive.BackupAsync(HttpMethod.Put, $"/backup-vaults/locked-{suffix}/vault-lock", new { MinRetentionDays = 30, MaxRetentionDays = 365 })).Ok();
        await production.CreateVaultAsync($"prod-{suffix}", await production.CreateKeyAsync(shareWithOrganization: true));
        var point = await production.StartTableBackupAsync($"prod-{suffix}");
        await cloud.AdvanceClockAsync("PT1H");

        var tooShort = await production.StartCopyAsync($"prod-{suffix}", point, logArchive.VaultArn($"locked-{suffix}"), new { DeleteAfterDays = 7 });
        var withinLock = await production.StartCopyAsync($"prod-{suffix}", point, logArchive.VaultArn($"locked-{suffix}"), new { DeleteAfterDays = 60 });
        await cloud.AdvanceClockAsync("PT1H");

        var refused = await production.DescribeCopyJobAsync(tooShort);
        Assert.Equal("FAILED", refused["State"]!.GetValue<string>());
        Assert.Contains("Vault Lock", refused["StatusMessage"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("COMPLETED", (await production.DescribeCopyJobAsync(withinLock))["State"]!.GetValue<string>());
        Assert.Single(await logArchive.RecoveryPointsAsync($"locked-{suffix}"));
    }

    [Fact]
    public async Task A_backup_whose_retention_is_outside_its_vault_lock_fails_and_makes_no_recovery_point()
    {
        await production.CreateVaultAsync($"locked-{suffix}");
        (await production.BackupAsync(HttpMethod.Put, $"/backup-vaults/locked-{suffix}/vault-lock", new { MinRetentionDays = 7, MaxRetentionDays = 35 })).Ok();
        var answer = (await production.BackupAsync(HttpMethod.Put, "/backup-jobs", new
        {
            BackupVaultName = $"locked-{suffix}",
            ResourceArn = production.TableArn(),
            IamRoleArn = production.RoleArn(),
            Lifecycle = new { DeleteAfterDays = 400 },
        })).Ok();
        await cloud.AdvanceClockAsync("PT1H");

        var job = (await production.BackupAsync(HttpMethod.Get, $"/backup-jobs/{answer["BackupJobId"]}")).Ok();
        Assert.Equal("FAILED", job["State"]!.GetValue<string>());
        Assert.Empty(await production.RecoveryPointsAsync($"locked-{suffix}"));
    }

    private async Task<string> CreateDailyPlanAsync(string vaultName, JsonArray copyActions, JsonObject selection)
    {
        var plan = new JsonObject
        {
            ["BackupPlanName"] = $"plan-{vaultName}",
            ["Rules"] = new JsonArray(new JsonObject
            {
                ["RuleName"] = "daily",
                ["TargetBackupVaultName"] = vaultName,
                ["ScheduleExpression"] = "cron(0 5 ? * * *)",
                ["Lifecycle"] = new JsonObject { ["DeleteAfterDays"] = 35 },
                ["CopyActions"] = copyActions,
            }),
        };
        var planId = (await production.BackupAsync(HttpMethod.Put, "/backup/plans/", new JsonObject { ["BackupPlan"] = plan })).Ok()["BackupPlanId"]!.GetValue<string>();
        selection["SelectionName"] = "selection";
        selection["IamRoleArn"] = production.RoleArn();
        (await production.BackupAsync(HttpMethod.Put, $"/backup/plans/{planId}/selections/", new JsonObject { ["BackupSelection"] = selection })).Ok();
        return planId;
    }

    private static JsonObject CopyAction(string destinationVaultArn, int deleteAfterDays) => new()
    {
        ["DestinationBackupVaultArn"] = destinationVaultArn,
        ["Lifecycle"] = new JsonObject { ["DeleteAfterDays"] = deleteAfterDays },
    };

    /// <summary>Backs up production's table into a vault under the key (null: aws/backup) and copies it to log-archive; returns the copy job's state and message.</summary>
    private async Task<(string State, string? Message)> CopyTableToLogArchiveAsync(string? sourceKeyArn, string destinationPolicyAction = "backup:CopyIntoBackupVault")
    {
        await production.CreateVaultAsync($"prod-{suffix}", sourceKeyArn);
        await logArchive.CreateVaultAsync($"central-{suffix}");
        await logArchive.AllowOrganizationCopiesAsync($"central-{suffix}", destinationPolicyAction);
        var point = await production.StartTableBackupAsync($"prod-{suffix}");
        await cloud.AdvanceClockAsync("PT1H");
        var copyJobId = await production.StartCopyAsync($"prod-{suffix}", point, logArchive.VaultArn($"central-{suffix}"));
        await cloud.AdvanceClockAsync("PT1H");
        var job = await production.DescribeCopyJobAsync(copyJobId);
        return (job["State"]!.GetValue<string>(), job["StatusMessage"]?.GetValue<string>());
    }
}
