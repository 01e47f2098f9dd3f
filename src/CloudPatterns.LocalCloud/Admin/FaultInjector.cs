namespace CloudPatterns.LocalCloud.Admin;

/// <summary>
/// A fault rule set through <c>PUT /_localcloud/faults</c>. Service and operation narrow it (null = all); rates are
/// probabilities per request.
/// </summary>
internal sealed record FaultRule(
    string? Service,
    string? Operation,
    int LatencyMs,
    double ThrottleRate,
    double ErrorRate,
    string ErrorCode,
    int ErrorStatusCode);

/// <summary>What a fault rule decided for one request.</summary>
internal enum FaultOutcome
{
    None,
    Throttle,
    Error,
}

/// <summary>Holds the fault rules; the most specific rule for a request applies (service and operation, then service, then all).</summary>
internal sealed class FaultInjector
{
    private volatile FaultRule[] rules = [];
    private readonly Lock writeLock = new();

    public IReadOnlyList<FaultRule> Rules => rules;

    /// <summary>Adds a rule, replacing the one with the same service and operation.</summary>
    public void Set(FaultRule rule)
    {
        lock (writeLock)
        {
            rules = [.. rules.Where(existing => !SameTarget(existing, rule)), rule];
        }
    }

    public void Clear() => rules = [];

    public FaultRule? Find(string service, string operation)
    {
        var current = rules;
        if (current.Length == 0)
        {
            return null;
        }

        return current
            .Where(rule => Matches(rule.Service, service) && Matches(rule.Operation, operation))
            .OrderByDescending(rule => (rule.Service is null ? 0 : 2) + (rule.Operation is null ? 0 : 1))
            .FirstOrDefault();
    }

    public static FaultOutcome Roll(FaultRule rule)
    {
        if (rule.ThrottleRate > 0 && Random.Shared.NextDouble() < rule.ThrottleRate)
        {
            return FaultOutcome.Throttle;
        }

        return rule.ErrorRate > 0 && Random.Shared.NextDouble() < rule.ErrorRate ? FaultOutcome.Error : FaultOutcome.None;
    }

    private static bool Matches(string? filter, string value) => filter is null || string.Equals(filter, value, StringComparison.OrdinalIgnoreCase);

    private static bool SameTarget(FaultRule left, FaultRule right) =>
        string.Equals(left.Service, right.Service, StringComparison.OrdinalIgnoreCase)
        && string.Equals(left.Operation, right.Operation, StringComparison.OrdinalIgnoreCase);
}
