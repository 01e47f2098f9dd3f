using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Fis;

/// <summary>A target of an experiment template: resources of one type, by ARN or by tags, narrowed by filters.</summary>
internal sealed record FisTarget(
    string ResourceType,
    IReadOnlyList<string> ResourceArns,
    IReadOnlyDictionary<string, string> ResourceTags,
    IReadOnlyList<(string Path, IReadOnlyList<string> Values)> Filters,
    string SelectionMode);

/// <summary>An action of an experiment template: the FIS action, its parameters, its targets by key, and the actions it waits for.</summary>
internal sealed record FisAction(
    string ActionId,
    string? Description,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyDictionary<string, string> Targets,
    IReadOnlyList<string> StartAfter);

/// <summary>A stop condition: <c>none</c>, or <c>aws:cloudwatch:alarm</c> with the alarm's ARN.</summary>
internal sealed record FisStopCondition(string Source, string? Value);

/// <summary>An experiment template (docs/localcloud-fis.md).</summary>
internal sealed record ExperimentTemplate(
    string Id,
    string AccountId,
    string Region,
    string Description,
    string RoleArn,
    IReadOnlyDictionary<string, FisTarget> Targets,
    IReadOnlyDictionary<string, FisAction> Actions,
    IReadOnlyList<FisStopCondition> StopConditions,
    IReadOnlyDictionary<string, string> Tags,
    DateTimeOffset Created)
{
    public string Arn => $"arn:aws:fis:{Region}:{AccountId}:experiment-template/{Id}";

    /// <summary>
    /// Reads a template from CreateExperimentTemplate's body (camelCase members) or AWS::FIS::ExperimentTemplate's
    /// properties (PascalCase): the same shape with the first letter capitalised.
    /// </summary>
    public static ExperimentTemplate Read(string id, string accountId, string region, JsonElement body, DateTimeOffset now)
    {
        var targets = Map(body, "targets").ToDictionary(entry => entry.Key, entry => new FisTarget(
            Text(entry.Value, "resourceType") ?? "",
            Strings(entry.Value, "resourceArns"),
            StringMap(entry.Value, "resourceTags"),
            Array(entry.Value, "filters").Select(filter => (Text(filter, "path") ?? "", (IReadOnlyList<string>)Strings(filter, "values"))).ToList(),
            Text(entry.Value, "selectionMode") ?? ""), StringComparer.Ordinal);
        var actions = Map(body, "actions").ToDictionary(entry => entry.Key, entry => new FisAction(
            Text(entry.Value, "actionId") ?? "",
            Text(entry.Value, "description"),
            StringMap(entry.Value, "parameters"),
            StringMap(entry.Value, "targets"),
            Strings(entry.Value, "startAfter")), StringComparer.Ordinal);
        var stopConditions = Array(body, "stopConditions").Select(condition => new FisStopCondition(Text(condition, "source") ?? "", Text(condition, "value"))).ToList();
        return new ExperimentTemplate(id, accountId, region, Text(body, "description") ?? "", Text(body, "roleArn") ?? "",
            targets, actions, stopConditions, StringMap(body, "tags"), now);
    }

    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["arn"] = Arn,
        ["description"] = Description,
        ["targets"] = FisJson.Targets(Targets),
        ["actions"] = new JsonObject(Actions.Select(entry => KeyValuePair.Create(entry.Key, (JsonNode?)FisJson.Action(entry.Value)))),
        ["stopConditions"] = FisJson.StopConditions(StopConditions),
        ["creationTime"] = FisJson.Epoch(Created),
        ["lastUpdateTime"] = FisJson.Epoch(Created),
        ["roleArn"] = RoleArn,
        ["tags"] = FisJson.Map(Tags),
    };

    public JsonObject ToSummary() => new()
    {
        ["id"] = Id,
        ["arn"] = Arn,
        ["description"] = Description,
        ["creationTime"] = FisJson.Epoch(Created),
        ["lastUpdateTime"] = FisJson.Epoch(Created),
        ["tags"] = FisJson.Map(Tags),
    };

    /// <summary>A member by its API name (camelCase) or its CloudFormation name (PascalCase).</summary>
    private static JsonElement? Member(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return element.TryGetProperty(name, out var value) || element.TryGetProperty(char.ToUpperInvariant(name[0]) + name[1..], out value) ? value : null;
    }

    private static string? Text(JsonElement element, string name) => Member(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static IReadOnlyList<JsonElement> Array(JsonElement element, string name) =>
        Member(element, name) is { ValueKind: JsonValueKind.Array } value ? value.EnumerateArray().ToList() : [];

    private static List<string> Strings(JsonElement element, string name) => Array(element, name).Select(item => item.ToString()).ToList();

    private static IEnumerable<KeyValuePair<string, JsonElement>> Map(JsonElement element, string name) =>
        Member(element, name) is { ValueKind: JsonValueKind.Object } value ? value.EnumerateObject().Select(entry => KeyValuePair.Create(entry.Name, entry.Value)) : [];

    private static Dictionary<string, string> StringMap(JsonElement element, string name) =>
        Map(element, name).ToDictionary(entry => entry.Key, entry => entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString() ?? "" : entry.Value.ToString(), StringComparer.Ordinal);
}

/// <summary>One action of a running experiment.</summary>
internal sealed class ExperimentActionRun(string name, FisAction action)
{
    public string Name { get; } = name;
    public FisAction Action { get; } = action;
    public string Status { get; set; } = "pending";
    public string? Reason { get; set; }
    public DateTimeOffset? Start { get; set; }
    public DateTimeOffset? End { get; set; }

    /// <summary>What stopping the action undoes (a network disruption's zones come back).</summary>
    public Action? Undo { get; set; }

    public JsonObject ToJson()
    {
        var json = FisJson.Action(Action);
        json["state"] = FisJson.State(Status, Reason);
        if (Start is { } start)
        {
            json["startTime"] = FisJson.Epoch(start);
        }

        if (End is { } end)
        {
            json["endTime"] = FisJson.Epoch(end);
        }

        return json;
    }
}

/// <summary>An experiment: a template's copy, its resolved targets and the state of each action (docs/localcloud-fis.md).</summary>
internal sealed class Experiment(string id, ExperimentTemplate template, IReadOnlyDictionary<string, string> tags, DateTimeOffset created)
{
    public string Id { get; } = id;
    public ExperimentTemplate Template { get; } = template;
    public IReadOnlyDictionary<string, string> Tags { get; } = tags;
    public DateTimeOffset Created { get; } = created;
    public string Arn => $"arn:aws:fis:{Template.Region}:{Template.AccountId}:experiment/{Id}";
    public string Status { get; set; } = "initiating";
    public string? Reason { get; set; }
    public DateTimeOffset? End { get; set; }
    public Dictionary<string, IReadOnlyList<string>> ResolvedTargets { get; } = new(StringComparer.Ordinal);
    public List<ExperimentActionRun> Actions { get; } = template.Actions.Select(entry => new ExperimentActionRun(entry.Key, entry.Value)).ToList();
    public bool Ended => Status is "completed" or "stopped" or "failed";

    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["id"] = Id,
            ["arn"] = Arn,
            ["experimentTemplateId"] = Template.Id,
            ["roleArn"] = Template.RoleArn,
            ["state"] = FisJson.State(Status, Reason),
            ["targets"] = FisJson.Targets(Template.Targets),
            ["actions"] = new JsonObject(Actions.Select(run => KeyValuePair.Create(run.Name, (JsonNode?)run.ToJson()))),
            ["stopConditions"] = FisJson.StopConditions(Template.StopConditions),
            ["creationTime"] = FisJson.Epoch(Created),
            ["startTime"] = FisJson.Epoch(Created),
            ["tags"] = FisJson.Map(Tags),
        };
        if (End is { } end)
        {
            json["endTime"] = FisJson.Epoch(end);
        }

        return json;
    }

    public JsonObject ToSummary() => new()
    {
        ["id"] = Id,
        ["arn"] = Arn,
        ["experimentTemplateId"] = Template.Id,
        ["state"] = FisJson.State(Status, Reason),
        ["creationTime"] = FisJson.Epoch(Created),
        ["tags"] = FisJson.Map(Tags),
    };
}

/// <summary>The JSON shapes FIS answers with (botocore's fis model).</summary>
internal static class FisJson
{
    public static double Epoch(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000.0;

    public static JsonObject Map(IReadOnlyDictionary<string, string> values) =>
        new(values.Select(entry => KeyValuePair.Create(entry.Key, (JsonNode?)JsonValue.Create(entry.Value))));

    public static JsonObject State(string status, string? reason)
    {
        var state = new JsonObject { ["status"] = status };
        if (reason is not null)
        {
            state["reason"] = reason;
        }

        return state;
    }

    public static JsonObject Targets(IReadOnlyDictionary<string, FisTarget> targets) => new(targets.Select(entry => KeyValuePair.Create(entry.Key, (JsonNode?)new JsonObject
    {
        ["resourceType"] = entry.Value.ResourceType,
        ["resourceArns"] = new JsonArray([.. entry.Value.ResourceArns.Select(arn => (JsonNode?)JsonValue.Create(arn))]),
        ["resourceTags"] = Map(entry.Value.ResourceTags),
        ["filters"] = new JsonArray([.. entry.Value.Filters.Select(filter => (JsonNode?)new JsonObject
        {
            ["path"] = filter.Path,
            ["values"] = new JsonArray([.. filter.Values.Select(value => (JsonNode?)JsonValue.Create(value))]),
        })]),
        ["selectionMode"] = entry.Value.SelectionMode,
    })));

    public static JsonObject Action(FisAction action)
    {
        var json = new JsonObject
        {
            ["actionId"] = action.ActionId,
            ["parameters"] = Map(action.Parameters),
            ["targets"] = Map(action.Targets),
            ["startAfter"] = new JsonArray([.. action.StartAfter.Select(name => (JsonNode?)JsonValue.Create(name))]),
        };
        if (action.Description is not null)
        {
            json["description"] = action.Description;
        }

        return json;
    }

    public static JsonArray StopConditions(IReadOnlyList<FisStopCondition> conditions) => new([.. conditions.Select(condition =>
    {
        var json = new JsonObject { ["source"] = condition.Source };
        if (condition.Value is not null)
        {
            json["value"] = condition.Value;
        }

        return (JsonNode?)json;
    })]);

    /// <summary>An ISO 8601 duration such as PT10M, or null when it is not one.</summary>
    public static TimeSpan? Duration(string? text)
    {
        if (string.IsNullOrEmpty(text) || !text.StartsWith('P'))
        {
            return null;
        }

        try
        {
            return XmlConvert.ToTimeSpan(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
