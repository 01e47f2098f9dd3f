using System;
using System.Collections.Generic;
using Amazon.Runtime;
using CloudPatterns.Aws.Protocol;

// Shapes of the AWS Backup API 2018-11-15 (botocore model backup/2018-11-15), members named as on the wire;
// [RestPath]/[RestQuery] mark the members the model places in the URI.
namespace CloudPatterns.Aws.Backup;

[RestOperation("GET", "/global-settings")]
public sealed class DescribeGlobalSettingsRequest : AmazonWebServiceRequest
{
}

public sealed class DescribeGlobalSettingsResponse : AmazonWebServiceResponse
{
    /// <summary>For example <c>isCrossAccountBackupEnabled</c> = <c>"true"</c>.</summary>
    public Dictionary<string, string> GlobalSettings { get; set; } = new();

    public DateTime? LastUpdateTime { get; set; }
}

[RestOperation("PUT", "/global-settings")]
public sealed class UpdateGlobalSettingsRequest : AmazonWebServiceRequest
{
    public Dictionary<string, string>? GlobalSettings { get; set; }
}

public sealed class UpdateGlobalSettingsResponse : AmazonWebServiceResponse
{
}

[RestOperation("GET", "/backup-vaults/")]
public sealed class ListBackupVaultsRequest : AmazonWebServiceRequest, IPaginatedRequest
{
    /// <summary>BACKUP_VAULT, LOGICALLY_AIR_GAPPED_BACKUP_VAULT or RESTORE_ACCESS_BACKUP_VAULT.</summary>
    [RestQuery("vaultType")]
    public string? ByVaultType { get; set; }

    [RestQuery("shared")]
    public bool? ByShared { get; set; }

    [RestQuery("nextToken")]
    public string? NextToken { get; set; }

    [RestQuery("maxResults")]
    public int? MaxResults { get; set; }
}

public sealed class ListBackupVaultsResponse : AmazonWebServiceResponse, IPaginatedResponse
{
    public List<BackupVaultListMember> BackupVaultList { get; set; } = new();

    public string? NextToken { get; set; }
}

[RestOperation("GET", "/backup-vaults/{backupVaultName}")]
public sealed class DescribeBackupVaultRequest : AmazonWebServiceRequest
{
    [RestPath("backupVaultName")]
    public string? BackupVaultName { get; set; }

    [RestQuery("backupVaultAccountId")]
    public string? BackupVaultAccountId { get; set; }
}

public sealed class DescribeBackupVaultResponse : AmazonWebServiceResponse
{
    public string? BackupVaultName { get; set; }

    public string? BackupVaultArn { get; set; }

    public string? VaultType { get; set; }

    public string? VaultState { get; set; }

    public string? EncryptionKeyArn { get; set; }

    public DateTime? CreationDate { get; set; }

    public string? CreatorRequestId { get; set; }

    public long? NumberOfRecoveryPoints { get; set; }

    public bool? Locked { get; set; }

    public long? MinRetentionDays { get; set; }

    public long? MaxRetentionDays { get; set; }

    public DateTime? LockDate { get; set; }

    public string? SourceBackupVaultArn { get; set; }

    public string? EncryptionKeyType { get; set; }
}

[RestOperation("PUT", "/backup-vaults/{backupVaultName}")]
public sealed class CreateBackupVaultRequest : AmazonWebServiceRequest
{
    [RestPath("backupVaultName")]
    public string? BackupVaultName { get; set; }

    public Dictionary<string, string>? BackupVaultTags { get; set; }

    public string? EncryptionKeyArn { get; set; }

    public string? CreatorRequestId { get; set; }
}

public sealed class CreateBackupVaultResponse : AmazonWebServiceResponse
{
    public string? BackupVaultName { get; set; }

    public string? BackupVaultArn { get; set; }

    public DateTime? CreationDate { get; set; }
}

public sealed class BackupVaultListMember
{
    public string? BackupVaultName { get; set; }

    public string? BackupVaultArn { get; set; }

    public string? VaultType { get; set; }

    public string? VaultState { get; set; }

    public DateTime? CreationDate { get; set; }

    public string? EncryptionKeyArn { get; set; }

    public string? CreatorRequestId { get; set; }

    public long? NumberOfRecoveryPoints { get; set; }

    public bool? Locked { get; set; }

    public long? MinRetentionDays { get; set; }

    public long? MaxRetentionDays { get; set; }

    public DateTime? LockDate { get; set; }

    public string? EncryptionKeyType { get; set; }
}

[RestOperation("GET", "/backup-vaults/{backupVaultName}/access-policy")]
public sealed class GetBackupVaultAccessPolicyRequest : AmazonWebServiceRequest
{
    [RestPath("backupVaultName")]
    public string? BackupVaultName { get; set; }
}

public sealed class GetBackupVaultAccessPolicyResponse : AmazonWebServiceResponse
{
    public string? BackupVaultName { get; set; }

    public string? BackupVaultArn { get; set; }

    public string? Policy { get; set; }
}

[RestOperation("GET", "/copy-jobs/")]
public sealed class ListCopyJobsRequest : AmazonWebServiceRequest, IPaginatedRequest
{
    [RestQuery("resourceArn")]
    public string? ByResourceArn { get; set; }

    [RestQuery("state")]
    public string? ByState { get; set; }

    [RestQuery("destinationVaultArn")]
    public string? ByDestinationVaultArn { get; set; }

    [RestQuery("nextToken")]
    public string? NextToken { get; set; }

    [RestQuery("maxResults")]
    public int? MaxResults { get; set; }
}

public sealed class ListCopyJobsResponse : AmazonWebServiceResponse, IPaginatedResponse
{
    public List<CopyJob> CopyJobs { get; set; } = new();

    public string? NextToken { get; set; }
}

public sealed class CopyJob
{
    public string? AccountId { get; set; }

    public string? CopyJobId { get; set; }

    public string? SourceBackupVaultArn { get; set; }

    public string? SourceRecoveryPointArn { get; set; }

    public string? DestinationBackupVaultArn { get; set; }

    public string? DestinationRecoveryPointArn { get; set; }

    public string? ResourceArn { get; set; }

    public string? ResourceType { get; set; }

    /// <summary>CREATED, RUNNING, COMPLETED, FAILED or PARTIAL.</summary>
    public string? State { get; set; }

    public string? StatusMessage { get; set; }

    public DateTime? CreationDate { get; set; }

    public DateTime? CompletionDate { get; set; }
}

[RestOperation("PUT", "/copy-jobs")]
public sealed class StartCopyJobRequest : AmazonWebServiceRequest
{
    public string? RecoveryPointArn { get; set; }

    public string? SourceBackupVaultName { get; set; }

    public string? DestinationBackupVaultArn { get; set; }

    public string? IamRoleArn { get; set; }

    public string? IdempotencyToken { get; set; }
}

public sealed class StartCopyJobResponse : AmazonWebServiceResponse
{
    public string? CopyJobId { get; set; }
}

[RestOperation("GET", "/copy-jobs/{copyJobId}")]
public sealed class DescribeCopyJobRequest : AmazonWebServiceRequest
{
    [RestPath("copyJobId")]
    public string? CopyJobId { get; set; }
}

public sealed class DescribeCopyJobResponse : AmazonWebServiceResponse
{
    public CopyJob? CopyJob { get; set; }
}

/// <summary>An on-demand backup (a failback backs up what changed in the DR account).</summary>
[RestOperation("PUT", "/backup-jobs")]
public sealed class StartBackupJobRequest : AmazonWebServiceRequest
{
    public string? BackupVaultName { get; set; }

    public string? ResourceArn { get; set; }

    public string? IamRoleArn { get; set; }

    public string? IdempotencyToken { get; set; }
}

public sealed class StartBackupJobResponse : AmazonWebServiceResponse
{
    public string? BackupJobId { get; set; }

    public string? RecoveryPointArn { get; set; }
}

[RestOperation("GET", "/backup-jobs/{backupJobId}")]
public sealed class DescribeBackupJobRequest : AmazonWebServiceRequest
{
    [RestPath("backupJobId")]
    public string? BackupJobId { get; set; }
}

public sealed class DescribeBackupJobResponse : AmazonWebServiceResponse
{
    public string? BackupJobId { get; set; }

    public string? RecoveryPointArn { get; set; }

    public string? ResourceArn { get; set; }

    /// <summary>CREATED, PENDING, RUNNING, ABORTING, ABORTED, COMPLETED, FAILED, EXPIRED, PARTIAL.</summary>
    public string? State { get; set; }

    public string? StatusMessage { get; set; }
}

[RestOperation("GET", "/backup-vaults/{backupVaultName}/recovery-points/")]
public sealed class ListRecoveryPointsByBackupVaultRequest : AmazonWebServiceRequest, IPaginatedRequest
{
    [RestPath("backupVaultName")]
    public string? BackupVaultName { get; set; }

    [RestQuery("resourceArn")]
    public string? ByResourceArn { get; set; }

    [RestQuery("resourceType")]
    public string? ByResourceType { get; set; }

    [RestQuery("createdAfter")]
    public DateTime? ByCreatedAfter { get; set; }

    [RestQuery("nextToken")]
    public string? NextToken { get; set; }

    [RestQuery("maxResults")]
    public int? MaxResults { get; set; }
}

public sealed class ListRecoveryPointsByBackupVaultResponse : AmazonWebServiceResponse, IPaginatedResponse
{
    public List<RecoveryPointByBackupVault> RecoveryPoints { get; set; } = new();

    public string? NextToken { get; set; }
}

public sealed class RecoveryPointByBackupVault
{
    public string? RecoveryPointArn { get; set; }

    public string? BackupVaultName { get; set; }

    public string? BackupVaultArn { get; set; }

    public string? SourceBackupVaultArn { get; set; }

    public string? ResourceArn { get; set; }

    public string? ResourceType { get; set; }

    public string? ResourceName { get; set; }

    /// <summary>COMPLETED, PARTIAL, DELETING, EXPIRED, AVAILABLE, STOPPED or CREATING.</summary>
    public string? Status { get; set; }

    public DateTime? CreationDate { get; set; }

    public DateTime? CompletionDate { get; set; }

    public string? EncryptionKeyArn { get; set; }
}

[RestOperation("GET", "/backup-vaults/{backupVaultName}/recovery-points/{recoveryPointArn}/restore-metadata")]
public sealed class GetRecoveryPointRestoreMetadataRequest : AmazonWebServiceRequest
{
    [RestPath("backupVaultName")]
    public string? BackupVaultName { get; set; }

    [RestPath("recoveryPointArn")]
    public string? RecoveryPointArn { get; set; }
}

public sealed class GetRecoveryPointRestoreMetadataResponse : AmazonWebServiceResponse
{
    public string? BackupVaultArn { get; set; }

    public string? RecoveryPointArn { get; set; }

    public Dictionary<string, string> RestoreMetadata { get; set; } = new();

    public string? ResourceType { get; set; }
}

[RestOperation("PUT", "/restore-jobs")]
public sealed class StartRestoreJobRequest : AmazonWebServiceRequest
{
    public string? RecoveryPointArn { get; set; }

    public Dictionary<string, string>? Metadata { get; set; }

    public string? IamRoleArn { get; set; }

    public string? IdempotencyToken { get; set; }

    public string? ResourceType { get; set; }
}

public sealed class StartRestoreJobResponse : AmazonWebServiceResponse
{
    public string? RestoreJobId { get; set; }
}

[RestOperation("GET", "/restore-jobs/{restoreJobId}")]
public sealed class DescribeRestoreJobRequest : AmazonWebServiceRequest
{
    [RestPath("restoreJobId")]
    public string? RestoreJobId { get; set; }
}

public sealed class DescribeRestoreJobResponse : AmazonWebServiceResponse
{
    public string? AccountId { get; set; }

    public string? RestoreJobId { get; set; }

    public string? RecoveryPointArn { get; set; }

    public string? SourceResourceArn { get; set; }

    public string? BackupVaultArn { get; set; }

    /// <summary>PENDING, RUNNING, COMPLETED, ABORTED or FAILED.</summary>
    public string? Status { get; set; }

    public string? StatusMessage { get; set; }

    public DateTime? CreationDate { get; set; }

    public DateTime? CompletionDate { get; set; }

    public string? CreatedResourceArn { get; set; }

    public string? ResourceType { get; set; }

    public DateTime? RecoveryPointCreationDate { get; set; }
}

[RestOperation("GET", "/restore-jobs/")]
public sealed class ListRestoreJobsRequest : AmazonWebServiceRequest, IPaginatedRequest
{
    [RestQuery("createdAfter")]
    public DateTime? ByCreatedAfter { get; set; }

    [RestQuery("nextToken")]
    public string? NextToken { get; set; }

    [RestQuery("maxResults")]
    public int? MaxResults { get; set; }
}

public sealed class ListRestoreJobsResponse : AmazonWebServiceResponse, IPaginatedResponse
{
    public List<RestoreJobsListMember> RestoreJobs { get; set; } = new();

    public string? NextToken { get; set; }
}

public sealed class RestoreJobsListMember
{
    public string? RestoreJobId { get; set; }

    public string? RecoveryPointArn { get; set; }

    /// <summary>PENDING, RUNNING, COMPLETED, ABORTED or FAILED.</summary>
    public string? Status { get; set; }

    public DateTime? CreationDate { get; set; }

    public string? CreatedResourceArn { get; set; }
}

[RestOperation("GET", "/resources/")]
public sealed class ListProtectedResourcesRequest : AmazonWebServiceRequest, IPaginatedRequest
{
    [RestQuery("nextToken")]
    public string? NextToken { get; set; }

    [RestQuery("maxResults")]
    public int? MaxResults { get; set; }
}

public sealed class ListProtectedResourcesResponse : AmazonWebServiceResponse, IPaginatedResponse
{
    public List<ProtectedResource> Results { get; set; } = new();

    public string? NextToken { get; set; }
}

public sealed class ProtectedResource
{
    public string? ResourceArn { get; set; }

    public string? ResourceType { get; set; }

    public DateTime? LastBackupTime { get; set; }

    public string? ResourceName { get; set; }
}
