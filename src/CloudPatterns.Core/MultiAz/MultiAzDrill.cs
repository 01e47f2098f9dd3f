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
/// The Availability Zone failure drill in LocalCloud (docs/multi-az-drill.md): the zone goes down through the admin
/// API, a probe sends requests through the stack's load balancer every few simulated seconds while the sandbox clock
/// moves, target health shows when capacity is back outside the zone, and RDS's events time the database failover.
/// The zone comes back at the end, whatever happened.
/// </summary>
public sealed class MultiAzDrill
{
    private readonly AwsTarget target;
    private readonly StackDeployment stacks;

    public MultiAzDrill(AwsTarget target)
    {
        this.target = target;
        stacks = new StackDeployment(target);
    }

    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(10);
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(5);
    public int RequestsPerProbe { get; set; } = 2;

    public async Task<MultiAzDrillResult> RunAsync(string stackName, string zone, CancellationToken cancellationToken)
    {
        _ = await stacks.DescribeAsync(stackName, cancellationToken).ConfigureAwait(false) ?? throw new StackNotFoundException(stackName, target.AccountId, target.Region);
        var clock = await RunClock.ForAsync(target, cancellationToken).ConfigureAwait(false);
        var admin = clock.Sandbox
            ?? throw new NotSupportedException("The drill runs in LocalCloud only: it fails the zone through LocalCloud's admin API. In AWS, run it through AWS Fault Injection Service (docs/multi-az-drill.md).");
        var setup = await ReadStackAsync(stackName, cancellationToken).ConfigureAwait(false);
        if (!setup.Group.AvailabilityZones.Contains(zone, StringComparer.Ordinal))
        {
            throw new ArgumentException($"Availability Zone '{zone}' is not one the stack's application tier runs in; use one of: {string.Join(", ", setup.Group.AvailabilityZones)}.", nameof(zone));
        }

        var result = new MultiAzDrillResult(target.AccountId, target.Region, stackName, zone)
        {
            Zones = setup.Group.AvailabilityZones.OrderBy(z => z, StringComparer.Ordinal).ToList(),
            DesiredCapacity = setup.Group.DesiredCapacity ?? 0,
            Database = setup.Database?.DBInstanceIdentifier,
            DatabaseZoneBefore = setup.Database?.AvailabilityZone,
        };
        var started = await clock.NowAsync(cancellationToken).ConfigureAwait(false);
        await SetOutageAsync(admin, zone, failed: true, cancellationToken).ConfigureAwait(false);
        try
        {
            await ProbeAsync(admin, setup, result, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await SetOutageAsync(admin, zone, failed: false, CancellationToken.None).ConfigureAwait(false);
        }

        await ReadDatabaseAsync(setup, started, result, cancellationToken).ConfigureAwait(false);
        return result;
    }

    private Task SetOutageAsync(Uri admin, string zone, bool failed, CancellationToken cancellationToken) =>
        SandboxHost.SendAsync(admin, HttpMethod.Put, "fleet/zone-outages", JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["accountId"] = target.AccountId, ["region"] = target.Region, ["availabilityZone"] = zone, ["failed"] = failed,
        }), cancellationToken);

    private async Task ProbeAsync(Uri admin, DrillSetup setup, MultiAzDrillResult result, CancellationToken cancellationToken)
    {
        var steps = (int)Math.Ceiling(Duration.TotalSeconds / ProbeInterval.TotalSeconds);
        var advance = JsonSerializer.Serialize(new Dictionary<string, string> { ["advance"] = System.Xml.XmlConvert.ToString(ProbeInterval) });
        var probe = JsonSerializer.Serialize(new Dictionary<string, object> { ["loadBalancer"] = setup.LoadBalancerArn, ["port"] = setup.Port, ["path"] = "/", ["count"] = RequestsPerProbe });
        for (var step = 1; step <= steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var elapsed = step * ProbeInterval.TotalSeconds;
            await SandboxHost.SendAsync(admin, HttpMethod.Post, "clock", advance, cancellationToken).ConfigureAwait(false);
            using (var answer = await SandboxHost.SendForJsonAsync(admin, HttpMethod.Post, "elbv2/requests", probe, cancellationToken).ConfigureAwait(false))
            {
                foreach (var response in answer.RootElement.GetProperty("responses").EnumerateArray())
                {
                    result.Requests++;
                    if (response.GetProperty("statusCode").GetInt32() is < 200 or >= 400)
                    {
                        result.FailedRequests++;
                        result.ErrorsForSeconds = elapsed;
                    }
                }
            }

            if (result.CapacityRecoverySeconds is null && result.DesiredCapacity > 0)
            {
                var health = await target.LoadBalancing.DescribeTargetHealthAsync(new DescribeTargetHealthRequest { TargetGroupArn = setup.TargetGroupArn }, cancellationToken).ConfigureAwait(false);
                var healthyElsewhere = health.TargetHealthDescriptions.Count(d => d.TargetHealth?.State == "healthy" && d.Target?.AvailabilityZone != result.AvailabilityZone);
                if (healthyElsewhere >= result.DesiredCapacity)
                {
                    result.CapacityRecoverySeconds = elapsed;
                }
            }
        }

        result.DurationSeconds = steps * ProbeInterval.TotalSeconds;
    }

    private async Task ReadDatabaseAsync(DrillSetup setup, DateTime started, MultiAzDrillResult result, CancellationToken cancellationToken)
    {
        if (setup.Database?.DBInstanceIdentifier is not { } database)
        {
            return;
        }

        var after = await target.Rds.DescribeDBInstancesAsync(new DescribeDBInstancesRequest { DBInstanceIdentifier = database }, cancellationToken).ConfigureAwait(false);
        result.DatabaseZoneAfter = after.DBInstances.FirstOrDefault()?.AvailabilityZone;
        var events = (await target.Rds.DescribeEventsAsync(new DescribeEventsRequest { SourceIdentifier = database, SourceType = "db-instance", StartTime = started }, cancellationToken).ConfigureAwait(false)).Events;
        var begun = events.FirstOrDefault(e => e.Message?.IndexOf("failover started", StringComparison.OrdinalIgnoreCase) >= 0)?.Date;
        var completed = events.FirstOrDefault(e => e.Message?.IndexOf("failover completed", StringComparison.OrdinalIgnoreCase) >= 0)?.Date;
        if (begun is { } from && completed is { } to)
        {
            result.DatabaseFailoverSeconds = (to - from).TotalSeconds;
        }
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
                    return new DrillSetup(balancer.PhysicalResourceId!, listener.Port ?? 80, targetGroup, group, await DatabaseAsync(resources, cancellationToken).ConfigureAwait(false));
                }
            }
        }

        throw new InvalidOperationException($"Stack '{stackName}' has no load balancer forwarding to an Auto Scaling group's target group; the drill needs one (the Multi-AZ pattern's LoadBalancer and FrontendAutoScalingGroup).");
    }

    private async Task<DBInstance?> DatabaseAsync(IReadOnlyList<DeployedResource> resources, CancellationToken cancellationToken) =>
        resources.FirstOrDefault(r => r.ResourceType == "AWS::RDS::DBInstance" && r.LogicalResourceId == "Database" && r.PhysicalResourceId is not null) is { } database
            ? (await target.Rds.DescribeDBInstancesAsync(new DescribeDBInstancesRequest { DBInstanceIdentifier = database.PhysicalResourceId }, cancellationToken).ConfigureAwait(false)).DBInstances.FirstOrDefault()
            : null;

    private sealed record DrillSetup(string LoadBalancerArn, int Port, string TargetGroupArn, AutoScalingGroup Group, DBInstance? Database);
}
