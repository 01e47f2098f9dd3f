using System;
using System.Collections.Generic;
using System.Linq;

namespace CloudPatterns.Core.GitOps;

/// <summary>Immutable layers (network, base) are applied before mutable ones (app config, scaling).</summary>
public enum StackLayer
{
    Immutable,
    Mutable,
}

/// <summary>
/// The desired state a GitOps manifest (cloudpatterns.yaml) declares: stacks, each with its template, parameters,
/// targets and regions. Read with <see cref="ManifestReader"/>; schema in docs/gitops.md.
/// </summary>
public sealed class StackManifest
{
    internal StackManifest(string path, string? id, IReadOnlyList<string> regions, IReadOnlyDictionary<string, string> tags, IReadOnlyList<ManifestStack> stacks)
    {
        Path = path;
        Id = id;
        Regions = regions;
        Tags = tags;
        Stacks = stacks;
    }

    /// <summary>The manifest file as read (full path).</summary>
    public string Path { get; }

    /// <summary>
    /// The manifest's id (32 hex digits) the first sync writes into it; with the repository's remote it names the
    /// owner of every stack the manifest deploys. Null until then.
    /// </summary>
    public string? Id { get; }

    /// <summary>Regions of stacks that name none.</summary>
    public IReadOnlyList<string> Regions { get; }

    /// <summary>Tags every stack gets (already merged into each stack's <see cref="ManifestStack.Tags"/>).</summary>
    public IReadOnlyDictionary<string, string> Tags { get; }

    /// <summary>In deployment order: immutable layers first, each stack after the stacks it depends on, otherwise as written.</summary>
    public IReadOnlyList<ManifestStack> Stacks { get; }

    /// <summary>What the GitOps reconciler may do on its own (the reconcile: key; report only by default).</summary>
    public ReconcilePolicy Reconcile { get; internal set; } = ReconcilePolicy.Default;
}

/// <summary>One stack of the manifest.</summary>
public sealed class ManifestStack
{
    internal ManifestStack(string name, string templateReference, string templateBody, StackLayer layer, IReadOnlyList<string> dependsOn, IReadOnlyList<string> regions,
        IReadOnlyList<ManifestTargetEntry> targets, IReadOnlyDictionary<string, string> parameters, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> environments,
        IReadOnlyDictionary<string, string> tags, IReadOnlyList<string> capabilities, string? serviceRoleName, int line, string key)
    {
        Key = key;
        Name = name;
        TemplateReference = templateReference;
        TemplateBody = templateBody;
        Layer = layer;
        DependsOn = dependsOn;
        Regions = regions;
        Targets = targets;
        Parameters = parameters;
        Environments = environments;
        Tags = tags;
        Capabilities = capabilities;
        ServiceRoleName = serviceRoleName;
        Line = line;
    }

    public string Name { get; }

    /// <summary>As written: a path relative to the manifest, or pattern:&lt;name&gt; for a bundled template.</summary>
    public string TemplateReference { get; }

    public string TemplateBody { get; }

    public StackLayer Layer { get; }

    public IReadOnlyList<string> DependsOn { get; }

    /// <summary>The stack's regions (the manifest's when the stack names none).</summary>
    public IReadOnlyList<string> Regions { get; }

    public IReadOnlyList<ManifestTargetEntry> Targets { get; }

    /// <summary>Parameter values for every environment.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>Per environment, the parameter values that replace <see cref="Parameters"/>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Environments { get; }

    /// <summary>The manifest's tags with the stack's own over them.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; }

    public IReadOnlyList<string> Capabilities { get; }

    /// <summary>
    /// The CloudFormation service role (name, or path/name) in each target account: CloudFormation acts as it for the
    /// stack's resources, so the syncing role needs only iam:PassRole on it (docs/least-privilege.md). Null: the caller's permissions.
    /// </summary>
    public string? ServiceRoleName { get; }

    /// <summary>The line of the stack's entry in the manifest.</summary>
    public int Line { get; }

    /// <summary>Direct (one stack per target, deployed by the sync) or StackSet (one service-managed stack set; AWS deploys the instances).</summary>
    public ManifestDeployment Deployment => StackSet is null ? ManifestDeployment.Direct : ManifestDeployment.StackSet;

    /// <summary>For <c>deployment: stackset</c>: auto-deployment and operation preferences; null for a direct stack.</summary>
    public ManifestStackSetOptions? StackSet { get; internal set; }

    /// <summary>Where the stack is in the manifest (stacks[2]), for error messages.</summary>
    internal string Key { get; }

    /// <summary>The parameter values for a target of <paramref name="environment"/> (null: the base values).</summary>
    public IReadOnlyDictionary<string, string> ParametersFor(string? environment)
    {
        var values = new Dictionary<string, string>(Parameters.ToDictionary(p => p.Key, p => p.Value), StringComparer.Ordinal);
        if (environment is not null && Environments.TryGetValue(environment, out var overrides))
        {
            foreach (var pair in overrides)
            {
                values[pair.Key] = pair.Value;
            }
        }

        return values;
    }
}

/// <summary>How a stack of the manifest reaches its targets.</summary>
public enum ManifestDeployment
{
    /// <summary>The sync deploys one stack in each account × region, through each account's role.</summary>
    Direct,

    /// <summary>One service-managed CloudFormation stack set in the caller's account; AWS deploys its instances (docs/gitops.md, Stack sets).</summary>
    StackSet,
}

/// <summary>What <c>deployment: stackset</c> adds to a stack: auto-deployment and the operation preferences.</summary>
public sealed class ManifestStackSetOptions
{
    /// <summary>Accounts that join a targeted OU get the instances; ones that leave lose them (needs OU targets).</summary>
    public bool AutoDeployment { get; internal set; }

    /// <summary>With auto-deployment: an account that leaves keeps its stacks (unmanaged) instead of losing them.</summary>
    public bool RetainStacksOnAccountRemoval { get; internal set; }

    /// <summary>SEQUENTIAL or PARALLEL; null: AWS's default (SEQUENTIAL).</summary>
    public string? RegionConcurrencyType { get; internal set; }

    public int? MaxConcurrentCount { get; internal set; }

    public int? MaxConcurrentPercentage { get; internal set; }

    public int? FailureToleranceCount { get; internal set; }

    public int? FailureTolerancePercentage { get; internal set; }

    /// <summary>STRICT_FAILURE_TOLERANCE or SOFT_FAILURE_TOLERANCE; null: AWS's default (STRICT).</summary>
    public string? ConcurrencyMode { get; internal set; }
}

/// <summary>How a target is named in the manifest.</summary>
public enum ManifestTargetKind
{
    /// <summary>A 12-digit account id or an account's name.</summary>
    Account,

    /// <summary>An OU id (ou-...) or the root id (r-...): every active account in it and below it.</summary>
    OrganizationalUnit,
}

/// <summary>One entry of a stack's targets list.</summary>
public sealed class ManifestTargetEntry
{
    internal ManifestTargetEntry(ManifestTargetKind kind, string value, string? environment, int line)
    {
        Kind = kind;
        Value = value;
        Environment = environment;
        Line = line;
    }

    public ManifestTargetKind Kind { get; }

    public string Value { get; }

    public string? Environment { get; }

    public int Line { get; }
}

/// <summary>One problem of a manifest: where (line, column when known, key) and what.</summary>
public sealed class ManifestProblem
{
    public ManifestProblem(int line, string key, string problem, int column = 0)
    {
        Line = line;
        Column = column;
        Key = key;
        Problem = problem;
    }

    public int Line { get; }

    /// <summary>0 when only the line is known.</summary>
    public int Column { get; }

    /// <summary>Where in the document, e.g. stacks[1].layer.</summary>
    public string Key { get; }

    public string Problem { get; }

    internal string Describe(string file) => $"{file}:{Line}{(Column > 0 ? $":{Column}" : string.Empty)}: {Key}: {Problem}";
}

/// <summary>A manifest that cannot be used, with where: file, line and key of each problem (one per line of the message).</summary>
public sealed class ManifestException : Exception
{
    public ManifestException(string file, int line, string key, string problem)
        : this(file, new[] { new ManifestProblem(line, key, problem) })
    {
    }

    public ManifestException(string file, IReadOnlyList<ManifestProblem> problems)
        : base(string.Join(Environment.NewLine, problems.Select(p => p.Describe(file))))
    {
        File = file;
        Problems = problems;
    }

    public string File { get; }

    public IReadOnlyList<ManifestProblem> Problems { get; }

    /// <summary>The first problem's line.</summary>
    public int Line => Problems[0].Line;

    /// <summary>The first problem's key, e.g. stacks[1].layer.</summary>
    public string Key => Problems[0].Key;

    public string Problem => Problems[0].Problem;
}

/// <summary>A path a manifest names may not be used (outside the repository, not tracked ...); the message says why.</summary>
public sealed class TemplatePathException : Exception
{
    public TemplatePathException(string message)
        : base(message)
    {
    }
}
