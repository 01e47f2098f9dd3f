using System.Text;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Services.AsyncDelivery;
using CloudPatterns.LocalCloud.Services.Events;

namespace CloudPatterns.LocalCloud.Services.Lambda;

/// <summary>
/// Sends an asynchronous invocation's record to its OnSuccess or OnFailure destination: an SQS queue (kept with the
/// dead letters, GET /_localcloud/dead-letters, as LocalCloud has no SQS API), an SNS topic, a Lambda function (invoked
/// asynchronously with the record) or an EventBridge bus (an event from source <c>lambda</c>). A destination that is
/// gone drops the record, as a dead-letter target that is gone does (docs/localcloud-lambda.md).
/// </summary>
internal sealed class LambdaDestinations(LambdaStore functions, LambdaInvoker invoker, DeadLetters deadLetters, EventDelivery events, TimeProvider clock)
{
    public void Send(LambdaFunction source, string destination, bool success, JsonObject record)
    {
        string body = record.ToJsonString();
        switch (LambdaEventInvokeConfig.KindOf(destination))
        {
            case DestinationKind.Queue or DestinationKind.Topic:
                deadLetters.Send(destination, source.AccountId, body, new Dictionary<string, string>(StringComparer.Ordinal));
                break;
            case DestinationKind.Function when functions.FindByArn(destination) is { } target:
                invoker.Enqueue(target, Encoding.UTF8.GetBytes(body));
                break;
            case DestinationKind.EventBus:
                string[] parts = destination.Split(':', 6);
                events.Publish(parts[4], parts[3], parts[5]["event-bus/".Length..], EventDelivery.Envelope(
                    parts[4], parts[3], "lambda", success ? "Lambda Function Invocation Result - Success" : "Lambda Function Invocation Result - Failure",
                    [destination, source.Arn + ":$LATEST"], record, clock.GetUtcNow()));
                break;
        }
    }
}
