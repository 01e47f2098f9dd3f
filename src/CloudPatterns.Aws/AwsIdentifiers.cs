using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Amazon;

namespace CloudPatterns.Aws;

/// <summary>The kinds of AWS identifier that input is checked against before any call.</summary>
public enum AwsIdentifierKind
{
    AccountId,
    Region,
    BucketName,
    StackName,
    BackupVaultName,
    RoleName,
    ExternalId,
    OrganizationalUnitId,
    IamRoleArn,
    SnsTopicArn,
    AcmCertificateArn,
}

/// <summary>
/// The one home of the forms of AWS identifiers (account, region, bucket, stack, vault, role, ARNs): Core checks
/// settings with <see cref="Problem"/> or the <c>Is*</c> methods, the cmdlets' validation attribute calls the same
/// method, so a rule is written once. ASCII classes only (<c>[0-9]</c>, never <c>\d</c>, which matches other
/// scripts' digits). The forms are summarised in docs/aws-identifiers.md.
/// </summary>
public static class AwsIdentifiers
{
    private const RegexOptions Options = RegexOptions.CultureInvariant;

    private static readonly Regex AccountIdForm = new("^[0-9]{12}$", Options);
    private static readonly Regex RegionForm = new("^[a-z]{2}(-[a-z]+)+-[0-9]$", Options);
    private static readonly Regex BucketNameForm = new("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", Options);
    private static readonly Regex StackNameForm = new("^[A-Za-z][A-Za-z0-9-]{0,127}$", Options);
    private static readonly Regex BackupVaultNameForm = new("^[A-Za-z0-9_-]{2,50}$", Options);
    private static readonly Regex RoleNameForm = new("^[A-Za-z0-9_+=,.@/-]{1,64}$", Options);
    private static readonly Regex ExternalIdForm = new("^[A-Za-z0-9_+=,.@:/-]{2,1224}$", Options);
    private static readonly Regex OrganizationalUnitIdForm = new("^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$", Options);

    /// <summary>Twelve digits, e.g. 123456789012.</summary>
    public static bool IsAccountId(string? value) => Matches(AccountIdForm, value);

    /// <summary>A region name, e.g. us-east-2.</summary>
    public static bool IsRegion(string? value) => Matches(RegionForm, value);

    /// <summary>An S3 general purpose bucket name, by every naming rule (<see cref="BucketNameProblem"/>).</summary>
    public static bool IsBucketName(string? value) => value is not null && BrokenBucketRule(value) is null;

    /// <summary>
    /// What is wrong with <paramref name="name"/> as an S3 bucket name given as -<paramref name="parameter"/>, naming
    /// the rule it breaks (length, characters, adjacent dots, IP form, reserved prefixes and suffixes); null when it
    /// follows them all. The rules and their source: docs/aws-input-rules.md.
    /// </summary>
    public static string? BucketNameProblem(string parameter, string name) =>
        BrokenBucketRule(name) is { } rule ? $"-{parameter} '{name}' is not an S3 bucket name: {rule}." : null;

    /// <summary>
    /// What is wrong with <paramref name="region"/> as -<paramref name="parameter"/>: not a region name, or a name no
    /// AWS partition has (AWSSDK.Core's partition metadata); null when AWS knows it.
    /// </summary>
    public static string? RegionProblem(string parameter, string? region)
    {
        if (!IsRegion(region))
        {
            return $"-{parameter} '{region}' is not an AWS region name: give one such as us-east-2 or eu-west-1.";
        }

        return KnownRegions.Value.Contains(region!)
            ? null
            : $"-{parameter} '{region}' is not a region of any AWS partition: give one AWS has, such as {string.Join(", ", NearRegions(region!))}.";
    }

    public static bool IsStackName(string? value) => Matches(StackNameForm, value);

    public static bool IsBackupVaultName(string? value) => Matches(BackupVaultNameForm, value);

    public static bool IsOrganizationalUnitId(string? value) => Matches(OrganizationalUnitIdForm, value);

    /// <summary>True when <paramref name="value"/> has the form of <paramref name="kind"/>.</summary>
    public static bool Is(AwsIdentifierKind kind, string? value) => Problem(kind, value, "value") is null;

    /// <summary>
    /// Null when <paramref name="value"/> has the form of <paramref name="kind"/>; otherwise a sentence naming the
    /// value, what was expected and an example, for the error the caller raises.
    /// </summary>
    public static string? Problem(AwsIdentifierKind kind, string? value, string name)
    {
        bool valid = kind switch
        {
            AwsIdentifierKind.AccountId => IsAccountId(value),
            AwsIdentifierKind.Region => IsRegion(value),
            AwsIdentifierKind.BucketName => IsBucketName(value),
            AwsIdentifierKind.StackName => IsStackName(value),
            AwsIdentifierKind.BackupVaultName => IsBackupVaultName(value),
            AwsIdentifierKind.RoleName => Matches(RoleNameForm, value),
            AwsIdentifierKind.ExternalId => Matches(ExternalIdForm, value),
            AwsIdentifierKind.OrganizationalUnitId => IsOrganizationalUnitId(value),
            AwsIdentifierKind.IamRoleArn => AwsArn.TryParse(value) is { } role && role.Service == "iam" && role.Region.Length == 0 && role.Resource.StartsWith("role/", StringComparison.Ordinal) && role.Resource.Length > 5,
            AwsIdentifierKind.SnsTopicArn => AwsArn.TryParse(value) is { } topic && topic.Service == "sns" && IsRegion(topic.Region) && topic.Resource.Length > 0 && topic.Resource.IndexOf(':') < 0,
            AwsIdentifierKind.AcmCertificateArn => AwsArn.TryParse(value) is { } certificate && certificate.Service == "acm" && IsRegion(certificate.Region) && certificate.Resource.StartsWith("certificate/", StringComparison.Ordinal) && certificate.Resource.Length > 12,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
        return valid ? null : $"{name} '{value}' is not {Describe(kind)}.";
    }

    /// <summary>What a valid identifier of <paramref name="kind"/> looks like, with an example.</summary>
    public static string Describe(AwsIdentifierKind kind) => kind switch
    {
        AwsIdentifierKind.AccountId => "an AWS account id: 12 digits 0-9, e.g. 123456789012",
        AwsIdentifierKind.Region => "an AWS region name, e.g. us-east-2",
        AwsIdentifierKind.BucketName => "an S3 bucket name: 3-63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit",
        AwsIdentifierKind.StackName => "a CloudFormation stack name: a letter, then up to 127 letters, digits and hyphens",
        AwsIdentifierKind.BackupVaultName => "a backup vault name: 2-50 letters, digits, hyphens and underscores",
        AwsIdentifierKind.RoleName => "an IAM role name: 1-64 letters, digits and _+=,.@/-",
        AwsIdentifierKind.ExternalId => "an external id: 2-1224 letters, digits and _+=,.@:/-",
        AwsIdentifierKind.OrganizationalUnitId => "an organizational unit or root id, e.g. ou-ab12-cd34ef56 or r-ab12",
        AwsIdentifierKind.IamRoleArn => "an IAM role ARN, e.g. arn:aws:iam::123456789012:role/name",
        AwsIdentifierKind.SnsTopicArn => "an SNS topic ARN, e.g. arn:aws:sns:us-east-2:123456789012:topic",
        AwsIdentifierKind.AcmCertificateArn => "an ACM certificate ARN, e.g. arn:aws:acm:us-east-2:123456789012:certificate/id",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static bool Matches(Regex form, string? value) => value is not null && form.IsMatch(value);

    // Every region AWS has announced, in every partition (aws, aws-cn, aws-us-gov, ...), as the SDK knows them.
    private static readonly Lazy<HashSet<string>> KnownRegions = new(() => new HashSet<string>(
        RegionEndpoint.EnumerableAllRegions.Select(region => region.SystemName).Where(IsRegion),
        StringComparer.Ordinal));

    private static readonly string[] ReservedBucketPrefixes = { "xn--", "sthree-", "amzn-s3-demo-" };
    private static readonly string[] ReservedBucketSuffixes = { "-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3" };

    private static string? BrokenBucketRule(string name) =>
        name.Length is < 3 or > 63 ? $"it is {name.Length} characters long; bucket names have 3 to 63"
        : !BucketNameForm.IsMatch(name) ? "bucket names have only lower-case letters, digits, dots and hyphens, and start and end with a letter or digit"
        : name.Contains("..") ? "bucket names never have two adjacent dots"
        : name.Count(c => c == '.') == 3 && IPAddress.TryParse(name, out IPAddress? address) && address.AddressFamily == AddressFamily.InterNetwork
            ? "bucket names are never formatted as an IP address"
        : ReservedBucketPrefixes.FirstOrDefault(prefix => name.StartsWith(prefix, StringComparison.Ordinal)) is { } prefix ? $"the prefix {prefix} is reserved by S3"
        : ReservedBucketSuffixes.FirstOrDefault(suffix => name.EndsWith(suffix, StringComparison.Ordinal)) is { } suffix ? $"the suffix {suffix} is reserved by S3"
        : null;

    private static IEnumerable<string> NearRegions(string region)
    {
        string stem = region.Substring(0, region.LastIndexOf('-') + 1);
        var near = KnownRegions.Value.Where(known => known.StartsWith(stem, StringComparison.Ordinal)).OrderBy(known => known, StringComparer.Ordinal).Take(4).ToList();
        return near.Count > 0 ? near : new[] { "us-east-2", "eu-west-1" };
    }
}

/// <summary>An ARN taken apart: arn:partition:service:region:account:resource (region and account may be empty).</summary>
public sealed class AwsArn
{
    private static readonly Regex PartitionForm = new("^aws(-[a-z]+)*$", RegexOptions.CultureInvariant);

    private AwsArn(string partition, string service, string region, string accountId, string resource)
    {
        Partition = partition;
        Service = service;
        Region = region;
        AccountId = accountId;
        Resource = resource;
    }

    public string Partition { get; }

    public string Service { get; }

    /// <summary>Empty for global services (IAM).</summary>
    public string Region { get; }

    /// <summary>Empty for resources without an owner account (S3 buckets).</summary>
    public string AccountId { get; }

    /// <summary>Everything after the account field, e.g. role/name or certificate/id.</summary>
    public string Resource { get; }

    /// <summary>The last segment of the resource (after its last '/' or ':').</summary>
    public string ResourceName => Resource.Substring(Resource.LastIndexOfAny(new[] { '/', ':' }) + 1);

    /// <summary>The ARN's parts, or null when <paramref name="value"/> is no ARN.</summary>
    public static AwsArn? TryParse(string? value)
    {
        var parts = value?.Split(new[] { ':' }, 6);
        if (parts is not { Length: 6 } || parts[0] != "arn" || !PartitionForm.IsMatch(parts[1]) || parts[2].Length == 0 || parts[5].Length == 0
            || (parts[3].Length > 0 && !AwsIdentifiers.IsRegion(parts[3])) || (parts[4].Length > 0 && !AwsIdentifiers.IsAccountId(parts[4])))
        {
            return null;
        }
        return new AwsArn(parts[1], parts[2], parts[3], parts[4], parts[5]);
    }

    /// <summary>Takes <paramref name="value"/> apart; a value that is no ARN is a <see cref="FormatException"/> naming it.</summary>
    public static AwsArn Parse(string value) =>
        TryParse(value) ?? throw new FormatException($"'{value}' is not an ARN (arn:partition:service:region:account:resource).");

    public override string ToString() => $"arn:{Partition}:{Service}:{Region}:{AccountId}:{Resource}";
}
