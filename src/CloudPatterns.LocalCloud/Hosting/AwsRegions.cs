namespace CloudPatterns.LocalCloud.Hosting;

/// <summary>
/// The regions AWS has endpoints for, in every partition (as AWSSDK.Core's partition metadata lists them). A request
/// signed for any other region reaches no AWS endpoint, so LocalCloud lets it reach no service either
/// (docs/dr-safety.md, "LocalCloud: regions it does not serve").
/// </summary>
internal static class AwsRegions
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1",
        "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
        "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2", "eu-north-1",
        "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1", "me-central-1", "me-south-1",
        "me-west-1", "mx-central-1", "sa-east-1", "sa-west-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2",
        "cn-north-1", "cn-northwest-1", "eusc-de-east-1", "us-iso-east-1", "us-iso-west-1", "us-isob-east-1",
        "us-isob-west-1", "eu-isoe-west-1", "us-isof-east-1", "us-isof-south-1", "us-gov-east-1", "us-gov-west-1",
    };

    public static bool Has(string region) => Known.Contains(region);
}
