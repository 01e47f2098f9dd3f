using System.Text.Json.Nodes;

namespace CloudPatterns.LocalCloud.Services.Organizations;

/// <summary>
/// The effective policy of a management policy type (backup policies): the policies attached from the root down to
/// the account, merged level by level with the inheritance operators. The rules, with their sources, are in
/// docs/localcloud-backup-policies.md: @@assign replaces, @@append adds to and @@remove takes from a list; a
/// setting's @@operators_allowed_for_child_policies limits what lower levels may do (the intersection when several
/// policies at one level set it), and a lower level's disallowed operator is ignored; at one level the policy
/// attached first wins an @@assign; keys are case-insensitive and shown in lower case.
/// </summary>
internal static class ManagementPolicyMerge
{
    public const string Assign = "@@assign";
    public const string Append = "@@append";
    public const string Remove = "@@remove";
    public const string OperatorsAllowed = "@@operators_allowed_for_child_policies";

    private static readonly string[] ValueOperators = [Assign, Append, Remove];

    /// <summary>Whether an object of a policy is a setting (carries a value operator) rather than a container.</summary>
    public static bool IsSetting(JsonObject node) => ValueOperators.Any(node.ContainsKey);

    /// <summary>The merged document, or null when no level contributes anything.</summary>
    /// <param name="levels">Per level from the root down to the account, the contents attached there in attachment order.</param>
    public static JsonObject? Effective(IEnumerable<IReadOnlyList<string>> levels)
    {
        var effective = new JsonObject();
        var allowed = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var level in levels)
        {
            var merge = new LevelMerge(allowed);
            foreach (var content in level)
            {
                merge.Apply(effective, JsonNode.Parse(content)!.AsObject(), "");
            }

            merge.Restrict();
        }

        Prune(effective);
        return effective.Count == 0 ? null : effective;
    }

    /// <summary>Removes containers left empty (a @@remove that took every value leaves an empty list, which stays).</summary>
    private static void Prune(JsonObject node)
    {
        foreach (var (key, child) in node.ToList())
        {
            if (child is JsonObject container)
            {
                Prune(container);
                if (container.Count == 0)
                {
                    node.Remove(key);
                }
            }
        }
    }

    /// <summary>One level's policies merged into the effective document.</summary>
    private sealed class LevelMerge(Dictionary<string, HashSet<string>> allowed)
    {
        private readonly HashSet<string> assignedHere = new(StringComparer.Ordinal);
        private readonly Dictionary<string, HashSet<string>> restrictedHere = new(StringComparer.Ordinal);

        public void Apply(JsonObject target, JsonObject source, string path)
        {
            foreach (var (name, value) in source)
            {
                if (name == OperatorsAllowed)
                {
                    Limit(path, value);
                    continue;
                }

                var key = name.ToLowerInvariant();
                var childPath = path + "/" + key;
                if (value is not JsonObject child)
                {
                    continue;
                }

                if (child.Count > 0 && child.All(member => member.Key == OperatorsAllowed))
                {
                    // Only a limit: it leaves the inherited value as it is.
                    Limit(childPath, child[OperatorsAllowed]);
                }
                else if (IsSetting(child))
                {
                    if (child[OperatorsAllowed] is { } limit)
                    {
                        Limit(childPath, limit);
                    }

                    Set(target, key, child, childPath);
                }
                else
                {
                    if (target[key] is not JsonObject container)
                    {
                        container = [];
                        target[key] = container;
                    }

                    Apply(container, child, childPath);
                }
            }
        }

        /// <summary>After the level: its limits apply to every level below it.</summary>
        public void Restrict()
        {
            foreach (var (path, operators) in restrictedHere)
            {
                allowed[path] = allowed.TryGetValue(path, out var earlier) ? [.. earlier.Intersect(operators)] : operators;
            }
        }

        private void Limit(string path, JsonNode? operators)
        {
            var names = (operators as JsonArray ?? []).Select(item => item?.GetValue<string>() ?? "").ToHashSet(StringComparer.Ordinal);
            HashSet<string> set = names.Contains("@@all") ? [.. ValueOperators] : [.. names.Intersect(ValueOperators)];
            restrictedHere[path] = restrictedHere.TryGetValue(path, out var other) ? [.. other.Intersect(set)] : set;
        }

        private bool Allows(string path, string operation)
        {
            foreach (var (limited, operators) in allowed)
            {
                if ((path == limited || path.StartsWith(limited + "/", StringComparison.Ordinal)) && !operators.Contains(operation))
                {
                    return false;
                }
            }

            return true;
        }

        private void Set(JsonObject target, string key, JsonObject setting, string path)
        {
            if (setting[Assign] is { } assigned && Allows(path, Assign) && assignedHere.Add(path))
            {
                target[key] = assigned.DeepClone();
            }

            if (setting[Append] is JsonArray appended && Allows(path, Append))
            {
                if (target[key] is not JsonArray list)
                {
                    list = [];
                    target[key] = list;
                }

                foreach (var item in appended.Where(item => !list.Any(existing => JsonNode.DeepEquals(existing, item))).ToList())
                {
                    list.Add(item?.DeepClone());
                }
            }

            if (setting[Remove] is JsonArray removed && Allows(path, Remove) && target[key] is JsonArray current)
            {
                foreach (var item in current.Where(existing => removed.Any(gone => JsonNode.DeepEquals(existing, gone))).ToList())
                {
                    current.Remove(item);
                }
            }
        }
    }
}
