using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Resources;

namespace CloudPatterns.LocalCloud.Services.Backup;

/// <summary>A copy action of a plan rule: where the new recovery point is copied, and how long the copy is kept.</summary>
internal sealed record CopyAction(string DestinationBackupVaultArn, Lifecycle Lifecycle);

/// <summary>A backup plan; its document is kept as given (with RuleIds added) and echoed by GetBackupPlan.</summary>
internal sealed class BackupPlan(string id, string accountId, string region, DateTimeOffset creationDate, string? creatorRequestId)
{
    public string Id { get; } = id;

    public string AccountId { get; } = accountId;

    public string Region { get; } = region;

    public string Arn => $"arn:aws:backup:{Region}:{AccountId}:backup-plan:{Id}";

    public DateTimeOffset CreationDate { get; } = creationDate;

    public string? CreatorRequestId { get; } = creatorRequestId;

    public string Name => Document["BackupPlanName"]!.GetValue<string>();

    public required string VersionId { get; set; }

    public required JsonObject Document { get; set; }

    public required IReadOnlyList<BackupRule> Rules { get; set; }

    public DateTimeOffset? LastExecutionDate { get; set; }

    /// <summary>
    /// For a plan an Organizations backup policy put here (id "orgs/…"), the effective plan it was made from; null for
    /// the account's own plans. Such a plan is the organization's: the account cannot change or delete it.
    /// </summary>
    public string? OrganizationSource { get; set; }

    public Dictionary<string, BackupSelection> Selections { get; } = new(StringComparer.Ordinal);

    public static string NewVersionId() => Convert.ToBase64String(Guid.NewGuid().ToByteArray())[..22].Replace('+', '-').Replace('/', '_');

    /// <summary>
    /// Reads the BackupPlan member of Create/UpdateBackupPlan into rules (keeping the ids of rules that keep their
    /// name) and the document GetBackupPlan returns.
    /// </summary>
    /// <exception cref="FormatException">A rule's schedule is not valid.</exception>
    public static (JsonObject Document, IReadOnlyList<BackupRule> Rules) ReadDocument(JsonElement plan, IReadOnlyList<BackupRule> previous, DateTimeOffset now)
    {
        var document = JsonNode.Parse(plan.GetRawText())!.AsObject();
        var rules = new List<BackupRule>();
        foreach (var ruleNode in document["Rules"]?.AsArray() ?? [])
        {
            var rule = ruleNode!.AsObject();
            var element = JsonSerializer.SerializeToElement(rule);
            var name = element.GetStringOrNull("RuleName") ?? "";
            // A saved plan (state file) carries its rule ids; an update keeps the id of a rule that keeps its name.
            var ruleId = previous.FirstOrDefault(old => old.Name == name)?.RuleId ?? element.GetStringOrNull("RuleId") ?? Guid.NewGuid().ToString();
            rule["RuleId"] = ruleId;
            var expression = element.GetStringOrNull("ScheduleExpression") ?? BackupSchedule.DefaultExpression;
            var timezone = element.GetStringOrNull("ScheduleExpressionTimezone");
            var schedule = BackupSchedule.Parse(expression, timezone, now);
            var continuous = element.GetBooleanOrNull("EnableContinuousBackup") ?? false;
            var lifecycle = Lifecycle.From(element.GetObjectOrNull("Lifecycle"));
            if (continuous && lifecycle.DeleteAfterDays is not (null or <= BackupRule.MaxContinuousRetentionDays))
            {
                // (inferred) text: AWS refuses continuous retention over 35 days; its wording is unknown.
                throw new FormatException($"Rule {name}: a rule with EnableContinuousBackup keeps its recovery points at most {BackupRule.MaxContinuousRetentionDays} days, not {lifecycle.DeleteAfterDays}.");
            }

            rules.Add(new BackupRule(
                ruleId,
                name,
                element.GetStringOrNull("TargetBackupVaultName") ?? "",
                expression,
                timezone,
                schedule,
                lifecycle,
                element.GetArrayOrEmpty("CopyActions")
                    .Select(action => new CopyAction(action.GetStringOrNull("DestinationBackupVaultArn") ?? "", Lifecycle.From(action.GetObjectOrNull("Lifecycle"))))
                    .ToList())
            {
                NextRun = schedule.Next(now),
                EnableContinuousBackup = continuous,
            });
        }

        return (document, rules);
    }
}

/// <summary>A rule of a backup plan, with its next scheduled run on the simulated clock.</summary>
internal sealed record BackupRule(
    string RuleId,
    string Name,
    string TargetBackupVaultName,
    string ScheduleExpression,
    string? Timezone,
    BackupSchedule Schedule,
    Lifecycle Lifecycle,
    IReadOnlyList<CopyAction> CopyActions)
{
    public DateTimeOffset? NextRun { get; set; }

    /// <summary>EnableContinuousBackup: resources that support it get one continuous recovery point, the others snapshots.</summary>
    public bool EnableContinuousBackup { get; init; }

    /// <summary>The resource types AWS Backup keeps continuous backups of (point-in-time restore).</summary>
    public static bool SupportsContinuous(string backupResourceType) => backupResourceType is "RDS" or "Aurora" or "S3";

    /// <summary>Continuous backups are kept at most 35 days.</summary>
    public const int MaxContinuousRetentionDays = 35;

    public PlanRuleOrigin Origin(BackupPlan plan) => new(plan.Id, plan.Arn, plan.Name, plan.VersionId, RuleId, Name, ScheduleExpression, Timezone);
}

/// <summary>
/// A backup selection: resources picked by ARN (wildcards allowed) or by tag, narrowed by NotResources and
/// Conditions, backed up with <see cref="IamRoleArn"/>.
/// </summary>
internal sealed class BackupSelection(string id, string planId, JsonObject document, DateTimeOffset creationDate, string? creatorRequestId)
{
    public string Id { get; } = id;

    public string PlanId { get; } = planId;

    /// <summary>The BackupSelection member as given; GetBackupSelection echoes it.</summary>
    public JsonObject Document { get; } = document;

    public DateTimeOffset CreationDate { get; } = creationDate;

    public string? CreatorRequestId { get; } = creatorRequestId;

    public string Name => Document["SelectionName"]?.GetValue<string>() ?? "";

    public string IamRoleArn => Document["IamRoleArn"]?.GetValue<string>() ?? "";

    private readonly JsonElement selection = JsonSerializer.SerializeToElement(document);

    public bool Selects(CloudResource resource)
    {
        var byArn = selection.GetStringsOrEmpty("Resources");
        var byTag = selection.GetArrayOrEmpty("ListOfTags");
        var picked = (byArn.Count == 0 && byTag.Count == 0)
            || byArn.Any(pattern => Like(pattern, resource.Arn))
            || byTag.Any(tag => TagEquals(resource, tag.GetStringOrNull("ConditionKey"), tag.GetStringOrNull("ConditionValue")));
        return picked
            && !selection.GetStringsOrEmpty("NotResources").Any(pattern => Like(pattern, resource.Arn))
            && ConditionsHold(selection.GetObjectOrNull("Conditions"), resource);
    }

    private static bool ConditionsHold(JsonElement? conditions, CloudResource resource) =>
        conditions is not { } all
        || all.EnumerateObject().All(block => block.Value.EnumerateArray().All(condition =>
        {
            var expected = condition.GetStringOrNull("ConditionValue") ?? "";
            var actual = resource.Tags.GetValueOrDefault(TagKey(condition.GetStringOrNull("ConditionKey") ?? ""));
            return block.Name switch
            {
                "StringEquals" => actual == expected,
                "StringNotEquals" => actual != expected,
                "StringLike" => actual is not null && Like(expected, actual),
                _ => actual is null || !Like(expected, actual),
            };
        }));

    private static bool TagEquals(CloudResource resource, string? key, string? value) =>
        key is not null && resource.Tags.TryGetValue(TagKey(key), out var actual) && actual == value;

    /// <summary>The tag a condition key such as aws:ResourceTag/backup names (the key itself when it has no prefix).</summary>
    public static string TagKey(string conditionKey) =>
        conditionKey.StartsWith(ResourceTagPrefix, StringComparison.Ordinal) ? conditionKey[ResourceTagPrefix.Length..] : conditionKey;

    private const string ResourceTagPrefix = "aws:ResourceTag/";

    /// <summary>Whether a value matches a pattern with '*' wildcards (ARNs in selections, vault patterns).</summary>
    public static bool Like(string pattern, string value) =>
        Regex.IsMatch(value, "^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant);
}

/// <summary>A restore testing plan or selection: the document as given plus the members AWS adds.</summary>
internal sealed class RestoreTestingDocument(string name, string? arn, JsonObject document, DateTimeOffset creationTime, string? creatorRequestId)
{
    public string Name { get; } = name;

    /// <summary>The plan's ARN; null for selections.</summary>
    public string? Arn { get; } = arn;

    public JsonObject Document { get; set; } = document;

    public DateTimeOffset CreationTime { get; } = creationTime;

    public string? CreatorRequestId { get; } = creatorRequestId;

    public DateTimeOffset? LastUpdateTime { get; set; }

    /// <summary>A plan's selections, by name (unused for selections).</summary>
    public Dictionary<string, RestoreTestingDocument> Selections { get; } = new(StringComparer.Ordinal);

    /// <summary>A plan's schedule and next run on the simulated clock (null for selections).</summary>
    public BackupSchedule? Schedule { get; private set; }

    public DateTimeOffset? NextRun { get; set; }

    public DateTimeOffset? LastExecutionTime { get; set; }

    /// <summary>The document as a JSON element, for reading its members.</summary>
    public JsonElement Element => JsonSerializer.SerializeToElement(Document);

    /// <summary>Applies the members an Update call gives; the others keep their values.</summary>
    public void Merge(JsonElement update, DateTimeOffset now)
    {
        foreach (var member in update.EnumerateObject())
        {
            Document[member.Name] = JsonNode.Parse(member.Value.GetRawText());
        }

        LastUpdateTime = now;
    }

    /// <summary>Reads a plan's ScheduleExpression (and time zone) and sets its next run after <paramref name="now"/>.</summary>
    /// <exception cref="FormatException">The schedule is not valid.</exception>
    public void Reschedule(DateTimeOffset now)
    {
        Schedule = BackupSchedule.Parse(Element.GetStringOrNull("ScheduleExpression") ?? "", Element.GetStringOrNull("ScheduleExpressionTimezone"), now);
        NextRun = Schedule.Next(now);
    }
}
