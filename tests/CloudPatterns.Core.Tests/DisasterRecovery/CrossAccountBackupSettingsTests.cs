using CloudPatterns.Core.Deployment;
using CloudPatterns.Core.DisasterRecovery;

namespace CloudPatterns.Core.Tests.DisasterRecovery;

/// <summary>Set-CrossAccountBackup's input checks (made before any AWS call) and the bundled DR templates they feed.</summary>
public sealed class CrossAccountBackupSettingsTests
{
    private static CrossAccountBackupSettings Valid()
    {
        var settings = new CrossAccountBackupSettings { VaultAccountId = "222222222222", PrimaryRegion = "us-east-2", DrRegion = "us-west-2" };
        settings.AccountIds.Add("333333333333");
        return settings;
    }

    [Fact]
    public void TheSampleOrgSetupIsValid() => Assert.Empty(Valid().Problems());

    [Fact]
    public void HourlyAndDailyExpandToTheCronExpressionsThePlansGet()
    {
        var settings = Valid();
        settings.Schedule = "hourly";
        Assert.Equal("cron(0 * ? * * *)", settings.ScheduleExpression);
        settings.Schedule = " Daily ";
        Assert.Equal("cron(0 5 ? * * *)", settings.ScheduleExpression);
    }

    [Theory]
    [InlineData("Hourly", true, "cron(0 * ? * * *)")]
    [InlineData("Daily", false, "cron(0 5 ? * * *)")]
    public void TheBackupPolicyCarriesTheExpandedScheduleAndContinuousBackup(string schedule, bool continuous, string expression)
    {
        var settings = Valid();
        settings.Schedule = schedule;
        settings.ContinuousBackup = continuous;

        var rule = System.Text.Json.Nodes.JsonNode.Parse(new MemberPlanBackupPolicy(settings).Content())!["plans"]!.AsObject().Single().Value!["rules"]!["daily"]!;

        Assert.Equal(expression, (string?)rule["schedule_expression"]!["@@assign"]);
        Assert.Equal(continuous, rule["enable_continuous_backup"]?["@@assign"]?.GetValue<bool>() ?? false);
    }

    [Theory]
    [InlineData(35, false)]
    [InlineData(36, true)]
    public void ContinuousBackupKeepsAtMost35Days(int retentionDays, bool refused)
    {
        var settings = Valid();
        settings.ContinuousBackup = true;
        settings.RetentionDays = retentionDays;

        var problems = settings.Problems();

        if (refused)
        {
            Assert.Contains(problems, problem => problem.Contains($"-RetentionDays {retentionDays} is longer than continuous backups are kept: with -ContinuousBackup give 1 to 35 days", StringComparison.Ordinal));
        }
        else
        {
            Assert.Empty(problems);
        }
    }

    [Theory]
    [InlineData("cron(0 5 ? * * *)", null)]
    [InlineData("cron(30 2 1 * ? *)", null)]
    [InlineData("cron(0 3 ? * SUN *)", null)]
    [InlineData("cron(0/15 1-3 ? * MON-FRI *)", null)]
    [InlineData("cron(0 5 * * *)", "has 5 fields, not 6")]
    [InlineData("cron(0 5 * * * *)", "is not valid")]
    [InlineData("cron(0 5 ? * ? *)", "is not valid")]
    [InlineData("cron(0 25 ? * * *)", "'25' is outside the minutes (0-59) or hours (0-23)")]
    [InlineData("cron(61 5 ? * * *)", "'61' is outside")]
    [InlineData("rate(1 day)", "is not a cron expression")]
    [InlineData("weekly", "is not a cron expression")]
    [InlineData("Hourly", null)]
    [InlineData("daily", null)]
    public void SchedulesMustBeSixFieldAwsCron(string schedule, string? problem)
    {
        var settings = Valid();
        settings.Schedule = schedule;

        var problems = settings.Problems();

        if (problem is null)
        {
            Assert.Empty(problems);
        }
        else
        {
            var found = Assert.Single(problems);
            Assert.StartsWith($"-Schedule '{schedule}'", found);
            Assert.Contains(problem, found);
            Assert.Contains("cron(0 5 ? * * *)", found);
        }
    }

    [Theory]
    [InlineData("backup=daily", "backup", "daily")]
    [InlineData("tier = gold", "tier", "gold")]
    [InlineData("snapshot=", "snapshot", "")]
    public void TagsSplitIntoKeyAndValue(string tag, string key, string value)
    {
        var settings = Valid();
        settings.ResourceTag = tag;

        Assert.Empty(settings.Problems());
        Assert.Equal(key, settings.ResourceTagKey);
        Assert.Equal(value, settings.ResourceTagValue);
    }

    [Theory]
    [InlineData("backup", "is not Key=Value")]
    [InlineData("=daily", "is not Key=Value")]
    [InlineData("aws:backup=daily", "reserved for AWS")]
    public void TagsMustBeKeyEqualsValue(string tag, string problem) =>
        Assert.Contains(problem, Assert.Single(ProblemsWith(s => s.ResourceTag = tag)));

    [Fact]
    public void EveryBadValueIsNamedAtOnce()
    {
        var settings = new CrossAccountBackupSettings { VaultAccountId = "2222", PrimaryRegion = "useast2", DrRegion = "us-west-2", DrAccountId = "abc", VaultName = "x" };
        settings.AccountIds.Add("12345");

        var problems = settings.Problems();

        Assert.Contains("-AccountId '12345' is not an AWS account id: give the 12 digits, e.g. 333333333333.", problems);
        Assert.Contains("-VaultAccountId '2222' is not an AWS account id: give the 12 digits, e.g. 333333333333.", problems);
        Assert.Contains("-DrAccountId 'abc' is not an AWS account id: give the 12 digits, e.g. 333333333333.", problems);
        Assert.Contains("-PrimaryRegion 'useast2' is not an AWS region name: give one such as us-east-2 or eu-west-1.", problems);
        Assert.Contains(problems, p => p.StartsWith("-VaultName 'x' is not a backup vault name", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("The DR-Orchestrator's package '' is missing", StringComparison.Ordinal));
        Assert.Equal(6, problems.Count);
    }

    [Fact]
    public void TheOrchestratorComesWithADrAccountAndNeedsItsPackage()
    {
        var settings = new CrossAccountBackupSettings { VaultAccountId = "222222222222", PrimaryRegion = "us-east-2", DrRegion = "us-west-2", OrchestratorPackagePath = "/nowhere/CloudPatterns.Lambda.zip" };
        settings.AccountIds.Add("333333333333");
        Assert.False(settings.WithOrchestrator);
        Assert.Empty(settings.Problems());

        settings.DrAccountId = "555555555555";
        Assert.True(settings.WithOrchestrator);
        Assert.Equal(
            "The DR-Orchestrator's package '/nowhere/CloudPatterns.Lambda.zip' is missing: rebuild the module (build.ps1 -Task Build puts it in lambda/CloudPatterns.Lambda.zip), or give -NoOrchestrator to leave the orchestrator out.",
            Assert.Single(settings.Problems()));

        settings.DeployOrchestrator = false;
        Assert.False(settings.WithOrchestrator);
        Assert.Empty(settings.Problems());
    }

    [Fact]
    public void WorkloadAccountsAreNeeded() =>
        Assert.Contains("No workload account given", Assert.Single(new CrossAccountBackupSettings { VaultAccountId = "222222222222", PrimaryRegion = "us-east-2", DrRegion = "us-west-2" }.Problems()));

    [Fact]
    public void TheVaultAccountIsNotAWorkload() =>
        Assert.Contains("is also among the workload accounts", Assert.Single(ProblemsWith(s => s.AccountIds.Add("222222222222"))));

    [Fact]
    public void TheDrRegionDiffersFromThePrimary() =>
        Assert.Contains("-DrRegion 'us-east-2' is the primary region", Assert.Single(ProblemsWith(s => s.DrRegion = "us-east-2")));

    [Fact]
    public void OnePrimaryRegionOnly() =>
        Assert.Contains("was given several values (us-east-2, eu-west-1)", Assert.Single(ProblemsWith(s => s.PrimaryRegions.Add("eu-west-1"))));

    [Theory]
    [InlineData(0, false, "outside 1 to 36500")]
    [InlineData(36501, false, "outside 1 to 36500")]
    [InlineData(3, true, "outside the Vault Lock's bounds (7 to 36500 days)")]
    [InlineData(35, true, null)]
    [InlineData(3, false, null)]
    public void RetentionStaysWithinTheVaultLock(int retentionDays, bool vaultLock, string? problem)
    {
        var problems = ProblemsWith(s =>
        {
            s.RetentionDays = retentionDays;
            s.VaultLock = vaultLock;
        });

        if (problem is null)
        {
            Assert.Empty(problems);
        }
        else
        {
            Assert.Contains(problem, Assert.Single(problems));
        }
    }

    [Theory]
    [InlineData(30, 10, 3, "1 <= minimum <= maximum")]
    [InlineData(7, 36500, 2, "-VaultLockChangeableForDays 2 is outside 3 to 36500 days")]
    public void VaultLockBoundsAreChecked(int min, int max, int changeableForDays, string problem)
    {
        var problems = ProblemsWith(s =>
        {
            s.VaultLock = true;
            s.VaultLockMinRetentionDays = min;
            s.VaultLockMaxRetentionDays = max;
            s.VaultLockChangeableForDays = changeableForDays;
        });

        Assert.Contains(problems, p => p.Contains(problem));
    }

    [Fact]
    public void TheLockIsPermanentAfterItsGracePeriod()
    {
        var settings = Valid();
        settings.VaultLockChangeableForDays = 10;
        var applied = new DateTimeOffset(2026, 11, 27, 16, 0, 0, TimeSpan.Zero);

        Assert.Equal(applied.AddDays(10), settings.VaultLockPermanentAt(applied));
    }

    [Fact]
    public void TheEvidenceBucketDefaultsToOnePerVaultAccount() =>
        Assert.Equal("cloudpatterns-dr-evidence-222222222222", Valid().EffectiveEvidenceBucketName);

    [Theory]
    [InlineData("disaster-recovery/central-vault.yaml", "Vault", "AWS::Backup::BackupVault")]
    [InlineData("disaster-recovery/evidence-bucket.yaml", "EvidenceBucket", "AWS::S3::Bucket")]
    [InlineData("disaster-recovery/member-backup-plan.yaml", "Plan", "AWS::Backup::BackupPlan")]
    [InlineData("disaster-recovery/pilot-light-dr-account.yaml", "RestoreRole", "AWS::IAM::Role")]
    public void TheDrTemplatesAreBundled(string path, string logicalId, string type)
    {
        var template = TemplateDocument.Parse(BundledTemplate.Body(path));
        var resources = template.Resources(template.ParameterValues(new Dictionary<string, string>()), "us-east-2", "222222222222");

        Assert.Contains(resources, r => r.LogicalId == logicalId && r.Type == type);
    }

    private static IReadOnlyList<string> ProblemsWith(Action<CrossAccountBackupSettings> change)
    {
        var settings = Valid();
        change(settings);
        return settings.Problems();
    }

    [Fact]
    public void TheOrchestratorsTargetsDefaultToTheArchitecturesHourAndReachItsStack()
    {
        var package = Path.GetTempFileName();
        var settings = Valid();
        settings.DrAccountId = "555555555555";
        settings.OrchestratorPackagePath = package;
        var parameters = new Dictionary<string, string>();
        try
        {
            CloudPatterns.Core.DisasterRecovery.Orchestration.OrchestratorDeployment.Parameters(settings, "o-abcdefghij", "555555555555", parameters);
            Assert.Equal(("60", "1", "7"), (parameters["RtoMinutes"], parameters["RpoHours"], parameters["CoverageDays"]));

            settings.RtoTarget = TimeSpan.FromMinutes(30);
            settings.RpoTarget = TimeSpan.FromDays(1);
            settings.CoverageWindow = TimeSpan.FromDays(14);
            CloudPatterns.Core.DisasterRecovery.Orchestration.OrchestratorDeployment.Parameters(settings, "o-abcdefghij", "555555555555", parameters);
            Assert.Equal(("30", "24", "14"), (parameters["RtoMinutes"], parameters["RpoHours"], parameters["CoverageDays"]));
        }
        finally
        {
            File.Delete(package);
        }
    }

    [Theory]
    [InlineData("RtoTarget", "00:00:30", "-RtoTarget 00:00:30 is not a whole number of minutes of at least 1 minute")]
    [InlineData("RtoTarget", "00:10:30", "-RtoTarget 00:10:30 is not a whole number of minutes")]
    [InlineData("RpoTarget", "00:30:00", "-RpoTarget 00:30:00 is not a whole number of hours of at least 1 hour")]
    [InlineData("RpoTarget", "01:30:00", "-RpoTarget 01:30:00 is not a whole number of hours")]
    [InlineData("CoverageWindow", "366.00:00:00", "-CoverageWindow 366.00:00:00 is not a whole number of days from 1 to 365")]
    [InlineData("CoverageWindow", "1.12:00:00", "-CoverageWindow 1.12:00:00 is not a whole number of days")]
    public void OrchestratorTargetsOutsideWhatTheStackTakesAreRefusedByName(string parameter, string value, string expected)
    {
        var span = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
        var settings = Valid();
        typeof(CrossAccountBackupSettings).GetProperty(parameter)!.SetValue(settings, span);

        Assert.Contains(settings.Problems(), problem => problem.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void ARpoTargetTheScheduleCannotMeetInTheDrVaultIsNamedWithWhatWouldMeetIt()
    {
        var settings = Valid();
        settings.DrAccountId = "555555555555";
        settings.Schedule = "Daily";
        Assert.Equal(
            "-RpoTarget 01:00:00 cannot be met with -Schedule Daily: the DR vault receives a copy at most every 1.00:00:00, so the DR-Orchestrator will record its validations as failing their RPO. Use -Schedule Hourly, or a -RpoTarget of at least 1.00:00:00.",
            settings.RpoTargetWarning());

        settings.Schedule = "Hourly";
        Assert.Null(settings.RpoTargetWarning());
        settings.Schedule = "cron(0 */6 ? * * *)";
        settings.RpoTarget = TimeSpan.FromHours(6);
        Assert.Null(settings.RpoTargetWarning());
        settings.RpoTarget = TimeSpan.FromHours(5);
        Assert.Contains("at most every 06:00:00", settings.RpoTargetWarning());
        settings.DeployOrchestrator = false;
        Assert.Null(settings.RpoTargetWarning());
    }
}
