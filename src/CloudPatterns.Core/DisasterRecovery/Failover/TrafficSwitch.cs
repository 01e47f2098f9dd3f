using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Aws.Routing;

namespace CloudPatterns.Core.DisasterRecovery.Failover;

/// <summary>
/// The application's failover record pair in Route 53 (PRIMARY and SECONDARY of one name and type). Moving traffic
/// swaps what they answer with, in one atomic change batch: the failover makes the DR load balancer (an alias with
/// EvaluateTargetHealth) the PRIMARY and production the SECONDARY; the failback swaps them back. Route 53 itself
/// would also answer the SECONDARY once the PRIMARY's health check fails; the swap moves traffic when people decide
/// to, and keeps production as the fallback.
/// </summary>
internal sealed class TrafficSwitch
{
    private readonly AwsTarget owner;
    private readonly string zoneId;
    private readonly ResourceRecordSet primary;
    private readonly ResourceRecordSet secondary;
    private readonly AliasTarget drAlias;

    private TrafficSwitch(AwsTarget owner, string zoneId, ResourceRecordSet primary, ResourceRecordSet secondary, AliasTarget drAlias)
    {
        this.owner = owner;
        this.zoneId = zoneId;
        this.primary = primary;
        this.secondary = secondary;
        this.drAlias = drAlias;
    }

    /// <summary>Whether the PRIMARY answers with the DR load balancer already.</summary>
    public bool OnDr => PointsAtDr(primary);

    public static async Task<TrafficSwitch?> ReadAsync(AwsTarget owner, string zoneId, string recordName, string drDnsName, string drZoneId, List<string> problems, CancellationToken cancellationToken)
    {
        List<ResourceRecordSet> sets;
        try
        {
            sets = await Transient.RetryAsync(token => owner.Route53.ListAllResourceRecordSetsAsync(zoneId, token), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (AwsFailure.Describe(error) is { } failure)
        {
            problems.Add($"Hosted zone {zoneId} in {owner.AccountId} cannot be read: {failure.Summary}");
            return null;
        }

        string name = Normalize(recordName);
        var pair = sets.Where(set => Normalize(set.Name) == name && set.Failover is "PRIMARY" or "SECONDARY").ToList();
        ResourceRecordSet? primary = pair.FirstOrDefault(set => set.Failover == "PRIMARY");
        ResourceRecordSet? secondary = pair.FirstOrDefault(set => set.Failover == "SECONDARY" && set.Type == primary?.Type);
        if (primary is null || secondary is null)
        {
            problems.Add($"Hosted zone {zoneId} in {owner.AccountId} has no failover pair for {name} (a PRIMARY and a SECONDARY record of one type); create them, with the SECONDARY an alias to {drDnsName}.");
            return null;
        }

        return new TrafficSwitch(owner, zoneId, primary, secondary, new AliasTarget { HostedZoneId = drZoneId, DNSName = drDnsName, EvaluateTargetHealth = true });
    }

    public string Describe() => $"record {primary.Name} ({primary.Type}) in hosted zone {zoneId} of {owner.AccountId}";

    /// <summary>Moves traffic to the DR side (or back); returns what it did once Route 53 has it everywhere (INSYNC).</summary>
    public async Task<string> SwitchAsync(bool toDr, TimeSpan pollInterval, CancellationToken cancellationToken)
    {
        if (toDr == OnDr)
        {
            return $"{primary.Name} already answers with {(toDr ? "the DR load balancer" : "production")}; nothing to change.";
        }

        ResourceRecordSet production = toDr ? primary : secondary;
        ResourceRecordSet newPrimary = toDr ? WithAlias(primary, drAlias) : WithTargetOf(primary, production);
        ResourceRecordSet newSecondary = toDr ? WithTargetOf(secondary, production) : WithAlias(secondary, drAlias);
        var batch = new ChangeBatch
        {
            Comment = toDr ? "CloudPatterns DR failover" : "CloudPatterns DR failback",
            Changes = { new Change { Action = "UPSERT", ResourceRecordSet = newPrimary }, new Change { Action = "UPSERT", ResourceRecordSet = newSecondary } },
        };
        ChangeInfo? change = (await owner.Route53.ChangeResourceRecordSetsAsync(new ChangeResourceRecordSetsRequest { HostedZoneId = zoneId, ChangeBatch = batch }, cancellationToken).ConfigureAwait(false)).ChangeInfo;
        while (change?.Status == "PENDING" && change.Id is { } id)
        {
            await Task.Delay(pollInterval, cancellationToken).ConfigureAwait(false);
            change = (await Transient.RetryAsync(token => owner.Route53.GetChangeAsync(id, token), cancellationToken).ConfigureAwait(false)).ChangeInfo;
        }

        return $"{primary.Name} answers with {(toDr ? drAlias.DNSName : Target(production))} as PRIMARY (change {change?.Id} {change?.Status}).";
    }

    private bool PointsAtDr(ResourceRecordSet set) => set.AliasTarget?.DNSName is { } dns && Normalize(dns) == Normalize(drAlias.DNSName);

    private static ResourceRecordSet WithAlias(ResourceRecordSet set, AliasTarget alias) => new()
    {
        Name = set.Name, Type = set.Type, SetIdentifier = set.SetIdentifier, Failover = set.Failover, AliasTarget = alias,
    };

    private static ResourceRecordSet WithTargetOf(ResourceRecordSet set, ResourceRecordSet target) => new()
    {
        Name = set.Name, Type = set.Type, SetIdentifier = set.SetIdentifier, Failover = set.Failover,
        TTL = target.TTL, ResourceRecords = target.ResourceRecords, AliasTarget = target.AliasTarget, HealthCheckId = target.HealthCheckId,
    };

    private static string Target(ResourceRecordSet set) => set.AliasTarget?.DNSName ?? string.Join(", ", set.ResourceRecords?.Select(r => r.Value) ?? Enumerable.Empty<string?>());

    private static string Normalize(string? name) => (name ?? "").TrimEnd('.').ToLowerInvariant() + ".";
}
