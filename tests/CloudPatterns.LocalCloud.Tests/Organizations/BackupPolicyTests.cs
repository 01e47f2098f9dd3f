using System.Text.Json;

namespace CloudPatterns.LocalCloud.Tests.Organizations;

/// <summary>
/// Organizations backup policies (docs/localcloud-backup-policies.md) through boto3 on the sample organization plus
/// 200 generated workload accounts, and through the AWS CLI v1 and v2.
/// </summary>
public sealed class BackupPolicyTests
{
    [Fact]
    public async Task BackupPolicy_MergesAlongTheTree_AndBackupKeepsTheOrgManagedPlansInEveryAccount()
    {
        await using var server = await LocalCloudServer.StartAsync(new LocalCloudOptions { WorkloadAccountCount = 200 });

        var result = await AwsClients.RunPythonScriptAsync(server, AwsCredentials.Of(server.Organization.ManagementCredentials), "backup_policies_client.py");

        Assert.Matches(@"^arn:aws:organizations::111111111111:policy/o-[a-z0-9]+/backup_policy/p-[a-z0-9]{8}$", Text(result, "arn"));
        Assert.Equal("PolicyTypeNotEnabledException: This operation can be performed only for enabled policy types.", Text(result, "attachDisabled"));
        Assert.StartsWith("EffectivePolicyNotFoundException: The BACKUP_POLICY policy type is not enabled", Text(result, "effectiveDisabled"), StringComparison.Ordinal);
        var malformed = Text(result, "malformed")!;
        Assert.StartsWith("MalformedPolicyDocumentException: ", malformed, StringComparison.Ordinal);
        Assert.Contains("'plans.p.regions.@@replace' is not an inheritance operator", malformed, StringComparison.Ordinal);
        Assert.Contains("'plans.p.rulez' is not a plan element", malformed, StringComparison.Ordinal);
        Assert.StartsWith("MalformedPolicyDocumentException: ", Text(result, "notJson"), StringComparison.Ordinal);
        Assert.StartsWith("ConstraintViolationException: ", Text(result, "tooLarge"), StringComparison.Ordinal);
        Assert.StartsWith("InvalidInputException: ", Text(result, "unsupportedType"), StringComparison.Ordinal);

        Assert.Equal(["BACKUP_POLICY", "SERVICE_CONTROL_POLICY"], Strings(result, "rootTypes"));
        Assert.StartsWith("PolicyTypeAlreadyEnabledException", Text(result, "enableAgain"), StringComparison.Ordinal);
        Assert.StartsWith("EffectivePolicyNotFoundException: Account 333333333333 has no effective policy", Text(result, "noneAttached"), StringComparison.Ordinal);
        Assert.Equal(["root-backup", "workloads-backup"], Strings(result, "listed"));
        Assert.Equal(["FullAWSAccess"], Strings(result, "scpsUntouched"));

        // Keys in lower case; the OU appended a region and removed a tag value; the vault the root locked stays.
        var plan = result.GetProperty("effective").GetProperty("plans").GetProperty("workload_backup");
        Assert.Equal(["us-east-2", "us-west-2"], plan.GetProperty("regions").EnumerateArray().Select(region => region.GetString()));
        Assert.Equal("org-vault", plan.GetProperty("rules").GetProperty("hourly").GetProperty("target_backup_vault_name").GetString());
        Assert.Equal(["daily"], plan.GetProperty("selections").GetProperty("tags").GetProperty("daily").GetProperty("tag_value").EnumerateArray().Select(value => value.GetString()));
        var security = result.GetProperty("effectiveSecurity").GetProperty("plans").GetProperty("workload_backup");
        Assert.Equal(["us-east-2"], security.GetProperty("regions").EnumerateArray().Select(region => region.GetString()));
        Assert.Equal(["daily", "hourly"], security.GetProperty("selections").GetProperty("tags").GetProperty("daily").GetProperty("tag_value").EnumerateArray().Select(value => value.GetString()));
        Assert.StartsWith("InvalidInputException: ", Text(result, "effectiveOu"), StringComparison.Ordinal);
        Assert.Equal("333333333333", Text(result, "memberOwn"));
        Assert.StartsWith("AccessDeniedException", Text(result, "memberOther"), StringComparison.Ordinal);

        var east = Strings(result, "productionEast");
        Assert.Single(east);
        Assert.StartsWith("orgs/", east[0], StringComparison.Ordinal);
        Assert.Single(Strings(result, "productionWest"));
        Assert.Empty(Strings(result, "securityWest"));
        Assert.Equal(1, result.GetProperty("generatedWest").GetInt32());
        Assert.Equal($"arn:aws:backup:us-east-2:333333333333:backup-plan:{east[0]}", Text(result, "planArn"));
        Assert.Equal("""[["hourly", "org-vault", 35, "arn:aws:backup:us-east-2:222222222222:backup-vault:central"]]""", result.GetProperty("planRules").GetRawText());
        Assert.Equal("arn:aws:iam::333333333333:role/service-role/AWSBackupDefaultServiceRole", Text(result, "selectionRole"));
        foreach (var refused in new[] { "memberUpdate", "memberDelete", "memberSelection" })
        {
            Assert.StartsWith("InvalidRequestException: Backup plan orgs/", Text(result, refused), StringComparison.Ordinal);
        }

        Assert.Equal(east, Strings(result, "jobsFromPlan"));
        // Production's seven resources tagged backup=daily, one of each type.
        Assert.Equal(7, result.GetProperty("jobResources").GetInt32());

        Assert.Equal(0, result.GetProperty("movedOutWest").GetInt32());
        Assert.Equal(1, result.GetProperty("movedOutEast").GetInt32());
        Assert.Equal(1, result.GetProperty("movedInWest").GetInt32());
        Assert.Empty(Strings(result, "incompleteEast"));
        Assert.Equal(JsonValueKind.Null, result.GetProperty("detachLast").ValueKind);
        Assert.StartsWith("PolicyInUseException", Text(result, "deleteAttached"), StringComparison.Ordinal);
        Assert.Equal(0, result.GetProperty("afterDisable").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("deleteDetached").ValueKind);
    }

    [Theory]
    [InlineData("V1")]
    [InlineData("V2")]
    public async Task BackupPolicy_ThroughTheAwsCli(string cliVersion)
    {
        var cli = Enum.Parse<AwsCli>(cliVersion);
        await using var server = await LocalCloudServer.StartAsync(new LocalCloudOptions());
        var management = AwsCredentials.Of(server.Organization.ManagementCredentials);
        Task<ProcessResult> Cli(params string[] arguments) => AwsClients.RunCliAsync(cli, server, management, ["--region", "us-east-2", .. arguments]);
        var root = (await Cli("organizations", "list-roots")).Json.GetProperty("Roots")[0].GetProperty("Id").GetString()!;
        const string content = """{"plans":{"Daily":{"regions":{"@@assign":["us-east-2"]},"rules":{"Nightly":{"schedule_expression":{"@@assign":"cron(0 5 * * ? *)"},"target_backup_vault_name":{"@@assign":"Default"}}},"selections":{"tags":{"Tagged":{"iam_role_arn":{"@@assign":"arn:aws:iam::$account:role/service-role/AWSBackupDefaultServiceRole"},"tag_key":{"@@assign":"backup"},"tag_value":{"@@assign":["daily"]}}}}}}}""";

        var malformed = await Cli("organizations", "create-policy", "--name", "bad", "--description", "x", "--type", "BACKUP_POLICY", "--content", """{"plans":{"p":{"regions":{"@@append":"us-east-2"}}}}""");
        Assert.Equal("MalformedPolicyDocumentException", malformed.ErrorCode);
        Assert.Equal(0, (await Cli("organizations", "enable-policy-type", "--root-id", root, "--policy-type", "BACKUP_POLICY")).ExitCode);
        var policyId = (await Cli("organizations", "create-policy", "--name", "daily", "--description", "x", "--type", "BACKUP_POLICY", "--content", content))
            .Json.GetProperty("Policy").GetProperty("PolicySummary").GetProperty("Id").GetString()!;
        Assert.Equal(0, (await Cli("organizations", "attach-policy", "--policy-id", policyId, "--target-id", "444444444444")).ExitCode);
        var effective = (await Cli("organizations", "describe-effective-policy", "--policy-type", "BACKUP_POLICY", "--target-id", "444444444444")).Json.GetProperty("EffectivePolicy");
        Assert.Equal("BACKUP_POLICY", effective.GetProperty("PolicyType").GetString());
        Assert.Contains("\"nightly\"", effective.GetProperty("PolicyContent").GetString(), StringComparison.Ordinal);
        var notFound = await Cli("organizations", "describe-effective-policy", "--policy-type", "BACKUP_POLICY", "--target-id", "333333333333");
        Assert.Equal("EffectivePolicyNotFoundException", notFound.ErrorCode);

        var staging = AwsCredentials.Of(server.Organization.Accounts.Single(account => account.Id == "444444444444").Admin);
        var plans = (await AwsClients.RunCliAsync(cli, server, staging, "--region", "us-east-2", "backup", "list-backup-plans")).Json.GetProperty("BackupPlansList");
        var planId = plans.EnumerateArray().Single(plan => plan.GetProperty("BackupPlanName").GetString() == "daily").GetProperty("BackupPlanId").GetString()!;
        Assert.StartsWith("orgs/", planId, StringComparison.Ordinal);
        var delete = await AwsClients.RunCliAsync(cli, server, staging, "--region", "us-east-2", "backup", "delete-backup-plan", "--backup-plan-id", planId);
        Assert.Equal("InvalidRequestException", delete.ErrorCode);
        Assert.Equal(0, (await Cli("organizations", "detach-policy", "--policy-id", policyId, "--target-id", "444444444444")).ExitCode);
        var after = (await AwsClients.RunCliAsync(cli, server, staging, "--region", "us-east-2", "backup", "list-backup-plans")).Json.GetProperty("BackupPlansList");
        Assert.DoesNotContain(after.EnumerateArray(), plan => plan.GetProperty("BackupPlanId").GetString() == planId);
    }

    private static string? Text(JsonElement result, string name) => result.GetProperty(name).GetString();

    private static List<string> Strings(JsonElement result, string name) =>
        [.. result.GetProperty(name).EnumerateArray().Select(item => item.GetString()!)];
}
