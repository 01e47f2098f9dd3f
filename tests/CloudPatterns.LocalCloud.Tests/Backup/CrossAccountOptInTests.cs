using CloudPatterns.LocalCloud.Tests.Support;

namespace CloudPatterns.LocalCloud.Tests.Backup;

/// <summary>Cross-account copies while the organization has not opted in (isCrossAccountBackupEnabled is false, the default).</summary>
public sealed class CrossAccountOptInTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task A_cross_account_copy_fails_while_the_organization_has_not_opted_in_and_copies_nothing()
    {
        var production = cloud.As("production");
        var logArchive = cloud.As("log-archive");
        await production.CreateVaultAsync("prod", await production.CreateKeyAsync(shareWithOrganization: true));
        await logArchive.CreateVaultAsync("central");
        await logArchive.AllowOrganizationCopiesAsync("central");
        var point = await production.StartTableBackupAsync("prod");
        await cloud.AdvanceClockAsync("PT1H");

        var copyJobId = await production.StartCopyAsync("prod", point, logArchive.VaultArn("central"));
        await cloud.AdvanceClockAsync("PT1H");

        var job = await production.DescribeCopyJobAsync(copyJobId);
        Assert.Equal("FAILED", job["State"]!.GetValue<string>());
        Assert.StartsWith("Access denied: Copy job failed.", job["StatusMessage"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(await logArchive.RecoveryPointsAsync("central"));
    }

    [Fact]
    public async Task Only_the_management_account_may_change_the_global_settings()
    {
        var answer = await cloud.As("production").BackupAsync(HttpMethod.Put, "/global-settings", new { GlobalSettings = new { isCrossAccountBackupEnabled = "true" } });

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("InvalidRequestException", answer.ErrorType);
        var settings = (await cloud.As("production").BackupAsync(HttpMethod.Get, "/global-settings")).Ok();
        Assert.Equal("false", settings["GlobalSettings"]!["isCrossAccountBackupEnabled"]!.GetValue<string>());
    }
}
