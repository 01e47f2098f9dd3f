using System;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>
/// The recovery point objective a backup setup can meet, per resource type: continuous backup (point-in-time restore)
/// where the type supports it, else the gap between two runs of the plan's schedule, which is also how old the
/// newest copy in the DR region can be (docs/dr-failover.md, "RPO").
/// </summary>
public static class AchievableRpo
{
    /// <summary>The architecture's target for RTO and RPO: under one hour.</summary>
    public static readonly TimeSpan DefaultTarget = TimeSpan.FromHours(1);

    /// <summary>-Schedule Hourly: every hour on the hour (AWS Backup's most frequent snapshot schedule).</summary>
    public const string HourlySchedule = "cron(0 * ? * * *)";

    /// <summary>-Schedule Daily, the default: 05:00 UTC.</summary>
    public const string DailySchedule = "cron(0 5 ? * * *)";

    /// <summary>How far a continuous backup's latest restorable time trails the present (RDS ships its logs every 5 minutes).</summary>
    public static readonly TimeSpan ContinuousLag = TimeSpan.FromMinutes(5);

    private static readonly Regex Cron = new("^cron\\((?<fields>[^()]+)\\)$");

    /// <summary>A schedule as given (Hourly, Daily or an AWS cron expression) as the cron expression AWS Backup takes.</summary>
    public static string Expand(string schedule) => schedule.Trim() switch
    {
        var name when string.Equals(name, "Hourly", StringComparison.OrdinalIgnoreCase) => HourlySchedule,
        var name when string.Equals(name, "Daily", StringComparison.OrdinalIgnoreCase) => DailySchedule,
        var expression => expression,
    };

    /// <summary>Whether a recovery point is a continuous backup (AWS names them recovery-point:continuous:…).</summary>
    public static bool IsContinuous(string? recoveryPointArn) =>
        recoveryPointArn is not null && recoveryPointArn.IndexOf(":recovery-point:continuous:", StringComparison.Ordinal) >= 0;

    /// <summary>
    /// When the data of a recovery point was last captured: a snapshot's creation, a continuous backup's latest run
    /// (its CompletionDate; it restores to within <see cref="ContinuousLag"/> of the restore's start).
    /// </summary>
    public static DateTime? CapturedAt(string? recoveryPointArn, DateTime? creationDate, DateTime? completionDate) =>
        IsContinuous(recoveryPointArn) ? completionDate ?? creationDate : creationDate;

    /// <summary>The resource types AWS Backup keeps continuous backups of.</summary>
    public static bool SupportsContinuous(string resourceType) => resourceType is "RDS" or "Aurora" or "S3";

    /// <summary>
    /// The longest gap between two runs of an AWS cron expression, from its hours field (AWS Backup runs at most
    /// hourly); a schedule that skips days is at least a day apart. Null when the expression cannot be read.
    /// </summary>
    public static TimeSpan? Interval(string schedule)
    {
        var match = Cron.Match(Expand(schedule));
        var fields = match.Success ? match.Groups["fields"].Value.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries) : Array.Empty<string>();
        if (fields.Length != 6)
        {
            return null;
        }

        if (fields[2] is not ("*" or "?") || fields[4] is not ("*" or "?"))
        {
            return TimeSpan.FromDays(1);
        }

        var hours = Hours(fields[1]);
        if (hours.Length == 0)
        {
            return null;
        }

        // The largest gap between consecutive run hours, wrapping round midnight.
        var gaps = hours.Select((hour, index) => (index + 1 < hours.Length ? hours[index + 1] : hours[0] + 24) - hour);
        return TimeSpan.FromHours(gaps.Max());
    }

    /// <summary>The RPO achievable in the primary region (from the member's own vault) and in the DR region (from the copies).</summary>
    public static (TimeSpan? Primary, TimeSpan? DrRegion) For(string resourceType, string schedule, bool continuous)
    {
        var interval = Interval(schedule);
        return (continuous && SupportsContinuous(resourceType) ? ContinuousLag : interval, interval);
    }

    /// <summary>The hours a cron hours field runs in (0-23, sorted): *, a number, lists, ranges and a/step or */step.</summary>
    private static int[] Hours(string field)
    {
        var hours = new System.Collections.Generic.SortedSet<int>();
        foreach (var part in field.Split(','))
        {
            var stepAt = part.IndexOf('/');
            var range = stepAt < 0 ? part : part.Substring(0, stepAt);
            var step = stepAt < 0 ? 1 : Number(part.Substring(stepAt + 1));
            var (from, to) = range == "*" ? (0, 23)
                : range.IndexOf('-') is var dash and > 0 ? (Number(range.Substring(0, dash)), Number(range.Substring(dash + 1)))
                : (Number(range), stepAt < 0 ? Number(range) : 23);
            if (from < 0 || to > 23 || step < 1 || from > to)
            {
                return Array.Empty<int>();
            }

            for (var hour = from; hour <= to; hour += step)
            {
                hours.Add(hour);
            }
        }

        return hours.ToArray();
    }

    private static int Number(string text) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : -1;
}
