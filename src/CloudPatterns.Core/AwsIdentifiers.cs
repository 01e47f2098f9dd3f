using System.Text.RegularExpressions;

namespace CloudPatterns.Core;

/// <summary>The forms of AWS identifiers that input is checked against before any call.</summary>
internal static class AwsIdentifiers
{
    private static readonly Regex AccountIdPattern = new("^[0-9]{12}$", RegexOptions.CultureInvariant);
    private static readonly Regex RegionPattern = new("^[a-z]{2}(-[a-z]+)+-[0-9]$", RegexOptions.CultureInvariant);

    /// <summary>Twelve digits, e.g. 123456789012.</summary>
    public static bool IsAccountId(string? value) => value is not null && AccountIdPattern.IsMatch(value);

    /// <summary>A region name, e.g. us-east-2.</summary>
    public static bool IsRegion(string? value) => value is not null && RegionPattern.IsMatch(value);
}
