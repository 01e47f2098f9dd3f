using System.Globalization;
using System.Text.Json;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Admin;

/// <summary>
/// The fleet's admin endpoints (docs/localcloud-fleet.md): requests sent through an emulated load balancer (the
/// probe), and Availability Zone outages.
/// </summary>
internal sealed partial class AdminApi
{
    /// <summary>
    /// <c>POST /_localcloud/elbv2/requests {"loadBalancer": ARN or DNS name, "port": 443, "path": "/", "count": 1}</c>:
    /// sends count requests through the listener at the sandbox clock's now and answers each response.
    /// </summary>
    private (int Status, object Body) SendThroughLoadBalancer(JsonElement body)
    {
        var name = body.GetStringOrNull("loadBalancer");
        var port = Integer(body, "port") ?? 80;
        var count = Integer(body, "count") ?? 1;
        var path = body.GetStringOrNull("path") ?? "/";
        if (name is null || count is < 1 or > 1000 || port is < 1 or > 65535 || !path.StartsWith('/'))
        {
            return (400, new { error = "A probe needs loadBalancer (an ARN or DNS name), port 1-65535, count 1-1000 and a path starting with '/'." });
        }

        if (state.Fleet.Use(_ => state.Fleet.FindLoadBalancer(name)) is not { } balancer)
        {
            return (404, new { error = $"No load balancer '{name}'." });
        }

        var responses = Enumerable.Range(0, count).Select(_ => state.Fleet.Route(balancer, port, path)).ToList();
        PublishLoadBalancerMetrics(balancer, responses.Where(response => response.StatusCode > 0).Select(response => (response.StatusCode, response.TargetId)).ToList());
        PublishRequestCountPerTarget(balancer, port, responses.Count(response => response.TargetId is not null));
        return (200, new
        {
            time = state.Clock.GetUtcNow(),
            responses = responses.Select(response => new { response.StatusCode, response.TargetId, response.AvailabilityZone, response.Body, response.Location }),
        });
    }

    /// <summary>
    /// <c>PUT /_localcloud/fleet/zone-outages {"accountId","region","availabilityZone","failed": true|false}</c>: an
    /// Availability Zone goes down (its instances stop answering, nothing launches there) or comes back.
    /// </summary>
    private (int Status, object Body) SetZoneOutage(JsonElement body)
    {
        var (account, region, zone) = (body.GetStringOrNull("accountId"), body.GetStringOrNull("region"), body.GetStringOrNull("availabilityZone"));
        var failed = !body.TryGetProperty("failed", out var flag) || flag.ValueKind != JsonValueKind.False;
        if (account is null || !state.Organization.Accounts.Any(candidate => candidate.Id == account))
        {
            return (400, new { error = $"accountId '{account}' is not an account of the organization." });
        }

        if (region is null || !state.Organization.Regions.Contains(region))
        {
            return (400, new { error = $"region '{region}' is not one of the organization's regions ({string.Join(", ", state.Organization.Regions)})." });
        }

        if (zone is null || !zone.StartsWith(region, StringComparison.Ordinal) || zone.Length != region.Length + 1 || !char.IsAsciiLetterLower(zone[^1]))
        {
            return (400, new { error = $"availabilityZone '{zone}' is not a zone of {region} (e.g. {region}a)." });
        }

        state.Fleet.FailZone(account, region, zone, failed);
        return (200, state.Fleet.Faults());
    }

    /// <summary>
    /// <c>PUT /_localcloud/autoscaling/cpu-demand {"accountId","region","autoScalingGroupName","cpuDemand": 240}</c>:
    /// the load on a group, in percent of one instance's CPU, shared by its InService instances; every simulated
    /// minute the group reports AWS/EC2 CPUUtilization (at most 100 each), which target tracking and alarms read
    /// (docs/localcloud-autoscaling.md, "Driving the metric"). <c>"cpuDemand": null</c> stops it.
    /// </summary>
    private (int Status, object Body) SetCpuDemand(JsonElement body)
    {
        var (account, region, name) = (body.GetStringOrNull("accountId"), body.GetStringOrNull("region"), body.GetStringOrNull("autoScalingGroupName"));
        var given = body.TryGetProperty("cpuDemand", out var value);
        double? demand = given && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && number >= 0 ? number : null;
        if (account is null || region is null || name is null || !given || (demand is null && value.ValueKind != JsonValueKind.Null))
        {
            return (400, new { error = "A CPU demand needs accountId, region, autoScalingGroupName and cpuDemand (0 or more, percent of one instance; null to stop)." });
        }

        if (state.Fleet.Use(_ => state.Fleet.Group(account, region, name)) is null)
        {
            return (404, new { error = $"No Auto Scaling group '{name}' in account {account}, region {region}." });
        }

        state.Scaling.SetCpuDemand(account, region, name, demand);
        return (200, new { accountId = account, region, autoScalingGroupName = name, cpuDemand = demand });
    }

    /// <summary>
    /// What an Application Load Balancer publishes for the requests it handled (namespace AWS/ApplicationELB, dimension
    /// LoadBalancer = app/NAME/ID): RequestCount, HTTPCode_ELB_3XX/4XX/5XX_Count for the answers it generates itself
    /// (redirects, fixed responses, 503 with no target, 504 when the target does not answer) and HTTPCode_Target_2XX/3XX/4XX/5XX_Count for targets' answers
    /// (docs/localcloud-fleet.md), so alarms on them, and FIS stop conditions on those alarms, fire.
    /// </summary>
    private void PublishLoadBalancerMetrics(Services.Fleet.LoadBalancer balancer, List<(int StatusCode, string? TargetId)> responses)
    {
        if (responses.Count == 0)
        {
            return;
        }

        var now = state.Clock.GetUtcNow();
        List<Services.CloudWatch.Dimension> dimensions = [new("LoadBalancer", balancer.Arn[(balancer.Arn.IndexOf(":loadbalancer/", StringComparison.Ordinal) + 14)..])];
        var counts = responses.Where(response => response.TargetId is not null || response.StatusCode >= 300)
            .GroupBy(response => response.TargetId is null || response.StatusCode is 504
                ? $"HTTPCode_ELB_{response.StatusCode / 100}XX_Count"
                : $"HTTPCode_Target_{response.StatusCode / 100}XX_Count")
            .Select(group => (group.Key, (double)group.Count()))
            .Append(("RequestCount", responses.Count));
        var data = counts.Select(count => (count.Item1, dimensions, new Services.CloudWatch.Datapoint(now, 1, count.Item2, count.Item2, count.Item2, "Count"))).ToList();
        Services.CloudWatch.AlarmNotifications.Publish(state.Sns, state.CloudWatch.PutMetricData(balancer.AccountId, balancer.Region, "AWS/ApplicationELB", data));
        state.Fis.SettleAll();
    }

    /// <summary>
    /// AWS/ApplicationELB RequestCountPerTarget (dimension TargetGroup = targetgroup/NAME/ID): the requests the
    /// listener's target group received divided by its healthy targets (at least one), what the
    /// ALBRequestCountPerTarget target tracking metric reads (docs/localcloud-autoscaling.md, "Driving the metric").
    /// </summary>
    private void PublishRequestCountPerTarget(Services.Fleet.LoadBalancer balancer, int port, int routed)
    {
        var fleet = state.Fleet;
        var group = fleet.Use(_ => fleet.Listeners(balancer.Arn).FirstOrDefault(listener => listener.Port == port)?.DefaultAction.TargetGroupArn is { } arn
            ? fleet.TargetGroup(arn) is { } found ? (found.Arn, Healthy: found.Targets.Count(target => target.State == "healthy")) : default
            : default);
        if (routed == 0 || group.Arn is null)
        {
            return;
        }

        var perTarget = (double)routed / Math.Max(1, group.Healthy);
        List<Services.CloudWatch.Dimension> dimensions = [new("TargetGroup", group.Arn[(group.Arn.IndexOf(":targetgroup/", StringComparison.Ordinal) + 1)..])];
        Services.CloudWatch.AlarmNotifications.Publish(state.Sns, state.CloudWatch.PutMetricData(balancer.AccountId, balancer.Region, "AWS/ApplicationELB",
            [("RequestCountPerTarget", dimensions, new Services.CloudWatch.Datapoint(state.Clock.GetUtcNow(), 1, perTarget, perTarget, perTarget, "Count"))]));
    }

    private static int? Integer(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number
        : body.TryGetProperty(name, out value) && value.ValueKind == JsonValueKind.String && int.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out number) ? number
        : body.TryGetProperty(name, out _) ? -1 : null;
}
