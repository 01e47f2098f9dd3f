using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Authorization;
using CloudPatterns.LocalCloud.Identity;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.AsyncDelivery;
using CloudPatterns.LocalCloud.Services.CloudWatch;
using CloudPatterns.LocalCloud.Services.Lambda;
using CloudPatterns.LocalCloud.Services.Sns;

namespace CloudPatterns.LocalCloud.Services.Events;

/// <summary>
/// Delivers events as EventBridge does (docs/localcloud-events.md): an event put on a bus goes to the targets of every
/// enabled rule that matches it, each with its input (InputPath, Input or InputTransformer). Lambda functions are
/// invoked asynchronously when their resource policy lets events.amazonaws.com invoke them for the rule
/// (aws:SourceArn); SNS topics when their topic policy lets it publish; another account's bus when its policy lets the
/// rule's account put events. A target that refuses is not retried (as AWS does for permission and missing-resource
/// errors) and goes to its dead-letter queue or topic; throttling is retried per the target's RetryPolicy (Redelivery). Metrics go to
/// CloudWatch (AWS/Events: TriggeredRules, Invocations, FailedInvocations by RuleName).
/// </summary>
internal sealed class EventDelivery(EventBusStore buses, LambdaStore functions, LambdaInvoker invoker, SnsStore sns, DeadLetters deadLetters, CloudWatchStore metrics, string organizationId, TimeProvider clock)
{
    private const string EventsPrincipal = "events.amazonaws.com";
    private readonly PendingWork work = new();

    /// <summary>An AWS service's event on the default bus of the account and region it happened in.</summary>
    public void Emit(ServiceEvent serviceEvent) => Publish(serviceEvent.AccountId, serviceEvent.Region, EventBus.DefaultName,
        Envelope(serviceEvent.AccountId, serviceEvent.Region, serviceEvent.Source, serviceEvent.DetailType, serviceEvent.Resources, serviceEvent.Detail, serviceEvent.Time));

    /// <summary>The event as EventBridge delivers it: version, id, detail-type, source, account, time, region, resources, detail.</summary>
    public static JsonObject Envelope(string accountId, string region, string source, string detailType, IEnumerable<string> resources, JsonObject detail, DateTimeOffset time) => new()
    {
        ["version"] = "0",
        ["id"] = Guid.NewGuid().ToString(),
        ["detail-type"] = detailType,
        ["source"] = source,
        ["account"] = accountId,
        ["time"] = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        ["region"] = region,
        ["resources"] = new JsonArray([.. resources.Select(resource => (JsonNode)resource)]),
        ["detail"] = detail,
    };

    /// <summary>Puts an event on a bus: every matching enabled rule's targets receive it (asynchronously).</summary>
    public void Publish(string accountId, string region, string busName, JsonObject evt)
    {
        foreach (var (rule, targets) in buses.Match(accountId, region, busName, evt))
        {
            Count(rule, "TriggeredRules");
            foreach (var target in targets)
            {
                Queue(rule, target, evt);
            }
        }
    }

    /// <summary>Runs the schedule-expression rules due by now: each run sends a "Scheduled Event" to the rule's targets.</summary>
    public void RunSchedules(DateTimeOffset now)
    {
        foreach (var (rule, targets, time) in buses.DueSchedules(now))
        {
            var evt = Envelope(rule.AccountId, rule.Region, "aws.events", "Scheduled Event", [rule.Arn], [], time);
            Count(rule, "TriggeredRules");
            foreach (var target in targets)
            {
                Queue(rule, target, evt);
            }
        }
    }

    /// <summary>Whether deliveries are still being made (the clock's auto-advance waits for them).</summary>
    public bool Busy => work.Busy;

    /// <summary>Waits for the deliveries queued so far (tests).</summary>
    public Task DrainAsync() => work.DrainAsync();

    private void Queue(EventRule rule, EventTarget target, JsonObject evt) => work.Queue(() => Deliver(rule, target, evt));

    private void Deliver(EventRule rule, EventTarget target, JsonObject evt)
    {
        string input;
        try
        {
            input = TargetInput.Render(target, evt, rule);
        }
        catch (FormatException error)
        {
            Fail(rule, target, evt.ToJsonString(TargetInput.Relaxed), new DeliveryFailure("INVALID_INPUT", error.Message, Retryable: false), attempts: 0);
            return;
        }

        var (failure, retries) = Redelivery.Run(() => Send(rule, target, evt, input), new RetryPolicy(target.MaximumRetryAttempts));
        if (failure is null)
        {
            Count(rule, "Invocations");
            return;
        }

        Fail(rule, target, input, failure, retries);
    }

    /// <summary>One attempt; null when the target accepted the event.</summary>
    private DeliveryFailure? Send(EventRule rule, EventTarget target, JsonObject evt, string input)
    {
        var service = target.Arn.Split(':') is { Length: > 5 } parts ? parts[2] : "";
        switch (service)
        {
            case "lambda":
                if (functions.FindByArn(target.Arn) is not { } function)
                {
                    return new DeliveryFailure("RESOURCE_NOT_FOUND", $"Function not found: {target.Arn}", Retryable: false);
                }

                if (!ServiceMayUse(LambdaPolicy.Document(function), "lambda:InvokeFunction", function.Arn, rule))
                {
                    return new DeliveryFailure("NO_PERMISSIONS", $"Lambda function {function.Arn} does not allow {EventsPrincipal} to invoke it for {rule.Arn}.", Retryable: false);
                }

                if (function.ReservedConcurrency == 0)
                {
                    // Lambda refuses asynchronous invocations of a function whose reserved concurrency is 0.
                    return new DeliveryFailure("THROTTLING", "Rate Exceeded.", Retryable: true);
                }

                invoker.Enqueue(function, Encoding.UTF8.GetBytes(input));
                return null;
            case "sns":
                var owner = RequestAuthorizer.AccountOf(target.Arn) ?? rule.AccountId;
                string? policy;
                try
                {
                    policy = sns.Read(owner, target.Arn, topic => topic.Attributes.GetValueOrDefault("Policy"));
                }
                catch (AwsServiceException)
                {
                    return new DeliveryFailure("RESOURCE_NOT_FOUND", $"Topic does not exist: {target.Arn}", Retryable: false);
                }

                if (!ServiceMayUse(policy, "sns:Publish", target.Arn, rule))
                {
                    return new DeliveryFailure("NO_PERMISSIONS", $"The topic policy of {target.Arn} does not allow {EventsPrincipal} to publish for {rule.Arn}.", Retryable: false);
                }

                sns.Publish(owner, target.Arn, subject: null, input, new Dictionary<string, string>(StringComparer.Ordinal));
                return null;
            case "events":
                return ForwardToBus(rule, target, evt);
            default:
                return new DeliveryFailure("RESOURCE_NOT_FOUND", $"LocalCloud delivers to Lambda, SNS and event bus targets only, not {target.Arn}.", Retryable: false);
        }
    }

    /// <summary>Another bus: the same event, as is; another account's bus must allow the rule's account (its policy).</summary>
    private DeliveryFailure? ForwardToBus(EventRule rule, EventTarget target, JsonObject evt)
    {
        (string AccountId, string Region, string Name) bus;
        JsonObject? policy;
        try
        {
            bus = EventsArns.ParseBus(rule.AccountId, rule.Region, target.Arn);
            policy = buses.ReadBus(bus.AccountId, bus.Region, bus.Name, found => found.Policy);
        }
        catch (AwsServiceException error)
        {
            return new DeliveryFailure("RESOURCE_NOT_FOUND", error.Message, Retryable: false);
        }

        if (bus.AccountId != rule.AccountId)
        {
            var sender = new CallerIdentity(rule.AccountId, $"arn:aws:iam::{rule.AccountId}:root", rule.AccountId, null);
            var allowed = policy is not null && PolicyEvaluator.Evaluate(
                new PolicySet { Resource = new NamedPolicy("event bus policy", PolicyDocument.Cached(policy.ToJsonString())), ResourcePolicyRequired = true },
                PrincipalKeys.Context(sender, "events:PutEvents", target.Arn, organizationId)).Allowed;
            if (!allowed)
            {
                return new DeliveryFailure("NO_PERMISSIONS", $"The policy of event bus {target.Arn} does not allow account {rule.AccountId} to put events.", Retryable: false);
            }
        }

        Publish(bus.AccountId, bus.Region, bus.Name, (JsonObject)evt.DeepClone());
        return null;
    }

    /// <summary>Whether a resource policy lets events.amazonaws.com act for the rule (aws:SourceArn, aws:SourceAccount).</summary>
    private bool ServiceMayUse(string? policy, string action, string resource, EventRule rule)
    {
        if (policy is null)
        {
            return false;
        }

        var request = PrincipalKeys.Context(CallerIdentity.ForService(EventsPrincipal, rule.AccountId), action, resource, organizationId)
            .Set("aws:SourceArn", rule.Arn)
            .Set("aws:SourceAccount", rule.AccountId);
        return PolicyEvaluator.Evaluate(new PolicySet { Resource = new NamedPolicy("resource policy", PolicyDocument.Cached(policy)), ResourcePolicyRequired = true }, request).Allowed;
    }

    /// <summary>A failed invocation: counted, then the event to the target's dead-letter queue or topic with EventBridge's attributes.</summary>
    private void Fail(EventRule rule, EventTarget target, string input, DeliveryFailure failure, int attempts)
    {
        Count(rule, "FailedInvocations");
        if (target.DeadLetterArn is { } deadLetter)
        {
            deadLetters.Send(deadLetter, rule.AccountId, input, new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["RULE_ARN"] = rule.Arn,
                ["TARGET_ARN"] = target.Arn,
                ["ERROR_CODE"] = failure.Code,
                ["ERROR_MESSAGE"] = failure.Message,
                ["EXHAUSTED_RETRY_CONDITION"] = failure.Retryable ? "MaximumRetryAttempts" : "",
                ["RETRY_ATTEMPTS"] = attempts.ToString(CultureInfo.InvariantCulture),
            });
        }
    }

    private void Count(EventRule rule, string metric)
    {
        var point = new Datapoint(clock.GetUtcNow(), 1, 1, 1, 1, "Count");
        var changes = metrics.PutMetricData(rule.AccountId, rule.Region, "AWS/Events", [(metric, [new Dimension("RuleName", rule.Name)], point)]);
        AlarmNotifications.Publish(sns, changes);
    }
}
