using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Scheduler;

/// <summary>
/// Amazon EventBridge Scheduler (REST-JSON, signing name scheduler): schedules with rate(), cron() and at()
/// expressions in a time zone, flexible time windows, Lambda and SNS targets invoked with the schedule's role, and
/// schedule groups. Facts and limits: docs/localcloud-scheduler.md.
/// </summary>
internal sealed partial class SchedulerService : RestJsonService
{
    private const string NamePattern = "^[0-9a-zA-Z-_.]+$";
    private const string RolePattern = @"^arn:aws(-[a-z]+)?:iam::\d{12}:role\/[\w+=,.@\/-]+$";
    private readonly SchedulerStore store;
    private readonly TimeProvider clock;

    public SchedulerService(SchedulerStore store, TimeProvider clock)
        : base("scheduler", "ThrottlingException")
    {
        this.store = store;
        this.clock = clock;
        AddOperation("CreateSchedule", mutating: true, "POST", "/schedules/{Name}", (request, input) => Put(request, input, replace: false));
        AddOperation("UpdateSchedule", mutating: true, "PUT", "/schedules/{Name}", (request, input) => Put(request, input, replace: true));
        AddOperation("GetSchedule", mutating: false, "GET", "/schedules/{Name}", GetSchedule);
        AddOperation("DeleteSchedule", mutating: true, "DELETE", "/schedules/{Name}", DeleteSchedule);
        AddOperation("ListSchedules", mutating: false, "GET", "/schedules", ListSchedules);
        AddOperation("CreateScheduleGroup", mutating: true, "POST", "/schedule-groups/{Name}", CreateScheduleGroup);
        AddOperation("GetScheduleGroup", mutating: false, "GET", "/schedule-groups/{Name}", GetScheduleGroup);
        AddOperation("DeleteScheduleGroup", mutating: true, "DELETE", "/schedule-groups/{Name}", DeleteScheduleGroup);
        AddOperation("ListScheduleGroups", mutating: false, "GET", "/schedule-groups", ListScheduleGroups);
    }

    /// <summary>For authorization: GroupName is the body's, the query's groupName, or "default".</summary>
    protected override string? RequestParameter(RestJsonInput input, string name) => name == "GroupName"
        ? input.Body?.GetStringOrNull("GroupName") ?? Query(input, "groupName") ?? ScheduleGroup.DefaultName
        : base.RequestParameter(input, name);

    private RestJsonResult Put(AwsRequest request, RestJsonInput input, bool replace) =>
        new(200, new JsonObject { ["ScheduleArn"] = Put(store, clock, request.AccountId, request.Region, input.Path["Name"], input.Body ?? default, replace).Arn });

    /// <summary>CreateSchedule/UpdateSchedule for an account and region (also AWS::Scheduler::Schedule's): validates and stores.</summary>
    internal static Schedule Put(SchedulerStore store, TimeProvider clock, string accountId, string region, string name, JsonElement body, bool replace)
    {
        var group = body.GetStringOrNull("GroupName") ?? ScheduleGroup.DefaultName;
        var expression = body.GetStringOrNull("ScheduleExpression");
        var timezone = body.GetStringOrNull("ScheduleExpressionTimezone");
        var state = body.GetStringOrNull("State") ?? "ENABLED";
        var window = body.GetObjectOrNull("FlexibleTimeWindow");
        var mode = window?.GetStringOrNull("Mode");
        var windowMinutes = window?.GetInt64OrNull("MaximumWindowInMinutes");
        var target = body.GetObjectOrNull("Target");
        var retry = target?.GetObjectOrNull("RetryPolicy");
        var violations = new List<string>();
        ModelConstraints.CheckString(violations, "name", name, 1, 64, NamePattern);
        ModelConstraints.CheckString(violations, "groupName", group, 1, 64, NamePattern);
        ModelConstraints.CheckString(violations, "scheduleExpression", expression, 1, 256, null);
        ModelConstraints.CheckString(violations, "scheduleExpressionTimezone", timezone, 1, 50, null, required: false);
        ModelConstraints.CheckString(violations, "description", body.GetStringOrNull("Description"), 0, 512, null, required: false);
        ModelConstraints.CheckString(violations, "target.arn", target?.GetStringOrNull("Arn"), 1, 1600, null);
        ModelConstraints.CheckString(violations, "target.roleArn", target?.GetStringOrNull("RoleArn"), 1, 1600, RolePattern);
        ModelConstraints.CheckString(violations, "target.input", target?.GetStringOrNull("Input"), 1, int.MaxValue, null, required: false);
        if (state is not ("ENABLED" or "DISABLED"))
        {
            violations.Add($"Value '{state}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]");
        }

        if (mode is not ("OFF" or "FLEXIBLE"))
        {
            violations.Add($"Value '{mode ?? "null"}' at 'flexibleTimeWindow.mode' failed to satisfy constraint: Member must satisfy enum value set: [OFF, FLEXIBLE]");
        }

        Range(violations, "flexibleTimeWindow.maximumWindowInMinutes", windowMinutes, 1, 1440);
        Range(violations, "target.retryPolicy.maximumRetryAttempts", retry?.GetInt64OrNull("MaximumRetryAttempts"), 0, 185);
        Range(violations, "target.retryPolicy.maximumEventAgeInSeconds", retry?.GetInt64OrNull("MaximumEventAgeInSeconds"), 60, 86_400);
        ModelConstraints.ThrowIfAny(violations, "ValidationException");
        if (mode == "FLEXIBLE" && windowMinutes is null)
        {
            throw SchedulerArns.Validation("MaximumWindowInMinutes is required when the flexible time window mode is FLEXIBLE.");
        }

        var deadLetter = target!.Value.GetObjectOrNull("DeadLetterConfig")?.GetStringOrNull("Arn");
        if (deadLetter is not null && !DeadLetterQueuePattern().IsMatch(deadLetter))
        {
            // Scheduler's own check and words (docs/localcloud-delivery.md, "Dead letters").
            throw SchedulerArns.Validation($"1 validation error detected: Value '{deadLetter}' at 'target.deadLetterConfig.arn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:aws[a-z-]*:sqs:[a-z0-9\\-]+:\\d{{12}}:[a-zA-Z0-9\\-_]+");
        }

        var now = clock.GetUtcNow();
        return store.Put(new Schedule(accountId, region, group, name)
        {
            Expression = expression!,
            Timezone = timezone,
            Timing = ScheduleTiming.Parse(expression!, timezone, now),
            StartDate = Time(body, "StartDate"),
            EndDate = Time(body, "EndDate"),
            State = state,
            Description = body.GetStringOrNull("Description"),
            FlexibleMode = mode!,
            MaximumWindowInMinutes = (int?)windowMinutes,
            Target = new ScheduleTarget(
                target.Value.GetStringOrNull("Arn")!,
                target.Value.GetStringOrNull("RoleArn")!,
                target.Value.GetStringOrNull("Input"),
                (int)(retry?.GetInt64OrNull("MaximumRetryAttempts") ?? 185),
                (int)(retry?.GetInt64OrNull("MaximumEventAgeInSeconds") ?? 86_400),
                retry is not null,
                deadLetter),
            Created = now,
            Modified = now,
        }, replace);
    }

    private RestJsonResult GetSchedule(AwsRequest request, RestJsonInput input)
    {
        var schedule = store.Get(request.AccountId, request.Region, Query(input, "groupName") ?? ScheduleGroup.DefaultName, input.Path["Name"]);
        var output = new JsonObject
        {
            ["Arn"] = schedule.Arn,
            ["CreationDate"] = Epoch(schedule.Created),
            ["FlexibleTimeWindow"] = schedule.MaximumWindowInMinutes is { } minutes
                ? new JsonObject { ["Mode"] = schedule.FlexibleMode, ["MaximumWindowInMinutes"] = minutes }
                : new JsonObject { ["Mode"] = schedule.FlexibleMode },
            ["GroupName"] = schedule.GroupName,
            ["LastModificationDate"] = Epoch(schedule.Modified),
            ["Name"] = schedule.Name,
            ["ScheduleExpression"] = schedule.Expression,
            ["ScheduleExpressionTimezone"] = schedule.Timezone ?? "UTC",
            ["State"] = schedule.State,
            ["Target"] = TargetJson(schedule.Target),
        };
        AddIfSet(output, "Description", schedule.Description);
        if (schedule.StartDate is { } start)
        {
            output["StartDate"] = Epoch(start);
        }

        if (schedule.EndDate is { } end)
        {
            output["EndDate"] = Epoch(end);
        }

        return new RestJsonResult(200, output);
    }

    private RestJsonResult DeleteSchedule(AwsRequest request, RestJsonInput input)
    {
        store.Delete(request.AccountId, request.Region, Query(input, "groupName") ?? ScheduleGroup.DefaultName, input.Path["Name"]);
        return new RestJsonResult(200, []);
    }

    private RestJsonResult ListSchedules(AwsRequest request, RestJsonInput input)
    {
        var state = Query(input, "State");
        if (state is not (null or "ENABLED" or "DISABLED"))
        {
            throw AwsServiceException.Validation("ValidationException", [$"Value '{state}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]"]);
        }

        var schedules = store.List(request.AccountId, request.Region, Query(input, "ScheduleGroup"), Query(input, "NamePrefix") ?? "", state)
            .Select(schedule => (JsonNode)new JsonObject
            {
                ["Arn"] = schedule.Arn,
                ["CreationDate"] = Epoch(schedule.Created),
                ["GroupName"] = schedule.GroupName,
                ["LastModificationDate"] = Epoch(schedule.Modified),
                ["Name"] = schedule.Name,
                ["State"] = schedule.State,
                ["Target"] = new JsonObject { ["Arn"] = schedule.Target.Arn },
            }).ToList();
        return Paged(input, "ListSchedules", "Schedules", schedules);
    }

    private RestJsonResult CreateScheduleGroup(AwsRequest request, RestJsonInput input)
    {
        var violations = new List<string>();
        ModelConstraints.CheckString(violations, "name", input.Path["Name"], 1, 64, NamePattern);
        ModelConstraints.ThrowIfAny(violations, "ValidationException");
        var group = store.CreateGroup(request.AccountId, request.Region, input.Path["Name"]);
        return new RestJsonResult(200, new JsonObject { ["ScheduleGroupArn"] = group.Arn });
    }

    private RestJsonResult GetScheduleGroup(AwsRequest request, RestJsonInput input) =>
        new(200, GroupJson(store.GetGroup(request.AccountId, request.Region, input.Path["Name"])));

    private RestJsonResult DeleteScheduleGroup(AwsRequest request, RestJsonInput input)
    {
        store.DeleteGroup(request.AccountId, request.Region, input.Path["Name"]);
        return new RestJsonResult(200, []);
    }

    private RestJsonResult ListScheduleGroups(AwsRequest request, RestJsonInput input) =>
        Paged(input, "ListScheduleGroups", "ScheduleGroups", store.ListGroups(request.AccountId, request.Region, Query(input, "NamePrefix") ?? "").Select(group => (JsonNode)GroupJson(group)).ToList());

    private static JsonObject GroupJson(ScheduleGroup group) => new()
    {
        ["Arn"] = group.Arn,
        ["CreationDate"] = Epoch(group.Created),
        ["LastModificationDate"] = Epoch(group.Created),
        ["Name"] = group.Name,
        ["State"] = "ACTIVE",
    };

    private static JsonObject TargetJson(ScheduleTarget target)
    {
        var output = new JsonObject { ["Arn"] = target.Arn, ["RoleArn"] = target.RoleArn };
        AddIfSet(output, "Input", target.Input);
        output["RetryPolicy"] = new JsonObject { ["MaximumEventAgeInSeconds"] = target.MaximumEventAgeInSeconds, ["MaximumRetryAttempts"] = target.MaximumRetryAttempts };
        if (target.DeadLetterArn is { } deadLetter)
        {
            output["DeadLetterConfig"] = new JsonObject { ["Arn"] = deadLetter };
        }

        return output;
    }

    private static RestJsonResult Paged(RestJsonInput input, string operation, string member, IReadOnlyList<JsonNode> items)
    {
        var violations = new List<string>();
        var limit = ModelConstraints.CheckInteger(violations, "maxResults", Query(input, "MaxResults"), 1, 100);
        ModelConstraints.ThrowIfAny(violations, "ValidationException");
        var (page, next) = PageTokens.Page(items, operation, Query(input, "NextToken"), limit ?? 100, () => SchedulerArns.Validation("The NextToken is not valid."));
        var output = new JsonObject { [member] = new JsonArray([.. page]) };
        AddIfSet(output, "NextToken", next);
        return new RestJsonResult(200, output);
    }

    private static void Range(List<string> violations, string member, long? value, long minimum, long maximum)
    {
        if (value < minimum || value > maximum)
        {
            violations.Add(string.Create(CultureInfo.InvariantCulture, $"Value '{value}' at '{member}' failed to satisfy constraint: Member must have value {(value < minimum ? $"greater than or equal to {minimum}" : $"less than or equal to {maximum}")}"));
        }
    }

    /// <summary>A timestamp member: epoch seconds as botocore sends them in REST-JSON bodies, or ISO 8601 as templates give them.</summary>
    private static DateTimeOffset? Time(JsonElement body, string name) =>
        body.ValueKind != JsonValueKind.Object || !body.TryGetProperty(name, out var value) ? null
        : value.ValueKind == JsonValueKind.Number ? DateTimeOffset.FromUnixTimeMilliseconds((long)(value.GetDouble() * 1000))
        : DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time
        : throw SchedulerArns.Validation($"Invalid {name} '{value.GetString()}': give a timestamp.");

    private static double Epoch(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000.0;

    private static string? Query(RestJsonInput input, string name) => input.Query.TryGetValue(name, out var value) ? value.ToString() : null;

    private static void AddIfSet(JsonObject output, string name, string? value)
    {
        if (value is not null)
        {
            output[name] = value;
        }
    }

    /// <summary>The pattern Scheduler holds a dead-letter queue ARN to (standard SQS queues only: no .fifo).</summary>
    [GeneratedRegex(@"^arn:aws[a-z-]*:sqs:[a-z0-9\-]+:\d{12}:[a-zA-Z0-9\-_]+$")]
    private static partial Regex DeadLetterQueuePattern();
}
