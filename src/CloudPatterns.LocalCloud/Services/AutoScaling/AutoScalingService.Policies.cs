using System.Xml.Linq;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.AutoScaling;

/// <summary>Scaling policies (PutScalingPolicy, DescribePolicies, DeletePolicy, ExecutePolicy) and SetInstanceProtection.</summary>
internal sealed partial class AutoScalingService
{
    private void AddPolicyOperations()
    {
        AddOperation("PutScalingPolicy", mutating: true, PutScalingPolicy);
        AddOperation("DescribePolicies", mutating: false, DescribePolicies);
        AddOperation("DeletePolicy", mutating: true, DeletePolicy);
        AddOperation("ExecutePolicy", mutating: true, ExecutePolicy);
        AddOperation("SetInstanceProtection", mutating: true, SetInstanceProtection);
    }

    private IEnumerable<XElement> PutScalingPolicy(AwsRequest request, QueryParameters parameters)
    {
        var policyName = parameters.Get("PolicyName") ?? throw Missing("policyName");
        var policy = PutPolicy(engine, Find(request, parameters), policyName, new ProtocolInput(QueryCompatibleJsonService.QueryTree(parameters)));
        return [Element("PolicyARN", policy.PolicyArn), Element("Alarms", Alarms(policy))];
    }

    /// <summary>PutScalingPolicy's checks and effect, also for AWS::AutoScaling::ScalingPolicy (its properties carry the same names).</summary>
    internal static ScalingPolicy PutPolicy(ScalingEngine engine, Fleet.AutoScalingGroup group, string policyName, ProtocolInput input)
    {
        var arn = $"arn:aws:autoscaling:{group.Region}:{group.AccountId}:scalingPolicy:{Guid.NewGuid()}:autoScalingGroupName/{group.Name}:policyName/{policyName}";
        return engine.Put(ScalingPolicies.Read(input, group.AccountId, group.Region, group.Name, policyName, arn));
    }

    private IEnumerable<XElement> DescribePolicies(AwsRequest request, QueryParameters parameters)
    {
        var groupName = parameters.Get("AutoScalingGroupName");
        var names = parameters.GetList("PolicyNames");
        var types = parameters.GetList("PolicyTypes");
        var selected = engine.Policies(request.AccountId, request.Region)
            .Where(policy => (groupName is null || policy.GroupName == groupName)
                && (names.Count == 0 || names.Contains(policy.PolicyName) || names.Contains(policy.PolicyArn))
                && (types.Count == 0 || types.Contains(policy.PolicyType)))
            .Select(policy => Element("member", Policy(policy)))
            .ToList();
        return [Element("ScalingPolicies", selected)];
    }

    private IEnumerable<XElement> DeletePolicy(AwsRequest request, QueryParameters parameters)
    {
        var policy = FindPolicy(request, parameters);
        engine.Delete(policy.AccountId, policy.Region, policy.GroupName, policy.PolicyName);
        return [];
    }

    private IEnumerable<XElement> ExecutePolicy(AwsRequest request, QueryParameters parameters)
    {
        var policy = FindPolicy(request, parameters);
        var input = new ProtocolInput(QueryCompatibleJsonService.QueryTree(parameters));
        engine.Execute(policy, input.Bool("HonorCooldown") ?? false, input.Double("MetricValue"), input.Double("BreachThreshold"));
        return [];
    }

    /// <summary>SetInstanceProtection: every instance must belong to the group; protected instances are never chosen for scale-in.</summary>
    private IEnumerable<XElement> SetInstanceProtection(AwsRequest request, QueryParameters parameters)
    {
        var group = Find(request, parameters);
        var ids = parameters.GetList("InstanceIds");
        var protect = Flag(parameters, "ProtectedFromScaleIn") ?? throw Missing("protectedFromScaleIn");
        if (ids.Count is 0 or > 50)
        {
            throw new AwsServiceException(400, "ValidationError", $"InstanceIds must name 1 to 50 instances; {ids.Count} given.");
        }

        fleet.Use(_ =>
        {
            var strangers = ids.Where(id => group.Live.All(instance => instance.Id != id)).ToList();
            if (strangers.Count > 0)
            {
                throw new AwsServiceException(400, "ValidationError", $"The instance(s) {string.Join(", ", strangers)} are not part of Auto Scaling group {group.Name}.");
            }

            foreach (var instance in group.Live.Where(instance => ids.Contains(instance.Id)))
            {
                instance.ProtectedFromScaleIn = protect;
            }
        });
        return [];
    }

    /// <summary>A policy by name within the group, or by ARN (then the group name may be left out).</summary>
    private ScalingPolicy FindPolicy(AwsRequest request, QueryParameters parameters)
    {
        var name = parameters.Get("PolicyName") ?? throw Missing("policyName");
        var groupName = parameters.Get("AutoScalingGroupName");
        return engine.Policies(request.AccountId, request.Region)
            .FirstOrDefault(policy => policy.PolicyArn == name || (policy.PolicyName == name && policy.GroupName == groupName))
            ?? throw new AwsServiceException(400, "ValidationError", $"Scaling policy {name} not found{(groupName is null ? "" : $" for Auto Scaling group {groupName}")}; give the policy's name with its group, or its ARN.");
    }

    private IEnumerable<XElement> Alarms(ScalingPolicy policy) => engine.AlarmsOf(policy)
        .Select(alarm => Element("member", new[] { Element("AlarmName", alarm.Name), Element("AlarmARN", alarm.Arn) }));

    private IEnumerable<XElement?> Policy(ScalingPolicy policy) =>
    [
        Element("AutoScalingGroupName", policy.GroupName),
        Element("PolicyName", policy.PolicyName),
        Element("PolicyARN", policy.PolicyArn),
        Element("PolicyType", policy.PolicyType),
        policy.AdjustmentType is { } adjustment ? Element("AdjustmentType", adjustment) : null,
        policy.MinAdjustmentMagnitude is { } magnitude ? Element("MinAdjustmentMagnitude", magnitude) : null,
        policy.ScalingAdjustment is { } scaling ? Element("ScalingAdjustment", scaling) : null,
        policy.Cooldown is { } cooldown ? Element("Cooldown", cooldown) : null,
        Element("StepAdjustments", policy.StepAdjustments.Select(step => Element("member", new[]
        {
            step.LowerBound is { } lower ? Element("MetricIntervalLowerBound", ScalingPolicies.Number(lower)) : null,
            step.UpperBound is { } upper ? Element("MetricIntervalUpperBound", ScalingPolicies.Number(upper)) : null,
            Element("ScalingAdjustment", step.ScalingAdjustment),
        }))),
        policy.MetricAggregationType is { } aggregation ? Element("MetricAggregationType", aggregation) : null,
        policy.EstimatedInstanceWarmup is { } warmup ? Element("EstimatedInstanceWarmup", warmup) : null,
        Element("Alarms", Alarms(policy)),
        policy.TargetTracking is { } tracking ? Element("TargetTrackingConfiguration", Tracking(tracking)) : null,
        Element("Enabled", policy.Enabled ? "true" : "false"),
    ];

    private IEnumerable<XElement> Tracking(TargetTracking tracking) =>
    [
        tracking.PredefinedMetricType is { } predefined
            ? Element("PredefinedMetricSpecification", new[]
            {
                Element("PredefinedMetricType", predefined),
                tracking.ResourceLabel is { } label ? Element("ResourceLabel", label) : null,
            })
            : Element("CustomizedMetricSpecification", new[]
            {
                Element("MetricName", tracking.MetricName),
                Element("Namespace", tracking.MetricNamespace),
                Element("Dimensions", tracking.Dimensions.Select(dimension => Element("member", new[] { Element("Name", dimension.Name), Element("Value", dimension.Value) }))),
                Element("Statistic", tracking.Statistic),
                tracking.Unit is { } unit ? Element("Unit", unit) : null,
            }),
        Element("TargetValue", ScalingPolicies.Number(tracking.TargetValue)),
        Element("DisableScaleIn", tracking.DisableScaleIn ? "true" : "false"),
    ];
}
