using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Aws.Organizations;

namespace CloudPatterns.Core.Organizations;

/// <summary>An id and what a person calls it: an account's name, an OU's path.</summary>
public sealed class OrgEntry
{
    public OrgEntry(string id, string name)
    {
        Id = id;
        Name = name;
    }

    public string Id { get; }

    public string Name { get; }
}

/// <summary>Cheap listings of the organization's accounts and OUs, for tab completion (no tags, no per-account calls).</summary>
public static class OrgDirectory
{
    public static async Task<IReadOnlyList<OrgEntry>> ListAccountsAsync(AwsSession session, CancellationToken cancellationToken)
    {
        OrganizationsClient organizations = (await session.GetTargetAsync(session.CallerAccountId, null, cancellationToken).ConfigureAwait(false)).Organizations;
        var accounts = new List<OrgEntry>();
        await foreach (Account account in organizations.ListAllAccountsAsync(cancellationToken).ConfigureAwait(false))
        {
            accounts.Add(new OrgEntry(account.Id!, account.Name ?? string.Empty));
        }
        return accounts;
    }

    /// <summary>The root and every OU below it, each with its path (Root/Workloads/Prod), parents before children.</summary>
    public static async Task<IReadOnlyList<OrgEntry>> ListOrganizationalUnitsAsync(AwsSession session, CancellationToken cancellationToken)
    {
        OrganizationsClient organizations = (await session.GetTargetAsync(session.CallerAccountId, null, cancellationToken).ConfigureAwait(false)).Organizations;
        var units = new List<OrgEntry>();
        await foreach (Root root in organizations.ListAllRootsAsync(cancellationToken).ConfigureAwait(false))
        {
            units.Add(new OrgEntry(root.Id!, root.Name ?? "Root"));
        }
        for (int i = 0; i < units.Count; i++)
        {
            OrgEntry parent = units[i];
            await foreach (OrganizationalUnit child in organizations.ListAllOrganizationalUnitsForParentAsync(parent.Id, cancellationToken).ConfigureAwait(false))
            {
                units.Add(new OrgEntry(child.Id!, parent.Name + "/" + child.Name));
            }
        }
        return units;
    }
}
