using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.CloudFormation;
using CloudPatterns.LocalCloud.Services.Sns;

namespace CloudPatterns.LocalCloud.Services.CloudWatch;

/// <summary>
/// AWS::CloudWatch::Alarm in LocalCloud's CloudWatch: the properties are PutMetricAlarm's parameters, so creation
/// and in-place updates go through the same checks and evaluation; Ref is the alarm name (AlarmName or a generated
/// one); GetAtt Arn. Drift reads the stored alarm (a PutMetricAlarm out of band shows up).
/// </summary>
internal sealed class CloudWatchAlarmProvisioner(CloudWatchStore store, SnsStore sns, TimeProvider clock) : ServiceProvisioner(clock)
{
    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties)
    {
        var name = NameOrGenerated(request, properties, "AlarmName");
        if (store.FindAlarm(request.Stack.AccountId, request.Stack.Region, name) is not null)
        {
            // PutMetricAlarm would replace it.
            throw AlreadyExists(request, name);
        }

        Put(request, name);
        return Identity(request, name);
    }

    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current)
    {
        Put(request, current.PhysicalId);
        return Identity(request, current.PhysicalId);
    }

    protected override void Delete(ResourceRequest request, ProvisionedResource current) =>
        store.DeleteAlarms(request.Stack.AccountId, request.Stack.Region, [current.PhysicalId]);

    protected override bool Exists(ResourceRequest request, ProvisionedResource current) =>
        store.FindAlarm(request.Stack.AccountId, request.Stack.Region, current.PhysicalId) is not null;

    protected override JsonObject? ReadActual(ResourceRequest request, ProvisionedResource current) =>
        store.FindAlarm(request.Stack.AccountId, request.Stack.Region, current.PhysicalId) is { } alarm
            ? ActualState(request, new Dictionary<string, JsonNode?>
            {
                ["AlarmName"] = alarm.AlarmName,
                ["AlarmDescription"] = alarm.AlarmDescription,
                ["ActionsEnabled"] = alarm.ActionsEnabled,
                ["OKActions"] = CloudWatchService.Strings(alarm.OKActions),
                ["AlarmActions"] = CloudWatchService.Strings(alarm.AlarmActions),
                ["InsufficientDataActions"] = CloudWatchService.Strings(alarm.InsufficientDataActions),
                ["MetricName"] = alarm.MetricName,
                ["Namespace"] = alarm.Namespace,
                ["Statistic"] = alarm.Statistic,
                ["ExtendedStatistic"] = alarm.ExtendedStatistic,
                ["EvaluateLowSampleCountPercentile"] = alarm.EvaluateLowSampleCountPercentile,
                ["Dimensions"] = alarm.Metrics.Count > 0 ? null : new JsonArray([.. alarm.Dimensions.Select(dimension => (JsonNode)new JsonObject { ["Name"] = dimension.Name, ["Value"] = dimension.Value })]),
                ["Period"] = alarm.Metrics.Count > 0 ? null : alarm.Period,
                ["Unit"] = alarm.Unit,
                ["EvaluationPeriods"] = alarm.EvaluationPeriods,
                ["DatapointsToAlarm"] = alarm.DatapointsToAlarm,
                ["Threshold"] = alarm.ThresholdMetricId is null ? alarm.Threshold : null,
                ["ThresholdMetricId"] = alarm.ThresholdMetricId,
                ["ComparisonOperator"] = alarm.ComparisonOperator,
                ["TreatMissingData"] = alarm.TreatMissingData,
                ["Metrics"] = alarm.Metrics.Count > 0 ? AlarmQueries.Json(alarm.Metrics) : null,
            })
            : null;

    private void Put(ResourceRequest request, string name) =>
        CloudWatchService.PutAlarm(store, sns, request.Stack.AccountId, request.Stack.Region, name, new ProtocolInput(request.Properties));

    private static ProvisionedResource Identity(ResourceRequest request, string name) =>
        Provisioned(name, ("Arn", $"arn:{request.Stack.Partition}:cloudwatch:{request.Stack.Region}:{request.Stack.AccountId}:alarm:{name}"));
}
