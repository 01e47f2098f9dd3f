using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using CloudPatterns.Aws;
using CloudPatterns.Aws.Backup;
using CloudPatterns.Aws.Iam;
using CloudPatterns.Aws.Monitoring;
using CloudPatterns.Aws.Organizations;
using CloudPatterns.Core.Deployment;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>One readiness check of one member account and region.</summary>
public sealed class ReadinessCheck
{
    public string AccountId { get; set; } = "";

    public string Region { get; set; } = "";

    public string Check { get; set; } = "";

    /// <summary>Passed, Failed or Warning.</summary>
    public string Status { get; set; } = "";

    /// <summary>What was found (for a failed copy job, AWS Backup's status message).</summary>
    public string Detail { get; set; } = "";

    /// <summary>What to do about it; empty when nothing needs doing.</summary>
    public string Remediation { get; set; } = "";

    /// <summary>AchievableRpo: the resource type the check is about; null for the other checks.</summary>
    public string? ResourceType { get; set; }

    /// <summary>AchievableRpo: the RPO restores from the member's own vault can meet.</summary>
    public TimeSpan? PrimaryRegionRpo { get; set; }

    /// <summary>AchievableRpo: the RPO restores from the copies in the DR region can meet (plus the copy's duration).</summary>
    public TimeSpan? DrRegionRpo { get; set; }
}

/// <summary>Where a member account's backups are meant to go.</summary>
public sealed class ReadinessOptions
{
    public string VaultAccountId { get; set; } = "";

    public string VaultName { get; set; } = DrConfiguration.DefaultVaultName;

    /// <summary>The region copies go on to (besides the member's own region); null = no cross-region copy.</summary>
    public string? DrRegion { get; set; }

    /// <summary>The member's own vault, whose key encrypts what is copied.</summary>
    public string SourceVaultName { get; set; } = DrConfiguration.DefaultMemberVaultName;

    public string BackupRoleName { get; set; } = "service-role/AWSBackupDefaultServiceRole";

    /// <summary>The role Invoke-DrValidation runs as in the vault account; null skips the checks of what it needs.</summary>
    public string? ValidationRoleName { get; set; }

    /// <summary>The role the validation hands AWS Backup for restores in the vault account.</summary>
    public string RestoreRoleName { get; set; } = "service-role/AWSBackupDefaultServiceRole";

    /// <summary>The evidence bucket (in the vault account's primary region), whose key the validation role writes with.</summary>
    public string? EvidenceBucketName { get; set; }

    /// <summary>The region of the evidence bucket; null = the member's region.</summary>
    public string? EvidenceRegion { get; set; }
    /// <summary>The RPO each protected resource type must be able to meet in the DR region.</summary>
    public TimeSpan RpoTarget { get; set; } = AchievableRpo.DefaultTarget;
}

/// <summary>
/// The pitfalls that break cross-account and cross-region copies, checked from the member account's side: the
/// organization's opt-in, the destination vaults and their access policies, the source key and its policy, RDS's
/// second hop, and the copy jobs that already failed, each explained with its cause and fix.
/// </summary>
public static partial class BackupReadiness
{
    public const string CrossAccountBackupEnabled = "CrossAccountBackupEnabled";
    public const string DestinationVaultExists = "DestinationVaultExists";
    public const string DestinationVaultPolicy = "DestinationVaultPolicy";
    public const string SourceKeyShared = "SourceKeyShared";
    public const string BackupRole = "BackupRole";
    public const string RdsSecondHop = "RdsSecondHop";
    public const string CopyJobs = "CopyJobs";
    public const string AlertTopicKey = "AlertTopicKey";
    public const string AchievableRpoCheck = "AchievableRpo";

    public static async IAsyncEnumerable<ReadinessCheck> RunAsync(AwsSession session, FanOutTarget member, ReadinessOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        AwsTarget source = await session.GetTargetAsync(member, cancellationToken).ConfigureAwait(false);
        AwsTarget caller = await session.GetTargetAsync(session.CallerAccountId, member.Region, cancellationToken).ConfigureAwait(false);
        Organization organization = (await caller.Organizations.DescribeOrganizationAsync(new DescribeOrganizationRequest(), cancellationToken).ConfigureAwait(false)).Organization
            ?? throw new InvalidOperationException("DescribeOrganization returned no organization.");
        var checks = new Checks(member);

        yield return await OptInAsync(caller, organization, checks, cancellationToken).ConfigureAwait(false);
        bool crossAccount = options.VaultAccountId != member.AccountId;
        foreach (string region in new[] { member.Region, options.DrRegion ?? member.Region }.Distinct())
        {
            AwsTarget vault = await session.GetTargetAsync(options.VaultAccountId, region, cancellationToken).ConfigureAwait(false);
            foreach (ReadinessCheck check in await DestinationAsync(vault, member.AccountId, organization.Id!, options, checks, cancellationToken).ConfigureAwait(false))
            {
                yield return check;
            }

            yield return await checks.GuardAsync(AlertTopicKey, () => AlertTopicKeyAsync(vault, checks, cancellationToken)).ConfigureAwait(false);
        }

        yield return await checks.GuardAsync(SourceKeyShared, () => SourceKeyAsync(source, options, organization.Id!, crossAccount, checks, cancellationToken)).ConfigureAwait(false);
        yield return await checks.GuardAsync(BackupRole, () => BackupRoleAsync(source, options, checks, cancellationToken)).ConfigureAwait(false);
        yield return await checks.GuardAsync(RdsSecondHop, () => SecondHopAsync(source, options, crossAccount, checks, cancellationToken)).ConfigureAwait(false);
        await foreach (ReadinessCheck check in FailedCopiesAsync(source, checks, cancellationToken).ConfigureAwait(false))
        {
            yield return check;
        }

        if (options.ValidationRoleName is { } validationRoleName)
        {
            AwsTarget validation = await session.GetTargetAsync(options.VaultAccountId, options.EvidenceRegion ?? member.Region, cancellationToken).ConfigureAwait(false);
            var role = $"arn:aws:iam::{options.VaultAccountId}:role/{validationRoleName}";
            yield return await checks.GuardAsync(ValidationRolePassRole, () => ValidationPassRoleAsync(validation, role, options, checks, cancellationToken)).ConfigureAwait(false);
            if (options.EvidenceBucketName is { Length: > 0 } bucket)
            {
                yield return await checks.GuardAsync(EvidenceKeyAccess, () => EvidenceKeyAccessAsync(validation, role, bucket, checks, cancellationToken)).ConfigureAwait(false);
            }
        }
        foreach (ReadinessCheck check in await RpoAsync(source, options, checks, cancellationToken).ConfigureAwait(false))
        {
            yield return check;
        }
    }

    /// <summary>
    /// Per protected resource type: the RPO the member's plan (the schedule and continuous backup its stack was
    /// deployed with) achieves in the primary and the DR region, against the target.
    /// </summary>
    private static async Task<IReadOnlyList<ReadinessCheck>> RpoAsync(AwsTarget source, ReadinessOptions options, Checks checks, CancellationToken cancellationToken)
    {
        var types = new SortedSet<string>(StringComparer.Ordinal);
        TimeSpan? backupInterval;
        bool continuousBackup;
        try
        {
            var plan = await new StackDeployment(source).DescribeAsync(CrossAccountBackupSetup.MemberPlanStack, cancellationToken).ConfigureAwait(false);
            backupInterval = plan is not null && plan.Parameters.TryGetValue("Schedule", out var schedule) ? AchievableRpo.Interval(schedule) : null;
            continuousBackup = plan is not null && plan.Parameters.TryGetValue("ContinuousBackup", out var continuous) && continuous == "true";
            await foreach (ProtectedResource resource in source.Backup.ListAllProtectedResourcesAsync(cancellationToken).ConfigureAwait(false))
            {
                types.Add(resource.ResourceType ?? "");
            }
        }
        catch (AmazonServiceException error) when (AccessDenial.Parse(error.Message) is not null)
        {
            return new[] { checks.Refused(AchievableRpoCheck, error) };
        }

        string drRegion = options.DrRegion ?? source.Region;
        const string Remedy = "Run Set-CrossAccountBackup with -Schedule Hourly (copies every hour) and -ContinuousBackup (point-in-time restore of RDS, Aurora and S3).";
        // Copies still work with a longer RPO: a missed target is a warning, not a failure of the setup.
        ReadinessCheck Rpo(string type, bool met, string detail, string remediation) => new()
        {
            AccountId = source.AccountId,
            Region = source.Region,
            Check = AchievableRpoCheck,
            Status = met ? CheckOutcome.Passed : "Warning",
            Detail = detail,
            Remediation = met ? "" : remediation,
            ResourceType = type,
        };

        return types.Select(type =>
        {
            if (backupInterval is not { } interval)
            {
                return Rpo(type, false, $"{type}: no stack {CrossAccountBackupSetup.MemberPlanStack} with a readable Schedule here, so the RPO cannot be told.", "Run Set-CrossAccountBackup for this account (a plan it did not deploy is not read).");
            }

            bool continuous = continuousBackup && AchievableRpo.SupportsContinuous(type);
            TimeSpan primary = continuous ? AchievableRpo.ContinuousLag : interval;
            string how = continuous ? $"continuous backup restores to any second up to {AchievableRpo.ContinuousLag.TotalMinutes:0} minutes ago" : $"a backup every {interval}";
            var check = Rpo(type, interval <= options.RpoTarget,
                $"{type}: RPO {primary} in {source.Region} ({how}); {interval} plus the copy's duration in {drRegion} (a copy at each run); the target is {options.RpoTarget}.",
                Remedy);
            check.PrimaryRegionRpo = primary;
            check.DrRegionRpo = interval;
            return check;
        }).ToList();
    }

    /// <summary>The cause and fix of a failed copy job, from AWS Backup's status message.</summary>
    public static string RemediationFor(string? statusMessage)
    {
        string message = statusMessage ?? "";
        bool Has(string text) => message.IndexOf(text, StringComparison.OrdinalIgnoreCase) >= 0;
        if (Has("same organization"))
        {
            return "Both accounts must be members of the same AWS Organization: move the destination vault into an account of this organization.";
        }

        if (Has("Cross-account backup is not enabled"))
        {
            return "Turn on cross-account backup in the management account: aws backup update-global-settings --global-settings isCrossAccountBackupEnabled=true (in every region that copies).";
        }

        if (Has("Access Denied trying to call AWS Backup"))
        {
            return "The destination vault's access policy must allow backup:CopyIntoBackupVault for this account or the organization (Principal \"*\" with aws:PrincipalOrgID).";
        }

        if (Has("default CMK"))
        {
            return "The source vault uses the AWS-managed key aws/backup, which cannot be shared: create a customer-managed KMS key whose policy lets the destination account use it, and a vault that uses that key.";
        }

        if (Has("key") && (Has("not accessible") || Has("permissions")))
        {
            return "The source key's policy must let the destination account use it: allow kms:DescribeKey, kms:Decrypt, kms:CreateGrant and kms:GenerateDataKey* to that account or the organization (aws:PrincipalOrgID).";
        }

        if (Has("not supported for provided resource type"))
        {
            return "This resource type cannot be copied cross-account and cross-region in one copy action: copy to the destination account in the same region first, then from there to the other region.";
        }

        return "Read the copy job's status message in the AWS Backup console; check the destination vault policy, the source key policy and the organization's cross-account setting.";
    }

    private static async Task<ReadinessCheck> OptInAsync(AwsTarget caller, Organization organization, Checks checks, CancellationToken cancellationToken)
    {
        try
        {
            DescribeGlobalSettingsResponse settings = await caller.Backup.DescribeGlobalSettingsAsync(new DescribeGlobalSettingsRequest(), cancellationToken).ConfigureAwait(false);
            bool enabled = settings.GlobalSettings.TryGetValue("isCrossAccountBackupEnabled", out string? value) && value == "true";
            return checks.Result(CrossAccountBackupEnabled, enabled,
                $"isCrossAccountBackupEnabled is {value ?? "not set"} in {caller.Region} for organization {organization.Id}.",
                $"In the management account {organization.MasterAccountId}: aws backup update-global-settings --global-settings isCrossAccountBackupEnabled=true --region {caller.Region} (or Set-CrossAccountBackup).");
        }
        catch (AmazonServiceException error)
        {
            return checks.Result(CrossAccountBackupEnabled, false, $"The organization's Backup settings could not be read: {error.Message} ({error.ErrorCode}).",
                $"Run this check as the management account {organization.MasterAccountId}, which owns the setting.");
        }
    }

    private static async Task<List<ReadinessCheck>> DestinationAsync(AwsTarget vault, string memberAccountId, string organizationId, ReadinessOptions options, Checks checks, CancellationToken cancellationToken)
    {
        string where = $"{options.VaultName} in {vault.AccountId} {vault.Region}";
        try
        {
            await vault.Backup.DescribeBackupVaultAsync(new DescribeBackupVaultRequest { BackupVaultName = options.VaultName }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonServiceException error) when (error.ErrorCode is "AccessDeniedException" or "ResourceNotFoundException")
        {
            // AWS Backup answers AccessDeniedException for a vault that is not there; a refusal in AWS's words is a refusal.
            if (AccessDenial.Parse(error.Message) is not null)
            {
                return new List<ReadinessCheck> { checks.Refused(DestinationVaultExists, error) };
            }

            return new List<ReadinessCheck>
            {
                checks.Result(DestinationVaultExists, false, $"Vault {where} does not exist ({error.ErrorCode}).", $"Create vault {options.VaultName} in {vault.AccountId} {vault.Region} (the central vault template), with an access policy for the organization."),
            };
        }

        var found = new List<ReadinessCheck> { checks.Result(DestinationVaultExists, true, $"Vault {where} exists.", "") };
        string? policy = null;
        try
        {
            policy = (await vault.Backup.GetBackupVaultAccessPolicyAsync(new GetBackupVaultAccessPolicyRequest { BackupVaultName = options.VaultName }, cancellationToken).ConfigureAwait(false)).Policy;
        }
        catch (AmazonServiceException error) when (error.ErrorCode == "ResourceNotFoundException")
        {
            policy = null;
        }

        bool granted = ResourcePolicy.Grants(policy, "backup:CopyIntoBackupVault", memberAccountId, organizationId);
        found.Add(checks.Result(DestinationVaultPolicy, granted,
            policy is null ? $"Vault {where} has no access policy." : granted ? $"The access policy of {where} lets {memberAccountId} copy in." : $"The access policy of {where} does not allow backup:CopyIntoBackupVault for {memberAccountId} or organization {organizationId}.",
            $"Put an access policy on {where} allowing backup:CopyIntoBackupVault to Principal \"*\" with Condition StringEquals aws:PrincipalOrgID = {organizationId}."));
        return found;
    }

    private static async Task<ReadinessCheck> SourceKeyAsync(AwsTarget source, ReadinessOptions options, string organizationId, bool crossAccount, Checks checks, CancellationToken cancellationToken)
    {
        string? keyArn;
        try
        {
            keyArn = (await source.Backup.DescribeBackupVaultAsync(new DescribeBackupVaultRequest { BackupVaultName = options.SourceVaultName }, cancellationToken).ConfigureAwait(false)).EncryptionKeyArn;
        }
        catch (AmazonServiceException error) when (error.ErrorCode is "AccessDeniedException" or "ResourceNotFoundException" && AccessDenial.Parse(error.Message) is null)
        {
            return checks.Result(SourceKeyShared, false, $"The source vault {options.SourceVaultName} does not exist in {source.AccountId} {source.Region}.",
                $"Create the member backup plan's vault {options.SourceVaultName} with a customer-managed KMS key shared with {options.VaultAccountId} (the member backup plan template), or give -SourceVaultName.");
        }

        if (keyArn is null)
        {
            return checks.Result(SourceKeyShared, false, $"Vault {options.SourceVaultName} reports no encryption key.", "Recreate the vault with a customer-managed KMS key.");
        }

        KeyMetadata key = (await source.Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyArn }, cancellationToken).ConfigureAwait(false)).KeyMetadata;
        if (key.KeyManager == KeyManagerType.AWS)
        {
            return checks.Result(SourceKeyShared, !crossAccount,
                $"Vault {options.SourceVaultName} is encrypted with the AWS-managed key {keyArn}, which cannot be shared with another account.",
                $"Create a customer-managed KMS key whose policy lets {options.VaultAccountId} (or the organization) use it, and a vault that uses it; AWS-managed keys cannot be shared.");
        }

        string policy = (await source.Kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = keyArn, PolicyName = "default" }, cancellationToken).ConfigureAwait(false)).Policy;
        bool shared = !crossAccount || new[] { "kms:DescribeKey", "kms:Decrypt" }.All(action => ResourcePolicy.Grants(policy, action, options.VaultAccountId, organizationId));
        return checks.Result(SourceKeyShared, shared,
            shared ? $"Key {keyArn} is customer-managed and its policy lets {options.VaultAccountId} use it." : $"The policy of key {keyArn} does not let {options.VaultAccountId} call kms:DescribeKey and kms:Decrypt.",
            $"Add a statement to the key policy of {keyArn} allowing kms:DescribeKey, kms:Decrypt, kms:CreateGrant and kms:GenerateDataKey* to {options.VaultAccountId} or Principal \"*\" with aws:PrincipalOrgID = {organizationId}.");
    }

    /// <summary>The role Backup uses in the member account exists (IAM GetRole) and trusts backup.amazonaws.com.</summary>
    private static async Task<ReadinessCheck> BackupRoleAsync(AwsTarget source, ReadinessOptions options, Checks checks, CancellationToken cancellationToken)
    {
        const string backupService = "backup.amazonaws.com";
        string roleArn = $"arn:aws:iam::{source.AccountId}:role/{options.BackupRoleName}";
        string roleName = options.BackupRoleName.Substring(options.BackupRoleName.LastIndexOf('/') + 1);
        Role? role;
        try
        {
            role = (await source.Iam.GetRoleAsync(new GetRoleRequest { RoleName = roleName }, cancellationToken).ConfigureAwait(false)).Role;
        }
        catch (AmazonServiceException error) when (error.ErrorCode == "NoSuchEntity")
        {
            return checks.Result(BackupRole, false, $"Role {roleArn} does not exist.",
                $"Create {roleArn} trusting {backupService} with the AWS-managed policies AWSBackupServiceRolePolicyForBackup and AWSBackupServiceRolePolicyForRestores (the member backup plan template makes one), or give -BackupRoleName.");
        }

        bool trusts = ResourcePolicy.TrustsService(role?.TrustPolicyDocument, backupService);
        return checks.Result(BackupRole, trusts,
            trusts ? $"Role {role?.Arn} exists and trusts {backupService}." : $"The trust policy of {role?.Arn} does not let {backupService} assume it.",
            $"Add a statement to the trust policy of {role?.Arn} allowing sts:AssumeRole to Principal {{ \"Service\": \"{backupService}\" }}.");
    }

    private static async Task<ReadinessCheck> SecondHopAsync(AwsTarget source, ReadinessOptions options, bool crossAccount, Checks checks, CancellationToken cancellationToken)
    {
        if (!crossAccount || options.DrRegion is null || options.DrRegion == source.Region)
        {
            return checks.Result(RdsSecondHop, true, "No copy is both cross-account and cross-region.", "");
        }

        var rds = new List<string>();
        await foreach (ProtectedResource resource in source.Backup.ListAllProtectedResourcesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (resource.ResourceType is "RDS" or "Aurora")
            {
                rds.Add(resource.ResourceArn ?? "");
            }
        }

        return rds.Count == 0
            ? checks.Result(RdsSecondHop, true, "No RDS or Aurora resource is protected here.", "")
            : new ReadinessCheck
            {
                AccountId = source.AccountId,
                Region = source.Region,
                Check = RdsSecondHop,
                Status = "Warning",
                Detail = $"{string.Join(", ", rds)} cannot be copied to {options.VaultAccountId} and {options.DrRegion} in one copy action.",
                Remediation = $"Copy RDS/Aurora to {options.VaultName} in {options.VaultAccountId} {source.Region} first, then copy from there to {options.DrRegion} (a copy action in the central account).",
            };
    }

    private static async IAsyncEnumerable<ReadinessCheck> FailedCopiesAsync(AwsTarget source, Checks checks, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // One failed copy job per destination and message is enough to explain it.
        var explained = new HashSet<(string?, string?)>();
        await foreach (CopyJob job in source.Backup.ListAllCopyJobsAsync(new ListCopyJobsRequest { ByState = "FAILED" }, cancellationToken).ConfigureAwait(false))
        {
            if (explained.Add((job.DestinationBackupVaultArn, job.StatusMessage)))
            {
                yield return checks.Result(CopyJobs, false,
                    $"Copy job {job.CopyJobId} of {job.ResourceArn} to {job.DestinationBackupVaultArn} failed: {job.StatusMessage}",
                    RemediationFor(job.StatusMessage));
            }
        }

        if (explained.Count == 0)
        {
            yield return checks.Result(CopyJobs, true, $"No copy job has failed in {source.AccountId} {source.Region}.", "");
        }
    }

    /// <summary>
    /// The central vault's failed-jobs topic is under a key AWS Backup may use: AWS services cannot publish to a topic
    /// encrypted with the AWS-managed key aws/sns (docs/least-privilege.md), so its notifications would never arrive.
    /// </summary>
    private static async Task<ReadinessCheck> AlertTopicKeyAsync(AwsTarget vault, Checks checks, CancellationToken cancellationToken)
    {
        var stack = await new Deployment.StackDeployment(vault).DescribeAsync(CrossAccountBackupSetup.CentralVaultStack, cancellationToken).ConfigureAwait(false);
        if (stack is null || !stack.Outputs.TryGetValue(FailedJobsTopicOutput, out var topicArn))
        {
            return checks.Result(AlertTopicKey, false, $"Stack {CrossAccountBackupSetup.CentralVaultStack} in {vault.AccountId} {vault.Region} has no {FailedJobsTopicOutput} output.",
                $"Deploy the central vault in {vault.AccountId} {vault.Region} (Set-CrossAccountBackup).");
        }

        var attributes = (await vault.Sns.GetTopicAttributesAsync(new GetTopicAttributesRequest { TopicArn = topicArn }, cancellationToken).ConfigureAwait(false)).Attributes;
        if (!attributes.TryGetValue("KmsMasterKeyId", out var keyId) || string.IsNullOrEmpty(keyId))
        {
            return checks.Result(AlertTopicKey, true, $"Topic {topicArn} is not encrypted, so AWS Backup can publish to it.", "");
        }

        // The alias/aws/ prefix is reserved for AWS-managed keys, which KMS creates only when their service first uses them.
        bool awsAlias = keyId.StartsWith("alias/aws/", StringComparison.Ordinal) || keyId.Contains(":alias/aws/");
        var key = awsAlias ? null : (await vault.Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyId }, cancellationToken).ConfigureAwait(false)).KeyMetadata;
        bool customerManaged = key is not null && key.KeyManager != KeyManagerType.AWS;
        return checks.Result(AlertTopicKey, customerManaged,
            customerManaged ? $"Topic {topicArn} is encrypted with the customer-managed key {key!.Arn}." : $"Topic {topicArn} is encrypted with the AWS-managed key {keyId}: AWS Backup cannot publish to it, so failed-job notifications never arrive.",
            $"Encrypt {topicArn} with a customer-managed KMS key whose policy lets backup.amazonaws.com call kms:GenerateDataKey* and kms:Decrypt (the central vault template's BackupKey does).");
    }

    private const string FailedJobsTopicOutput = "FailedJobsTopicArn";

    private sealed class Checks
    {
        private readonly FanOutTarget member;

        public Checks(FanOutTarget member) => this.member = member;

        /// <summary>The check, or, when AWS refused one of its calls, the check failed with the refusal and what to change (an SCP's deny is named).</summary>
        public async Task<ReadinessCheck> GuardAsync(string check, Func<Task<ReadinessCheck>> run)
        {
            try
            {
                return await run().ConfigureAwait(false);
            }
            catch (AmazonServiceException error) when (AccessDenial.Parse(error.Message) is not null)
            {
                return Refused(check, error);
            }
        }

        public ReadinessCheck Refused(string check, AmazonServiceException error) =>
            Result(check, false, $"AWS refused the check's call: {error.Message} ({error.ErrorCode}).", AccessDenial.Parse(error.Message)!.Remedy);

        public ReadinessCheck Result(string check, bool passed, string detail, string remediation) => new()
        {
            AccountId = member.AccountId,
            Region = member.Region,
            Check = check,
            Status = passed ? CheckOutcome.Passed : CheckOutcome.Failed,
            Detail = detail,
            Remediation = passed ? "" : remediation,
        };
    }
}
