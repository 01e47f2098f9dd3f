using System.Globalization;
using System.Text;
using System.Text.Json;
using CloudPatterns.LocalCloud.Identity;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.AsyncDelivery;
using CloudPatterns.LocalCloud.Services.Events;
using CloudPatterns.LocalCloud.Services.Iam;
using CloudPatterns.LocalCloud.Services.Logs;
using CloudPatterns.LocalCloud.Services.Sns;

namespace CloudPatterns.LocalCloud.Services.Lambda;

/// <summary>What a synchronous invocation answers: the payload, the function error kind (Unhandled) if any, and the log tail.</summary>
internal sealed record InvocationResult(byte[] Payload, string? FunctionError, string LogTail);

/// <summary>
/// Invokes functions as Lambda does (docs/localcloud-lambda.md): concurrency (<see cref="LambdaConcurrency"/>), the execution role's temporary
/// credentials and AWS's environment variables, the handler run by <see cref="LambdaRuntime"/>, its output and the
/// START/END/REPORT lines in the log group /aws/lambda/NAME, AWS's error payloads. Asynchronous invocations are
/// queued until concurrency frees up, for at most the function's maximum event age, and retried as often as its
/// settings say (<see cref="LambdaEventInvokeConfig"/>: twice by default) when the function fails (Redelivery), each retry
/// after AWS's wait on the sandbox clock (<see cref="LambdaRetryWaits"/>); then
/// the event goes to the function's dead-letter queue or topic, and its invocation record to the OnFailure destination.
/// </summary>
internal sealed class LambdaInvoker(LambdaRuntime runtime, LambdaConcurrency concurrency, LogsStore logs, DeadLetters deadLetters, IamStore iam, CredentialStore credentials, TimeProvider clock)
{
    public const int MaxSyncPayloadBytes = 6_291_456;
    public const int MaxAsyncPayloadBytes = 1_048_576;

    private readonly PendingWork queued = new();
    private readonly LambdaRetryWaits waits = new(clock);

    /// <summary>LocalCloud's own URL, given to functions as AWS_ENDPOINT_URL so their SDK calls come back here.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>Runs the function once and answers as a RequestResponse invocation does.</summary>
    public async Task<InvocationResult> InvokeAsync(LambdaFunction function, byte[] payload)
    {
        using var slot = await concurrency.EnterSyncAsync(function);
        var (result, requestId, log) = await RunAsync(function, payload);
        return new InvocationResult(result.Outcome == ExecutionOutcome.Succeeded ? result.Payload : ErrorPayload(result, requestId, function), FunctionError(result), Tail(log));
    }

    /// <summary>
    /// Queues an Event invocation: it runs when concurrency allows (in queue order), up to three attempts when the
    /// function fails, one minute before the first retry and two before the second (sandbox clock); an event that waited longer than the maximum event age, or whose function's reserved
    /// concurrency is 0, goes to the dead-letter queue or topic as one that failed every attempt does.
    /// </summary>
    public void Enqueue(LambdaFunction function, byte[] payload)
    {
        var queuedAt = clock.GetUtcNow();
        var maximumAge = LambdaEventInvokeConfig.MaximumEventAge(function);
        InvocationResponse? response = null;
        var attempts = 0;
        var expired = false;

        // The first attempt takes its place in the queue now, so events start in the order they were invoked.
        var place = function.ReservedConcurrency == 0 ? null : concurrency.EnterEventAsync(function);
        queued.Queue(async () =>
        {
            string requestId = "";
            var (failure, _) = await Redelivery.RunAsync(
                async () =>
                {
                    if (function.ReservedConcurrency == 0)
                    {
                        return new DeliveryFailure("429", "Rate Exceeded.", Retryable: false);
                    }

                    using var slot = await (Interlocked.Exchange(ref place, null) ?? concurrency.EnterEventAsync(function));
                    if (clock.GetUtcNow() - queuedAt > maximumAge)
                    {
                        expired = true;
                        return new DeliveryFailure("429", string.Create(CultureInfo.InvariantCulture, $"The event was older than the maximum event age ({maximumAge.TotalSeconds:F0} seconds) when concurrency became available."), Retryable: false);
                    }

                    try
                    {
                        attempts++;
                        (var result, requestId, _) = await RunAsync(function, payload);
                        var answer = result.Outcome == ExecutionOutcome.Succeeded ? result.Payload : ErrorPayload(result, requestId, function);
                        response = new InvocationResponse(answer, FunctionError(result));
                        return result.Outcome == ExecutionOutcome.Succeeded ? null : new DeliveryFailure("200", Encoding.UTF8.GetString(answer), Retryable: true);
                    }
                    catch (AwsServiceException error)
                    {
                        // The function could not start (a runtime LocalCloud does not run, a role Lambda cannot assume).
                        return new DeliveryFailure(error.StatusCode.ToString(CultureInfo.InvariantCulture), error.Message, Retryable: true);
                    }
                },
                LambdaEventInvokeConfig.Retries(function),
                waits.WaitAsync);
            if (requestId.Length == 0)
            {
                requestId = Guid.NewGuid().ToString();
            }

            if ((failure is null ? function.EventInvokeConfig?.OnSuccess : function.EventInvokeConfig?.OnFailure) is { } destination)
            {
                string condition = failure is null ? "Success" :  expired || (failure.Code == "429" && attempts == 0) ? "EventAgeExceeded" : "RetriesExhausted";
                Destinations?.Send(function, destination, failure is null, LambdaEventInvokeConfig.Record(function, requestId, condition, attempts, payload, response, clock.GetUtcNow()));
            }

            if (failure is not null && function.DeadLetterTarget is { } deadLetter)
            {
                deadLetters.Send(deadLetter, function.AccountId, Encoding.UTF8.GetString(payload), new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["RequestID"] = requestId,
                    ["ErrorCode"] = failure.Code,
                    ["ErrorMessage"] = failure.Message,
                });
            }
        });
    }

    /// <summary>Where invocation records go (OnSuccess/OnFailure destinations); set once the services it sends to exist.</summary>
    public LambdaDestinations? Destinations { get; set; }

    /// <summary>
    /// Whether an Event invocation is queued or running (its retries included), not counting those whose only work left
    /// is a retry waiting on the clock: those are pending jobs (<see cref="NextRetry"/>), which auto-advance skips to.
    /// </summary>
    public bool Busy => queued.Count > waits.Count;

    /// <summary>The due time of the earliest retry waiting on the sandbox clock, or null when none waits.</summary>
    public DateTimeOffset? NextRetry => waits.Next;

    /// <summary>Waits for the queued Event invocations (tests, and shutdown).</summary>
    public Task DrainAsync() => queued.DrainAsync();

    private async Task<(ExecutionResult Result, string RequestId, List<string> Log)> RunAsync(LambdaFunction function, byte[] payload)
    {
        var requestId = Guid.NewGuid().ToString();
        var started = clock.GetUtcNow();
        ExecutionResult result;
        using (var busy = new CancellationTokenSource())
        {
            // A running handler is activity: the sandbox clock does not skip ahead (auto-advance) while it works.
            var noting = clock is LocalCloudClock sandbox ? NoteActivityAsync(sandbox, busy.Token) : Task.CompletedTask;
            try
            {
                result = await runtime.RunAsync(function, requestId, payload, started, stream => Environment(function, stream));
            }
            finally
            {
                await busy.CancelAsync();
                await noting;
            }
        }
        var duration = result.Duration.TotalMilliseconds;
        var log = new List<string> { $"START RequestId: {requestId} Version: {function.Version}" };
        log.AddRange(result.Output);
        log.Add($"END RequestId: {requestId}");
        log.Add(string.Create(CultureInfo.InvariantCulture, $"REPORT RequestId: {requestId}\tDuration: {duration:F2} ms\tBilled Duration: {Math.Ceiling(duration):F0} ms\tMemory Size: {function.MemorySize} MB\tMax Memory Used: {function.MemorySize} MB\t"));
        if (result.Outcome == ExecutionOutcome.TimedOut)
        {
            log.Add(string.Create(CultureInfo.InvariantCulture, $"{clock.GetUtcNow():yyyy-MM-dd'T'HH:mm:ss.fff'Z'} {requestId} Task timed out after {function.Timeout:F2} seconds"));
        }
        var at = started.ToUnixTimeMilliseconds();
        logs.Append(function.AccountId, function.Region, $"/aws/lambda/{function.Name}", result.LogStream, log.Select(line => new InputLogEvent(at, line)).ToList());
        return (result, requestId, log);
    }

    private static async Task NoteActivityAsync(LocalCloudClock sandbox, CancellationToken done)
    {
        try
        {
            while (true)
            {
                sandbox.NoteActivity();
                await Task.Delay(TimeSpan.FromMilliseconds(250), done);
            }
        }
        catch (OperationCanceledException)
        {
            // The handler finished.
        }
    }

    /// <summary>The variables Lambda sets (docs/localcloud-lambda.md), the function's own, and the role's temporary credentials.</summary>
    private Dictionary<string, string> Environment(LambdaFunction function, string logStream)
    {
        var role = iam.FindRole(function.Role) ?? throw LambdaArns.InvalidParameter($"The role defined for the function cannot be assumed by Lambda.");
        var session = CallerIdentity.ForRoleSession(role, function.Name);
        var issued = credentials.IssueTemporary(session, clock.GetUtcNow().AddHours(12));
        var variables = new Dictionary<string, string>(function.Environment, StringComparer.Ordinal)
        {
            ["AWS_ACCESS_KEY_ID"] = issued.AccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = issued.SecretAccessKey,
            ["AWS_SESSION_TOKEN"] = issued.SessionToken!,
            ["AWS_REGION"] = function.Region,
            ["AWS_DEFAULT_REGION"] = function.Region,
            ["AWS_LAMBDA_FUNCTION_NAME"] = function.Name,
            ["AWS_LAMBDA_FUNCTION_VERSION"] = function.Version,
            ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = function.MemorySize.ToString(CultureInfo.InvariantCulture),
            ["AWS_LAMBDA_LOG_GROUP_NAME"] = $"/aws/lambda/{function.Name}",
            ["AWS_LAMBDA_LOG_STREAM_NAME"] = logStream,
            ["AWS_EXECUTION_ENV"] = $"AWS_Lambda_{function.Runtime}",
            ["_HANDLER"] = function.Handler,
        };
        if (Endpoint is not null)
        {
            variables["AWS_ENDPOINT_URL"] = Endpoint.GetLeftPart(UriPartial.Authority);
        }

        return variables;
    }

    private static string? FunctionError(ExecutionResult result) => result.Outcome == ExecutionOutcome.Succeeded ? null : "Unhandled";

    /// <summary>AWS's error payloads: the handler's exception, a timeout (Sandbox.Timedout), or a runtime that exited.</summary>
    private static byte[] ErrorPayload(ExecutionResult result, string requestId, LambdaFunction function) => result.Outcome switch
    {
        ExecutionOutcome.HandlerFailed when result.Payload.Length > 0 => result.Payload,
        ExecutionOutcome.TimedOut => JsonSerializer.SerializeToUtf8Bytes(new
        {
            errorType = "Sandbox.Timedout",
            errorMessage = string.Create(CultureInfo.InvariantCulture, $"RequestId: {requestId} Error: Task timed out after {function.Timeout:F2} seconds"),
        }),
        _ => JsonSerializer.SerializeToUtf8Bytes(new
        {
            errorType = "Runtime.ExitError",
            errorMessage = $"RequestId: {requestId} Error: Runtime exited without providing a reason",
        }),
    };

    /// <summary>The last 4 KB of the invocation's log, base64 (X-Amz-Log-Result with LogType Tail).</summary>
    private static string Tail(List<string> log)
    {
        var bytes = Encoding.UTF8.GetBytes(string.Join('\n', log) + "\n");
        return Convert.ToBase64String(bytes.Length <= 4096 ? bytes : bytes[^4096..]);
    }
}
