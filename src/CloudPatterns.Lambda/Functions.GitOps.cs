using System.IO;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using CloudPatterns.Core.GitOps.Reconciler;

namespace CloudPatterns.Lambda;

public sealed partial class Functions
{
    /// <summary>The GitOps reconciler: scheduled runs and CloudTrail change events against the latest bundle (docs/gitops-reconciler.md).</summary>
    public Task<Stream> GitOpsReconciler(Stream input) =>
        RunAsync(nameof(GitOpsReconciler), input, (session, environment, envelope, cancellationToken) =>
            Core.GitOps.Reconciler.GitOpsReconciler.HandleAsync(session, ReconcilerSettings.FromEnvironment(environment), envelope, cancellationToken),
            environment => ReconcilerSettings.FromEnvironment(environment).TargetRoleName,
            environment => ReconcilerSettings.FromEnvironment(environment).ExternalId);
}
