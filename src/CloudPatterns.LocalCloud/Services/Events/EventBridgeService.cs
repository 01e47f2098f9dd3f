using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Backup;
using CloudPatterns.LocalCloud.Services.AsyncDelivery;

namespace CloudPatterns.LocalCloud.Services.Events;

/// <summary>
/// Amazon EventBridge (JSON 1.1, target prefix AWSEvents): rules with event patterns or schedules, their targets,
/// custom event buses with resource policies, PutEvents and TestEventPattern. Facts and limits: docs/localcloud-events.md.
/// </summary>
internal sealed partial class EventBridgeService : JsonService
{
    private const string RuleNamePattern = @"[\.\-_A-Za-z0-9]+";
    private const string TargetIdPattern = @"[\.\-_A-Za-z0-9]+";
    private const int MaxTargetsPerRule = 5;
    private readonly EventBusStore store;
    private readonly EventDelivery delivery;
    private readonly TimeProvider clock;

    public EventBridgeService(EventBusStore store, EventDelivery delivery, TimeProvider clock)
        : base("events", "AWSEvents", "ThrottlingException")
    {
        this.store = store;
        this.delivery = delivery;
        this.clock = clock;
        AddOperation("PutRule", mutating: true, PutRule);
        AddOperation("DescribeRule", mutating: false, DescribeRule);
        AddOperation("ListRules", mutating: false, ListRules);
        AddOperation("EnableRule", mutating: true, (request, input) => SetState(request, input, "ENABLED"));
        AddOperation("DisableRule", mutating: true, (request, input) => SetState(request, input, "DISABLED"));
        AddOperation("DeleteRule", mutating: true, DeleteRule);
        AddOperation("PutTargets", mutating: true, PutTargets);
        AddOperation("RemoveTargets", mutating: true, RemoveTargets);
        AddOperation("ListTargetsByRule", mutating: false, ListTargetsByRule);
        AddOperation("PutEvents", mutating: true, PutEvents);
        AddOperation("TestEventPattern", mutating: false, TestEventPattern);
        AddOperation("CreateEventBus", mutating: true, CreateEventBus);
        AddOperation("DescribeEventBus", mutating: false, DescribeEventBus);
        AddOperation("ListEventBuses", mutating: false, ListEventBuses);
        AddOperation("DeleteEventBus", mutating: true, DeleteEventBus);
        AddOperation("PutPermission", mutating: true, PutPermission);
        AddOperation("RemovePermission", mutating: true, RemovePermission);
    }

    /// <summary>
    /// For authorization (Authorization/OperationActions.cs): RulePath is the rule's ARN path (NAME or BUS/NAME), BusName the
    /// bus an operation acts on (a PutEvents request's first entry's).
    /// </summary>
    protected override string? RequestParameter(JsonElement input, string name)
    {
        string BusOf(string? given) => given is { Length: > 0 } ? given : EventBus.DefaultName;
        return name switch
        {
            "RulePath" when (input.GetStringOrNull("Name") ?? input.GetStringOrNull("Rule")) is { } rule =>
                BusOf(input.GetStringOrNull("EventBusName")) is var bus && (bus == EventBus.DefaultName || bus.StartsWith("arn:", StringComparison.Ordinal))
                    ? rule
                    : $"{bus}/{rule}",
            "BusName" when input.GetArrayOrEmpty("Entries") is [var first, ..] => BusOf(first.GetStringOrNull("EventBusName")),
            "BusName" => BusOf(input.GetStringOrNull("EventBusName") ?? input.GetStringOrNull("Name")),
            _ => base.RequestParameter(input, name),
        };
    }

    private JsonObject PutRule(AwsRequest request, JsonElement input) =>
        new() { ["RuleArn"] = PutRule(store, clock, request.AccountId, request.Region, input) };

    /// <summary>PutRule for an account and region (also AWS::Events::Rule's): validates, creates or replaces, returns the ARN.</summary>
    internal static string PutRule(EventBusStore store, TimeProvider clock, string accountId, string region, JsonElement input)
    {
        var name = RuleName(input, "Name");
        var pattern = input.GetStringOrNull("EventPattern");
        var schedule = input.GetStringOrNull("ScheduleExpression");
        var state = input.GetStringOrNull("State") ?? "ENABLED";
        var violations = new List<string>();
        ModelConstraints.CheckString(violations, "eventPattern", pattern, 0, 4096, null, required: false);
        ModelConstraints.CheckString(violations, "scheduleExpression", schedule, 0, 256, null, required: false);
        ModelConstraints.CheckString(violations, "description", input.GetStringOrNull("Description"), 0, 512, null, required: false);
        if (state is not ("ENABLED" or "DISABLED" or "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"))
        {
            violations.Add($"Value '{state}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]");
        }

        ModelConstraints.ThrowIfAny(violations, "ValidationException");
        if (pattern is null && schedule is null)
        {
            throw EventsArns.Validation("Parameter(s) EventPattern or ScheduleExpression must be specified.");
        }

        var bus = Bus(accountId, region, input);
        if (schedule is not null && bus.Name != EventBus.DefaultName)
        {
            throw EventsArns.Validation("ScheduleExpression is supported only on the default event bus.");
        }

        var parsedPattern = pattern is null ? null : EventPattern.Parse(pattern);
        BackupSchedule? parsedSchedule = null;
        if (schedule is not null)
        {
            try
            {
                parsedSchedule = BackupSchedule.Parse(schedule, null, clock.GetUtcNow());
            }
            catch (FormatException)
            {
                throw EventsArns.Validation("Parameter ScheduleExpression is not valid.");
            }
        }

        return store.PutRule(bus.AccountId, bus.Region, bus.Name, name, rule =>
        {
            rule.EventPatternText = pattern;
            rule.Pattern = parsedPattern;
            rule.ScheduleExpression = schedule;
            rule.Schedule = parsedSchedule;
            rule.NextRun = parsedSchedule is null ? null : store.FirstRun(parsedSchedule);
            rule.State = state;
            rule.Description = input.GetStringOrNull("Description");
            rule.RoleArn = input.GetStringOrNull("RoleArn");
        });
    }

    private JsonObject DescribeRule(AwsRequest request, JsonElement input)
    {
        var bus = Bus(request, input);
        return store.WithRule(bus.AccountId, bus.Region, bus.Name, RuleName(input, "Name"), rule =>
        {
            var output = RuleJson(rule);
            output["CreatedBy"] = rule.AccountId;
            return output;
        });
    }

    private JsonObject ListRules(AwsRequest request, JsonElement input)
    {
        var bus = Bus(request, input);
        var rules = store.ListRules(bus.AccountId, bus.Region, bus.Name, input.GetStringOrNull("NamePrefix") ?? "").Select(RuleJson).ToList();
        var (page, next) = PageTokens.Page(rules, "ListRules", input.GetStringOrNull("NextToken"), Limit(input), InvalidToken);
        return WithToken(new JsonObject { ["Rules"] = new JsonArray([.. page]) }, next);
    }

    private JsonObject SetState(AwsRequest request, JsonElement input, string state)
    {
        var bus = Bus(request, input);
        var name = RuleName(input, "Name");
        store.WithRule(bus.AccountId, bus.Region, bus.Name, name, rule =>
        {
            rule.State = state;
            return rule;
        });
        return [];
    }

    private JsonObject DeleteRule(AwsRequest request, JsonElement input)
    {
        var bus = Bus(request, input);
        store.DeleteRule(bus.AccountId, bus.Region, bus.Name, RuleName(input, "Name"), input.GetBooleanOrNull("Force") == true);
        return [];
    }

    private JsonObject PutTargets(AwsRequest request, JsonElement input)
    {
        PutTargets(store, request.AccountId, request.Region, input);
        return new JsonObject { ["FailedEntryCount"] = 0, ["FailedEntries"] = new JsonArray() };
    }

    /// <summary>PutTargets for an account and region (also AWS::Events::Rule's Targets): adds or replaces targets by Id.</summary>
    internal static void PutTargets(EventBusStore store, string accountId, string region, JsonElement input)
    {
        var bus = Bus(accountId, region, input);
        var name = RuleName(input, "Rule");
        var items = input.GetArrayOrEmpty("Targets");
        var violations = new List<string>();
        if (items.Count is 0 or > 10)
        {
            violations.Add($"Value at 'targets' failed to satisfy constraint: Member must have length {(items.Count == 0 ? "greater than or equal to 1" : "less than or equal to 10")}");
        }

        var targets = items.Select((item, index) => ParseTarget(item, index + 1, violations)).ToList();
        ModelConstraints.ThrowIfAny(violations, "ValidationException");
        store.WithRule(bus.AccountId, bus.Region, bus.Name, name, rule =>
        {
            var ids = rule.Targets.Select(target => target.Id).Concat(targets.Select(target => target.Id)).Distinct(StringComparer.Ordinal).Count();
            if (ids > MaxTargetsPerRule)
            {
                throw new AwsServiceException(400, "LimitExceededException", $"The requested resource exceeds the maximum number allowed: a rule has at most {MaxTargetsPerRule} targets.");
            }

            foreach (var target in targets)
            {
                var existing = rule.Targets.FindIndex(item => item.Id == target.Id);
                if (existing >= 0)
                {
                    rule.Targets[existing] = target;
                }
                else
                {
                    rule.Targets.Add(target);
                }
            }

            return rule;
        });
    }

    private JsonObject RemoveTargets(AwsRequest request, JsonElement input)
    {
        var bus = Bus(request, input);
        var ids = input.GetStringsOrEmpty("Ids");
        var violations = new List<string>();
        if (ids.Count is 0 or > 100)
        {
            violations.Add($"Value at 'ids' failed to satisfy constraint: Member must have length {(ids.Count == 0 ? "greater than or equal to 1" : "less than or equal to 100")}");
        }

        ModelConstraints.ThrowIfAny(violations, "ValidationException");
        var failed = store.WithRule(bus.AccountId, bus.Region, bus.Name, RuleName(input, "Rule"), rule => ids
            .Where(id => rule.Targets.RemoveAll(target => target.Id == id) == 0)
            .Select(id => (JsonNode)new JsonObject { ["TargetId"] = id, ["ErrorCode"] = "ResourceNotFoundException", ["ErrorMessage"] = $"Target {id} does not exist on rule {rule.Name}." })
            .ToList());
        return new JsonObject { ["FailedEntryCount"] = failed.Count, ["FailedEntries"] = new JsonArray([.. failed]) };
    }

    private JsonObject ListTargetsByRule(AwsRequest request, JsonElement input)
    {
        var bus = Bus(request, input);
        var targets = store.WithRule(bus.AccountId, bus.Region, bus.Name, RuleName(input, "Rule"), rule => rule.Targets.Select(TargetJson).ToList());
        var (page, next) = PageTokens.Page(targets, "ListTargetsByRule", input.GetStringOrNull("NextToken"), Limit(input), InvalidToken);
        return WithToken(new JsonObject { ["Targets"] = new JsonArray([.. page]) }, next);
    }

    private static EventTarget ParseTarget(JsonElement item, int index, List<string> violations)
    {
        var id = item.GetStringOrNull("Id");
        var arn = item.GetStringOrNull("Arn");
        ModelConstraints.CheckString(violations, $"targets.{index}.member.id", id, 1, 64, TargetIdPattern);
        ModelConstraints.CheckString(violations, $"targets.{index}.member.arn", arn, 1, 1600, null);
        var transformer = item.GetObjectOrNull("InputTransformer");
        var inputKinds = new[] { item.GetStringOrNull("Input") is not null, item.GetStringOrNull("InputPath") is not null, transformer is not null }.Count(given => given);
        if (inputKinds > 1)
        {
            throw EventsArns.Validation("Only one of Input, InputPath, or InputTransformer must be provided.");
        }

        if (transformer is { } shape && shape.GetStringOrNull("InputTemplate") is null)
        {
            violations.Add($"Value null at 'targets.{index}.member.inputTransformer.inputTemplate' failed to satisfy constraint: Member must not be null");
        }

        var retry = item.GetObjectOrNull("RetryPolicy");
        var attempts = retry?.GetInt64OrNull("MaximumRetryAttempts");
        var age = retry?.GetInt64OrNull("MaximumEventAgeInSeconds");
        CheckRange(violations, $"targets.{index}.member.retryPolicy.maximumRetryAttempts", attempts, 0, 185);
        CheckRange(violations, $"targets.{index}.member.retryPolicy.maximumEventAgeInSeconds", age, 60, 86_400);
        var deadLetter = item.GetObjectOrNull("DeadLetterConfig")?.GetStringOrNull("Arn");
        if (deadLetter is not null && !DeadLetters.IsQueue(deadLetter))
        {
            // EventBridge's dead-letter queue is an SQS queue only (docs/localcloud-delivery.md, "Dead letters").
            throw EventsArns.Validation($"The dead-letter queue {deadLetter} of target {id} is not an Amazon SQS queue ARN: EventBridge sends undelivered events to a standard SQS queue only.");
        }

        return new EventTarget(id ?? "", arn ?? "")
        {
            RoleArn = item.GetStringOrNull("RoleArn"),
            Input = item.GetStringOrNull("Input"),
            InputPath = item.GetStringOrNull("InputPath"),
            InputPathsMap = transformer?.GetStringMapOrEmpty("InputPathsMap"),
            InputTemplate = transformer?.GetStringOrNull("InputTemplate"),
            HasRetryPolicy = retry is not null,
            MaximumRetryAttempts = (int)(attempts ?? 185),
            MaximumEventAgeInSeconds = (int)(age ?? 86_400),
            DeadLetterArn = deadLetter,
        };
    }

    private static void CheckRange(List<string> violations, string member, long? value, long minimum, long maximum)
    {
        if (value < minimum)
        {
            violations.Add(string.Create(CultureInfo.InvariantCulture, $"Value '{value}' at '{member}' failed to satisfy constraint: Member must have value greater than or equal to {minimum}"));
        }
        else if (value > maximum)
        {
            violations.Add(string.Create(CultureInfo.InvariantCulture, $"Value '{value}' at '{member}' failed to satisfy constraint: Member must have value less than or equal to {maximum}"));
        }
    }

    private static JsonObject RuleJson(EventRule rule)
    {
        var output = new JsonObject { ["Name"] = rule.Name, ["Arn"] = rule.Arn };
        AddIfSet(output, "EventPattern", rule.EventPatternText);
        AddIfSet(output, "ScheduleExpression", rule.ScheduleExpression);
        output["State"] = rule.State;
        AddIfSet(output, "Description", rule.Description);
        AddIfSet(output, "RoleArn", rule.RoleArn);
        AddIfSet(output, "ManagedBy", rule.ManagedBy);
        output["EventBusName"] = rule.BusName;
        return output;
    }

    private static JsonNode TargetJson(EventTarget target)
    {
        var output = new JsonObject { ["Id"] = target.Id, ["Arn"] = target.Arn };
        AddIfSet(output, "RoleArn", target.RoleArn);
        AddIfSet(output, "Input", target.Input);
        AddIfSet(output, "InputPath", target.InputPath);
        if (target.InputTemplate is { } template)
        {
            var transformer = new JsonObject();
            if (target.InputPathsMap is { Count: > 0 } paths)
            {
                transformer["InputPathsMap"] = new JsonObject(paths.Select(path => KeyValuePair.Create(path.Key, (JsonNode?)path.Value)));
            }

            transformer["InputTemplate"] = template;
            output["InputTransformer"] = transformer;
        }

        if (target.HasRetryPolicy)
        {
            output["RetryPolicy"] = new JsonObject { ["MaximumRetryAttempts"] = target.MaximumRetryAttempts, ["MaximumEventAgeInSeconds"] = target.MaximumEventAgeInSeconds };
        }

        if (target.DeadLetterArn is { } deadLetter)
        {
            output["DeadLetterConfig"] = new JsonObject { ["Arn"] = deadLetter };
        }

        return output;
    }

    /// <summary>The bus a request names (EventBusName, a name or ARN), in the caller's account and region unless an ARN says otherwise.</summary>
    private static (string AccountId, string Region, string Name) Bus(AwsRequest request, JsonElement input, string member = "EventBusName") =>
        Bus(request.AccountId, request.Region, input, member);

    internal static (string AccountId, string Region, string Name) Bus(string accountId, string region, JsonElement input, string member = "EventBusName")
    {
        var given = input.GetStringOrNull(member);
        var violations = new List<string>();
        ModelConstraints.CheckString(violations, char.ToLowerInvariant(member[0]) + member[1..], given, 1, 1600, @"(arn:aws[\w-]*:events:[a-z]{2}-[a-z]+-[\w-]+:[0-9]{12}:event-bus\/)?[/\.\-_A-Za-z0-9]+", required: false);
        ModelConstraints.ThrowIfAny(violations, "ValidationException");
        return EventsArns.ParseBus(accountId, region, given);
    }

    private static string RuleName(JsonElement input, string member)
    {
        var name = input.GetStringOrNull(member);
        var violations = new List<string>();
        ModelConstraints.CheckString(violations, char.ToLowerInvariant(member[0]) + member[1..], name, 1, 64, RuleNamePattern);
        ModelConstraints.ThrowIfAny(violations, "ValidationException");
        return name!;
    }

    private static int Limit(JsonElement input)
    {
        var limit = input.GetInt64OrNull("Limit");
        var violations = new List<string>();
        CheckRange(violations, "limit", limit, 1, 100);
        ModelConstraints.ThrowIfAny(violations, "ValidationException");
        return (int)(limit ?? 100);
    }

    private static AwsServiceException InvalidToken() => EventsArns.Validation("The NextToken provided is invalid.");

    private static JsonObject WithToken(JsonObject output, string? next)
    {
        AddIfSet(output, "NextToken", next);
        return output;
    }

    private static void AddIfSet(JsonObject output, string name, string? value)
    {
        if (value is not null)
        {
            output[name] = value;
        }
    }
}
