using System.Globalization;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.CloudWatch;

namespace CloudPatterns.LocalCloud.Services.AutoScaling;

/// <summary>One step of a step scaling policy: bounds relative to the alarm's threshold (null: unbounded).</summary>
internal sealed record StepAdjustment(double? LowerBound, double? UpperBound, int ScalingAdjustment);

/// <summary>What a target tracking policy tracks: the metric (predefined or customized), the target and whether it scales in.</summary>
internal sealed record TargetTracking(
    string? PredefinedMetricType,
    string? ResourceLabel,
    string MetricNamespace,
    string MetricName,
    IReadOnlyList<Dimension> Dimensions,
    string Statistic,
    string? Unit,
    double TargetValue,
    bool DisableScaleIn);

/// <summary>
/// A scaling policy of an Auto Scaling group (docs/localcloud-autoscaling.md). Immutable: PutScalingPolicy replaces
/// it, keeping its ARN and (target tracking) its alarms' names.
/// </summary>
internal sealed record ScalingPolicy
{
    public required string AccountId { get; init; }

    public required string Region { get; init; }

    public required string GroupName { get; init; }

    public required string PolicyName { get; init; }

    public required string PolicyArn { get; init; }

    /// <summary>SimpleScaling, StepScaling or TargetTrackingScaling.</summary>
    public required string PolicyType { get; init; }

    /// <summary>ChangeInCapacity, ExactCapacity or PercentChangeInCapacity (simple and step scaling).</summary>
    public string? AdjustmentType { get; init; }

    public int? ScalingAdjustment { get; init; }

    public int? MinAdjustmentMagnitude { get; init; }

    /// <summary>Simple scaling's cooldown; null: the group's DefaultCooldown.</summary>
    public int? Cooldown { get; init; }

    public string? MetricAggregationType { get; init; }

    public IReadOnlyList<StepAdjustment> StepAdjustments { get; init; } = [];

    /// <summary>Step scaling and target tracking; null: the group's DefaultInstanceWarmup, else 0 (our reading of the docs).</summary>
    public int? EstimatedInstanceWarmup { get; init; }

    public TargetTracking? TargetTracking { get; init; }

    public bool Enabled { get; init; } = true;

    /// <summary>The target tracking policy's alarms (high first), by name.</summary>
    public IReadOnlyList<string> AlarmNames { get; init; } = [];

    public string Key => ScalingPolicies.Key(AccountId, Region, GroupName, PolicyName);
}

/// <summary>Reads and checks PutScalingPolicy's parameters (also AWS::AutoScaling::ScalingPolicy's properties, which carry the same names).</summary>
internal static class ScalingPolicies
{
    public static readonly IReadOnlyList<string> PolicyTypes = ["SimpleScaling", "StepScaling", "TargetTrackingScaling"];
    public static readonly IReadOnlyList<string> AdjustmentTypes = ["ChangeInCapacity", "ExactCapacity", "PercentChangeInCapacity"];
    public static readonly IReadOnlyList<string> PredefinedMetricTypes = ["ASGAverageCPUUtilization", "ASGAverageNetworkIn", "ASGAverageNetworkOut", "ALBRequestCountPerTarget"];
    private static readonly IReadOnlyList<string> AggregationTypes = ["Minimum", "Maximum", "Average"];

    public static string Key(string accountId, string region, string groupName, string policyName) => $"{accountId}|{region}|{groupName}|{policyName}";

    /// <summary>
    /// The policy the input describes, or one ValidationError naming every bad value and what is allowed. Members
    /// that belong to another policy type are refused, as Auto Scaling refuses them (docs/localcloud-autoscaling.md).
    /// </summary>
    public static ScalingPolicy Read(ProtocolInput input, string accountId, string region, string groupName, string policyName, string policyArn)
    {
        var problems = new List<string>();
        var type = input.String("PolicyType") ?? "SimpleScaling";
        if (!PolicyTypes.Contains(type))
        {
            problems.Add($"PolicyType '{type}' is not one of {string.Join(", ", PolicyTypes)}");
        }

        var adjustmentType = input.String("AdjustmentType");
        var scalingAdjustment = input.Int("ScalingAdjustment");
        var steps = input.List("StepAdjustments").Select(step => new StepAdjustment(step.Double("MetricIntervalLowerBound"), step.Double("MetricIntervalUpperBound"), step.Int("ScalingAdjustment") ?? 0)).ToList();
        var tracking = input.Structure("TargetTrackingConfiguration");
        var cooldown = input.Int("Cooldown");
        var warmup = input.Int("EstimatedInstanceWarmup");
        var aggregation = input.String("MetricAggregationType");
        var minMagnitude = input.Int("MinAdjustmentMagnitude");
        void NotFor(string member, bool given)
        {
            if (given)
            {
                problems.Add($"{member} is not supported for policy type {type}");
            }
        }

        if (adjustmentType is not null && !AdjustmentTypes.Contains(adjustmentType))
        {
            problems.Add($"AdjustmentType '{adjustmentType}' is not one of {string.Join(", ", AdjustmentTypes)}");
        }

        if (minMagnitude is not null && adjustmentType != "PercentChangeInCapacity")
        {
            problems.Add("MinAdjustmentMagnitude is only supported with AdjustmentType PercentChangeInCapacity");
        }

        TargetTracking? target = null;
        switch (type)
        {
            case "SimpleScaling":
                Need("AdjustmentType", adjustmentType);
                Need("ScalingAdjustment", scalingAdjustment);
                NotFor("StepAdjustments", steps.Count > 0);
                NotFor("TargetTrackingConfiguration", tracking is not null);
                NotFor("EstimatedInstanceWarmup", warmup is not null);
                NotFor("MetricAggregationType", aggregation is not null);
                break;
            case "StepScaling":
                Need("AdjustmentType", adjustmentType);
                if (steps.Count == 0)
                {
                    problems.Add("StepAdjustments is required for policy type StepScaling");
                }

                CheckSteps(steps, problems);
                NotFor("ScalingAdjustment", scalingAdjustment is not null);
                NotFor("Cooldown", cooldown is not null);
                NotFor("TargetTrackingConfiguration", tracking is not null);
                if (aggregation is not null && !AggregationTypes.Contains(aggregation))
                {
                    problems.Add($"MetricAggregationType '{aggregation}' is not one of {string.Join(", ", AggregationTypes)}");
                }

                break;
            case "TargetTrackingScaling":
                NotFor("AdjustmentType", adjustmentType is not null);
                NotFor("ScalingAdjustment", scalingAdjustment is not null);
                NotFor("StepAdjustments", steps.Count > 0);
                NotFor("Cooldown", cooldown is not null);
                NotFor("MetricAggregationType", aggregation is not null);
                target = tracking is null ? null : Tracking(tracking, groupName, problems);
                if (tracking is null)
                {
                    problems.Add("TargetTrackingConfiguration is required for policy type TargetTrackingScaling");
                }

                break;
        }

        if (cooldown is < 0 || warmup is < 0)
        {
            problems.Add("Cooldown and EstimatedInstanceWarmup must be 0 or more seconds");
        }

        if (problems.Count > 0)
        {
            throw new AwsServiceException(400, "ValidationError", string.Join("; ", problems) + ".");
        }

        return new ScalingPolicy
        {
            AccountId = accountId,
            Region = region,
            GroupName = groupName,
            PolicyName = policyName,
            PolicyArn = policyArn,
            PolicyType = type,
            AdjustmentType = adjustmentType,
            ScalingAdjustment = scalingAdjustment,
            MinAdjustmentMagnitude = minMagnitude,
            Cooldown = cooldown,
            MetricAggregationType = type == "StepScaling" ? aggregation ?? "Average" : null,
            StepAdjustments = steps,
            EstimatedInstanceWarmup = warmup,
            TargetTracking = target,
            Enabled = input.Bool("Enabled") ?? true,
        };

        void Need(string member, object? value)
        {
            if (value is null)
            {
                problems.Add($"{member} is required for policy type {type}");
            }
        }
    }

    /// <summary>Step intervals: each bounded on one side at least, at most one unbounded upper and one unbounded lower, none overlapping.</summary>
    private static void CheckSteps(List<StepAdjustment> steps, List<string> problems)
    {
        if (steps.Any(step => step.LowerBound is null && step.UpperBound is null))
        {
            problems.Add("A step adjustment must have MetricIntervalLowerBound, MetricIntervalUpperBound or both");
        }

        if (steps.Any(step => step.LowerBound is { } lower && step.UpperBound is { } upper && lower >= upper))
        {
            problems.Add("A step adjustment's MetricIntervalLowerBound must be less than its MetricIntervalUpperBound");
        }

        var ordered = steps.OrderBy(step => step.LowerBound ?? double.NegativeInfinity).ToList();
        for (var index = 1; index < ordered.Count; index++)
        {
            if ((ordered[index - 1].UpperBound ?? double.PositiveInfinity) > (ordered[index].LowerBound ?? double.NegativeInfinity))
            {
                problems.Add("Step adjustments' intervals must not overlap");
                break;
            }
        }
    }

    private static TargetTracking? Tracking(ProtocolInput tracking, string groupName, List<string> problems)
    {
        var predefined = tracking.Structure("PredefinedMetricSpecification");
        var customized = tracking.Structure("CustomizedMetricSpecification");
        var targetValue = tracking.Double("TargetValue");
        if (targetValue is null)
        {
            problems.Add("TargetTrackingConfiguration.TargetValue is required");
        }

        if ((predefined is null) == (customized is null))
        {
            problems.Add("TargetTrackingConfiguration needs exactly one of PredefinedMetricSpecification and CustomizedMetricSpecification");
            return null;
        }

        var disableScaleIn = tracking.Bool("DisableScaleIn") ?? false;
        if (predefined is not null)
        {
            var metricType = predefined.String("PredefinedMetricType");
            var label = predefined.String("ResourceLabel");
            if (metricType is null || !PredefinedMetricTypes.Contains(metricType))
            {
                problems.Add($"PredefinedMetricType '{metricType}' is not one of {string.Join(", ", PredefinedMetricTypes)}");
                return null;
            }

            if (metricType == "ALBRequestCountPerTarget")
            {
                // app/<load balancer>/<id>/targetgroup/<target group>/<id>: the metric's TargetGroup dimension is the second half.
                var at = label?.IndexOf("/targetgroup/", StringComparison.Ordinal) ?? -1;
                if (label is null || !label.StartsWith("app/", StringComparison.Ordinal) || at < 0)
                {
                    problems.Add(label is null
                        ? "ResourceLabel is required with PredefinedMetricType ALBRequestCountPerTarget: app/<load-balancer-name>/<id>/targetgroup/<target-group-name>/<id>"
                        : $"ResourceLabel '{label}' must be app/<load-balancer-name>/<id>/targetgroup/<target-group-name>/<id>");
                    return null;
                }

                return new TargetTracking(metricType, label, "AWS/ApplicationELB", "RequestCountPerTarget", [new Dimension("TargetGroup", label[(at + 1)..])], "Sum", null, targetValue ?? 0, disableScaleIn);
            }

            if (label is not null)
            {
                problems.Add($"ResourceLabel is only supported with PredefinedMetricType ALBRequestCountPerTarget, not {metricType}");
            }

            var metricName = metricType switch
            {
                "ASGAverageCPUUtilization" => "CPUUtilization",
                "ASGAverageNetworkIn" => "NetworkIn",
                _ => "NetworkOut",
            };
            return new TargetTracking(metricType, null, "AWS/EC2", metricName, [new Dimension("AutoScalingGroupName", groupName)], "Average", null, targetValue ?? 0, disableScaleIn);
        }

        if (customized!.List("Metrics").Count > 0)
        {
            problems.Add("CustomizedMetricSpecification.Metrics (metric math) is not emulated by LocalCloud; give MetricName, Namespace, Dimensions and Statistic");
            return null;
        }

        var statistic = customized.String("Statistic");
        if (customized.String("MetricName") is not { } name || customized.String("Namespace") is not { } metricNamespace || statistic is null)
        {
            problems.Add("CustomizedMetricSpecification needs MetricName, Namespace and Statistic");
            return null;
        }

        if (!Datapoint.Statistics.Contains(statistic))
        {
            problems.Add($"CustomizedMetricSpecification.Statistic '{statistic}' is not one of {string.Join(", ", Datapoint.Statistics)}");
        }

        var dimensions = customized.List("Dimensions").Select(dimension => new Dimension(dimension.String("Name") ?? "", dimension.String("Value") ?? "")).ToList();
        return new TargetTracking(null, null, metricNamespace, name, dimensions, statistic, customized.String("Unit"), targetValue ?? 0, disableScaleIn);
    }

    /// <summary>A number as Auto Scaling's XML writes it.</summary>
    public static string Number(double value) => value.ToString("0.0##############", CultureInfo.InvariantCulture);
}
