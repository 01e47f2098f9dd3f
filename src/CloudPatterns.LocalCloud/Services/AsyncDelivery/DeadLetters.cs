using CloudPatterns.LocalCloud.Authorization;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Sns;

namespace CloudPatterns.LocalCloud.Services.AsyncDelivery;

/// <summary>A failed delivery sent to an SQS dead-letter queue: LocalCloud keeps it (it has no SQS API).</summary>
internal sealed record DeadLetter(string QueueArn, string Body, IReadOnlyDictionary<string, string> Attributes, DateTimeOffset SentAt);

/// <summary>
/// Where EventBridge targets, Scheduler schedules and Lambda's asynchronous invocations send what they could not
/// deliver (docs/localcloud-delivery.md): an SNS topic is published to; an SQS queue (AWS's dead-letter queue for all
/// three) is kept here as a list of messages, readable at GET /_localcloud/dead-letters, since LocalCloud has no SQS API.
/// A dead-letter target that is gone drops the message, as AWS does.
/// </summary>
internal sealed class DeadLetters(SnsStore sns, TimeProvider clock)
{
    private readonly Lock gate = new();
    private readonly List<DeadLetter> queued = [];

    /// <summary>Whether <paramref name="arn"/> can be a Lambda function's dead-letter target (an SNS topic or an SQS queue ARN).</summary>
    public static bool IsTarget(string arn) =>
        arn.StartsWith("arn:aws:sns:", StringComparison.Ordinal) || IsQueue(arn);

    /// <summary>Whether <paramref name="arn"/> is an SQS queue ARN, the only dead-letter target of EventBridge rules and Scheduler schedules.</summary>
    public static bool IsQueue(string arn) => arn.StartsWith("arn:aws:sqs:", StringComparison.Ordinal);

    public void Send(string targetArn, string fallbackAccountId, string body, IReadOnlyDictionary<string, string> attributes)
    {
        if (targetArn.StartsWith("arn:aws:sqs:", StringComparison.Ordinal))
        {
            lock (gate)
            {
                queued.Add(new DeadLetter(targetArn, body, attributes, clock.GetUtcNow()));
            }

            return;
        }

        try
        {
            sns.Publish(RequestAuthorizer.AccountOf(targetArn) ?? fallbackAccountId, targetArn, subject: null, body, attributes);
        }
        catch (AwsServiceException)
        {
            // A dead-letter topic that is gone: the message is dropped.
        }
    }

    /// <summary>The messages kept for SQS queues, oldest first, optionally of one queue.</summary>
    public IReadOnlyList<DeadLetter> Read(string? queueArn)
    {
        lock (gate)
        {
            return queued.Where(letter => queueArn is null || letter.QueueArn == queueArn).ToList();
        }
    }
}
