using System.Globalization;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Tests.Support;

namespace CloudPatterns.LocalCloud.Tests.Backup;

/// <summary>
/// Continuous backup (EnableContinuousBackup): an hourly rule keeps one continuous recovery point per supported
/// resource (RDS here) brought up to date at every run, snapshots for the others, snapshot copies; point-in-time
/// restore to any second of the window, refused outside it and for snapshots.
/// </summary>
public sealed class ContinuousBackupTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    private const string DbArn = "arn:aws:rds:us-east-2:333333333333:db:production-db";

    [Fact]
    public async Task An_hourly_continuous_rule_keeps_one_point_in_time_recovery_point_minutes_old()
    {
        var production = cloud.As("production");
        await production.CreateVaultAsync("pitr");
        await production.CreateVaultAsync("pitr-copies");
        var planId = (await production.BackupAsync(HttpMethod.Put, "/backup/plans/", new JsonObject
        {
            ["BackupPlan"] = new JsonObject
            {
                ["BackupPlanName"] = "hourly-pitr",
                ["Rules"] = new JsonArray(new JsonObject
                {
                    ["RuleName"] = "hourly",
                    ["TargetBackupVaultName"] = "pitr",
                    ["ScheduleExpression"] = "cron(0 * ? * * *)",
                    ["EnableContinuousBackup"] = true,
                    ["Lifecycle"] = new JsonObject { ["DeleteAfterDays"] = 7 },
                    ["CopyActions"] = new JsonArray(new JsonObject { ["DestinationBackupVaultArn"] = production.VaultArn("pitr-copies"), ["Lifecycle"] = new JsonObject { ["DeleteAfterDays"] = 7 } }),
                }),
            },
        })).Ok()["BackupPlanId"]!.GetValue<string>();
        (await production.BackupAsync(HttpMethod.Put, $"/backup/plans/{planId}/selections/", new JsonObject
        {
            ["BackupSelection"] = new JsonObject
            {
                ["SelectionName"] = "tagged",
                ["IamRoleArn"] = production.RoleArn(),
                ["ListOfTags"] = new JsonArray(new JsonObject { ["ConditionType"] = "STRINGEQUALS", ["ConditionKey"] = "backup", ["ConditionValue"] = "daily" }),
            },
        })).Ok();

        await cloud.MoveClockToNextMidnightAsync();
        await cloud.AdvanceClockAsync("PT3H30M");
        var now = cloud.Server.State.Clock.GetUtcNow();

        var points = await production.RecoveryPointsAsync("pitr");
        var continuous = Assert.Single(points, point => point["ResourceArn"]!.GetValue<string>() == DbArn);
        var arn = continuous["RecoveryPointArn"]!.GetValue<string>();
        Assert.Matches("^arn:aws:backup:us-east-2:333333333333:recovery-point:continuous:production-db-[0-9a-f]{8}$", arn);
        var created = Epoch(continuous["CreationDate"]!);
        var lastRun = Epoch(continuous["CompletionDate"]!);
        Assert.True(lastRun - created >= TimeSpan.FromHours(3), $"The continuous point was created {created:O} and last brought up to date {lastRun:O}.");
        Assert.True(now - lastRun < TimeSpan.FromHours(1), $"The last run was {lastRun:O}, now is {now:O}.");

        // Every hourly run (those since the plan was created, caught up by the clock's move) gave the table a snapshot
        // and the database's continuous point a snapshot copy.
        var tableSnapshots = points.Count(point => point["ResourceArn"]!.GetValue<string>().Contains(":dynamodb:", StringComparison.Ordinal));
        var copies = (await production.RecoveryPointsAsync("pitr-copies")).Where(point => point["ResourceArn"]!.GetValue<string>() == DbArn).ToList();
        Assert.True(tableSnapshots >= 4, $"{tableSnapshots} table snapshots");
        Assert.Equal(tableSnapshots, copies.Count);
        Assert.All(copies, copy => Assert.DoesNotContain(":continuous:", copy["RecoveryPointArn"]!.GetValue<string>(), StringComparison.Ordinal));

        var tooRecent = await Restore(production, arn, now.AddMinutes(-1));
        Assert.Equal("InvalidParameterValueException", tooRecent.ErrorType);
        Assert.Contains("is not in the restorable window", tooRecent.Message);
        Assert.Equal("InvalidParameterValueException", (await Restore(production, arn, created.AddMinutes(-1))).ErrorType);
        var snapshot = copies[0]["RecoveryPointArn"]!.GetValue<string>();
        Assert.Equal("InvalidParameterValueException", (await Restore(production, snapshot, now.AddMinutes(-30))).ErrorType);

        var jobId = (await Restore(production, arn, now.AddMinutes(-7))).Ok()["RestoreJobId"]!.GetValue<string>();
        await cloud.AdvanceClockAsync("PT1H");
        Assert.Equal("COMPLETED", (await production.BackupAsync(HttpMethod.Get, $"/restore-jobs/{jobId}")).Ok()["Status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_continuous_rule_keeping_more_than_35_days_is_refused()
    {
        var production = cloud.As("production");
        var answer = await production.BackupAsync(HttpMethod.Put, "/backup/plans/", new JsonObject
        {
            ["BackupPlan"] = new JsonObject
            {
                ["BackupPlanName"] = "too-long-pitr",
                ["Rules"] = new JsonArray(new JsonObject
                {
                    ["RuleName"] = "pitr",
                    ["TargetBackupVaultName"] = "Default",
                    ["EnableContinuousBackup"] = true,
                    ["Lifecycle"] = new JsonObject { ["DeleteAfterDays"] = 36 },
                }),
            },
        });
        Assert.Equal("InvalidParameterValueException", answer.ErrorType);
        Assert.Contains("at most 35 days, not 36", answer.Message);
    }

    private static Task<AwsAnswer> Restore(AwsCaller caller, string recoveryPointArn, DateTimeOffset restoreTime) =>
        caller.BackupAsync(HttpMethod.Put, "/restore-jobs", new
        {
            RecoveryPointArn = recoveryPointArn,
            IamRoleArn = caller.RoleArn(),
            Metadata = new Dictionary<string, string>
            {
                ["DBInstanceIdentifier"] = "pitr-" + restoreTime.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                ["RestoreTime"] = restoreTime.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            },
        });

    private static DateTimeOffset Epoch(JsonNode seconds) => DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds.GetValue<double>() * 1000));
}
