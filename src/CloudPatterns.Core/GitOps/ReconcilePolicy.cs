namespace CloudPatterns.Core.GitOps;

/// <summary>
/// What the GitOps reconciler (the Lambda function, docs/gitops-reconciler.md) may do on its own, from the manifest's
/// <c>reconcile:</c> key. The cmdlets take the same choices as switches (-SelfHeal, -Prune) and ignore this.
/// </summary>
public sealed class ReconcilePolicy
{
    public const string Heal = "heal";
    public const string Report = "report";

    public ReconcilePolicy(bool selfHeal, bool prune)
    {
        SelfHeal = selfHeal;
        Prune = prune;
    }

    /// <summary>The default when the manifest says nothing: report drift and orphans, change only what the commit changed.</summary>
    public static ReconcilePolicy Default { get; } = new(selfHeal: false, prune: false);

    /// <summary><c>drift: heal</c>: revert drift (as -SelfHeal); <c>drift: report</c> (default): record it and leave it.</summary>
    public bool SelfHeal { get; }

    /// <summary><c>prune: true</c>: delete this manifest's orphans (as -Prune -Force); default false.</summary>
    public bool Prune { get; }

    public StackSyncOptions ToOptions() => new() { SelfHeal = SelfHeal, Prune = Prune };
}
