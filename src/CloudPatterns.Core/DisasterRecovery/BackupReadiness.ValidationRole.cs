using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using Amazon.S3.Model;
using CloudPatterns.Aws;
using CloudPatterns.Aws.Iam;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>
/// What the DR validation role needs in the vault account, asked of IAM's policy simulator (SimulatePrincipalPolicy
/// weighs the role's policies and the SCPs above its account; docs/least-privilege.md): iam:PassRole on the restore
/// role to AWS Backup, and kms:GenerateDataKey and kms:Decrypt on the evidence bucket's key with the key's policy.
/// </summary>
public static partial class BackupReadiness
{
    public const string ValidationRolePassRole = "ValidationRolePassRole";
    public const string EvidenceKeyAccess = "EvidenceKeyAccess";

    private const string BackupService = "backup.amazonaws.com";

    private static async Task<ReadinessCheck> ValidationPassRoleAsync(AwsTarget vault, string validationRole, ReadinessOptions options, Checks checks, CancellationToken cancellationToken)
    {
        var restoreRole = $"arn:aws:iam::{vault.AccountId}:role/{options.RestoreRoleName}";
        var denied = await DeniedAsync(vault, validationRole, new[] { "iam:PassRole" }, restoreRole, null,
            new ContextEntry { ContextKeyName = "iam:PassedToService", ContextKeyValues = new List<string> { BackupService }, ContextKeyType = "string" }, cancellationToken).ConfigureAwait(false);
        return Verdict(checks, ValidationRolePassRole, validationRole, denied, $"Install-CloudPatternsRole -Job DrValidation -AccountId {vault.AccountId}",
            $"{validationRole} may pass {restoreRole} to {BackupService}.",
            $"{validationRole} may not pass {restoreRole} to {BackupService} ({{0}}): its first restore would be refused.",
            $"Allow iam:PassRole on {restoreRole} with iam:PassedToService = {BackupService} to {validationRole} (Get-CloudPatternsPolicy -Job DrValidation, statement DrPassRestoreRole).");
    }

    private static async Task<ReadinessCheck> EvidenceKeyAccessAsync(AwsTarget vault, string validationRole, string bucket, Checks checks, CancellationToken cancellationToken)
    {
        var encryption = (await vault.S3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = bucket }, cancellationToken).ConfigureAwait(false)).ServerSideEncryptionConfiguration;
        var keyId = encryption?.ServerSideEncryptionRules?.Select(rule => rule.ServerSideEncryptionByDefault?.ServerSideEncryptionKeyManagementServiceKeyId).FirstOrDefault(id => !string.IsNullOrEmpty(id));
        if (keyId is null)
        {
            return checks.Result(EvidenceKeyAccess, true, $"Bucket {bucket} is not encrypted with a KMS key of its own.", "");
        }

        var keyArn = (await vault.Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyId }, cancellationToken).ConfigureAwait(false)).KeyMetadata.Arn;
        var keyPolicy = (await vault.Kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = keyArn, PolicyName = "default" }, cancellationToken).ConfigureAwait(false)).Policy;
        var denied = await DeniedAsync(vault, validationRole, new[] { "kms:GenerateDataKey", "kms:Decrypt" }, keyArn, keyPolicy,
            new ContextEntry { ContextKeyName = "kms:ViaService", ContextKeyValues = new List<string> { $"s3.{vault.Region}.amazonaws.com" }, ContextKeyType = "string" }, cancellationToken).ConfigureAwait(false);
        return Verdict(checks, EvidenceKeyAccess, validationRole, denied, $"Install-CloudPatternsRole -Job DrValidation -AccountId {vault.AccountId} -EvidenceBucketName {bucket}",
            $"{validationRole} may write and read evidence under {keyArn}.",
            $"{validationRole} may not use {keyArn}, the key of bucket {bucket} ({{0}}): its first evidence write would be refused.",
            $"Allow kms:GenerateDataKey and kms:Decrypt on {keyArn} to {validationRole} (Get-CloudPatternsPolicy -Job DrValidation, statement DrEvidenceEncryption; the key policy must delegate to the account or name the role).");
    }

    /// <summary>The check's result from the simulation: the role missing, every action allowed, or the denials ({0} in <paramref name="failed"/>).</summary>
    private static ReadinessCheck Verdict(Checks checks, string check, string role, List<string>? denied, string install, string passed, string failed, string remediation) => denied switch
    {
        null => checks.Result(check, false, $"Role {role} does not exist.", $"Create it: {install} (or give -ValidationRoleName)."),
        { Count: 0 } => checks.Result(check, true, passed, ""),
        _ => checks.Result(check, false, string.Format(System.Globalization.CultureInfo.InvariantCulture, failed, string.Join("; ", denied)), remediation),
    };

    /// <summary>The simulated actions not allowed, each with its decision; null when the role does not exist.</summary>
    private static async Task<List<string>?> DeniedAsync(AwsTarget target, string roleArn, string[] actions, string resource, string? resourcePolicy, ContextEntry context, CancellationToken cancellationToken)
    {
        SimulatePrincipalPolicyResponse simulated;
        try
        {
            simulated = await target.Iam.SimulatePrincipalPolicyAsync(new SimulatePrincipalPolicyRequest
            {
                PolicySourceArn = roleArn,
                ActionNames = actions.ToList(),
                ResourceArns = new List<string> { resource },
                ResourcePolicy = resourcePolicy,
                ContextEntries = new List<ContextEntry> { context },
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonServiceException error) when (error.ErrorCode == "NoSuchEntity")
        {
            return null;
        }

        return simulated.EvaluationResults
            .Where(result => result.EvalDecision != "allowed")
            .Select(result => $"{result.EvalActionName}: {result.EvalDecision}{(result.OrganizationsDecisionDetail?.AllowedByOrganizations == false ? ", by a service control policy" : "")}")
            .ToList();
    }
}
