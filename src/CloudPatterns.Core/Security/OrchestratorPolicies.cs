using System.Collections.Generic;

namespace CloudPatterns.Core.Security;

/// <summary>
/// The DR-Orchestrator's two roles (docs/orchestrator.md, "Its roles"): the function's execution role in the vault
/// account, and the role it assumes in the DR account. They are kept apart from <see cref="JobPolicies"/>: Lambda runs
/// them, not a cmdlet's job. templates/disaster-recovery/orchestrator.yaml (ExecutionRole) and
/// pilot-light-dr-account.yaml (OrchestratorAccessRole) carry exactly these statements (OrchestratorPoliciesTests), and
/// tests/pester/OrchestratorDeployment.Tests.ps1 shows that the function's simulated days use every action the function
/// calls itself, and nothing else.
/// </summary>
public static class OrchestratorPolicies
{
    private const string Any = "*";

    /// <summary>
    /// The execution role's statements. Resources name template values: {AccountId}, {EvidenceBucket},
    /// {EvidenceSigningKey}, {EvidenceBucketKey}, {DrAccountId}, {LogGroup}, {DeadLetterQueue}, {AlertTopic}.
    /// </summary>
    public static IReadOnlyList<JobStatement> ExecutionRole { get; } = new[]
    {
        new JobStatement("CopyHops", new[] { "backup:StartCopyJob", "backup:ListCopyJobs" }, Any),
        new JobStatement("BackupCopiesWithItsRole", new[] { "iam:PassRole" }, "arn:aws:iam::{AccountId}:role/service-role/AWSBackupDefaultServiceRole", "iam:PassedToService", "backup.amazonaws.com"),
        new JobStatement("EvidenceNotesAndRecords", new[] { "s3:GetObject", "s3:PutObject", "s3:DeleteObject" }, "arn:aws:s3:::{EvidenceBucket}/*"),
        new JobStatement("EvidenceListing", new[] { "s3:ListBucket", "s3:ListBucketVersions" }, "arn:aws:s3:::{EvidenceBucket}"),
        new JobStatement("EvidenceSigning", new[] { "kms:Sign" }, "{EvidenceSigningKey}"),
        new JobStatement("EvidenceEncryption", new[] { "kms:GenerateDataKey", "kms:Decrypt" }, "{EvidenceBucketKey}"),
        new JobStatement("IntoTheDrAccount", new[] { "sts:AssumeRole" }, "arn:aws:iam::{DrAccountId}:role/cloudpatterns-dr-orchestrator"),
        new JobStatement("Logs", new[] { "logs:CreateLogStream", "logs:PutLogEvents" }, "{LogGroup}:*"),
        new JobStatement("DeadLetters", new[] { "sqs:SendMessage" }, "{DeadLetterQueue}"),
        new JobStatement("Alerts", new[] { "sns:Publish" }, "{AlertTopic}"),
    };

    /// <summary>The statements of the role the function assumes in the DR account ({RestoreRole}: the pilot-light stack's).</summary>
    public static IReadOnlyList<JobStatement> DrAccountRole { get; } = new[]
    {
        new JobStatement("Restores", new[] { "backup:ListRecoveryPointsByBackupVault", "backup:GetRecoveryPointRestoreMetadata", "backup:StartRestoreJob", "backup:DescribeRestoreJob" }, Any),
        new JobStatement("RestoreWithTheRestoreRole", new[] { "iam:PassRole" }, "{RestoreRole}", "iam:PassedToService", "backup.amazonaws.com"),
        new JobStatement("CheckAndDeleteRestoredResources", new[] { "dynamodb:DescribeTable", "dynamodb:DeleteTable", "rds:DescribeDBInstances", "rds:DescribeDBClusters", "rds:DeleteDBInstance", "ec2:DescribeVolumes", "ec2:DeleteVolume" }, Any),
        // S3 buckets (named dro-…) and EC2 instances the scheduled validations restore (docs/localcloud-backup-kinds.md).
        new JobStatement("CheckAndDeleteRestoredBuckets", new[] { "s3:ListBucket", "s3:ListBucketVersions", "s3:DeleteBucket" }, "arn:aws:s3:::dro-*"),
        new JobStatement("CheckAndDeleteRestoredObjects", new[] { "s3:GetObject", "s3:DeleteObjectVersion" }, "arn:aws:s3:::dro-*/*"),
        new JobStatement("CheckAndDeleteRestoredInstances", new[] { "ec2:DescribeInstances", "ec2:DescribeInstanceStatus", "ec2:TerminateInstances" }, Any),
        // Aurora clusters (dro-…) and the writer a check adds to one (dro-…-writer).
        new JobStatement("CheckAndDeleteRestoredClusters", new[] { "rds:CreateDBInstance", "rds:DeleteDBCluster" }, "arn:aws:rds:*:*:*:dro-*"),
        // EFS file systems AWS names (fs-…): the DR account's own.
        new JobStatement("CheckAndDeleteRestoredFileSystems", new[] { "elasticfilesystem:DescribeFileSystems", "elasticfilesystem:DescribeMountTargets", "elasticfilesystem:DeleteMountTarget", "elasticfilesystem:DeleteFileSystem" }, "arn:aws:elasticfilesystem:*:{AccountId}:file-system/*"),
        new JobStatement("Metrics", new[] { "cloudwatch:PutMetricData" }, Any, "cloudwatch:namespace", "CloudPatterns/DisasterRecovery"),
    };

    /// <summary>Actions of the execution role that Lambda uses with it on the function's behalf (its log lines, its dead-letter queue).</summary>
    public static IReadOnlyList<string> UsedForTheFunction { get; } = new[] { "logs:CreateLogStream", "logs:PutLogEvents", "sqs:SendMessage" };
}
