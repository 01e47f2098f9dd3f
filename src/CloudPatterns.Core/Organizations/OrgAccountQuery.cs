using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Aws.Organizations;

namespace CloudPatterns.Core.Organizations;

/// <summary>
/// Lists the organization's accounts with their OU path and tags (Get-OrgAccount). Accounts are listed per OU
/// (ListAccountsForParent) while walking the OU tree once, so every account's OU path is known without a
/// ListParents call per account; only the tags need one call per account, made concurrently.
/// </summary>
public static class OrgAccountQuery
{
    private const string RootIdPrefix = "r-";

    /// <summary>Runs in the caller's account, which must be the management account or a delegated administrator.</summary>
    public static async IAsyncEnumerable<OrgAccount> RunAsync(AwsSession session, OrgAccountFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        AwsTarget home = await session.GetTargetAsync(session.CallerAccountId, null, cancellationToken).ConfigureAwait(false);
        await foreach (OrgAccount account in RunAsync(home.Organizations, filter, cancellationToken).ConfigureAwait(false))
        {
            yield return account;
        }
    }

    internal static async IAsyncEnumerable<OrgAccount> RunAsync(OrganizationsClient organizations, OrgAccountFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        IAsyncEnumerable<OrgAccount> tagged = ListPlacedAccountsAsync(organizations, filter, cancellationToken)
            .SelectConcurrentlyAsync((placed, token) => WithTagsAsync(organizations, placed, token), filter.ThrottleLimit, cancellationToken);
        await foreach (OrgAccount account in tagged.ConfigureAwait(false))
        {
            if (HasTags(account, filter.Tag))
            {
                yield return account;
            }
        }
    }

    /// <summary>The accounts in an OU (or root) and every OU below it, with one of <paramref name="statuses"/> (empty = all).</summary>
    internal static async IAsyncEnumerable<Account> ListAccountsBelowAsync(OrganizationsClient organizations, string unitId, IReadOnlyCollection<string> statuses, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The OU's path is not wanted here, so the walk starts without locating the OU in the tree.
        await foreach (PlacedAccount placed in WalkAsync(organizations, new OrgNode(unitId, unitId), walkDown: true, statuses, cancellationToken).ConfigureAwait(false))
        {
            yield return placed.Account;
        }
    }

    private static async IAsyncEnumerable<PlacedAccount> ListPlacedAccountsAsync(OrganizationsClient organizations, OrgAccountFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        OrgNode start = filter.OrganizationalUnitId is null
            ? await GetRootAsync(organizations, cancellationToken).ConfigureAwait(false)
            : await LocateAsync(organizations, filter.OrganizationalUnitId, cancellationToken).ConfigureAwait(false);
        bool walkDown = filter.OrganizationalUnitId is null || filter.Recurse;
        await foreach (PlacedAccount placed in WalkAsync(organizations, start, walkDown, filter.Status, cancellationToken).ConfigureAwait(false))
        {
            yield return placed;
        }
    }

    private static async IAsyncEnumerable<PlacedAccount> WalkAsync(OrganizationsClient organizations, OrgNode start, bool walkDown, IReadOnlyCollection<string> acceptedStatuses, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var statuses = new HashSet<string>(acceptedStatuses, StringComparer.OrdinalIgnoreCase);
        var nodes = new Queue<OrgNode>();
        nodes.Enqueue(start);
        while (nodes.Count > 0)
        {
            OrgNode node = nodes.Dequeue();
            await foreach (Account account in organizations.ListAllAccountsForParentAsync(node.Id, cancellationToken).ConfigureAwait(false))
            {
                if (statuses.Count == 0 || statuses.Contains(account.Status ?? string.Empty))
                {
                    yield return new PlacedAccount(account, node);
                }
            }

            if (walkDown)
            {
                await foreach (OrganizationalUnit child in organizations.ListAllOrganizationalUnitsForParentAsync(node.Id, cancellationToken).ConfigureAwait(false))
                {
                    nodes.Enqueue(new OrgNode(child.Id!, node.Path + "/" + child.Name));
                }
            }
        }
    }

    private static async Task<OrgNode> GetRootAsync(OrganizationsClient organizations, CancellationToken cancellationToken)
    {
        Root root = await FirstAsync(organizations.ListAllRootsAsync(cancellationToken)).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The organization has no root.");
        return new OrgNode(root.Id!, root.Name ?? "Root");
    }

    /// <summary>
    /// An OU's path: climbs with ListParents and takes each level's name from its parent's OU listing, which
    /// Organizations can list where it has no call to describe one OU in a page.
    /// </summary>
    private static async Task<OrgNode> LocateAsync(OrganizationsClient organizations, string nodeId, CancellationToken cancellationToken)
    {
        var names = new Stack<string>();
        string current = nodeId;
        while (!current.StartsWith(RootIdPrefix, StringComparison.Ordinal))
        {
            Parent parent = await FirstAsync(organizations.ListAllParentsAsync(current, cancellationToken)).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Organizations returned no parent for {current}.");
            OrganizationalUnit? unit = null;
            await foreach (OrganizationalUnit sibling in organizations.ListAllOrganizationalUnitsForParentAsync(parent.Id!, cancellationToken).ConfigureAwait(false))
            {
                if (sibling.Id == current)
                {
                    unit = sibling;
                    break;
                }
            }

            names.Push(unit?.Name ?? current);
            current = parent.Id!;
        }

        OrgNode root = await GetRootAsync(organizations, cancellationToken).ConfigureAwait(false);
        return new OrgNode(nodeId, string.Join("/", new[] { root.Path }.Concat(names)));
    }

    private static async Task<T?> FirstAsync<T>(IAsyncEnumerable<T> items)
        where T : class
    {
        await foreach (T item in items.ConfigureAwait(false))
        {
            return item;
        }

        return null;
    }

    private static async Task<OrgAccount> WithTagsAsync(OrganizationsClient organizations, PlacedAccount placed, CancellationToken cancellationToken)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        Account account = placed.Account;
        await foreach (Tag tag in organizations.ListAllTagsForResourceAsync(account.Id!, cancellationToken).ConfigureAwait(false))
        {
            tags[tag.Key!] = tag.Value ?? string.Empty;
        }

        return new OrgAccount(
            account.Id!,
            account.Name ?? string.Empty,
            account.Email ?? string.Empty,
            account.Status ?? string.Empty,
            account.JoinedTimestamp is { } joined ? new DateTimeOffset(joined, TimeSpan.Zero) : null,
            placed.Node.Path,
            placed.Node.Id,
            account.Arn ?? string.Empty,
            tags);
    }

    private static bool HasTags(OrgAccount account, IReadOnlyDictionary<string, string> required) =>
        required.All(tag => account.Tags.TryGetValue(tag.Key, out string? value) && (tag.Value.Length == 0 || value == tag.Value));

    private sealed class OrgNode
    {
        public OrgNode(string id, string path)
        {
            Id = id;
            Path = path;
        }

        public string Id { get; }

        public string Path { get; }
    }

    private sealed class PlacedAccount
    {
        public PlacedAccount(Account account, OrgNode node)
        {
            Account = account;
            Node = node;
        }

        public Account Account { get; }

        public OrgNode Node { get; }
    }
}
