using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using YamlDotNet.RepresentationModel;

namespace CloudPatterns.Core.GitOps;

/// <summary>The keys of <c>deployment: stackset</c> (docs/gitops.md, Stack sets).</summary>
public static partial class ManifestReader
{
    private static readonly string[] AutoDeploymentKeys = { "enabled", "retainStacksOnAccountRemoval" };
    private static readonly string[] PreferenceKeys =
        { "regionConcurrencyType", "maxConcurrentCount", "maxConcurrentPercentage", "failureToleranceCount", "failureTolerancePercentage", "concurrencyMode" };

    /// <summary>A stack set is deployed by AWS on its own schedule: no dependsOn either way between it and other stacks.</summary>
    private static void CheckStackSetDependencies(IReadOnlyList<ManifestStack> stacks, string file)
    {
        var stackSets = new HashSet<string>(stacks.Where(s => s.StackSet is not null).Select(s => s.Name), StringComparer.Ordinal);
        foreach (var stack in stacks)
        {
            if (stack.DependsOn.FirstOrDefault(stackSets.Contains) is { } dependency)
            {
                throw new ManifestException(file, stack.Line, $"{stack.Key}.dependsOn",
                    $"'{dependency}' is deployed as a stack set (deployment: stackset), which AWS deploys on its own: a stack cannot depend on it.");
            }
        }
    }

    private sealed partial class Reader
    {
        /// <summary>deployment, autoDeployment and operationPreferences; null for a direct stack.</summary>
        public ManifestStackSetOptions? StackSetOptions(YamlMappingNode map, string path, ManifestStack stack)
        {
            var deployment = Scalar(map, path, "deployment", required: false);
            var isStackSet = deployment?.Value switch
            {
                null or "direct" => false,
                "stackset" => true,
                _ => throw Error(deployment, Join(path, "deployment"), $"'{deployment.Value}' is not a deployment: give direct (the default) or stackset."),
            };
            if (!isStackSet)
            {
                foreach (var key in new[] { "autoDeployment", "operationPreferences" }.Where(key => Child(map, key) is not null))
                {
                    throw Error(Child(map, key)!, Join(path, key), "only a stack with deployment: stackset takes this key.");
                }

                return null;
            }

            RefuseForStackSet(map, path, "serviceRole", "a service-managed stack set deploys with AWS's own StackSets roles in each account, not a service role");
            RefuseForStackSet(map, path, "environments", "a stack set has one set of parameters for every account");
            RefuseForStackSet(map, path, "dependsOn", "AWS deploys a stack set's instances on its own, so the sync cannot order them after other stacks");
            if (stack.Targets.FirstOrDefault(t => t.Environment is not null) is { } withEnvironment)
            {
                throw new ManifestException(file, withEnvironment.Line, $"{path}.targets[{stack.Targets.ToList().IndexOf(withEnvironment)}].environment",
                    "a stack set has one set of parameters for every account: remove environment, or use deployment: direct.");
            }

            var hasUnits = stack.Targets.Any(t => t.Kind == ManifestTargetKind.OrganizationalUnit);
            var options = new ManifestStackSetOptions { AutoDeployment = hasUnits };
            if (Child(map, "autoDeployment") is { } autoNode)
            {
                var autoPath = Join(path, "autoDeployment");
                var auto = autoNode as YamlMappingNode ?? throw Error(autoNode, autoPath, "give a mapping: enabled: true|false, retainStacksOnAccountRemoval: true|false.");
                OnlyKeys(auto, autoPath, AutoDeploymentKeys);
                options.AutoDeployment = Boolean(auto, autoPath, "enabled") ?? hasUnits;
                options.RetainStacksOnAccountRemoval = Boolean(auto, autoPath, "retainStacksOnAccountRemoval") ?? false;
                if (options.AutoDeployment && !hasUnits)
                {
                    throw Error(autoNode, Join(autoPath, "enabled"), "auto-deployment follows accounts into and out of OUs: give an organizationalUnit target, or enabled: false.");
                }
            }

            if (Child(map, "operationPreferences") is { } preferencesNode)
            {
                Preferences(preferencesNode, Join(path, "operationPreferences"), options);
            }

            return options;
        }

        private void RefuseForStackSet(YamlMappingNode map, string path, string key, string why)
        {
            if (Child(map, key) is { } node)
            {
                throw Error(node, Join(path, key), $"not with deployment: stackset: {why}.");
            }
        }

        private void Preferences(YamlNode node, string path, ManifestStackSetOptions options)
        {
            var map = node as YamlMappingNode ?? throw Error(node, path, $"give a mapping with any of {string.Join(", ", PreferenceKeys)}.");
            OnlyKeys(map, path, PreferenceKeys);
            options.RegionConcurrencyType = OneOf(map, path, "regionConcurrencyType", "SEQUENTIAL", "PARALLEL");
            options.ConcurrencyMode = OneOf(map, path, "concurrencyMode", "STRICT_FAILURE_TOLERANCE", "SOFT_FAILURE_TOLERANCE");
            options.MaxConcurrentCount = Number(map, path, "maxConcurrentCount", 1, int.MaxValue);
            options.MaxConcurrentPercentage = Number(map, path, "maxConcurrentPercentage", 1, 100);
            options.FailureToleranceCount = Number(map, path, "failureToleranceCount", 0, int.MaxValue);
            options.FailureTolerancePercentage = Number(map, path, "failureTolerancePercentage", 0, 100);
            // AWS takes a count or a percentage, never both (API_StackSetOperationPreferences).
            foreach (var (count, percentage) in new[] { ("maxConcurrentCount", "maxConcurrentPercentage"), ("failureToleranceCount", "failureTolerancePercentage") })
            {
                if (Child(map, count) is not null && Child(map, percentage) is { } both)
                {
                    throw Error(both, Join(path, percentage), $"give {count} or {percentage}, not both.");
                }
            }
        }

        private string? OneOf(YamlMappingNode map, string path, string key, params string[] allowed)
        {
            var value = Scalar(map, path, key, required: false);
            return value is null || allowed.Contains(value.Value, StringComparer.Ordinal)
                ? value?.Value
                : throw Error(value, Join(path, key), $"'{value.Value}' is not allowed: give {string.Join(" or ", allowed)}.");
        }

        private int? Number(YamlMappingNode map, string path, string key, int minimum, int maximum)
        {
            var value = Scalar(map, path, key, required: false);
            if (value is null)
            {
                return null;
            }

            return int.TryParse(value.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= minimum && number <= maximum
                ? number
                : throw Error(value, Join(path, key), $"'{value.Value}' is not a whole number from {minimum}{(maximum == int.MaxValue ? " up" : $" to {maximum}")}.");
        }

        private bool? Boolean(YamlMappingNode map, string path, string key)
        {
            var value = Scalar(map, path, key, required: false);
            return value?.Value switch
            {
                null => null,
                "true" => true,
                "false" => false,
                _ => throw Error(value, Join(path, key), $"'{value.Value}' is not true or false."),
            };
        }
    }
}
