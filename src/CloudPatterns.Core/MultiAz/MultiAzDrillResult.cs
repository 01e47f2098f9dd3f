using System;
using System.Collections.Generic;
using System.Globalization;

namespace CloudPatterns.Core.MultiAz;

/// <summary>What an Availability Zone failure drill measured on one stack (docs/multi-az-drill.md).</summary>
public sealed class MultiAzDrillResult
{
    /// <summary>The architecture's objectives: 99.95% availability a month, database failover in 60–120 s.</summary>
    public const double MonthlyAvailabilityObjectivePercent = 99.95;
    public const int FailoverMinSeconds = 60;
    public const int FailoverMaxSeconds = 120;
    private const double SecondsPerMonth = 30 * 86400;

    internal MultiAzDrillResult(string accountId, string region, string stackName, string zone) =>
        (AccountId, Region, StackName, AvailabilityZone) = (accountId, region, stackName, zone);

    public string AccountId { get; }
    public string Region { get; }
    public string StackName { get; }
    /// <summary>The zone that failed.</summary>
    public string AvailabilityZone { get; }
    /// <summary>The zones the application tier runs in.</summary>
    public IReadOnlyList<string> Zones { get; internal set; } = Array.Empty<string>();
    public double DurationSeconds { get; internal set; }
    public int Requests { get; internal set; }
    /// <summary>Requests that failed after the client's one retry (in AWS: the load balancer's 5xx answers, which count each attempt).</summary>
    public int FailedRequests { get; internal set; }
    /// <summary>Requests whose first attempt failed (before the retry).</summary>
    public int FirstAttemptFailures { get; internal set; }
    /// <summary>Share of the probe's requests answered (2xx/3xx) during the drill, a failed first attempt retried once, in percent.</summary>
    public double AvailabilityPercent => Requests == 0 ? 0 : Math.Round(100.0 * (Requests - FailedRequests) / Requests, 3);
    /// <summary>
    /// Share of requests answered at the first attempt, in percent. The retries take their turn in the load balancer's
    /// round robin too, so while a zone's targets are still in it nearly every first attempt meets the failed zone.
    /// </summary>
    public double FirstAttemptAvailabilityPercent => Requests == 0 ? 0 : Math.Round(100.0 * (Requests - FirstAttemptFailures) / Requests, 3);
    /// <summary>The issue's objective for the drill itself: 99.9% of requests answered during the zone's failure.</summary>
    public const double DrillAvailabilityObjectivePercent = 99.9;
    /// <summary>How the zone failed: an AWS FIS experiment (AWS and LocalCloud) or LocalCloud's admin zone outage (sandbox only).</summary>
    public string FaultMechanism { get; internal set; } = "";
    public string? ExperimentId { get; internal set; }
    /// <summary>The experiment's final state (completed, stopped, failed) and FIS's reason.</summary>
    public string? ExperimentState { get; internal set; }
    public string? ExperimentReason { get; internal set; }
    /// <summary>
    /// The month's availability if this failure happened once in a 30-day month and all else was up: the failed share
    /// of requests over the drill, spread over the month (what the architecture's 99.95% is about).
    /// </summary>
    public double MonthlyAvailabilityPercent => Requests == 0 ? 0 : Math.Round(100.0 * (1 - ((double)FailedRequests / Requests * DurationSeconds / SecondsPerMonth)), 4);
    /// <summary>Seconds from the failure until the last failed request; null when none failed.</summary>
    public double? ErrorsForSeconds { get; internal set; }
    public int DesiredCapacity { get; internal set; }
    /// <summary>Seconds until the desired capacity was healthy again outside the failed zone; null when it never was.</summary>
    public double? CapacityRecoverySeconds { get; internal set; }
    public string? Database { get; internal set; }
    public string? DatabaseZoneBefore { get; internal set; }
    public string? DatabaseZoneAfter { get; internal set; }
    /// <summary>Seconds between RDS's failover started and completed events; null without a failover.</summary>
    public double? DatabaseFailoverSeconds { get; internal set; }
    /// <summary>
    /// The database is an Aurora cluster (<see cref="Database"/> names it; the zones are its writer's): its failover
    /// promotes a reader that is already running, so any time up to <see cref="FailoverMaxSeconds"/> meets the objective.
    /// </summary>
    public bool DatabaseIsCluster { get; internal set; }
    /// <summary>The writer's failover met the objective: 60–120 s for an instance, at most 120 s for an Aurora cluster.</summary>
    public bool DatabaseFailoverWithinObjective => DatabaseFailoverSeconds is { } seconds && seconds <= FailoverMaxSeconds && (DatabaseIsCluster || seconds >= FailoverMinSeconds);
    /// <summary>True when the application runs in one zone only: the failure is an outage.</summary>
    public bool Outage => Zones.Count < 2;
    public bool Passed => !Outage && AvailabilityPercent >= DrillAvailabilityObjectivePercent && MonthlyAvailabilityPercent >= MonthlyAvailabilityObjectivePercent
        && CapacityRecoverySeconds is not null && ExperimentState is null or "completed"
        && (Database is null || DatabaseFailoverWithinObjective);
    /// <summary>What missed its objective or cost requests, each with what to change.</summary>
    public IReadOnlyList<string> Findings => BuildFindings();

    private List<string> BuildFindings()
    {
        var findings = new List<string>();
        if (Outage)
        {
            findings.Add($"The application runs in one Availability Zone ({string.Join(", ", Zones)}): losing it is an outage. Deploy with -AzCount 2 or 3.");
        }

        if (FailedRequests > 0)
        {
            findings.Add(string.Format(CultureInfo.InvariantCulture,
                "{0} of {1} requests failed even when retried once ({2}% answered, objective {3}%), the last {4} s after the failure.",
                FailedRequests, Requests, AvailabilityPercent, DrillAvailabilityObjectivePercent, ErrorsForSeconds));
        }

        if (FirstAttemptFailures > FailedRequests)
        {
            findings.Add(string.Format(CultureInfo.InvariantCulture,
                "{0} first attempts failed ({1}% answered without a retry): the load balancer sends requests to the failed zone until its health checks mark the targets unhealthy (interval × unhealthy threshold); a client's retry of an idempotent GET reaches a healthy target.",
                FirstAttemptFailures, FirstAttemptAvailabilityPercent));
        }

        if (ExperimentState is not null and not "completed")
        {
            findings.Add($"The FIS experiment {ExperimentId} ended {ExperimentState}: {ExperimentReason}");
        }

        if (MonthlyAvailabilityPercent < MonthlyAvailabilityObjectivePercent)
        {
            findings.Add(string.Format(CultureInfo.InvariantCulture, "One such failure a month leaves {0}% availability, below the {1}% objective.", MonthlyAvailabilityPercent, MonthlyAvailabilityObjectivePercent));
        }

        if (CapacityRecoverySeconds is null)
        {
            findings.Add($"Capacity did not come back within {DurationSeconds} s: the group could not run {DesiredCapacity} healthy instances outside {AvailabilityZone}.");
        }

        if (Database is not null && !DatabaseFailoverWithinObjective)
        {
            findings.Add(DatabaseFailoverSeconds is { } seconds
                ? $"The database failed over in {seconds} s, outside {(DatabaseIsCluster ? 0 : FailoverMinSeconds)}–{FailoverMaxSeconds} s."
                : DatabaseIsCluster
                    ? $"The Aurora cluster {Database} did not fail over (has it a reader outside {AvailabilityZone}, and its writer in {AvailabilityZone}?)."
                    : $"The database {Database} did not fail over (is it Multi-AZ, with its primary in {AvailabilityZone}?).");
        }

        return findings;
    }
}
