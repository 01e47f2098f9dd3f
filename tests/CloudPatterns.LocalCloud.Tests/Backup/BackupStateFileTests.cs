using CloudPatterns.LocalCloud.Tests.Support;

namespace CloudPatterns.LocalCloud.Tests.Backup;

/// <summary>With --state, Backup, KMS and restored resources survive a restart, and schedules go on from the saved clock.</summary>
public sealed class BackupStateFileTests : IDisposable
{
    private readonly string statePath = Path.Combine(Path.GetTempPath(), $"localcloud-backup-{Guid.NewGuid():N}.json");

    public void Dispose() => File.Delete(statePath);

    [Fact]
    public async Task Vaults_plans_recovery_points_keys_and_restored_resources_survive_a_restart()
    {
        string keyArn, point, planId;
        await using (var first = await StartAsync())
        {
            var production = first.As("production");
            keyArn = await production.CreateKeyAsync(shareWithOrganization: true);
            await production.CreateVaultAsync("kept", keyArn);
            (await production.BackupAsync(HttpMethod.Put, "/backup-vaults/kept/vault-lock", new { MinRetentionDays = 1 })).Ok();
            point = await production.StartTableBackupAsync("kept");
            // Runs daily 5-6 hours from now: not before the restart, once in the 26 hours after it.
            var schedule = $"cron(0 {first.Clock.GetUtcNow().AddHours(6).Hour} ? * * *)";
            planId = (await production.BackupAsync(HttpMethod.Put, "/backup/plans/", new
            {
                BackupPlan = new { BackupPlanName = "kept", Rules = new[] { new { RuleName = "daily", TargetBackupVaultName = "kept", ScheduleExpression = schedule } } },
            })).Ok()["BackupPlanId"]!.GetValue<string>();
            (await production.BackupAsync(HttpMethod.Put, $"/backup/plans/{planId}/selections/", new
            {
                BackupSelection = new { SelectionName = "orders", IamRoleArn = production.RoleArn(), Resources = new[] { production.TableArn() } },
            })).Ok();
            await first.AdvanceClockAsync("PT1H");
            (await production.BackupAsync(HttpMethod.Put, "/restore-jobs", new
            {
                RecoveryPointArn = point,
                IamRoleArn = production.RoleArn(),
                Metadata = new Dictionary<string, string> { ["TargetTableName"] = "restored-orders" },
            })).Ok();
            await first.AdvanceClockAsync("PT1H");
        }

        await using var second = await StartAsync();
        var again = second.As("production");
        var vault = (await again.BackupAsync(HttpMethod.Get, "/backup-vaults/kept")).Ok();
        Assert.Equal((keyArn, true), (vault["EncryptionKeyArn"]!.GetValue<string>(), vault["Locked"]!.GetValue<bool>()));
        Assert.Equal([point], (await again.RecoveryPointsAsync("kept")).Select(saved => saved["RecoveryPointArn"]!.GetValue<string>()));
        (await again.JsonAsync("kms", "TrentService.DescribeKey", new { KeyId = keyArn })).Ok();
        (await again.JsonAsync("dynamodb", "DynamoDB_20120810.DescribeTable", new { TableName = "restored-orders" })).Ok();

        await second.AdvanceClockAsync("PT26H");
        Assert.Equal(2, (await again.RecoveryPointsAsync("kept")).Count);
        Assert.Equal(planId, (await again.RecoveryPointsAsync("kept"))[0]["CreatedBy"]!["BackupPlanId"]!.GetValue<string>());
    }

    private Task<LocalCloudServer> StartAsync() => LocalCloudServer.StartAsync(new LocalCloudOptions { StatePath = statePath });
}
