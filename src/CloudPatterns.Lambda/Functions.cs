using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Core.DisasterRecovery.Orchestration;

namespace CloudPatterns.Lambda;

/// <summary>
/// The Lambda handlers (handler strings <c>CloudPatterns.Lambda::CloudPatterns.Lambda.Functions::&lt;Method&gt;</c>). Each reads
/// one EventBridge event, lets Core do the work with the execution role's credentials, writes one structured log line
/// (JSON, to CloudWatch Logs through the runtime) and returns the outcome as JSON. An error is logged and rethrown, so
/// Lambda and EventBridge retry the event and finally send it to the dead-letter queue.
/// </summary>
public sealed partial class Functions
{
    /// <summary>The DR-Orchestrator: copy hops, scheduled validations, restore judgements (docs/orchestrator.md).</summary>
    public Task<Stream> DrOrchestrator(Stream input) =>
        RunAsync(nameof(DrOrchestrator), input, async (session, environment, envelope, cancellationToken) =>
        {
            OrchestratorSettings settings = OrchestratorSettings.FromEnvironment(environment);
            OrchestratorOutcome outcome = await Core.DisasterRecovery.Orchestration.DrOrchestrator.HandleAsync(session, settings, envelope, cancellationToken).ConfigureAwait(false);
            return outcome.ToJson();
        }, environment => OrchestratorSettings.FromEnvironment(environment).DrRoleName);

    private static async Task<Stream> RunAsync(string function, Stream input, Func<AwsSession, IReadOnlyDictionary<string, string>, JsonObject, CancellationToken, Task<JsonObject>> handle,
        Func<IReadOnlyDictionary<string, string>, string> roleName, Func<IReadOnlyDictionary<string, string>, string?>? externalId = null)
    {
        DateTime started = DateTime.UtcNow;
        string eventId = "";
        try
        {
            JsonObject envelope = await ReadEventAsync(input).ConfigureAwait(false);
            eventId = envelope["id"] is JsonValue id && id.TryGetValue(out string? text) ? text : "";
            IReadOnlyDictionary<string, string> environment = Environment();
            var connection = new AwsConnectionSettings
            {
                EndpointUrl = environment.TryGetValue("AWS_ENDPOINT_URL", out string? endpoint) && endpoint.Length > 0 ? endpoint : null,
                RoleName = roleName(environment),
                ExternalId = externalId?.Invoke(environment),
            };
            using AwsSession session = await AwsSession.CreateAsync(connection).ConfigureAwait(false);
            JsonObject result = await handle(session, environment, envelope, CancellationToken.None).ConfigureAwait(false);
            Log("INFO", function, eventId, started, result, null);
            return new MemoryStream(Encoding.UTF8.GetBytes(result.ToJsonString()));
        }
        catch (Exception error)
        {
            Log("ERROR", function, eventId, started, null, error);
            throw;
        }
    }

    private static async Task<JsonObject> ReadEventAsync(Stream input)
    {
        using var reader = new StreamReader(input, Encoding.UTF8);
        string text = await reader.ReadToEndAsync().ConfigureAwait(false);
        return JsonNode.Parse(text.Length == 0 ? "{}" : text) as JsonObject
            ?? throw new ArgumentException("The event is not a JSON object: the functions are invoked by EventBridge with its event envelope.");
    }

    private static IReadOnlyDictionary<string, string> Environment()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = entry.Value as string ?? "";
        }

        return variables;
    }

    /// <summary>One JSON line per invocation: level, function, event id, duration, the result or the error (never credentials).</summary>
    private static void Log(string level, string function, string eventId, DateTime started, JsonObject? result, Exception? error)
    {
        var line = new JsonObject
        {
            ["level"] = level,
            ["function"] = function,
            ["eventId"] = eventId,
            ["durationMs"] = (long)(DateTime.UtcNow - started).TotalMilliseconds,
        };
        if (result is not null)
        {
            line["result"] = result.DeepClone();
        }

        if (error is not null)
        {
            line["errorType"] = error.GetType().Name;
            line["errorMessage"] = error.Message;
        }

        Console.WriteLine(line.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
    }
}
