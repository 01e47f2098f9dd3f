using System.Management.Automation;
using CloudPatterns.Aws;
using CloudPatterns.Core.GitOps;
using CloudPatterns.Core.GitOps.Reconciler;
using CloudPatterns.PowerShell.Completion;
using CloudPatterns.PowerShell.Infrastructure;

namespace CloudPatterns.PowerShell.Cmdlets;

/// <summary>
/// Publish-StackManifest: bundles the manifest, the templates it names and the commit checked out (with a digest) and
/// uploads the bundle to a versioned S3 bucket, where the GitOps reconciler reads it. The same content again is NoChange.
/// </summary>
[Cmdlet(VerbsData.Publish, "StackManifest", SupportsShouldProcess = true)]
[OutputType(typeof(PublishedBundle))]
public sealed class PublishStackManifestCommand : AwsCmdlet
{
    private readonly GitOpsManifest _manifest = new();

    /// <summary>The manifest file in a git working tree (clean: the bundle is the commit's).</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = GitOpsManifest.DefaultFileName;

    /// <summary>The versioned bucket the reconciler reads (its GITOPS_BUNDLE_BUCKET).</summary>
    [Parameter(Mandatory = true)]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.BucketName))]
    public string Bucket { get; set; } = string.Empty;

    /// <summary>The bundle's key (the reconciler's GITOPS_BUNDLE_KEY).</summary>
    [Parameter]
    [ValidateLength(1, 1024)]
    public string Key { get; set; } = BundleStore.DefaultKey;

    /// <summary>The account of the bucket; default the caller's (another account's role is assumed, -RoleName).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(AccountIdCompleter))]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.AccountId))]
    public string? BucketAccountId { get; set; }

    /// <summary>The bucket's region; default the session's.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(RegionCompleter))]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.Region))]
    public string? Region { get; set; }

    protected override string? ConnectionRegion => Region;

    private protected override ErrorReason PreflightReason => ErrorReason.BundleBucketNotVersioned;

    protected override void EndProcessing()
    {
        _manifest.Open(this, Path, allowDirty: false);
        ManifestBundle bundle = null!;
        try
        {
            bundle = ManifestBundle.FromCheckout(_manifest.Checkout);
        }
        catch (ManifestException ex)
        {
            ThrowTerminating(ex, ErrorReason.InvalidManifest, ErrorCategory.InvalidData, ex.File);
        }

        RunAws(async (queue, session, cancellation) =>
        {
            var target = await session.GetTargetAsync(BucketAccountId ?? session.CallerAccountId, Region, cancellation).ConfigureAwait(false);
            var store = new BundleStore(target.S3, Bucket, Key);
            var published = await store.PublishAsync(target.AccountId, target.Region, bundle, () => queue.AskAsync(
                () => ShouldProcess($"s3://{Bucket}/{Key} in {target.AccountId} {target.Region}", $"Publish the bundle of {bundle.ManifestPath} at commit {bundle.Commit}"), cancellation), cancellation).ConfigureAwait(false);
            if (published.Status != BundleStore.WhatIf)
            {
                queue.Output(published);
            }
        }, Bucket);
        base.EndProcessing();
    }
}
