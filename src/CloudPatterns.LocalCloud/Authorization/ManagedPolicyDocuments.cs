using CloudPatterns.LocalCloud.Identity;
using CloudPatterns.LocalCloud.Services.Iam;

namespace CloudPatterns.LocalCloud.Authorization;

/// <summary>
/// The parsed documents of AWS managed policies, by policy ARN, from the one data place of managed policies
/// (<see cref="AwsManagedPolicyCatalogue"/>, Services/Iam/ManagedPolicies/documents); null for a policy whose document
/// LocalCloud does not hold.
/// </summary>
internal static class ManagedPolicyDocuments
{
    /// <summary>Every ARN with a document.</summary>
    public static IEnumerable<string> Arns => AwsManagedPolicyCatalogue.All.Where(policy => policy.Document is not null).Select(policy => policy.Arn);

    public static PolicyDocument? Find(string policyArn) =>
        AwsManagedPolicyCatalogue.Find(policyArn)?.Document is { } document ? PolicyDocument.Cached(document) : null;
}
