using System.Globalization;

namespace CloudPatterns.LocalCloud.CloudFormation.Templates;

/// <summary>
/// Resource types of AWS services that are shut down (docs/localcloud-cloudformation-validation.md, "Retired
/// services"): from its shutdown date, decided on the sandbox clock, CloudFormation no longer knows the types.
/// </summary>
public static class RetiredServices
{
    // Full shutdown dates per resource type prefix (the AWS pages the doc cites; the same dates as cfn-lint 1.51.0's schemas).
    private static readonly (string Prefix, DateOnly Shutdown)[] Shutdowns =
    [
        ("AWS::IoTThingsGraph::", Date("2022-11-09")),
        ("AWS::OpsWorks::", Date("2024-05-01")),
        ("AWS::NimbleStudio::", Date("2024-06-30")),
        ("AWS::CodeStar::", Date("2024-07-25")),
        ("AWS::QLDB::", Date("2025-07-31")),
        ("AWS::Evidently::", Date("2025-10-17")),
        ("AWS::FraudDetector::", Date("2025-11-07")),
        ("AWS::MediaStore::", Date("2025-11-13")),
        ("AWS::IoTAnalytics::", Date("2025-12-15")),
        ("AWS::Inspector::", Date("2026-05-20")),
        ("AWS::IoTEvents::", Date("2026-05-20")),
        ("AWS::SimSpaceWeaver::", Date("2026-05-20")),
        ("AWS::AppMesh::", Date("2026-09-30")),
        ("AWS::Greengrass::", Date("2026-10-01")),
        ("AWS::FinSpace::", Date("2026-10-07")),
        ("AWS::Proton::", Date("2026-10-07")),
        ("AWS::Pinpoint::", Date("2026-10-30")),
    ];

    /// <summary>Refuses a template with resource types of services shut down on or before <paramref name="today"/>, naming each type.</summary>
    public static void Require(IEnumerable<string> resourceTypes, DateTimeOffset today)
    {
        var date = DateOnly.FromDateTime(today.UtcDateTime);
        var retired = resourceTypes.Distinct(StringComparer.Ordinal)
            .Where(type => Shutdowns.Any(shutdown => type.StartsWith(shutdown.Prefix, StringComparison.Ordinal) && date >= shutdown.Shutdown))
            .ToList();
        if (retired.Count > 0)
        {
            throw CloudFormationException.TemplateFormat($"Unrecognized resource types: [{string.Join(", ", retired)}]");
        }
    }

    private static DateOnly Date(string text) => DateOnly.Parse(text, CultureInfo.InvariantCulture);
}
