using System.Text.Json;
using CloudPatterns.Aws;
using CloudPatterns.Core.Organizations;
using CloudPatterns.Tests;

namespace CloudPatterns.Core.Tests;

/// <summary>Get-OrgAccount's query against LocalCloud's default organization plus generated workload accounts.</summary>
public sealed class OrgAccountQueryTests : IClassFixture<LocalCloudFixture>, IAsyncLifetime
{
    private const int SeededAccounts = 5 + LocalCloudFixture.WorkloadAccountCount;
    private readonly LocalCloudFixture cloud;
    private AwsSession session = null!;

    public OrgAccountQueryTests(LocalCloudFixture cloud) => this.cloud = cloud;

    public async Task InitializeAsync() => session = await AwsSession.CreateAsync(cloud.ManagementSettings());

    public Task DisposeAsync()
    {
        session.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ListsEveryAccountWithItsOuPathAndTagsCallingNothingPerAccountButTags()
    {
        await cloud.ClearRequestsAsync();

        List<OrgAccount> accounts = await RunAsync(new OrgAccountFilter());

        Assert.Equal(SeededAccounts, accounts.Count);
        Assert.Equal(accounts.Count, accounts.Select(a => a.AccountId).Distinct().Count());
        AssertAccount(accounts, LocalCloudFixture.ManagementAccountId, "management", "Root", "management");
        AssertAccount(accounts, LocalCloudFixture.LogArchiveAccountId, "log-archive", "Root/Security", "security");
        AssertAccount(accounts, LocalCloudFixture.ProductionAccountId, "production", "Root/Workloads", "production");
        AssertAccount(accounts, LocalCloudFixture.DrAccountId, "dr", "Root/Recovery", "dr");
        OrgAccount staging = accounts.Single(a => a.AccountId == LocalCloudFixture.StagingAccountId);
        Assert.Equal("staging@example.com", staging.Email);
        Assert.Equal("ACTIVE", staging.Status);
        Assert.Equal("arn:aws:organizations::111111111111:account/o-lc0example01/444444444444", staging.Arn);
        Assert.NotNull(staging.JoinedTimestamp);

        IReadOnlyList<LocalCloudFixture.LoggedRequest> requests = await cloud.RequestsAsync();
        Assert.DoesNotContain(requests, r => r.Operation == "ListParents");
        Assert.Equal(SeededAccounts, requests.Count(r => r.Operation == "ListTagsForResource"));
        Assert.InRange(requests.Count(r => r.Operation == "ListAccountsForParent"), 4, 6);
    }

    [Fact]
    public async Task AnOuWithoutRecurseGivesOnlyTheAccountsDirectlyInIt()
    {
        string workloadsId = cloud.Server.Organization.OrganizationalUnits.Single(u => u.Name == "Workloads").Id;

        List<OrgAccount> accounts = await RunAsync(new OrgAccountFilter { OrganizationalUnitId = workloadsId });

        Assert.Equal(2 + LocalCloudFixture.WorkloadAccountCount, accounts.Count);
        Assert.All(accounts, a => Assert.Equal("Root/Workloads", a.OrganizationalUnitPath));
        Assert.All(accounts, a => Assert.Equal(workloadsId, a.ParentId));
    }

    [Fact]
    public async Task TheRootWithRecurseGivesTheWholeOrganization()
    {
        List<OrgAccount> rootOnly = await RunAsync(new OrgAccountFilter { OrganizationalUnitId = "r-lc01" });
        List<OrgAccount> everything = await RunAsync(new OrgAccountFilter { OrganizationalUnitId = "r-lc01", Recurse = true });

        Assert.Equal(LocalCloudFixture.ManagementAccountId, Assert.Single(rootOnly).AccountId);
        Assert.Equal(SeededAccounts, everything.Count);
    }

    [Fact]
    public async Task FiltersByTagAndStatus()
    {
        List<OrgAccount> production = await RunAsync(new OrgAccountFilter { Tag = new Dictionary<string, string> { ["Environment"] = "production" } });
        List<OrgAccount> tagged = await RunAsync(new OrgAccountFilter { Tag = new Dictionary<string, string> { ["Environment"] = "" } });
        List<OrgAccount> suspended = await RunAsync(new OrgAccountFilter { Status = new[] { "SUSPENDED" } });
        List<OrgAccount> active = await RunAsync(new OrgAccountFilter { Status = new[] { "active" } });

        Assert.Equal(LocalCloudFixture.ProductionAccountId, Assert.Single(production).AccountId);
        Assert.Equal(SeededAccounts, tagged.Count);
        Assert.Empty(suspended);
        Assert.Equal(SeededAccounts, active.Count);
    }

    [Fact]
    public async Task AccountsSurviveJsonSerialisation()
    {
        OrgAccount dr = (await RunAsync(new OrgAccountFilter { Tag = new Dictionary<string, string> { ["Environment"] = "dr" } })).Single();

        using JsonDocument json = JsonDocument.Parse(JsonSerializer.Serialize(dr));

        Assert.Equal(LocalCloudFixture.DrAccountId, json.RootElement.GetProperty("AccountId").GetString());
        Assert.Equal("Root/Recovery", json.RootElement.GetProperty("OrganizationalUnitPath").GetString());
        Assert.Equal("dr", json.RootElement.GetProperty("Tags").GetProperty("Environment").GetString());
    }

    private async Task<List<OrgAccount>> RunAsync(OrgAccountFilter filter)
    {
        var accounts = new List<OrgAccount>();
        await foreach (OrgAccount account in OrgAccountQuery.RunAsync(session, filter))
        {
            accounts.Add(account);
        }

        return accounts;
    }

    private static void AssertAccount(List<OrgAccount> accounts, string accountId, string name, string path, string environment)
    {
        OrgAccount account = Assert.Single(accounts, a => a.AccountId == accountId);
        Assert.Equal(name, account.Name);
        Assert.Equal(path, account.OrganizationalUnitPath);
        Assert.Equal(environment, account.Tags["Environment"]);
    }
}
