using System.Globalization;
using System.Text.RegularExpressions;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Backup;

namespace CloudPatterns.LocalCloud.Services.Scheduler;

/// <summary>What a schedule invokes, with the role it assumes, its retry policy and its dead-letter topic.</summary>
internal sealed record ScheduleTarget(string Arn, string RoleArn, string? Input, int MaximumRetryAttempts, int MaximumEventAgeInSeconds, bool HasRetryPolicy, string? DeadLetterArn);

/// <summary>A schedule; replaced as a whole by UpdateSchedule. Its next run is kept by the store.</summary>
internal sealed record Schedule(string AccountId, string Region, string GroupName, string Name)
{
    public string Arn => SchedulerArns.Schedule(AccountId, Region, GroupName, Name);

    public required string Expression { get; init; }

    public string? Timezone { get; init; }

    public required ScheduleTiming Timing { get; init; }

    public DateTimeOffset? StartDate { get; init; }

    public DateTimeOffset? EndDate { get; init; }

    public string State { get; init; } = "ENABLED";

    public string? Description { get; init; }

    /// <summary>FlexibleTimeWindow: OFF, or FLEXIBLE with MaximumWindowInMinutes.</summary>
    public string FlexibleMode { get; init; } = "OFF";

    public int? MaximumWindowInMinutes { get; init; }

    public required ScheduleTarget Target { get; init; }

    public DateTimeOffset Created { get; init; }

    public DateTimeOffset Modified { get; init; }
}

/// <summary>A schedule group; "default" exists in every account and region.</summary>
internal sealed record ScheduleGroup(string AccountId, string Region, string Name, DateTimeOffset Created)
{
    public const string DefaultName = "default";

    public string Arn => $"arn:aws:scheduler:{Region}:{AccountId}:schedule-group/{Name}";
}

/// <summary>
/// When a schedule runs: rate() and cron() as EventBridge (and AWS Backup) read them, or at(yyyy-mm-ddThh:mm:ss) once;
/// cron() and at() in the schedule's time zone (UTC by default).
/// </summary>
internal abstract partial class ScheduleTiming
{
    /// <summary>The first run strictly after <paramref name="after"/>, or null when there is none.</summary>
    public abstract DateTimeOffset? Next(DateTimeOffset after);

    /// <summary>Whether the schedule runs once (at()).</summary>
    public abstract bool OneTime { get; }

    public static ScheduleTiming Parse(string expression, string? timezone, DateTimeOffset anchor)
    {
        TimeZoneInfo zone;
        try
        {
            zone = timezone is null ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(timezone);
        }
        catch (TimeZoneNotFoundException)
        {
            throw SchedulerArns.Validation($"Invalid time zone {timezone}.");
        }

        if (AtPattern().Match(expression) is { Success: true } at)
        {
            return DateTime.TryParseExact(at.Groups[1].Value, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
                ? new Once(new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime())
                : throw SchedulerArns.Validation($"Invalid Schedule Expression {expression}.");
        }

        try
        {
            return new Recurring(BackupSchedule.Parse(expression, timezone, anchor));
        }
        catch (FormatException)
        {
            throw SchedulerArns.Validation($"Invalid Schedule Expression {expression}.");
        }
    }

    [GeneratedRegex(@"^at\((\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\)$")]
    private static partial Regex AtPattern();

    private sealed class Once(DateTimeOffset time) : ScheduleTiming
    {
        public override bool OneTime => true;

        public override DateTimeOffset? Next(DateTimeOffset after) => time > after ? time : null;
    }

    private sealed class Recurring(BackupSchedule schedule) : ScheduleTiming
    {
        public override bool OneTime => false;

        public override DateTimeOffset? Next(DateTimeOffset after) => schedule.Next(after);
    }
}

internal static class SchedulerArns
{
    public static string Schedule(string accountId, string region, string group, string name) => $"arn:aws:scheduler:{region}:{accountId}:schedule/{group}/{name}";

    public static AwsServiceException Validation(string message) => new(400, "ValidationException", message);

    public static AwsServiceException NotFound(string message) => new(404, "ResourceNotFoundException", message);

    public static AwsServiceException Conflict(string message) => new(409, "ConflictException", message);
}
