using System.Globalization;
using System.Security.Cryptography;

namespace CloudPatterns.LocalCloud.Services.Fleet;

/// <summary>
/// EC2 instances, Auto Scaling groups and Elastic Load Balancing v2 of every account and region, as one simulation
/// on the sandbox clock (docs/localcloud-fleet.md). Nothing runs in the background: every call first settles what is
/// due up to the clock's now, in time order (instances boot, targets are health-checked every interval, groups
/// replace unhealthy instances after their grace period and launch what their desired capacity asks for), so the
/// outcome depends only on the simulated times, never on how fast the host is. One lock guards all of it.
/// </summary>
internal sealed partial class FleetStore(TimeProvider clock)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, FleetInstance> instances = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AutoScalingGroup> groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LoadBalancer> loadBalancers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TargetGroup> targetGroups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Listener> listeners = new(StringComparer.Ordinal);
    // A failed zone and when its outage ends by itself (an FIS action's duration), null while it lasts until restored.
    private readonly Dictionary<string, DateTimeOffset?> failedZones = new(StringComparer.Ordinal);

    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>Settles what is due, then reads (or changes) the fleet under its lock. Materialise results inside.</summary>
    public T Use<T>(Func<DateTimeOffset, T> action)
    {
        lock (gate)
        {
            var now = clock.GetUtcNow();
            Settle(now);
            return action(now);
        }
    }

    public void Use(Action<DateTimeOffset> action) => Use(now =>
    {
        action(now);
        return true;
    });

    public IEnumerable<FleetInstance> Instances(string accountId, string region) =>
        instances.Values.Where(instance => instance.AccountId == accountId && instance.Region == region).OrderBy(instance => instance.LaunchTime).ThenBy(instance => instance.Id, StringComparer.Ordinal);

    public FleetInstance? Instance(string id) => instances.GetValueOrDefault(id);

    // ---- Availability Zone and subnet faults ----

    /// <summary>
    /// An Availability Zone outage: its instances stop answering and nothing launches there until it is restored, or
    /// until <paramref name="until"/> (then the fleet restores it at that simulated time). An admin outage is the
    /// zone's failure, so RDS fails Multi-AZ primaries there over (<see cref="ZoneWentDown"/>); a network disruption
    /// (FIS's aws:network:disrupt-connectivity, <paramref name="zoneFailure"/> false) only cuts the traffic.
    /// </summary>
    public void FailZone(string accountId, string region, string zone, bool failed, DateTimeOffset? until = null, bool zoneFailure = true)
    {
        var began = Use(now =>
        {
            var key = Key(accountId, region, zone);
            var changed = failed ? failedZones.TryAdd(key, until) : failedZones.Remove(key);
            if (failed && !changed)
            {
                failedZones[key] = until;
            }

            return failed && changed ? now : (DateTimeOffset?)null;
        });
        if (began is { } time && zoneFailure)
        {
            ZoneWentDown?.Invoke(accountId, region, zone, time);
        }
    }

    /// <summary>Told when a zone's outage begins (RDS fails Multi-AZ primaries there over to their standbys).</summary>
    public Action<string, string, string, DateTimeOffset>? ZoneWentDown { get; set; }

    /// <summary>The faults in force, for the admin API.</summary>
    public object Faults() => Use(_ => new
    {
        failedZones = failedZones.Keys.Order(StringComparer.Ordinal).ToList(),
        restores = failedZones.Where(entry => entry.Value is not null).OrderBy(entry => entry.Key, StringComparer.Ordinal)
            .ToDictionary(entry => entry.Key, entry => entry.Value!.Value.UtcDateTime.ToString("o", CultureInfo.InvariantCulture)),
    });

    private bool ZoneFailed(string accountId, string region, string zone) => failedZones.ContainsKey(Key(accountId, region, zone));

    /// <summary>Whether traffic reaches the instance: its zone is up.</summary>
    public bool Reachable(FleetInstance instance) => !ZoneFailed(instance.AccountId, instance.Region, instance.Placement.AvailabilityZone);

    /// <summary>Whether the instance's server answers at <paramref name="time"/>: it runs, its user data finished, and traffic reaches it.</summary>
    public bool Serving(FleetInstance instance, DateTimeOffset time) => instance.Active && time >= instance.ServingAt && Reachable(instance);

    private static string Key(string accountId, string region, string name) => $"{accountId}|{region}|{name}";

    // ---- The simulation ----

    /// <summary>Runs every event due up to <paramref name="now"/>, earliest first.</summary>
    private void Settle(DateTimeOffset now)
    {
        while (NextEvent(now) is { } next)
        {
            next.Apply();
            Rebalance(next.Time);
        }

        // Launches that failed (no zone could take them) are retried now: a zone may be back.
        foreach (var group in groups.Values.Where(group => Counted(group) < group.DesiredCapacity))
        {
            Reconcile(group, now);
        }

        Rebalance(now);
    }

    private (DateTimeOffset Time, Action Apply)? NextEvent(DateTimeOffset now)
    {
        (DateTimeOffset Time, Action Apply)? earliest = null;
        void Consider(DateTimeOffset time, Action apply)
        {
            if (time <= now && (earliest is null || time < earliest.Value.Time))
            {
                earliest = (time, apply);
            }
        }

        foreach (var (zone, until) in failedZones.Where(entry => entry.Value is not null))
        {
            Consider(until!.Value, () => failedZones.Remove(zone));
        }

        foreach (var instance in instances.Values.Where(instance => instance.State == "pending"))
        {
            Consider(instance.RunningAt, () => Run(instance, instance.RunningAt));
        }

        foreach (var group in targetGroups.Values)
        {
            foreach (var target in group.Targets)
            {
                Consider(target.NextCheck, () => Check(group, target, target.NextCheck, now));
            }
        }

        foreach (var group in groups.Values)
        {
            foreach (var instance in group.Instances.Where(instance => instance.LifecycleState == "InService" && instance.HealthStatus == "Healthy"))
            {
                if (UnhealthySince(group, instance) is { } since)
                {
                    var due = Max(since, instance.LaunchTime + TimeSpan.FromSeconds(group.HealthCheckGracePeriod));
                    Consider(due, () => ReplaceUnhealthy(group, instance, due));
                }
            }
        }

        return earliest;
    }

    /// <summary>When the group's health check found the instance unhealthy: EC2 checks the instance state, ELB also its targets' health.</summary>
    private DateTimeOffset? UnhealthySince(AutoScalingGroup group, FleetInstance instance)
    {
        if (!instance.Active)
        {
            return instance.TerminatedAt ?? instance.LaunchTime;
        }

        if (group.HealthCheckType != "ELB")
        {
            return null;
        }

        return group.TargetGroupArns.Select(targetGroups.GetValueOrDefault).OfType<TargetGroup>()
            .SelectMany(targetGroup => targetGroup.Targets)
            .Where(target => target.InstanceId == instance.Id && target.State == "unhealthy")
            .Select(target => (DateTimeOffset?)target.StateSince)
            .Min();
    }

    /// <summary>pending → running; a group's instance goes InService and is registered with the group's target groups.</summary>
    private void Run(FleetInstance instance, DateTimeOffset time)
    {
        instance.State = "running";
        if (instance.GroupName is not null && groups.Values.FirstOrDefault(group => group.Instances.Contains(instance)) is { } group)
        {
            instance.LifecycleState = "InService";
            foreach (var targetGroup in group.TargetGroupArns.Select(targetGroups.GetValueOrDefault).OfType<TargetGroup>())
            {
                Register(targetGroup, instance.Id, targetGroup.Port, time);
            }

            if (group.RebalanceLaunches.Remove(instance.Id))
            {
                Rebalanced(group, time);
            }
        }
    }

    /// <summary>
    /// One health check of a target at <paramref name="time"/>. A result that confirms the target's settled state is
    /// repeated until the instance next changes (boots, its server starts) or until now, so a quiet fleet costs a
    /// few events per call however far the clock moved.
    /// </summary>
    private void Check(TargetGroup group, Target target, DateTimeOffset time, DateTimeOffset now)
    {
        var interval = TimeSpan.FromSeconds(group.HealthCheck.IntervalSeconds);
        var instance = instances.GetValueOrDefault(target.InstanceId);
        if (target.State == "draining" || instance is null)
        {
            target.NextCheck = time + interval;
            return;
        }

        if (!InUse(group, instance))
        {
            SetState(target, "unused", time);
            target.NextCheck = time + (Floor(now - time, interval) + 1) * interval;
            return;
        }

        var passed = Serving(instance, time);
        target.ConsecutiveResults = target.LastCheckPassed == passed ? target.ConsecutiveResults + 1 : 1;
        target.LastCheckPassed = passed;
        if (passed && target.State != "healthy" && target.ConsecutiveResults >= group.HealthCheck.HealthyThreshold)
        {
            SetState(target, "healthy", time);
        }
        else if (!passed && target.State != "unhealthy" && target.ConsecutiveResults >= group.HealthCheck.UnhealthyThreshold)
        {
            SetState(target, "unhealthy", time);
        }

        var next = time + interval;
        if ((passed && target.State == "healthy") || (!passed && target.State == "unhealthy"))
        {
            // Settled: skip the checks that can only repeat this result (before the instance's next change, up to now).
            var change = new[] { instance.RunningAt, instance.ServingAt }.Where(moment => moment > time).Order().Cast<DateTimeOffset?>().FirstOrDefault();
            var skipped = change is { } until && until <= now ? Ceiling(until - next, interval) : now < next ? 0 : Floor(now - next, interval) + 1;
            next += skipped * interval;
        }

        target.NextCheck = next;
    }

    private static long Ceiling(TimeSpan span, TimeSpan interval) => span <= TimeSpan.Zero ? 0 : (span.Ticks + interval.Ticks - 1) / interval.Ticks;

    private static long Floor(TimeSpan span, TimeSpan interval) => span <= TimeSpan.Zero ? 0 : span.Ticks / interval.Ticks;

    private static void SetState(Target target, string state, DateTimeOffset time)
    {
        if (target.State != state)
        {
            target.State = state;
            target.StateSince = time;
        }
    }

    /// <summary>Whether a load balancer sends the group traffic in the instance's zone (else the target is "unused").</summary>
    private bool InUse(TargetGroup group, FleetInstance instance) =>
        LoadBalancersOf(group).Any(balancer => balancer.Zones.Any(zone => zone.AvailabilityZone == instance.Placement.AvailabilityZone));

    /// <summary>The load balancers whose listeners forward to the target group.</summary>
    public IEnumerable<LoadBalancer> LoadBalancersOf(TargetGroup group) =>
        listeners.Values.Where(listener => listener.DefaultAction.TargetGroupArn == group.Arn)
            .Select(listener => loadBalancers.GetValueOrDefault(listener.LoadBalancerArn)).OfType<LoadBalancer>().Distinct();

    private void Register(TargetGroup group, string instanceId, int port, DateTimeOffset time)
    {
        if (group.Targets.Any(target => target.InstanceId == instanceId && target.Port == port))
        {
            return;
        }

        group.Targets.Add(new Target
        {
            InstanceId = instanceId,
            Port = port,
            RegisteredAt = time,
            StateSince = time,
            NextCheck = time + TimeSpan.FromSeconds(group.HealthCheck.IntervalSeconds),
        });
    }

    private static DateTimeOffset Max(DateTimeOffset first, DateTimeOffset second) => first > second ? first : second;

    private static string NewInstanceId() => "i-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(9))[..17];

    private static string PrivateIp() =>
        string.Create(CultureInfo.InvariantCulture, $"10.0.{RandomNumberGenerator.GetInt32(0, 256)}.{RandomNumberGenerator.GetInt32(4, 255)}");
}
