using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using CloudPatterns.Aws;

namespace CloudPatterns.Core.GitOps;

/// <summary>
/// Reads and checks a GitOps manifest. Every problem is a <see cref="ManifestException"/> naming the file, the line
/// and the key, found before anything calls AWS: a manifest either is whole or changes nothing.
/// </summary>
public static partial class ManifestReader
{
    public const string BundledTemplatePrefix = "pattern:";

    private static readonly string[] TopKeys = { "version", "id", "regions", "tags", "reconcile", "stacks" };
    private static readonly string[] ReconcileKeys = { "drift", "prune" };
    private static readonly Regex IdPattern = new("^[0-9a-f]{32}$");
    private static readonly string[] StackKeys = { "name", "template", "layer", "dependsOn", "regions", "targets", "parameters", "environments", "tags", "capabilities", "serviceRole", "deployment", "autoDeployment", "operationPreferences" };
    private static readonly string[] TargetKeys = { "account", "organizationalUnit", "environment" };
    private static readonly string[] EnvironmentKeys = { "parameters" };

    /// <summary>
    /// Reads the manifest at <paramref name="path"/>; <paramref name="readTemplate"/> reads a template it names (see
    /// <see cref="Parse"/>), e.g. <see cref="RepositoryFiles.ReadTemplate"/>, which keeps them inside the repository.
    /// </summary>
    public static StackManifest Load(string path, Func<string, string?> readTemplate)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"The manifest {fullPath} does not exist.", fullPath);
        }

        return Parse(File.ReadAllText(fullPath), fullPath, readTemplate);
    }

    /// <summary>
    /// Parses manifest text. <paramref name="readTemplate"/> returns a relative template's body, null when there is no
    /// such file, or throws <see cref="TemplatePathException"/> when the path may not be used; every refused path is
    /// reported in one <see cref="ManifestException"/>, with the other problems found.
    /// </summary>
    public static StackManifest Parse(string text, string file, Func<string, string?> readTemplate)
    {
        var document = new Reader(file);
        StackManifest manifest;
        try
        {
            manifest = Parse(document, text, file, readTemplate);
        }
        catch (ManifestException ex)
        {
            document.ThrowIfProblems(ex);
            throw;
        }

        document.ThrowIfProblems(null);
        return manifest;
    }

    private static StackManifest Parse(Reader document, string text, string file, Func<string, string?> readTemplate)
    {
        var root = document.Root(text);
        document.OnlyKeys(root, "", TopKeys);
        var version = document.Scalar(root, "", "version", required: true)!;
        if (version.Value != "1")
        {
            throw document.Error(version, "version", $"version '{version.Value}' is not supported: give 1.");
        }

        var id = document.Scalar(root, "", "id", required: false);
        if (id is not null && !IdPattern.IsMatch(id.Value!))
        {
            throw document.Error(id, "id", $"'{id.Value}' is not a manifest id (32 lowercase hex digits, written by the first sync): remove the key and sync to get one.");
        }

        var regions = document.Regions(root, "", "regions") ?? Array.Empty<string>();
        var tags = document.StringMap(root, "", "tags");
        var stacksNode = document.Child(root, "stacks") as YamlSequenceNode
            ?? throw document.Error(document.Child(root, "stacks") ?? root, "stacks", "give a list of stacks (each with name, template and targets).");
        if (stacksNode.Children.Count == 0)
        {
            throw document.Error(stacksNode, "stacks", "the list is empty: declare at least one stack.");
        }

        var stacks = new List<ManifestStack>();
        for (int index = 0; index < stacksNode.Children.Count; index++)
        {
            stacks.Add(document.Stack(stacksNode.Children[index], $"stacks[{index}]", regions, tags, readTemplate));
        }

        CheckStackSetDependencies(stacks, file);
        var duplicate = stacks.GroupBy(s => s.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            var second = duplicate.ElementAt(1);
            throw new ManifestException(file, second.Line, $"stacks[{stacks.IndexOf(second)}].name", $"stack '{second.Name}' is declared twice (also on line {duplicate.First().Line}).");
        }

        return new StackManifest(file, id?.Value, regions, tags, Order(stacks, file)) { Reconcile = document.Reconcile(root) };
    }

    /// <summary>
    /// Deployment order: a topological order of dependsOn in which immutable layers come first and, among stacks
    /// free to go next, the one written first goes first. Unknown dependencies, cycles and an immutable stack that
    /// depends on a mutable one are refused.
    /// </summary>
    internal static IReadOnlyList<ManifestStack> Order(IReadOnlyList<ManifestStack> stacks, string file)
    {
        var byName = stacks.ToDictionary(s => s.Name, StringComparer.Ordinal);
        for (int index = 0; index < stacks.Count; index++)
        {
            var stack = stacks[index];
            foreach (var dependency in stack.DependsOn)
            {
                if (!byName.TryGetValue(dependency, out var target))
                {
                    throw new ManifestException(file, stack.Line, $"stacks[{index}].dependsOn", $"'{dependency}' is not a stack of this manifest.");
                }

                if (stack.Layer == StackLayer.Immutable && target.Layer == StackLayer.Mutable)
                {
                    throw new ManifestException(file, stack.Line, $"stacks[{index}].dependsOn",
                        $"immutable stack '{stack.Name}' depends on mutable stack '{dependency}': immutable layers are applied first, so they cannot depend on mutable ones.");
                }
            }
        }

        var remaining = stacks.ToList();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        var ordered = new List<ManifestStack>();
        while (remaining.Count > 0)
        {
            var next = remaining
                .Where(s => s.DependsOn.All(placed.Contains))
                .OrderBy(s => s.Layer)
                .FirstOrDefault();
            if (next is null)
            {
                var stuck = remaining[0];
                throw new ManifestException(file, stuck.Line, $"stacks[{IndexOf(stacks, stuck)}].dependsOn",
                    $"dependency cycle among {string.Join(", ", remaining.Select(s => s.Name))}.");
            }

            ordered.Add(next);
            placed.Add(next.Name);
            remaining.Remove(next);
        }

        return ordered;
    }

    private static int IndexOf(IReadOnlyList<ManifestStack> stacks, ManifestStack stack)
    {
        for (int index = 0; index < stacks.Count; index++)
        {
            if (ReferenceEquals(stacks[index], stack))
            {
                return index;
            }
        }

        return -1;
    }

    /// <summary>The template bodies bundled with the module, by name (pattern:&lt;name&gt;).</summary>
    internal static string? BundledTemplate(string name)
    {
        using var stream = typeof(ManifestReader).Assembly.GetManifestResourceStream($"CloudPatterns.Core.Templates.{name}.yaml");
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static IEnumerable<string> BundledTemplateNames() =>
        typeof(ManifestReader).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("CloudPatterns.Core.Templates.", StringComparison.Ordinal) && n.EndsWith(".yaml", StringComparison.Ordinal))
            .Select(n => n.Substring("CloudPatterns.Core.Templates.".Length, n.Length - "CloudPatterns.Core.Templates.".Length - ".yaml".Length));

    /// <summary>The document being read: turns YAML nodes into values and problems into located errors.</summary>
    private sealed partial class Reader
    {
        private readonly string file;
        private readonly List<ManifestProblem> problems = new();

        public Reader(string file) => this.file = file;

        /// <summary>Throws the template paths refused so far, with <paramref name="other"/> (the problem that stopped the reading), as one error.</summary>
        public void ThrowIfProblems(ManifestException? other)
        {
            if (problems.Count > 0)
            {
                throw new ManifestException(file, other is null ? problems : problems.Concat(other.Problems).OrderBy(p => p.Line).ToList());
            }
        }

        public YamlMappingNode Root(string text)
        {
            var stream = new YamlStream();
            var parser = new Parser(new StringReader(text));
            try
            {
                stream.Load(parser);
            }
            catch (Exception ex) when (ex is YamlException || ex is InvalidOperationException || ex is ArgumentException)
            {
                // The deepest YamlException says what is wrong and where; anything else the parser threw (a bare
                // InvalidOperationException says nothing) is placed where the parser had got to.
                var yaml = Chain(ex).OfType<YamlException>().LastOrDefault();
                var position = yaml is not null && yaml.Start.Line > 0 ? yaml.Start : parser.Current?.Start ?? Mark.Empty;
                var what = yaml is not null ? Describe(yaml) : $"the YAML parser stopped here ({ex.Message})";
                if (yaml is not null && yaml.End.Line > yaml.Start.Line)
                {
                    what += $" (found at line {yaml.End.Line}, column {yaml.End.Column})";
                }

                throw new ManifestException(file, new[] { new ManifestProblem((int)position.Line, "(document)", $"not valid YAML: {what}", (int)position.Column) });
            }

            if (stream.Documents.Count > 1)
            {
                throw new ManifestException(file, (int)stream.Documents[1].RootNode.Start.Line, "(document)", "the file holds more than one YAML document (---): a manifest is one document.");
            }

            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            {
                throw new ManifestException(file, 1, "(document)", "the manifest must be a mapping with version and stacks.");
            }

            return root;
        }

        public ManifestException Error(YamlNode node, string key, string problem) => new(file, (int)node.Start.Line, key, problem);

        /// <summary>The reconcile: key (docs/gitops-reconciler.md): drift heal|report, prune true|false.</summary>
        public ReconcilePolicy Reconcile(YamlMappingNode root)
        {
            if (Child(root, "reconcile") is not { } node)
            {
                return ReconcilePolicy.Default;
            }

            if (node is not YamlMappingNode map)
            {
                throw Error(node, "reconcile", "give a mapping with drift (heal or report) and prune (true or false).");
            }

            OnlyKeys(map, "reconcile", ReconcileKeys);
            var drift = Scalar(map, "reconcile", "drift", required: false);
            var prune = Scalar(map, "reconcile", "prune", required: false);
            if (drift is not null && drift.Value is not (ReconcilePolicy.Heal or ReconcilePolicy.Report))
            {
                throw Error(drift, "reconcile.drift", $"'{drift.Value}' is not a drift policy: give heal or report.");
            }

            if (prune is not null && prune.Value is not ("true" or "false"))
            {
                throw Error(prune, "reconcile.prune", $"'{prune.Value}' is not a boolean: give true or false.");
            }

            return new ReconcilePolicy(drift?.Value == ReconcilePolicy.Heal, prune?.Value == "true");
        }

        public YamlNode? Child(YamlMappingNode map, string key) =>
            map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

        public void OnlyKeys(YamlMappingNode map, string path, string[] known)
        {
            foreach (var entry in map.Children)
            {
                var name = (entry.Key as YamlScalarNode)?.Value ?? string.Empty;
                if (!known.Contains(name, StringComparer.Ordinal))
                {
                    throw Error(entry.Key, Join(path, name), $"unknown key '{name}'; known keys here: {string.Join(", ", known)}.");
                }
            }
        }

        public YamlScalarNode? Scalar(YamlMappingNode map, string path, string key, bool required)
        {
            var node = Child(map, key);
            if (node is null)
            {
                return required ? throw Error(map, Join(path, key), "is required.") : null;
            }

            if (node is not YamlScalarNode scalar || string.IsNullOrEmpty(scalar.Value))
            {
                throw Error(node, Join(path, key), "give a single value.");
            }

            return scalar;
        }

        public IReadOnlyList<YamlScalarNode> ScalarList(YamlMappingNode map, string path, string key)
        {
            var node = Child(map, key);
            if (node is null)
            {
                return Array.Empty<YamlScalarNode>();
            }

            if (node is not YamlSequenceNode list || list.Children.Any(c => c is not YamlScalarNode))
            {
                throw Error(node, Join(path, key), "give a list of values, e.g. [a, b].");
            }

            return list.Children.Cast<YamlScalarNode>().ToList();
        }

        public IReadOnlyList<string>? Regions(YamlMappingNode map, string path, string key)
        {
            if (Child(map, key) is null)
            {
                return null;
            }

            var regions = ScalarList(map, path, key);
            foreach (var region in regions)
            {
                if (!AwsIdentifiers.IsRegion(region.Value))
                {
                    throw Error(region, Join(path, key), $"'{region.Value}' is not a region such as us-east-2.");
                }
            }

            return regions.Select(r => r.Value!).Distinct(StringComparer.Ordinal).ToList();
        }

        public IReadOnlyDictionary<string, string> StringMap(YamlMappingNode map, string path, string key)
        {
            var node = Child(map, key);
            if (node is null)
            {
                return new Dictionary<string, string>(StringComparer.Ordinal);
            }

            if (node is not YamlMappingNode values)
            {
                throw Error(node, Join(path, key), "give a mapping of names to values.");
            }

            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in values.Children)
            {
                var name = KeyName(entry.Key, Join(path, key));
                result[name] = entry.Value switch
                {
                    YamlScalarNode scalar => scalar.Value ?? string.Empty,
                    // CloudFormation takes list parameters (CommaDelimitedList, List<...>) comma-joined.
                    YamlSequenceNode list when list.Children.All(c => c is YamlScalarNode) => string.Join(",", list.Children.Cast<YamlScalarNode>().Select(c => c.Value)),
                    _ => throw Error(entry.Value, Join(Join(path, key), name), "give a single value or a list of values."),
                };
            }

            return result;
        }

        public ManifestStack Stack(YamlNode node, string path, IReadOnlyList<string> defaultRegions, IReadOnlyDictionary<string, string> manifestTags, Func<string, string?> readTemplate)
        {
            if (node is not YamlMappingNode map)
            {
                throw Error(node, path, "a stack is a mapping with name, template and targets.");
            }

            OnlyKeys(map, path, StackKeys);
            var name = Scalar(map, path, "name", required: true)!;
            if (!AwsIdentifiers.IsStackName(name.Value))
            {
                throw Error(name, Join(path, "name"), $"'{name.Value}' is not a stack name: start with a letter, then letters, digits and hyphens (128 at most).");
            }

            var template = Scalar(map, path, "template", required: true)!;
            var body = TemplateBody(template, Join(path, "template"), readTemplate);
            var layer = StackLayer.Mutable;
            if (Scalar(map, path, "layer", required: false) is { } layerNode)
            {
                layer = layerNode.Value switch
                {
                    "immutable" => StackLayer.Immutable,
                    "mutable" => StackLayer.Mutable,
                    _ => throw Error(layerNode, Join(path, "layer"), $"'{layerNode.Value}' is not a layer: give immutable or mutable."),
                };
            }

            var regions = Regions(map, path, "regions") ?? defaultRegions;
            if (regions.Count == 0)
            {
                throw Error(map, Join(path, "regions"), "no regions: give the stack regions, or the manifest regions for every stack.");
            }

            var targetsNode = Child(map, "targets") as YamlSequenceNode;
            if (targetsNode is null || targetsNode.Children.Count == 0)
            {
                throw Error(Child(map, "targets") ?? map, Join(path, "targets"), "give a list of targets, each an account (id or name) or an organizationalUnit (ou-... or r-...).");
            }

            var targets = targetsNode.Children.Select((t, i) => Target(t, $"{path}.targets[{i}]")).ToList();
            var environments = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
            if (Child(map, "environments") is { } environmentsNode)
            {
                if (environmentsNode is not YamlMappingNode environmentMap)
                {
                    throw Error(environmentsNode, Join(path, "environments"), "give a mapping of environment names to their parameters.");
                }

                foreach (var entry in environmentMap.Children)
                {
                    var environment = KeyName(entry.Key, Join(path, "environments"));
                    var environmentPath = Join(Join(path, "environments"), environment);
                    if (entry.Value is not YamlMappingNode overrides)
                    {
                        throw Error(entry.Value, environmentPath, "give parameters: for this environment.");
                    }

                    OnlyKeys(overrides, environmentPath, EnvironmentKeys);
                    environments[environment] = StringMap(overrides, environmentPath, "parameters");
                }
            }

            foreach (var target in targets.Where(t => t.Environment is not null && !environments.ContainsKey(t.Environment)))
            {
                throw new ManifestException(file, target.Line, $"{path}.targets[{targets.IndexOf(target)}].environment",
                    $"environment '{target.Environment}' is not declared under {path}.environments.");
            }

            var stack = new ManifestStack(
                name.Value!,
                template.Value!,
                body,
                layer,
                ScalarList(map, path, "dependsOn").Select(d => d.Value!).ToList(),
                regions,
                targets,
                StringMap(map, path, "parameters"),
                environments,
                manifestTags.Concat(StringMap(map, path, "tags")).GroupBy(t => t.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal),
                ScalarList(map, path, "capabilities").Select(c => c.Value!).ToList(),
                ServiceRole(map, path),
                (int)map.Start.Line,
                path);
            stack.StackSet = StackSetOptions(map, path, stack);
            return stack;
        }

        /// <summary>serviceRole: the CloudFormation service role (name or path/name) in each target account, passed as RoleARN.</summary>
        private string? ServiceRole(YamlMappingNode map, string path)
        {
            var role = Scalar(map, path, "serviceRole", required: false);
            if (role?.Value is { } name && AwsIdentifiers.Problem(AwsIdentifierKind.RoleName, name, $"{path}.serviceRole") is { } problem)
            {
                throw Error(role, $"{path}.serviceRole", problem);
            }

            return role?.Value;
        }

        private ManifestTargetEntry Target(YamlNode node, string path)
        {
            if (node is not YamlMappingNode map)
            {
                throw Error(node, path, "a target is a mapping: account: <id or name> or organizationalUnit: <ou-... or r-...>, with an optional environment.");
            }

            OnlyKeys(map, path, TargetKeys);
            var account = Scalar(map, path, "account", required: false);
            var unit = Scalar(map, path, "organizationalUnit", required: false);
            if ((account is null) == (unit is null))
            {
                throw Error(map, path, "give exactly one of account and organizationalUnit.");
            }

            if (unit is not null && !AwsIdentifiers.IsOrganizationalUnitId(unit.Value))
            {
                throw Error(unit, Join(path, "organizationalUnit"), $"'{unit.Value}' is not an OU id (ou-xxxx-xxxxxxxx) or root id (r-xxxx).");
            }

            var environment = Scalar(map, path, "environment", required: false)?.Value;
            return account is not null
                ? new ManifestTargetEntry(ManifestTargetKind.Account, account.Value!, environment, (int)map.Start.Line)
                : new ManifestTargetEntry(ManifestTargetKind.OrganizationalUnit, unit!.Value!, environment, (int)map.Start.Line);
        }

        private string TemplateBody(YamlScalarNode reference, string path, Func<string, string?> readTemplate)
        {
            var value = reference.Value!;
            if (value.StartsWith(BundledTemplatePrefix, StringComparison.Ordinal))
            {
                var name = value.Substring(BundledTemplatePrefix.Length);
                return BundledTemplate(name)
                    ?? throw Error(reference, path, $"'{name}' is not a bundled template; bundled: {string.Join(", ", BundledTemplateNames())}.");
            }

            try
            {
                return readTemplate(value) ?? throw Error(reference, path, $"the template file '{value}' does not exist (paths are relative to the manifest's directory).");
            }
            catch (TemplatePathException refused)
            {
                // Collected: one error names every path that may not be used.
                problems.Add(new ManifestProblem((int)reference.Start.Line, path, refused.Message));
                return string.Empty;
            }
        }

        private string KeyName(YamlNode key, string path) =>
            (key as YamlScalarNode)?.Value ?? throw Error(key, path, "a key here is a name, not a list or a mapping.");

        private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

        private static IEnumerable<Exception> Chain(Exception ex)
        {
            for (var current = ex; current is not null; current = current.InnerException)
            {
                yield return current;
            }
        }

        /// <summary>What YamlDotNet says is wrong, without its own "(Line: .., Col: ..)" position (the error leads with it).</summary>
        private static string Describe(YamlException ex)
        {
            var message = Regex.Replace(ex.Message, @"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ", string.Empty).Trim();
            return message.Length == 0 ? ex.GetType().Name : message;
        }
    }
}
