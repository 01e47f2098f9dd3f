using System.Net;
using Amazon.Runtime;
using CloudPatterns.Aws.Backup;
using CloudPatterns.Aws.CloudFormation;
using CloudPatterns.Aws.Diagnostics;
using CloudPatterns.Aws.Iam;
using CloudPatterns.Aws.Organizations;
using CloudPatterns.Tests;

namespace CloudPatterns.Aws.Tests;

/// <summary>Every implemented operation over HTTP against LocalCloud, signed with SigV4 by the SDK pipeline.</summary>
public sealed class ClientsTests : IClassFixture<LocalCloudFixture>, IAsyncLifetime
{
    private readonly LocalCloudFixture cloud;
    private readonly List<AwsCallRecord> calls = new();
    private AwsSession session = null!;

    public ClientsTests(LocalCloudFixture cloud) => this.cloud = cloud;

    public async Task InitializeAsync()
    {
        AwsConnectionSettings settings = cloud.ManagementSettings();
        settings.AwsCallCompleted = calls.Add;
        session = await AwsSession.CreateAsync(settings);
    }

    public Task DisposeAsync()
    {
        session.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task OrganizationsDescribesTheOrganizationAndItsRoot()
    {
        OrganizationsClient organizations = (await session.GetTargetAsync(session.CallerAccountId)).Organizations;

        DescribeOrganizationResponse organization = await organizations.DescribeOrganizationAsync(new DescribeOrganizationRequest());
        Root root = Assert.Single(await ToListAsync(organizations.ListAllRootsAsync()));

        Assert.Equal("o-lc0example01", organization.Organization!.Id);
        Assert.Equal(LocalCloudFixture.ManagementAccountId, organization.Organization.MasterAccountId);
        Assert.False(string.IsNullOrEmpty(organization.ResponseMetadata.RequestId));
        Assert.Equal("r-lc01", root.Id);
        Assert.Equal("Root", root.Name);
    }

    [Fact]
    public async Task OrganizationsStreamsEveryPageOfAccounts()
    {
        OrganizationsClient organizations = (await session.GetTargetAsync(session.CallerAccountId)).Organizations;
        await cloud.ClearRequestsAsync();

        List<Account> accounts = await ToListAsync(organizations.ListAllAccountsAsync());

        Assert.Equal(5 + LocalCloudFixture.WorkloadAccountCount, accounts.Count);
        Assert.Equal(accounts.Count, accounts.Select(a => a.Id).Distinct().Count());
        Account production = Assert.Single(accounts, a => a.Id == LocalCloudFixture.ProductionAccountId);
        Assert.Equal("production", production.Name);
        Assert.Equal("production@example.com", production.Email);
        Assert.Equal("ACTIVE", production.Status);
        Assert.Equal(DateTimeKind.Utc, production.JoinedTimestamp!.Value.Kind);
        List<LocalCloudFixture.LoggedRequest> pages = (await cloud.RequestsAsync()).Where(r => r.Operation == "ListAccounts").ToList();
        Assert.Equal(2, pages.Count);
        Assert.All(pages, page => Assert.Equal("us-east-1", page.Region)); // Organizations is global: signed for us-east-1
    }

    [Fact]
    public async Task OrganizationsListsTheTreeParentsAndTags()
    {
        OrganizationsClient organizations = (await session.GetTargetAsync(session.CallerAccountId)).Organizations;

        List<OrganizationalUnit> units = await ToListAsync(organizations.ListAllOrganizationalUnitsForParentAsync("r-lc01"));
        OrganizationalUnit workloads = Assert.Single(units, u => u.Name == "Workloads");
        List<Account> workloadAccounts = await ToListAsync(organizations.ListAllAccountsForParentAsync(workloads.Id!));
        Parent parent = Assert.Single(await ToListAsync(organizations.ListAllParentsAsync(LocalCloudFixture.StagingAccountId)));
        Organizations.Tag tag = Assert.Single(await ToListAsync(organizations.ListAllTagsForResourceAsync(LocalCloudFixture.StagingAccountId)));
        DescribeAccountResponse described = await organizations.DescribeAccountAsync(new DescribeAccountRequest { AccountId = LocalCloudFixture.DrAccountId });

        Assert.Equal(new[] { "Recovery", "Security", "Workloads" }, units.Select(u => u.Name).OrderBy(n => n));
        Assert.Contains(workloadAccounts, a => a.Id == LocalCloudFixture.ProductionAccountId);
        Assert.Equal(2 + LocalCloudFixture.WorkloadAccountCount, workloadAccounts.Count);
        Assert.Equal(workloads.Id, parent.Id);
        Assert.Equal("ORGANIZATIONAL_UNIT", parent.Type);
        Assert.Equal(("Environment", "staging"), (tag.Key, tag.Value));
        Assert.Equal("dr", described.Account!.Name);
    }

    [Fact]
    public async Task JsonErrorsKeepTheAwsCodeStatusAndRequestId()
    {
        OrganizationsClient organizations = (await session.GetTargetAsync(session.CallerAccountId)).Organizations;

        var error = await Assert.ThrowsAnyAsync<AmazonServiceException>(
            () => organizations.DescribeAccountAsync(new DescribeAccountRequest { AccountId = "999999999999" }));

        Assert.Equal("AccountNotFoundException", error.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("You specified an account that doesn't exist.", error.Message);
        Assert.False(string.IsNullOrEmpty(error.RequestId));
    }

    [Fact]
    public async Task BackupCreatesDescribesAndListsVaultsInAnAssumedRoleAccount()
    {
        BackupClient backup = (await session.GetTargetAsync(LocalCloudFixture.ProductionAccountId, LocalCloudFixture.DrRegion)).Backup;

        CreateBackupVaultResponse created = await backup.CreateBackupVaultAsync(new CreateBackupVaultRequest
        {
            BackupVaultName = "clients-test-vault",
            BackupVaultTags = new Dictionary<string, string> { ["Pattern"] = "dr" },
        });
        DescribeBackupVaultResponse described = await backup.DescribeBackupVaultAsync(new DescribeBackupVaultRequest { BackupVaultName = "clients-test-vault" });
        List<BackupVaultListMember> listed = await ToListAsync(backup.ListAllBackupVaultsAsync());

        Assert.Equal($"arn:aws:backup:us-west-2:{LocalCloudFixture.ProductionAccountId}:backup-vault:clients-test-vault", created.BackupVaultArn);
        Assert.NotNull(created.CreationDate);
        Assert.Equal(created.BackupVaultArn, described.BackupVaultArn);
        Assert.Equal(0, described.NumberOfRecoveryPoints);
        Assert.Contains(listed, v => v.BackupVaultName == "clients-test-vault");
    }

    [Fact]
    public async Task BackupReportsAnUnknownVaultAsAwsDoes()
    {
        BackupClient backup = (await session.GetTargetAsync(LocalCloudFixture.ProductionAccountId)).Backup;

        var error = await Assert.ThrowsAnyAsync<AmazonServiceException>(
            () => backup.DescribeBackupVaultAsync(new DescribeBackupVaultRequest { BackupVaultName = "no-such-vault" }));

        Assert.Equal("AccessDeniedException", error.ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
    }

    [Fact]
    public async Task BackupReadsAndUpdatesGlobalSettingsInTheManagementAccount()
    {
        BackupClient backup = (await session.GetTargetAsync(session.CallerAccountId)).Backup;

        await backup.UpdateGlobalSettingsAsync(new UpdateGlobalSettingsRequest
        {
            GlobalSettings = new Dictionary<string, string> { ["isCrossAccountBackupEnabled"] = "true" },
        });
        DescribeGlobalSettingsResponse settings = await backup.DescribeGlobalSettingsAsync(new DescribeGlobalSettingsRequest());

        Assert.Equal("true", settings.GlobalSettings["isCrossAccountBackupEnabled"]);
    }

    [Fact]
    public async Task CloudFormationListsStacksAndReportsAMissingStackAsAwsDoes()
    {
        CloudFormationClient cloudFormation = (await session.GetTargetAsync(LocalCloudFixture.StagingAccountId)).CloudFormation;

        List<StackSummary> summaries = await ToListAsync(cloudFormation.ListAllStacksAsync(new[] { "CREATE_COMPLETE" }));
        List<Stack> stacks = await ToListAsync(cloudFormation.DescribeAllStacksAsync());
        var error = await Assert.ThrowsAnyAsync<AmazonServiceException>(
            () => cloudFormation.DescribeStacksAsync(new DescribeStacksRequest { StackName = "no-such-stack" }));

        Assert.Empty(summaries);
        Assert.Empty(stacks);
        Assert.Equal("ValidationError", error.ErrorCode);
        Assert.Equal("Stack with id no-such-stack does not exist", error.Message);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.False(string.IsNullOrEmpty(error.RequestId));
    }

    [Fact]
    public async Task IamReadsARoleWithItsDecodedTrustPolicy_SignedForTheGlobalRegion()
    {
        IamClient iam = (await session.GetTargetAsync(LocalCloudFixture.ProductionAccountId, LocalCloudFixture.DrRegion)).Iam;
        await cloud.ClearRequestsAsync();

        Role role = (await iam.GetRoleAsync(new GetRoleRequest { RoleName = "AWSBackupDefaultServiceRole" })).Role!;
        AmazonServiceException missing = await Assert.ThrowsAsync<AmazonServiceException>(() => iam.GetRoleAsync(new GetRoleRequest { RoleName = "NoSuchRole" }));

        Assert.Equal(("/service-role/", $"arn:aws:iam::{LocalCloudFixture.ProductionAccountId}:role/service-role/AWSBackupDefaultServiceRole", 3600), (role.Path, role.Arn, role.MaxSessionDuration));
        Assert.Contains("\"Service\": \"backup.amazonaws.com\"", role.TrustPolicyDocument, StringComparison.Ordinal);
        Assert.Equal(("NoSuchEntity", HttpStatusCode.NotFound, "The role with name NoSuchRole cannot be found."), (missing.ErrorCode, missing.StatusCode, missing.Message));
        Assert.All((await cloud.RequestsAsync()).Where(r => r.Operation == "GetRole"), request => Assert.Equal("us-east-1", request.Region));
    }

    [Fact]
    public async Task ReportsEveryCallWithoutCredentials()
    {
        calls.Clear();
        BackupClient backup = (await session.GetTargetAsync(LocalCloudFixture.StagingAccountId, LocalCloudFixture.DrRegion)).Backup;
        await ToListAsync(backup.ListAllBackupVaultsAsync());

        AwsCallRecord list = Assert.Single(calls, c => c.Operation == "ListBackupVaults");
        Assert.Equal("Backup", list.Service);
        Assert.Equal(LocalCloudFixture.StagingAccountId, list.AccountId);
        Assert.Equal(LocalCloudFixture.DrRegion, list.Region);
        Assert.Equal(200, list.StatusCode);
        Assert.Contains(calls, c => c.Service == "STS" && c.Operation == "AssumeRole" && c.AccountId == LocalCloudFixture.ManagementAccountId);
        string secret = cloud.Server.Organization.ManagementCredentials.SecretAccessKey;
        Assert.All(calls, c => Assert.DoesNotContain(secret, c.ToString()));
    }

    [Fact]
    public async Task ReportsAGlobalServiceCallInTheRegionItWasSignedFor()
    {
        OrganizationsClient organizations = (await session.GetTargetAsync(session.CallerAccountId, LocalCloudFixture.DrRegion)).Organizations;
        calls.Clear();
        await cloud.ClearRequestsAsync();

        await organizations.DescribeOrganizationAsync(new DescribeOrganizationRequest());

        AwsCallRecord call = Assert.Single(calls);
        Assert.Equal("us-east-1", call.Region);
        Assert.Contains("DescribeOrganization in 111111111111 us-east-1: 200", call.ToString(), StringComparison.Ordinal);
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (T item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
