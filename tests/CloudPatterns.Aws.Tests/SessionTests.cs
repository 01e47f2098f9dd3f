using CloudPatterns.Aws.Backup;
using CloudPatterns.Tests;

namespace CloudPatterns.Aws.Tests;

/// <summary>Caller identity, role assumption and fan-out against LocalCloud's STS and trust policies.</summary>
public sealed class SessionTests : IClassFixture<LocalCloudFixture>
{
    private const string ExecutionRole = "CloudPatternsExecution";
    private readonly LocalCloudFixture cloud;

    public SessionTests(LocalCloudFixture cloud) => this.cloud = cloud;

    [Fact]
    public async Task KnowsTheCallerAndWhereItsCredentialsCameFrom()
    {
        using AwsSession session = await AwsSession.CreateAsync(cloud.ManagementSettings());

        Assert.Equal(LocalCloudFixture.ManagementAccountId, session.CallerAccountId);
        Assert.Equal(cloud.Server.Organization.ManagementAccount.AdminUserArn, session.CallerArn);
        Assert.Equal("parameters (AccessKey/SecretKey)", session.CredentialSource);
        Assert.Equal("CloudPatterns-admin", session.SessionName);
        Assert.Null(session.RoleArnFor(LocalCloudFixture.ManagementAccountId));
        Assert.Equal("arn:aws:iam::333333333333:role/OrganizationAccountAccessRole", session.RoleArnFor(LocalCloudFixture.ProductionAccountId));
    }

    [Fact]
    public async Task OwnAccountRoleNameIsAssumedInTheCallersAccountAndRoleNameElsewhere()
    {
        AwsConnectionSettings settings = cloud.ManagementSettings();
        settings.RoleName = ExecutionRole;
        settings.OwnAccountRoleName = "CloudPatternsNoSuchOwnRole";
        using AwsSession session = await AwsSession.CreateAsync(settings);
        await cloud.ClearRequestsAsync();

        var error = await Assert.ThrowsAsync<AwsRoleAssumptionException>(() => session.GetTargetAsync(LocalCloudFixture.ManagementAccountId));

        Assert.Equal("arn:aws:iam::111111111111:role/CloudPatternsNoSuchOwnRole", error.RoleArn);
        Assert.Equal("arn:aws:iam::111111111111:role/CloudPatternsNoSuchOwnRole", session.RoleArnFor(LocalCloudFixture.ManagementAccountId));
        Assert.Equal("arn:aws:iam::555555555555:role/CloudPatternsExecution", session.RoleArnFor(LocalCloudFixture.DrAccountId));
        Assert.Single(await cloud.RequestsAsync(), r => r.Operation == "AssumeRole");
    }

    [Fact]
    public async Task RefusesSomethingThatIsNotAnAccountIdBeforeCallingAws()
    {
        using AwsSession session = await AwsSession.CreateAsync(cloud.ManagementSettings());

        var error = await Assert.ThrowsAsync<ArgumentException>(() => session.GetTargetAsync("prod"));

        Assert.Contains("12 digits", error.Message);
    }

    [Fact]
    public async Task RefusedCredentialsBecomeAConnectionErrorWithoutTheSecret()
    {
        AwsConnectionSettings settings = cloud.ManagementSettings();
        settings.SecretKey = "wrong-secret-value-for-the-test";

        var error = await Assert.ThrowsAsync<AwsConnectionException>(() => AwsSession.CreateAsync(settings));

        Assert.Contains("SignatureDoesNotMatch", error.Message);
        Assert.Contains("parameters", error.Message);
        Assert.DoesNotContain(settings.SecretKey, error.Message);
    }

    [Fact]
    public async Task AssumesEachAccountsRoleOnceForAllRegionsAndConcurrentCallers()
    {
        using AwsSession session = await AwsSession.CreateAsync(cloud.ManagementSettings());
        await cloud.ClearRequestsAsync();

        AwsTarget[] targets = await Task.WhenAll(
            from region in new[] { LocalCloudFixture.PrimaryRegion, LocalCloudFixture.DrRegion }
            from copy in Enumerable.Range(0, 4)
            select session.GetTargetAsync(LocalCloudFixture.StagingAccountId, region));
        foreach (AwsTarget target in targets.Distinct())
        {
            await target.Backup.ListBackupVaultsAsync(new ListBackupVaultsRequest());
        }

        IReadOnlyList<LocalCloudFixture.LoggedRequest> requests = await cloud.RequestsAsync();
        Assert.Single(requests, r => r.Operation == "AssumeRole");
        Assert.Equal(2, targets.Distinct().Count());
        List<LocalCloudFixture.LoggedRequest> lists = requests.Where(r => r.Operation == "ListBackupVaults").ToList();
        Assert.All(lists, r => Assert.Equal((LocalCloudFixture.StagingAccountId, 200), (r.AccountId, r.StatusCode)));
        Assert.Equal(new[] { LocalCloudFixture.PrimaryRegion, LocalCloudFixture.DrRegion }, lists.Select(r => r.Region).OrderBy(r => r));
    }

    [Fact]
    public async Task AWrongExternalIdBecomesARoleAssumptionErrorThatNamesTheRoleAndTheCauses()
    {
        AwsConnectionSettings settings = cloud.ManagementSettings();
        settings.RoleName = ExecutionRole;
        settings.ExternalId = "not-the-agreed-id";
        using AwsSession session = await AwsSession.CreateAsync(settings);

        var error = await Assert.ThrowsAsync<AwsRoleAssumptionException>(() => session.GetTargetAsync(LocalCloudFixture.DrAccountId));

        Assert.Equal(LocalCloudFixture.DrAccountId, error.AccountId);
        Assert.Equal("arn:aws:iam::555555555555:role/CloudPatternsExecution", error.RoleArn);
        Assert.Equal("AccessDenied", error.ErrorCode);
        Assert.False(string.IsNullOrEmpty(error.RequestId));
        Assert.Contains(error.RoleArn, error.Message);
        Assert.Contains("does not exist", error.Hint);
        Assert.Contains("trust policy", error.Hint);
        Assert.Contains("-ExternalId", error.Hint);
        Assert.Contains(error.RequestId!, error.Message);
    }

    [Fact]
    public async Task TheAgreedExternalIdOpensTheExecutionRole()
    {
        AwsConnectionSettings settings = cloud.ManagementSettings();
        settings.RoleName = ExecutionRole;
        settings.ExternalId = cloud.Server.Organization.ExecutionRoleExternalId;
        using AwsSession session = await AwsSession.CreateAsync(settings);

        AwsTarget target = await session.GetTargetAsync(LocalCloudFixture.DrAccountId, LocalCloudFixture.DrRegion);
        ListBackupVaultsResponse vaults = await target.Backup.ListBackupVaultsAsync(new ListBackupVaultsRequest());

        Assert.Equal("arn:aws:iam::555555555555:role/CloudPatternsExecution", target.RoleArn);
        Assert.NotNull(vaults.BackupVaultList);
    }

    [Fact]
    public async Task FanOutReportsRefusedAccountsAsFailuresAndServesTheRest()
    {
        AwsConnectionSettings settings = cloud.ManagementSettings();
        settings.RoleName = ExecutionRole;
        using AwsSession session = await AwsSession.CreateAsync(settings);
        IReadOnlyList<FanOutTarget> targets = session.CreateTargets(
            new[] { LocalCloudFixture.ManagementAccountId, LocalCloudFixture.ProductionAccountId },
            new[] { LocalCloudFixture.PrimaryRegion, LocalCloudFixture.DrRegion });

        var items = new List<FanOutItem<int>>();
        await foreach (FanOutItem<int> item in FanOut.RunAsync(
            targets,
            async (target, token) =>
            {
                AwsTarget clients = await session.GetTargetAsync(target, token);
                return (await clients.Backup.ListBackupVaultsAsync(new ListBackupVaultsRequest(), token)).BackupVaultList.Count;
            },
            new FanOutOptions { ThrottleLimit = 4 }))
        {
            items.Add(item);
        }

        Assert.Equal(4, items.Count);
        Assert.All(items.Where(i => i.Target.AccountId == LocalCloudFixture.ManagementAccountId), i => Assert.False(i.IsFailure));
        Assert.All(
            items.Where(i => i.Target.AccountId == LocalCloudFixture.ProductionAccountId),
            i =>
            {
                Assert.True(i.IsFailure);
                Assert.Equal("arn:aws:iam::333333333333:role/CloudPatternsExecution", i.Failure!.RoleArn);
                Assert.Equal("AccessDenied", i.Failure.ErrorCode);
                Assert.Contains("-ExternalId", i.Failure.Hint);
            });
    }

    [Fact]
    public async Task RenewsAssumedRoleCredentialsBeforeAChainedSessionExpires()
    {
        using AwsSession session = await AwsSession.CreateAsync(cloud.ManagementSettings(), cloud.Server.Clock.GetUtcNow, CancellationToken.None);
        AwsTarget target = await session.GetTargetAsync(LocalCloudFixture.LogArchiveAccountId, LocalCloudFixture.DrRegion);
        await target.Backup.ListBackupVaultsAsync(new ListBackupVaultsRequest());
        await cloud.ClearRequestsAsync();

        cloud.Server.Clock.Advance(TimeSpan.FromMinutes(61));
        await target.Backup.ListBackupVaultsAsync(new ListBackupVaultsRequest());

        IReadOnlyList<LocalCloudFixture.LoggedRequest> requests = await cloud.RequestsAsync();
        Assert.Single(requests, r => r.Operation == "AssumeRole");
        Assert.Equal(200, Assert.Single(requests, r => r.Operation == "ListBackupVaults").StatusCode);
    }
}
