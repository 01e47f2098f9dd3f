using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Tests.Support;

namespace CloudPatterns.LocalCloud.Tests.Backup;

/// <summary>Restore testing plans run on the simulated clock: they restore the latest recovery point and delete what they restored once validated.</summary>
public sealed class RestoreTestingTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    private readonly AwsCaller production = cloud.As("production");

    [Fact]
    public async Task A_scheduled_restore_test_restores_the_latest_recovery_point_and_deletes_it_after_validation()
    {
        await production.CreateVaultAsync("tested");
        var point = await production.StartTableBackupAsync("tested");
        await cloud.AdvanceClockAsync("PT1H");

        // Runs daily, next within one to two hours.
        var schedule = $"cron(0 {cloud.Server.Clock.GetUtcNow().AddHours(2).Hour} ? * * *)";
        var plan = (await production.BackupAsync(HttpMethod.Put, "/restore-testing/plans", new
        {
            RestoreTestingPlan = new
            {
                RestoreTestingPlanName = "daily_tables",
                ScheduleExpression = schedule,
                RecoveryPointSelection = new { Algorithm = "LATEST_WITHIN_WINDOW", IncludeVaults = new[] { "*" }, RecoveryPointTypes = new[] { "SNAPSHOT" } },
            },
        })).Ok()["RestoreTestingPlanArn"]!.GetValue<string>();
        (await production.BackupAsync(HttpMethod.Put, "/restore-testing/plans/daily_tables/selections", new
        {
            RestoreTestingSelection = new
            {
                RestoreTestingSelectionName = "orders",
                ProtectedResourceType = "DynamoDB",
                IamRoleArn = production.RoleArn(),
                ProtectedResourceArns = new[] { production.TableArn() },
                ValidationWindowHours = 48,
            },
        })).Ok();

        await cloud.AdvanceClockAsync("PT3H");

        var job = Assert.Single((await production.BackupAsync(HttpMethod.Get, $"/restore-jobs/?restoreTestingPlanArn={Uri.EscapeDataString(plan)}")).Ok()["RestoreJobs"]!.AsArray())!;
        Assert.Equal((point, "COMPLETED", "DELETING"), (job["RecoveryPointArn"]!.GetValue<string>(), job["Status"]!.GetValue<string>(), job["DeletionStatus"]!.GetValue<string>()));
        var restoredTable = job["CreatedResourceArn"]!.GetValue<string>();
        (await production.JsonAsync("dynamodb", "DynamoDB_20120810.DescribeTable", new { TableName = restoredTable })).Ok();

        (await production.BackupAsync(HttpMethod.Put, $"/restore-jobs/{job["RestoreJobId"]}/validations", new { ValidationStatus = "SUCCESSFUL" })).Ok();

        var validated = (await production.BackupAsync(HttpMethod.Get, $"/restore-jobs/{job["RestoreJobId"]}")).Ok();
        Assert.Equal(("SUCCESSFUL", "SUCCESSFUL"), (validated["ValidationStatus"]!.GetValue<string>(), validated["DeletionStatus"]!.GetValue<string>()));
        var deleted = await production.JsonAsync("dynamodb", "DynamoDB_20120810.DescribeTable", new { TableName = restoredTable });
        Assert.Equal("com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", deleted.ErrorType);
        Assert.NotNull((await production.BackupAsync(HttpMethod.Get, "/restore-testing/plans/daily_tables")).Ok()["RestoreTestingPlan"]!["LastExecutionTime"]);
    }
}
