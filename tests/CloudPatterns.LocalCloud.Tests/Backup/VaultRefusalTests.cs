using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Tests.Support;

namespace CloudPatterns.LocalCloud.Tests.Backup;

/// <summary>Refusals within one account: unknown vaults, vault locks, IAM roles that do not exist; and job timing on the simulated clock.</summary>
public sealed class VaultRefusalTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    private readonly AwsCaller production = cloud.As("production");
    private readonly string suffix = Guid.NewGuid().ToString("N")[..8];

    [Theory]
    [InlineData("GET", "/backup-vaults/missing")]
    [InlineData("GET", "/backup-vaults/missing/recovery-points/")]
    [InlineData("DELETE", "/backup-vaults/missing")]
    public async Task An_unknown_vault_is_refused_with_403_AccessDeniedException(string method, string path)
    {
        var answer = await production.BackupAsync(new HttpMethod(method), path);

        Assert.Equal((HttpStatusCode.Forbidden, "AccessDeniedException", "Insufficient privileges to perform this action."), (answer.Status, answer.ErrorType, answer.Message));
    }

    [Fact]
    public async Task A_recovery_point_in_a_locked_vault_cannot_be_deleted()
    {
        await production.CreateVaultAsync($"locked-{suffix}");
        var point = await production.StartTableBackupAsync($"locked-{suffix}", new { DeleteAfterDays = 30 });
        await cloud.AdvanceClockAsync("PT1H");
        (await production.BackupAsync(HttpMethod.Put, $"/backup-vaults/locked-{suffix}/vault-lock", new { MinRetentionDays = 7 })).Ok();

        var answer = await production.BackupAsync(HttpMethod.Delete, $"/backup-vaults/locked-{suffix}/recovery-points/{Uri.EscapeDataString(point)}");

        Assert.Equal((HttpStatusCode.BadRequest, "InvalidRequestException"), (answer.Status, answer.ErrorType));
        Assert.Single(await production.RecoveryPointsAsync($"locked-{suffix}"));
        var vault = (await production.BackupAsync(HttpMethod.Get, $"/backup-vaults/locked-{suffix}")).Ok();
        Assert.True(vault["Locked"]!.GetValue<bool>());
        Assert.Equal(1, vault["NumberOfRecoveryPoints"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_vault_holding_recovery_points_cannot_be_deleted()
    {
        await production.CreateVaultAsync($"full-{suffix}");
        await production.StartTableBackupAsync($"full-{suffix}");
        await cloud.AdvanceClockAsync("PT1H");

        var answer = await production.BackupAsync(HttpMethod.Delete, $"/backup-vaults/full-{suffix}");

        Assert.Equal((HttpStatusCode.BadRequest, "InvalidRequestException", "ERROR_9101"), (answer.Status, answer.ErrorType, answer.Body!["Code"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_compliance_lock_can_be_removed_during_its_grace_time_but_not_after_it()
    {
        await production.CreateVaultAsync($"compliance-{suffix}");
        var path = $"/backup-vaults/compliance-{suffix}/vault-lock";
        (await production.BackupAsync(HttpMethod.Put, path, new { MinRetentionDays = 1, ChangeableForDays = 3 })).Ok();
        (await production.BackupAsync(HttpMethod.Delete, path)).Ok();
        (await production.BackupAsync(HttpMethod.Put, path, new { MinRetentionDays = 1, ChangeableForDays = 3 })).Ok();

        await cloud.AdvanceClockAsync("P4D");

        var answer = await production.BackupAsync(HttpMethod.Delete, path);
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidRequestException"), (answer.Status, answer.ErrorType));
        Assert.True((await production.BackupAsync(HttpMethod.Get, $"/backup-vaults/compliance-{suffix}")).Ok()["LockDate"] is not null);
    }

    [Fact]
    public async Task A_lock_whose_grace_time_is_shorter_than_three_days_is_refused()
    {
        await production.CreateVaultAsync($"short-{suffix}");

        var answer = await production.BackupAsync(HttpMethod.Put, $"/backup-vaults/short-{suffix}/vault-lock", new { ChangeableForDays = 2 });

        Assert.Equal((HttpStatusCode.BadRequest, "InvalidParameterValueException"), (answer.Status, answer.ErrorType));
    }

    [Fact]
    public async Task A_selection_naming_a_role_that_does_not_exist_is_refused()
    {
        var plan = (await production.BackupAsync(HttpMethod.Put, "/backup/plans/", new JsonObject
        {
            ["BackupPlan"] = new JsonObject
            {
                ["BackupPlanName"] = $"roles-{suffix}",
                ["Rules"] = new JsonArray(new JsonObject { ["RuleName"] = "daily", ["TargetBackupVaultName"] = "any" }),
            },
        })).Ok();

        var answer = await production.BackupAsync(HttpMethod.Put, $"/backup/plans/{plan["BackupPlanId"]}/selections/", new
        {
            BackupSelection = new { SelectionName = "all", IamRoleArn = "arn:aws:iam::333333333333:role/NoSuchRole", Resources = new[] { "*" } },
        });

        Assert.Equal((HttpStatusCode.BadRequest, "InvalidParameterValueException"), (answer.Status, answer.ErrorType));
    }

    [Fact]
    public async Task A_restore_job_with_a_role_that_does_not_exist_fails_with_AWS_message_and_restores_nothing()
    {
        await production.CreateVaultAsync($"restore-{suffix}");
        var point = await production.StartTableBackupAsync($"restore-{suffix}");
        await cloud.AdvanceClockAsync("PT1H");

        var restore = (await production.BackupAsync(HttpMethod.Put, "/restore-jobs", new
        {
            RecoveryPointArn = point,
            IamRoleArn = "arn:aws:iam::333333333333:role/NoSuchRole",
            Metadata = new Dictionary<string, string> { ["TargetTableName"] = $"restored-{suffix}" },
        })).Ok();
        await cloud.AdvanceClockAsync("PT1H");

        var job = (await production.BackupAsync(HttpMethod.Get, $"/restore-jobs/{restore["RestoreJobId"]}")).Ok();
        Assert.Equal("FAILED", job["Status"]!.GetValue<string>());
        Assert.Equal("You are not authorized to perform this operation. Please consult the permissions associated with your AWS Backup role", job["StatusMessage"]!.GetValue<string>());
        var table = await production.JsonAsync("dynamodb", "DynamoDB_20120810.DescribeTable", new { TableName = $"restored-{suffix}" });
        Assert.Equal("com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", table.ErrorType);
    }

    [Fact]
    public async Task Jobs_move_through_their_states_with_the_durations_set_through_the_admin_api()
    {
        using var admin = new HttpClient { BaseAddress = cloud.Server.Url };
        using var timings = await admin.PutAsJsonAsync("/_localcloud/backup/job-timings", new { backup = new { queued = "PT10M", running = "PT2H" } });
        timings.EnsureSuccessStatusCode();
        try
        {
            await production.CreateVaultAsync($"timed-{suffix}");
            var started = (await production.BackupAsync(HttpMethod.Put, "/backup-jobs", new { BackupVaultName = $"timed-{suffix}", ResourceArn = production.TableArn(), IamRoleArn = production.RoleArn() })).Ok();
            var path = $"/backup-jobs/{started["BackupJobId"]}";

            Assert.Equal("CREATED", await StateAsync(path));
            await cloud.AdvanceClockAsync("PT30M");
            Assert.Equal("RUNNING", await StateAsync(path));
            Assert.Empty(await production.RecoveryPointsAsync($"timed-{suffix}"));
            await cloud.AdvanceClockAsync("PT2H");
            Assert.Equal("COMPLETED", await StateAsync(path));
            Assert.Single(await production.RecoveryPointsAsync($"timed-{suffix}"));
        }
        finally
        {
            using var reset = await admin.PutAsJsonAsync("/_localcloud/backup/job-timings", new { backup = new { queued = "PT1M", running = "PT5M" } });
        }
    }

    private async Task<string> StateAsync(string jobPath) => (await production.BackupAsync(HttpMethod.Get, jobPath)).Ok()["State"]!.GetValue<string>();
}
