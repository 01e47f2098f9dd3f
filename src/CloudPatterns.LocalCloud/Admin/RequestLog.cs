namespace CloudPatterns.LocalCloud.Admin;

/// <summary>One AWS request LocalCloud answered (admin requests are not logged).</summary>
/// <param name="Service">Signing name of the service, e.g. organizations.</param>
/// <param name="Operation">Operation name, or null when the request named none LocalCloud knows.</param>
/// <param name="AccountId">The caller's account, or null when authentication failed.</param>
/// <param name="CallerArn">The caller (IAM user or assumed-role session), or null when authentication failed.</param>
/// <param name="Region">Region from the credential scope.</param>
/// <param name="StatusCode">HTTP status of the answer.</param>
/// <param name="Mutating">True when the operation changes state.</param>
/// <param name="DurationMs">Time spent answering, injected latency included.</param>
/// <param name="Time">When the request arrived (simulated clock).</param>
internal sealed record RequestLogEntry(
    string? Service,
    string? Operation,
    string? AccountId,
    string? CallerArn,
    string? Region,
    int StatusCode,
    bool Mutating,
    double DurationMs,
    DateTimeOffset Time)
{
    /// <summary>The IAM action authorized (null when authentication failed or the operation needs no permission).</summary>
    public string? Action { get; init; }

    /// <summary>Allow, ExplicitDeny or ImplicitDeny; null when the request was not authorized.</summary>
    public string? Decision { get; init; }

    /// <summary>The deciding policy and statement (policy#Sid), or the policy type that allowed nothing.</summary>
    public string? DecidedBy { get; init; }

    /// <summary>
    /// Every authorization the request needed, its own action first, then those checked inside it (iam:PassRole,
    /// kms:GenerateDataKey for SSE-KMS, ...): the evaluator's inputs and decision, for replaying it in IAM's policy
    /// simulator (docs/least-privilege.md, "Minimality by simulation").
    /// </summary>
    public IReadOnlyList<AuthorizationCheck>? Checks { get; init; }
}

/// <summary>One evaluation of the policies for one action on one resource, as the request log shows it.</summary>
internal sealed class AuthorizationCheck(Authorization.AuthorizationOutcome outcome)
{
    public string? Action => outcome.Action;

    public string? Resource => outcome.Resource;

    public string Decision => outcome.Decision.Outcome;

    public string? DecidedBy => outcome.Decision.Describe();

    /// <summary>The condition keys the request supplied (read when the log is served, not copied per request).</summary>
    public IReadOnlyDictionary<string, string[]> Context => (outcome.Context?.Keys ?? []).ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.OrdinalIgnoreCase);
}

/// <summary>Per-operation request count, as <c>GET /_localcloud/requests/counts</c> reports it.</summary>
internal sealed record RequestCount(string? Service, string? Operation, bool Mutating, int Count);

/// <summary>How full the request log is, as <c>GET /_localcloud/requests/status</c> reports it.</summary>
/// <param name="Capacity">The most entries the log keeps (<c>--request-log-size</c>).</param>
/// <param name="Held">Entries held now.</param>
/// <param name="Dropped">The oldest entries dropped to make room since the log was last cleared.</param>
internal sealed record RequestLogStatus(int Capacity, int Held, long Dropped);

/// <summary>
/// The request log: a thread-safe ring of the last <see cref="Capacity"/> requests that tests and benchmarks read and
/// clear (docs/localcloud-authorization.md, "Request log"). When full, each new entry drops the oldest one; the
/// number dropped since the last clear is reported, so a reader that needs a whole flow can tell it has not got one.
/// </summary>
internal sealed class RequestLog(int capacity = RequestLog.DefaultCapacity)
{
    /// <summary>The default size: several times the longest flow the least-privilege proofs read between two clears.</summary>
    public const int DefaultCapacity = 20_000;

    private readonly Queue<RequestLogEntry> entries = new();
    private readonly Lock gate = new();
    private long dropped;

    public int Capacity { get; } = capacity >= 1 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "The request log holds at least one entry.");

    public void Add(RequestLogEntry entry)
    {
        lock (gate)
        {
            entries.Enqueue(entry);
            while (entries.Count > Capacity)
            {
                entries.Dequeue();
                dropped++;
            }
        }
    }

    public IReadOnlyList<RequestLogEntry> Snapshot()
    {
        lock (gate)
        {
            return entries.ToArray();
        }
    }

    public RequestLogStatus Status()
    {
        lock (gate)
        {
            return new RequestLogStatus(Capacity, entries.Count, dropped);
        }
    }

    public IReadOnlyList<RequestCount> Counts() => Snapshot()
        .GroupBy(entry => (entry.Service, entry.Operation, entry.Mutating))
        .Select(group => new RequestCount(group.Key.Service, group.Key.Operation, group.Key.Mutating, group.Count()))
        .OrderBy(count => count.Service, StringComparer.Ordinal)
        .ThenBy(count => count.Operation, StringComparer.Ordinal)
        .ToList();

    public void Clear()
    {
        lock (gate)
        {
            entries.Clear();
            dropped = 0;
        }
    }
}
