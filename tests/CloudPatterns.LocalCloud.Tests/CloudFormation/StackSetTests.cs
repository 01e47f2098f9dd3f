using System.Text.Json;

namespace CloudPatterns.LocalCloud.Tests.CloudFormation;

/// <summary>StackSets through boto3 against the sample organization plus 200 generated workload accounts.</summary>
public sealed class StackSetTests
{
    [Fact]
    public async Task ServiceManagedStackSet_ReachesEveryWorkloadAccount_AndFollowsAccountsMovedInAndOut()
    {
        await using var server = await LocalCloudServer.StartAsync(new LocalCloudOptions { WorkloadAccountCount = 200 });

        var result = await AwsClients.RunPythonScriptAsync(server, AwsCredentials.Of(server.Organization.ManagementCredentials),
            "stacksets_client.py", RepositoryFile("templates", "disaster-recovery", "member-backup-plan.yaml"));

        Assert.Equal("DISABLED", Text(result, "accessBefore"));
        Assert.Equal("ValidationError: You must enable organizations access to operate a service managed stack set", Text(result, "withoutAccess"));
        Assert.Equal("ENABLED", Text(result, "accessAfter"));
        Assert.Equal(["member.org.stacksets.cloudformation.amazonaws.com"], Strings(result, "principals"));
        Assert.StartsWith("member-backup:", Text(result, "stackSetId"), StringComparison.Ordinal);
        Assert.Equal("NameAlreadyExistsException: StackSet member-backup already exists", Text(result, "again"));
        Assert.StartsWith("OperationInProgressException: ", Text(result, "busy"), StringComparison.Ordinal);

        Assert.Equal("SUCCEEDED", Text(result, "create"));
        Assert.Equal(202, result.GetProperty("instances").GetInt32());
        Assert.Equal(202, result.GetProperty("results").GetInt32());
        Assert.Equal(["CURRENT/SUCCEEDED"], Strings(result, "instanceStates"));
        var accounts = Strings(result, "accounts");
        Assert.Contains("333333333333", accounts);
        Assert.Contains("444444444444", accounts);
        Assert.Contains("900000000001", accounts);
        Assert.DoesNotContain("111111111111", accounts);
        Assert.DoesNotContain("555555555555", accounts);
        Assert.Equal(1, result.GetProperty("memberStacks").GetInt32());

        Assert.Equal("DuplicateAccountException: That account is already present in the specified destination.", Text(result, "moveAgain"));
        Assert.Equal(["CREATE:SUCCEEDED", "DELETE:SUCCEEDED", "CREATE:SUCCEEDED"], Strings(result, "operations"));
        Assert.False(result.GetProperty("movedOutListed").GetBoolean());
        Assert.Equal(0, result.GetProperty("movedOutStacks").GetInt32());
        Assert.True(result.GetProperty("movedInListed").GetBoolean());
        Assert.Equal(1, result.GetProperty("movedInStacks").GetInt32());
        Assert.Equal("StackSetNotEmptyException: StackSet member-backup is not empty", Text(result, "notEmpty"));
        Assert.Equal("StackSetNotFoundException: StackSet no-such-set not found", Text(result, "unknown"));
    }

    internal static string RepositoryFile(params string[] parts)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CloudPatterns.sln")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        return Path.Combine([directory.FullName, .. parts]);
    }

    private static string? Text(JsonElement result, string name) => result.GetProperty(name).GetString();

    private static List<string?> Strings(JsonElement result, string name) =>
        result.GetProperty(name).EnumerateArray().Select(item => item.GetString()).ToList();
}
