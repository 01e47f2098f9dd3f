namespace CloudPatterns.LocalCloud;

/// <summary>How to start LocalCloud.</summary>
public sealed record LocalCloudOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>YAML seed file (format: seeds/sample-org.yaml); null uses the embedded default organization.</summary>
    public string? SeedPath { get; init; }

    /// <summary>How many generated workload accounts (workload-0001…, ids 900000000001…) to add to the seed.</summary>
    public int WorkloadAccountCount { get; init; }

    /// <summary>
    /// File that keeps LocalCloud's state between runs (clock, Backup): read at start, written at stop.
    /// Null keeps state in memory only.
    /// </summary>
    public string? StatePath { get; init; }

    /// <summary>Simulated seconds per real second, 1 (real time) to <see cref="LocalCloudClock.MaxScale"/>.</summary>
    public int TimeScale { get; init; } = 1;

    /// <summary>
    /// Whether the simulated clock skips ahead to the next due time of a pending job when no request has arrived
    /// for a second (<see cref="LocalCloudClock.TryAutoAdvance"/>). Off by default here and on the command line;
    /// Start-CloudSandbox turns it on.
    /// </summary>
    public bool AutoAdvance { get; init; }

    /// <summary>
    /// The most entries the request log keeps (<c>GET /_localcloud/requests</c>); when full, the oldest are dropped
    /// and counted (docs/localcloud-authorization.md, "Request log").
    /// </summary>
    public int RequestLogSize { get; init; } = Admin.RequestLog.DefaultCapacity;

    /// <summary>The default of <see cref="LambdaEnvironments"/>: small enough for a 2-core machine.</summary>
    public const int DefaultLambdaEnvironments = 8;

    /// <summary>
    /// The most Lambda execution environments running events at once, over all functions and accounts: LocalCloud's
    /// own limit beyond AWS's concurrency (docs/localcloud-lambda.md, "Concurrency"); further events wait their turn.
    /// </summary>
    public int LambdaEnvironments { get; init; } = DefaultLambdaEnvironments;
}
