using System.Collections.Frozen;
using System.Globalization;
using System.Reflection;

namespace CloudPatterns.LocalCloud.Services.Iam;

/// <summary>
/// Every AWS-managed IAM policy (names, paths such as /service-role/ and /job-function/, ids, dates) and the
/// documents LocalCloud has of some of them: the one place they live (data in ManagedPolicies/, see its README).
/// Attaching any of them works; any other arn:aws:iam::aws:policy/... is unknown, as in IAM.
/// </summary>
internal static class AwsManagedPolicyCatalogue
{
    private const string ResourcePrefix = "CloudPatterns.LocalCloud.ManagedPolicies.";

    private static readonly Lazy<(IReadOnlyList<IamManagedPolicy> All, FrozenDictionary<string, IamManagedPolicy> ByArn)> Loaded = new(Load);

    /// <summary>Every AWS-managed policy, by name.</summary>
    public static IReadOnlyList<IamManagedPolicy> All => Loaded.Value.All;

    public static IamManagedPolicy? Find(string policyArn) => Loaded.Value.ByArn.GetValueOrDefault(policyArn);

    /// <summary>The path of the AWS-managed policy of that name (/service-role/), null when there is none.</summary>
    public static string? PathOf(string name) => ByName.Value.GetValueOrDefault(name)?.Path;

    private static readonly Lazy<FrozenDictionary<string, IamManagedPolicy>> ByName =
        new(() => All.DistinctBy(policy => policy.PolicyName, StringComparer.Ordinal).ToFrozenDictionary(policy => policy.PolicyName, StringComparer.Ordinal));

    private static (IReadOnlyList<IamManagedPolicy>, FrozenDictionary<string, IamManagedPolicy>) Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var documents = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix + "documents.", StringComparison.Ordinal))
            .ToDictionary(name => name[(ResourcePrefix.Length + "documents.".Length)..^".json".Length], name => Read(assembly, name).Trim(), StringComparer.Ordinal);
        var policies = Read(assembly, ResourcePrefix + "catalogue.tsv")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.StartsWith('#'))
            .Select(line => line.Split('\t'))
            .Select(fields => new IamManagedPolicy(
                $"arn:aws:iam::aws:policy{fields[0]}{fields[1]}",
                fields[1],
                fields[0],
                fields[2],
                Description: null,
                documents.GetValueOrDefault(fields[1]),
                DateTimeOffset.Parse(fields[3], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                []))
            .ToList();
        return (policies, policies.ToFrozenDictionary(policy => policy.Arn, StringComparer.Ordinal));
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource) ?? throw new InvalidOperationException($"Missing embedded resource {resource}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
