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

        Assert.StartsWith("ConstraintViolationException: ", Text(result, "registerManagement"), StringComparison.Ordinal);
        Assert.Equal(["222222222222"], Strings(result, "delegated"));
        Assert.Equal("ValidationError: You must be the management account or delegated admin account of an organization before operating a SERVICE_MANAGED stack set",
            Text(result, "delegatedAsSelf"));
        Assert.Equal("SUCCEEDED", Text(result, "intersection"));
        Assert.Equal(["444444444444"], Strings(result, "intersectionAccounts"));
        Assert.Equal("SUCCEEDED", Text(result, "driftOperation"));
        Assert.Equal("IN_SYNC", Text(result, "driftStatus"));
        Assert.Equal(["delegated:DELETED"], Strings(result, "afterDelete"));
        Assert.Equal(0, result.GetProperty("activeAfterDelete").GetInt32());
        Assert.Equal("StackSetNotFoundException: StackSet delegated not found", Text(result, "describeDeleted"));
    }

    [Theory]
    [InlineData("V1")]
    [InlineData("V2")]
    public async Task SelfManagedStackSet_StopsAtTheFailureTolerance_AndCancelsTheRegionsAfter(string cliVersion)
    {
        var cli = Enum.Parse<AwsCli>(cliVersion);
        await using var server = await LocalCloudServer.StartAsync(new LocalCloudOptions());
        var management = AwsCredentials.Of(server.Organization.ManagementCredentials);
        async Task<JsonElement> Cli(params string[] arguments) => (await AwsClients.RunCliAsync(cli, server, management, ["--region", "us-east-2", .. arguments])).Json;
        async Task<JsonElement> Finished(string operationId)
        {
            for (var attempt = 0; ; attempt++)
            {
                var operation = (await Cli("cloudformation", "describe-stack-set-operation", "--stack-set-name", "params", "--operation-id", operationId)).GetProperty("StackSetOperation");
                if (operation.GetProperty("Status").GetString() is not ("RUNNING" or "QUEUED") || attempt == 50)
                {
                    return operation;
                }

                await Task.Delay(200);
            }
        }

        // The management account has no OrganizationAccountAccessRole: its instance fails, and with no tolerance and
        // one account at a time nothing after it runs, in this region or the next.
        await Cli("cloudformation", "create-stack-set", "--stack-set-name", "params", "--execution-role-name", "OrganizationAccountAccessRole",
            "--template-body", """{"Resources":{"Flag":{"Type":"AWS::SSM::Parameter","Properties":{"Type":"String","Value":"on"}}}}""");
        var failedId = (await Cli("cloudformation", "create-stack-instances", "--stack-set-name", "params",
            "--accounts", "111111111111", "222222222222", "333333333333", "--regions", "us-east-2", "us-west-2",
            "--operation-preferences", "RegionConcurrencyType=SEQUENTIAL,RegionOrder=us-east-2,us-west-2,MaxConcurrentCount=1,FailureToleranceCount=0"))
            .GetProperty("OperationId").GetString()!;
        var failed = await Finished(failedId);
        var results = (await Cli("cloudformation", "list-stack-set-operation-results", "--stack-set-name", "params", "--operation-id", failedId))
            .GetProperty("Summaries").EnumerateArray()
            .Select(result => $"{result.GetProperty("Account").GetString()}/{result.GetProperty("Region").GetString()}:{result.GetProperty("Status").GetString()}")
            .Order(StringComparer.Ordinal).ToList();
        var instance = (await Cli("cloudformation", "describe-stack-instance", "--stack-set-name", "params",
            "--stack-instance-account", "111111111111", "--stack-instance-region", "us-east-2")).GetProperty("StackInstance");

        Assert.Equal("FAILED", failed.GetProperty("Status").GetString());
        Assert.Equal(1, failed.GetProperty("StatusDetails").GetProperty("FailedStackInstancesCount").GetInt32());
        Assert.Equal(
        [
            "111111111111/us-east-2:FAILED", "111111111111/us-west-2:CANCELLED", "222222222222/us-east-2:CANCELLED",
            "222222222222/us-west-2:CANCELLED", "333333333333/us-east-2:CANCELLED", "333333333333/us-west-2:CANCELLED",
        ], results);
        Assert.Equal("OUTDATED", instance.GetProperty("Status").GetString());
        Assert.Equal("FAILED", instance.GetProperty("StackInstanceStatus").GetProperty("DetailedStatus").GetString());
        Assert.Equal("Account 111111111111 should have 'OrganizationAccountAccessRole' role with trust relationship to Role 'AWSCloudFormationStackSetAdministrationRole'.",
            instance.GetProperty("StatusReason").GetString());

        // A tolerance of one lets the member accounts deploy although the management account fails again.
        var tolerantId = (await Cli("cloudformation", "update-stack-instances", "--stack-set-name", "params",
            "--accounts", "111111111111", "222222222222", "333333333333", "--regions", "us-east-2",
            "--operation-preferences", "MaxConcurrentCount=2,FailureToleranceCount=1")).GetProperty("OperationId").GetString()!;
        Assert.Equal("SUCCEEDED", (await Finished(tolerantId)).GetProperty("Status").GetString());
        var current = (await Cli("cloudformation", "list-stack-instances", "--stack-set-name", "params", "--filters", "Name=DETAILED_STATUS,Values=SUCCEEDED"))
            .GetProperty("Summaries").EnumerateArray().Select(summary => summary.GetProperty("Account").GetString()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["222222222222", "333333333333"], current);
        var both = await AwsClients.RunCliAsync(cli, server, management, "--region", "us-east-2", "cloudformation", "create-stack-instances",
            "--stack-set-name", "params", "--accounts", "222222222222", "--regions", "us-east-2", "--operation-preferences", "MaxConcurrentCount=1,MaxConcurrentPercentage=50");
        Assert.Equal("ValidationError", both.ErrorCode);
        var sideways = await AwsClients.RunCliAsync(cli, server, management, "--region", "us-east-2", "cloudformation", "create-stack-instances",
            "--stack-set-name", "params", "--accounts", "222222222222", "--regions", "us-east-2", "--operation-preferences", "RegionConcurrencyType=SIDEWAYS");
        Assert.Equal("ValidationError", sideways.ErrorCode);
        Assert.Contains("Value 'SIDEWAYS' at 'operationPreferences.regionConcurrencyType' failed to satisfy constraint: Member must satisfy enum value set: [SEQUENTIAL, PARALLEL]", sideways.Error, StringComparison.Ordinal);
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
