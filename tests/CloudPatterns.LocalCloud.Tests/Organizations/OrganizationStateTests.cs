using CloudPatterns.LocalCloud.Services.Organizations;

namespace CloudPatterns.LocalCloud.Tests.Organizations;

/// <summary>
/// --state keeps the organization: SCPs and backup policies with their attachments and the enabled policy types,
/// where accounts were moved, trusted access and delegated administrators; the org-managed backup plans follow.
/// </summary>
public sealed class OrganizationStateTests : IDisposable
{
    private const string Production = "333333333333";
    private const string Recovery = "555555555555";
    private const string DenyBucketDeletion = """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}]}""";
    private const string WorkloadBackup = """
        {"plans": {"workload_backup": {
          "regions": {"@@assign": ["us-east-2"]},
          "rules": {"daily": {"schedule_expression": {"@@assign": "cron(0 5 * * ? *)"}, "target_backup_vault_name": {"@@assign": "org-vault"}}},
          "selections": {"tags": {"daily": {"iam_role_arn": {"@@assign": "arn:aws:iam::$account:role/service-role/AWSBackupDefaultServiceRole"},
            "tag_key": {"@@assign": "backup"}, "tag_value": {"@@assign": ["daily"]}}}}}}}
        """;

    private readonly string statePath = Path.Combine(Path.GetTempPath(), $"localcloud-org-state-{Guid.NewGuid():N}", "state.json");

    [Fact]
    public async Task Restart_WithTheSameStateFile_KeepsPoliciesAttachmentsMovedAccountsAndTrustedAccess()
    {
        string workloads, scpId, backupPolicyId, planId;
        await using (var first = await LocalCloudServer.StartAsync(new LocalCloudOptions { StatePath = statePath }))
        {
            var state = first.State;
            var now = first.Clock.GetUtcNow();
            workloads = state.Organization.OrganizationalUnits.Single(unit => unit.Path == "/Workloads").Id;
            var recoveryUnit = state.Organization.OrganizationalUnits.Single(unit => unit.Path == "/Recovery").Id;
            scpId = state.OrganizationPolicies.Create("deny-bucket-deletion", "kept", OrganizationPolicyStore.ServiceControlPolicy, DenyBucketDeletion).Id;
            state.OrganizationPolicies.Attach(scpId, workloads);
            state.OrganizationPolicies.SetEnabled(OrganizationPolicyStore.BackupPolicy, true);
            backupPolicyId = state.OrganizationPolicies.Create("workloads-backup", "kept", OrganizationPolicyStore.BackupPolicy, WorkloadBackup).Id;
            state.OrganizationPolicies.Attach(backupPolicyId, workloads);
            Assert.True(state.OrganizationTree.Move(Recovery, recoveryUnit, workloads));
            state.ServiceAccess.Enable(OrganizationServiceAccess.StackSetsPrincipal, now);
            Assert.True(state.ServiceAccess.Register(Production, OrganizationServiceAccess.StackSetsPrincipal, now));
            planId = Assert.Single(state.Backup.ListPlans(Production, "us-east-2")).Id;
            Assert.Single(state.Backup.ListPlans(Recovery, "us-east-2"));
        }

        await using var second = await LocalCloudServer.StartAsync(new LocalCloudOptions { StatePath = statePath });

        var restored = second.State;
        Assert.Equal([OrganizationPolicyStore.BackupPolicy, OrganizationPolicyStore.ServiceControlPolicy], restored.OrganizationPolicies.EnabledTypes);
        Assert.Equal(["FullAWSAccess", "deny-bucket-deletion"], restored.OrganizationPolicies.ListForTarget(workloads, OrganizationPolicyStore.ServiceControlPolicy).Select(policy => policy.Name));
        Assert.Equal(DenyBucketDeletion, restored.OrganizationPolicies.Get(scpId).Content);
        Assert.Equal([workloads], restored.OrganizationPolicies.TargetsOf(backupPolicyId));
        Assert.Contains(restored.OrganizationPolicies.ServiceControlLevels(Production)!.SelectMany(level => level), policy => policy.Name.EndsWith("/" + scpId, StringComparison.Ordinal));
        Assert.Equal(workloads, restored.OrganizationTree.ParentOfAccount(Recovery));
        Assert.NotNull(restored.OrganizationPolicies.EffectivePolicy(Recovery, OrganizationPolicyStore.BackupPolicy));
        Assert.Equal(planId, Assert.Single(restored.Backup.ListPlans(Production, "us-east-2")).Id);
        Assert.Single(restored.Backup.ListPlans(Recovery, "us-east-2"));
        Assert.True(restored.ServiceAccess.IsEnabled(OrganizationServiceAccess.StackSetsPrincipal));
        Assert.True(restored.ServiceAccess.IsDelegatedAdministrator(Production, OrganizationServiceAccess.StackSetsPrincipal));
    }

    public void Dispose()
    {
        var directory = Path.GetDirectoryName(statePath)!;
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
