using System;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>Durations as a person reads them in a report: "1 h 05 min", "3 min 12 s", "2 d 4 h", never "20:48:00.5040000".</summary>
public static class HumanDuration
{
    public static string Format(TimeSpan? value)
    {
        if (value is not { } duration)
        {
            return "n/a";
        }

        string sign = duration < TimeSpan.Zero ? "-" : "";
        duration = duration.Duration();
        long seconds = (long)Math.Round(duration.TotalSeconds, MidpointRounding.AwayFromZero);
        long days = seconds / 86400, hours = seconds / 3600 % 24, minutes = seconds / 60 % 60, rest = seconds % 60;
        string text = days > 0 ? $"{days} d {hours} h"
            : hours > 0 ? $"{hours} h {minutes:00} min"
            : minutes > 0 ? $"{minutes} min {rest:00} s"
            : duration > TimeSpan.Zero && seconds == 0 ? "under 1 s"
            : $"{rest} s";
        return sign + text;
    }
}
