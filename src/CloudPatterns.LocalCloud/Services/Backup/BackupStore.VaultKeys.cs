using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Backup;

/// <summary>
/// Whether a job's role may use a vault's customer managed key (for backup and copy, the key of the vault written to; for
/// restore, the key of the recovery point's vault): null when it may, else the refusal naming the KMS action, which fails
/// the job (<paramref name="roleArn"/>, action, key ARN, region). Set once by LocalCloudState.
/// </summary>
internal delegate string? RoleKeyAccess(string roleArn, string action, string keyArn, string region);

// BackupStore: the job role's permissions on a vault's key (docs/localcloud-authorization.md, "Backup vault keys").
internal sealed partial class BackupStore
{
    /// <summary>
    /// What AWS Backup does with the job's role on a customer managed vault key: describes it and creates a grant for the
    /// AWS resource it writes or reads (the KMS statements of AWSBackupServiceRolePolicyForBackup and ...ForRestores).
    /// </summary>
    private static readonly string[] JobKeyActions = ["kms:DescribeKey", "kms:CreateGrant"];

    public RoleKeyAccess? RoleKeyAccess { get; set; }

    /// <summary>Why the job's role may not use the vault's key, or null (AWS managed keys are Backup's own).</summary>
    private string? VaultKeyRefusal(BackupJob job, BackupVault vault)
    {
        try
        {
            if (RoleKeyAccess is null || kms.Find(vault.AccountId, vault.Region, vault.EncryptionKeyArn).AwsManaged)
            {
                return null;
            }
        }
        catch (AwsServiceException)
        {
            return "The source snapshot KMS key does not exist, is not enabled or you do not have permissions to access it";
        }

        return JobKeyActions.Select(action => RoleKeyAccess(job.IamRoleArn, action, vault.EncryptionKeyArn, vault.Region)).FirstOrDefault(refusal => refusal is not null);
    }
}
