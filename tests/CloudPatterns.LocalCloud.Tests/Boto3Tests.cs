using System.Text.Json;

namespace CloudPatterns.LocalCloud.Tests;

/// <summary>Every implemented operation through boto3, parsed by botocore's own models.</summary>
public sealed class Boto3Tests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task EveryOperation_AnswersAsTheBotocoreModelExpects()
    {
        var results = await AwsClients.RunBoto3Async(fixture.Server, fixture.Management, "conformance");

        Assert.Equal("arn:aws:iam::111111111111:user/admin", Text(results, "GetCallerIdentity", "Arn"));
        Assert.Equal("arn:aws:sts::333333333333:assumed-role/CloudPatternsExecution/boto3", Text(results, "AssumedCallerIdentity", "Arn"));
        Assert.StartsWith("AROA", Text(results, "AssumeRole", "AssumedRoleUser", "AssumedRoleId"));
        Assert.Equal(("AccessDenied", 403), Error(results, "AssumeRoleWrongExternalId"));

        Assert.Equal("o-lc0example01", Text(results, "DescribeOrganization", "Organization", "Id"));
        Assert.Equal("r-lc01", results.GetProperty("ListRoots").GetProperty("Roots")[0].GetProperty("Id").GetString());
        Assert.Equal(3, results.GetProperty("ListOrganizationalUnitsForParent").GetProperty("OrganizationalUnits").GetArrayLength());
        Assert.Equal(5, results.GetProperty("ListAccounts").GetProperty("Accounts").GetArrayLength());
        Assert.False(results.GetProperty("ListAccounts").TryGetProperty("NextToken", out _));
        Assert.Equal(2, results.GetProperty("ListAccountsForParent").GetProperty("Accounts").GetArrayLength());
        Assert.Equal("production", Text(results, "DescribeAccount", "Account", "Name"));
        Assert.Equal(("AccountNotFoundException", 400), Error(results, "DescribeAccountUnknown"));
        Assert.Equal("ORGANIZATIONAL_UNIT", results.GetProperty("ListParents").GetProperty("Parents")[0].GetProperty("Type").GetString());
        Assert.Equal(3, results.GetProperty("ListChildren").GetProperty("Children").GetArrayLength());
        Assert.Equal("production", results.GetProperty("ListTagsForResource").GetProperty("Tags")[0].GetProperty("Value").GetString());
        Assert.Equal(("InvalidInputException", 400), Error(results, "ListAccountsBadToken"));

        Assert.Equal("false", Text(results, "DescribeGlobalSettings", "GlobalSettings", "isCrossAccountBackupEnabled"));
        Assert.Equal("true", Text(results, "DescribeGlobalSettingsAfterUpdate", "GlobalSettings", "isCrossAccountBackupEnabled"));
        Assert.Equal("arn:aws:backup:us-east-2:111111111111:backup-vault:boto3-vault", Text(results, "CreateBackupVault", "BackupVaultArn"));
        Assert.Equal(("AlreadyExistsException", 400), Error(results, "CreateBackupVaultAgain"));
        Assert.Equal("boto3-vault", results.GetProperty("ListBackupVaults").GetProperty("BackupVaultList")[0].GetProperty("BackupVaultName").GetString());
        Assert.Equal("AVAILABLE", Text(results, "DescribeBackupVault", "VaultState"));
        Assert.Equal(("AccessDeniedException", 403), Error(results, "DescribeBackupVaultUnknown"));

        Assert.Equal(0, results.GetProperty("DescribeStacks").GetProperty("Stacks").GetArrayLength());
        Assert.Equal(("ValidationError", 400), Error(results, "DescribeStacksUnknown"));
        Assert.Equal(0, results.GetProperty("ListStacks").GetProperty("StackSummaries").GetArrayLength());
    }

    [Fact]
    public async Task ListAccountsPaginator_WithMaxResultsTwo_ReturnsGeneratedWorkloadAccountsToo()
    {
        await using var server = await LocalCloudServer.StartAsync(new LocalCloudOptions { WorkloadAccountCount = 25 });

        var result = await AwsClients.RunBoto3Async(server, AwsCredentials.Of(server.Organization.ManagementCredentials), "all-accounts");

        var ids = result.GetProperty("Ids").EnumerateArray().Select(id => id.GetString()).ToList();
        Assert.Equal(30, ids.Count);
        Assert.Equal(30, ids.Distinct().Count());
        Assert.Equal("900000000001", ids[5]);
        Assert.Equal("900000000025", ids[^1]);
        Assert.Equal(15, result.GetProperty("Pages").GetInt32());
    }

    private static string? Text(JsonElement results, params string[] path) =>
        path.Aggregate(results, (element, member) => element.GetProperty(member)).GetString();

    private static (string?, int) Error(JsonElement results, string operation)
    {
        var error = results.GetProperty(operation);
        return (error.GetProperty("error").GetString(), error.GetProperty("status").GetInt32());
    }
}
