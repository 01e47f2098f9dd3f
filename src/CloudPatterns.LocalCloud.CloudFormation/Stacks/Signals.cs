using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml;
using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.CloudFormation.Templates;

namespace CloudPatterns.LocalCloud.CloudFormation.Stacks;

/// <summary>One signal: cfn-signal's JSON through a wait handle, or SignalResource.</summary>
public sealed record ResourceSignal(string UniqueId, string Status, string? Reason = null, string? Data = null);

/// <summary>
/// Resource signals (docs/localcloud-cloudformation-signals.md): WaitCondition with a WaitConditionHandle, and
/// CreationPolicy ResourceSignal on instances, Auto Scaling groups and wait conditions. A resource waits on the
/// simulated clock; its timeout is a pending job the clock's auto-advance can skip to (<see cref="NextSignalTimeout"/>).
/// Instances "boot": when user data in the stack runs cfn-signal for a waiting resource (the instance or group itself,
/// or a wait condition the instance signals), LocalCloud sends the signals itself with <see cref="InstanceBootStatus"/>.
/// </summary>
public sealed partial class CloudFormationEngine
{
    private static readonly TimeSpan SignalPoll = TimeSpan.FromMilliseconds(50);

    private static readonly HashSet<string> SignalledTypes = new(StringComparer.Ordinal)
    {
        "AWS::AutoScaling::AutoScalingGroup", "AWS::EC2::Instance", WaitConditionProvisioner.ResourceType, "AWS::AppStream::Fleet",
    };

    /// <summary>Signals per resource waiting on SignalResource (stack id and logical id), and per wait handle (its token).</summary>
    private readonly ConcurrentDictionary<string, SignalWait> _signalWaits = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, List<ResourceSignal>> _waitHandles = new(StringComparer.Ordinal);

    /// <summary>LocalCloud's own endpoint (http://127.0.0.1:PORT): wait-handle URLs point at it.</summary>
    public string? SignalEndpoint { get; set; }

    /// <summary>What an emulated instance signals when its user data runs cfn-signal: SUCCESS, or FAILURE (the admin switch).</summary>
    public string InstanceBootStatus { get; set; } = "SUCCESS";

    /// <summary>The earliest timeout of a resource waiting for signals or a custom resource's response, for the clock's auto-advance; null when none waits.</summary>
    public DateTimeOffset? NextSignalTimeout() =>
        _signalWaits.Values.Select(wait => (DateTimeOffset?)wait.Deadline).Append(NextCustomResourceTimeout()).Min();

    internal string NewWaitHandle(StackIdentity stack, out string url)
    {
        url = ServedUrl("wait-handles", $"cloudformation-waitcondition-{stack.Region}.s3.amazonaws.com", out var token);
        _waitHandles[token] = [];
        return token;
    }

    /// <summary>
    /// A URL LocalCloud serves where CloudFormation hands out a presigned S3 URL (wait handles, ResponseURLs): under
    /// LocalCloud's endpoint, with a random token in the signature's role; the S3 host without an endpoint (engine tests).
    /// </summary>
    private string ServedUrl(string route, string s3Host, out string token)
    {
        token = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));
        return SignalEndpoint is { } endpoint
            ? $"{endpoint.TrimEnd('/')}/_localcloud/cloudformation/{route}/{token}"
            : $"https://{s3Host}/{token}";
    }

    internal void RemoveWaitHandle(string url) => _waitHandles.TryRemove(HandleToken(url), out _);

    private static string HandleToken(string url) => url.Split('?')[0].TrimEnd('/').Split('/')[^1];

    /// <summary>A PUT of cfn-signal's JSON to a wait handle's URL. False when the URL names no handle.</summary>
    public bool SignalWaitHandle(string token, ResourceSignal signal)
    {
        if (!_waitHandles.TryGetValue(token, out var signals))
        {
            return false;
        }
        lock (signals)
        {
            signals.Add(signal);
        }
        return true;
    }

    /// <summary>SignalResource: a signal to a resource with a CreationPolicy that is waiting for it.</summary>
    public void SignalResource(string accountId, string region, string stackName, string logicalId, ResourceSignal signal)
    {
        var stack = GetStack(accountId, region, stackName);
        if (!_signalWaits.TryGetValue(WaitKey(stack.StackId, logicalId), out var wait) || wait.Handle is not null)
        {
            var inProgress = stack.Status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal);
            throw CloudFormationException.Validation(inProgress
                ? $"Resource {logicalId} in stack {stack.StackId} is in {stack.Resources.FirstOrDefault(resource => resource.LogicalId == logicalId)?.Status ?? "a"} state and cannot be signaled"
                : $"Stack {stack.StackId} is in {stack.Status} state and cannot be signaled");
        }
        wait.Add(signal);
        if (stack.Resources.FirstOrDefault(resource => resource.LogicalId == logicalId) is { } resource)
        {
            stack.SetResourceStatus(resource, "CREATE_IN_PROGRESS", $"Received {signal.Status} signal with UniqueId {signal.UniqueId}");
        }
    }

    private static string WaitKey(string stackId, string logicalId) => stackId + "|" + logicalId;

    /// <summary>
    /// After a resource is created: waits for the signals its CreationPolicy (or, for a WaitCondition, its handle)
    /// asks for. Throws the resource's failure reason on a FAILURE signal or a timeout; false when a sibling failed first.
    /// </summary>
    private async Task<bool> AwaitCreationSignalsAsync(Stack stack, TemplateEvaluator evaluator, StackResource resource, List<string> failed)
    {
        if (SignalPlan(stack, evaluator, resource) is not { } wait)
        {
            return true;
        }
        var key = WaitKey(stack.StackId, resource.LogicalId);
        _signalWaits[key] = wait;
        try
        {
            var booted = false;
            while (true)
            {
                booted = booted || Boot(stack, resource, wait);
                var (successes, failure) = wait.Tally();
                if (failure is not null)
                {
                    throw new ResourceFailedException(wait.Handle is null
                        ? $"Received FAILURE signal with UniqueId {failure.UniqueId}"
                        : $"WaitCondition received failed message: '{failure.Reason}' for uniqueId: {failure.UniqueId}");
                }
                if (successes.Count >= wait.Expected)
                {
                    if (wait.Handle is not null)
                    {
                        var data = new JsonObject();
                        foreach (var signal in successes)
                        {
                            data[signal.UniqueId] = signal.Data ?? "";
                        }
                        lock (stack.Gate)
                        {
                            var attributes = new Dictionary<string, JsonNode>(resource.Provisioned!.Attributes, StringComparer.Ordinal) { ["Data"] = data.ToJsonString() };
                            resource.Provisioned = resource.Provisioned with { Attributes = attributes };
                        }
                    }
                    return true;
                }
                if (_clock.GetUtcNow() >= wait.Deadline)
                {
                    throw new ResourceFailedException(wait.Handle is null
                        ? $"Failed to receive {wait.Expected} resource signal(s) within the specified duration"
                        : $"WaitCondition timed out. Received {successes.Count} conditions when expecting {wait.Expected}");
                }
                if (CancelledBySibling(stack, failed, resource.LogicalId))
                {
                    return false;
                }
                await Task.Delay(SignalPoll);
            }
        }
        finally
        {
            _signalWaits.TryRemove(key, out _);
        }
    }

    /// <summary>
    /// The emulated boot: a resource waiting under a CreationPolicy (instance, group, wait condition) whose logical id,
    /// or a wait handle whose URL, is named by user data that runs cfn-signal (or curl/signal-resource) gets its signals from LocalCloud, one per instance
    /// the wait expects. Returns whether it sent them.
    /// </summary>
    private bool Boot(Stack stack, StackResource resource, SignalWait wait)
    {
        var target = wait.Handle is null ? resource.LogicalId : TemplateEvaluator.AsString(resource.Properties?["Handle"]);
        if (target is null || !RunsCfnSignal(stack, target))
        {
            return false;
        }
        for (var index = 0; index < wait.Expected; index++)
        {
            var instanceId = "i-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(9))[..17];
            var failed = InstanceBootStatus != "SUCCESS";
            wait.Add(new ResourceSignal(instanceId, InstanceBootStatus, failed ? "Instance boot failed (LocalCloud admin switch)" : "Instance booted", failed ? null : "booted"));
            if (wait.Handle is null)
            {
                stack.SetResourceStatus(resource, "CREATE_IN_PROGRESS", $"Received {InstanceBootStatus} signal with UniqueId {instanceId}");
            }
        }
        return true;
    }

    /// <summary>What a resource waits for, or null: a CreationPolicy's ResourceSignal, or a WaitCondition's Handle, Count and Timeout.</summary>
    private SignalWait? SignalPlan(Stack stack, TemplateEvaluator evaluator, StackResource resource)
    {
        if (!SignalledTypes.Contains(resource.ResourceType))
        {
            return null;
        }
        JsonNode? policy;
        lock (stack.Gate)
        {
            policy = evaluator.Resolve(stack.Template?.Root["Resources"]?[resource.LogicalId]?["CreationPolicy"]?["ResourceSignal"]?.DeepClone());
        }
        if (policy is JsonObject signal)
        {
            var count = Count(signal["Count"], 1);
            var timeout = TemplateEvaluator.AsString(signal["Timeout"]) is { } text ? IsoDuration(text, resource.LogicalId) : TimeSpan.FromMinutes(5);
            return count == 0 ? null : new SignalWait(count, _clock.GetUtcNow() + timeout, null);
        }
        if (resource.ResourceType == WaitConditionProvisioner.ResourceType && TemplateEvaluator.AsString(resource.Properties?["Handle"]) is { } handle)
        {
            var seconds = Count(resource.Properties?["Timeout"], 0);
            var signals = _waitHandles.GetValueOrDefault(HandleToken(handle))
                ?? throw new ResourceFailedException($"Properties validation failed for resource {resource.LogicalId} with message: #/Handle: {handle} is not a wait condition handle of this stack");
            return new SignalWait(Count(resource.Properties?["Count"], 1), _clock.GetUtcNow() + TimeSpan.FromSeconds(seconds), signals);
        }
        return null;
    }

    private static int Count(JsonNode? value, int fallback) =>
        int.TryParse(TemplateEvaluator.AsString(value), NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) ? count : fallback;

    private static TimeSpan IsoDuration(string text, string logicalId)
    {
        try
        {
            return XmlConvert.ToTimeSpan(text);
        }
        catch (FormatException)
        {
            throw new ResourceFailedException($"Invalid CreationPolicy for resource {logicalId}: Timeout {text} is not an ISO 8601 duration (e.g. PT15M)");
        }
    }

    /// <summary>Whether user data in the stack (base64 or plain) signals (cfn-signal, signal-resource, curl) naming the target.</summary>
    private static bool RunsCfnSignal(Stack stack, string target)
    {
        var mentions = new Regex($@"(?<![\w-]){Regex.Escape(target)}(?![\w-])", RegexOptions.CultureInvariant);
        return stack.Resources.Select(resource => resource.Properties).OfType<JsonObject>()
            .SelectMany(UserData)
            .Any(script => SignalCommands.Any(command => script.Contains(command, StringComparison.Ordinal)) && mentions.IsMatch(script));
    }

    private static readonly string[] SignalCommands = ["cfn-signal", "signal-resource", "curl"];

    private static IEnumerable<string> UserData(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    if (name == "UserData" && TemplateEvaluator.AsString(value) is { } text)
                    {
                        yield return Decoded(text);
                    }
                    foreach (var nested in UserData(value))
                    {
                        yield return nested;
                    }
                }
                break;
            case JsonArray array:
                foreach (var nested in array.SelectMany(UserData))
                {
                    yield return nested;
                }
                break;
        }
    }

    private static string Decoded(string text)
    {
        var bytes = new byte[text.Length];
        return Convert.TryFromBase64String(text, bytes, out var length) ? Encoding.UTF8.GetString(bytes, 0, length) : text;
    }

    /// <param name="Handle">A wait handle's signals (WaitCondition with Handle), or null for SignalResource's.</param>
    private sealed class SignalWait(int expected, DateTimeOffset deadline, List<ResourceSignal>? handle)
    {
        private readonly List<ResourceSignal> _own = [];

        public int Expected => expected;

        public DateTimeOffset Deadline => deadline;

        public List<ResourceSignal>? Handle => handle;

        private List<ResourceSignal> Signals => handle ?? _own;

        public void Add(ResourceSignal signal)
        {
            lock (Signals)
            {
                Signals.Add(signal);
            }
        }

        /// <summary>The SUCCESS signals (one per UniqueId, the latest) and the first FAILURE, if any.</summary>
        public (List<ResourceSignal> Successes, ResourceSignal? Failure) Tally()
        {
            lock (Signals)
            {
                var latest = Signals.GroupBy(signal => signal.UniqueId).Select(group => group.Last()).ToList();
                return (latest.Where(signal => signal.Status == "SUCCESS").ToList(), latest.FirstOrDefault(signal => signal.Status == "FAILURE"));
            }
        }
    }
}
