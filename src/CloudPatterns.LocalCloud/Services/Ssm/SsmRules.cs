using System.Text.RegularExpressions;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Ssm;

/// <summary>Parameter Store's rules for names, values, types and labels, refused with its codes and texts (docs/localcloud-ssm.md).</summary>
internal static partial class SsmRules
{
    public const int MaxHierarchyLevels = 15;
    public static readonly string[] Types = ["String", "StringList", "SecureString"];
    public static readonly string[] Tiers = ["Standard", "Advanced", "Intelligent-Tiering"];
    public static readonly string[] DataTypes = ["text", "aws:ec2:image", "aws:ssm:integration"];

    private const string NameRule =
        "Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_";

    /// <summary>A name PutParameter may create: letters, digits, . - _ and / separators; not under aws or ssm.</summary>
    public static void CheckNameToWrite(string name)
    {
        var first = name.TrimStart('/').Split('/')[0];
        if (!NamePattern().IsMatch(name) || first.StartsWith("aws", StringComparison.OrdinalIgnoreCase) || first.StartsWith("ssm", StringComparison.OrdinalIgnoreCase))
        {
            throw new AwsServiceException(400, "ValidationException", NameRule);
        }

        if (name.Contains('/', StringComparison.Ordinal) && !name.StartsWith('/'))
        {
            throw new AwsServiceException(400, "ValidationException", "Parameter name must be a fully qualified name.");
        }

        if (name.Count(character => character == '/') > MaxHierarchyLevels)
        {
            throw new AwsServiceException(400, "HierarchyLevelLimitExceededException", $"A hierarchy can have a maximum of {MaxHierarchyLevels} levels. Please provide a valid hierarchy.");
        }
    }

    /// <summary>The value checks of PutParameter: size per tier, StringList commas, AllowedPattern, AMI ids for aws:ec2:image.</summary>
    public static void CheckValue(string name, string value, string type, string tier, string dataType, string? allowedPattern)
    {
        var limit = tier == "Advanced" ? 8192 : 4096;
        if (value.Length == 0 || value.Length > limit)
        {
            throw AwsServiceException.Validation(
                "ValidationException",
                [value.Length == 0
                    ? "Value '' at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1"
                    : $"Value at 'value' failed to satisfy constraint: Member must have length less than or equal to {limit} (the {tier} tier's limit)"]);
        }

        if (allowedPattern is not null && !Regex.IsMatch(value, allowedPattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
        {
            throw new AwsServiceException(400, "ParameterPatternMismatchException", $"Parameter value, cannot be validated against allowedPattern: {allowedPattern}");
        }

        if (dataType == "aws:ec2:image" && (type != "String" || !ImageIdPattern().IsMatch(value)))
        {
            throw new AwsServiceException(
                400,
                "ValidationException",
                $"Parameter {name} with data type aws:ec2:image must be of type String and its value an AMI id (ami- followed by 8 or 17 hexadecimal digits).");
        }
    }

    /// <summary>Labels LabelParameterVersion refuses (returned as InvalidLabels): 1–100 characters of letters, digits, . - _; not starting with a digit, aws or ssm.</summary>
    public static bool IsValidLabel(string label) =>
        label.Length is >= 1 and <= 100
        && LabelPattern().IsMatch(label)
        && !char.IsAsciiDigit(label[0])
        && !label.StartsWith("aws", StringComparison.OrdinalIgnoreCase)
        && !label.StartsWith("ssm", StringComparison.OrdinalIgnoreCase);

    public static string OneOf(string member, string? value, string[] allowed, string fallback) =>
        value is null ? fallback
        : allowed.Contains(value, StringComparer.Ordinal) ? value
        : throw AwsServiceException.Validation("ValidationException", [$"Value '{value}' at '{member}' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", allowed)}]"]);

    [GeneratedRegex(@"^[a-zA-Z0-9_.\-/]{1,2048}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[a-zA-Z0-9_.\-]+$")]
    private static partial Regex LabelPattern();

    [GeneratedRegex(@"^ami-([0-9a-f]{8}|[0-9a-f]{17})$")]
    private static partial Regex ImageIdPattern();
}
