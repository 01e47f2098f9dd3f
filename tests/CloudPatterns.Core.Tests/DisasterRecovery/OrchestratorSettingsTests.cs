using CloudPatterns.Core.DisasterRecovery;
using CloudPatterns.Core.DisasterRecovery.Orchestration;

namespace CloudPatterns.Core.Tests.DisasterRecovery;

/// <summary>The DR-Orchestrator's settings from its function environment: defaults, and one error naming every bad value.</summary>
public sealed class OrchestratorSettingsTests
{
    private static Dictionary<string, string> Valid() => new()
    {
        ["DR_PRIMARY_REGION"] = "us-east-2",
        ["DR_REGION"] = "us-west-2",
        ["DR_ACCOUNT_ID"] = "555555555555",
        ["DR_ACCOUNT_ROLE_NAME"] = "cloudpatterns-dr-orchestrator",
        ["DR_RESTORE_ROLE_ARN"] = "arn:aws:iam::555555555555:role/service-role/restore",
        ["DR_COPY_ROLE_ARN"] = "arn:aws:iam::222222222222:role/service-role/AWSBackupDefaultServiceRole",
        ["DR_EVIDENCE_BUCKET"] = "org-dr-evidence",
    };

    [Fact]
    public void FromEnvironment_FillsDefaults_FromTheRequiredValues()
    {
        OrchestratorSettings settings = OrchestratorSettings.FromEnvironment(Valid());

        Assert.Equal("central", settings.VaultName);
        Assert.Equal("dr", settings.DrVaultName);
        Assert.Equal("alias/cloudpatterns-dr-evidence-org-dr-evidence", settings.EvidenceKeyId);
        Assert.Equal(TimeSpan.FromDays(7), settings.CoverageWindow);
        Assert.Equal(TimeSpan.FromDays(1), settings.ScheduleInterval);
        // Without DR_RTO_MINUTES / DR_RPO_HOURS: the architecture's one hour each, Set-CrossAccountBackup's defaults.
        Assert.Equal(TimeSpan.FromHours(1), settings.RtoTarget);
        Assert.Equal(TimeSpan.FromHours(1), settings.RpoTarget);
        Assert.Equal(new CrossAccountBackupSettings().RtoTarget, settings.RtoTarget);
        Assert.Equal(new CrossAccountBackupSettings().RpoTarget, settings.RpoTarget);
        Assert.Equal(new CrossAccountBackupSettings().CoverageWindow, settings.CoverageWindow);
        Assert.Equal(50, settings.MaxRestoresPerRun);
        Assert.Equal("", settings.AlertTopicArn);
    }

    [Fact]
    public void FromEnvironment_NamesEveryMissingAndBadValue_InOneError()
    {
        var environment = Valid();
        environment.Remove("DR_ACCOUNT_ID");
        environment["DR_REGION"] = "west";
        environment["DR_RESTORE_ROLE_ARN"] = "arn:aws:s3:::bucket";
        environment["DR_MAX_RESTORES_PER_RUN"] = "1001";
        environment["DR_ALERT_TOPIC_ARN"] = "topic";

        var error = Assert.Throws<ArgumentException>(() => OrchestratorSettings.FromEnvironment(environment));

        Assert.Contains("DR_ACCOUNT_ID is not set (a 12-digit account id).", error.Message, StringComparison.Ordinal);
        Assert.Contains("DR_REGION 'west' is not a region such as us-east-2.", error.Message, StringComparison.Ordinal);
        Assert.Contains("DR_RESTORE_ROLE_ARN 'arn:aws:s3:::bucket' is not an IAM role ARN.", error.Message, StringComparison.Ordinal);
        Assert.Contains("DR_MAX_RESTORES_PER_RUN '1001' is not a number from 1 to 1000.", error.Message, StringComparison.Ordinal);
        Assert.Contains("DR_ALERT_TOPIC_ARN 'topic' is not an SNS topic ARN.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironment_RefusesAnIntervalLongerThanTheCoverageWindow()
    {
        var environment = Valid();
        environment["DR_COVERAGE_DAYS"] = "1";
        environment["DR_SCHEDULE_HOURS"] = "48";

        var error = Assert.Throws<ArgumentException>(() => OrchestratorSettings.FromEnvironment(environment));

        Assert.Contains("DR_SCHEDULE_HOURS (48 h) is longer than DR_COVERAGE_DAYS (1 days)", error.Message, StringComparison.Ordinal);
    }
}
