using System.Globalization;
using CloudPatterns.LocalCloud.Tests.Support;

namespace CloudPatterns.LocalCloud.Tests.Backup;

/// <summary>List*Jobs filters: the management account's view of member accounts, and creation times.</summary>
public sealed class JobListingTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task The_management_account_lists_the_jobs_of_a_member_account_or_of_all_of_them()
    {
        var production = cloud.As("production");
        var staging = cloud.As("staging");
        await production.CreateVaultAsync("listed");
        await staging.CreateVaultAsync("listed");
        var productionPoint = await production.StartTableBackupAsync("listed");
        var stagingPoint = await staging.StartTableBackupAsync("listed");
        var management = cloud.As("management");

        Assert.Equal([productionPoint], await RecoveryPointArnsOfJobsAsync(management, "?backupVaultName=listed&accountId=333333333333"));
        Assert.Equal([productionPoint, stagingPoint], (await RecoveryPointArnsOfJobsAsync(management, "?backupVaultName=listed&accountId=*")).Order());
        Assert.Empty(await RecoveryPointArnsOfJobsAsync(staging, "?backupVaultName=listed&accountId=333333333333"));
        Assert.Empty(await RecoveryPointArnsOfJobsAsync(management, "?backupVaultName=listed"));
    }

    [Fact]
    public async Task Jobs_are_filtered_by_creation_time()
    {
        var production = cloud.As("production");
        await production.CreateVaultAsync("timed");
        var earlier = await production.StartTableBackupAsync("timed");
        await cloud.AdvanceClockAsync("PT2H");
        var boundary = cloud.Server.Clock.GetUtcNow().AddMinutes(-30).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var later = await production.StartTableBackupAsync("timed");

        Assert.Equal([later], await RecoveryPointArnsOfJobsAsync(production, $"?backupVaultName=timed&createdAfter={boundary}"));
        Assert.Equal([earlier], await RecoveryPointArnsOfJobsAsync(production, $"?backupVaultName=timed&createdBefore={boundary}"));
    }

    private static async Task<IReadOnlyList<string>> RecoveryPointArnsOfJobsAsync(AwsCaller caller, string query) =>
        (await caller.BackupAsync(HttpMethod.Get, "/backup-jobs/" + query)).Ok()["BackupJobs"]!.AsArray()
            .Select(job => job!["RecoveryPointArn"]!.GetValue<string>())
            .ToList();
}
