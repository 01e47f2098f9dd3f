using CloudPatterns.LocalCloud.Services.Backup;

namespace CloudPatterns.LocalCloud.Tests.Backup;

public sealed class BackupScheduleTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("cron(0 5 ? * * *)", "2026-12-01T05:00:00Z")]
    [InlineData("cron(30 12 ? * * *)", "2026-11-30T12:30:00Z")]
    [InlineData("cron(0 0/6 ? * * *)", "2026-11-30T18:00:00Z")]
    [InlineData("cron(0 3 ? * SUN *)", "2026-12-06T03:00:00Z")]
    [InlineData("cron(0 3 ? * 1 *)", "2026-12-06T03:00:00Z")]
    [InlineData("cron(0 1 1 * ? *)", "2026-12-01T01:00:00Z")]
    [InlineData("cron(0 1 15 JAN,JUL ? *)", "2027-01-15T01:00:00Z")]
    [InlineData("rate(12 hours)", "2026-12-01T00:00:00Z")]
    [InlineData("rate(1 day)", "2026-12-01T12:00:00Z")]
    public void Next_run_is_the_first_scheduled_time_after_the_given_one(string expression, string expected)
    {
        var schedule = BackupSchedule.Parse(expression, timezone: null, anchor: Monday);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), schedule.Next(Monday));
    }

    [Fact]
    public void A_time_zone_moves_the_runs_to_its_wall_clock()
    {
        var schedule = BackupSchedule.Parse("cron(0 5 ? * * *)", "America/New_York", Monday);

        Assert.Equal(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero), schedule.Next(Monday));
    }

    [Theory]
    [InlineData("cron(0 5 * * * *)")]
    [InlineData("cron(0 5 ? * *)")]
    [InlineData("cron(61 5 ? * * *)")]
    [InlineData("cron(0 5 L * ? *)")]
    [InlineData("rate(0 hours)")]
    [InlineData("every day")]
    public void Invalid_expressions_are_refused(string expression) =>
        Assert.Throws<FormatException>(() => BackupSchedule.Parse(expression, timezone: null, anchor: Monday));
}
