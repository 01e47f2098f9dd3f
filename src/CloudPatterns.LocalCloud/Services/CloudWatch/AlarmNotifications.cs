using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Sns;

namespace CloudPatterns.LocalCloud.Services.CloudWatch;

/// <summary>Carries out alarm actions: a state change is published to every SNS topic among the new state's actions.</summary>
internal static class AlarmNotifications
{
    private static readonly JsonSerializerOptions MessageOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Publishes the state change to every SNS topic among the new state's actions, in CloudWatch's message format.</summary>
    public static void Publish(SnsStore sns, IEnumerable<AlarmStateChange> changes)
    {
        foreach (var (oldState, alarm) in changes.Where(change => change.Alarm.ActionsEnabled))
        {
            Publish(sns, oldState, alarm);
        }
    }

    private static void Publish(SnsStore sns, string oldState, MetricAlarm alarm)
    {
        var message = new JsonObject
        {
            ["AlarmName"] = alarm.AlarmName,
            ["AlarmDescription"] = alarm.AlarmDescription,
            ["AWSAccountId"] = alarm.AccountId,
            ["AlarmConfigurationUpdatedTimestamp"] = MessageTime(alarm.AlarmConfigurationUpdatedTimestamp),
            ["NewStateValue"] = alarm.StateValue,
            ["NewStateReason"] = alarm.StateReason,
            ["StateChangeTime"] = MessageTime(alarm.StateUpdatedTimestamp),
            ["Region"] = alarm.Region,
            ["AlarmArn"] = alarm.AlarmArn,
            ["OldStateValue"] = oldState,
            ["OKActions"] = CloudWatchService.Strings(alarm.OKActions),
            ["AlarmActions"] = CloudWatchService.Strings(alarm.AlarmActions),
            ["InsufficientDataActions"] = CloudWatchService.Strings(alarm.InsufficientDataActions),
            ["Trigger"] = Trigger(alarm),
        }.ToJsonString(MessageOptions);
        var subject = $"{alarm.StateValue}: \"{alarm.AlarmName}\" in {alarm.Region}";
        foreach (var topicArn in alarm.ActionsFor(alarm.StateValue).Where(action => action.StartsWith("arn:aws:sns:", StringComparison.Ordinal)))
        {
            try
            {
                sns.Publish(alarm.AccountId, topicArn, subject, message, new Dictionary<string, string>());
            }
            catch (AwsServiceException)
            {
                // CloudWatch records a failed action in the alarm history and carries on; LocalCloud keeps no history.
            }
        }
    }

    /// <summary>The alarm's rule; a metric math alarm's names its Metrics instead of one metric.</summary>
    private static JsonObject Trigger(MetricAlarm alarm)
    {
        var trigger = new JsonObject
        {
            ["MetricName"] = alarm.MetricName,
            ["Namespace"] = alarm.Namespace,
            ["StatisticType"] = alarm.ExtendedStatistic is null ? "Statistic" : "ExtendedStatistic",
            ["Statistic"] = alarm.Statistic?.ToUpperInvariant(),
            ["ExtendedStatistic"] = alarm.ExtendedStatistic,
            ["Unit"] = alarm.Unit,
            ["Dimensions"] = new JsonArray([.. alarm.Dimensions.Select(dimension => new JsonObject { ["value"] = dimension.Value, ["name"] = dimension.Name })]),
            ["Period"] = alarm.Period,
            ["EvaluationPeriods"] = alarm.EvaluationPeriods,
            ["DatapointsToAlarm"] = alarm.DatapointsToAlarm ?? alarm.EvaluationPeriods,
            ["ComparisonOperator"] = alarm.ComparisonOperator,
            ["Threshold"] = alarm.Threshold,
            ["TreatMissingData"] = alarm.TreatMissingData,
        };
        foreach (var absent in new[] { "Statistic", "ExtendedStatistic" }.Where(name => trigger[name] is null))
        {
            trigger.Remove(absent);
        }

        if (alarm.Metrics.Count > 0)
        {
            foreach (var single in new[] { "MetricName", "Namespace", "StatisticType", "Statistic", "ExtendedStatistic", "Unit", "Dimensions", "Period" })
            {
                trigger.Remove(single);
            }

            trigger["Metrics"] = AlarmQueries.Json(alarm.Metrics);
        }

        return trigger;
    }

    /// <summary>CloudWatch's alarm messages write times as 2026-11-27T14:01:00.000+0000.</summary>
    private static string MessageTime(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);
}
