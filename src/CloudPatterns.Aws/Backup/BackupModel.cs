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
