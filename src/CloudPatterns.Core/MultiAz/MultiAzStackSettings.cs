using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.RegularExpressions;
using CloudPatterns.Core.Deployment;
using CloudPatterns.Core.Stacks;
using CloudPatterns.Aws;

namespace CloudPatterns.Core.MultiAz;

/// <summary>
/// The parameters of templates/multi-az-web-app.yaml, checked before anything calls AWS, so a bad CIDR or size fails
/// at once with a message saying what to give instead rather than as a rolled-back stack minutes later.
/// </summary>
public sealed class MultiAzStackSettings
{
    public const string PatternName = "MultiAz";
    public const string TemplateVersion = "1.1.0";
    public const string DefaultImageParameter = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
    public static readonly string[] ScalingMetrics = ["CPU", "RequestCount", "Memory"];
    public const int LargestGroup = 20;

    // Instance families are letters and digits with optional suffix letters (m7i-flex, u-6tb1): family.size.
    private static readonly Regex InstanceTypeForm = new("^[a-z][a-z0-9-]*\\.[a-z0-9]+$", RegexOptions.CultureInvariant);
    private static readonly Regex ImageIdForm = new("^ami-([0-9a-f]{8}|[0-9a-f]{17})$", RegexOptions.CultureInvariant);
    private static readonly Regex ParameterNameForm = new("^(/[a-zA-Z0-9_.-]+)+$|^[a-zA-Z0-9_.-]+$", RegexOptions.CultureInvariant);
    // Aurora offers no micro or small burstable class for current engine versions (docs/multi-az.md, "Aurora option").
    private static readonly Regex AuroraTooSmall = new("^db\\.t[0-9][a-z]*\\.(micro|small)$", RegexOptions.CultureInvariant);
    private static readonly Regex DbInstanceClassForm = new("^db\\.[a-z0-9-]+\\.[a-z0-9]+$", RegexOptions.CultureInvariant);

    public int AzCount { get; set; } = 2;
    public string VpcCidr { get; set; } = "10.0.0.0/16";
    public string? CertificateArn { get; set; }
    public string FrontendInstanceType { get; set; } = "t3.small";
    public string BackendInstanceType { get; set; } = "t3.small";
    public int FrontendMinSize { get; set; } = 2;
    public int FrontendMaxSize { get; set; } = LargestGroup;
    public int BackendMinSize { get; set; } = 2;
    public int BackendMaxSize { get; set; } = LargestGroup;
    /// <summary>What target tracking follows in both tiers: CPU, RequestCount (ALB requests per target) or Memory (CloudWatch agent).</summary>
    public string ScalingMetric { get; set; } = "CPU";
    public int TargetCpuUtilization { get; set; } = 50;
    public int TargetRequestCount { get; set; } = 1000;
    public int TargetMemoryUtilization { get; set; } = 70;
    /// <summary>New instances are protected from scale-in (only instance refresh and manual action remove them).</summary>
    public bool ScaleInProtection { get; set; }
    /// <summary>An AMI id that overrides <see cref="ImageParameter"/>.</summary>
    public string? ImageId { get; set; }
    /// <summary>The Parameter Store name the AMI is read from at every create and update.</summary>
    public string ImageParameter { get; set; } = DefaultImageParameter;
    /// <summary>The public load balancer reaches the frontend over HTTPS (443) as well as HTTP (80).</summary>
    public bool EndToEndTls { get; set; }
    /// <summary>Interface endpoints for ssm, ssmmessages and ec2messages: Session Manager without the NAT gateways.</summary>
    public bool SsmEndpoints { get; set; }
    /// <summary>postgres or mysql (an RDS Multi-AZ instance), aurora-postgresql or aurora-mysql (an Aurora cluster, writer and reader in two AZs).</summary>
    public string DbEngine { get; set; } = "postgres";
    public static readonly string[] DbEngines = ["postgres", "mysql", "aurora-postgresql", "aurora-mysql"];
    /// <summary>Aurora's cheapest class, for both engines (docs/multi-az.md, "Aurora option").</summary>
    public const string DefaultAuroraInstanceClass = "db.t4g.medium";
    public const string DefaultDbInstanceClass = "db.t3.small";
    private string? dbInstanceClass;
    /// <summary>The instance class; by default db.t3.small for an RDS instance and db.t4g.medium for each Aurora instance.</summary>
    public string DbInstanceClass
    {
        get => dbInstanceClass ?? (IsAurora ? DefaultAuroraInstanceClass : DefaultDbInstanceClass);
        set => dbInstanceClass = value;
    }

    public bool IsAurora => DbEngine is "aurora-postgresql" or "aurora-mysql";
    public int DbAllocatedStorage { get; set; } = 100;
    public bool CreateReadReplica { get; set; }
    public bool CreateDbProxy { get; set; }
    /// <summary>The database refuses deletion (default); turn it off with an update before removing the stack.</summary>
    public bool DbDeletionProtection { get; set; } = true;

    /// <summary>The settings a deployed stack runs with (its parameters), for updates that change only some of them.</summary>
    public static MultiAzStackSettings FromParameters(IReadOnlyDictionary<string, string> parameters)
    {
        var settings = new MultiAzStackSettings();
        string? Get(string key) => parameters.TryGetValue(key, out var value) ? value : null;
        int Number(string key, int fallback) => int.TryParse(Get(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;
        settings.AzCount = Number("AzCount", settings.AzCount);
        settings.VpcCidr = Get("VpcCidr") ?? settings.VpcCidr;
        settings.CertificateArn = Get("CertificateArn");
        settings.FrontendInstanceType = Get("FrontendInstanceType") ?? settings.FrontendInstanceType;
        settings.BackendInstanceType = Get("BackendInstanceType") ?? settings.BackendInstanceType;
        // Stacks of template 1.0.0 had one MinSize/MaxSize for both tiers.
        settings.FrontendMinSize = Number("FrontendMinSize", Number("MinSize", settings.FrontendMinSize));
        settings.FrontendMaxSize = Number("FrontendMaxSize", Number("MaxSize", settings.FrontendMaxSize));
        settings.BackendMinSize = Number("BackendMinSize", Number("MinSize", settings.BackendMinSize));
        settings.BackendMaxSize = Number("BackendMaxSize", Number("MaxSize", settings.BackendMaxSize));
        settings.ScalingMetric = Get("ScalingMetric") ?? settings.ScalingMetric;
        settings.TargetCpuUtilization = Number("TargetCpuUtilization", settings.TargetCpuUtilization);
        settings.TargetRequestCount = Number("TargetRequestCount", settings.TargetRequestCount);
        settings.TargetMemoryUtilization = Number("TargetMemoryUtilization", settings.TargetMemoryUtilization);
        settings.ScaleInProtection = Get("ScaleInProtection") == "true";
        settings.ImageId = Get("ImageIdOverride") is { Length: > 0 } imageId ? imageId : null;
        settings.ImageParameter = Get("ImageParameter") ?? settings.ImageParameter;
        settings.EndToEndTls = Get("EndToEndTls") == "true";
        settings.SsmEndpoints = Get("SsmEndpoints") == "true";
        settings.DbEngine = Get("DbEngine") ?? settings.DbEngine;
        if (Get("DbInstanceClass") is { } instanceClass)
        {
            settings.DbInstanceClass = instanceClass;
        }
        settings.DbAllocatedStorage = Number("DbAllocatedStorage", settings.DbAllocatedStorage);
        settings.CreateReadReplica = Get("CreateReadReplica") == "true";
        settings.CreateDbProxy = Get("CreateDbProxy") == "true";
        settings.DbDeletionProtection = Get("DbDeletionProtection") != "false";
        return settings;
    }

    /// <summary>What is wrong with these settings, each problem with what to give instead; empty when they are valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (AzCount is not (2 or 3))
        {
            problems.Add($"AzCount {AzCount} is not supported: give 2 or 3 Availability Zones.");
        }

        if (CidrProblem(VpcCidr) is { } cidr)
        {
            problems.Add(cidr);
        }

        if (!AwsIdentifiers.Is(AwsIdentifierKind.AcmCertificateArn, CertificateArn))
        {
            problems.Add($"CertificateArn '{CertificateArn}' is not an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>); the HTTPS listener needs one.");
        }

        foreach (var (name, value) in new[] { ("FrontendInstanceType", FrontendInstanceType), ("BackendInstanceType", BackendInstanceType) })
        {
            if (!InstanceTypeForm.IsMatch(value ?? string.Empty))
            {
                problems.Add($"{name} '{value}' is not an EC2 instance type: give family.size, e.g. t3.small or m7i.large.");
            }
        }

        foreach (var (tier, min, max) in new[] { ("Frontend", FrontendMinSize, FrontendMaxSize), ("Backend", BackendMinSize, BackendMaxSize) })
        {
            if (min < AzCount)
            {
                problems.Add($"{tier}MinSize {min} is below AzCount {AzCount}: each tier needs at least one instance per Availability Zone.");
            }

            if (max < min)
            {
                problems.Add($"{tier}MaxSize {max} is below {tier}MinSize {min}.");
            }

            if (max <= AzCount)
            {
                problems.Add($"{tier}MaxSize {max} leaves no room above AzCount {AzCount}: a rolling replacement keeps {AzCount} instances in service and needs one more; give at least {AzCount + 1}.");
            }

            if (max > LargestGroup)
            {
                problems.Add($"{tier}MaxSize {max} is above {LargestGroup}, the largest group the pattern supports.");
            }
        }

        if (!ScalingMetrics.Contains(ScalingMetric))
        {
            problems.Add($"ScalingMetric '{ScalingMetric}' is not supported: give {string.Join(", ", ScalingMetrics)}.");
        }

        if (TargetCpuUtilization is < 10 or > 90)
        {
            problems.Add($"TargetCpuUtilization {TargetCpuUtilization} is outside 10-90 percent.");
        }

        if (TargetMemoryUtilization is < 10 or > 90)
        {
            problems.Add($"TargetMemoryUtilization {TargetMemoryUtilization} is outside 10-90 percent.");
        }

        if (TargetRequestCount is < 1 or > 100000)
        {
            problems.Add($"TargetRequestCount {TargetRequestCount} is outside 1-100000 requests per target per minute.");
        }

        if (ImageId is not null && !ImageIdForm.IsMatch(ImageId))
        {
            problems.Add($"ImageId '{ImageId}' is not an AMI id: give ami- and 8 or 17 hexadecimal digits, or -ImageParameter with a Parameter Store name.");
        }

        if (!ParameterNameForm.IsMatch(ImageParameter ?? string.Empty))
        {
            problems.Add($"ImageParameter '{ImageParameter}' is not a Parameter Store name: give one such as {DefaultImageParameter}.");
        }

        if (!DbEngines.Contains(DbEngine))
        {
            problems.Add($"DbEngine '{DbEngine}' is not supported: give {string.Join(", ", DbEngines)}.");
        }

        if (IsAurora && AuroraTooSmall.IsMatch(DbInstanceClass))
        {
            problems.Add($"DbInstanceClass '{DbInstanceClass}' does not exist for {DbEngine}: Aurora's smallest classes are db.t3.medium and {DefaultAuroraInstanceClass} (the default).");
        }

        if (IsAurora && CreateReadReplica)
        {
            problems.Add($"CreateReadReplica is for postgres and mysql: with {DbEngine} the cluster already has a reader in a second Availability Zone.");
        }

        if (!DbInstanceClassForm.IsMatch(DbInstanceClass ?? string.Empty))
        {
            problems.Add($"DbInstanceClass '{DbInstanceClass}' is not an RDS instance class: give db.family.size, e.g. db.t3.medium.");
        }

        if (DbAllocatedStorage is < 20 or > 65536)
        {
            problems.Add($"DbAllocatedStorage {DbAllocatedStorage} GiB is outside 20-65536.");
        }

        return problems;
    }

    /// <summary>Throws <see cref="InvalidMultiAzSettingsException"/> listing every problem when the settings are not valid.</summary>
    public void Validate()
    {
        var problems = Problems();
        if (problems.Count > 0)
        {
            throw new InvalidMultiAzSettingsException(problems);
        }
    }

    /// <summary>The deployment of these settings as stack <paramref name="stackName"/>, tagged as the Multi-AZ pattern.</summary>
    /// <summary>
    /// Refuses, before any change, an update that would replace the stack's database: CloudFormation replaces an
    /// AWS::RDS::DBInstance whose Engine changes, and a switch between an instance and an Aurora cluster swaps one
    /// resource for another, so the data would be left only in the old database's final snapshot and the new one
    /// would start empty (docs/multi-az-aurora.md, "Changing the engine").
    /// </summary>
    public void ValidateChangeFrom(MultiAzStackSettings deployed)
    {
        if (!string.Equals(DbEngine, deployed.DbEngine, StringComparison.Ordinal))
        {
            throw new InvalidMultiAzSettingsException([
                $"DbEngine cannot change from '{deployed.DbEngine}' to '{DbEngine}' on a deployed stack: the update would replace the database and the new one would start empty. " +
                $"Keep DbEngine '{deployed.DbEngine}', or deploy a new stack with New-MultiAzStack and move the data into it."]);
        }
    }

    public StackDeploymentRequest ToDeploymentRequest(string stackName)
    {
        Validate();
        var request = new StackDeploymentRequest(stackName, Template.Body);
        foreach (var parameter in ToParameters())
        {
            request.Parameters[parameter.Key] = parameter.Value;
        }

        request.Tags[PatternTags.Pattern] = PatternName;
        request.Tags[PatternTags.TemplateVersion] = TemplateVersion;
        request.Capabilities.Add("CAPABILITY_IAM");
        return request;
    }

    public IReadOnlyDictionary<string, string> ToParameters() => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["AzCount"] = Invariant(AzCount),
        ["VpcCidr"] = VpcCidr,
        ["CertificateArn"] = CertificateArn ?? string.Empty,
        ["FrontendInstanceType"] = FrontendInstanceType,
        ["BackendInstanceType"] = BackendInstanceType,
        ["FrontendMinSize"] = Invariant(FrontendMinSize),
        ["FrontendMaxSize"] = Invariant(FrontendMaxSize),
        ["BackendMinSize"] = Invariant(BackendMinSize),
        ["BackendMaxSize"] = Invariant(BackendMaxSize),
        ["ScalingMetric"] = ScalingMetric,
        ["TargetCpuUtilization"] = Invariant(TargetCpuUtilization),
        ["TargetRequestCount"] = Invariant(TargetRequestCount),
        ["TargetMemoryUtilization"] = Invariant(TargetMemoryUtilization),
        ["ScaleInProtection"] = ScaleInProtection ? "true" : "false",
        ["ImageIdOverride"] = ImageId ?? string.Empty,
        ["ImageParameter"] = ImageParameter,
        ["EndToEndTls"] = EndToEndTls ? "true" : "false",
        ["SsmEndpoints"] = SsmEndpoints ? "true" : "false",
        ["DbEngine"] = DbEngine,
        ["DbInstanceClass"] = DbInstanceClass,
        ["DbAllocatedStorage"] = Invariant(DbAllocatedStorage),
        ["CreateReadReplica"] = CreateReadReplica ? "true" : "false",
        ["CreateDbProxy"] = CreateDbProxy ? "true" : "false",
        ["DbDeletionProtection"] = DbDeletionProtection ? "true" : "false",
    };

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    // The template cuts nine /24 subnets (three tiers x up to three AZs) out of the VPC: /16 to /20 fit them.
    internal static string? CidrProblem(string? cidr)
    {
        var parts = (cidr ?? string.Empty).Split('/');
        if (parts.Length != 2 || !IPAddress.TryParse(parts[0], out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork
            || parts[0].Split('.').Length != 4 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix))
        {
            return $"VpcCidr '{cidr}' is not an IPv4 CIDR block: give one such as 10.0.0.0/16.";
        }

        if (prefix is < 16 or > 20)
        {
            return $"VpcCidr '{cidr}' has prefix /{prefix}: give /16 to /20, so that the nine /24 subnets fit.";
        }

        var bytes = address.GetAddressBytes();
        var value = ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
        var hostBits = (1u << (32 - prefix)) - 1;
        return (value & hostBits) != 0
            ? $"VpcCidr '{cidr}' has host bits set: the network address of a /{prefix} ends on a block boundary (e.g. {Network(value & ~hostBits)}/{prefix})."
            : null;
    }

    private static string Network(uint value) => $"{value >> 24}.{(value >> 16) & 255}.{(value >> 8) & 255}.{value & 255}";

    /// <summary>The bundled template (see <see cref="BundledTemplate"/>).</summary>
    public static class Template
    {
        public static string Body => BundledTemplate.Body("multi-az-web-app.yaml");
    }
}

/// <summary>Settings that cannot make a valid Multi-AZ stack; the message lists every problem and what to give instead.</summary>
public sealed class InvalidMultiAzSettingsException : ArgumentException
{
    public InvalidMultiAzSettingsException(IReadOnlyList<string> problems)
        : base(string.Join(" ", problems))
    {
        Problems = problems;
    }

    public IReadOnlyList<string> Problems { get; }
}
