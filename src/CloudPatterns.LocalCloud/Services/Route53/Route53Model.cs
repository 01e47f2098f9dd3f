namespace CloudPatterns.LocalCloud.Services.Route53;

/// <summary>A hosted zone of one account; <see cref="Name"/> is fully qualified, lower case, with its trailing dot.</summary>
internal sealed class HostedZone(string id, string accountId, string name, string callerReference, string? comment, DateTimeOffset created)
{
    public string Id { get; } = id;

    public string AccountId { get; } = accountId;

    public string Name { get; } = name;

    public string CallerReference { get; } = callerReference;

    public string? Comment { get; } = comment;

    public DateTimeOffset Created { get; } = created;

    /// <summary>The zone's record sets; replaced as a whole when a change batch succeeds (batches are atomic).</summary>
    public List<RecordSet> Records { get; set; } = [];

    public IReadOnlyList<string> NameServers { get; init; } = [];

    /// <summary>The VPCs of a private zone; none for a public zone.</summary>
    public IReadOnlyList<ZoneVpc> Vpcs { get; init; } = [];

    public bool IsPrivate => Vpcs.Count > 0;
}

/// <summary>A VPC a private hosted zone answers in.</summary>
internal sealed record ZoneVpc(string VpcId, string VpcRegion);

/// <summary>
/// One resource record set. A set is identified by name, type and set identifier; routed sets (failover and weighted here) carry
/// the identifier, simple ones do not.
/// </summary>
internal sealed record RecordSet(string Name, string Type)
{
    public string? SetIdentifier { get; init; }

    /// <summary>PRIMARY or SECONDARY for failover routing, else null.</summary>
    public string? Failover { get; init; }

    /// <summary>0–255 for weighted routing, else null.</summary>
    public long? Weight { get; init; }

    /// <summary>The set's routing policy ("failover", "weighted"), null for a simple record.</summary>
    public string? Routing => Failover is not null ? "failover" : Weight is not null ? "weighted" : null;

    public long? Ttl { get; init; }

    public IReadOnlyList<string> Values { get; init; } = [];

    public AliasTarget? Alias { get; init; }

    public string? HealthCheckId { get; init; }

    /// <summary>Whether <paramref name="other"/> names the same set (name, type and set identifier).</summary>
    public bool SameSet(RecordSet other) =>
        Name == other.Name && Type == other.Type && string.Equals(SetIdentifier, other.SetIdentifier, StringComparison.Ordinal);

    /// <summary>Every field equal, values in any order: what DELETE must send (docs/localcloud-route53.md).</summary>
    public bool SameContent(RecordSet other) =>
        SameSet(other) && Failover == other.Failover && Weight == other.Weight && Ttl == other.Ttl && Alias == other.Alias && HealthCheckId == other.HealthCheckId
        && Values.Order(StringComparer.Ordinal).SequenceEqual(other.Values.Order(StringComparer.Ordinal), StringComparer.Ordinal);

    /// <summary>How Route 53's messages name a set: <c>[name='www.example.com.', type='A', set-identifier='primary']</c>.</summary>
    public string Describe() => SetIdentifier is null
        ? $"[name='{Name}', type='{Type}']"
        : $"[name='{Name}', type='{Type}', set-identifier='{SetIdentifier}']";
}

/// <summary>An alias: the hosted zone and DNS name of the target (a load balancer, or a record in the same zone).</summary>
internal sealed record AliasTarget(string HostedZoneId, string DnsName, bool EvaluateTargetHealth);

/// <summary>A submitted change (zone creation or deletion, or a change batch): PENDING until it has propagated.</summary>
internal sealed record ZoneChange(string Id, string AccountId, DateTimeOffset SubmittedAt, string? Comment);

/// <summary>A health check's configuration, as CreateHealthCheck takes it.</summary>
internal sealed record HealthCheckConfig(string Type)
{
    /// <summary>
    /// Reads a configuration by member name, as text (the API's XML and a template's JSON name the members alike);
    /// <paramref name="invalid"/> makes the refusal for a member that is not a number.
    /// </summary>
    public static HealthCheckConfig Read(Func<string, string?> member, IReadOnlyList<string> childHealthChecks, (string Region, string Name)? alarm, Func<string, Exception> invalid)
    {
        int? Number(string name) => member(name) is not { } text ? null
            : int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value
            : throw invalid($"{name} '{text}' is not a number.");

        var type = member("Type") ?? "";
        return new HealthCheckConfig(type)
        {
            IpAddress = member("IPAddress"),
            Port = Number("Port") ?? (type.StartsWith("HTTPS", StringComparison.Ordinal) ? 443 : type.StartsWith("HTTP", StringComparison.Ordinal) ? 80 : null),
            ResourcePath = member("ResourcePath"),
            FullyQualifiedDomainName = member("FullyQualifiedDomainName"),
            SearchString = member("SearchString"),
            RequestInterval = Number("RequestInterval") ?? 30,
            FailureThreshold = Number("FailureThreshold") ?? 3,
            Inverted = string.Equals(member("Inverted"), "true", StringComparison.OrdinalIgnoreCase),
            Disabled = string.Equals(member("Disabled"), "true", StringComparison.OrdinalIgnoreCase),
            HealthThreshold = Number("HealthThreshold"),
            ChildHealthChecks = childHealthChecks,
            Alarm = alarm,
            InsufficientDataHealthStatus = member("InsufficientDataHealthStatus"),
        };
    }

    public string? IpAddress { get; init; }

    public int? Port { get; init; }

    public string? ResourcePath { get; init; }

    public string? FullyQualifiedDomainName { get; init; }

    public string? SearchString { get; init; }

    public int RequestInterval { get; init; } = 30;

    public int FailureThreshold { get; init; } = 3;

    public bool Inverted { get; init; }

    public bool Disabled { get; init; }

    public int? HealthThreshold { get; init; }

    public IReadOnlyList<string> ChildHealthChecks { get; init; } = [];

    /// <summary>CLOUDWATCH_METRIC: the alarm's region and name.</summary>
    public (string Region, string Name)? Alarm { get; init; }

    /// <summary>CLOUDWATCH_METRIC: Healthy, Unhealthy or LastKnownStatus while the alarm has insufficient data.</summary>
    public string? InsufficientDataHealthStatus { get; init; }

    /// <summary>The host the checkers probe: the IP address, else the domain name (an endpoint's identity for the admin API).</summary>
    public string? Endpoint => IpAddress ?? FullyQualifiedDomainName?.TrimEnd('.').ToLowerInvariant();
}

/// <summary>A health check of one account.</summary>
internal sealed record HealthCheck(string Id, string AccountId, string CallerReference, HealthCheckConfig Config)
{
    public long Version { get; init; } = 1;
}

/// <summary>How the sandbox answers a DNS query for a name: the record set chosen, its answer, and why.</summary>
/// <param name="Values">The answer: the record's values, or an alias target's DNS name.</param>
/// <param name="Reason">Which record answered and why (e.g. "PRIMARY unhealthy, SECONDARY answers").</param>
internal sealed record DnsAnswer(string Name, string Type, string? SetIdentifier, string? Failover, IReadOnlyList<string> Values, string Reason);
