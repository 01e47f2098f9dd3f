using System.Text.Json;

namespace CloudPatterns.LocalCloud.Tests;

public sealed class AwsCliV1Tests(LocalCloudFixture fixture) : CliConformanceTests(fixture, AwsCli.V1), IClassFixture<LocalCloudFixture>;

public sealed class AwsCliV2Tests(LocalCloudFixture fixture) : CliConformanceTests(fixture, AwsCli.V2), IClassFixture<LocalCloudFixture>;

/// <summary>Every implemented operation through the AWS CLI (v1 and v2), unchanged but for --endpoint-url.</summary>
public abstract class CliConformanceTests
{
    private const string ExecutionRole = "arn:aws:iam::333333333333:role/CloudPatternsExecution";
    private readonly LocalCloudFixture fixture;
    private readonly AwsCli cli;

    private protected CliConformanceTests(LocalCloudFixture fixture, AwsCli cli)
    {
        this.fixture = fixture;
        this.cli = cli;
    }

    [Fact]
    public async Task GetCallerIdentity_ReportsTheManagementAdmin()
    {
        var identity = await ManagementJsonAsync("sts", "get-caller-identity");

        Assert.Equal("111111111111", identity.GetProperty("Account").GetString());
        Assert.Equal("arn:aws:iam::111111111111:user/admin", identity.GetProperty("Arn").GetString());
        Assert.StartsWith("AIDA", identity.GetProperty("UserId").GetString());
    }

    [Fact]
    public async Task AssumeRole_ExecutionRoleWithTheSeedExternalId_GivesWorkingTemporaryCredentials()
    {
        var assumed = await ManagementJsonAsync(
            "sts", "assume-role", "--role-arn", ExecutionRole, "--role-session-name", "cli-test", "--external-id", "cloudpatterns-sandbox");
        var credentials = AwsCredentials.FromAssumeRole(assumed);

        Assert.Equal("arn:aws:sts::333333333333:assumed-role/CloudPatternsExecution/cli-test", assumed.GetProperty("AssumedRoleUser").GetProperty("Arn").GetString());
        Assert.StartsWith("ASIA", credentials.AccessKeyId);
        var expiration = Timestamp(assumed.GetProperty("Credentials").GetProperty("Expiration"));
        Assert.InRange(expiration - fixture.Server.Clock.GetUtcNow(), TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(61));

        var identity = (await RunAsync(credentials, "sts", "get-caller-identity")).Json;
        Assert.Equal("333333333333", identity.GetProperty("Account").GetString());
        Assert.Equal("arn:aws:sts::333333333333:assumed-role/CloudPatternsExecution/cli-test", identity.GetProperty("Arn").GetString());
        Assert.EndsWith(":cli-test", identity.GetProperty("UserId").GetString());
    }

    [Fact]
    public async Task AssumeRole_OrganizationAccountAccessRole_AcceptsAnyExternalId()
    {
        var assumed = await ManagementJsonAsync(
            "sts", "assume-role", "--role-arn", "arn:aws:iam::555555555555:role/OrganizationAccountAccessRole", "--role-session-name", "oaar", "--external-id", "anything-at-all");

        Assert.Equal("arn:aws:sts::555555555555:assumed-role/OrganizationAccountAccessRole/oaar", assumed.GetProperty("AssumedRoleUser").GetProperty("Arn").GetString());
    }

    [Fact]
    public async Task OrganizationStructure_IsReadAsSeeded()
    {
        var organization = fixture.Organization;
        var workloads = organization.OrganizationalUnits.Single(unit => unit.Name == "Workloads");
        var results = await Task.WhenAll(
            ManagementJsonAsync("organizations", "describe-organization"),
            ManagementJsonAsync("organizations", "list-roots"),
            ManagementJsonAsync("organizations", "list-organizational-units-for-parent", "--parent-id", organization.RootId),
            ManagementJsonAsync("organizations", "list-accounts-for-parent", "--parent-id", workloads.Id),
            ManagementJsonAsync("organizations", "list-parents", "--child-id", "333333333333"),
            ManagementJsonAsync("organizations", "list-children", "--parent-id", organization.RootId, "--child-type", "ORGANIZATIONAL_UNIT"));

        var described = results[0].GetProperty("Organization");
        Assert.Equal("o-lc0example01", described.GetProperty("Id").GetString());
        Assert.Equal("111111111111", described.GetProperty("MasterAccountId").GetString());
        Assert.Equal("r-lc01", results[1].GetProperty("Roots")[0].GetProperty("Id").GetString());
        Assert.Equal(["Security", "Workloads", "Recovery"], Strings(results[2], "OrganizationalUnits", "Name"));
        Assert.Equal(["333333333333", "444444444444"], Strings(results[3], "Accounts", "Id"));
        var parent = results[4].GetProperty("Parents")[0];
        Assert.Equal((workloads.Id, "ORGANIZATIONAL_UNIT"), (parent.GetProperty("Id").GetString(), parent.GetProperty("Type").GetString()));
        Assert.Equal(organization.OrganizationalUnits.Select(unit => unit.Id), Strings(results[5], "Children", "Id"));
    }

    [Fact]
    public async Task DescribeAccountAndTags_ReturnTheSeededAccount()
    {
        var results = await Task.WhenAll(
            RunAsync(fixture.Management, "organizations", "describe-account", "--account-id", "444444444444"),
            RunAsync(fixture.Management, "organizations", "list-tags-for-resource", "--resource-id", "444444444444"),
            RunAsync(fixture.Management, "organizations", "describe-account", "--account-id", "123456789012"));

        var account = results[0].Json.GetProperty("Account");
        Assert.Equal(("staging", "staging@example.com", "ACTIVE"), (account.GetProperty("Name").GetString(), account.GetProperty("Email").GetString(), account.GetProperty("Status").GetString()));
        Assert.InRange(Timestamp(account.GetProperty("JoinedTimestamp")), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow);
        var tag = results[1].Json.GetProperty("Tags")[0];
        Assert.Equal(("Environment", "staging"), (tag.GetProperty("Key").GetString(), tag.GetProperty("Value").GetString()));
        Assert.Equal("AccountNotFoundException", results[2].ErrorCode);
    }

    [Fact]
    public async Task ListAccounts_TwoPerPage_ReturnsEveryAccountOverThreePages()
    {
        var before = ListAccountsCalls();

        var accounts = await ManagementJsonAsync("organizations", "list-accounts", "--page-size", "2");

        Assert.Equal(fixture.Organization.Accounts.Select(account => account.Id), Strings(accounts, "Accounts", "Id"));
        Assert.Equal(3, ListAccountsCalls() - before);
    }

    [Fact]
    public async Task Backup_GlobalSettingsAndVaults_WorkPerAccountAndRegion()
    {
        Assert.Equal("false", (await ManagementJsonAsync("backup", "describe-global-settings")).GetProperty("GlobalSettings").GetProperty("isCrossAccountBackupEnabled").GetString());
        var update = await RunAsync(fixture.Management, "backup", "update-global-settings", "--global-settings", "isCrossAccountBackupEnabled=true");
        Assert.True(update.ExitCode == 0, update.Error);
        var created = await ManagementJsonAsync("backup", "create-backup-vault", "--backup-vault-name", "central-vault");

        var results = await Task.WhenAll(
            RunAsync(fixture.Management, "backup", "describe-global-settings"),
            RunAsync(fixture.Management, "backup", "list-backup-vaults"),
            RunAsync(fixture.Management, "backup", "describe-backup-vault", "--backup-vault-name", "central-vault"),
            RunAsync(fixture.Management, "backup", "describe-backup-vault", "--backup-vault-name", "no-such-vault"),
            RunAsync(fixture.Management, "backup", "list-backup-vaults", "--region", "us-west-2"),
            RunAsync(fixture.AdminOf("222222222222"), "backup", "list-backup-vaults"));

        Assert.Equal("arn:aws:backup:us-east-2:111111111111:backup-vault:central-vault", created.GetProperty("BackupVaultArn").GetString());
        Assert.Equal("true", results[0].Json.GetProperty("GlobalSettings").GetProperty("isCrossAccountBackupEnabled").GetString());
        Assert.Equal(["central-vault"], Strings(results[1].Json, "BackupVaultList", "BackupVaultName"));
        Assert.Equal("central-vault", results[2].Json.GetProperty("BackupVaultName").GetString());
        Assert.Equal("AccessDeniedException", results[3].ErrorCode);
        Assert.Contains("Insufficient privileges to perform this action.", results[3].Error, StringComparison.Ordinal);
        Assert.Empty(results[4].Json.GetProperty("BackupVaultList").EnumerateArray());
        Assert.Empty(results[5].Json.GetProperty("BackupVaultList").EnumerateArray());
    }

    [Fact]
    public async Task CloudFormation_ReadsAnAccountWithoutStacks()
    {
        var staging = fixture.AdminOf("444444444444");

        var results = await Task.WhenAll(
            RunAsync(staging, "cloudformation", "describe-stacks"),
            RunAsync(staging, "cloudformation", "list-stacks", "--stack-status-filter", "CREATE_COMPLETE"),
            RunAsync(staging, "cloudformation", "describe-stacks", "--stack-name", "missing"));

        Assert.Empty(results[0].Json.GetProperty("Stacks").EnumerateArray());
        Assert.Empty(results[1].Json.GetProperty("StackSummaries").EnumerateArray());
        Assert.Equal("ValidationError", results[2].ErrorCode);
        Assert.Contains("Stack with id missing does not exist", results[2].Error, StringComparison.Ordinal);
    }

    private int ListAccountsCalls() => fixture.Server.State.RequestLog.Snapshot().Count(entry => entry.Operation == "ListAccounts");

    private Task<ProcessResult> RunAsync(AwsCredentials credentials, params string[] arguments) =>
        AwsClients.RunCliAsync(cli, fixture.Server, credentials, arguments);

    private async Task<JsonElement> ManagementJsonAsync(params string[] arguments) => (await RunAsync(fixture.Management, arguments)).Json;

    /// <summary>CLI v1 prints timestamps as the wire sent them (epoch seconds for JSON protocols); v2 as ISO 8601.</summary>
    private static DateTimeOffset Timestamp(JsonElement value) => value.ValueKind == JsonValueKind.Number
        ? DateTimeOffset.FromUnixTimeMilliseconds((long)(value.GetDouble() * 1000))
        : value.GetDateTimeOffset();

    private static List<string?> Strings(JsonElement response, string list, string member) =>
        response.GetProperty(list).EnumerateArray().Select(item => item.GetProperty(member).GetString()).ToList();
}
