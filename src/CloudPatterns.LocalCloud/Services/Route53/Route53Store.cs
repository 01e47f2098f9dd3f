using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace CloudPatterns.LocalCloud.Services.Route53;

/// <summary>
/// Route 53's hosted zones, record sets, changes and health checks, per account (Route 53 is global: no region).
/// A change batch is checked change by change against a working copy of the zone and applied only when every change
/// is valid, as Route 53 applies batches atomically. Health checks and the sandbox's DNS answers: Route53Store.Health.cs.
/// </summary>
internal sealed partial class Route53Store(TimeProvider clock)
{
    /// <summary>How long a change stays PENDING: Route 53 propagates changes to its name servers within 60 seconds.</summary>
    public static readonly TimeSpan Propagation = TimeSpan.FromSeconds(60);

    private static readonly string[] Actions = ["CREATE", "DELETE", "UPSERT"];
    private static readonly string[] Types = ["SOA", "A", "TXT", "NS", "CNAME", "MX", "NAPTR", "PTR", "SRV", "SPF", "AAAA", "CAA", "DS"];

    private readonly Lock gate = new();
    private readonly Dictionary<string, HostedZone> zones = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ZoneChange> changes = new(StringComparer.Ordinal);

    public TimeProvider Clock { get; } = clock;

    /// <summary>A change's status: PENDING until it has propagated, then INSYNC.</summary>
    public string StatusOf(ZoneChange change) => Clock.GetUtcNow() - change.SubmittedAt >= Propagation ? "INSYNC" : "PENDING";

    /// <summary>When the next PENDING change becomes INSYNC (the sandbox clock may skip to it), or null.</summary>
    public DateTimeOffset? NextPendingChange(DateTimeOffset now)
    {
        lock (gate)
        {
            return changes.Values.Select(change => change.SubmittedAt + Propagation).Where(due => due > now).Order().Cast<DateTimeOffset?>().FirstOrDefault();
        }
    }

    /// <summary>Whether a VPC exists (account, region, VPC id); LocalCloud's VPCs are the ones CloudFormation made.</summary>
    public Func<string, string, string, bool> VpcExists { get; set; } = (_, _, _) => false;

    /// <summary>A public zone, or with <paramref name="vpcs"/> a private one (each VPC must exist).</summary>
    public (HostedZone Zone, ZoneChange Change) CreateHostedZone(string accountId, string name, string callerReference, string? comment, IReadOnlyList<ZoneVpc>? vpcs = null)
    {
        var zoneName = Fqdn(name);
        if (!IsDomainName(zoneName))
        {
            throw Route53Errors.InvalidDomainName(name);
        }
        if (vpcs?.FirstOrDefault(vpc => !VpcExists(accountId, vpc.VpcRegion, vpc.VpcId)) is { } missing)
        {
            throw Route53Errors.InvalidVpcId(missing.VpcId);
        }

        lock (gate)
        {
            if (zones.Values.Any(zone => zone.AccountId == accountId && zone.CallerReference == callerReference))
            {
                throw Route53Errors.HostedZoneAlreadyExists(zoneName);
            }

            var id = NewId('Z');
            var nameServers = Enumerable.Range(0, 4)
                .Select(index => $"ns-{RandomNumberGenerator.GetInt32(2048)}.awsdns-{RandomNumberGenerator.GetInt32(64):00}.{(new[] { "com", "net", "org", "co.uk" })[index]}.")
                .ToList();
            var zone = new HostedZone(id, accountId, zoneName, callerReference, comment, Clock.GetUtcNow()) { NameServers = nameServers, Vpcs = vpcs ?? [] };

            // Every zone starts with its SOA and NS record sets (Route 53's defaults: NS TTL 172800, SOA TTL 900).
            zone.Records.Add(new RecordSet(zoneName, "NS") { Ttl = 172800, Values = nameServers });
            zone.Records.Add(new RecordSet(zoneName, "SOA") { Ttl = 900, Values = [$"{nameServers[0]} awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"] });
            zones[id] = zone;
            return (zone, Submit(accountId, comment));
        }
    }

    public HostedZone GetHostedZone(string accountId, string id)
    {
        lock (gate)
        {
            return Find(accountId, id);
        }
    }

    public IReadOnlyList<HostedZone> ListHostedZones(string accountId)
    {
        lock (gate)
        {
            return [.. zones.Values.Where(zone => zone.AccountId == accountId).OrderBy(zone => zone.Name, StringComparer.Ordinal).ThenBy(zone => zone.Id, StringComparer.Ordinal)];
        }
    }

    public ZoneChange DeleteHostedZone(string accountId, string id)
    {
        lock (gate)
        {
            var zone = Find(accountId, id);
            if (zone.Records.Any(record => !(record.Name == zone.Name && record.Type is "SOA" or "NS")))
            {
                throw Route53Errors.HostedZoneNotEmpty();
            }

            zones.Remove(id);
            return Submit(accountId, null);
        }
    }

    /// <summary>The zone's record sets in Route 53's list order: by name with its labels reversed, then type, then set identifier.</summary>
    public IReadOnlyList<RecordSet> ListRecordSets(string accountId, string id)
    {
        lock (gate)
        {
            return [.. Find(accountId, id).Records
                .OrderBy(record => string.Join('.', record.Name.TrimEnd('.').Split('.').Reverse()), StringComparer.Ordinal)
                .ThenBy(record => record.Type, StringComparer.Ordinal)
                .ThenBy(record => record.SetIdentifier ?? "", StringComparer.Ordinal)];
        }
    }

    /// <summary>The account's zone of that name (CloudFormation's HostedZoneName), or null.</summary>
    public HostedZone? FindZoneByName(string accountId, string name)
    {
        lock (gate)
        {
            return zones.Values.FirstOrDefault(zone => zone.AccountId == accountId && zone.Name == Fqdn(name));
        }
    }

    /// <summary>The stored set with that name, type and set identifier, or null (what a DELETE change must repeat).</summary>
    public RecordSet? FindRecordSet(string accountId, string zoneId, RecordSet key)
    {
        lock (gate)
        {
            return Find(accountId, zoneId).Records.Find(record => record.SameSet(key));
        }
    }

    public ZoneChange GetChange(string accountId, string id)
    {
        lock (gate)
        {
            return changes.TryGetValue(id, out var change) && change.AccountId == accountId ? change : throw Route53Errors.NoSuchChange(id);
        }
    }

    /// <summary>Applies a change batch atomically, or refuses it whole with every problem found.</summary>
    public ZoneChange ChangeRecordSets(string accountId, string zoneId, IReadOnlyList<(string Action, RecordSet Record)> batch, string? comment)
    {
        if (batch.Count == 0)
        {
            throw Route53Errors.InvalidInput("Invalid request: Expected at least one Change in ChangeBatch.");
        }

        lock (gate)
        {
            var zone = Find(accountId, zoneId);
            var working = new List<RecordSet>(zone.Records);
            var problems = new List<string>();
            foreach (var (action, record) in batch)
            {
                CheckShape(action, record);
                if (record.HealthCheckId is { } healthCheckId && !healthChecks.ContainsKey(healthCheckId))
                {
                    throw Route53Errors.NoSuchHealthCheck(healthCheckId);
                }

                var problem = action == "DELETE" ? Delete(zone, working, record) : Put(zone, working, record, action == "CREATE");
                if (problem is not null)
                {
                    problems.Add(problem);
                }
            }

            if (problems.Count > 0)
            {
                throw Route53Errors.InvalidChangeBatch(problems);
            }

            zone.Records = working;
            return Submit(accountId, comment);
        }
    }

    /// <summary>Refusals of a change's shape (InvalidInput), before the zone is consulted.</summary>
    private static void CheckShape(string action, RecordSet record)
    {
        var where = $"in Change with [Action={action}, Name={record.Name}, Type={record.Type}, SetIdentifier={record.SetIdentifier ?? "null"}]";
        if (!Actions.Contains(action))
        {
            throw Route53Errors.InvalidInput($"Invalid XML ; cvc-enumeration-valid: Value '{action}' is not facet-valid with respect to enumeration '[CREATE, DELETE, UPSERT]'. It must be a value from the enumeration.");
        }

        if (!Types.Contains(record.Type))
        {
            throw Route53Errors.InvalidInput($"Invalid XML ; cvc-enumeration-valid: Value '{record.Type}' is not facet-valid with respect to enumeration '[{string.Join(", ", Types)}]'. It must be a value from the enumeration.");
        }

        var hasRecords = record.Ttl is not null && record.Values.Count > 0;
        if ((record.Alias is null) == !hasRecords)
        {
            throw Route53Errors.InvalidInput($"Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found {(record.Alias is null ? "none" : "more than one")} {where}");
        }

        if (record.Routing is not null && record.SetIdentifier is null)
        {
            throw Route53Errors.InvalidInput($"Invalid request: Missing field 'SetIdentifier' {where}");
        }

        var policies = (record.Failover is null ? 0 : 1) + (record.Weight is null ? 0 : 1);
        if ((policies == 0 && record.SetIdentifier is not null) || policies > 1)
        {
            throw Route53Errors.InvalidInput($"Invalid request: Expected exactly one of [Weight, Region, Failover, GeoLocation, MultiValueAnswer, GeoProximityLocation, or CidrRoutingConfig], but found {(policies == 0 ? "none" : "more than one")} {where}");
        }

        if (record.Weight is < 0 or > 255)
        {
            throw Route53Errors.InvalidInput($"Invalid XML ; cvc-maxInclusive-valid: Value '{record.Weight}' is not facet-valid with respect to {(record.Weight < 0 ? "minInclusive '0'" : "maxInclusive '255'")} for type 'ResourceRecordSetWeight'.");
        }

        if (record.Failover is not (null or "PRIMARY" or "SECONDARY"))
        {
            throw Route53Errors.InvalidInput($"Invalid XML ; cvc-enumeration-valid: Value '{record.Failover}' is not facet-valid with respect to enumeration '[PRIMARY, SECONDARY]'. It must be a value from the enumeration.");
        }
    }

    private static string? Put(HostedZone zone, List<RecordSet> working, RecordSet record, bool create)
    {
        if (!InZone(zone, record.Name))
        {
            return $"RRSet with DNS name {record.Name} is not permitted in zone {zone.Name}";
        }

        if (ValueProblem(record) is { } invalid)
        {
            return invalid;
        }

        if (record.Type == "CNAME" && record.Name == zone.Name)
        {
            return $"RRSet of type CNAME with DNS name {record.Name} is not permitted at apex in zone {zone.Name}";
        }

        var existing = working.FindIndex(candidate => candidate.SameSet(record));
        if (existing >= 0 && create)
        {
            return $"Tried to create resource record set {record.Describe()} but it already exists";
        }

        var others = working.Where(candidate => candidate.Name == record.Name && !candidate.SameSet(record)).ToList();
        if (others.Any(other => (other.Type == "CNAME") != (record.Type == "CNAME")))
        {
            return $"RRSet of type CNAME with DNS name {record.Name} is not permitted as it conflicts with other records with the same DNS name in zone {zone.Name}";
        }

        var group = others.Where(other => other.Type == record.Type).ToList();
        if (group.Find(other => other.Routing != record.Routing) is { } mixed)
        {
            return $"RRSet with DNS name {record.Name}, type {record.Type}{(record.SetIdentifier is null ? "" : $", SetIdentifier {record.SetIdentifier}")} cannot be created as a {(record.Routing is null ? mixed.Routing : "non-" + record.Routing)} set exists with the same name and type.";
        }

        if (record.Failover is not null && group.Any(other => other.Failover == record.Failover))
        {
            return $"Tried to create resource record set {record.Describe()} but a {record.Failover} failover record set with the same name and type already exists";
        }

        if (existing >= 0)
        {
            working[existing] = record;
        }
        else
        {
            working.Add(record);
        }

        return null;
    }

    private static string? Delete(HostedZone zone, List<RecordSet> working, RecordSet record)
    {
        var existing = working.FindIndex(candidate => candidate.SameSet(record));
        if (existing < 0)
        {
            return $"Tried to delete resource record set {record.Describe()} but it was not found";
        }

        if (!working[existing].SameContent(record))
        {
            return $"Tried to delete resource record set {record.Describe()} but the values provided do not match the current values";
        }

        if (record.Name == zone.Name && record.Type is "SOA" or "NS")
        {
            return record.Type == "SOA"
                ? "A HostedZone must contain exactly one SOA record."
                : "A HostedZone must contain at least one NS record for the zone itself.";
        }

        working.RemoveAt(existing);
        return null;
    }

    /// <summary>Route 53 checks record data by type: A and AAAA must be addresses of their family, CNAME has one value.</summary>
    private static string? ValueProblem(RecordSet record)
    {
        foreach (var value in record.Values)
        {
            var family = record.Type switch { "A" => AddressFamily.InterNetwork, "AAAA" => AddressFamily.InterNetworkV6, _ => (AddressFamily?)null };
            if (family is { } wanted && !(IPAddress.TryParse(value, out var address) && address.AddressFamily == wanted && value.Count(c => c == '.') is 3 or 0))
            {
                var code = wanted == AddressFamily.InterNetwork ? "ARRDATAIllegalIPv4Address (Value is not a valid IPv4 address)" : "AAAARRDATAIllegalIPv6Address (Value is not a valid IPv6 address)";
                return $"Invalid Resource Record: 'FATAL problem: {code} encountered with '{value}''";
            }
        }

        return record.Type == "CNAME" && record.Values.Count > 1
            ? $"RRSet of type CNAME with DNS name {record.Name} has more than one resource record"
            : null;
    }

    /// <summary>A domain name as Route 53 keeps it: lower case, fully qualified (trailing dot).</summary>
    public static string Fqdn(string name) => (name.EndsWith('.') ? name : name + ".").ToLowerInvariant();

    private static bool InZone(HostedZone zone, string name) => name == zone.Name || name.EndsWith("." + zone.Name, StringComparison.Ordinal);

    private static bool IsDomainName(string name)
    {
        var labels = name.TrimEnd('.').Split('.');
        return name.Length <= 255 && labels.Length >= 1
            && labels.All(label => label.Length is >= 1 and <= 63 && label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'));
    }

    private HostedZone Find(string accountId, string id) =>
        zones.TryGetValue(id, out var zone) && zone.AccountId == accountId ? zone : throw Route53Errors.NoSuchHostedZone(id);

    private ZoneChange Submit(string accountId, string? comment)
    {
        var change = new ZoneChange(NewId('C'), accountId, Clock.GetUtcNow(), comment);
        changes[change.Id] = change;
        return change;
    }

    /// <summary>Route 53's ids: a letter (Z zone, C change) and 20 upper-case letters and digits.</summary>
    private static string NewId(char prefix) => prefix + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 20);
}
