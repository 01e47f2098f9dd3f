using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.S3;

namespace CloudPatterns.LocalCloud.Tests.S3;

/// <summary>Object Lock's decisions (docs/aws-behaviour.md section 5) as a table.</summary>
public sealed class ObjectLockRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(RetentionModes.Compliance, 1, null, false, false)]
    [InlineData(RetentionModes.Compliance, 1, null, true, false)]
    [InlineData(RetentionModes.Governance, 1, null, false, false)]
    [InlineData(RetentionModes.Governance, 1, null, true, true)]
    [InlineData(RetentionModes.Compliance, -1, null, false, true)]
    [InlineData(RetentionModes.Governance, -1, "ON", true, false)]
    [InlineData(null, 0, "OFF", false, true)]
    public void EnsureDeletable_DecidesAsS3(string? mode, int daysLeft, string? legalHold, bool bypass, bool deletable)
    {
        var version = new S3ObjectVersion
        {
            Key = "k",
            VersionId = "v",
            LastModified = Now,
            Retention = mode is null ? null : new ObjectRetention(mode, Now.AddDays(daysLeft)),
            LegalHold = legalHold,
        };

        var refusal = Record.Exception(() => ObjectLockRules.EnsureDeletable(version, bypass, Now));

        Assert.Equal(deletable, refusal is null);
        if (refusal is AwsServiceException error)
        {
            Assert.Equal((403, "AccessDenied", "Access Denied because object protected by object lock."), (error.StatusCode, error.Code, error.Message));
        }
    }

    [Theory]
    [InlineData(RetentionModes.Compliance, 10, RetentionModes.Compliance, 20, true, true)]
    [InlineData(RetentionModes.Compliance, 10, RetentionModes.Compliance, 5, true, false)]
    [InlineData(RetentionModes.Compliance, 10, RetentionModes.Governance, 20, true, false)]
    [InlineData(RetentionModes.Governance, 10, RetentionModes.Governance, 5, false, false)]
    [InlineData(RetentionModes.Governance, 10, RetentionModes.Governance, 5, true, true)]
    [InlineData(RetentionModes.Governance, 10, RetentionModes.Compliance, 10, false, true)]
    [InlineData(RetentionModes.Compliance, -1, RetentionModes.Governance, 1, false, true)]
    public void EnsureRetentionChangeAllowed_OnlyExtendsActiveCompliance(string currentMode, int currentDays, string requestedMode, int requestedDays, bool bypass, bool allowed)
    {
        var current = new ObjectRetention(currentMode, Now.AddDays(currentDays));
        var requested = new ObjectRetention(requestedMode, Now.AddDays(requestedDays));

        var refusal = Record.Exception(() => ObjectLockRules.EnsureRetentionChangeAllowed(current, requested, bypass, Now));

        Assert.Equal(allowed, refusal is null);
    }

    [Fact]
    public void RemovingActiveGovernanceRetention_NeedsTheBypass()
    {
        var current = new ObjectRetention(RetentionModes.Governance, Now.AddDays(1));

        Assert.Throws<AwsServiceException>(() => ObjectLockRules.EnsureRetentionChangeAllowed(current, null, bypassGovernance: false, Now));
        ObjectLockRules.EnsureRetentionChangeAllowed(current, null, bypassGovernance: true, Now);
    }
}
