using System.Text.RegularExpressions;
using CloudPatterns.LocalCloud.Seed;

namespace CloudPatterns.LocalCloud.Tests;

/// <summary>Seed files: the default organization, generated accounts, nested OUs, and clear refusals.</summary>
public sealed class SeedTests
{
    private static readonly DateTimeOffset Joined = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void DefaultSeed_IsTheSandboxOrganization()
    {
        var organization = SeedLoader.Load(null, 0, Joined);

        Assert.Equal(("o-lc0example01", "r-lc01", "111111111111"), (organization.Id, organization.RootId, organization.ManagementAccountId));
        Assert.Equal(["us-east-2", "us-west-2"], organization.Regions);
        Assert.Equal(
            [
                ("111111111111", "management", "/"), ("222222222222", "log-archive", "/Security"), ("333333333333", "production", "/Workloads"),
                ("444444444444", "staging", "/Workloads"), ("555555555555", "dr", "/Recovery"),
            ],
            organization.Accounts.Select(account => (account.Id, account.Name, account.OrganizationalUnitPath)));
        Assert.All(organization.Accounts, account =>
        {
            Assert.Equal($"{account.Name}@example.com", account.Email);
            Assert.Equal($"AKIALC{account.Id}AD", account.Admin.AccessKeyId);
            Assert.Equal(account.Admin.AccessKeyId, account.Admin.ToString());
        });
        Assert.Empty(organization.ManagementAccount.Roles);
        Assert.All(organization.Accounts.Where(account => !account.IsManagementAccount), account =>
            Assert.Equal(["OrganizationAccountAccessRole", "CloudPatternsExecution", "service-role/AWSBackupDefaultServiceRole"], account.Roles.Select(role => role.Name)));
        (string, string)[] Protected(string name) => organization.Accounts.Single(account => account.Name == name).Resources
            .Where(resource => resource.Region == "us-east-2" && resource.Tags.GetValueOrDefault("backup") == "daily")
            .Select(resource => (resource.Type, resource.Name)).ToArray();
        (string, string)[] Databases(string name, string id) => [("RDS", $"{name}-db"), ("DynamoDB", $"{name}-orders"), ("EBS", $"vol-0{id}0001")];
        Assert.Equal(Databases("staging", "444444444444"), Protected("staging"));
        // Production also has one of each other type AWS Backup protects.
        Assert.Equal(
            [.. Databases("production", "333333333333"), ("Aurora", "production-aurora"), ("S3", "production-assets-333333333333"), ("EC2", "i-03333333333330001"), ("EFS", "production-shared")],
            Protected("production"));
        Assert.Equal("cloudpatterns-sandbox", organization.ExecutionRoleExternalId);
        Assert.All(organization.OrganizationalUnits, unit => Assert.Matches(@"^ou-lc01-[a-z0-9]{8}$", unit.Id));
    }

    [Fact]
    public void SampleSeedFile_IsTheEmbeddedDefault()
    {
        var file = Path.Combine(AppContext.BaseDirectory, "seeds", "sample-org.yaml");

        var fromFile = SeedLoader.Load(file, 0, Joined);
        var embedded = SeedLoader.Load(null, 0, Joined);

        Assert.Equal(embedded.Accounts.Select(account => (account.Id, account.Admin.SecretAccessKey)), fromFile.Accounts.Select(account => (account.Id, account.Admin.SecretAccessKey)));
        Assert.Equal(embedded.OrganizationalUnits.Select(unit => unit.Id), fromFile.OrganizationalUnits.Select(unit => unit.Id));
    }

    [Fact]
    public void WorkloadAccounts_AreGeneratedWithStableIdsKeysAndTags()
    {
        var organization = SeedLoader.Load(null, 12, Joined);

        var workloads = organization.Accounts.Skip(5).ToList();
        Assert.Equal(12, workloads.Count);
        Assert.Equal(("900000000001", "workload-0001", "/Workloads"), (workloads[0].Id, workloads[0].Name, workloads[0].OrganizationalUnitPath));
        Assert.Equal(("900000000012", "workload-0012"), (workloads[^1].Id, workloads[^1].Name));
        Assert.All(workloads, account =>
        {
            Assert.Equal($"AKIALC{account.Id}AD", account.Admin.AccessKeyId);
            Assert.Equal("workload", account.Tags["Environment"]);
            Assert.NotNull(account.FindRole("CloudPatternsExecution"));
        });
    }

    [Fact]
    public void NestedOrganizationalUnits_KnowTheirParents()
    {
        var organization = Load("""
            organization: { id: o-nested00001, rootId: r-ne01, managementAccountId: "111111111111" }
            regions: [eu-central-1]
            organizationalUnits:
              - name: Workloads
                tags: { Owner: platform }
                children:
                  - name: Prod
                    children: [{ name: Critical, id: ou-ne01-critical1 }]
            accounts:
              - id: "111111111111"
                name: root-account
                admin: { accessKeyId: AKIALC111111111111AD, secretAccessKey: secret-1 }
              - id: "123456789012"
                name: payments
                organizationalUnit: /Workloads/Prod/Critical
                admin: { accessKeyId: AKIALC123456789012AD, secretAccessKey: secret-2 }
            """);

        var units = organization.OrganizationalUnits;
        Assert.Equal(["/Workloads", "/Workloads/Prod", "/Workloads/Prod/Critical"], units.Select(unit => unit.Path));
        Assert.Equal([organization.RootId, units[0].Id, units[1].Id], units.Select(unit => unit.ParentId));
        Assert.Equal("ou-ne01-critical1", units[2].Id);
        Assert.Equal("platform", units[0].Tags["Owner"]);
        Assert.Equal("payments@example.com", organization.FindAccount("123456789012")!.Email);
        Assert.Null(organization.ExecutionRoleExternalId);
    }

    [Theory]
    [InlineData("accounts: []", "'organization' is missing")]
    [InlineData("organization: { id: o-bad, rootId: r-lc01, managementAccountId: '111111111111' }", "'organization.id' is 'o-bad'")]
    [InlineData("organization: { id: o-lc0example01, rootId: r-lc01, managementAccountId: '111111111111' }\nregions: [us-east-1]\nacounts: []", "acounts")]
    [InlineData(
        "organization: { id: o-lc0example01, rootId: r-lc01, managementAccountId: '111111111111' }\nregions: [us-east-1]\naccounts:\n  - { id: '111111111111', name: m, organizationalUnit: /Nowhere, admin: { accessKeyId: AKIALC111111111111AD, secretAccessKey: s } }",
        "names organizational unit '/Nowhere'")]
    [InlineData(
        "organization: { id: o-lc0example01, rootId: r-lc01, managementAccountId: '111111111111' }\nregions: [us-east-1]\naccounts:\n  - id: '111111111111'\n    name: m\n    admin: { accessKeyId: AKIALC111111111111AD, secretAccessKey: s }\n    roles: [{ name: R, trustPolicy: '{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"sts:AssumeRole\",\"Condition\":{\"IpAddressMatches\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}}]}' }]",
        "operator 'IpAddressMatches' is not valid")]
    public void InvalidSeed_IsRefusedWithTheReason(string yaml, string reason)
    {
        var error = Assert.Throws<InvalidDataException>(() => Load(yaml));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"^Seed .+\.yaml is not valid: "), error.Message);
    }

    private static SeedOrganization Load(string yaml)
    {
        var path = Path.Combine(Path.GetTempPath(), $"localcloud-seed-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        try
        {
            return SeedLoader.Load(path, 0, Joined);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
