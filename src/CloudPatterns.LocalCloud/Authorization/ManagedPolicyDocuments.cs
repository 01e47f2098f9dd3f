using System.Collections.Frozen;
using System.Text.Json;
using CloudPatterns.LocalCloud.Identity;

namespace CloudPatterns.LocalCloud.Authorization;

/// <summary>
/// The documents of AWS managed policies (IAM's and the FullAWSAccess SCP), from the one data file
/// policies/aws-managed-policies.json, by policy ARN.
/// </summary>
internal static class ManagedPolicyDocuments
{
    private const string ResourceName = "CloudPatterns.LocalCloud.policies.aws-managed-policies.json";

    private static readonly FrozenDictionary<string, string> Documents = Load();

    /// <summary>Every ARN with a document.</summary>
    public static IEnumerable<string> Arns => Documents.Keys;

    public static string? Text(string policyArn) => Documents.GetValueOrDefault(policyArn);

    public static PolicyDocument? Find(string policyArn) => Text(policyArn) is { } text ? PolicyDocument.Cached(text) : null;

    private static FrozenDictionary<string, string> Load()
    {
        using var stream = typeof(ManagedPolicyDocuments).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"LocalCloud was built without {ResourceName}.");
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.EnumerateObject()
            .Where(entry => entry.Name.StartsWith("arn:", StringComparison.Ordinal))
            .ToFrozenDictionary(entry => entry.Name, entry => entry.Value.GetRawText(), StringComparer.Ordinal);
    }
}
