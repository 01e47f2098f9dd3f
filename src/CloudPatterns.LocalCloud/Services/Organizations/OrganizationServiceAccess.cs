namespace CloudPatterns.LocalCloud.Services.Organizations;

/// <summary>
/// Trusted access (EnableAWSServiceAccess) and delegated administrators (RegisterDelegatedAdministrator) of the
/// organization: what lets a service such as CloudFormation StackSets act across its accounts.
/// </summary>
internal sealed class OrganizationServiceAccess
{
    /// <summary>The service principal of StackSets' trusted access (docs/localcloud-stacksets.md).</summary>
    public const string StackSetsPrincipal = "member.org.stacksets.cloudformation.amazonaws.com";

    private readonly Lock gate = new();
    private readonly Dictionary<string, DateTimeOffset> enabled = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, DateTimeOffset>> delegated = new(StringComparer.Ordinal);

    public bool IsEnabled(string servicePrincipal)
    {
        lock (gate)
        {
            return enabled.ContainsKey(servicePrincipal);
        }
    }

    /// <summary>Enabling again keeps the first date, as EnableAWSServiceAccess is idempotent.</summary>
    public void Enable(string servicePrincipal, DateTimeOffset now)
    {
        lock (gate)
        {
            enabled.TryAdd(servicePrincipal, now);
        }
    }

    public IReadOnlyList<(string ServicePrincipal, DateTimeOffset DateEnabled)> Enabled()
    {
        lock (gate)
        {
            return enabled.OrderBy(entry => entry.Key, StringComparer.Ordinal).Select(entry => (entry.Key, entry.Value)).ToList();
        }
    }

    /// <summary>Registers a delegated administrator; false when the account already is one for the principal.</summary>
    public bool Register(string accountId, string servicePrincipal, DateTimeOffset now)
    {
        lock (gate)
        {
            if (!delegated.TryGetValue(servicePrincipal, out var accounts))
            {
                delegated[servicePrincipal] = accounts = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            }

            return accounts.TryAdd(accountId, now);
        }
    }

    public bool IsDelegatedAdministrator(string accountId, string servicePrincipal)
    {
        lock (gate)
        {
            return delegated.TryGetValue(servicePrincipal, out var accounts) && accounts.ContainsKey(accountId);
        }
    }

    /// <summary>Delegated administrators of one principal, or of every principal when it is null.</summary>
    public IReadOnlyList<(string AccountId, DateTimeOffset Since)> DelegatedAdministrators(string? servicePrincipal)
    {
        lock (gate)
        {
            return delegated.Where(entry => servicePrincipal is null || entry.Key == servicePrincipal)
                .SelectMany(entry => entry.Value)
                .GroupBy(entry => entry.Key, StringComparer.Ordinal)
                .Select(group => (group.Key, group.Min(entry => entry.Value)))
                .OrderBy(entry => entry.Key, StringComparer.Ordinal)
                .ToList();
        }
    }
    /// <summary>Trusted access and delegated administrators, for the state file.</summary>
    public ServiceAccessSnapshot Snapshot()
    {
        lock (gate)
        {
            return new ServiceAccessSnapshot(
                new Dictionary<string, DateTimeOffset>(enabled, StringComparer.Ordinal),
                delegated.ToDictionary(entry => entry.Key, entry => new Dictionary<string, DateTimeOffset>(entry.Value, StringComparer.Ordinal), StringComparer.Ordinal));
        }
    }

    public void Restore(ServiceAccessSnapshot snapshot)
    {
        lock (gate)
        {
            enabled.Clear();
            delegated.Clear();
            foreach (var (principal, since) in snapshot.Enabled)
            {
                enabled[principal] = since;
            }

            foreach (var (principal, accounts) in snapshot.Delegated)
            {
                delegated[principal] = new Dictionary<string, DateTimeOffset>(accounts, StringComparer.Ordinal);
            }
        }
    }
}

/// <summary>What the state file keeps of trusted access and delegated administrators.</summary>
internal sealed record ServiceAccessSnapshot(Dictionary<string, DateTimeOffset> Enabled, Dictionary<string, Dictionary<string, DateTimeOffset>> Delegated);
