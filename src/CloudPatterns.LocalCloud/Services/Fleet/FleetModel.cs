namespace CloudPatterns.LocalCloud.Services.Fleet;

/// <summary>Where something runs: a subnet (null for a group given zones only) and its Availability Zone.</summary>
internal sealed record Placement(string? SubnetId, string AvailabilityZone);

/// <summary>An emulated EC2 instance (docs/localcloud-fleet.md, "Instances"). Mutated only under the fleet's lock.</summary>
internal sealed class FleetInstance
{
    public required string Id { get; init; }

    public required string AccountId { get; init; }

    public required string Region { get; init; }

    public required Placement Placement { get; init; }

    public required string ImageId { get; init; }

    public required string InstanceType { get; init; }

    public required DateTimeOffset LaunchTime { get; init; }

    public required string PrivateIpAddress { get; init; }

    public string? GroupName { get; init; }

    /// <summary>The security groups of an instance launched by a restore (a group's instances list none).</summary>
    public IReadOnlyList<string> SecurityGroupIds { get; init; } = [];

    public string? LaunchTemplateId { get; init; }

    public string? LaunchTemplateVersion { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>EC2's state name: pending, running, shutting-down, terminated.</summary>
    public string State { get; set; } = "pending";

    public DateTimeOffset? TerminatedAt { get; set; }

    /// <summary>Auto Scaling's lifecycle state: Pending, InService, Terminating, Terminated.</summary>
    public string LifecycleState { get; set; } = "Pending";

    /// <summary>Auto Scaling's health status: Healthy or Unhealthy.</summary>
    public string HealthStatus { get; set; } = "Healthy";

    /// <summary>Whether a scale-in may not choose this instance (SetInstanceProtection, NewInstancesProtectedFromScaleIn).</summary>
    public bool ProtectedFromScaleIn { get; set; }

    public bool Active => State is "pending" or "running";

    public DateTimeOffset RunningAt => LaunchTime + FleetTimings.Pending;

    /// <summary>When the user data's server answers (the emulation rule of docs/localcloud-fleet.md).</summary>
    public DateTimeOffset ServingAt => LaunchTime + FleetTimings.ServerReady;
}

/// <summary>An Auto Scaling group.</summary>
internal sealed class AutoScalingGroup
{
    public required string Name { get; init; }

    public required string Arn { get; init; }

    public required string AccountId { get; init; }

    public required string Region { get; init; }

    public required DateTimeOffset CreatedTime { get; init; }

    public int MinSize { get; set; }

    public int MaxSize { get; set; }

    public int DesiredCapacity { get; set; }

    public IReadOnlyList<Placement> Zones { get; set; } = [];

    public LaunchSpecification Launch { get; set; } = new(null, null, null, null, "ami-00000000000000000", "t3.micro");

    public IReadOnlyList<string> TargetGroupArns { get; set; } = [];

    /// <summary>EC2 or ELB.</summary>
    public string HealthCheckType { get; set; } = "EC2";

    public int HealthCheckGracePeriod { get; set; }

    public int DefaultCooldown { get; set; } = 300;

    /// <summary>The warm-up of new instances for step scaling and target tracking when a policy gives none (null: none set).</summary>
    public int? DefaultInstanceWarmup { get; set; }

    /// <summary>Whether instances launched from now on are protected from scale-in.</summary>
    public bool NewInstancesProtectedFromScaleIn { get; set; }

    public IReadOnlyDictionary<string, string> Tags { get; set; } = new Dictionary<string, string>();

    public List<FleetInstance> Instances { get; } = [];

    public List<ScalingActivity> Activities { get; } = [];

    /// <summary>Suspended processes (SuspendProcesses) and their reasons; LocalCloud acts on AZRebalance only.</summary>
    public Dictionary<string, string> SuspendedProcesses { get; } = new(StringComparer.Ordinal);

    /// <summary>Instances launched to balance the zones that are not running yet: each, once InService, lets one instance of the fullest zone go.</summary>
    public HashSet<string> RebalanceLaunches { get; } = new(StringComparer.Ordinal);

    public IEnumerable<FleetInstance> Live => Instances.Where(instance => instance.LifecycleState is "Pending" or "InService");
}

/// <summary>
/// What a group launches: its launch template (id, name, version) or launch configuration, and the image, type and
/// security groups they give.
/// </summary>
internal sealed record LaunchSpecification(string? TemplateId, string? TemplateName, string? TemplateVersion, string? ConfigurationName, string ImageId, string InstanceType)
{
    public IReadOnlyList<string> SecurityGroupIds { get; init; } = [];
}

/// <summary>One entry of DescribeScalingActivities.</summary>
internal sealed record ScalingActivity(string ActivityId, string Description, string Cause, DateTimeOffset StartTime, DateTimeOffset EndTime, string StatusCode, string? StatusMessage);

/// <summary>An Elastic Load Balancing v2 load balancer (application or network).</summary>
internal sealed class LoadBalancer
{
    public required string Arn { get; init; }

    public required string Name { get; init; }

    public required string DnsName { get; init; }

    public required string AccountId { get; init; }

    public required string Region { get; init; }

    public required DateTimeOffset CreatedTime { get; init; }

    public string Type { get; init; } = "application";

    public string Scheme { get; init; } = "internet-facing";

    public string? VpcId { get; init; }

    public string CanonicalHostedZoneId { get; init; } = "Z3AADJGX6KTTL2";

    public IReadOnlyList<Placement> Zones { get; set; } = [];

    public IReadOnlyList<string> SecurityGroups { get; set; } = [];
}

/// <summary>A target group with its health check settings and registered targets.</summary>
internal sealed class TargetGroup
{
    public required string Arn { get; init; }

    public required string Name { get; init; }

    public required string AccountId { get; init; }

    public required string Region { get; init; }

    public string Protocol { get; set; } = "HTTP";

    public int Port { get; set; } = 80;

    public string? VpcId { get; init; }

    public string TargetType { get; init; } = "instance";

    public HealthCheck HealthCheck { get; set; } = new("HTTP", "traffic-port", "/", 30, 5, 5, 2, "200");

    public List<Target> Targets { get; } = [];

    /// <summary>The next target round robin picks (ALB's default routing algorithm).</summary>
    public int NextTarget { get; set; }
}

/// <summary>A target group's health check (ELBv2's defaults for instance targets over HTTP when the template sets none).</summary>
internal sealed record HealthCheck(string Protocol, string Port, string Path, int IntervalSeconds, int TimeoutSeconds, int HealthyThreshold, int UnhealthyThreshold, string Matcher);

/// <summary>A registered target and the state its health checks have reached.</summary>
internal sealed class Target
{
    public required string InstanceId { get; init; }

    public required int Port { get; init; }

    public required DateTimeOffset RegisteredAt { get; init; }

    /// <summary>initial, healthy, unhealthy, unused or draining.</summary>
    public string State { get; set; } = "initial";

    public DateTimeOffset StateSince { get; set; }

    public bool? LastCheckPassed { get; set; }

    public int ConsecutiveResults { get; set; }

    public DateTimeOffset NextCheck { get; set; }
}

/// <summary>A listener: port, protocol and its default action (forward, redirect or fixed-response).</summary>
internal sealed class Listener
{
    public required string Arn { get; init; }

    public required string LoadBalancerArn { get; init; }

    public required int Port { get; init; }

    public required string Protocol { get; init; }

    public string? SslPolicy { get; init; }

    public IReadOnlyList<string> CertificateArns { get; init; } = [];

    public required ListenerAction DefaultAction { get; init; }
}

/// <summary>A listener's default action as the router follows it.</summary>
internal sealed record ListenerAction(string Type, string? TargetGroupArn, int StatusCode, string? Location, string? Body);

/// <summary>The emulated timings (docs/localcloud-fleet.md).</summary>
internal static class FleetTimings
{
    /// <summary>pending → running after launch.</summary>
    public static readonly TimeSpan Pending = TimeSpan.FromSeconds(30);

    /// <summary>The user data's server answers this long after launch.</summary>
    public static readonly TimeSpan ServerReady = TimeSpan.FromSeconds(60);
}
