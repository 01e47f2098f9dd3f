using System;
using System.Collections.Generic;
using System.Globalization;
using CloudPatterns.Aws;

namespace CloudPatterns.Core.DisasterRecovery.Orchestration;

/// <summary>
/// What the DR-Orchestrator acts on, from its function's environment (set by templates/disaster-recovery/orchestrator.yaml;
/// the variable names are <see cref="Variables"/>). The orchestrator runs in the vault (log-archive) account.
/// </summary>
public sealed class OrchestratorSettings
{
    public const string PrimaryRegionVariable = "DR_PRIMARY_REGION";
    public const string DrRegionVariable = "DR_REGION";
    public const string VaultNameVariable = "DR_VAULT_NAME";
    public const string DrAccountVariable = "DR_ACCOUNT_ID";
    public const string DrVaultNameVariable = "DR_ACCOUNT_VAULT_NAME";
    public const string DrRoleNameVariable = "DR_ACCOUNT_ROLE_NAME";
    public const string RestoreRoleVariable = "DR_RESTORE_ROLE_ARN";
    public const string CopyRoleVariable = "DR_COPY_ROLE_ARN";
    public const string EvidenceBucketVariable = "DR_EVIDENCE_BUCKET";
    public const string EvidenceKeyVariable = "DR_EVIDENCE_KEY_ID";
    public const string RetentionVariable = "DR_EVIDENCE_RETENTION_DAYS";
    public const string RtoVariable = "DR_RTO_MINUTES";
    public const string RpoVariable = "DR_RPO_HOURS";
    public const string CoverageVariable = "DR_COVERAGE_DAYS";
    public const string IntervalVariable = "DR_SCHEDULE_HOURS";
    public const string MaxRestoresVariable = "DR_MAX_RESTORES_PER_RUN";
    public const string TopicVariable = "DR_ALERT_TOPIC_ARN";
    public const string StaleClaimVariable = "DR_STALE_CLAIM_SECONDS";

    public static IReadOnlyList<string> Variables { get; } = new[]
    {
        PrimaryRegionVariable, DrRegionVariable, VaultNameVariable, DrAccountVariable, DrVaultNameVariable, DrRoleNameVariable, RestoreRoleVariable,
        CopyRoleVariable, EvidenceBucketVariable, EvidenceKeyVariable, RetentionVariable, RtoVariable, RpoVariable, CoverageVariable, IntervalVariable,
        MaxRestoresVariable, TopicVariable, StaleClaimVariable,
    };

    public string PrimaryRegion { get; set; } = "";

    public string DrRegion { get; set; } = "";

    /// <summary>The central vault's name, the same in both regions of the vault account.</summary>
    public string VaultName { get; set; } = DrConfiguration.DefaultVaultName;

    public string DrAccountId { get; set; } = "";

    public string DrVaultName { get; set; } = CrossAccountBackupSetup.PilotLightVaultName;

    /// <summary>The role the orchestrator assumes in the DR account to restore, check and delete there.</summary>
    public string DrRoleName { get; set; } = "";

    /// <summary>The role AWS Backup restores with in the DR account.</summary>
    public string RestoreRoleArn { get; set; } = "";

    /// <summary>The role AWS Backup copies with in the vault account.</summary>
    public string CopyRoleArn { get; set; } = "";

    public string EvidenceBucket { get; set; } = "";

    /// <summary>The evidence signing key; empty = the bucket's default alias.</summary>
    public string EvidenceKeyId { get; set; } = "";

    public int EvidenceRetentionDays { get; set; } = EvidenceStore.DefaultRetentionDays;

    /// <summary>The architecture's seven days, Set-CrossAccountBackup's -CoverageWindow default too.</summary>
    public static readonly TimeSpan DefaultCoverageWindow = TimeSpan.FromDays(7);

    /// <summary>When <see cref="RtoVariable"/> is missing: the architecture's target, Set-CrossAccountBackup's default too.</summary>
    public TimeSpan RtoTarget { get; set; } = AchievableRpo.DefaultTarget;

    /// <summary>When <see cref="RpoVariable"/> is missing: the architecture's target, Set-CrossAccountBackup's default too.</summary>
    public TimeSpan RpoTarget { get; set; } = AchievableRpo.DefaultTarget;

    /// <summary>Every protected resource is validated at least once within this span.</summary>
    public TimeSpan CoverageWindow { get; set; } = DefaultCoverageWindow;

    /// <summary>How often the schedule fires: each run validates its share of the resources (see <see cref="ScheduledValidation"/>).</summary>
    public TimeSpan ScheduleInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Restores one scheduled run starts at most, of every type together. DynamoDB's own quota (50 concurrent restores
    /// per account) holds apart from it: <see cref="ScheduledValidation.Pick"/>.
    /// </summary>
    public int MaxRestoresPerRun { get; set; } = DrValidationOptions.MaxRestoresPerRegion;

    /// <summary>The highest <see cref="MaxRestoresVariable"/>: our bound, so one run's notes stay one listing of a few pages.</summary>
    public const int MaxRestoresPerRunLimit = 1000;

    /// <summary>SNS topic told about each failed validation; empty = none.</summary>
    public string AlertTopicArn { get; set; } = "";

    /// <summary>After this long an evidence claim whose record never appeared is taken over: the function's timeout and then some.</summary>
    public TimeSpan StaleClaimAfter { get; set; } = EvidenceStore.DefaultStaleClaimAfter;

    /// <summary>The settings in <paramref name="environment"/>; every missing or bad value is named in one <see cref="ArgumentException"/>.</summary>
    public static OrchestratorSettings FromEnvironment(IReadOnlyDictionary<string, string> environment)
    {
        var problems = new List<string>();
        var settings = new OrchestratorSettings();
        string Required(string name, Func<string, bool> valid, string allowed)
        {
            if (!environment.TryGetValue(name, out string? value) || string.IsNullOrEmpty(value))
            {
                problems.Add($"{name} is not set ({allowed}).");
                return "";
            }

            if (!valid(value))
            {
                problems.Add($"{name} '{value}' is not {allowed}.");
            }

            return value;
        }

        string Optional(string name, string fallback, Func<string, bool> valid, string allowed) =>
            environment.TryGetValue(name, out string? value) && !string.IsNullOrEmpty(value) ? Required(name, valid, allowed) : fallback;

        double Number(string name, double fallback, double min, double max)
        {
            string text = Optional(name, fallback.ToString(CultureInfo.InvariantCulture),
                value => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double n) && n >= min && n <= max,
                $"a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) ? parsed : fallback;
        }

        const string RegionText = "a region such as us-east-2";
        const string RoleText = "an IAM role ARN";
        settings.PrimaryRegion = Required(PrimaryRegionVariable, AwsIdentifiers.IsRegion, RegionText);
        settings.DrRegion = Required(DrRegionVariable, AwsIdentifiers.IsRegion, RegionText);
        settings.VaultName = Optional(VaultNameVariable, settings.VaultName, AwsIdentifiers.IsBackupVaultName, "a backup vault name");
        settings.DrAccountId = Required(DrAccountVariable, AwsIdentifiers.IsAccountId, "a 12-digit account id");
        settings.DrVaultName = Optional(DrVaultNameVariable, settings.DrVaultName, AwsIdentifiers.IsBackupVaultName, "a backup vault name");
        settings.DrRoleName = Required(DrRoleNameVariable, name => name.Length is > 0 and <= 64, "an IAM role name");
        settings.RestoreRoleArn = Required(RestoreRoleVariable, IsRoleArn, RoleText);
        settings.CopyRoleArn = Required(CopyRoleVariable, IsRoleArn, RoleText);
        settings.EvidenceBucket = Required(EvidenceBucketVariable, AwsIdentifiers.IsBucketName, "an S3 bucket name");
        settings.EvidenceKeyId = Optional(EvidenceKeyVariable, EvidenceSigningKey.DefaultAlias(settings.EvidenceBucket), _ => true, "a KMS key id, ARN or alias");
        settings.EvidenceRetentionDays = (int)Number(RetentionVariable, EvidenceStore.DefaultRetentionDays, 1, 36500);
        settings.RtoTarget = TimeSpan.FromMinutes(Number(RtoVariable, settings.RtoTarget.TotalMinutes, 1, 7 * 24 * 60));
        settings.RpoTarget = TimeSpan.FromHours(Number(RpoVariable, settings.RpoTarget.TotalHours, 1, 24 * 365));
        settings.CoverageWindow = TimeSpan.FromDays(Number(CoverageVariable, settings.CoverageWindow.TotalDays, 1, 365));
        settings.ScheduleInterval = TimeSpan.FromHours(Number(IntervalVariable, settings.ScheduleInterval.TotalHours, 1, 24 * 365));
        settings.MaxRestoresPerRun = (int)Number(MaxRestoresVariable, settings.MaxRestoresPerRun, 1, MaxRestoresPerRunLimit);
        settings.AlertTopicArn = Optional(TopicVariable, "", arn => AwsArn.TryParse(arn)?.Service == "sns", "an SNS topic ARN");
        settings.StaleClaimAfter = TimeSpan.FromSeconds(Number(StaleClaimVariable, settings.StaleClaimAfter.TotalSeconds, 1, 24 * 3600));
        if (settings.ScheduleInterval > settings.CoverageWindow)
        {
            problems.Add($"{IntervalVariable} ({settings.ScheduleInterval.TotalHours} h) is longer than {CoverageVariable} ({settings.CoverageWindow.TotalDays} days): a resource could go unvalidated for longer than the window.");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("The DR-Orchestrator's environment is not valid: " + string.Join(" ", problems));
        }

        return settings;
    }

    private static bool IsRoleArn(string arn) => AwsArn.TryParse(arn) is { Service: "iam" } parsed && parsed.Resource.StartsWith("role/", StringComparison.Ordinal);

    /// <summary>The validation options the shared restore steps take.</summary>
    internal DrValidationOptions ValidationOptions() => new()
    {
        BackupVaultName = DrVaultName,
        RtoTarget = RtoTarget,
        RpoTarget = RpoTarget,
        IamRoleArn = RestoreRoleArn,
        AlertTopicArn = AlertTopicArn.Length == 0 ? null : AlertTopicArn,
        PollInterval = TimeSpan.FromSeconds(2),
        Timeout = StaleClaimAfter,
    };

    internal string CentralVaultArn(string accountId, string region) => $"arn:aws:backup:{region}:{accountId}:backup-vault:{VaultName}";

    internal string DrVaultArn => $"arn:aws:backup:{DrRegion}:{DrAccountId}:backup-vault:{DrVaultName}";
}
