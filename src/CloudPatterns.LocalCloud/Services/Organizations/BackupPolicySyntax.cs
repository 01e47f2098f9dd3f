using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CloudPatterns.LocalCloud.Services.Organizations;

/// <summary>
/// The grammar of an Organizations backup policy (BACKUP_POLICY), checked when a policy is created or updated, and the
/// effective plan read into the AWS Backup plan and selections it stands for. Keys and their Backup equivalents are
/// listed, with sources, in docs/localcloud-backup-policies.md.
/// </summary>
internal static class BackupPolicySyntax
{
    /// <summary>A backup policy's content limit (characters).</summary>
    public const int MaxContentLength = 10_000;

    private static readonly HashSet<string> PlanKeys = ["rules", "regions", "selections", "advanced_backup_settings", "backup_plan_tags"];

    private static readonly HashSet<string> RuleKeys =
    [
        "schedule_expression", "schedule_expression_timezone", "target_backup_vault_name", "start_backup_window_minutes",
        "complete_backup_window_minutes", "lifecycle", "copy_actions", "recovery_point_tags", "enable_continuous_backup",
    ];

    private static readonly HashSet<string> LifecycleKeys = ["delete_after_days", "move_to_cold_storage_after_days", "opt_in_to_archive_for_supported_resources"];

    private static readonly HashSet<string> NumberSettings =
        ["start_backup_window_minutes", "complete_backup_window_minutes", "delete_after_days", "move_to_cold_storage_after_days"];

    private static readonly HashSet<string> ChildControlValues =
        ["@@all", "@@none", ManagementPolicyMerge.Assign, ManagementPolicyMerge.Append, ManagementPolicyMerge.Remove];

    /// <summary>The problems of a backup policy's content, each naming where it is; empty when it is valid.</summary>
    public static IReadOnlyList<string> Problems(string content)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(content, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false }) as JsonObject
                ?? throw new JsonException("the policy is not a JSON object");
        }
        catch (JsonException error)
        {
            return [$"the policy is not valid JSON ({error.Message})"];
        }

        var problems = new List<string>();
        CheckOperators(root, "", problems);
        foreach (var (key, value) in root)
        {
            if (key != "plans" && key != ManagementPolicyMerge.OperatorsAllowed)
            {
                problems.Add($"'{key}' is not a backup policy element (the policy must start with 'plans')");
            }
            else if (key == "plans" && value is JsonObject plans)
            {
                foreach (var (planName, plan) in plans.Where(entry => !entry.Key.StartsWith("@@", StringComparison.Ordinal)))
                {
                    CheckPlan(planName, plan as JsonObject, problems);
                }
            }
        }

        if (!root.ContainsKey("plans"))
        {
            problems.Add("the policy has no 'plans' element");
        }

        return problems;
    }

    private static void CheckPlan(string planName, JsonObject? plan, List<string> problems)
    {
        if (plan is null)
        {
            problems.Add($"plan '{planName}' must be an object");
            return;
        }

        foreach (var (key, value) in plan.Where(entry => !entry.Key.StartsWith("@@", StringComparison.Ordinal)))
        {
            if (!PlanKeys.Contains(key.ToLowerInvariant()))
            {
                problems.Add($"'plans.{planName}.{key}' is not a plan element (allowed: {string.Join(", ", PlanKeys)})");
            }
            else if (key.Equals("rules", StringComparison.OrdinalIgnoreCase) && value is JsonObject rules)
            {
                foreach (var (ruleName, rule) in rules.Where(entry => !entry.Key.StartsWith("@@", StringComparison.Ordinal)))
                {
                    CheckKeys(rule as JsonObject, $"plans.{planName}.rules.{ruleName}", RuleKeys, problems);
                    CheckKeys((rule as JsonObject)?["lifecycle"] as JsonObject, $"plans.{planName}.rules.{ruleName}.lifecycle", LifecycleKeys, problems);
                }
            }
        }
    }

    private static void CheckKeys(JsonObject? node, string path, HashSet<string> allowed, List<string> problems)
    {
        foreach (var key in node?.Select(entry => entry.Key).Where(key => !key.StartsWith("@@", StringComparison.Ordinal)) ?? [])
        {
            if (!allowed.Contains(key.ToLowerInvariant()))
            {
                problems.Add($"'{path}.{key}' is not allowed there (allowed: {string.Join(", ", allowed)})");
            }
        }
    }

    /// <summary>Operators: only the four known ones; list operators take lists; settings hold nothing but operators.</summary>
    private static void CheckOperators(JsonObject node, string path, List<string> problems)
    {
        var setting = ManagementPolicyMerge.IsSetting(node);
        foreach (var (key, value) in node)
        {
            var at = path.Length == 0 ? key : $"{path}.{key}";
            switch (key)
            {
                case ManagementPolicyMerge.Assign:
                    if (value is JsonObject)
                    {
                        problems.Add($"'{at}' must be a string or a list of strings");
                    }
                    else if (NumberSettings.Contains(LastSegment(path)) && !IsWholeNumber(value))
                    {
                        problems.Add($"'{at}' must be a whole number (given {value?.ToJsonString()})");
                    }

                    break;
                case ManagementPolicyMerge.Append or ManagementPolicyMerge.Remove:
                    if (value is not JsonArray)
                    {
                        problems.Add($"'{at}' applies only to lists; give a list of values");
                    }

                    break;
                case ManagementPolicyMerge.OperatorsAllowed:
                    if (value is not JsonArray operators || operators.Any(item => item is not JsonValue text || !ChildControlValues.Contains(text.ToString())))
                    {
                        problems.Add($"'{at}' must be a list of {string.Join(", ", ChildControlValues)}");
                    }

                    break;
                default:
                    if (key.StartsWith("@@", StringComparison.Ordinal))
                    {
                        problems.Add($"'{at}' is not an inheritance operator (allowed: @@assign, @@append, @@remove, @@operators_allowed_for_child_policies)");
                    }
                    else if (setting)
                    {
                        problems.Add($"'{at}' cannot sit beside an operator in '{path}'");
                    }
                    else if (value is JsonObject child)
                    {
                        CheckOperators(child, at, problems);
                    }
                    else
                    {
                        problems.Add($"'{at}' must be an object with an inheritance operator such as {{\"@@assign\": ...}}");
                    }

                    break;
            }
        }
    }

    private static string LastSegment(string path) => path[(path.LastIndexOf('.') + 1)..].ToLowerInvariant();

    private static bool IsWholeNumber(JsonNode? value) =>
        value is JsonValue text && long.TryParse(text.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out _);
}
