using System.Security.Cryptography;
using CloudPatterns.LocalCloud.Services.Resources;

namespace CloudPatterns.LocalCloud.Services.Rds;

/// <summary>One RDS event as DescribeEvents answers it.</summary>
internal sealed record RdsEvent(string AccountId, string Region, string SourceIdentifier, string SourceType, string SourceArn, string EventId, string Message, string Category, DateTimeOffset Date);

/// <summary>
/// Multi-AZ failovers of DB instances on the sandbox clock (docs/localcloud-fleet.md, "RDS Multi-AZ"): a failover
/// (a reboot with failover, FIS, or an outage of the primary's zone) lasts 60–120 simulated seconds, then the standby
/// in the secondary zone is the primary; the endpoint does not change. Each start and completion is an event.
/// Settled on every RDS call, like the fleet; thread-safe.
/// </summary>
internal sealed partial class RdsFailovers(CloudResourceStore resources, TimeProvider clock)
{
    /// <summary>AWS's typical failover time for Multi-AZ DB instances: 60–120 s.</summary>
    public static readonly (int Min, int Max) DurationSeconds = (60, 120);

    private readonly Lock gate = new();
    private readonly List<RdsEvent> events = [];
    private readonly Dictionary<string, (DateTimeOffset Started, DateTimeOffset Completes, bool Rebooting)> pending = new(StringComparer.Ordinal);

    public DateTimeOffset Now => clock.GetUtcNow();

    public const string AvailabilityZone = "AvailabilityZone";
    public const string SecondaryAvailabilityZone = "SecondaryAvailabilityZone";

    /// <summary>Completes the failovers that are due (instances' and clusters'); call before reading instances or clusters.</summary>
    public void Settle()
    {
        lock (gate)
        {
            SettleClusters();
            var now = clock.GetUtcNow();
            foreach (var (arn, failover) in pending.Where(entry => entry.Value.Completes <= now).ToList())
            {
                pending.Remove(arn);
                if (resources.Find(arn) is not { } instance)
                {
                    continue;
                }

                var (primary, secondary) = (Primary(instance), Secondary(instance)!);
                var attributes = new Dictionary<string, string>(instance.Attributes, StringComparer.Ordinal)
                {
                    [AvailabilityZone] = secondary,
                    [SecondaryAvailabilityZone] = primary,
                };
                resources.Replace(instance with { Attributes = attributes });
                Record(instance, "RDS-EVENT-0049", "Multi-AZ instance failover completed.", failover.Completes);
            }
        }
    }

    /// <summary>The zone of the primary (the template's, else the region's "a").</summary>
    public static string Primary(CloudResource instance) => instance.Attributes.GetValueOrDefault(AvailabilityZone) ?? instance.Region + "a";

    /// <summary>The standby's zone of a Multi-AZ instance (another zone of the region), null for a Single-AZ one.</summary>
    public static string? Secondary(CloudResource instance)
    {
        if (!IsMultiAz(instance))
        {
            return null;
        }

        var primary = Primary(instance);
        return instance.Attributes.GetValueOrDefault(SecondaryAvailabilityZone) ?? instance.Region + (primary.EndsWith('a') ? "b" : "a");
    }

    public static bool IsMultiAz(CloudResource instance) => string.Equals(instance.Attributes.GetValueOrDefault("MultiAZ"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the instance is failing over, and whether a reboot asked for it (its status is then "rebooting").</summary>
    public (bool FailingOver, bool Rebooting) State(CloudResource instance)
    {
        lock (gate)
        {
            return pending.TryGetValue(instance.Arn, out var failover) ? (true, failover.Rebooting) : (false, false);
        }
    }

    /// <summary>Starts a failover of a Multi-AZ instance; false when one is already under way.</summary>
    public bool Start(CloudResource instance, bool rebooting, DateTimeOffset? at = null)
    {
        lock (gate)
        {
            if (pending.ContainsKey(instance.Arn))
            {
                return false;
            }

            var started = at ?? clock.GetUtcNow();
            var completes = started + TimeSpan.FromSeconds(RandomNumberGenerator.GetInt32(DurationSeconds.Min, DurationSeconds.Max + 1));
            pending[instance.Arn] = (started, completes, rebooting);
            Record(instance, "RDS-EVENT-0013", "Multi-AZ instance failover started.", started);
            return true;
        }
    }

    /// <summary>An outage of a zone: every Multi-AZ instance whose primary is there fails over to its standby.</summary>
    public void ZoneOutage(string accountId, string region, string zone, DateTimeOffset at)
    {
        Settle();
        ClusterZoneOutage(accountId, region, zone, at);
        foreach (var instance in resources.List(ResourceKind.RdsDbInstance, accountId, region).Where(instance => IsMultiAz(instance) && Primary(instance) == zone))
        {
            Start(instance, rebooting: false, at);
        }
    }

    public IReadOnlyList<RdsEvent> Events(string accountId, string region)
    {
        lock (gate)
        {
            return events.Where(entry => entry.AccountId == accountId && entry.Region == region).OrderBy(entry => entry.Date).ToList();
        }
    }

    private void Record(CloudResource source, string eventId, string message, DateTimeOffset date) =>
        events.Add(new RdsEvent(source.AccountId, source.Region, source.Name, source.Kind == ResourceKind.AuroraCluster ? "db-cluster" : "db-instance", source.Arn, eventId, message, "failover", date));
}
