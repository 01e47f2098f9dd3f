using CloudPatterns.Core.DisasterRecovery;

namespace CloudPatterns.Core.Tests.DisasterRecovery;

public sealed class AchievableRpoTests
{
    [Theory]
    [InlineData("Hourly", "01:00:00")]
    [InlineData("daily", "1.00:00:00")]
    [InlineData("cron(0 5 ? * * *)", "1.00:00:00")]
    [InlineData("cron(0 0/6 ? * * *)", "06:00:00")]
    [InlineData("cron(30 1,13 ? * * *)", "12:00:00")]
    [InlineData("cron(0 8-17 ? * * *)", "15:00:00")]
    [InlineData("cron(0 3 ? * SUN *)", "7.00:00:00")]
    [InlineData("cron(0 3 ? * MON-FRI *)", "3.00:00:00")]
    [InlineData("cron(0 1 1 * ? *)", "31.00:00:00")]
    public void The_interval_is_the_longest_gap_between_two_runs(string schedule, string expected) =>
        Assert.Equal(TimeSpan.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), AchievableRpo.Interval(schedule));

    [Theory]
    [InlineData("every hour")]
    [InlineData("cron(0 5 * * *)")]
    [InlineData("cron(0 25 ? * * *)")]
    [InlineData("cron(0 3 ? * FUNDAY *)")]
    public void An_unreadable_schedule_has_no_interval(string schedule) => Assert.Null(AchievableRpo.Interval(schedule));

    [Fact]
    public void Continuous_backup_gives_minutes_only_to_the_types_that_support_it_and_never_to_the_copies()
    {
        Assert.Equal((TimeSpan.FromMinutes(5), TimeSpan.FromHours(1)), AchievableRpo.For("RDS", "Hourly", continuous: true));
        Assert.Equal((TimeSpan.FromHours(1), TimeSpan.FromHours(1)), AchievableRpo.For("DynamoDB", "Hourly", continuous: true));
        Assert.Equal((TimeSpan.FromDays(1), TimeSpan.FromDays(1)), AchievableRpo.For("S3", "Daily", continuous: false));
    }

    [Fact]
    public void A_continuous_backup_is_as_fresh_as_its_latest_run_a_snapshot_as_its_creation()
    {
        var created = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);
        var lastRun = created.AddHours(5);
        Assert.Equal(lastRun, AchievableRpo.CapturedAt("arn:aws:backup:us-east-2:333333333333:recovery-point:continuous:db-1a2b3c4d", created, lastRun));
        Assert.Equal(created, AchievableRpo.CapturedAt("arn:aws:backup:us-east-2:333333333333:recovery-point:0D5E9B6A-1F2C-4E34-9A4B-1C2D3E4F5A6B", created, lastRun));
    }
}
