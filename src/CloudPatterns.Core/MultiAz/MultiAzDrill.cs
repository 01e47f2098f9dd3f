using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Aws.Fleet;
using CloudPatterns.Aws.Restore;
using CloudPatterns.Core.Deployment;
using CloudPatterns.Core.Sandbox;

namespace CloudPatterns.Core.MultiAz;

/// <summary>
/// The Availability Zone failure drill (docs/multi-az-drill.md). The zone fails through an AWS Fault Injection Service
/// experiment when the stack has one (templates/multi-az/az-failure-experiment.yaml) or when asked to
/// (<see cref="UseFis"/>): the same path in AWS and in LocalCloud. Without one, and only in LocalCloud, the zone fails
/// through LocalCloud's admin API (the sandbox-only path). In LocalCloud a probe sends requests through the stack's load
/// balancer every few simulated seconds while the sandbox clock moves; in AWS the drill waits for the experiment and
/// reads the load balancer's CloudWatch metrics. Target health shows when capacity is back outside the zone and RDS's
/// events time the database failover. The fault is cleared at the end whatever happened (Ctrl+C included): the zone
/// comes back, or the experiment is stopped.
/// </summary>
public sealed partial class MultiAzDrill
{
    private readonly AwsTarget target;
    private readonly StackDeployment stacks;

    public MultiAzDrill(AwsTarget target)
    {
        this.target = target;
        stacks = new StackDeployment(target);
    }

    /// <summary>How long the zone stays down on the admin path (an experiment lasts its template's duration).</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(10);
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(5);
    public int RequestsPerProbe { get; set; } = 2;

    /// <summary>Run through FIS even in LocalCloud; refused when the stack has no experiment template for the zone.</summary>
    public bool UseFis { get; set; }

    /// <summary>The experiment template to run; by default the one tagged cloudpatterns:drill-of with the stack whose subnets filter is the zone.</summary>
    public string? ExperimentTemplateId { get; set; }

    public async Task<MultiAzDrillResult> RunAsync(string stackName, string zone, CancellationToken cancellationToken)
    {
        _ = await stacks.DescribeAsync(stackName, cancellationToken).ConfigureAwait(false) ?? throw new StackNotFoundException(stackName, target.AccountId, target.Region);
        var setup = await ReadStackAsync(stackName, cancellationToken).ConfigureAwait(false);
        if (!setup.Group.AvailabilityZones.Contains(zone, StringComparer.Ordinal))
        {
            throw new ArgumentException($"Availability Zone '{zone}' is not one the stack's application tier runs in; use one of: {string.Join(", ", setup.Group.AvailabilityZones)}.", nameof(zone));
        }

        // The sandbox's clock in LocalCloud (whose admin API drives the probe), the machine's in AWS.
        var clock = await RunClock.ForAsync(target, cancellationToken).ConfigureAwait(false);
        var admin = clock.Sandbox;
        var experiment = await FindExperimentAsync(stackName, zone, cancellationToken).ConfigureAwait(false);
        if (experiment is null && (UseFis || admin is null))
        {
            throw new InvalidOperationException(
                $"Stack '{stackName}' has no AWS FIS experiment template for {zone}{(ExperimentTemplateId is null ? "" : $" ('{ExperimentTemplateId}')")}: deploy templates/multi-az/az-failure-experiment.yaml with StackName={stackName} and AvailabilityZone={zone} (docs/multi-az-drill.md). Outside LocalCloud the drill runs only through FIS.");
        }

        var result = new MultiAzDrillResult(target.AccountId, target.Region, stackName, zone)
        {
            Zones = setup.Group.AvailabilityZones.OrderBy(z => z, StringComparer.Ordinal).ToList(),
            DesiredCapacity = setup.Group.DesiredCapacity ?? 0,
            Database = setup.Cluster ?? setup.Database?.DBInstanceIdentifier,
            DatabaseIsCluster = setup.Cluster is not null,
            DatabaseZoneBefore = setup.Database?.AvailabilityZone,
            FaultMechanism = experiment is null ? "LocalCloud zone outage (admin API, sandbox only)" : $"AWS FIS experiment template {experiment.Value.TemplateId}",
        };
        var started = await clock.NowAsync(cancellationToken).ConfigureAwait(false);
        if (experiment is { } fis)
        {
            await RunExperimentAsync(admin, setup, fis, result, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // The sandbox-only path: LocalCloud's admin API takes the zone down and brings it back.
            await SetOutageAsync(admin!, zone, failed: true, cancellationToken).ConfigureAwait(false);
            try
            {
                await ProbeAsync(admin!, setup, result, Duration, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await SetOutageAsync(admin!, zone, failed: false, CancellationToken.None).ConfigureAwait(false);
            }
        }

        await ReadDatabaseAsync(setup, started, result, cancellationToken).ConfigureAwait(false);
        return result;
    }

    private Task SetOutageAsync(Uri admin, string zone, bool failed, CancellationToken cancellationToken) =>
        SandboxHost.SendAsync(admin, HttpMethod.Put, "fleet/zone-outages", JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["accountId"] = target.AccountId, ["region"] = target.Region, ["availabilityZone"] = zone, ["failed"] = failed,
        }), cancellationToken);

    /// <summary>
    /// The probe: every <see cref="ProbeInterval"/> of sandbox time, <see cref="RequestsPerProbe"/> GET requests through
    /// the load balancer, each retried once when the load balancer answers 502/503/504 (as a client retries an
    /// idempotent GET); a request fails when its retry fails too. Both figures are kept (docs/multi-az-drill.md).
    /// </summary>
    private async Task ProbeAsync(Uri admin, DrillSetup setup, MultiAzDrillResult result, TimeSpan duration, CancellationToken cancellationToken)
    {
        var steps = (int)Math.Ceiling(duration.TotalSeconds / ProbeInterval.TotalSeconds);
        for (var step = 1; step <= steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var elapsed = step * ProbeInterval.TotalSeconds;
            await SandboxAdmin.MoveClockAsync(admin, ProbeInterval, null, cancellationToken).ConfigureAwait(false);
            for (var request = 0; request < RequestsPerProbe; request++)
            {
                result.Requests++;
                var status = await SendAsync(admin, setup, cancellationToken).ConfigureAwait(false);
                if (Answered(status))
                {
                    continue;
                }

                result.FirstAttemptFailures++;
                if (!IsLoadBalancerError(status) || !Answered(await SendAsync(admin, setup, cancellationToken).ConfigureAwait(false)))
                {
                    result.FailedRequests++;
                    result.ErrorsForSeconds = elapsed;
                }
            }

            await CheckCapacityAsync(setup, result, elapsed, cancellationToken).ConfigureAwait(false);
        }

        result.DurationSeconds = steps * ProbeInterval.TotalSeconds;
    }

    /// <summary>One GET through the load balancer (LocalCloud's admin API); its status code.</summary>
    private static async Task<int> SendAsync(Uri admin, DrillSetup setup, CancellationToken cancellationToken)
    {
        var probe = JsonSerializer.Serialize(new Dictionary<string, object> { ["loadBalancer"] = setup.LoadBalancerArn, ["port"] = setup.Port, ["path"] = "/", ["count"] = 1 });
        using var answer = await SandboxHost.SendForJsonAsync(admin, HttpMethod.Post, "elbv2/requests", probe, cancellationToken).ConfigureAwait(false);
        return answer.RootElement.GetProperty("responses")[0].GetProperty("statusCode").GetInt32();
    }

    private static bool Answered(int status) => status is >= 200 and < 400;

    private static bool IsLoadBalancerError(int status) => status is 502 or 503 or 504;

    /// <summary>Notes when the desired capacity is healthy outside the failed zone, <paramref name="elapsed"/> seconds into the drill.</summary>
    private async Task CheckCapacityAsync(DrillSetup setup, MultiAzDrillResult result, double elapsed, CancellationToken cancellationToken)
    {
        if (result.CapacityRecoverySeconds is not null || result.DesiredCapacity <= 0)
        {
            return;
        }

        var health = await target.LoadBalancing.DescribeTargetHealthAsync(new DescribeTargetHealthRequest { TargetGroupArn = setup.TargetGroupArn }, cancellationToken).ConfigureAwait(false);
        var healthyElsewhere = health.TargetHealthDescriptions.Count(d => d.TargetHealth?.State == "healthy" && d.Target?.AvailabilityZone != result.AvailabilityZone);
        if (healthyElsewhere >= result.DesiredCapacity)
        {
            result.CapacityRecoverySeconds = elapsed;
        }
    }

    /// <summary>
    /// The database's zone after the drill and its failover time, from RDS's events: an instance's "failover started" and
    /// "failover completed", an Aurora cluster's "Started … failover" and "Completed failover" (the writer switch).
    /// </summary>
    private async Task ReadDatabaseAsync(DrillSetup setup, DateTime started, MultiAzDrillResult result, CancellationToken cancellationToken)
    {
        if (result.Database is not { } database)
        {
            return;
        }

        result.DatabaseZoneAfter = setup.Cluster is null
            ? (await DescribeInstanceAsync(database, cancellationToken).ConfigureAwait(false))?.AvailabilityZone
            : (await WriterAsync(database, cancellationToken).ConfigureAwait(false))?.AvailabilityZone;
        var events = (await target.Rds.DescribeEventsAsync(new DescribeEventsRequest { SourceIdentifier = database, SourceType = setup.Cluster is null ? "db-instance" : "db-cluster", StartTime = started }, cancellationToken).ConfigureAwait(false)).Events;
        bool Says(Event e, string word) => e.Message?.IndexOf("failover", StringComparison.OrdinalIgnoreCase) >= 0 && e.Message.IndexOf(word, StringComparison.OrdinalIgnoreCase) >= 0;
        var begun = events.FirstOrDefault(e => Says(e, "started"))?.Date;
        var completed = events.FirstOrDefault(e => Says(e, "completed"))?.Date;
        if (begun is { } from && completed is { } to)
        {
            result.DatabaseFailoverSeconds = (to - from).TotalSeconds;
        }
    }

    private async Task<DBInstance?> DescribeInstanceAsync(string identifier, CancellationToken cancellationToken) =>
        (await target.Rds.DescribeDBInstancesAsync(new DescribeDBInstancesRequest { DBInstanceIdentifier = identifier }, cancellationToken).ConfigureAwait(false)).DBInstances.FirstOrDefault();

    /// <summary>An Aurora cluster's writer instance (DescribeDBClusters' member with IsClusterWriter).</summary>
    private async Task<DBInstance?> WriterAsync(string cluster, CancellationToken cancellationToken)
    {
        var described = (await target.Rds.DescribeDBClustersAsync(new DescribeDBClustersRequest { DBClusterIdentifier = cluster }, cancellationToken).ConfigureAwait(false)).DBClusters.FirstOrDefault();
        return described?.DBClusterMembers.FirstOrDefault(m => m.IsClusterWriter == true)?.DBInstanceIdentifier is { } writer
            ? await DescribeInstanceAsync(writer, cancellationToken).ConfigureAwait(false)
            : null;
    }

    /// <summary>The stack's load balancer whose listener forwards, its target group, the group behind it and the database (logical id Database).</summary>
    private async Task<DrillSetup> ReadStackAsync(string stackName, CancellationToken cancellationToken)
    {
        var resources = await stacks.GetResourcesAsync(stackName, cancellationToken).ConfigureAwait(false);
        var balancers = resources.Where(r => r.ResourceType == "AWS::ElasticLoadBalancingV2::LoadBalancer" && r.PhysicalResourceId is not null)
            .OrderBy(r => r.LogicalResourceId == "LoadBalancer" ? 0 : 1).ToList();
        var groupNames = resources.Where(r => r.ResourceType == "AWS::AutoScaling::AutoScalingGroup" && r.PhysicalResourceId is not null).Select(r => r.PhysicalResourceId!).ToList();
        var groups = groupNames.Count == 0 ? new List<AutoScalingGroup>()
            : (await target.AutoScaling.DescribeAutoScalingGroupsAsync(new DescribeAutoScalingGroupsRequest { AutoScalingGroupNames = groupNames }, cancellationToken).ConfigureAwait(false)).AutoScalingGroups;
        foreach (var balancer in balancers)
        {
            var listeners = await target.LoadBalancing.DescribeListenersAsync(new DescribeListenersRequest { LoadBalancerArn = balancer.PhysicalResourceId }, cancellationToken).ConfigureAwait(false);
            foreach (var listener in listeners.Listeners)
            {
                var targetGroup = listener.DefaultActions.FirstOrDefault(a => a.Type == "forward")?.TargetGroupArn;
                if (targetGroup is not null && groups.FirstOrDefault(g => g.TargetGroupARNs.Contains(targetGroup, StringComparer.Ordinal)) is { } group)
                {
                    var (database, cluster) = await DatabaseAsync(resources, cancellationToken).ConfigureAwait(false);
                    return new DrillSetup(balancer.PhysicalResourceId!, listener.Port ?? 80, targetGroup, group, database, cluster);
                }
            }
        }

        throw new InvalidOperationException($"Stack '{stackName}' has no load balancer forwarding to an Auto Scaling group's target group; the drill needs one (the Multi-AZ pattern's LoadBalancer and FrontendAutoScalingGroup).");
    }

    /// <summary>The database (logical id Database) or the Aurora cluster (DatabaseCluster) with its writer.</summary>
    private async Task<(DBInstance? Database, string? Cluster)> DatabaseAsync(IReadOnlyList<DeployedResource> resources, CancellationToken cancellationToken)
    {
        if (resources.FirstOrDefault(r => r.ResourceType == "AWS::RDS::DBCluster" && r.LogicalResourceId == "DatabaseCluster" && r.PhysicalResourceId is not null) is { } cluster)
        {
            return (await WriterAsync(cluster.PhysicalResourceId!, cancellationToken).ConfigureAwait(false), cluster.PhysicalResourceId);
        }

        return resources.FirstOrDefault(r => r.ResourceType == "AWS::RDS::DBInstance" && r.LogicalResourceId == "Database" && r.PhysicalResourceId is not null) is { } database
            ? (await DescribeInstanceAsync(database.PhysicalResourceId!, cancellationToken).ConfigureAwait(false), null)
            : (null, null);
    }

    private sealed record DrillSetup(string LoadBalancerArn, int Port, string TargetGroupArn, AutoScalingGroup Group, DBInstance? Database, string? Cluster);
}
