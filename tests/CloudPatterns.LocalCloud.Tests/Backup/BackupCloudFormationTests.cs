using CloudPatterns.LocalCloud.CloudFormation.Stacks;
using CloudPatterns.LocalCloud.Tests.Support;

namespace CloudPatterns.LocalCloud.Tests.Backup;

/// <summary>
/// Stacks create KMS keys and aliases, Backup vaults, plans and selections in the emulated services, so what a
/// template deploys is what Backup runs: the DR flow from templates alone.
/// </summary>
public sealed class BackupCloudFormationTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    private const string CentralVaultTemplate = """
        Resources:
          Central:
            Type: AWS::Backup::BackupVault
            Properties:
              BackupVaultName: stack-central
              AccessPolicy:
                Version: "2012-10-17"
                Statement:
                  - Effect: Allow
                    Principal: "*"
                    Action: backup:CopyIntoBackupVault
                    Resource: "*"
                    Condition: { StringEquals: { "aws:PrincipalOrgID": o-lc0example01 } }
        """;

    private const string WorkloadBackupTemplate = """
        Resources:
          Key:
            Type: AWS::KMS::Key
            Properties:
              Description: Backups of this account
              EnableKeyRotation: true
              KeyPolicy:
                Version: "2012-10-17"
                Statement:
                  - Effect: Allow
                    Principal: { AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root" }
                    Action: kms:*
                    Resource: "*"
                  - Effect: Allow
                    Principal: { AWS: "*" }
                    Action: [kms:Decrypt, kms:DescribeKey, kms:CreateGrant]
                    Resource: "*"
                    Condition: { StringEquals: { "aws:PrincipalOrgID": o-lc0example01 } }
          KeyAlias:
            Type: AWS::KMS::Alias
            Properties: { AliasName: alias/stack-backups, TargetKeyId: !Ref Key }
          Vault:
            Type: AWS::Backup::BackupVault
            Properties: { BackupVaultName: stack-vault, EncryptionKeyArn: !GetAtt Key.Arn }
          Role:
            Type: AWS::IAM::Role
            Properties:
              RoleName: StackBackupRole
              AssumeRolePolicyDocument:
                Version: "2012-10-17"
                Statement: [{ Effect: Allow, Principal: { Service: backup.amazonaws.com }, Action: sts:AssumeRole }]
          Plan:
            Type: AWS::Backup::BackupPlan
            Properties:
              BackupPlan:
                BackupPlanName: stack-plan
                BackupPlanRule:
                  - RuleName: daily
                    TargetBackupVault: !Ref Vault
                    ScheduleExpression: cron(0 5 ? * * *)
                    Lifecycle: { DeleteAfterDays: 35 }
                    CopyActions:
                      - DestinationBackupVaultArn: arn:aws:backup:us-east-2:222222222222:backup-vault:stack-central
                        Lifecycle: { DeleteAfterDays: 90 }
          Selection:
            Type: AWS::Backup::BackupSelection
            Properties:
              BackupPlanId: !Ref Plan
              BackupSelection:
                SelectionName: tagged
                IamRoleArn: !GetAtt Role.Arn
                ListOfTags: [{ ConditionType: STRINGEQUALS, ConditionKey: backup, ConditionValue: daily }]
        """;

    [Fact]
    public async Task Stacks_deploy_the_vaults_keys_and_plan_that_Backup_then_runs()
    {
        await cloud.As("management").SetCrossAccountBackupAsync(true);
        Assert.Equal("CREATE_COMPLETE", (await DeployAsync("222222222222", "central", CentralVaultTemplate)).Status);
        var workload = await DeployAsync("333333333333", "backups", WorkloadBackupTemplate);
        Assert.True(workload.Status == "CREATE_COMPLETE", string.Join("; ", workload.Resources.Select(resource => $"{resource.LogicalId} {resource.Status} {resource.StatusReason}")));

        var production = cloud.As("production");
        var key = (await production.JsonAsync("kms", "TrentService.DescribeKey", new { KeyId = "alias/stack-backups" })).Ok()["KeyMetadata"]!;
        var vault = (await production.BackupAsync(HttpMethod.Get, "/backup-vaults/stack-vault")).Ok();
        Assert.Equal(key["Arn"]!.GetValue<string>(), vault["EncryptionKeyArn"]!.GetValue<string>());

        await cloud.AdvanceClockAsync("PT26H");

        var copied = await cloud.As("log-archive").RecoveryPointsAsync("stack-central");
        // Production's seven resources tagged backup=daily, one of each type.
        Assert.Equal(7, copied.Select(point => point["ResourceArn"]!.GetValue<string>()).Distinct().Count());

        // Like DeleteBackupVault, deleting the stack of a vault that holds recovery points fails.
        var central = cloud.Server.State.CloudFormation.DeleteStack("222222222222", "us-east-2", "central")!;
        await central.Operation;
        Assert.Equal("DELETE_FAILED", central.Status);
        Assert.Contains("Backup vault cannot be deleted because it contains recovery points.", central.Resources.Single().StatusReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_selection_naming_a_role_no_stack_or_seed_has_fails_the_stack()
    {
        var stack = await DeployAsync("444444444444", "orphan-selection", """
            Resources:
              Plan:
                Type: AWS::Backup::BackupPlan
                Properties:
                  BackupPlan:
                    BackupPlanName: orphan
                    BackupPlanRule: [{ RuleName: daily, TargetBackupVault: Default }]
              Selection:
                Type: AWS::Backup::BackupSelection
                Properties:
                  BackupPlanId: !Ref Plan
                  BackupSelection: { SelectionName: all, IamRoleArn: "arn:aws:iam::444444444444:role/NoSuchRole", Resources: ["*"] }
            """);

        Assert.Equal("ROLLBACK_COMPLETE", stack.Status);
        var failure = Assert.Single(stack.Events, change => change.LogicalResourceId == "Selection" && change.ResourceStatus == "CREATE_FAILED");
        Assert.Equal("IAM role arn:aws:iam::444444444444:role/NoSuchRole does not exist.", failure.ResourceStatusReason);
        Assert.Empty((await cloud.As("staging").BackupAsync(HttpMethod.Get, "/backup/plans/")).Ok()["BackupPlansList"]!.AsArray());
    }

    private async Task<Stack> DeployAsync(string accountId, string name, string template)
    {
        var stack = cloud.Server.State.CloudFormation.CreateStack(accountId, "us-east-2", new StackInput
        {
            StackName = name,
            TemplateBody = template,
            Capabilities = ["CAPABILITY_NAMED_IAM"],
        });
        await stack.Operation;
        return stack;
    }
}
