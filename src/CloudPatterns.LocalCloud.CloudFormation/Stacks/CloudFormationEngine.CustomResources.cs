using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.CloudFormation.Templates;

namespace CloudPatterns.LocalCloud.CloudFormation.Stacks;

/// <summary>
/// The engine's side of custom resources: targets per ServiceToken service, and the responses providers PUT to the
/// ResponseURLs LocalCloud serves (docs/localcloud-cloudformation-custom-resources.md).
/// </summary>
public sealed partial class CloudFormationEngine
{
    private readonly ConcurrentDictionary<string, ICustomResourceTarget> _customResourceTargets = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, PendingCustomResponse> _customResponses = new(StringComparer.Ordinal);

    /// <summary>Routes custom resources whose ServiceToken ARN names <paramref name="service"/> (sns, lambda) to a target.</summary>
    public void RegisterCustomResourceTarget(string service, ICustomResourceTarget target) => _customResourceTargets[service] = target;

    internal ICustomResourceTarget? CustomResourceTarget(string service) => _customResourceTargets.GetValueOrDefault(service);

    /// <summary>The earliest time a custom resource stops waiting for its provider, for the clock's auto-advance.</summary>
    private DateTimeOffset? NextCustomResourceTimeout() => _customResponses.Values.Select(pending => (DateTimeOffset?)pending.Deadline).Min();

    internal PendingCustomResponse ExpectCustomResourceResponse(StackIdentity stack, TimeSpan timeout, out string responseUrl)
    {
        responseUrl = ServedUrl("custom-responses",
            $"cloudformation-custom-resource-response-{stack.Region.Replace("-", "", StringComparison.Ordinal)}.s3.amazonaws.com", out var token);
        var pending = new PendingCustomResponse(token, Guid.NewGuid().ToString(), _clock.GetUtcNow() + timeout);
        _customResponses[token] = pending;
        return pending;
    }

    internal void ForgetCustomResourceResponse(PendingCustomResponse pending) => _customResponses.TryRemove(pending.Token, out _);

    /// <summary>
    /// A provider's PUT to a ResponseURL. Returns null when accepted, else why not (unknown URL, or a body that is
    /// not a response: Status SUCCESS or FAILED, and the RequestId of the request).
    /// </summary>
    public string? RespondToCustomResource(string token, JsonObject response)
    {
        if (!_customResponses.TryGetValue(token, out var pending))
        {
            return "The URL names no pending custom resource request (it was answered, timed out, or never existed).";
        }
        if (TemplateEvaluator.AsString(response["Status"]) is not ("SUCCESS" or "FAILED"))
        {
            return "Invalid response object: Status must be SUCCESS or FAILED.";
        }
        if (TemplateEvaluator.AsString(response["RequestId"]) != pending.RequestId)
        {
            return $"Invalid response object: RequestId must be {pending.RequestId}, the request's.";
        }
        pending.Response.TrySetResult(response);
        return null;
    }

    /// <summary>The provider's response, or the timeout failure once the simulated clock passes the deadline.</summary>
    internal async Task<JsonObject> AwaitCustomResourceResponseAsync(PendingCustomResponse pending)
    {
        while (!pending.Response.Task.IsCompleted)
        {
            if (_clock.GetUtcNow() >= pending.Deadline)
            {
                throw new ResourceFailedException(
                    $"CloudFormation did not receive a response from your Custom Resource. Please check your logs for requestId [{pending.RequestId}]. " +
                    "If you are using the Python cfn-response module, you may need to update your Lambda function code so that CloudFormation can attach the updated version.");
            }
            await Task.WhenAny(pending.Response.Task, Task.Delay(SignalPoll));
        }
        return await pending.Response.Task;
    }

    internal sealed record PendingCustomResponse(string Token, string RequestId, DateTimeOffset Deadline)
    {
        public TaskCompletionSource<JsonObject> Response { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
