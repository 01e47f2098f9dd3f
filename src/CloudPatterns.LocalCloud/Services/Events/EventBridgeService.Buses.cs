using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Events;

// EventBridgeService: event buses, their policies, PutEvents and TestEventPattern.
internal sealed partial class EventBridgeService
{
    private const string BusNamePattern = @"[/\.\-_A-Za-z0-9]+";

    private JsonObject PutEvents(AwsRequest request, JsonElement input)
    {
        var entries = input.GetArrayOrEmpty("Entries");
        var violations = new List<string>();
        if (entries.Count is 0 or > 10)
        {
            violations.Add($"Value at 'entries' failed to satisfy constraint: Member must have length {(entries.Count == 0 ? "greater than or equal to 1" : "less than or equal to 10")}");
        }

        ModelConstraints.ThrowIfAny(violations, "ValidationException");
        var results = new JsonArray();
        var failed = 0;
        foreach (var entry in entries)
        {
            var result = PutEvent(request, entry);
            failed += result.ContainsKey("ErrorCode") ? 1 : 0;
            results.Add(result);
        }

        return new JsonObject { ["FailedEntryCount"] = failed, ["Entries"] = results };
    }

    /// <summary>One entry: refused in its result entry (as AWS does) or put on its bus; the result carries the event id.</summary>
    private JsonObject PutEvent(AwsRequest request, JsonElement entry)
    {
        static JsonObject Failed(string code, string message) => new() { ["ErrorCode"] = code, ["ErrorMessage"] = message };
        var source = entry.GetStringOrNull("Source");
        var detailType = entry.GetStringOrNull("DetailType");
        var detailText = entry.GetStringOrNull("Detail");
        if (string.IsNullOrEmpty(source))
        {
            return Failed("InvalidArgument", "Parameter Source is not valid. Reason: Source is a required argument.");
        }

        if (string.IsNullOrEmpty(detailType))
        {
            return Failed("InvalidArgument", "Parameter DetailType is not valid. Reason: DetailType is a required argument.");
        }

        if (string.IsNullOrEmpty(detailText))
        {
            return Failed("InvalidArgument", "Parameter Detail is not valid. Reason: Detail is a required argument.");
        }

        JsonObject detail;
        try
        {
            detail = JsonNode.Parse(detailText) as JsonObject ?? throw new JsonException();
        }
        catch (JsonException)
        {
            return Failed("MalformedDetail", "Detail is malformed.");
        }

        if (source.StartsWith("aws.", StringComparison.Ordinal))
        {
            return Failed("NotAuthorizedForSourceException", "Not authorized for the source.");
        }

        (string AccountId, string Region, string Name) bus;
        try
        {
            bus = EventsArns.ParseBus(request.AccountId, request.Region, entry.GetStringOrNull("EventBusName"));
            store.ReadBus(bus.AccountId, bus.Region, bus.Name, found => found.Arn);
        }
        catch (AwsServiceException error)
        {
            return Failed(error.Code, error.Message);
        }

        var time = entry.TryGetProperty("Time", out var given) && given.ValueKind == JsonValueKind.Number
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(given.GetDouble() * 1000))
            : clock.GetUtcNow();
        // An event put on another account's bus keeps the sender's account (docs/localcloud-events.md).
        var evt = EventDelivery.Envelope(request.AccountId, request.Region, source, detailType, entry.GetStringsOrEmpty("Resources"), detail, time);
        delivery.Publish(bus.AccountId, bus.Region, bus.Name, evt);
        return new JsonObject { ["EventId"] = (string?)evt["id"] };
    }

    private JsonObject TestEventPattern(AwsRequest request, JsonElement input)
    {
        var pattern = EventPattern.Parse(input.GetStringOrNull("EventPattern") ?? throw EventsArns.Validation("Parameter EventPattern is required."));
        JsonObject evt;
        try
        {
            evt = JsonNode.Parse(input.GetStringOrNull("Event") ?? "") as JsonObject ?? throw new JsonException();
        }
        catch (JsonException)
        {
            throw EventsArns.Validation("Parameter Event is not valid.");
        }

        var missing = new[] { "id", "account", "source", "time", "region", "detail-type" }.Where(field => evt[field] is null).ToList();
        if (missing.Count > 0)
        {
            throw EventsArns.Validation($"Parameter Event is not valid. Reason: missing field(s) {string.Join(", ", missing)}.");
        }

        return new JsonObject { ["Result"] = pattern.Matches(evt) };
    }

    private JsonObject CreateEventBus(AwsRequest request, JsonElement input)
    {
        var name = input.GetStringOrNull("Name");
        var violations = new List<string>();
        ModelConstraints.CheckString(violations, "name", name, 1, 256, BusNamePattern);
        ModelConstraints.ThrowIfAny(violations, "ValidationException");
        if (name!.Contains('/', StringComparison.Ordinal) || name.StartsWith("aws.", StringComparison.Ordinal))
        {
            // "/" and "aws." belong to partner event buses, which LocalCloud does not offer.
            throw EventsArns.Validation($"Event bus name {name} is not valid: names with \"/\" or starting with \"aws.\" are partner event buses.");
        }

        var bus = store.CreateBus(request.AccountId, request.Region, name, input.GetStringOrNull("Description"));
        return new JsonObject { ["EventBusArn"] = bus.Arn };
    }

    private JsonObject DescribeEventBus(AwsRequest request, JsonElement input)
    {
        var bus = Bus(request, input, "Name");
        return store.ReadBus(bus.AccountId, bus.Region, bus.Name, BusJson);
    }

    private JsonObject ListEventBuses(AwsRequest request, JsonElement input)
    {
        var buses = store.ListBuses(request.AccountId, request.Region, input.GetStringOrNull("NamePrefix") ?? "").Select(BusJson).ToList();
        var (page, next) = PageTokens.Page(buses, "ListEventBuses", input.GetStringOrNull("NextToken"), Limit(input), InvalidToken);
        return WithToken(new JsonObject { ["EventBuses"] = new JsonArray([.. page]) }, next);
    }

    private JsonObject DeleteEventBus(AwsRequest request, JsonElement input)
    {
        var name = input.GetStringOrNull("Name");
        var violations = new List<string>();
        ModelConstraints.CheckString(violations, "name", name, 1, 256, BusNamePattern);
        ModelConstraints.ThrowIfAny(violations, "ValidationException");
        store.DeleteBus(request.AccountId, request.Region, name!);
        return [];
    }

    /// <summary>
    /// PutPermission: a whole Policy, or one statement letting Principal (an account or "*", optionally with an
    /// aws:PrincipalOrgID Condition) call Action (events:PutEvents) on the bus.
    /// </summary>
    private JsonObject PutPermission(AwsRequest request, JsonElement input)
    {
        var bus = Bus(request, input);
        if (input.GetStringOrNull("Policy") is { } document)
        {
            JsonObject policy;
            try
            {
                policy = JsonNode.Parse(document) as JsonObject ?? throw new JsonException();
                Identity.PolicyDocument.Cached(document);
            }
            catch (Exception error) when (error is JsonException or FormatException or ArgumentException)
            {
                throw EventsArns.Validation("Policy is not valid JSON.");
            }

            store.UpdateBus(bus.AccountId, bus.Region, bus.Name, found => found.Policy = policy);
            return [];
        }

        var action = input.GetStringOrNull("Action");
        var principal = input.GetStringOrNull("Principal");
        var statementId = input.GetStringOrNull("StatementId");
        var violations = new List<string>();
        ModelConstraints.CheckString(violations, "action", action, 1, 64, "events:[a-zA-Z]+");
        ModelConstraints.CheckString(violations, "principal", principal, 1, 12, @"(\d{12}|\*)");
        ModelConstraints.CheckString(violations, "statementId", statementId, 1, 64, "[a-zA-Z0-9-_]+");
        ModelConstraints.ThrowIfAny(violations, "ValidationException");
        var condition = input.GetObjectOrNull("Condition");
        store.UpdateBus(bus.AccountId, bus.Region, bus.Name, found =>
        {
            var statement = new JsonObject
            {
                ["Sid"] = statementId,
                ["Effect"] = "Allow",
                ["Principal"] = principal == "*" ? "*" : new JsonObject { ["AWS"] = $"arn:aws:iam::{principal}:root" },
                ["Action"] = action,
                ["Resource"] = found.Arn,
            };
            if (condition is { } given)
            {
                statement["Condition"] = new JsonObject
                {
                    [given.GetStringOrNull("Type") ?? "StringEquals"] = new JsonObject { [given.GetStringOrNull("Key") ?? ""] = given.GetStringOrNull("Value") },
                };
            }

            var policy = found.Policy ?? new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = new JsonArray() };
            var statements = policy["Statement"] as JsonArray ?? [];
            if (statements.OfType<JsonObject>().Any(existing => (string?)existing["Sid"] == statementId))
            {
                throw new AwsServiceException(400, "ResourceAlreadyExistsException", $"Statement with the provided id {statementId} already exists.");
            }

            statements.Add(statement);
            policy["Statement"] = statements;
            found.Policy = policy;
        });
        return [];
    }

    private JsonObject RemovePermission(AwsRequest request, JsonElement input)
    {
        var bus = Bus(request, input);
        var removeAll = input.GetBooleanOrNull("RemoveAllPermissions") == true;
        var statementId = input.GetStringOrNull("StatementId");
        if (!removeAll && statementId is null)
        {
            throw EventsArns.Validation("Parameter StatementId is required.");
        }

        store.UpdateBus(bus.AccountId, bus.Region, bus.Name, found =>
        {
            if (removeAll)
            {
                found.Policy = null;
                return;
            }

            var statements = found.Policy?["Statement"] as JsonArray;
            var match = statements?.OfType<JsonObject>().FirstOrDefault(existing => (string?)existing["Sid"] == statementId)
                ?? throw EventsArns.NotFound("Statement with the provided id does not exist.");
            statements!.Remove(match);
            if (statements.Count == 0)
            {
                found.Policy = null;
            }
        });
        return [];
    }

    private static JsonObject BusJson(EventBus bus)
    {
        var output = new JsonObject { ["Name"] = bus.Name, ["Arn"] = bus.Arn };
        AddIfSet(output, "Description", bus.Description);
        AddIfSet(output, "Policy", bus.Policy?.ToJsonString());
        output["CreationTime"] = bus.Created.ToUnixTimeMilliseconds() / 1000.0;
        output["LastModifiedTime"] = bus.Created.ToUnixTimeMilliseconds() / 1000.0;
        return output;
    }
}
