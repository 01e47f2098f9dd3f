using System.Globalization;
using System.Text.RegularExpressions;

namespace CloudPatterns.LocalCloud.Services.Backup;

/// <summary>
/// A backup rule's ScheduleExpression: <c>cron(minutes hours day-of-month month day-of-week year)</c> as in
/// EventBridge (day-of-week 1-7 = SUN-SAT, one of the day fields is <c>?</c>) or <c>rate(N minutes|hours|days)</c>,
/// evaluated in the rule's ScheduleExpressionTimezone (UTC by default).
/// </summary>
internal abstract partial class BackupSchedule
{
    /// <summary>AWS Backup's schedule when a rule gives none: daily at 05:00 UTC.</summary>
    public const string DefaultExpression = "cron(0 5 ? * * *)";

    /// <summary>The first run strictly after <paramref name="after"/>, or null when the schedule never runs again.</summary>
    public abstract DateTimeOffset? Next(DateTimeOffset after);

    /// <summary>Parses an expression; <paramref name="anchor"/> is when a rate() schedule starts counting.</summary>
    /// <exception cref="FormatException">The expression is not a valid cron() or rate() expression.</exception>
    public static BackupSchedule Parse(string expression, string? timezone, DateTimeOffset anchor)
    {
        if (RatePattern().Match(expression) is { Success: true } rate)
        {
            var value = int.Parse(rate.Groups["value"].Value, CultureInfo.InvariantCulture);
            var unit = rate.Groups["unit"].Value.TrimEnd('s');
            var period = unit switch
            {
                "minute" => TimeSpan.FromMinutes(value),
                "hour" => TimeSpan.FromHours(value),
                _ => TimeSpan.FromDays(value),
            };
            return value > 0 ? new RateSchedule(anchor, period) : throw new FormatException($"Invalid schedule expression {expression}: the rate must be positive.");
        }

        if (CronPattern().Match(expression) is not { Success: true } cron)
        {
            throw new FormatException($"Invalid schedule expression {expression}: expected cron(...) with six fields or rate(N unit).");
        }

        var fields = cron.Groups["fields"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 6)
        {
            throw new FormatException($"Invalid schedule expression {expression}: cron() needs six fields, found {fields.Length}.");
        }

        if ((fields[2] == "?") == (fields[4] == "?"))
        {
            throw new FormatException($"Invalid schedule expression {expression}: exactly one of day-of-month and day-of-week must be '?'.");
        }

        TimeZoneInfo zone;
        try
        {
            zone = timezone is null ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(timezone);
        }
        catch (TimeZoneNotFoundException)
        {
            throw new FormatException($"Invalid ScheduleExpressionTimezone {timezone}.");
        }

        return new CronSchedule(
            CronField.Parse(fields[0], 0, 59, expression),
            CronField.Parse(fields[1], 0, 23, expression),
            CronField.Parse(fields[2], 1, 31, expression),
            CronField.Parse(fields[3], 1, 12, expression, MonthNames),
            CronField.Parse(fields[4], 1, 7, expression, DayNames),
            CronField.Parse(fields[5], 1970, 2199, expression),
            zone);
    }

    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    [GeneratedRegex(@"^rate\((?<value>\d+) (?<unit>minutes?|hours?|days?)\)$")]
    private static partial Regex RatePattern();

    [GeneratedRegex(@"^cron\((?<fields>[^()]+)\)$")]
    private static partial Regex CronPattern();

    private sealed class RateSchedule(DateTimeOffset anchor, TimeSpan period) : BackupSchedule
    {
        public override DateTimeOffset? Next(DateTimeOffset after) =>
            after < anchor ? anchor + period : anchor + (Math.Floor((after - anchor) / period) + 1) * period;
    }

    private sealed class CronSchedule(CronField minutes, CronField hours, CronField daysOfMonth, CronField months, CronField daysOfWeek, CronField years, TimeZoneInfo zone)
        : BackupSchedule
    {
        public override DateTimeOffset? Next(DateTimeOffset after)
        {
            var earliest = after.UtcDateTime.AddTicks(-(after.UtcDateTime.Ticks % TimeSpan.TicksPerMinute)).AddMinutes(1);
            var localDay = TimeZoneInfo.ConvertTimeFromUtc(earliest, zone).Date;
            for (var day = localDay.AddDays(-1); day.Year <= years.Max; day = day.AddDays(1))
            {
                if (!DayMatches(day))
                {
                    continue;
                }

                foreach (var hour in hours.Values)
                {
                    foreach (var minute in minutes.Values)
                    {
                        var local = DateTime.SpecifyKind(day.AddHours(hour).AddMinutes(minute), DateTimeKind.Unspecified);
                        if (zone.IsInvalidTime(local))
                        {
                            continue;
                        }

                        var utc = TimeZoneInfo.ConvertTimeToUtc(local, zone);
                        if (utc >= earliest)
                        {
                            return new DateTimeOffset(utc, TimeSpan.Zero);
                        }
                    }
                }
            }

            return null;
        }

        private bool DayMatches(DateTime day) =>
            years.Contains(day.Year)
            && months.Contains(day.Month)
            && daysOfMonth.Contains(day.Day)
            && daysOfWeek.Contains((int)day.DayOfWeek + 1);
    }

    /// <summary>One cron field: the sorted values it allows ('?' and '*' allow all).</summary>
    private sealed class CronField(SortedSet<int> values)
    {
        public SortedSet<int> Values { get; } = values;

        public int Max => Values.Max;

        public bool Contains(int value) => Values.Contains(value);

        public static CronField Parse(string text, int min, int max, string expression, string[]? names = null)
        {
            var values = new SortedSet<int>();
            foreach (var part in text.Split(','))
            {
                var (range, step) = part.Split('/') switch
                {
                    [var only] => (only, 1),
                    [var first, var increment] when int.TryParse(increment, CultureInfo.InvariantCulture, out var number) && number > 0 => (first, number),
                    _ => throw Invalid(expression, text),
                };
                var (low, high) = range switch
                {
                    "*" or "?" => (min, max),
                    _ when range.Split('-') is [var from, var to] => (Value(from), Value(to)),
                    _ => (Value(range), part.Contains('/') ? max : Value(range)),
                };
                if (low < min || high > max || low > high)
                {
                    throw Invalid(expression, text);
                }

                for (var value = low; value <= high; value += step)
                {
                    values.Add(value);
                }
            }

            return new CronField(values);

            int Value(string token)
            {
                if (int.TryParse(token, CultureInfo.InvariantCulture, out var number))
                {
                    return number;
                }

                var index = names is null ? -1 : Array.IndexOf(names, token.ToUpperInvariant());
                return index >= 0 ? index + 1 : throw Invalid(expression, text);
            }
        }

        private static FormatException Invalid(string expression, string field) =>
            new($"Invalid schedule expression {expression}: field '{field}' is not supported (LocalCloud accepts numbers, names, '*', '?', ',', '-' and '/').");
    }
}
