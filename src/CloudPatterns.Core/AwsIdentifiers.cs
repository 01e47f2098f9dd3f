using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.RegularExpressions;
using Amazon;

namespace CloudPatterns.Core;

/// <summary>The forms of AWS identifiers that input is checked against before any call.</summary>
internal static class AwsIdentifiers
{
    private static readonly Regex AccountIdPattern = new("^[0-9]{12}$", RegexOptions.CultureInvariant);
    private static readonly Regex RegionPattern = new("^[a-z]{2}(-[a-z]+)+-[0-9]$", RegexOptions.CultureInvariant);
    private static readonly Regex BucketCharacters = new("^[a-z0-9][a-z0-9.-]*[a-z0-9]$", RegexOptions.CultureInvariant);

    // AWSSDK.Core's partition metadata: every region AWS has announced, in every partition (aws, aws-cn, aws-us-gov...).
    private static readonly HashSet<string> KnownRegions = new(
        RegionEndpoint.EnumerableAllRegions.Select(region => region.SystemName).Where(name => RegionPattern.IsMatch(name)),
        StringComparer.Ordinal);

    // The S3 general purpose bucket naming rules (docs/aws-input-rules.md).
    private static readonly string[] ReservedBucketPrefixes = { "xn--", "sthree-", "amzn-s3-demo-" };
    private static readonly string[] ReservedBucketSuffixes = { "-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3" };

    /// <summary>Twelve digits, e.g. 123456789012.</summary>
    public static bool IsAccountId(string? value) => value is not null && AccountIdPattern.IsMatch(value);

    /// <summary>A region name, e.g. us-east-2.</summary>
    public static bool IsRegion(string? value) => value is not null && RegionPattern.IsMatch(value);

    /// <summary>
    /// What is wrong with <paramref name="region"/> as -<paramref name="parameter"/>: not a region name, or a name no
    /// AWS partition has; null when AWS knows it.
    /// </summary>
    public static string? RegionProblem(string parameter, string? region)
    {
        if (!IsRegion(region))
        {
            return $"-{parameter} '{region}' is not an AWS region name: give one such as us-east-2 or eu-west-1.";
        }

        return KnownRegions.Contains(region!)
            ? null
            : $"-{parameter} '{region}' is not a region of any AWS partition: give one AWS has, such as {string.Join(", ", NearRegions(region!))}.";
    }

    /// <summary>
    /// What is wrong with <paramref name="name"/> as an S3 general purpose bucket name (-<paramref name="parameter"/>),
    /// naming the rule it breaks; null when it follows them all.
    /// </summary>
    public static string? BucketNameProblem(string parameter, string name)
    {
        string? broken =
            name.Length is < 3 or > 63 ? $"it is {name.Length} characters long; bucket names have 3 to 63"
            : !BucketCharacters.IsMatch(name) ? "bucket names have only lower-case letters, digits, dots and hyphens, and start and end with a letter or digit"
            : name.Contains("..") ? "bucket names never have two adjacent dots"
            : IPAddress.TryParse(name, out IPAddress? address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && name.Count(c => c == '.') == 3
                ? "bucket names are never formatted as an IP address"
            : ReservedBucketPrefixes.FirstOrDefault(prefix => name.StartsWith(prefix, StringComparison.Ordinal)) is { } prefix ? $"the prefix {prefix} is reserved by S3"
            : ReservedBucketSuffixes.FirstOrDefault(suffix => name.EndsWith(suffix, StringComparison.Ordinal)) is { } suffix ? $"the suffix {suffix} is reserved by S3"
            : null;
        return broken is null ? null : $"-{parameter} '{name}' is not an S3 bucket name: {broken}.";
    }

    private static IEnumerable<string> NearRegions(string region)
    {
        string stem = region.Substring(0, region.LastIndexOf('-') + 1);
        var near = KnownRegions.Where(known => known.StartsWith(stem, StringComparison.Ordinal)).OrderBy(known => known, StringComparer.Ordinal).Take(4).ToList();
        return near.Count > 0 ? near : new[] { "us-east-2", "eu-west-1" };
    }
}
