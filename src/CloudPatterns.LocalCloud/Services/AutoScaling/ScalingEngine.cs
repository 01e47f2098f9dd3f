using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.CloudWatch;
using CloudPatterns.LocalCloud.Services.Fleet;
using CloudPatterns.LocalCloud.Services.Sns;

namespace CloudPatterns.LocalCloud.Services.AutoScaling;

/// <summary>
/// Auto Scaling's dynamic scaling on the sandbox clock (docs/localcloud-autoscaling.md). Scaling policies live here;
/// a target tracking policy's two alarms live in CloudWatch. Nothing runs in the background: <see cref="Settle"/>
/// walks every simulated minute up to now (the clock's tick, a clock move and every Auto Scaling call settle), and
/// at each minute puts the CPU the sandbox's load gives each group, evaluates every alarm whose actions name a
/// scaling policy, and runs the policies of the alarms in ALARM (or OK, when named there): an alarm keeps invoking
/// its Auto Scaling action every minute it stays in the state, unlike other actions. Simple scaling waits out its
/// cooldown; step scaling and target tracking do not count instances still warming up when they scale out.
/// </summary>
internal sealed class ScalingEngine(FleetStore fleet, CloudWatchStore cloudWatch, SnsStore sns, TimeProvider clock)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan LongestCatchUp = TimeSpan.FromDays(1);
    private readonly Lock gate = new();
    private readonly Dictionary<string, ScalingPolicy> policies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> cooldownEnds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> cpuDemand = new(StringComparer.Ordinal);
    private DateTimeOffset? lastMinute;

    /// <summary>Creates or replaces a policy; a target tracking policy's alarms are (re)made, keeping their names.</summary>
    public ScalingPolicy Put(ScalingPolicy policy)
    {
        lock (gate)
        {
            Settle();
            var existing = policies.GetValueOrDefault(policy.Key);
            var stored = policy with { PolicyArn = existing?.PolicyArn ?? policy.PolicyArn, AlarmNames = [] };
            var oldAlarms = existing?.AlarmNames ?? [];
            if (stored.TargetTracking is { } tracking)
            {
                var suffix = Guid.NewGuid().ToString();
                string Name(string kind) => oldAlarms.FirstOrDefault(name => name.Contains($"-{kind}-", StringComparison.Ordinal))
                    ?? $"TargetTracking-{policy.GroupName}-{kind}-{suffix}";
                var names = tracking.DisableScaleIn ? new[] { Name("AlarmHigh") } : [Name("AlarmHigh"), Name("AlarmLow")];
                stored = stored with { AlarmNames = names };
                PutAlarm(stored, names[0], tracking, high: true);
                if (names.Length > 1)
                {
                    PutAlarm(stored, names[1], tracking, high: false);
                }
            }

            var dropped = oldAlarms.Except(stored.AlarmNames).ToList();
            if (dropped.Count > 0)
            {
                cloudWatch.DeleteAlarms(policy.AccountId, policy.Region, dropped);
            }

            policies[policy.Key] = stored;
            return stored;
        }
    }

    /// <summary>Deletes a policy and the alarms target tracking made for it; false when there is none.</summary>
    public bool Delete(string accountId, string region, string groupName, string policyName)
    {
        lock (gate)
        {
            if (!policies.Remove(ScalingPolicies.Key(accountId, region, groupName, policyName), out var policy))
            {
                return false;
            }

            if (policy.AlarmNames.Count > 0)
            {
                cloudWatch.DeleteAlarms(accountId, region, [.. policy.AlarmNames]);
            }

            return true;
        }
    }

    public IReadOnlyList<ScalingPolicy> Policies(string accountId, string region)
    {
        lock (gate)
        {
            Settle();
            return policies.Values.Where(policy => policy.AccountId == accountId && policy.Region == region)
                .OrderBy(policy => policy.GroupName, StringComparer.Ordinal).ThenBy(policy => policy.PolicyName, StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>The alarms whose actions name the policy (a target tracking policy's own, or those a user pointed at it).</summary>
    public IReadOnlyList<(string Name, string Arn)> AlarmsOf(ScalingPolicy policy) => cloudWatch.AlarmsWithAction(policy.PolicyArn);

    /// <summary>
    /// The sandbox's load on a group: CPU demand in percent of one instance, shared by its InService instances (each
    /// reports at most 100). Null stops the group's CPU metric.
    /// </summary>
    public void SetCpuDemand(string accountId, string region, string groupName, double? demand)
    {
        lock (gate)
        {
            Settle();
            var key = GroupKey(accountId, region, groupName);
            if (demand is { } value)
            {
                cpuDemand[key] = value;
                PutCpu(key, value, clock.GetUtcNow());
            }
            else
            {
                cpuDemand.Remove(key);
            }
        }
    }

    /// <summary>
    /// ExecutePolicy: runs a simple or step scaling policy now. With <paramref name="honorCooldown"/>, a simple
    /// policy in its group's cooldown is refused with ScalingActivityInProgress.
    /// </summary>
    public void Execute(ScalingPolicy policy, bool honorCooldown, double? metricValue, double? breachThreshold)
    {
        lock (gate)
        {
            Settle();
            var now = clock.GetUtcNow();
            if (policy.PolicyType == "TargetTrackingScaling")
            {
                throw new AwsServiceException(400, "ValidationError", $"Policy {policy.PolicyName} is a target tracking scaling policy; ExecutePolicy runs only simple and step scaling policies.");
            }

            if (policy.PolicyType == "StepScaling" && (metricValue is null || breachThreshold is null))
            {
                throw new AwsServiceException(400, "ValidationError", "MetricValue and BreachThreshold are required to execute a step scaling policy.");
            }

            if (honorCooldown && policy.PolicyType == "SimpleScaling" && cooldownEnds.GetValueOrDefault(GroupKey(policy)) is var ends && ends > now)
            {
                throw new AwsServiceException(400, "ScalingActivityInProgress", $"Group {policy.GroupName} is in its cooldown period until {Stamp(ends)}; policy {policy.PolicyName} was not executed.");
            }

            Run(policy, metricValue ?? 0, breachThreshold ?? 0, now, honorCooldown: false, $"At {Stamp(now)} a user request executed policy {policy.PolicyName}");
        }
    }

    /// <summary>Walks the simulated minutes up to now (at most a day back): puts each loaded group's CPU, then runs the policies their alarms invoke.</summary>
    public void Settle()
    {
        lock (gate)
        {
            var now = clock.GetUtcNow();
            var current = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % Minute.Ticks), TimeSpan.Zero);
            if (policies.Count == 0 && cpuDemand.Count == 0)
            {
                lastMinute = current;
                return;
            }

            var minute = lastMinute is { } last && current - last <= LongestCatchUp ? last + Minute : current;
            if (minute > current)
            {
                return;
            }

            DropOrphans();
            for (; minute <= current; minute += Minute)
            {
                foreach (var (key, demand) in cpuDemand.ToList())
                {
                    PutCpu(key, demand, minute);
                }

                InvokeAlarmActions(minute);
                lastMinute = minute;
            }
        }
    }

    private void InvokeAlarmActions(DateTimeOffset time)
    {
        var byArn = policies.Values.ToDictionary(policy => policy.PolicyArn, StringComparer.Ordinal);
        var (evaluated, changes) = cloudWatch.EvaluateAt(alarm => alarm.ActionsEnabled && alarm.AlarmActions.Concat(alarm.OKActions).Any(byArn.ContainsKey), time);
        AlarmNotifications.Publish(sns, changes);
        foreach (var (alarm, latest) in evaluated)
        {
            foreach (var policy in alarm.ActionsFor(alarm.StateValue).Select(byArn.GetValueOrDefault).OfType<ScalingPolicy>().Where(policy => policy.Enabled))
            {
                if (latest is { } value)
                {
                    Run(policy, value, alarm.Threshold, time, honorCooldown: true,
                        $"At {Stamp(time)} a monitor alarm {alarm.AlarmName} in state {alarm.StateValue} triggered policy {policy.PolicyName}");
                }
            }
        }
    }

    /// <summary>Computes the policy's new desired capacity, within the group's bounds, and applies it when it differs.</summary>
    private void Run(ScalingPolicy policy, double metricValue, double threshold, DateTimeOffset time, bool honorCooldown, string trigger)
    {
        var groupKey = GroupKey(policy);
        if (honorCooldown && policy.PolicyType == "SimpleScaling" && cooldownEnds.GetValueOrDefault(groupKey) > time)
        {
            return;
        }

        var change = fleet.Use(now =>
        {
            if (fleet.Group(policy.AccountId, policy.Region, policy.GroupName) is not { } group)
            {
                return null;
            }

            var desired = group.DesiredCapacity;
            var warmup = TimeSpan.FromSeconds(policy.EstimatedInstanceWarmup ?? group.DefaultInstanceWarmup ?? 0);
            var warming = group.Live.Count(instance => instance.LifecycleState == "Pending" || instance.RunningAt + warmup > now);
            int? wanted = policy.PolicyType switch
            {
                "SimpleScaling" => Adjusted(policy, policy.ScalingAdjustment ?? 0, desired),
                "StepScaling" => Step(policy, metricValue - threshold) is { } step ? Adjusted(policy, step, policy.AdjustmentType == "ExactCapacity" ? desired : desired - warming) : null,
                _ => Tracked(policy.TargetTracking!, metricValue, desired, desired - warming),
            };
            if (wanted is not { } target)
            {
                return null;
            }

            // Scale-out counts only instances past their warm-up, so a breach that persists while they warm up adds
            // nothing more; scale-in waits until none is warming up (docs/localcloud-autoscaling.md, "Warm-up").
            var next = policy.PolicyType == "SimpleScaling" ? target : target > desired ? target : warming > 0 ? desired : target;
            next = Math.Clamp(next, group.MinSize, group.MaxSize);
            if (next == desired)
            {
                return null;
            }

            fleet.ScaleTo(group, next, $"{trigger} changing the desired capacity from {desired} to {next}.");
            return (int?)group.DefaultCooldown;
        });
        if (change is { } defaultCooldown && policy.PolicyType == "SimpleScaling")
        {
            cooldownEnds[groupKey] = time + TimeSpan.FromSeconds(policy.Cooldown ?? defaultCooldown);
        }
    }

    /// <summary>The adjustment of the step whose interval holds the breach (lower bound inclusive above the threshold, upper bound inclusive below it).</summary>
    private static int? Step(ScalingPolicy policy, double breach) => policy.StepAdjustments
        .FirstOrDefault(step => breach >= 0
            ? breach >= (step.LowerBound ?? double.NegativeInfinity) && breach < (step.UpperBound ?? double.PositiveInfinity)
            : breach > (step.LowerBound ?? double.NegativeInfinity) && breach <= (step.UpperBound ?? double.PositiveInfinity))
        ?.ScalingAdjustment;

    private static int Adjusted(ScalingPolicy policy, int adjustment, int capacity) => policy.AdjustmentType switch
    {
        "ExactCapacity" => adjustment,
        "PercentChangeInCapacity" => capacity + PercentChange(capacity, adjustment, policy.MinAdjustmentMagnitude),
        _ => capacity + adjustment,
    };

    /// <summary>A percent change rounds toward zero above 1 in magnitude, away from zero below it (at least one instance), then MinAdjustmentMagnitude.</summary>
    private static int PercentChange(int capacity, int percent, int? minMagnitude)
    {
        var exact = capacity * percent / 100.0;
        var change = Math.Abs(exact) >= 1 ? (int)Math.Truncate(exact) : Math.Sign(exact);
        return minMagnitude is { } least && Math.Abs(change) < least ? Math.Sign(change) * least : change;
    }

    /// <summary>Target tracking: the capacity that brings the metric to its target, proportionally (a scale-out adds at least one instance).</summary>
    private static int? Tracked(TargetTracking tracking, double value, int desired, int counted)
    {
        if (tracking.TargetValue <= 0)
        {
            return null;
        }

        if (value > tracking.TargetValue)
        {
            return Math.Max(counted + 1, (int)Math.Ceiling(Math.Max(counted, 1) * value / tracking.TargetValue));
        }

        return tracking.DisableScaleIn ? null : Math.Min(desired, (int)Math.Ceiling(desired * value / tracking.TargetValue));
    }

    /// <summary>
    /// A target tracking alarm as Auto Scaling makes it: high, 3 of 3 one-minute periods above the target; low, 15 of
    /// 15 below 90 % of it (docs/localcloud-autoscaling.md, "Target tracking alarms").
    /// </summary>
    private void PutAlarm(ScalingPolicy policy, string name, TargetTracking tracking, bool high)
    {
        var now = clock.GetUtcNow();
        var periods = high ? 3 : 15;
        var changes = cloudWatch.PutMetricAlarm(new MetricAlarm
        {
            AlarmName = name,
            AlarmArn = $"arn:aws:cloudwatch:{policy.Region}:{policy.AccountId}:alarm:{name}",
            AccountId = policy.AccountId,
            Region = policy.Region,
            AlarmDescription = $"DO NOT EDIT OR DELETE. For TargetTrackingScaling policy {policy.PolicyArn}.",
            AlarmActions = [policy.PolicyArn],
            MetricName = tracking.MetricName,
            Namespace = tracking.MetricNamespace,
            Statistic = tracking.Statistic,
            Dimensions = [.. tracking.Dimensions],
            Unit = tracking.Unit,
            Period = 60,
            EvaluationPeriods = periods,
            DatapointsToAlarm = periods,
            Threshold = high ? tracking.TargetValue : tracking.TargetValue * 0.9,
            ComparisonOperator = high ? "GreaterThanThreshold" : "LessThanThreshold",
            AlarmConfigurationUpdatedTimestamp = now,
        });
        AlarmNotifications.Publish(sns, changes);
    }

    private void PutCpu(string groupKey, double demand, DateTimeOffset time)
    {
        var parts = groupKey.Split('|');
        var serving = fleet.Use(_ => fleet.Group(parts[0], parts[1], parts[2])?.Instances.Count(instance => instance.LifecycleState == "InService") ?? 0);
        if (serving == 0)
        {
            return;
        }

        var value = Math.Min(100, demand / serving);
        AlarmNotifications.Publish(sns, cloudWatch.PutMetricData(parts[0], parts[1], "AWS/EC2",
            [("CPUUtilization", [new Dimension("AutoScalingGroupName", parts[2])], new Datapoint(time, 1, value, value, value, "Percent"))]));
    }

    /// <summary>A group deleted (by CloudFormation or with its stack) takes its policies, their alarms and its load with it.</summary>
    private void DropOrphans()
    {
        foreach (var policy in policies.Values.Where(policy => fleet.Use(_ => fleet.Group(policy.AccountId, policy.Region, policy.GroupName)) is null).ToList())
        {
            Delete(policy.AccountId, policy.Region, policy.GroupName, policy.PolicyName);
        }

        foreach (var key in cpuDemand.Keys.Where(key => key.Split('|') is var parts && fleet.Use(_ => fleet.Group(parts[0], parts[1], parts[2])) is null).ToList())
        {
            cpuDemand.Remove(key);
        }
    }

    private static string GroupKey(ScalingPolicy policy) => GroupKey(policy.AccountId, policy.Region, policy.GroupName);

    private static string GroupKey(string accountId, string region, string groupName) => $"{accountId}|{region}|{groupName}";

    private static string Stamp(DateTimeOffset time) => FleetStore.Stamp(time);
}
