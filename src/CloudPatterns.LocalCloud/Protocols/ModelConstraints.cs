using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;

namespace CloudPatterns.LocalCloud.Protocols;

/// <summary>
/// A service model's length, range and pattern constraints, collected as AWS words them in "1 validation error
/// detected: …" (see <see cref="AwsServiceException.Validation"/>).
/// </summary>
internal static class ModelConstraints
{
    private static readonly ConcurrentDictionary<string, Regex> WholeValuePatterns = new(StringComparer.Ordinal);

    /// <summary>
    /// Checks a string member; a null value is a violation only when <paramref name="required"/>. The pattern is
    /// the model's, as AWS quotes it, and must match the whole value.
    /// </summary>
    public static void CheckString(List<string> violations, string member, string? value, int minLength, int maxLength, string? pattern, bool required = true)
    {
        if (value is null)
        {
            if (required)
            {
                violations.Add($"Value null at '{member}' failed to satisfy constraint: Member must not be null");
            }
        }
        else if (value.Length < minLength)
        {
            violations.Add($"Value '{value}' at '{member}' failed to satisfy constraint: Member must have length greater than or equal to {minLength}");
        }
        else if (value.Length > maxLength)
        {
            violations.Add($"Value '{value}' at '{member}' failed to satisfy constraint: Member must have length less than or equal to {maxLength}");
        }
        else if (pattern is not null && !WholeValuePatterns.GetOrAdd(pattern, model => new Regex($"^(?:{model})$", RegexOptions.CultureInvariant)).IsMatch(value))
        {
            violations.Add($"Value '{value}' at '{member}' failed to satisfy constraint: Member must satisfy regular expression pattern: {pattern}");
        }
    }

    /// <summary>Checks an optional integer member given as Query text; returns its value, or null when absent or invalid.</summary>
    public static int? CheckInteger(List<string> violations, string member, string? text, int minimum, int maximum)
    {
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < minimum)
        {
            violations.Add($"Value '{text}' at '{member}' failed to satisfy constraint: Member must have value greater than or equal to {minimum}");
            return null;
        }

        if (value > maximum)
        {
            violations.Add($"Value '{text}' at '{member}' failed to satisfy constraint: Member must have value less than or equal to {maximum}");
            return null;
        }

        return value;
    }

    public static void ThrowIfAny(List<string> violations, string code = "ValidationError")
    {
        if (violations.Count > 0)
        {
            throw AwsServiceException.Validation(code, violations);
        }
    }
}
