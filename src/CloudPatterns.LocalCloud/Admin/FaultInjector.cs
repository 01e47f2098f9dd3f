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
    int ErrorStatusCode)
{
    /// <summary>
    /// How many more requests the rule answers with its fault before it is gone (null: until cleared), so a test can
    /// fail the next N calls and no more (docs/localcloud-faults.md, "Request faults").
    /// </summary>
    public int? Times { get; init; }
}

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

    /// <summary>What the rule does to one request; a rule with <see cref="FaultRule.Times"/> counts the faults it answers down to none.</summary>
    public FaultOutcome Roll(FaultRule rule)
    {
        var outcome = rule.ThrottleRate > 0 && Random.Shared.NextDouble() < rule.ThrottleRate ? FaultOutcome.Throttle
            : rule.ErrorRate > 0 && Random.Shared.NextDouble() < rule.ErrorRate ? FaultOutcome.Error
            : FaultOutcome.None;
        if (outcome == FaultOutcome.None || rule.Times is null)
        {
            return outcome;
        }

        lock (writeLock)
        {
            // Another request may have used the last one since Find.
            if (rules.FirstOrDefault(existing => SameTarget(existing, rule))?.Times is not { } left || left <= 0)
            {
                return FaultOutcome.None;
            }

            rules = left == 1
                ? [.. rules.Where(existing => !SameTarget(existing, rule))]
                : [.. rules.Select(existing => SameTarget(existing, rule) ? existing with { Times = left - 1 } : existing)];
        }

        return outcome;
    }

    private static bool Matches(string? filter, string value) => filter is null || string.Equals(filter, value, StringComparison.OrdinalIgnoreCase);

    private static bool SameTarget(FaultRule left, FaultRule right) =>
        string.Equals(left.Service, right.Service, StringComparison.OrdinalIgnoreCase)
        && string.Equals(left.Operation, right.Operation, StringComparison.OrdinalIgnoreCase);
}
