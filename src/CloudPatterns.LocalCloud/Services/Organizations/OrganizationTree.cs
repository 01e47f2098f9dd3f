namespace CloudPatterns.LocalCloud.Services.Organizations;

/// <summary>
/// Where each account and OU of the organization sits, starting from the seed and changed by MoveAccount; the one
/// place Organizations, SCP evaluation and StackSets' OU targets read the hierarchy from.
/// </summary>
internal sealed class OrganizationTree
{
    private readonly Lock gate = new();
    private readonly SeedOrganization organization;
    private readonly Dictionary<string, string> parentOfAccount;
    private readonly Dictionary<string, string> parentOfUnit;

    public OrganizationTree(SeedOrganization organization)
    {
        this.organization = organization;
        var unitIdByPath = organization.OrganizationalUnits.ToDictionary(unit => unit.Path, unit => unit.Id, StringComparer.Ordinal);
        unitIdByPath["/"] = organization.RootId;
        parentOfAccount = organization.Accounts.ToDictionary(account => account.Id, account => unitIdByPath[account.OrganizationalUnitPath], StringComparer.Ordinal);
        parentOfUnit = organization.OrganizationalUnits.ToDictionary(unit => unit.Id, unit => unit.ParentId, StringComparer.Ordinal);
    }

    /// <summary>Raised after an account moved (account id, old parent, new parent), outside the tree's lock.</summary>
    public event Action<string, string, string>? AccountMoved;

    public bool IsUnit(string id) => parentOfUnit.ContainsKey(id);

    /// <summary>The root or an OU.</summary>
    public bool IsParent(string id) => id == organization.RootId || IsUnit(id);

    public string? ParentOfUnit(string unitId) => parentOfUnit.GetValueOrDefault(unitId);

    public string? ParentOfAccount(string accountId)
    {
        lock (gate)
        {
            return parentOfAccount.GetValueOrDefault(accountId);
        }
    }

    /// <summary>The accounts directly under a root or OU, in seed order.</summary>
    public IReadOnlyList<SeedAccount> AccountsUnder(string parentId)
    {
        lock (gate)
        {
            return organization.Accounts.Where(account => parentOfAccount[account.Id] == parentId).ToList();
        }
    }

    /// <summary>Whether <paramref name="accountId"/> sits in <paramref name="parentId"/> or any OU below it.</summary>
    public bool IsWithin(string accountId, string parentId)
    {
        for (var current = ParentOfAccount(accountId); current is not null; current = parentOfUnit.GetValueOrDefault(current))
        {
            if (current == parentId)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Each account's parent, for the state file.</summary>
    public Dictionary<string, string> Snapshot()
    {
        lock (gate)
        {
            return new Dictionary<string, string>(parentOfAccount, StringComparer.Ordinal);
        }
    }

    /// <summary>Puts accounts back where the snapshot had them (accounts or parents the seed no longer has are skipped).</summary>
    public void Restore(Dictionary<string, string> snapshot)
    {
        lock (gate)
        {
            foreach (var (accountId, parentId) in snapshot.Where(entry => parentOfAccount.ContainsKey(entry.Key) && IsParent(entry.Value)))
            {
                parentOfAccount[accountId] = parentId;
            }
        }
    }

    /// <summary>MoveAccount: false when the account is not in <paramref name="sourceParentId"/>.</summary>
    public bool Move(string accountId, string sourceParentId, string destinationParentId)
    {
        lock (gate)
        {
            if (parentOfAccount.GetValueOrDefault(accountId) != sourceParentId)
            {
                return false;
            }

            parentOfAccount[accountId] = destinationParentId;
        }

        AccountMoved?.Invoke(accountId, sourceParentId, destinationParentId);
        return true;
    }
}
