using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Services.Organizations;

namespace CloudPatterns.LocalCloud.Services.Backup;

/// <summary>A backup plan an effective backup policy puts in one account and region, with its selections.</summary>
internal sealed record OrganizationPlan(string Id, string Region, JsonObject Document, IReadOnlyList<JsonObject> Selections)
{
    /// <summary>What the plan was made from: an unchanged effective plan leaves the plan (and its version) alone.</summary>
    public string Source => Document.ToJsonString() + string.Concat(Selections.Select(selection => selection.ToJsonString()));
}

/// <summary>
/// AWS Backup's side of Organizations backup policies: every time the policies, their attachments or the accounts'
/// places change, each account's effective backup policy is read into plans (id "orgs/&lt;uuid&gt;") in each region
/// it names, and plans it no longer names are removed. A plan that is not complete (no rule, no vault, no selection
/// or role) is not created. docs/localcloud-backup-policies.md.
/// </summary>
internal sealed class OrganizationBackupPlans(OrganizationPolicyStore policies, BackupStore backup, SeedOrganization organization, TimeProvider clock)
{
    public const string IdPrefix = "orgs/";

    public void Refresh()
    {
        var now = clock.GetUtcNow();
        foreach (var account in organization.Accounts)
        {
            var effective = policies.EffectivePolicy(account.Id, OrganizationPolicyStore.BackupPolicy)?.Content;
            backup.SyncOrganizationPlans(account.Id, effective is null ? [] : Plans(account.Id, effective), now);
        }
    }

    /// <summary>The plans of one account's effective backup policy (keys already in lower case).</summary>
    public static IReadOnlyList<OrganizationPlan> Plans(string accountId, JsonObject effective)
    {
        var plans = new List<OrganizationPlan>();
        foreach (var (name, node) in effective["plans"] as JsonObject ?? [])
        {
            if (node is not JsonObject plan || Rules(accountId, plan) is not { Count: > 0 } rules || Selections(accountId, plan) is not { Count: > 0 } selections)
            {
                continue;
            }

            foreach (var region in Strings(plan["regions"]))
            {
                var document = new JsonObject { ["BackupPlanName"] = name, ["Rules"] = new JsonArray([.. rules.Select(rule => rule.DeepClone())]) };
                if (AdvancedSettings(plan) is { } advanced)
                {
                    document["AdvancedBackupSettings"] = advanced;
                }

                plans.Add(new OrganizationPlan(IdPrefix + StableId(accountId, region, name), region, document, [.. selections.Select(selection => selection.DeepClone().AsObject())]));
            }
        }

        return plans;
    }

    private static List<JsonNode> Rules(string accountId, JsonObject plan)
    {
        var rules = new List<JsonNode>();
        foreach (var (name, node) in plan["rules"] as JsonObject ?? [])
        {
            if (node is not JsonObject rule || Text(rule["target_backup_vault_name"]) is not { } vault)
            {
                continue;
            }

            var output = new JsonObject { ["RuleName"] = name, ["TargetBackupVaultName"] = vault };
            Copy(rule, "schedule_expression", output, "ScheduleExpression");
            Copy(rule, "schedule_expression_timezone", output, "ScheduleExpressionTimezone");
            CopyNumber(rule, "start_backup_window_minutes", output, "StartWindowMinutes");
            CopyNumber(rule, "complete_backup_window_minutes", output, "CompletionWindowMinutes");
            if (Text(rule["enable_continuous_backup"]) is { } continuous && bool.TryParse(continuous, out var enabled) && enabled)
            {
                output["EnableContinuousBackup"] = true;
            }

            if (Lifecycle(rule["lifecycle"] as JsonObject) is { } lifecycle)
            {
                output["Lifecycle"] = lifecycle;
            }

            if (rule["recovery_point_tags"] is JsonObject tags)
            {
                output["RecoveryPointTags"] = Tags(tags);
            }

            var copies = new JsonArray();
            foreach (var (key, copyNode) in rule["copy_actions"] as JsonObject ?? [])
            {
                // Without target_backup_vault_arn AWS uses the (lower-case) key as the destination.
                var copy = copyNode as JsonObject;
                var destination = Text(copy?["target_backup_vault_arn"]) ?? key;
                var action = new JsonObject { ["DestinationBackupVaultArn"] = WithAccount(destination, accountId) };
                if (Lifecycle(copy?["lifecycle"] as JsonObject) is { } copyLifecycle)
                {
                    action["Lifecycle"] = copyLifecycle;
                }

                copies.Add(action);
            }

            if (copies.Count > 0)
            {
                output["CopyActions"] = copies;
            }

            rules.Add(output);
        }

        return rules;
    }

    private static List<JsonObject> Selections(string accountId, JsonObject plan)
    {
        var selections = new List<JsonObject>();
        foreach (var (name, node) in plan["selections"]?["tags"] as JsonObject ?? [])
        {
            if (node is not JsonObject tag || Text(tag["iam_role_arn"]) is not { } role || Text(tag["tag_key"]) is not { } key)
            {
                continue;
            }

            selections.Add(new JsonObject
            {
                ["SelectionName"] = name,
                ["IamRoleArn"] = WithAccount(role, accountId),
                ["ListOfTags"] = new JsonArray([.. Strings(tag["tag_value"]).Select(value => (JsonNode)new JsonObject
                {
                    ["ConditionType"] = "STRINGEQUALS",
                    ["ConditionKey"] = key,
                    ["ConditionValue"] = value,
                })]),
            });
        }

        return selections;
    }

    private static JsonArray? AdvancedSettings(JsonObject plan)
    {
        var settings = new JsonArray();
        foreach (var (resourceType, node) in plan["advanced_backup_settings"] as JsonObject ?? [])
        {
            if (resourceType == "ec2" && Text(node?["windowsvss"]) is { } vss)
            {
                settings.Add(new JsonObject { ["ResourceType"] = "EC2", ["BackupOptions"] = new JsonObject { ["WindowsVSS"] = vss } });
            }
        }

        return settings.Count == 0 ? null : settings;
    }

    private static JsonObject? Lifecycle(JsonObject? lifecycle)
    {
        if (lifecycle is null)
        {
            return null;
        }

        var output = new JsonObject();
        CopyNumber(lifecycle, "delete_after_days", output, "DeleteAfterDays");
        CopyNumber(lifecycle, "move_to_cold_storage_after_days", output, "MoveToColdStorageAfterDays");
        return output.Count == 0 ? null : output;
    }

    private static JsonObject Tags(JsonObject tags) => new(tags
        .Select(entry => (Key: Text(entry.Value?["tag_key"]), Value: Text(entry.Value?["tag_value"])))
        .Where(tag => tag.Key is not null && tag.Value is not null)
        .Select(tag => KeyValuePair.Create(tag.Key!, (JsonNode?)tag.Value)));

    private static void Copy(JsonObject from, string key, JsonObject to, string name)
    {
        if (Text(from[key]) is { } value)
        {
            to[name] = value;
        }
    }

    private static void CopyNumber(JsonObject from, string key, JsonObject to, string name)
    {
        if (long.TryParse(Text(from[key]), System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            to[name] = number;
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue value ? value.ToString() : null;

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonArray list => list.Select(Text).OfType<string>(),
        JsonValue one => [one.ToString()],
        _ => [],
    };

    /// <summary>The $account variable stands for the account the plan runs in (only in ARNs).</summary>
    private static string WithAccount(string arn, string accountId) => arn.Replace("$account", accountId, StringComparison.Ordinal);

    /// <summary>The same account, region and plan name always give the same id, as a plan that is only updated keeps its id.</summary>
    private static string StableId(string accountId, string region, string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{accountId}/{region}/{name}"));
        return new Guid(hash.AsSpan(0, 16)).ToString();
    }
}
