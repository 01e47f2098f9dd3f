namespace CloudPatterns.LocalCloud.Services.Fleet;

/// <summary>
/// Availability Zone rebalancing (Auto Scaling's AZRebalance process, docs/localcloud-autoscaling.md, "Rebalancing
/// across zones"): when the instances of a group are spread unevenly over its zones that are up (a zone came back
/// after an outage, the group's zones changed), the group launches in the emptiest zone first and lets an instance
/// of the fullest zone go only once the new one is InService, staying within its maximum plus 10 % (at least one
/// instance) meanwhile.
/// </summary>
internal sealed partial class FleetStore
{
    /// <summary>The process name SuspendProcesses and ResumeProcesses take for rebalancing.</summary>
    public const string AzRebalance = "AZRebalance";

    /// <summary>The instances that count toward the desired capacity: not the extra ones launched to balance the zones.</summary>
    private static int Counted(AutoScalingGroup group) => group.Live.Count(instance => !group.RebalanceLaunches.Contains(instance.Id));

    /// <summary>How far above its maximum a group may go while it rebalances: 10 % of the maximum, at least one instance.</summary>
    internal static int RebalanceMargin(int maxSize) => Math.Max(1, maxSize / 10);

    /// <summary>Starts the launches that balance each group's zones at <paramref name="time"/>, as many as the margin allows.</summary>
    private void Rebalance(DateTimeOffset time)
    {
        foreach (var group in groups.Values)
        {
            if (group.SuspendedProcesses.ContainsKey(AzRebalance) || Counted(group) < group.DesiredCapacity)
            {
                continue;
            }

            var room = Math.Max(group.MaxSize, group.DesiredCapacity) + RebalanceMargin(group.MaxSize) - group.Live.Count();
            for (var moves = MovesNeeded(group) - group.RebalanceLaunches.Count; moves > 0 && room > 0; moves--, room--)
            {
                if (Launch(group, time, $"At {Stamp(time)} an instance was launched to aid in balancing the group's zones.") is not { } launched)
                {
                    break;
                }

                group.RebalanceLaunches.Add(launched.Id);
            }
        }
    }

    /// <summary>
    /// How many instances must move for the zones that are up to differ by at most one, counting only the instances
    /// the termination policy may choose in the fuller zones (protected instances stay where they are).
    /// </summary>
    private int MovesNeeded(AutoScalingGroup group)
    {
        var zones = group.Zones.Select(zone => zone.AvailabilityZone).Distinct(StringComparer.Ordinal)
            .Where(zone => !ZoneFailed(group.AccountId, group.Region, zone)).ToList();
        if (zones.Count < 2)
        {
            return 0;
        }

        var counts = zones.ToDictionary(zone => zone, zone => group.Live.Count(instance => instance.Placement.AvailabilityZone == zone && !group.RebalanceLaunches.Contains(instance.Id)), StringComparer.Ordinal);
        var movable = zones.ToDictionary(zone => zone, zone => group.Live.Count(instance => instance.Placement.AvailabilityZone == zone && !instance.ProtectedFromScaleIn && !group.RebalanceLaunches.Contains(instance.Id)), StringComparer.Ordinal);
        var moves = 0;
        while (true)
        {
            var fullest = zones.Where(zone => movable[zone] > 0).OrderByDescending(zone => counts[zone]).FirstOrDefault();
            var emptiest = zones.OrderBy(zone => counts[zone]).First();
            if (fullest is null || counts[fullest] - counts[emptiest] <= 1)
            {
                return moves;
            }

            (counts[fullest], movable[fullest], counts[emptiest], moves) = (counts[fullest] - 1, movable[fullest] - 1, counts[emptiest] + 1, moves + 1);
        }
    }

    /// <summary>A rebalancing launch is InService: the group terminates one instance of its fullest zone, if it is still above its desired capacity.</summary>
    private void Rebalanced(AutoScalingGroup group, DateTimeOffset time)
    {
        if (Counted(group) <= group.DesiredCapacity || TerminationChoice(group) is not { } victim)
        {
            return;
        }

        Terminate(group, victim, time);
        Record(group, $"Terminating EC2 instance: {victim.Id}", $"At {Stamp(time)} an instance was taken out of service in response to an Availability Zone rebalancing activity.", time, "Successful", null);
    }

    /// <summary>
    /// The default termination policy: the zone with the most instances, then the oldest instance there; never an
    /// instance protected from scale-in, nor one launched to balance the zones that is not running yet. Null when none may go.
    /// </summary>
    private static FleetInstance? TerminationChoice(AutoScalingGroup group) =>
        group.Live.Where(instance => !instance.ProtectedFromScaleIn && !group.RebalanceLaunches.Contains(instance.Id))
            .GroupBy(instance => instance.Placement.AvailabilityZone)
            .OrderByDescending(zone => group.Live.Count(instance => instance.Placement.AvailabilityZone == zone.Key)).ThenBy(zone => zone.Key, StringComparer.Ordinal)
            .FirstOrDefault()?
            .OrderBy(instance => instance.LaunchTime).First();
}
