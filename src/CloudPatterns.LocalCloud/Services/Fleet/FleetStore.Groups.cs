using System.Globalization;

namespace CloudPatterns.LocalCloud.Services.Fleet;

/// <summary>Auto Scaling groups: capacity, launches balanced over zones, terminations and health replacement.</summary>
internal sealed partial class FleetStore
{
    public AutoScalingGroup? Group(string accountId, string region, string name) => groups.GetValueOrDefault(Key(accountId, region, name));

    public IEnumerable<AutoScalingGroup> Groups(string accountId, string region) =>
        groups.Values.Where(group => group.AccountId == accountId && group.Region == region).OrderBy(group => group.Name, StringComparer.Ordinal);

    /// <summary>Adds a group and launches its desired capacity; false when one of that name exists.</summary>
    public bool AddGroup(AutoScalingGroup group) => Use(now =>
    {
        if (!groups.TryAdd(Key(group.AccountId, group.Region, group.Name), group))
        {
            return false;
        }

        Reconcile(group, now);
        return true;
    });

    /// <summary>Applies a change to a group (sizes, zones, target groups, launch) and brings its capacity in line.</summary>
    public void ChangeGroup(AutoScalingGroup group, Action<AutoScalingGroup> change) => Use(now =>
    {
        var before = group.TargetGroupArns;
        change(group);
        foreach (var removed in before.Except(group.TargetGroupArns).Select(targetGroups.GetValueOrDefault).OfType<TargetGroup>())
        {
            removed.Targets.RemoveAll(target => group.Instances.Any(instance => instance.Id == target.InstanceId));
        }

        foreach (var added in group.TargetGroupArns.Except(before).Select(targetGroups.GetValueOrDefault).OfType<TargetGroup>())
        {
            foreach (var instance in group.Instances.Where(instance => instance.LifecycleState == "InService"))
            {
                Register(added, instance.Id, added.Port, now);
            }
        }

        Reconcile(group, now);
    });

    /// <summary>Deletes a group and terminates its instances (what deleting a group with ForceDelete, or CloudFormation's delete, does).</summary>
    public void RemoveGroup(AutoScalingGroup group) => Use(now =>
    {
        foreach (var instance in group.Live.ToList())
        {
            Terminate(group, instance, now);
        }

        groups.Remove(Key(group.AccountId, group.Region, group.Name));
    });

    /// <summary>
    /// A scaling policy (or a user's ExecutePolicy) moves the desired capacity: the launches and terminations it
    /// causes carry <paramref name="trigger"/> ("At … a monitor alarm … triggered policy … changing the desired
    /// capacity from 2 to 3.") before the capacity difference, as Auto Scaling's activity causes do.
    /// </summary>
    public void ScaleTo(AutoScalingGroup group, int desired, string trigger) => Use(now =>
    {
        group.DesiredCapacity = desired;
        Reconcile(group, now, trigger + "  ");
    });

    /// <summary>Launches or terminates instances until the group runs its desired capacity.</summary>
    private void Reconcile(AutoScalingGroup group, DateTimeOffset time, string trigger = "")
    {
        var live = Counted(group);
        if (live < group.DesiredCapacity)
        {
            var cause = $"{trigger}At {Stamp(time)} an instance was started in response to a difference between desired and actual capacity, increasing the capacity from {live} to {group.DesiredCapacity}.";
            for (; live < group.DesiredCapacity; live++)
            {
                if (Launch(group, time, cause) is null)
                {
                    break;
                }
            }
        }

        if (live > group.DesiredCapacity)
        {
            var cause = $"{trigger}At {Stamp(time)} an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from {live} to {group.DesiredCapacity}.";
            for (; live > group.DesiredCapacity; live--)
            {
                // The default termination policy: the zone with the most instances, then the oldest instance there;
                // instances protected from scale-in are never chosen (the group then stays above its desired capacity).
                if (!group.Live.Any(instance => !instance.ProtectedFromScaleIn && !group.RebalanceLaunches.Contains(instance.Id)))
                {
                    break;
                }

                var victim = TerminationChoice(group)!;
                Terminate(group, victim, time);
                Record(group, $"Terminating EC2 instance: {victim.Id}", cause, time, "Successful", null);
            }
        }
    }

    /// <summary>
    /// Launches one instance in the group's zone with the fewest running instances (Auto Scaling's zone balancing),
    /// skipping zones that are down. Null, with a failed activity, when no zone can take it.
    /// </summary>
    private FleetInstance? Launch(AutoScalingGroup group, DateTimeOffset time, string cause)
    {
        var zone = group.Zones
            .Where(zone => !ZoneFailed(group.AccountId, group.Region, zone.AvailabilityZone))
            .OrderBy(zone => group.Live.Count(instance => instance.Placement.AvailabilityZone == zone.AvailabilityZone))
            .FirstOrDefault();
        if (zone is null)
        {
            var last = group.Activities.LastOrDefault();
            if (last is not { StatusCode: "Failed" })
            {
                Record(group, "Launching a new EC2 instance.  Status Reason: We currently do not have sufficient capacity in the Availability Zone you requested.",
                    cause, time, "Failed",
                    $"We currently do not have sufficient capacity in the Availability Zone you requested ({string.Join(", ", group.Zones.Select(candidate => candidate.AvailabilityZone))}). Launching EC2 instance failed.");
            }

            return null;
        }

        var instance = new FleetInstance
        {
            Id = NewInstanceId(),
            AccountId = group.AccountId,
            Region = group.Region,
            Placement = zone,
            ImageId = group.Launch.ImageId,
            InstanceType = group.Launch.InstanceType,
            SecurityGroupIds = group.Launch.SecurityGroupIds,
            LaunchTime = time,
            PrivateIpAddress = PrivateIp(),
            GroupName = group.Name,
            LaunchTemplateId = group.Launch.TemplateId,
            LaunchTemplateVersion = group.Launch.TemplateVersion,
            Tags = new Dictionary<string, string>(group.Tags, StringComparer.Ordinal) { ["aws:autoscaling:groupName"] = group.Name },
            ProtectedFromScaleIn = group.NewInstancesProtectedFromScaleIn,
        };
        instances[instance.Id] = instance;
        group.Instances.Add(instance);
        Record(group, $"Launching a new EC2 instance: {instance.Id}", cause, time, "Successful", null);
        return instance;
    }

    /// <summary>The group's health check found the instance unhealthy after its grace period: it is terminated and replaced.</summary>
    private void ReplaceUnhealthy(AutoScalingGroup group, FleetInstance instance, DateTimeOffset time)
    {
        instance.HealthStatus = "Unhealthy";
        var check = group.HealthCheckType == "ELB" && instance.Active ? "ELB system health check failure" : "EC2 health check that has reported it as unhealthy";
        Terminate(group, instance, time);
        Record(group, $"Terminating EC2 instance: {instance.Id}", $"At {Stamp(time)} an instance was taken out of service in response to an {check}.", time, "Successful", null);
        Reconcile(group, time);
    }

    /// <summary>Deregisters the instance from the group's target groups and terminates it.</summary>
    private void Terminate(AutoScalingGroup group, FleetInstance instance, DateTimeOffset time)
    {
        foreach (var targetGroup in targetGroups.Values)
        {
            targetGroup.Targets.RemoveAll(target => target.InstanceId == instance.Id);
        }

        instance.LifecycleState = "Terminated";
        instance.State = "terminated";
        instance.TerminatedAt = time;
        group.Instances.Remove(instance);
        group.RebalanceLaunches.Remove(instance.Id);
    }

    private static void Record(AutoScalingGroup group, string description, string cause, DateTimeOffset time, string status, string? message) =>
        group.Activities.Add(new ScalingActivity(Guid.NewGuid().ToString(), description, cause, time, time, status, message));

    /// <summary>Auto Scaling's times in activity causes: 2026-12-05T16:04:00Z.</summary>
    internal static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
