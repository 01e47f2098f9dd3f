using System.Globalization;
using System.Text;
using CloudPatterns.LocalCloud.Authorization;
using CloudPatterns.LocalCloud.Identity;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.AsyncDelivery;
using CloudPatterns.LocalCloud.Services.Events;
using CloudPatterns.LocalCloud.Services.Iam;
using CloudPatterns.LocalCloud.Services.Lambda;
using CloudPatterns.LocalCloud.Services.Sns;

namespace CloudPatterns.LocalCloud.Services.Scheduler;

/// <summary>
/// Runs due schedules (docs/localcloud-scheduler.md): EventBridge Scheduler assumes the schedule's RoleArn (its trust
/// policy must let scheduler.amazonaws.com assume it) and, as that role, invokes the target: a Lambda function
/// asynchronously (lambda:InvokeFunction) or an SNS topic (sns:Publish), with the schedule's Input. A refusal is not
/// retried and goes to the dead-letter queue or topic; a throttled function is retried per the RetryPolicy (Redelivery).
/// </summary>
internal sealed class SchedulerDelivery(
    SchedulerStore store,
    IamStore iam,
    LambdaStore functions,
    LambdaInvoker invoker,
    SnsStore sns,
    DeadLetters deadLetters,
    Func<CallerIdentity, string, string, string, AuthorizationDecision> authorizeAs,
    string organizationId)
{
    private const string SchedulerPrincipal = "scheduler.amazonaws.com";
    private readonly PendingWork work = new();

    public bool Busy => work.Busy;

    public Task DrainAsync() => work.DrainAsync();

    public void RunDue(DateTimeOffset now)
    {
        foreach (var (schedule, time) in store.Due(now))
        {
            work.Queue(() => Deliver(schedule, time));
        }
    }

    private void Deliver(Schedule schedule, DateTimeOffset scheduledTime)
    {
        var execution = "";
        var input = "";
        var attempt = 0;
        var (failure, retries) = Redelivery.Run(
            () =>
            {
                // Each attempt has its own execution id and number (context attributes, docs/localcloud-scheduler.md).
                execution = Guid.NewGuid().ToString("N")[..16];
                input = ContextAttributes(schedule, scheduledTime, execution, ++attempt);
                return Send(schedule, execution, input);
            },
            new RetryPolicy(schedule.Target.MaximumRetryAttempts));
        if (failure is not null)
        {
            DeadLetter(schedule, execution, input, failure, retries);
        }
    }

    /// <summary>The target's Input with EventBridge Scheduler's context attribute keywords replaced by their values.</summary>
    private static string ContextAttributes(Schedule schedule, DateTimeOffset scheduledTime, string execution, int attempt) =>
        (schedule.Target.Input ?? "{}")
            .Replace("<aws.scheduler.schedule-arn>", schedule.Arn, StringComparison.Ordinal)
            .Replace("<aws.scheduler.scheduled-time>", scheduledTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("<aws.scheduler.execution-id>", execution, StringComparison.Ordinal)
            .Replace("<aws.scheduler.attempt-number>", attempt.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    /// <summary>One attempt; null when the target accepted the invocation.</summary>
    private DeliveryFailure? Send(Schedule schedule, string execution, string input)
    {
        var target = schedule.Target;
        if (iam.FindRole(target.RoleArn) is not { } role || !Trusts(role, schedule))
        {
            return new DeliveryFailure("AccessDeniedException", $"EventBridge Scheduler cannot assume the role {target.RoleArn}: it must exist and trust {SchedulerPrincipal}.", false);
        }

        var session = CallerIdentity.ForRoleSession(role, execution);
        var service = target.Arn.Split(':') is { Length: > 5 } parts ? parts[2] : "";
        var action = service switch
        {
            "lambda" => "lambda:InvokeFunction",
            "sns" => "sns:Publish",
            _ => null,
        };
        if (action is null)
        {
            return new DeliveryFailure("ValidationException", $"LocalCloud's Scheduler invokes Lambda functions and SNS topics only, not {target.Arn}.", false);
        }

        var decision = authorizeAs(session, action, target.Arn, schedule.Region);
        if (!decision.Allowed)
        {
            return new DeliveryFailure("AccessDeniedException", $"{session.Arn} is not authorized to perform: {action} on resource: {target.Arn}", false);
        }

        if (service == "lambda")
        {
            if (functions.FindByArn(target.Arn) is not { } function)
            {
                return new DeliveryFailure("ResourceNotFoundException", $"Function not found: {target.Arn}", false);
            }

            if (function.ReservedConcurrency == 0)
            {
                return new DeliveryFailure("TooManyRequestsException", "Rate Exceeded.", true);
            }

            invoker.Enqueue(function, Encoding.UTF8.GetBytes(input));
            return null;
        }

        try
        {
            sns.Publish(RequestAuthorizer.AccountOf(target.Arn) ?? schedule.AccountId, target.Arn, subject: null, input, new Dictionary<string, string>(StringComparer.Ordinal));
            return null;
        }
        catch (AwsServiceException error)
        {
            return new DeliveryFailure(error.Code, error.Message, false);
        }
    }

    /// <summary>The role's trust policy must let scheduler.amazonaws.com assume it (aws:SourceAccount/aws:SourceArn set).</summary>
    private bool Trusts(IamRole role, Schedule schedule) => ServiceTrust.Trusts(role, organizationId, SchedulerPrincipal, schedule.AccountId, schedule.Arn);

    private void DeadLetter(Schedule schedule, string execution, string input, DeliveryFailure failure, int attempts)
    {
        if (schedule.Target.DeadLetterArn is { } deadLetter)
        {
            deadLetters.Send(deadLetter, schedule.AccountId, input, new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["ERROR_CODE"] = failure.Code,
                ["ERROR_MESSAGE"] = failure.Message,
                ["EXECUTION_ID"] = execution,
                ["SCHEDULE_ARN"] = schedule.Arn,
                ["TARGET_ARN"] = schedule.Target.Arn,
                ["RETRY_ATTEMPTS"] = attempts.ToString(CultureInfo.InvariantCulture),
            });
        }
    }
}
