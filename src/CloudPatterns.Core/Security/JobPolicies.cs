using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using CloudPatterns.Authorization;

namespace CloudPatterns.Core.Security;

/// <summary>The jobs a least-privilege execution role is made for; each has exactly the actions its cmdlets call.</summary>
public enum ExecutionJob
{
    /// <summary>Invoke-DrValidation: restore, check, clean up, alert, and write signed evidence.</summary>
    DrValidation,

    /// <summary>Test-CrossAccountBackupReadiness: reads only.</summary>
    DrReadiness,

    /// <summary>Set-CrossAccountBackup in the member and vault accounts: deploys the DR stacks.</summary>
    DrSetup,

    /// <summary>New-MultiAzStack, Update-MultiAzStack, Remove-PatternStack: deploy, change and remove Multi-AZ stacks.</summary>
    MultiAzDeploy,

    /// <summary>Sync-StackManifest (with -SelfHeal and -Prune): deploy, drift-check and prune a manifest's stacks.</summary>
    GitOpsSync,

    /// <summary>Every Get- and Test- cmdlet that reads AWS: stacks, their drift and history, and DR readiness.</summary>
    ReadOnly,

    /// <summary>Invoke-DrFailover (failover, -Drill, -Failback): restore in the DR account, scale the pilot light, move traffic, write drill evidence.</summary>
    DrFailover,

    /// <summary>
    /// Publish-StackManifest and Get-StackSyncHistory -HistoryBucket in the account of the reconciler's buckets (usually
    /// the caller's own: run with -OwnAccountRoleName): publish a bundle, read the run history.
    /// </summary>
    GitOpsPublish,

    /// <summary>
    /// Stack-set administration in the management account (or a delegated administrator): Sync-StackManifest's
    /// <c>deployment: stackset</c> stacks (create, update, drift-check, prune), Get-StackSyncStatus and
    /// Get-PatternStack -StackSet, with -OwnAccountRoleName (the members' stacks stay GitOpsSync's); and
    /// Set-CrossAccountBackup -DeploymentMode StackSet's member backup plan (statement StackSetMemberBackupPlan).
    /// </summary>
    StackSetAdmin,
}

/// <summary>One Allow statement: its Sid, actions, resource (with {AccountId}, {EvidenceBucket} placeholders) and an optional StringEquals condition.</summary>
public sealed class JobStatement
{
    public JobStatement(string sid, IReadOnlyList<string> actions, string resource, string? conditionKey = null, string? conditionValue = null)
    {
        Sid = sid;
        Actions = actions;
        Resource = resource;
        ConditionKey = conditionKey;
        ConditionValue = conditionValue;
    }

    public string Sid { get; }

    public IReadOnlyList<string> Actions { get; }

    public string Resource { get; }

    public string? ConditionKey { get; }

    public string? ConditionValue { get; }
}

/// <summary>A job's identity policy, filled in for one account and evidence bucket.</summary>
public sealed class JobPolicy
{
    internal JobPolicy(ExecutionJob job, IReadOnlyList<JobStatement> statements, string policyDocument)
    {
        Job = job;
        Statements = statements;
        PolicyDocument = policyDocument;
    }

    public ExecutionJob Job { get; }

    public IReadOnlyList<JobStatement> Statements { get; }

    /// <summary>Every action of the policy, sorted.</summary>
    public IReadOnlyList<string> Actions => Statements.SelectMany(statement => statement.Actions).Distinct().OrderBy(action => action, StringComparer.Ordinal).ToList();

    /// <summary>The IAM policy document as JSON.</summary>
    public string PolicyDocument { get; }
}

/// <summary>
/// The one list of what each job's cmdlets call (docs/least-privilege.md). The execution-role template carries the
/// same statements (tests/pester/LeastPrivilege.Tests.ps1 compares them), and the same test runs each flow under a
/// role made from this list and checks that it uses every action and fails without any one.
/// </summary>
public static class JobPolicies
{
    private const string Any = "*";
    private const string EvidenceBucketArn = "arn:aws:s3:::{EvidenceBucket}";
    private const string AccountKeys = "arn:aws:kms:*:{AccountId}:key/*";
    private const string EvidenceKeys = AccountKeys;
    private const string DrStacks = "arn:aws:cloudformation:*:{AccountId}:stack/cloudpatterns-dr-*/*";
    private const string AnyStack = "arn:aws:cloudformation:*:{AccountId}:stack/*/*";
    private const string AnyStackSet = "arn:aws:cloudformation:*:{AccountId}:stackset/*";

    /// <summary>The StackSetAdmin statement that only Set-CrossAccountBackup -DeploymentMode StackSet uses (not the GitOps sync).</summary>
    public const string MemberPlanSid = "StackSetMemberBackupPlan";

    // Read-only statements shared by the jobs that run them and by ReadOnly. The organization's opt-in
    // (backup:DescribeGlobalSettings, organizations:DescribeOrganization) is read as the caller in the management account.
    // What CloudFormation's handlers call for a VPC with its tiers, load balancers and Auto Scaling groups: the
    // Multi-AZ stacks, and the pilot light and a drill's copy of it (templates/disaster-recovery/pilot-light-dr-account.yaml).
    private static readonly string[] NetworkAndFleet =
    {
        "ec2:CreateVpc", "ec2:ModifyVpcAttribute", "ec2:DeleteVpc", "ec2:CreateSubnet", "ec2:ModifySubnetAttribute", "ec2:DeleteSubnet",
        "ec2:CreateInternetGateway", "ec2:DeleteInternetGateway", "ec2:AttachInternetGateway", "ec2:DetachInternetGateway",
        "ec2:CreateRouteTable", "ec2:DeleteRouteTable", "ec2:CreateRoute", "ec2:ReplaceRoute", "ec2:DeleteRoute", "ec2:AssociateRouteTable", "ec2:ReplaceRouteTableAssociation", "ec2:DisassociateRouteTable",
        "ec2:AllocateAddress", "ec2:ReleaseAddress", "ec2:CreateNatGateway", "ec2:DeleteNatGateway", "ec2:CreateTags",
        "ec2:CreateSecurityGroup", "ec2:DeleteSecurityGroup", "ec2:AuthorizeSecurityGroupIngress", "ec2:UpdateSecurityGroupRuleDescriptionsIngress", "ec2:RevokeSecurityGroupIngress",
        "ec2:CreateVpcEndpoint", "ec2:ModifyVpcEndpoint", "ec2:DeleteVpcEndpoints", "ec2:CreateFlowLogs", "ec2:DeleteFlowLogs",
        "ec2:CreateLaunchTemplate", "ec2:CreateLaunchTemplateVersion", "ec2:DeleteLaunchTemplate",
        "elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:DeleteLoadBalancer",
        "elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:ModifyTargetGroup", "elasticloadbalancing:DeleteTargetGroup",
        "elasticloadbalancing:CreateListener", "elasticloadbalancing:ModifyListener", "elasticloadbalancing:DeleteListener",
        "autoscaling:CreateAutoScalingGroup", "autoscaling:UpdateAutoScalingGroup", "autoscaling:DeleteAutoScalingGroup", "autoscaling:PutScalingPolicy", "autoscaling:DeletePolicy",
        "rds:CreateDBSubnetGroup", "rds:ModifyDBSubnetGroup", "rds:DeleteDBSubnetGroup",
        "iam:CreateInstanceProfile", "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile",
        "logs:CreateLogGroup", "logs:PutRetentionPolicy", "logs:DeleteLogGroup",
    };

    private static readonly JobStatement DrReadiness = new("DrReadiness", new[] { "backup:DescribeBackupVault", "backup:GetBackupVaultAccessPolicy", "backup:ListProtectedResources", "backup:ListCopyJobs", "kms:DescribeKey", "kms:GetKeyPolicy", "iam:GetRole", "cloudformation:DescribeStacks", "sns:GetTopicAttributes", "s3:GetEncryptionConfiguration", "iam:SimulatePrincipalPolicy" }, Any);

    private static readonly Dictionary<ExecutionJob, JobStatement[]> Statements = new()
    {
        [ExecutionJob.DrValidation] = new[]
        {
            new JobStatement("DrRestore", new[] { "backup:DescribeBackupVault", "backup:ListRecoveryPointsByBackupVault", "backup:GetRecoveryPointRestoreMetadata", "backup:StartRestoreJob", "backup:DescribeRestoreJob" }, Any),
            new JobStatement("DrCheckAndCleanUp", new[] { "rds:DescribeDBInstances", "rds:DescribeDBClusters", "rds:DeleteDBInstance", "dynamodb:DescribeTable", "dynamodb:DeleteTable", "ec2:DescribeVolumes", "ec2:DeleteVolume" }, Any),
            // Restores of S3 buckets (named drv-…) and EC2 instances; the sample org's flows back up neither (docs/least-privilege.md).
            new JobStatement("DrCheckRestoredBuckets", new[] { "s3:ListBucket", "s3:ListBucketVersions", "s3:DeleteBucket" }, "arn:aws:s3:::drv-*"),
            new JobStatement("DrCheckRestoredObjects", new[] { "s3:GetObject", "s3:DeleteObjectVersion" }, "arn:aws:s3:::drv-*/*"),
            new JobStatement("DrCheckRestoredInstances", new[] { "ec2:DescribeInstances", "ec2:DescribeInstanceStatus", "ec2:TerminateInstances" }, Any),
            // Aurora clusters (drv-…) and the writer a check adds to one (drv-…-writer); the sample org has no cluster.
            new JobStatement("DrCheckRestoredClusters", new[] { "rds:CreateDBInstance", "rds:DeleteDBCluster" }, "arn:aws:rds:*:*:*:drv-*"),
            // EFS file systems: AWS names them (fs-…), so the statement is limited to the account's file systems, not to a name.
            new JobStatement("DrCheckRestoredFileSystems", new[] { "elasticfilesystem:DescribeFileSystems", "elasticfilesystem:DescribeMountTargets", "elasticfilesystem:DeleteMountTarget", "elasticfilesystem:DeleteFileSystem" }, "arn:aws:elasticfilesystem:*:{AccountId}:file-system/*"),
            new JobStatement("DrReport", new[] { "cloudwatch:PutMetricData", "sns:Publish" }, Any),
            new JobStatement("DrPassRestoreRole", new[] { "iam:PassRole" }, "arn:aws:iam::{AccountId}:role/service-role/*", "iam:PassedToService", "backup.amazonaws.com"),
            new JobStatement("DrEvidenceBucket", new[] { "s3:ListBucket", "s3:ListBucketVersions", "s3:GetBucketObjectLockConfiguration" }, EvidenceBucketArn),
            EvidenceWrite("Dr"),
            new JobStatement("DrRestoreLedger", new[] { "s3:DeleteObject" }, EvidenceBucketArn + "/dr-validation-restores/*"),
            EvidenceEncryption("Dr"),
        },
        [ExecutionJob.DrReadiness] = new[] { DrReadiness },
        [ExecutionJob.DrSetup] = new[]
        {
            new JobStatement("DrSetupStacks", new[] { "cloudformation:CreateChangeSet", "cloudformation:DescribeChangeSet", "cloudformation:ExecuteChangeSet", "cloudformation:DeleteChangeSet", "cloudformation:DescribeStacks", "cloudformation:DescribeStackEvents" }, DrStacks),
            new JobStatement("DrSetupTemplateCheck", new[] { "cloudformation:ValidateTemplate" }, Any),
            new JobStatement(ResourcesSid(ExecutionJob.DrSetup), new[]
            {
                "backup:CreateBackupVault", "backup:PutBackupVaultAccessPolicy", "backup:DeleteBackupVault", "backup:CreateBackupPlan", "backup:UpdateBackupPlan", "backup:DeleteBackupPlan",
                "backup:CreateBackupSelection", "backup:DeleteBackupSelection", "kms:CreateKey", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias",
                "sns:CreateTopic", "sns:SetTopicAttributes", "sns:DeleteTopic", "s3:CreateBucket", "s3:PutBucketTagging", "s3:DeleteBucket", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy",
                "iam:CreateRole", "iam:UpdateAssumeRolePolicy", "iam:DeleteRole",
            }, Any),
            // Each DR vault is encrypted under a customer managed key of its stack: creating the vault needs these on
            // it (docs/localcloud-authorization.md, "Backup vault keys").
            new JobStatement("DrSetupVaultKeyResources", ResourceTypeActions.VaultKeyActions.ToArray(), AccountKeys),
            new JobStatement("DrSetupPassBackupRole", new[] { "iam:PassRole" }, "arn:aws:iam::{AccountId}:role/service-role/*", "iam:PassedToService", "backup.amazonaws.com"),
            // The pilot-light DR account's network, application pieces at zero and transit gateway with its RAM share.
            new JobStatement("DrSetupPilotLightResources", new[]
            {
                "ec2:CreateVpc", "ec2:DeleteVpc", "ec2:CreateSubnet", "ec2:DeleteSubnet", "ec2:CreateInternetGateway", "ec2:DeleteInternetGateway",
                "ec2:AttachInternetGateway", "ec2:DetachInternetGateway", "ec2:CreateRouteTable", "ec2:DeleteRouteTable", "ec2:CreateRoute", "ec2:DeleteRoute",
                "ec2:AssociateRouteTable", "ec2:DisassociateRouteTable", "ec2:AllocateAddress", "ec2:ReleaseAddress", "ec2:CreateNatGateway", "ec2:DeleteNatGateway",
                "ec2:CreateTags", "ec2:CreateSecurityGroup", "ec2:DeleteSecurityGroup", "ec2:AuthorizeSecurityGroupIngress", "ec2:CreateFlowLogs", "ec2:DeleteFlowLogs",
                "ec2:CreateLaunchTemplate", "ec2:CreateLaunchTemplateVersion", "ec2:DeleteLaunchTemplate",
                "ec2:CreateTransitGateway", "ec2:DeleteTransitGateway", "ec2:CreateTransitGatewayRouteTable", "ec2:DeleteTransitGatewayRouteTable",
                "ec2:CreateTransitGatewayVpcAttachment", "ec2:DeleteTransitGatewayVpcAttachment", "ec2:AssociateTransitGatewayRouteTable",
                "ec2:DisassociateTransitGatewayRouteTable", "ec2:EnableTransitGatewayRouteTablePropagation", "ec2:DisableTransitGatewayRouteTablePropagation",
                "elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:DeleteLoadBalancer",
                "elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:ModifyTargetGroup", "elasticloadbalancing:DeleteTargetGroup",
                "elasticloadbalancing:CreateListener", "elasticloadbalancing:ModifyListener", "elasticloadbalancing:DeleteListener",
                "autoscaling:CreateAutoScalingGroup", "autoscaling:UpdateAutoScalingGroup", "autoscaling:DeleteAutoScalingGroup",
                "rds:CreateDBSubnetGroup", "rds:ModifyDBSubnetGroup", "rds:DeleteDBSubnetGroup",
                "iam:CreateInstanceProfile", "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile",
                "logs:CreateLogGroup", "logs:PutRetentionPolicy", "logs:DeleteLogGroup",
                "ram:CreateResourceShare", "ram:UpdateResourceShare", "ram:AssociateResourceShare", "ram:DisassociateResourceShare", "ram:DeleteResourceShare",
            }, Any),
            new JobStatement("DrSetupPassInstanceRole", new[] { "iam:PassRole" }, "arn:aws:iam::{AccountId}:role/*", "iam:PassedToService", "ec2.amazonaws.com"),
            new JobStatement("DrSetupPassFlowLogRole", new[] { "iam:PassRole" }, "arn:aws:iam::{AccountId}:role/*", "iam:PassedToService", "vpc-flow-logs.amazonaws.com"),
            // The DR-Orchestrator (Set-CrossAccountBackup -DrAccountId): its code uploaded once to the evidence bucket, its
            // stack's resources as the resource type table gives them, and the roles its function, schedule and the
            // forwarding rules are handed.
            new JobStatement("DrSetupOrchestratorCode", new[] { "s3:GetObject", "s3:PutObject" }, EvidenceBucketArn + "/dr-orchestrator-code/*"),
            // Before the first upload the code's key does not exist: S3 answers 404 only to a caller that may list the
            // bucket, and 403 to anyone else (docs/localcloud-authorization.md, "S3: a missing key").
            new JobStatement("DrSetupOrchestratorCodeLookup", new[] { "s3:ListBucket" }, EvidenceBucketArn),
            new JobStatement("DrSetupOrchestratorCodeEncryption", new[] { "kms:GenerateDataKey" }, EvidenceKeys),
            new JobStatement("DrSetupOrchestratorResources", ServiceRolePolicies.HandlerActions(ServiceRolePolicies.OrchestratorTemplate), Any),
            new JobStatement("DrSetupPassFunctionRole", new[] { "iam:PassRole" }, "arn:aws:iam::{AccountId}:role/*", "iam:PassedToService", "lambda.amazonaws.com"),
            new JobStatement("DrSetupPassScheduleRole", new[] { "iam:PassRole" }, "arn:aws:iam::{AccountId}:role/*", "iam:PassedToService", "scheduler.amazonaws.com"),
            new JobStatement("DrSetupPassRuleRole", new[] { "iam:PassRole" }, "arn:aws:iam::{AccountId}:role/*", "iam:PassedToService", "events.amazonaws.com"),
        },
        [ExecutionJob.MultiAzDeploy] = new[]
        {
            new JobStatement("MultiAzStacks", new[] { "cloudformation:CreateChangeSet", "cloudformation:DescribeChangeSet", "cloudformation:ExecuteChangeSet", "cloudformation:DeleteChangeSet", "cloudformation:DescribeStacks", "cloudformation:DescribeStackEvents", "cloudformation:DescribeStackResources", "cloudformation:DeleteStack" }, AnyStack),
            new JobStatement("MultiAzTemplateCheck", new[] { "cloudformation:ValidateTemplate" }, Any),
            new JobStatement("MultiAzDatabaseProtection", new[] { "rds:DescribeDBInstances" }, Any),
            // The Aurora variant (-DbEngine aurora-*): its cluster's deletion protection before a removal, its writer and
            // the writer's zone in a drill (docs/multi-az-aurora.md).
            new JobStatement("MultiAzAuroraCluster", new[] { "rds:DescribeDBClusters" }, Any),
            new JobStatement("MultiAzCertificateCheck", new[] { "acm:DescribeCertificate" }, "arn:aws:acm:*:{AccountId}:certificate/*"),
            new JobStatement(ResourcesSid(ExecutionJob.MultiAzDeploy), NetworkAndFleet.Concat(new[]
            {
                "rds:CreateDBInstance", "rds:ModifyDBInstance", "rds:DeleteDBInstance",
                "rds:CreateDBCluster", "rds:ModifyDBCluster", "rds:DeleteDBCluster",
                "rds:CreateDBProxy", "rds:ModifyDBProxy", "rds:DeleteDBProxy", "rds:RegisterDBProxyTargets", "rds:ModifyDBProxyTargetGroup", "rds:DeregisterDBProxyTargets",
                "iam:CreateRole", "iam:UpdateAssumeRolePolicy", "iam:DeleteRole",
            }).ToArray(), Any),
            new JobStatement("MultiAzPassInstanceRole", new[] { "iam:PassRole" }, "arn:aws:iam::{AccountId}:role/*", "iam:PassedToService", "ec2.amazonaws.com"),
            new JobStatement("MultiAzPassFlowLogRole", new[] { "iam:PassRole" }, "arn:aws:iam::{AccountId}:role/*", "iam:PassedToService", "vpc-flow-logs.amazonaws.com"),
            new JobStatement("MultiAzPassProxyRole", new[] { "iam:PassRole" }, "arn:aws:iam::{AccountId}:role/*", "iam:PassedToService", "rds.amazonaws.com"),
            // Invoke-MultiAzDrill: the group behind the load balancer, its target health, the database's failover events.
            new JobStatement("MultiAzDrill", new[] { "autoscaling:DescribeAutoScalingGroups", "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeTargetHealth", "rds:DescribeEvents", "fis:ListExperimentTemplates" }, Any),
            // Invoke-MultiAzDrill through AWS FIS: the stack's experiment template, its experiment (stopped on Ctrl+C), and in
            // AWS the load balancer's metrics over the experiment (docs/multi-az-drill.md).
            new JobStatement("MultiAzDrillFis", new[] { "fis:GetExperimentTemplate", "fis:StartExperiment", "fis:TagResource", "fis:GetExperiment", "fis:StopExperiment", "cloudwatch:GetMetricStatistics" }, Any),
        },
        [ExecutionJob.GitOpsSync] = new[]
        {
            new JobStatement("GitOpsStacks", new[] { "cloudformation:CreateChangeSet", "cloudformation:DescribeChangeSet", "cloudformation:ExecuteChangeSet", "cloudformation:DeleteChangeSet", "cloudformation:DescribeStackEvents", "cloudformation:DescribeStackResources", "cloudformation:GetTemplate", "cloudformation:DetectStackDrift", "cloudformation:DescribeStackResourceDrifts", "cloudformation:DeleteStack" }, AnyStack),
            new JobStatement("GitOpsTemplateCheck", new[] { "cloudformation:ValidateTemplate" }, Any),
            new JobStatement("GitOpsListStacks", new[] { "cloudformation:DescribeStacks", "cloudformation:DescribeStackDriftDetectionStatus" }, Any),
            new JobStatement(ResourcesSid(ExecutionJob.GitOpsSync), new[] { "logs:CreateLogGroup", "logs:PutRetentionPolicy", "logs:DeleteLogGroup", "ec2:CreateVpc", "ec2:ModifyVpcAttribute", "ec2:DeleteVpc" }, Any),
        },
        [ExecutionJob.DrFailover] = new[]
        {
            // Production's stacks and tiers, the DR vault's points, the pilot light, target health, the failover records.
            new JobStatement("DrFailoverRead", new[] { "cloudformation:DescribeStacks", "cloudformation:DescribeStackResources", "autoscaling:DescribeAutoScalingGroups", "elasticloadbalancing:DescribeTargetHealth", "backup:ListRecoveryPointsByBackupVault", "route53:ListResourceRecordSets", "route53:GetChange" }, Any),
            new JobStatement("DrFailoverRestore", new[] { "backup:GetRecoveryPointRestoreMetadata", "backup:StartRestoreJob", "backup:DescribeRestoreJob", "rds:DescribeDBInstances", "rds:DeleteDBInstance" }, Any),
            // A drill killed before its teardown: the next drill waits for the restore jobs it left running.
            new JobStatement("DrFailoverDrillSweep", new[] { "backup:ListRestoreJobs" }, Any),
            // A failback backs up what changed in the DR account and copies it back to production's vault.
            new JobStatement("DrFailoverCopyBack", new[] { "backup:StartBackupJob", "backup:DescribeBackupJob", "backup:StartCopyJob", "backup:DescribeCopyJob" }, Any),
            // Restores of the other types LocalCloud restores; the Multi-AZ application of the tests has none (docs/least-privilege.md).
            new JobStatement("DrFailoverRestoreOtherTypes", new[] { "dynamodb:DescribeTable", "dynamodb:DeleteTable", "ec2:DescribeVolumes", "ec2:DeleteVolume" }, Any),
            new JobStatement("DrFailoverStacks", new[] { "cloudformation:CreateChangeSet", "cloudformation:DescribeChangeSet", "cloudformation:ExecuteChangeSet", "cloudformation:DeleteChangeSet", "cloudformation:DescribeStackEvents", "cloudformation:GetTemplate", "cloudformation:DeleteStack" }, DrStacks),
            new JobStatement("DrFailoverTraffic", new[] { "route53:ChangeResourceRecordSets" }, "arn:aws:route53:::hostedzone/*"),
            new JobStatement("DrFailoverPassRestoreRole", new[] { "iam:PassRole" }, "arn:aws:iam::{AccountId}:role/service-role/*", "iam:PassedToService", "backup.amazonaws.com"),
            // Evidence chains are read version by version before a record is added.
            new JobStatement("DrFailoverEvidenceVersions", new[] { "s3:ListBucketVersions" }, EvidenceBucketArn),
            EvidenceWrite("DrFailover"),
            EvidenceEncryption("DrFailover"),
            new JobStatement(ResourcesSid(ExecutionJob.DrFailover), NetworkAndFleet.Concat(new[] { "iam:CreateRole", "iam:UpdateAssumeRolePolicy", "iam:DeleteRole" }).ToArray(), Any),
            new JobStatement("DrFailoverPassInstanceRole", new[] { "iam:PassRole" }, "arn:aws:iam::{AccountId}:role/*", "iam:PassedToService", "ec2.amazonaws.com"),
            new JobStatement("DrFailoverPassFlowLogRole", new[] { "iam:PassRole" }, "arn:aws:iam::{AccountId}:role/*", "iam:PassedToService", "vpc-flow-logs.amazonaws.com"),
        },
        [ExecutionJob.GitOpsPublish] = new[]
        {
            // The bundle: the bucket must be versioned, the latest bundle is compared before a new version is put.
            new JobStatement("GitOpsPublishBundle", new[] { "s3:GetBucketVersioning", "s3:GetObject", "s3:PutObject" }, Any),
            // The reconciler's run records are listed, then each is read (s3:GetObject above).
            new JobStatement("GitOpsReadHistory", new[] { "s3:ListBucket" }, Any),
        },
        [ExecutionJob.StackSetAdmin] = new[]
        {
            // Service-managed stack sets and their instances, deployed by OU or account; operations awaited; drift checked.
            new JobStatement("StackSetAdmin", new[] { "cloudformation:CreateStackSet", "cloudformation:UpdateStackSet", "cloudformation:DeleteStackSet", "cloudformation:DescribeStackSet", "cloudformation:DescribeStackSetOperation", "cloudformation:CreateStackInstances", "cloudformation:DeleteStackInstances", "cloudformation:ListStackInstances", "cloudformation:DetectStackSetDrift" }, AnyStackSet),
            // Which stack sets (and stacks) the management account has, to find a manifest's own and its orphans.
            new JobStatement("StackSetList", new[] { "cloudformation:ListStackSets", "cloudformation:DescribeStacks" }, Any),
            // The accounts an OU target reaches (status per instance, the -WhatIf listing).
            new JobStatement("StackSetTargets", new[] { "organizations:DescribeOrganization", "organizations:ListAccounts", "organizations:ListAccountsForParent", "organizations:ListOrganizationalUnitsForParent", "organizations:ListParents" }, Any),
            // Set-CrossAccountBackup -DeploymentMode StackSet's other calls in the management account: StackSets' trusted
            // access and backup policies (the mode's preconditions), the organization's cross-account backup opt-in in
            // each region, the regions, and the accounts' tags.
            new JobStatement(MemberPlanSid, new[] { "cloudformation:DescribeOrganizationsAccess", "organizations:ListRoots", "organizations:ListTagsForResource", "ec2:DescribeRegions", "backup:DescribeGlobalSettings", "backup:UpdateGlobalSettings" }, Any),
        },
        [ExecutionJob.ReadOnly] = new[]
        {
            new JobStatement("ReadStacks", new[] { "cloudformation:DescribeStackEvents", "cloudformation:DescribeStackResources", "cloudformation:GetTemplate", "cloudformation:DetectStackDrift", "cloudformation:DescribeStackResourceDrifts", "cloudformation:DescribeStackDriftDetectionStatus" }, Any),
            new JobStatement("ReadCertificates", new[] { "acm:ListCertificates" }, Any),
            DrReadiness,
        },
    };

    // Writing signed evidence (Invoke-DrValidation's records, Invoke-DrFailover -Drill's), each job under Sids of its own.
    private static JobStatement EvidenceWrite(string prefix) =>
        new(prefix + "EvidenceWrite", new[] { "s3:PutObject", "s3:GetObject" }, EvidenceBucketArn + "/dr-validation*");

    private static JobStatement EvidenceEncryption(string prefix) =>
        new(prefix + "EvidenceEncryption", new[] { "kms:GenerateDataKey", "kms:Decrypt" }, EvidenceKeys);

    /// <summary>
    /// The policy of <paramref name="job"/> for the role in <paramref name="accountId"/> (null = any account) writing to
    /// <paramref name="evidenceBucket"/> (null = any bucket).
    /// </summary>
    public static JobPolicy Get(ExecutionJob job, string? accountId = null, string? evidenceBucket = null) => Create(job, Statements[job], accountId, evidenceBucket);

    /// <summary>A policy of <paramref name="job"/> made of <paramref name="statements"/>, filled in as <see cref="Get"/> does.</summary>
    internal static JobPolicy Create(ExecutionJob job, IReadOnlyList<JobStatement> statements, string? accountId, string? evidenceBucket) =>
        new(job, statements, Render(statements, accountId ?? Any, evidenceBucket ?? Any));

    /// <summary>
    /// The Sid of the statement holding what CloudFormation's handlers call for the job's stacks (without a service
    /// role, CloudFormation creates, updates and deletes a stack's resources with the caller's permissions).
    /// </summary>
    public static string ResourcesSid(ExecutionJob job) => job + "Resources";

    /// <summary>
    /// The jobs whose policy allows <paramref name="action"/> (IAM actions compare case-insensitively) on
    /// <paramref name="resourceArn"/> (any resource when null): a statement scoped to other resources does not count.
    /// </summary>
    public static IReadOnlyList<ExecutionJob> JobsWith(string action, string? resourceArn = null) => Statements
        .Where(entry => entry.Value.Any(statement => statement.Actions.Contains(action, StringComparer.OrdinalIgnoreCase) && Covers(statement.Resource, resourceArn)))
        .Select(entry => entry.Key)
        .OrderBy(job => job)
        .ToList();

    // A statement's resource pattern (its placeholders stand for any value) against a resource ARN; * matches anything.
    private static bool Covers(string pattern, string? resourceArn)
    {
        if (resourceArn is null || pattern == Any)
        {
            return true;
        }

        string wildcard = System.Text.RegularExpressions.Regex.Replace(pattern, "\\{[A-Za-z]+\\}", "*");
        string regex = "^" + System.Text.RegularExpressions.Regex.Escape(wildcard).Replace("\\*", ".*") + "$";
        return System.Text.RegularExpressions.Regex.IsMatch(resourceArn, regex);
    }

    private static string Render(IEnumerable<JobStatement> statements, string accountId, string evidenceBucket)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("Version", "2012-10-17");
            json.WriteStartArray("Statement");
            foreach (var statement in statements)
            {
                json.WriteStartObject();
                json.WriteString("Sid", statement.Sid);
                json.WriteString("Effect", "Allow");
                json.WriteStartArray("Action");
                foreach (var action in statement.Actions)
                {
                    json.WriteStringValue(action);
                }

                json.WriteEndArray();
                json.WriteString("Resource", statement.Resource.Replace("{AccountId}", accountId).Replace("{EvidenceBucket}", evidenceBucket));
                if (statement.ConditionKey is { } key)
                {
                    json.WriteStartObject("Condition");
                    json.WriteStartObject("StringEquals");
                    json.WriteString(key, statement.ConditionValue);
                    json.WriteEndObject();
                    json.WriteEndObject();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
