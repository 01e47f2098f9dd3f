using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using CloudPatterns.Aws;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>
/// What Set-CrossAccountBackup sets up: which workload accounts back up, into which central vault account, in which
/// regions, what they select and keep, and whether the central vaults are locked. <see cref="Problems"/> checks all of
/// it before any AWS call, each problem naming the value and what is allowed.
/// </summary>
public sealed class CrossAccountBackupSettings
{
    public const int MaxRetentionDays = 36500;

    /// <summary>AWS Backup's smallest ChangeableForDays: a lock can be removed for at least three days.</summary>
    public const int MinChangeableForDays = 3;

    private static readonly Regex CronPattern = new("^cron\\((?<fields>[^()]+)\\)$");
    private static readonly Regex CronFieldPattern = new("^[0-9A-Za-z*?,/#L W-]+$");

    /// <summary>The workload accounts whose resources are backed up (from Get-OrgAccount or -AccountId).</summary>
    public IList<string> AccountIds { get; } = new List<string>();

    /// <summary>The account of the central vaults and the evidence bucket (log-archive).</summary>
    public string VaultAccountId { get; set; } = "";

    /// <summary>OUs whose accounts get the member plan through a stack set (auto-deployment follows accounts moving in and out).</summary>
    public IList<string> OrganizationalUnitIds { get; } = new List<string>();

    /// <summary>How the member plan is deployed; null lets the setup choose (<see cref="MemberPlanStackSet"/>).</summary>
    public BackupDeploymentMode? DeploymentMode { get; set; }

    public string PrimaryRegion
    {
        get => PrimaryRegions.FirstOrDefault() ?? string.Empty;
        set
        {
            PrimaryRegions.Clear();
            PrimaryRegions.Add(value);
        }
    }

    /// <summary>Every primary region given (pipeline records may each bring one); valid settings have exactly one.</summary>
    public IList<string> PrimaryRegions { get; } = new List<string>();

    public string DrRegion { get; set; } = "";

    /// <summary>The tag that selects resources, as Key=Value.</summary>
    public string ResourceTag { get; set; } = "backup=daily";

    /// <summary>
    /// When the plans run: Hourly, Daily (05:00 UTC) or an AWS cron expression (UTC), cron(Minutes Hours Day-of-month
    /// Month Day-of-week Year). The gap between two runs is the RPO the DR region can meet.
    /// </summary>
    public string Schedule { get; set; } = AchievableRpo.DailySchedule;

    /// <summary>The cron expression the plans get (Hourly and Daily expanded).</summary>
    public string ScheduleExpression => AchievableRpo.Expand(Schedule);

    /// <summary>Continuous backup (point-in-time restore) for the resource types that support it (RDS, Aurora, S3); they keep it at most 35 days.</summary>
    public bool ContinuousBackup { get; set; }

    /// <summary>AWS Backup keeps continuous backups at most 35 days.</summary>
    public const int MaxContinuousRetentionDays = 35;

    /// <summary>Days each backup and copy is kept.</summary>
    public int RetentionDays { get; set; } = 35;

    public string VaultName { get; set; } = DrConfiguration.DefaultVaultName;

    /// <summary>The vault in each workload account that backups land in before they are copied.</summary>
    public string MemberVaultName { get; set; } = DrConfiguration.DefaultMemberVaultName;

    /// <summary>The evidence bucket in the vault account; empty = cloudpatterns-dr-evidence-&lt;vault account&gt;.</summary>
    public string EvidenceBucketName { get; set; } = "";

    /// <summary>
    /// The role in the vault account that writes evidence (the only one that may sign with the evidence key and put
    /// evidence); empty = the template's default, OrganizationAccountAccessRole.
    /// </summary>
    public string EvidenceWriterRoleName { get; set; } = "";

    /// <summary>
    /// The CloudFormation service role (a role name in each account that gets a stack) the DR stacks' resources are
    /// created, changed and deleted as; null = the caller's permissions (docs/least-privilege.md, "Service roles").
    /// </summary>
    public string? ServiceRoleName { get; set; }

    /// <summary>A pilot-light DR account whose vault and restore role are set up in the DR region; null = none.</summary>
    public string? DrAccountId { get; set; }

    /// <summary>Deploys the DR-Orchestrator (docs/orchestrator.md) when there is a DR account; false = -NoOrchestrator.</summary>
    public bool DeployOrchestrator { get; set; } = true;

    /// <summary>The function's deployment package the module ships (lambda/CloudPatterns.Lambda.zip).</summary>
    public string OrchestratorPackagePath { get; set; } = "";

    /// <summary>The orchestrator's RTO target: a restore that takes longer fails its validation (whole minutes; the architecture's 1 hour by default).</summary>
    public TimeSpan RtoTarget { get; set; } = AchievableRpo.DefaultTarget;

    /// <summary>The orchestrator's RPO target: a recovery point older than this when its restore starts fails (whole hours; 1 hour by default).</summary>
    public TimeSpan RpoTarget { get; set; } = AchievableRpo.DefaultTarget;

    /// <summary>Every protected resource is validated by the orchestrator at least once within this span (whole days, 1 to 365; 7 by default).</summary>
    public TimeSpan CoverageWindow { get; set; } = Orchestration.OrchestratorSettings.DefaultCoverageWindow;

    /// <summary>Whether the setup deploys the orchestrator: asked for, and a DR account to validate in.</summary>
    public bool WithOrchestrator => DeployOrchestrator && DrAccountId is not null;

    /// <summary>Applies a Vault Lock in compliance mode to the central vaults.</summary>
    public bool VaultLock { get; set; }

    public int VaultLockMinRetentionDays { get; set; } = 7;

    public int VaultLockMaxRetentionDays { get; set; } = MaxRetentionDays;

    /// <summary>Days during which the lock can still be removed; after them it is permanent.</summary>
    public int VaultLockChangeableForDays { get; set; } = MinChangeableForDays;

    public string EffectiveEvidenceBucketName => string.IsNullOrEmpty(EvidenceBucketName) ? $"cloudpatterns-dr-evidence-{VaultAccountId}" : EvidenceBucketName;

    public string ResourceTagKey => SplitTag().Key;

    public string ResourceTagValue => SplitTag().Value;

    /// <summary>Every problem of the settings, each naming the bad value and what is allowed; empty when they are valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (AccountIds.Count == 0 && OrganizationalUnitIds.Count == 0)
        {
            problems.Add("No workload account given: pipe Get-OrgAccount in, give -AccountId (12-digit account ids) or -OrganizationalUnitId.");
        }

        foreach (var unit in OrganizationalUnitIds.Where(id => !AwsIdentifiers.IsOrganizationalUnitId(id)).Distinct(StringComparer.Ordinal))
        {
            problems.Add($"-OrganizationalUnitId '{unit}' is not an OU id: give ou-<root>-<suffix>, e.g. ou-ab12-cd34ef56 (Get-OrgAccount shows each account's ParentId).");
        }

        if (OrganizationalUnitIds.Count > 0 && DeploymentMode == DisasterRecovery.BackupDeploymentMode.Direct)
        {
            problems.Add("-OrganizationalUnitId deploys through a stack set or a backup policy: use -DeploymentMode StackSet or BackupPolicy (or leave it out), or give the accounts with -AccountId for -DeploymentMode Direct.");
        }

        foreach (var accountId in AccountIds.Where(id => !AwsIdentifiers.IsAccountId(id)).Distinct(StringComparer.Ordinal))
        {
            problems.Add(NotAnAccountId("AccountId", accountId));
        }

        if (!AwsIdentifiers.IsAccountId(VaultAccountId))
        {
            problems.Add(NotAnAccountId("VaultAccountId", VaultAccountId));
        }
        else if (AccountIds.Contains(VaultAccountId))
        {
            problems.Add($"-VaultAccountId {VaultAccountId} is also among the workload accounts: the central vault account holds the copies and is not backed up into itself; leave it out of -AccountId (e.g. Get-OrgAccount | Where-Object AccountId -ne {VaultAccountId}).");
        }

        if (DrAccountId is not null && !AwsIdentifiers.IsAccountId(DrAccountId))
        {
            problems.Add(NotAnAccountId("DrAccountId", DrAccountId));
        }

        problems.AddRange(RegionProblems());
        problems.AddRange(NameProblems());
        if (TagProblem() is { } tag)
        {
            problems.Add(tag);
        }

        if (ScheduleProblem() is { } schedule)
        {
            problems.Add(schedule);
        }

        problems.AddRange(RetentionProblems());
        problems.AddRange(TargetProblems());
        if (WithOrchestrator && (OrchestratorPackagePath.Length == 0 || !System.IO.File.Exists(OrchestratorPackagePath)))
        {
            problems.Add($"The DR-Orchestrator's package '{OrchestratorPackagePath}' is missing: rebuild the module (build.ps1 -Task Build puts it in lambda/CloudPatterns.Lambda.zip), or give -NoOrchestrator to leave the orchestrator out.");
        }

        return problems;
    }

    /// <summary>
    /// Why the orchestrator would record every validation as failing its RPO, or null: the DR vault receives a copy once
    /// per run of the schedule (continuous backups stay in the primary region), so a schedule whose longest gap exceeds
    /// -RpoTarget cannot meet it there (docs/orchestrator.md).
    /// </summary>
    public string? RpoTargetWarning() =>
        WithOrchestrator && AchievableRpo.Interval(Schedule) is { } gap && gap > RpoTarget
            ? $"-RpoTarget {RpoTarget} cannot be met with -Schedule {Schedule}: the DR vault receives a copy at most every {gap}, so the DR-Orchestrator will record its validations as failing their RPO. Use -Schedule Hourly, or a -RpoTarget of at least {gap}."
            : null;

    /// <summary>Throws <see cref="InvalidCrossAccountBackupSettingsException"/> listing every problem.</summary>
    public void Validate()
    {
        var problems = Problems();
        if (problems.Count > 0)
        {
            throw new InvalidCrossAccountBackupSettingsException(problems);
        }
    }

    /// <summary>When a lock applied at <paramref name="appliedAt"/> can no longer be removed.</summary>
    public DateTimeOffset VaultLockPermanentAt(DateTimeOffset appliedAt) => appliedAt.AddDays(VaultLockChangeableForDays);

    private static string NotAnAccountId(string parameter, string value) =>
        $"-{parameter} '{value}' is not an AWS account id: give the 12 digits, e.g. 333333333333.";

    private IEnumerable<string> RegionProblems()
    {
        if (PrimaryRegions.Count > 1)
        {
            yield return $"-PrimaryRegion (-Region) was given several values ({string.Join(", ", PrimaryRegions)}), e.g. by pipeline records: the workloads' primary region is one region; give it once with -PrimaryRegion.";
        }

        foreach (var (parameter, region) in new[] { ("PrimaryRegion", PrimaryRegion), ("DrRegion", DrRegion) })
        {
            if (AwsIdentifiers.RegionProblem(parameter, region) is { } problem)
            {
                yield return problem;
            }
        }

        if (AwsIdentifiers.IsRegion(PrimaryRegion) && PrimaryRegion == DrRegion)
        {
            yield return $"-DrRegion '{DrRegion}' is the primary region: the DR copy must go to another region (e.g. us-west-2 for us-east-2).";
        }
    }

    private IEnumerable<string> NameProblems()
    {
        foreach (var (parameter, name) in new[] { ("VaultName", VaultName), ("MemberVaultName", MemberVaultName) })
        {
            if (!AwsIdentifiers.IsBackupVaultName(name))
            {
                yield return $"-{parameter} '{name}' is not a backup vault name: 2 to 50 letters, digits, hyphens or underscores.";
            }
        }

        if (AwsIdentifiers.BucketNameProblem("EvidenceBucketName", EffectiveEvidenceBucketName) is { } bucket)
        {
            yield return bucket;
        }

        if (EvidenceWriterRoleName.Length > 0 && AwsIdentifiers.Problem(AwsIdentifierKind.RoleName, EvidenceWriterRoleName, "-EvidenceWriterRoleName") is { } role)
        {
            yield return role;
        }

        if (ServiceRoleName is not null && AwsIdentifiers.Problem(AwsIdentifierKind.RoleName, ServiceRoleName, "-ServiceRoleName") is { } serviceRole)
        {
            yield return serviceRole;
        }
    }

    private string? TagProblem()
    {
        var (key, value) = SplitTag();
        if (ResourceTag.IndexOf('=') < 1 || key.Length > 128 || value.Length > 256)
        {
            return $"-ResourceTag '{ResourceTag}' is not Key=Value: give the tag that selects the resources to back up, e.g. backup=daily (key 1-128 characters, value up to 256).";
        }

        return key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase)
            ? $"-ResourceTag '{ResourceTag}': keys starting with aws: are reserved for AWS; choose your own key, e.g. backup=daily."
            : null;
    }

    private (string Key, string Value) SplitTag()
    {
        int equals = ResourceTag.IndexOf('=');
        return equals < 0 ? (ResourceTag.Trim(), string.Empty) : (ResourceTag.Substring(0, equals).Trim(), ResourceTag.Substring(equals + 1).Trim());
    }

    // AWS Backup takes cron(Minutes Hours Day-of-month Month Day-of-week Year), with ? in exactly one of the day fields.
    private string? ScheduleProblem()
    {
        const string Allowed = "give Hourly, Daily or an AWS cron expression in UTC with six fields, cron(Minutes Hours Day-of-month Month Day-of-week Year) with ? in one of the day fields, e.g. cron(0 5 ? * * *) for 05:00 UTC daily.";
        var match = CronPattern.Match(ScheduleExpression);
        if (!match.Success)
        {
            return $"-Schedule '{Schedule}' is not a cron expression: {Allowed}";
        }

        var fields = match.Groups["fields"].Value.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 6)
        {
            return $"-Schedule '{Schedule}' has {fields.Length} fields, not 6: {Allowed}";
        }

        if (fields.Any(field => !CronFieldPattern.IsMatch(field)) || (fields[2] == "?") == (fields[4] == "?"))
        {
            return $"-Schedule '{Schedule}' is not valid: {Allowed}";
        }

        var outOfRange = OutOfRange(fields[0], 0, 59) ?? OutOfRange(fields[1], 0, 23);
        return outOfRange is null ? null : $"-Schedule '{Schedule}': '{outOfRange}' is outside the minutes (0-59) or hours (0-23); {Allowed}";
    }

    // The plain numbers of a minutes or hours field (lists, ranges, steps) that lie outside min..max.
    private static string? OutOfRange(string field, int min, int max) =>
        field.Split(',', '-', '/')
            .Where(part => int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .FirstOrDefault(part => int.Parse(part, CultureInfo.InvariantCulture) is var number && (number < min || number > max)) is null
            ? null
            : field;

    /// <summary>The orchestrator stack's RtoMinutes, RpoHours and CoverageDays parameters take whole numbers.</summary>
    private IEnumerable<string> TargetProblems()
    {
        if (RtoTarget < TimeSpan.FromMinutes(1) || RtoTarget.Ticks % TimeSpan.TicksPerMinute != 0)
        {
            yield return $"-RtoTarget {RtoTarget} is not a whole number of minutes of at least 1 minute (e.g. 01:00:00 for the architecture's one hour).";
        }

        if (RpoTarget < TimeSpan.FromHours(1) || RpoTarget.Ticks % TimeSpan.TicksPerHour != 0)
        {
            yield return $"-RpoTarget {RpoTarget} is not a whole number of hours of at least 1 hour (e.g. 01:00:00 for the architecture's one hour, 1.00:00:00 for a daily schedule).";
        }

        if (CoverageWindow < TimeSpan.FromDays(1) || CoverageWindow > TimeSpan.FromDays(365) || CoverageWindow.Ticks % TimeSpan.TicksPerDay != 0)
        {
            yield return $"-CoverageWindow {CoverageWindow} is not a whole number of days from 1 to 365 (e.g. 7.00:00:00).";
        }
    }

    private IEnumerable<string> RetentionProblems()
    {
        if (RetentionDays < 1 || RetentionDays > MaxRetentionDays)
        {
            yield return $"-RetentionDays {RetentionDays} is outside 1 to {MaxRetentionDays} days.";
        }
        else if (ContinuousBackup && RetentionDays > MaxContinuousRetentionDays)
        {
            yield return $"-RetentionDays {RetentionDays} is longer than continuous backups are kept: with -ContinuousBackup give 1 to {MaxContinuousRetentionDays} days.";
        }

        if (!VaultLock)
        {
            yield break;
        }

        if (VaultLockMinRetentionDays < 1 || VaultLockMaxRetentionDays > MaxRetentionDays || VaultLockMinRetentionDays > VaultLockMaxRetentionDays)
        {
            yield return $"-VaultLockMinRetentionDays {VaultLockMinRetentionDays} and -VaultLockMaxRetentionDays {VaultLockMaxRetentionDays} must satisfy 1 <= minimum <= maximum <= {MaxRetentionDays}.";
        }
        else if (RetentionDays < VaultLockMinRetentionDays || RetentionDays > VaultLockMaxRetentionDays)
        {
            yield return $"-RetentionDays {RetentionDays} is outside the Vault Lock's bounds ({VaultLockMinRetentionDays} to {VaultLockMaxRetentionDays} days): the locked vault would refuse every copy; give a retention within them.";
        }

        if (VaultLockChangeableForDays < MinChangeableForDays || VaultLockChangeableForDays > MaxRetentionDays)
        {
            yield return $"-VaultLockChangeableForDays {VaultLockChangeableForDays} is outside {MinChangeableForDays} to {MaxRetentionDays} days (AWS Backup's grace period before a compliance-mode lock becomes permanent).";
        }
    }
}

/// <summary>Settings that cannot make a valid DR setup; the message lists every problem and what to give instead.</summary>
public sealed class InvalidCrossAccountBackupSettingsException : ArgumentException
{
    public InvalidCrossAccountBackupSettingsException(IReadOnlyList<string> problems)
        : base(string.Join(" ", problems))
    {
        Problems = problems;
    }

    public IReadOnlyList<string> Problems { get; }
}
