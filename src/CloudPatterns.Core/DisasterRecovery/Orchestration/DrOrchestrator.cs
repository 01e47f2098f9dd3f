using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;

namespace CloudPatterns.Core.DisasterRecovery.Orchestration;

/// <summary>What one event made the orchestrator do: an action, the AWS objects it concerns, and why.</summary>
public sealed class OrchestratorOutcome
{
    public const string Ignored = "Ignored";
    public const string CopyStarted = "CopyStarted";
    public const string CopyAlreadyStarted = "CopyAlreadyStarted";
    public const string RestoresStarted = "RestoresStarted";
    public const string Recorded = "Recorded";
    public const string AlreadyRecorded = "AlreadyRecorded";

    public string Action { get; set; } = Ignored;

    public string Detail { get; set; } = "";

    /// <summary>The event's id, so logs and results join up.</summary>
    public string EventId { get; set; } = "";

    /// <summary>Copy job ids, restore job ids or evidence keys the action produced.</summary>
    public List<string> Items { get; set; } = new();

    /// <summary>Passed or Failed for a recorded validation.</summary>
    public string? Outcome { get; set; }

    public List<string> Warnings { get; set; } = new();

    public JsonObject ToJson()
    {
        var items = new JsonArray();
        Items.ForEach(item => items.Add(item));
        var warnings = new JsonArray();
        Warnings.ForEach(warning => warnings.Add(warning));
        return new JsonObject
        {
            ["action"] = Action,
            ["detail"] = Detail,
            ["eventId"] = EventId,
            ["items"] = items,
            ["outcome"] = Outcome,
            ["warnings"] = warnings,
        };
    }
}

/// <summary>
/// The DR-Orchestrator: one entry point for the events it is driven by (docs/orchestrator.md). No event waits on a job:
/// a copy job's completion starts the next hop (<see cref="CopyHops"/>), the schedule starts restores
/// (<see cref="ScheduledValidation"/>), a restore job's end is judged and recorded (<see cref="RestoreCompletion"/>).
/// Events arrive in EventBridge's envelope (version, id, detail-type, source, account, time, region, resources, detail).
/// </summary>
public static class DrOrchestrator
{
    public const string CopyJobStateChange = "Copy Job State Change";
    public const string RestoreJobStateChange = "Restore Job State Change";
    public const string ScheduledEvent = "Scheduled Event";

    /// <summary>
    /// Handles one event. Throws for what a retry may fix (AWS errors, a lost race): the event is then retried by Lambda
    /// and EventBridge and, once retries are spent, lands in the dead-letter queue. Never throws for an event it does not
    /// handle: that is an Ignored outcome saying why.
    /// </summary>
    public static Task<OrchestratorOutcome> HandleAsync(AwsSession session, OrchestratorSettings settings, JsonObject envelope, CancellationToken cancellationToken)
    {
        var incoming = OrchestratorEvent.From(envelope);
        return incoming.DetailType switch
        {
            CopyJobStateChange when incoming.Source == "aws.backup" => CopyHops.HandleAsync(session, settings, incoming, cancellationToken),
            RestoreJobStateChange when incoming.Source == "aws.backup" => RestoreCompletion.HandleAsync(session, settings, incoming, cancellationToken),
            ScheduledEvent when incoming.Source is "aws.events" or "aws.scheduler" => ScheduledValidation.HandleAsync(session, settings, incoming, cancellationToken),
            _ => Task.FromResult(incoming.Outcome(OrchestratorOutcome.Ignored, $"The DR-Orchestrator handles {CopyJobStateChange} and {RestoreJobStateChange} from aws.backup and {ScheduledEvent}s; this is '{incoming.DetailType}' from '{incoming.Source}'.")),
        };
    }
}

/// <summary>The parts of an EventBridge event the orchestrator reads.</summary>
internal sealed class OrchestratorEvent
{
    private OrchestratorEvent(string id, string detailType, string source, string account, string region, DateTime time, JsonObject detail)
    {
        Id = id;
        DetailType = detailType;
        Source = source;
        Account = account;
        Region = region;
        Time = time;
        Detail = detail;
    }

    public string Id { get; }

    public string DetailType { get; }

    public string Source { get; }

    public string Account { get; }

    public string Region { get; }

    /// <summary>When the event happened, on AWS's clock (LocalCloud's simulated clock): the orchestrator's "now".</summary>
    public DateTime Time { get; }

    public JsonObject Detail { get; }

    public static OrchestratorEvent From(JsonObject envelope)
    {
        string Text(string name) => envelope[name] is JsonValue value && value.TryGetValue(out string? text) ? text : "";
        DateTime time = DateTime.TryParse(Text("time"), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime parsed) ? parsed : DateTime.UtcNow;
        return new OrchestratorEvent(Text("id"), Text("detail-type"), Text("source"), Text("account"), Text("region"), time, envelope["detail"] as JsonObject ?? new JsonObject());
    }

    public string DetailText(string name) => Detail[name] is JsonValue value && value.TryGetValue(out string? text) ? text : "";

    public OrchestratorOutcome Outcome(string action, string detail) => new() { Action = action, Detail = detail, EventId = Id };
}
