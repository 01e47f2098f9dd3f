using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Resources;

namespace CloudPatterns.LocalCloud.Services.Rds;

/// <summary>
/// Aurora DB clusters in <see cref="CloudResourceStore"/> (docs/localcloud-rds.md, "Aurora clusters"): a cluster is
/// its own record; its instances are DB instance records naming it in DBClusterIdentifier. The writer is the member
/// the cluster's <see cref="WriterAttribute"/> names (the first member until a failover), the others are readers.
/// </summary>
internal static class AuroraClusters
{
    /// <summary>The cluster attribute naming its writer instance.</summary>
    public const string WriterAttribute = "Writer";

    /// <summary>The zones LocalCloud gives every region: Aurora instances without a zone are spread over them.</summary>
    private static readonly string[] ZoneLetters = ["a", "b", "c"];

    public static bool IsAurora(string? engine) => engine is "aurora-mysql" or "aurora-postgresql";

    public static IReadOnlyList<CloudResource> Members(CloudResourceStore store, CloudResource cluster) =>
        store.List(ResourceKind.RdsDbInstance, cluster.AccountId, cluster.Region)
            .Where(instance => string.Equals(instance.Attributes.GetValueOrDefault("DBClusterIdentifier"), cluster.Name, StringComparison.OrdinalIgnoreCase))
            .ToList();

    /// <summary>The writer: the member the cluster names, else its oldest member (null for a cluster without instances).</summary>
    public static CloudResource? Writer(IReadOnlyList<CloudResource> members, CloudResource cluster) =>
        members.FirstOrDefault(member => member.Name == cluster.Attributes.GetValueOrDefault(WriterAttribute)) ?? members.FirstOrDefault();

    /// <summary>The zone a new member without one goes to: the cluster's least used zone, as RDS spreads them.</summary>
    public static string ZoneForNewMember(CloudResourceStore store, CloudResource cluster)
    {
        var used = Members(store, cluster).GroupBy(RdsFailovers.Primary).ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal);
        return ZoneLetters.Select(letter => cluster.Region + letter).OrderBy(zone => used.GetValueOrDefault(zone)).First();
    }

    public static CloudResource Find(CloudResourceStore store, string accountId, string region, string identifier) =>
        store.Find(ResourceKind.AuroraCluster, accountId, region, identifier.ToLowerInvariant()) ?? throw NotFound(identifier);

    public static AwsServiceException NotFound(string identifier) => new(404, "DBClusterNotFoundFault", $"DBCluster {identifier} not found.");

    /// <summary>An instance that names a cluster: the cluster must exist; the instance gets a zone when it has none.</summary>
    public static Dictionary<string, string> Join(CloudResourceStore store, string accountId, string region, Dictionary<string, string> instance, bool zoneGiven)
    {
        if (instance.GetValueOrDefault("DBClusterIdentifier") is not { } identifier)
        {
            return instance;
        }

        var cluster = Find(store, accountId, region, identifier);
        instance["DBClusterIdentifier"] = cluster.Name;
        if (!zoneGiven)
        {
            instance["AvailabilityZone"] = ZoneForNewMember(store, cluster);
        }

        return instance;
    }
}
