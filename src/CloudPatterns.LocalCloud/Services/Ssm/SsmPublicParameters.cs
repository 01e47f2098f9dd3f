using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace CloudPatterns.LocalCloud.Services.Ssm;

/// <summary>
/// The public parameters AWS publishes under /aws/service/ in every region, readable by every account (the ones
/// templates use: latest Amazon Linux, Windows, ECS/EKS-optimized, Ubuntu, Debian, Neuron and Deep Learning AMIs, and the region catalogue; see
/// docs/localcloud-ssm.md). AMI ids are plausible and stable per region and name; they are not AWS's real ids.
/// </summary>
internal static class SsmPublicParameters
{
    public const string Prefix = "/aws/service/";

    /// <summary>The date LocalCloud's public parameters report as last modified.</summary>
    private static readonly DateTimeOffset Published = new(2026, 1, 15, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] AmazonLinux =
    [
        "al2023-ami-kernel-default-x86_64", "al2023-ami-kernel-default-arm64", "al2023-ami-kernel-6.1-x86_64", "al2023-ami-kernel-6.1-arm64",
        "al2023-ami-kernel-6.12-x86_64", "al2023-ami-kernel-6.12-arm64", "al2023-ami-minimal-kernel-default-x86_64", "al2023-ami-minimal-kernel-default-arm64",
        "amzn2-ami-hvm-x86_64-gp2", "amzn2-ami-hvm-arm64-gp2", "amzn2-ami-hvm-x86_64-ebs", "amzn2-ami-kernel-5.10-hvm-x86_64-gp2",
        "amzn2-ami-kernel-5.10-hvm-arm64-gp2", "amzn2-ami-kernel-5.10-hvm-x86_64-ebs", "amzn2-ami-minimal-hvm-x86_64-ebs",
        "amzn-ami-hvm-x86_64-gp2", "amzn-ami-hvm-x86_64-ebs",
    ];

    private static readonly string[] Windows =
    [
        "Windows_Server-2025-English-Full-Base", "Windows_Server-2022-English-Full-Base", "Windows_Server-2022-English-Core-Base",
        "Windows_Server-2019-English-Full-Base", "Windows_Server-2019-English-Core-Base", "Windows_Server-2016-English-Full-Base",
        "Windows_Server-2019-English-Full-ContainersLatest", "TPM-Windows_Server-2022-English-Full-Base",
    ];

    /// <summary>The other languages AWS publishes Windows Server "Full-Base" AMIs in (docs/localcloud-ssm.md).</summary>
    private static readonly string[] WindowsLanguages =
    [
        "Chinese_Simplified", "Chinese_Traditional", "Czech", "Dutch", "French", "German", "Hungarian", "Italian", "Japanese", "Korean",
        "Polish", "Portuguese_Brazil", "Portuguese_Portugal", "Russian", "Spanish", "Swedish", "Turkish",
    ];

    /// <summary>
    /// Windows Server AMIs with a licence-included SQL Server, and the other English variants, under
    /// <c>ami-windows-latest/Windows_Server-YEAR-LANGUAGE-EDITION-…</c>: the names AWS publishes and supports, as the
    /// CDK's <c>WindowsLatestVersion</c> lists them (docs/localcloud-ssm.md). Each row is a prefix and the suffixes it takes.
    /// </summary>
    private static readonly (string Prefix, string[] Suffixes)[] WindowsVariants =
    [
        ("2016-English-Full-SQL_", ["2014_SP3_Enterprise", "2014_SP3_Standard", .. SqlEditions("2016_SP3"), .. SqlEditions("2017"), .. SqlEditions("2019")]),
        ("2016-English-Core-SQL_", SqlEditions("2016_SP3")),
        ("2016-Japanese-Full-SQL_", [.. SqlEditions("2016_SP3"), .. SqlEditions("2017", express: false), .. SqlEditions("2019", express: false)]),
        ("2019-English-Full-SQL_", [.. SqlEditions("2016_SP3"), .. SqlEditions("2017"), .. SqlEditions("2019"), .. SqlEditions("2022")]),
        ("2019-Japanese-Full-SQL_", [.. SqlEditions("2017", express: false), .. SqlEditions("2019", express: false), .. SqlEditions("2022", express: false)]),
        ("2022-English-Full-SQL_", [.. SqlEditions("2017"), .. SqlEditions("2019"), .. SqlEditions("2022")]),
        ("2022-Japanese-Full-SQL_", [.. SqlEditions("2017", express: false), .. SqlEditions("2019", express: false), .. SqlEditions("2022", express: false)]),
        ("2025-English-Full-SQL_", ["2022_Standard", "2022_Enterprise"]),
        ("2016-English-", ["Deep-Learning", "Full-HyperV", "STIG-Core", "STIG-Full", "Tesla"]),
        ("2019-English-", ["Deep-Learning", "Full-HyperV", "STIG-Core", "STIG-Full", "Tesla"]),
        ("2022-English-", ["STIG-Core", "STIG-Full"]),
    ];

    private static string[] SqlEditions(string release, bool express = true) =>
        [.. new[] { "Enterprise", "Standard", "Web" }.Concat(express ? ["Express"] : []).Select(edition => $"{release}_{edition}")];

    /// <summary>ECS-optimized AMI families: each has a JSON "recommended" parameter and its members.</summary>
    private static readonly (string Path, string Os, string ImageName)[] EcsFamilies =
    [
        ("amazon-linux-2023", "Amazon Linux 2023", "al2023-ami-ecs-hvm-2023.0.20260109-kernel-6.1-x86_64"),
        ("amazon-linux-2023/arm64", "Amazon Linux 2023", "al2023-ami-ecs-hvm-2023.0.20260109-kernel-6.1-arm64"),
        ("amazon-linux-2023/gpu", "Amazon Linux 2023", "al2023-ami-ecs-gpu-hvm-2023.0.20260109-kernel-6.1-x86_64"),
        ("amazon-linux-2", "Amazon Linux 2", "amzn2-ami-ecs-hvm-2.0.20260109-x86_64-ebs"),
        ("amazon-linux-2/arm64", "Amazon Linux 2", "amzn2-ami-ecs-hvm-2.0.20260109-arm64-ebs"),
        ("amazon-linux-2/gpu", "Amazon Linux 2", "amzn2-ami-ecs-gpu-hvm-2.0.20260109-x86_64-ebs"),
        ("amazon-linux-2/inf", "Amazon Linux 2", "amzn2-ami-ecs-inf-hvm-2.0.20260109-x86_64-ebs"),
        ("amazon-linux-2/kernel-5.10", "Amazon Linux 2", "amzn2-ami-ecs-kernel-5.10-hvm-2.0.20260109-x86_64-ebs"),
        ("amazon-linux-2/kernel-5.10/arm64", "Amazon Linux 2", "amzn2-ami-ecs-kernel-5.10-hvm-2.0.20260109-arm64-ebs"),
        // The Amazon Linux (1) ECS-optimized AMI: past its support, its parameter is still published (docs/localcloud-ssm.md).
        ("amazon-linux", "Amazon Linux", "amzn-ami-2018.03.20240319-amazon-ecs-optimized"),
    ];

    private static readonly string[] EksVersions = ["1.29", "1.30", "1.31", "1.32", "1.33"];

    /// <summary>
    /// Canonical's Ubuntu LTS releases under <c>canonical/ubuntu/PRODUCT/RELEASE/stable/current/ARCH/hvm/VOLUME/ami-id</c>:
    /// each release by its number and by its code name (the same image), with the volume types it is built for
    /// (docs/localcloud-ssm.md).
    /// </summary>
    private static readonly (string Version, string CodeName, string[] Volumes)[] UbuntuReleases =
    [
        ("20.04", "focal", ["ebs-gp2"]), ("22.04", "jammy", ["ebs-gp2", "ebs-gp3"]), ("24.04", "noble", ["ebs-gp3"]), ("26.04", "resolute", ["ebs-gp3"]),
    ];

    private static readonly string[] UbuntuProducts = ["server", "server-minimal", "pro-server"];

    /// <summary>
    /// Canonical's EKS node images under <c>canonical/ubuntu/PRODUCT/RELEASE/KUBERNETES/stable/current/ARCH/hvm/VOLUME/ami-id</c>:
    /// the Kubernetes versions each Ubuntu release is built for, as eksctl reads them (docs/localcloud-ssm.md).
    /// </summary>
    private static readonly (string Product, string Release, string[] Kubernetes, string Volume)[] UbuntuEksImages =
    [
        ("eks", "20.04", ["1.21", "1.22", "1.23", "1.24", "1.25", "1.26", "1.27", "1.28", "1.29"], "ebs-gp2"),
        ("eks-pro", "20.04", ["1.27", "1.28"], "ebs-gp2"),
        ("eks", "22.04", ["1.29", "1.30", "1.31", "1.32", "1.33"], "ebs-gp2"),
        ("eks-pro", "22.04", ["1.29", "1.30", "1.31", "1.32", "1.33"], "ebs-gp2"),
        ("eks", "24.04", ["1.31", "1.32", "1.33"], "ebs-gp3"),
        ("eks-pro", "24.04", ["1.31", "1.32", "1.33"], "ebs-gp3"),
    ];

    /// <summary>Debian's releases under <c>debian/release/RELEASE/latest/ARCH</c>, by number and code name.</summary>
    private static readonly (string Version, string CodeName)[] DebianReleases = [("10", "buster"), ("11", "bullseye"), ("12", "bookworm"), ("13", "trixie")];

    /// <summary>The Neuron Deep Learning AMIs' prefixes (each has <c>/latest/image_id</c>), as the Neuron documentation lists them.</summary>
    private static readonly string[] NeuronImages =
    [
        "multi-framework/amazon-linux-2023", "multi-framework/ubuntu-24.04", "multi-framework/ubuntu-22.04",
        "pytorch-2.9/amazon-linux-2023", "pytorch-2.9/ubuntu-24.04", "pytorch-2.8/ubuntu-22.04", "jax-0.7/amazon-linux-2023", "jax-0.7/ubuntu-24.04",
        "pytorch-inference-vllm/amazon-linux-2023", "pytorch-inference-vllm/ubuntu-24.04", "tensorflow-2.10/ubuntu-22.04",
        "base/amazon-linux-2023", "base/ubuntu-24.04", "base/ubuntu-22.04",
    ];

    /// <summary>Deep Learning Base GPU AMIs (x86_64) under <c>deeplearning/ami/x86_64/TYPE/latest/ami-id</c>.</summary>
    private static readonly string[] DeepLearningBaseImages =
    [
        "base-oss-nvidia-driver-gpu-ubuntu-22.04", "base-oss-nvidia-driver-gpu-ubuntu-24.04", "base-oss-nvidia-driver-gpu-amazon-linux-2023",
    ];

    /// <summary>The commercial regions: code, long name, geolocation country and region.</summary>
    private static readonly (string Code, string LongName, string Country, string Area)[] Regions =
    [
        ("us-east-1", "US East (N. Virginia)", "US", "US-VA"), ("us-east-2", "US East (Ohio)", "US", "US-OH"),
        ("us-west-1", "US West (N. California)", "US", "US-CA"), ("us-west-2", "US West (Oregon)", "US", "US-OR"),
        ("af-south-1", "Africa (Cape Town)", "ZA", "ZA-WC"), ("ap-east-1", "Asia Pacific (Hong Kong)", "HK", "HK-HK"),
        ("ap-south-1", "Asia Pacific (Mumbai)", "IN", "IN-MH"), ("ap-south-2", "Asia Pacific (Hyderabad)", "IN", "IN-TG"),
        ("ap-southeast-1", "Asia Pacific (Singapore)", "SG", "SG-SG"), ("ap-southeast-2", "Asia Pacific (Sydney)", "AU", "AU-NSW"),
        ("ap-southeast-3", "Asia Pacific (Jakarta)", "ID", "ID-JK"), ("ap-southeast-4", "Asia Pacific (Melbourne)", "AU", "AU-VIC"),
        ("ap-northeast-1", "Asia Pacific (Tokyo)", "JP", "JP-13"), ("ap-northeast-2", "Asia Pacific (Seoul)", "KR", "KR-11"),
        ("ap-northeast-3", "Asia Pacific (Osaka)", "JP", "JP-27"), ("ca-central-1", "Canada (Central)", "CA", "CA-QC"),
        ("ca-west-1", "Canada West (Calgary)", "CA", "CA-AB"), ("eu-central-1", "Europe (Frankfurt)", "DE", "DE-HE"),
        ("eu-central-2", "Europe (Zurich)", "CH", "CH-ZH"), ("eu-west-1", "Europe (Ireland)", "IE", "IE-D"),
        ("eu-west-2", "Europe (London)", "GB", "GB-ENG"), ("eu-west-3", "Europe (Paris)", "FR", "FR-IDF"),
        ("eu-north-1", "Europe (Stockholm)", "SE", "SE-AB"), ("eu-south-1", "Europe (Milan)", "IT", "IT-MI"),
        ("eu-south-2", "Europe (Spain)", "ES", "ES-AR"), ("il-central-1", "Israel (Tel Aviv)", "IL", "IL-TA"),
        ("me-central-1", "Middle East (UAE)", "AE", "AE-DU"), ("me-south-1", "Middle East (Bahrain)", "BH", "BH-13"),
        ("sa-east-1", "South America (Sao Paulo)", "BR", "BR-SP"),
    ];

    /// <summary>Every public parameter as seen from <paramref name="region"/>, by name.</summary>
    public static IReadOnlyDictionary<string, SsmParameterVersion> In(string region) => Cache.GetOrAdd(region, Build);

    public static bool IsPublic(string name) => name.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Public parameters belong to no account: their ARN has an empty account field.</summary>
    public static string Arn(string region, string name) => $"arn:aws:ssm:{region}::parameter{name}";

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlyDictionary<string, SsmParameterVersion>> Cache = new(StringComparer.Ordinal);

    private static IReadOnlyDictionary<string, SsmParameterVersion> Build(string region)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        void Image(string name) => values[Prefix + name] = ImageId(region, name);
        foreach (var name in AmazonLinux)
        {
            Image("ami-amazon-linux-latest/" + name);
        }

        foreach (var name in Windows.Concat(
            from year in new[] { "2016", "2019", "2022", "2025" } from language in WindowsLanguages select $"Windows_Server-{year}-{language}-Full-Base"))
        {
            Image("ami-windows-latest/" + name);
        }

        foreach (var (prefix, suffixes) in WindowsVariants)
        {
            foreach (var suffix in suffixes)
            {
                Image($"ami-windows-latest/Windows_Server-{prefix}{suffix}");
            }
        }

        Image("ami-windows-latest/Windows_Server-2022-English-Full-ECS_Optimized/image_id");
        Image("ami-windows-latest/Windows_Server-2019-English-Full-ECS_Optimized/image_id");
        // A release's number and code name name the same image.
        void Alias(string name, string sameAs) => values[Prefix + name] = ImageId(region, sameAs);
        foreach (var (version, codeName, volumes) in UbuntuReleases)
        {
            foreach (var product in UbuntuProducts)
            {
                foreach (var (arch, volume) in from arch in new[] { "amd64", "arm64" } from volume in volumes select (arch, volume))
                {
                    string Path(string release) => $"canonical/ubuntu/{product}/{release}/stable/current/{arch}/hvm/{volume}/ami-id";
                    Image(Path(version));
                    Alias(Path(codeName), Path(version));
                }
            }
        }

        foreach (var (product, release, kubernetesVersions, volume) in UbuntuEksImages)
        {
            foreach (var (kubernetes, arch) in from kubernetes in kubernetesVersions from arch in new[] { "amd64", "arm64" } select (kubernetes, arch))
            {
                Image($"canonical/ubuntu/{product}/{release}/{kubernetes}/stable/current/{arch}/hvm/{volume}/ami-id");
            }
        }

        foreach (var (version, codeName) in DebianReleases)
        {
            foreach (var arch in new[] { "amd64", "arm64" })
            {
                Image($"debian/release/{version}/latest/{arch}");
                Alias($"debian/release/{codeName}/latest/{arch}", $"debian/release/{version}/latest/{arch}");
            }
        }

        foreach (var prefix in NeuronImages)
        {
            Image($"neuron/dlami/{prefix}/latest/image_id");
        }

        foreach (var type in DeepLearningBaseImages)
        {
            Image($"deeplearning/ami/x86_64/{type}/latest/ami-id");
        }

        foreach (var (path, os, imageName) in EcsFamilies)
        {
            var recommended = $"ecs/optimized-ami/{path}/recommended";
            Image(recommended + "/image_id");
            var imageId = values[Prefix + recommended + "/image_id"];
            values[Prefix + recommended + "/image_name"] = imageName;
            values[Prefix + recommended] = new JsonObject
            {
                ["ecs_agent_version"] = "1.89.2",
                ["ecs_runtime_version"] = "Docker version 25.0.8",
                ["image_id"] = imageId,
                ["image_name"] = imageName,
                ["image_version"] = imageName.Split('-').First(part => part.Contains('.', StringComparison.Ordinal)),
                ["os"] = os,
                ["schema_version"] = 1,
                ["source_image_name"] = imageName.Replace("-ecs", "", StringComparison.Ordinal),
            }.ToJsonString();
        }

        foreach (var version in EksVersions)
        {
            foreach (var family in new[] { "amazon-linux-2", "amazon-linux-2-arm64", "amazon-linux-2-gpu" })
            {
                Image($"eks/optimized-ami/{version}/{family}/recommended/image_id");
            }

            foreach (var family in new[] { "amazon-linux-2023/x86_64/standard", "amazon-linux-2023/arm64/standard" })
            {
                Image($"eks/optimized-ami/{version}/{family}/recommended/image_id");
            }
        }

        foreach (var (code, longName, country, area) in Regions)
        {
            var path = $"global-infrastructure/regions/{code}";
            values[Prefix + path] = code;
            values[Prefix + path + "/longName"] = longName;
            values[Prefix + path + "/partition"] = "aws";
            values[Prefix + path + "/domain"] = "amazonaws.com";
            values[Prefix + path + "/geolocationCountry"] = country;
            values[Prefix + path + "/geolocationRegion"] = area;
        }

        return values.ToDictionary(
            entry => entry.Key,
            entry => new SsmParameterVersion(entry.Key, "String", entry.Value, 1, Published, "", null, null, null, "Standard", "text"),
            StringComparer.Ordinal);
    }

    /// <summary>A plausible AMI id (ami- and 17 hex digits), the same for the same region and parameter.</summary>
    private static string ImageId(string region, string name) =>
        "ami-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(region + "/" + name)))[..17];
}
