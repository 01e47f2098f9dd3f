namespace CloudPatterns.Core.Stacks;

/// <summary>The tags CloudPatterns puts on every stack it deploys: how it later finds and audits them.</summary>
public static class PatternTags
{
    public const string Pattern = "cloudpatterns:pattern";
    public const string TemplateVersion = "cloudpatterns:template-version";
    public const string Commit = "cloudpatterns:commit";
    public const string Manifest = "cloudpatterns:manifest";
    /// <summary>Who ran the deployment (the caller's ARN): GitOps history says by whom.</summary>
    public const string DeployedBy = "cloudpatterns:deployed-by";
    /// <summary>On a stack set and so on every instance's stack (StackSets copies the set's tags): the stack set it belongs to.</summary>
    public const string StackSet = "cloudpatterns:stack-set";
}
