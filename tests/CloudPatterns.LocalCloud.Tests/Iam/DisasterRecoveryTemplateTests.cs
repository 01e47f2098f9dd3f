using CloudPatterns.LocalCloud.CloudFormation.Stacks;

namespace CloudPatterns.LocalCloud.Tests.Iam;

/// <summary>
/// The module's disaster-recovery templates (templates/disaster-recovery) deploy into LocalCloud with their IAM roles
/// made for real: the member plan's backup role is what its selection names, and the execution role's policy is the
/// one the cmdlets need.
/// </summary>
public sealed class DisasterRecoveryTemplateTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task The_dr_templates_create_their_roles_in_iam()
    {
        var execution = await DeployAsync("444444444444", "dr-execution", "execution-roles.yaml", new()
        {
            ["TrustedAccountId"] = "111111111111",
            ["ExternalId"] = "template-test",
            ["RoleName"] = "TemplateExecution",
        });
        var member = await DeployAsync("333333333333", "dr-member", "member-backup-plan.yaml", new() { ["VaultAccountId"] = "222222222222" });
        var pilotLight = await DeployAsync("555555555555", "dr-pilot-light", "pilot-light-dr-account.yaml", new()
        {
            ["OrganizationId"] = cloud.Organization.Id,
            ["VaultAccountId"] = "222222222222",
        });

        Assert.Equal(("CREATE_COMPLETE", "CREATE_COMPLETE", "CREATE_COMPLETE"), (execution.Status, member.Status, pilotLight.Status));
        var iam = cloud.Server.State.Iam;
        var executionRole = iam.GetRole("444444444444", "TemplateExecution");
        Assert.Contains("iam:GetRole", iam.GetRolePolicy("444444444444", "TemplateExecution", "dr-readiness"), StringComparison.Ordinal);
        Assert.Contains("template-test", executionRole.AssumeRolePolicyDocument, StringComparison.Ordinal);
        var backupRoleArn = member.Outputs.Single(output => output.OutputKey == "BackupRoleArn").OutputValue;
        var backupRole = iam.FindRole(backupRoleArn);
        Assert.NotNull(backupRole);
        Assert.Equal(("/service-role/", backupRoleArn), (backupRole.Path, backupRole.Arn));
        Assert.Equal(
            ["arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup", "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores"],
            backupRole.AttachedPolicyArns);
        var restoreRole = Assert.Single(iam.ListRoles("555555555555", "/service-role/"), role => role.RoleName.StartsWith("dr-pilot-light-RestoreRole-", StringComparison.Ordinal));
        Assert.Equal(["arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores"], restoreRole.AttachedPolicyArns);
    }

    private async Task<Stack> DeployAsync(string accountId, string name, string template, Dictionary<string, string> parameters)
    {
        var stack = cloud.Server.State.CloudFormation.CreateStack(accountId, "us-east-2", new StackInput
        {
            StackName = name,
            TemplateBody = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "templates", "disaster-recovery", template)),
            Parameters = parameters,
            Capabilities = ["CAPABILITY_NAMED_IAM"],
        });
        await stack.Operation;
        return stack;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory.FullName, "CloudPatterns.sln")))
        {
            directory = directory.Parent ?? throw new InvalidOperationException("The tests run outside the repository.");
        }

        return directory.FullName;
    }
}
