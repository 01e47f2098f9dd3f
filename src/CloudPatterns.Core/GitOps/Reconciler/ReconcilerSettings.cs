using System;
using System.Collections.Generic;
using System.Linq;
using CloudPatterns.Aws;

namespace CloudPatterns.Core.GitOps.Reconciler;

/// <summary>
/// What the GitOps reconciler works from, read from its function's environment (templates/gitops-reconciler.yaml sets
/// it; docs/gitops-reconciler.md): where the bundle and the run history are, and the role it assumes in each target.
/// </summary>
public sealed class ReconcilerSettings
{
    public const string BundleBucketVariable = "GITOPS_BUNDLE_BUCKET";
    public const string BundleKeyVariable = "GITOPS_BUNDLE_KEY";
    public const string HistoryBucketVariable = "GITOPS_HISTORY_BUCKET";
    public const string HistoryPrefixVariable = "GITOPS_HISTORY_PREFIX";
    public const string TargetRoleVariable = "GITOPS_TARGET_ROLE_NAME";
    public const string ExternalIdVariable = "GITOPS_EXTERNAL_ID";

    /// <summary>The role Install-CloudPatternsRole -Job GitOpsSync makes in each target account.</summary>
    public const string DefaultTargetRoleName = "CloudPatternsGitOpsSync";

    public string BundleBucket { get; private set; } = "";

    public string BundleKey { get; private set; } = BundleStore.DefaultKey;

    public string HistoryBucket { get; private set; } = "";

    public string HistoryPrefix { get; private set; } = SyncHistoryStore.DefaultPrefix;

    public string TargetRoleName { get; private set; } = DefaultTargetRoleName;

    /// <summary>The ExternalId the target roles' trust requires; null when they require none.</summary>
    public string? ExternalId { get; private set; }

    /// <summary>The settings in <paramref name="environment"/>; every missing or bad value is named in one <see cref="ArgumentException"/>.</summary>
    public static ReconcilerSettings FromEnvironment(IReadOnlyDictionary<string, string> environment)
    {
        string? Value(string name) => environment.TryGetValue(name, out var value) && value.Length > 0 ? value : null;
        var settings = new ReconcilerSettings
        {
            BundleBucket = Value(BundleBucketVariable) ?? "",
            BundleKey = Value(BundleKeyVariable) ?? BundleStore.DefaultKey,
            HistoryPrefix = Value(HistoryPrefixVariable) ?? SyncHistoryStore.DefaultPrefix,
            TargetRoleName = Value(TargetRoleVariable) ?? DefaultTargetRoleName,
            ExternalId = Value(ExternalIdVariable),
        };
        settings.HistoryBucket = Value(HistoryBucketVariable) ?? settings.BundleBucket;
        var checks = new (string Name, string Value, bool Valid, string Allowed)[]
        {
            (BundleBucketVariable, settings.BundleBucket, AwsIdentifiers.IsBucketName(settings.BundleBucket), "an S3 bucket name (the versioned bucket Publish-StackManifest uploads to)"),
            (HistoryBucketVariable, settings.HistoryBucket, AwsIdentifiers.IsBucketName(settings.HistoryBucket), "an S3 bucket name"),
            (BundleKeyVariable, settings.BundleKey, settings.BundleKey.Length is > 0 and <= 1024, "an S3 key of 1 to 1024 characters"),
            (HistoryPrefixVariable, settings.HistoryPrefix, settings.HistoryPrefix.EndsWith("/", StringComparison.Ordinal) && settings.HistoryPrefix.Length <= 512, "a key prefix ending in /"),
            (TargetRoleVariable, settings.TargetRoleName, settings.TargetRoleName.Length is > 0 and <= 64, "an IAM role name"),
        };
        var problems = checks.Where(c => !c.Valid).Select(c => c.Value.Length == 0 ? $"{c.Name} is not set ({c.Allowed})." : $"{c.Name} '{c.Value}' is not {c.Allowed}.").ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException("The GitOps reconciler's environment is not valid: " + string.Join(" ", problems));
        }

        return settings;
    }
}
