namespace CloudPatterns.LocalCloud.Services.Kms;

/// <summary>
/// A service that has an AWS-managed KMS key (alias/aws/&lt;service&gt;) in every account and region: the key's alias,
/// description and the policy AWS gives it (usable only through that service, by its own account).
/// </summary>
internal sealed class AwsManagedKeyService
{
    public const string BackupAlias = "alias/aws/backup";

    public static readonly AwsManagedKeyService Backup = new(
        "backup", BackupAlias, "Default key that protects my backups when no other encryption key is defined", "auto-backup-1",
        "\"kms:CreateGrant\", \"kms:Decrypt\", \"kms:GenerateDataKey*\"");

    public static readonly AwsManagedKeyService Ssm = new(
        "ssm", "alias/aws/ssm", "Default key that protects my SSM parameters when no other key is defined", "auto-ssm-1",
        "\"kms:Encrypt\", \"kms:Decrypt\", \"kms:ReEncrypt*\", \"kms:GenerateDataKey*\", \"kms:CreateGrant\", \"kms:DescribeKey\"");

    /// <summary>The key an encrypted EFS file system gets when CreateFileSystem names none (docs/localcloud-efs.md).</summary>
    public static readonly AwsManagedKeyService Efs = new(
        "elasticfilesystem", "alias/aws/elasticfilesystem", "Default key that protects my Amazon EFS file systems when no other key is defined", "auto-elasticfilesystem-1",
        "\"kms:Encrypt\", \"kms:Decrypt\", \"kms:ReEncrypt*\", \"kms:GenerateDataKey*\", \"kms:CreateGrant\", \"kms:DescribeKey\"");

    public static readonly IReadOnlyList<AwsManagedKeyService> All = [Backup, Ssm, Efs];

    private readonly string serviceName;
    private readonly string policyId;
    private readonly string actions;

    private AwsManagedKeyService(string serviceName, string alias, string description, string policyId, string actions)
    {
        this.serviceName = serviceName;
        Alias = alias;
        Description = description;
        this.policyId = policyId;
        this.actions = actions;
    }

    public string Alias { get; }

    public string Description { get; }

    /// <summary>The service's endpoint as kms:ViaService names it, e.g. ssm.us-east-1.amazonaws.com.</summary>
    public string ViaService(string region) => $"{serviceName}.{region}.amazonaws.com";

    public string Policy(string accountId, string region) => $$"""
        {
          "Version" : "2012-10-17",
          "Id" : "{{policyId}}",
          "Statement" : [ {
            "Sid" : "Allow access through {{serviceName}} for all principals in the account that are authorized to use it",
            "Effect" : "Allow",
            "Principal" : { "AWS" : "*" },
            "Action" : [ {{actions}} ],
            "Resource" : "*",
            "Condition" : { "StringEquals" : { "kms:ViaService" : "{{ViaService(region)}}", "kms:CallerAccount" : "{{accountId}}" } }
          }, {
            "Sid" : "Allow direct access to key metadata to the account",
            "Effect" : "Allow",
            "Principal" : { "AWS" : "arn:aws:iam::{{accountId}}:root" },
            "Action" : [ "kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant" ],
            "Resource" : "*"
          } ]
        }
        """;
}
