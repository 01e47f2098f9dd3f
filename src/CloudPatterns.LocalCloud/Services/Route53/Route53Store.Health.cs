namespace CloudPatterns.LocalCloud.Services.Route53;

/// <summary>
/// Health checks, and how the sandbox answers a DNS query: failover routing picks the PRIMARY while it is healthy,
/// else a healthy SECONDARY (docs/localcloud-route53.md). Endpoint checks (HTTP, HTTPS, TCP…) cannot reach anything
/// from the sandbox: an endpoint is healthy until the admin API marks it down. CLOUDWATCH_METRIC checks follow
/// their alarm's state in LocalCloud's CloudWatch; CALCULATED checks count their healthy children.
/// </summary>
internal sealed partial class Route53Store
{
    private static readonly string[] HealthCheckTypes = ["HTTP", "HTTPS", "HTTP_STR_MATCH", "HTTPS_STR_MATCH", "TCP", "CALCULATED", "CLOUDWATCH_METRIC", "RECOVERY_CONTROL"];

    /// <summary>The regions Route 53's checkers report from in GetHealthCheckStatus when none are chosen (three shown here).</summary>
    private static readonly string[] CheckerRegions = ["us-east-1", "us-west-2", "eu-west-1"];

    private readonly Dictionary<string, HealthCheck> healthChecks = new(StringComparer.Ordinal);
    private readonly HashSet<string> downEndpoints = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Whether a load balancer (by DNS name) has a healthy target, as Route 53 evaluates an alias's target health:
    /// null when LocalCloud runs no such load balancer (its health is then only what the admin API sets).
    /// </summary>
    public Func<string, bool?> LoadBalancerHealthy { get; set; } = _ => null;

    /// <summary>An alarm's state (OK, ALARM, INSUFFICIENT_DATA) by account, region and name; null when there is no such alarm.</summary>
    public Func<string, string, string, string?> AlarmState { get; set; } = (_, _, _) => null;

    public HealthCheck CreateHealthCheck(string accountId, string callerReference, HealthCheckConfig config)
    {
        CheckConfig(accountId, config);
        lock (gate)
        {
            if (healthChecks.Values.FirstOrDefault(check => check.AccountId == accountId && check.CallerReference == callerReference) is { } existing)
            {
                // A retried request (same reference, same configuration) answers the health check it created.
                return SameConfig(existing.Config, config) ? existing : throw Route53Errors.HealthCheckAlreadyExists(callerReference);
            }

            var check = new HealthCheck(Guid.NewGuid().ToString(), accountId, callerReference, config);
            healthChecks[check.Id] = check;
            return check;
        }
    }

    public HealthCheck GetHealthCheck(string accountId, string id)
    {
        lock (gate)
        {
            return FindHealthCheck(accountId, id);
        }
    }

    public IReadOnlyList<HealthCheck> ListHealthChecks(string accountId)
    {
        lock (gate)
        {
            return [.. healthChecks.Values.Where(check => check.AccountId == accountId).OrderBy(check => check.Id, StringComparer.Ordinal)];
        }
    }

    public void DeleteHealthCheck(string accountId, string id)
    {
        lock (gate)
        {
            FindHealthCheck(accountId, id);
            if (zones.Values.Any(zone => zone.Records.Any(record => record.HealthCheckId == id))
                || healthChecks.Values.Any(check => check.Config.ChildHealthChecks.Contains(id)))
            {
                throw Route53Errors.HealthCheckInUse(id);
            }

            healthChecks.Remove(id);
        }
    }

    /// <summary>Whether the health check is healthy now (a disabled check is healthy; Inverted flips the result).</summary>
    public bool IsHealthy(string accountId, string id)
    {
        lock (gate)
        {
            return IsHealthy(FindHealthCheck(accountId, id), depth: 0);
        }
    }

    /// <summary>The endpoints marked down, for the admin API's fault table.</summary>
    public IReadOnlyList<string> DownEndpoints()
    {
        lock (gate)
        {
            return downEndpoints.Order(StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>Marks an endpoint (an IP address, or a DNS name: a health check's target or an alias's load balancer) up or down.</summary>
    public void SetEndpointHealth(string endpoint, bool healthy)
    {
        lock (gate)
        {
            var key = endpoint.TrimEnd('.');
            if (healthy)
            {
                downEndpoints.Remove(key);
            }
            else
            {
                downEndpoints.Add(key);
            }
        }
    }

    /// <summary>Per checker region: the status text GetHealthCheckStatus reports.</summary>
    public IReadOnlyList<(string Region, string Status, DateTimeOffset CheckedAt)> Observations(string accountId, string id)
    {
        var healthy = IsHealthy(accountId, id);
        var status = healthy ? "Success: HTTP Status Code 200, OK" : "Failure: Connection timed out. The endpoint or the internet connection is down, or requests are being blocked by your firewall.";
        return [.. CheckerRegions.Select(region => (region, status, Clock.GetUtcNow()))];
    }

    /// <summary>
    /// The answer Route 53 gives for <paramref name="name"/> and <paramref name="type"/> in the account's zones (the
    /// zone with the longest matching name), or null when no record set answers (NXDOMAIN or no data).
    /// </summary>
    public DnsAnswer? Resolve(string accountId, string name, string type)
    {
        var fqdn = Fqdn(name);
        lock (gate)
        {
            var zone = zones.Values
                .Where(candidate => candidate.AccountId == accountId && InZone(candidate, fqdn))
                .MaxBy(candidate => candidate.Name.Length);
            return zone is null ? null : Answer(zone, fqdn, type, depth: 0);
        }
    }

    private DnsAnswer? Answer(HostedZone zone, string name, string type, int depth)
    {
        var sets = zone.Records.Where(record => record.Name == name && (record.Type == type || record.Type == "CNAME")).ToList();
        if (sets.Count == 0 || depth > 8)
        {
            return null;
        }

        RecordSet chosen;
        string reason;
        if (sets.Find(record => record.Failover == "PRIMARY") is { } primary)
        {
            var secondary = sets.Find(record => record.Failover == "SECONDARY");
            var primaryHealthy = IsRecordHealthy(zone, primary, depth);
            var secondaryHealthy = secondary is not null && IsRecordHealthy(zone, secondary, depth);

            // When every record of the group is unhealthy, Route 53 answers as if all were healthy: the primary.
            (chosen, reason) = primaryHealthy || !secondaryHealthy
                ? (primary, primaryHealthy ? "PRIMARY healthy" : "PRIMARY and SECONDARY unhealthy: PRIMARY answers")
                : (secondary!, "PRIMARY unhealthy: SECONDARY answers");
        }
        else if (sets.Any(record => record.Weight is not null))
        {
            // Route 53 answers with one set at random, in proportion to the weights of the healthy ones (all of them
            // when none is healthy; equally when every weight is 0). LocalCloud answers deterministically: the
            // heaviest healthy set, the first by identifier among equals (docs/localcloud-route53.md).
            var healthy = sets.Where(record => IsRecordHealthy(zone, record, depth)).ToList();
            chosen = (healthy.Count > 0 ? healthy : sets).OrderByDescending(record => record.Weight).ThenBy(record => record.SetIdentifier, StringComparer.Ordinal).First();
            reason = $"weighted: heaviest of {(healthy.Count > 0 ? healthy.Count + " healthy" : "all " + sets.Count + " (none healthy)")}";
        }
        else
        {
            chosen = sets.Find(record => record.Failover == "SECONDARY") ?? sets[0];
            reason = chosen.Failover is null ? "simple record" : "SECONDARY only";
        }

        var values = chosen.Alias is { } alias
            ? InZone(zone, Fqdn(alias.DnsName)) ? Answer(zone, Fqdn(alias.DnsName), type, depth + 1)?.Values ?? [] : [Fqdn(alias.DnsName)]
            : chosen.Values;
        return new DnsAnswer(chosen.Name, chosen.Type, chosen.SetIdentifier, chosen.Failover, values, reason);
    }

    /// <summary>A record's health: its health check's, else (EvaluateTargetHealth) its alias target's, else healthy.</summary>
    private bool IsRecordHealthy(HostedZone zone, RecordSet record, int depth)
    {
        if (record.HealthCheckId is { } id && healthChecks.TryGetValue(id, out var check) && !IsHealthy(check, depth))
        {
            return false;
        }

        if (record.Alias is not { EvaluateTargetHealth: true } alias)
        {
            return true;
        }

        var target = Fqdn(alias.DnsName);
        return InZone(zone, target)
            ? zone.Records.Where(other => other.Name == target && other.Type == record.Type).Any(other => IsRecordHealthy(zone, other, depth + 1))
            : !downEndpoints.Contains(target.TrimEnd('.')) && LoadBalancerHealthy(target.TrimEnd('.')) != false;
    }

    private bool IsHealthy(HealthCheck check, int depth)
    {
        var config = check.Config;
        if (config.Disabled || depth > 8)
        {
            return true;
        }

        var healthy = config.Type switch
        {
            "CLOUDWATCH_METRIC" => AlarmState(check.AccountId, config.Alarm!.Value.Region, config.Alarm.Value.Name) switch
            {
                "ALARM" => false,
                "OK" => true,
                _ => config.InsufficientDataHealthStatus != "Unhealthy",
            },
            "CALCULATED" => config.ChildHealthChecks.Count(child => healthChecks.TryGetValue(child, out var found) && IsHealthy(found, depth + 1)) >= (config.HealthThreshold ?? 0),
            _ => config.Endpoint is not { } endpoint || !downEndpoints.Contains(endpoint),
        };
        return healthy != config.Inverted;
    }

    /// <summary>CreateHealthCheck's checks: the type's required members and the model's ranges.</summary>
    private void CheckConfig(string accountId, HealthCheckConfig config)
    {
        if (!HealthCheckTypes.Contains(config.Type))
        {
            throw Route53Errors.InvalidInput($"Invalid XML ; cvc-enumeration-valid: Value '{config.Type}' is not facet-valid with respect to enumeration '[{string.Join(", ", HealthCheckTypes)}]'. It must be a value from the enumeration.");
        }

        var problems = new List<string>();
        if (config.RequestInterval is not (10 or 30))
        {
            problems.Add($"RequestInterval {config.RequestInterval} is not allowed: it must be 10 or 30 seconds");
        }

        if (config.FailureThreshold is < 1 or > 10)
        {
            problems.Add($"FailureThreshold {config.FailureThreshold} is not allowed: it must be from 1 to 10");
        }

        switch (config.Type)
        {
            case "CLOUDWATCH_METRIC" when config.Alarm is null:
                problems.Add("AlarmIdentifier is required for a health check of type CLOUDWATCH_METRIC");
                break;
            case "CLOUDWATCH_METRIC" when AlarmState(accountId, config.Alarm!.Value.Region, config.Alarm.Value.Name) is null:
                problems.Add($"The CloudWatch alarm {config.Alarm.Value.Name} does not exist in {config.Alarm.Value.Region}");
                break;
            case "CALCULATED" when config.HealthThreshold is null:
                problems.Add("HealthThreshold is required for a health check of type CALCULATED");
                break;
            case "HTTP" or "HTTPS" or "HTTP_STR_MATCH" or "HTTPS_STR_MATCH" or "TCP" when config.Endpoint is null:
                problems.Add($"Either IPAddress or FullyQualifiedDomainName is required for a health check of type {config.Type}");
                break;
            case "HTTP_STR_MATCH" or "HTTPS_STR_MATCH" when config.SearchString is null:
                problems.Add($"SearchString is required for a health check of type {config.Type}");
                break;
        }

        if (config.Type == "CALCULATED")
        {
            lock (gate)
            {
                problems.AddRange(config.ChildHealthChecks
                    .Where(child => !(healthChecks.TryGetValue(child, out var found) && found.AccountId == accountId))
                    .Select(child => $"Child health check {child} does not exist"));
            }
        }

        if (problems.Count > 0)
        {
            throw Route53Errors.InvalidInput("Invalid parameter : " + string.Join("; ", problems));
        }
    }

    private static bool SameConfig(HealthCheckConfig left, HealthCheckConfig right) =>
        left with { ChildHealthChecks = [] } == right with { ChildHealthChecks = [] } && left.ChildHealthChecks.SequenceEqual(right.ChildHealthChecks, StringComparer.Ordinal);

    private HealthCheck FindHealthCheck(string accountId, string id) =>
        healthChecks.TryGetValue(id, out var check) && check.AccountId == accountId ? check : throw Route53Errors.NoSuchHealthCheck(id);
}
