namespace CloudPatterns.LocalCloud.Services.Fleet;

/// <summary>One answer of the emulated load balancer to a request (the probe endpoint of docs/localcloud-fleet.md).</summary>
internal sealed record RoutedResponse(int StatusCode, string? TargetId, string? AvailabilityZone, string Body, string? Location = null);

/// <summary>Load balancers, target groups, listeners, target registration and request routing.</summary>
internal sealed partial class FleetStore
{
    public void AddLoadBalancer(LoadBalancer balancer) => Use(_ => loadBalancers[balancer.Arn] = balancer);

    public void RemoveLoadBalancer(string arn) => Use(_ =>
    {
        loadBalancers.Remove(arn);
        foreach (var listener in listeners.Values.Where(listener => listener.LoadBalancerArn == arn).ToList())
        {
            listeners.Remove(listener.Arn);
        }
    });

    public void AddTargetGroup(TargetGroup group) => Use(_ => targetGroups[group.Arn] = group);

    public void RemoveTargetGroup(string arn) => Use(_ => targetGroups.Remove(arn));

    public void AddListener(Listener listener) => Use(_ => listeners[listener.Arn] = listener);

    public void RemoveListener(string arn) => Use(_ => listeners.Remove(arn));

    public LoadBalancer? LoadBalancer(string arn) => loadBalancers.GetValueOrDefault(arn);

    public IEnumerable<LoadBalancer> LoadBalancers(string accountId, string region) =>
        loadBalancers.Values.Where(balancer => balancer.AccountId == accountId && balancer.Region == region).OrderBy(balancer => balancer.CreatedTime).ThenBy(balancer => balancer.Name, StringComparer.Ordinal);

    public TargetGroup? TargetGroup(string arn) => targetGroups.GetValueOrDefault(arn);

    public IEnumerable<TargetGroup> TargetGroups(string accountId, string region) =>
        targetGroups.Values.Where(group => group.AccountId == accountId && group.Region == region).OrderBy(group => group.Name, StringComparer.Ordinal);

    public IEnumerable<Listener> Listeners(string loadBalancerArn) =>
        listeners.Values.Where(listener => listener.LoadBalancerArn == loadBalancerArn).OrderBy(listener => listener.Port);

    public Listener? Listener(string arn) => listeners.GetValueOrDefault(arn);

    /// <summary>RegisterTargets: targets start in "initial" and are health-checked from now.</summary>
    public void RegisterTargets(TargetGroup group, IEnumerable<(string InstanceId, int? Port)> targets) => Use(now =>
    {
        foreach (var (instanceId, port) in targets)
        {
            Register(group, instanceId, port ?? group.Port, now);
        }
    });

    public void DeregisterTargets(TargetGroup group, IEnumerable<(string InstanceId, int? Port)> targets) => Use(_ =>
    {
        foreach (var (instanceId, port) in targets)
        {
            group.Targets.RemoveAll(target => target.InstanceId == instanceId && (port is null || target.Port == port));
        }
    });

    /// <summary>The load balancer a probe names: by ARN or by DNS name.</summary>
    public LoadBalancer? FindLoadBalancer(string arnOrDnsName) =>
        loadBalancers.GetValueOrDefault(arnOrDnsName)
        ?? loadBalancers.Values.FirstOrDefault(balancer => string.Equals(balancer.DnsName, arnOrDnsName.TrimEnd('.'), StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Sends one request through a load balancer's listener as an Application Load Balancer routes it: the listener's
    /// default action; for forward, round robin over the healthy targets in the load balancer's zones, or over all of
    /// them when none is healthy (fail open), 503 when the group has none. A target whose server does not answer
    /// gives 504 (the connection times out), as a target in a zone that is down does.
    /// </summary>
    public RoutedResponse Route(LoadBalancer balancer, int port, string path) => Use(now =>
    {
        var listener = Listeners(balancer.Arn).FirstOrDefault(candidate => candidate.Port == port);
        if (listener is null)
        {
            return new RoutedResponse(0, null, null, $"Connection refused: the load balancer has no listener on port {port}.");
        }

        var action = listener.DefaultAction;
        switch (action.Type)
        {
            case "redirect":
                return new RoutedResponse(action.StatusCode, null, null, "", action.Location);
            case "fixed-response":
                return new RoutedResponse(action.StatusCode, null, null, action.Body ?? "");
        }

        if (action.TargetGroupArn is null || TargetGroup(action.TargetGroupArn) is not { } group)
        {
            return new RoutedResponse(503, null, null, "503 Service Temporarily Unavailable");
        }

        var zones = balancer.Zones.Select(zone => zone.AvailabilityZone).ToHashSet(StringComparer.Ordinal);
        var candidates = group.Targets
            .Select(target => (Target: target, Instance: instances.GetValueOrDefault(target.InstanceId)))
            .Where(entry => entry.Instance is not null && entry.Target.State != "draining" && zones.Contains(entry.Instance.Placement.AvailabilityZone))
            .ToList();
        var healthy = candidates.Where(entry => entry.Target.State == "healthy").ToList();
        var pool = healthy.Count > 0 ? healthy : candidates;
        if (pool.Count == 0)
        {
            return new RoutedResponse(503, null, null, "503 Service Temporarily Unavailable");
        }

        var (_, chosen) = pool[group.NextTarget++ % pool.Count];
        var zone = chosen!.Placement.AvailabilityZone;
        if (!Serving(chosen, now))
        {
            return new RoutedResponse(504, chosen.Id, zone, "504 Gateway Time-out");
        }

        return path == group.HealthCheck.Path
            ? new RoutedResponse(200, chosen.Id, zone, "ok\n")
            : new RoutedResponse(200, chosen.Id, zone, $"served by {chosen.Id} in {zone}\n");
    });
}
