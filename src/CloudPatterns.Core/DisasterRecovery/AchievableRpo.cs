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
    /// The longest gap between two runs of an AWS cron expression: from its hours field (AWS Backup runs at most
    /// hourly), its days of the week when it names some, a month when it names days of the month. Null when the
    /// expression cannot be read.
    /// </summary>
    public static TimeSpan? Interval(string schedule)
    {
        var match = Cron.Match(Expand(schedule));
        var fields = match.Success ? match.Groups["fields"].Value.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries) : Array.Empty<string>();
        if (fields.Length != 6)
        {
            return null;
        }

        if (fields[2] is not ("*" or "?"))
        {
            // Days of the month: the gap can reach a month.
            return TimeSpan.FromDays(31);
        }

        var hours = Values(fields[1], 0, 23, hourNames: true);
        if (hours.Length == 0)
        {
            return null;
        }

        if (fields[4] is not ("*" or "?"))
        {
            // Days of the week: the largest gap between run days (1 = SUN … 7 = SAT), at least a day.
            var days = Values(fields[4], 1, 7, hourNames: false);
            return days.Length == 0 ? null : TimeSpan.FromDays(LargestGap(days, 7));
        }

        return TimeSpan.FromHours(LargestGap(hours, 24));
    }

    /// <summary>The largest gap between consecutive values of a sorted cycle of <paramref name="period"/>.</summary>
    private static int LargestGap(int[] values, int period) =>
        values.Select((value, index) => (index + 1 < values.Length ? values[index + 1] : values[0] + period) - value).Max();

    /// <summary>The RPO achievable in the primary region (from the member's own vault) and in the DR region (from the copies).</summary>
    public static (TimeSpan? Primary, TimeSpan? DrRegion) For(string resourceType, string schedule, bool continuous)
    {
        var interval = Interval(schedule);
        return (continuous && SupportsContinuous(resourceType) ? ContinuousLag : interval, interval);
    }

    /// <summary>
    /// The values a cron field selects, sorted: *, numbers, lists, ranges and a/step or */step; with
    /// <paramref name="hourNames"/> false, day names SUN-SAT stand for 1-7. Empty when the field cannot be read.
    /// </summary>
    private static int[] Values(string field, int min, int max, bool hourNames)
    {
        var values = new System.Collections.Generic.SortedSet<int>();
        foreach (var part in field.Split(','))
        {
            var stepAt = part.IndexOf('/');
            var range = stepAt < 0 ? part : part.Substring(0, stepAt);
            var step = stepAt < 0 ? 1 : Number(part.Substring(stepAt + 1), hourNames);
            var dash = range.IndexOf('-');
            var (from, to) = range == "*" ? (min, max)
                : dash > 0 ? (Number(range.Substring(0, dash), hourNames), Number(range.Substring(dash + 1), hourNames))
                : (Number(range, hourNames), stepAt < 0 ? Number(range, hourNames) : max);
            if (from < min || to > max || step < 1 || from > to)
            {
                return Array.Empty<int>();
            }

            for (var value = from; value <= to; value += step)
            {
                values.Add(value);
            }
        }

        return values.ToArray();
    }

    private static readonly string[] DayNames = { "SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT" };

    private static int Number(string text, bool hourNames) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value
        : !hourNames && Array.IndexOf(DayNames, text.ToUpperInvariant()) is var day and >= 0 ? day + 1
        : -1;
}
