using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Aws.CloudFormation;
using CloudPatterns.Aws.Organizations;
using CloudPatterns.Core.Organizations;

namespace CloudPatterns.Core.GitOps;

/// <summary>A stack the manifest declares for one account and region, with that target's environment.</summary>
public sealed class DesiredStack
{
    internal DesiredStack(ManifestStack stack, string? environment)
    {
        Stack = stack;
        Environment = environment;
    }

    public ManifestStack Stack { get; }

    public string? Environment { get; }
}

/// <summary>One account × region of the manifest and the stacks declared there, in deployment order.</summary>
public sealed class DesiredTarget
{
    internal DesiredTarget(string accountId, string region, IReadOnlyList<DesiredStack> stacks)
    {
        AccountId = accountId;
        Region = region;
        Stacks = stacks;
    }

    public string AccountId { get; }

    public string Region { get; }

    public IReadOnlyList<DesiredStack> Stacks { get; }

    /// <summary>
    /// The stack sets administered from here (the caller's account, in each stack set's first region); empty for
    /// other targets. Only such a target looks for this manifest's orphaned stack sets.
    /// </summary>
    public IReadOnlyList<DesiredStackSet> StackSets { get; internal set; } = Array.Empty<DesiredStackSet>();

    /// <summary>False when -AccountId/-Region left this target only for its stack sets: its own stacks are neither reported nor touched.</summary>
    public bool IncludesStacks { get; internal set; } = true;

    /// <summary>Every stack name of the manifest: a stack set of this manifest by another name is an orphan.</summary>
    internal IReadOnlyCollection<string> ManifestStackNames { get; set; } = Array.Empty<string>();

    /// <summary>Which stack instances (account, region) are reported: those -AccountId/-Region admit.</summary>
    internal Func<string, string, bool> InstanceFilter { get; set; } = (_, _) => true;
}

/// <summary>A stack of the manifest deployed as a service-managed stack set, with the accounts its targets reach now.</summary>
public sealed class DesiredStackSet
{
    internal DesiredStackSet(ManifestStack stack, DeploymentTargets targets, IReadOnlyList<string> accountIds, string managementAccountId)
    {
        Stack = stack;
        Targets = targets;
        AccountIds = accountIds;
        ManagementAccountId = managementAccountId;
    }

    public ManifestStack Stack { get; }

    /// <summary>The instances' accounts: the targets' active accounts, never the management account (StackSets never deploys there).</summary>
    public IReadOnlyList<string> AccountIds { get; }

    /// <summary>The stack set's regions: its instances are in each.</summary>
    public IReadOnlyList<string> Regions => Stack.Regions;

    internal DeploymentTargets Targets { get; }

    internal string ManagementAccountId { get; }
}

/// <summary>
/// Turns the manifest's targets into accounts × regions: account ids as written, account names and OUs through
/// Organizations (called only when the manifest names one). Every account × region any stack targets is a target,
/// also where no stack is declared any more, so orphans there are found.
/// </summary>
public static class ManifestTargets
{
    public static async Task<IReadOnlyList<DesiredTarget>> ResolveAsync(AwsSession session, StackManifest manifest, CancellationToken cancellationToken)
    {
        var entries = manifest.Stacks.SelectMany(s => s.Targets).ToList();
        var stackSets = manifest.Stacks.Where(s => s.StackSet is not null).ToList();
        OrganizationsClient? organizations = stackSets.Count > 0 || entries.Any(e => e.Kind == ManifestTargetKind.OrganizationalUnit || !AwsIdentifiers.IsAccountId(e.Value))
            ? (await session.GetTargetAsync(session.CallerAccountId, null, cancellationToken).ConfigureAwait(false)).Organizations
            : null;
        var accountsByName = organizations is null ? null : await AccountsByNameAsync(organizations, cancellationToken).ConfigureAwait(false);
        var unitAccounts = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var unit in entries.Where(e => e.Kind == ManifestTargetKind.OrganizationalUnit).Select(e => e.Value).Distinct(StringComparer.Ordinal))
        {
            unitAccounts[unit] = await ActiveAccountsBelowAsync(organizations!, unit, cancellationToken).ConfigureAwait(false);
        }

        IReadOnlyList<string> AccountsOf(ManifestTargetEntry entry) => entry.Kind == ManifestTargetKind.OrganizationalUnit
            ? unitAccounts[entry.Value]
            : new[] { AwsIdentifiers.IsAccountId(entry.Value) ? entry.Value : AccountIdOf(manifest, entry, accountsByName!) };

        var targets = Expand(manifest, AccountsOf).ToList();
        if (stackSets.Count > 0)
        {
            var management = (await organizations!.DescribeOrganizationAsync(new DescribeOrganizationRequest(), cancellationToken).ConfigureAwait(false)).Organization?.MasterAccountId
                ?? session.CallerAccountId;
            foreach (var stack in stackSets)
            {
                var desired = await StackSetAsync(organizations, stack, AccountsOf, management, cancellationToken).ConfigureAwait(false);
                var home = targets.FirstOrDefault(t => t.AccountId == session.CallerAccountId && t.Region == stack.Regions[0]);
                if (home is null)
                {
                    targets.Add(home = new DesiredTarget(session.CallerAccountId, stack.Regions[0], Array.Empty<DesiredStack>()));
                }

                home.StackSets = home.StackSets.Append(desired).ToList();
                home.ManifestStackNames = new HashSet<string>(manifest.Stacks.Select(s => s.Name), StringComparer.Ordinal);
            }
        }

        return targets;
    }

    /// <summary>
    /// A stack set's deployment targets as StackSets takes them (service-managed: OUs, with the accounts given UNION
    /// them; accounts alone as their parents INTERSECTION them) and the accounts they reach now.
    /// </summary>
    private static async Task<DesiredStackSet> StackSetAsync(OrganizationsClient organizations, ManifestStack stack, Func<ManifestTargetEntry, IReadOnlyList<string>> accountsOf, string management, CancellationToken cancellationToken)
    {
        var units = stack.Targets.Where(t => t.Kind == ManifestTargetKind.OrganizationalUnit).Select(t => t.Value).Distinct(StringComparer.Ordinal).ToList();
        var accounts = stack.Targets.Where(t => t.Kind == ManifestTargetKind.Account).SelectMany(accountsOf).Distinct(StringComparer.Ordinal).ToList();
        DeploymentTargets targets;
        if (units.Count > 0)
        {
            targets = new DeploymentTargets { OrganizationalUnitIds = units, Accounts = accounts.Count > 0 ? accounts : null, AccountFilterType = accounts.Count > 0 ? "UNION" : null };
        }
        else
        {
            var parents = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var account in accounts)
            {
                await foreach (var parent in organizations.ListAllParentsAsync(account, cancellationToken).ConfigureAwait(false))
                {
                    parents.Add(parent.Id!);
                }
            }

            targets = new DeploymentTargets { OrganizationalUnitIds = parents.ToList(), Accounts = accounts, AccountFilterType = "INTERSECTION" };
        }

        var reached = stack.Targets.SelectMany(accountsOf).Where(id => id != management).Distinct(StringComparer.Ordinal).ToList();
        return new DesiredStackSet(stack, targets, reached, management);
    }

    /// <summary>The targets of the manifest, given how each target entry resolves to account ids.</summary>
    internal static IReadOnlyList<DesiredTarget> Expand(StackManifest manifest, Func<ManifestTargetEntry, IReadOnlyList<string>> accountsOf)
    {
        var declared = new Dictionary<(string Account, string Region), List<DesiredStack>>();
        var order = new List<(string Account, string Region)>();
        foreach (var stack in manifest.Stacks.Where(s => s.StackSet is null))
        {
            var environments = new Dictionary<string, ManifestTargetEntry>(StringComparer.Ordinal);
            foreach (var entry in stack.Targets)
            {
                foreach (var accountId in accountsOf(entry))
                {
                    if (environments.TryGetValue(accountId, out var earlier))
                    {
                        if (earlier.Environment != entry.Environment)
                        {
                            throw new ManifestException(manifest.Path, entry.Line, $"{stack.Key}.targets[{stack.Targets.ToList().IndexOf(entry)}]",
                                $"account {accountId} is a target of stack '{stack.Name}' twice with different environments ('{earlier.Environment ?? "(none)"}' on line {earlier.Line}, '{entry.Environment ?? "(none)"}' here).");
                        }

                        continue;
                    }

                    environments[accountId] = entry;
                }
            }

            foreach (var region in stack.Regions)
            {
                foreach (var target in environments)
                {
                    var key = (target.Key, region);
                    if (!declared.TryGetValue(key, out var stacks))
                    {
                        declared[key] = stacks = new List<DesiredStack>();
                        order.Add(key);
                    }

                    stacks.Add(new DesiredStack(stack, target.Value.Environment));
                }
            }
        }

        return order.Select(key => new DesiredTarget(key.Account, key.Region, declared[key])).ToList();
    }

    private static string AccountIdOf(StackManifest manifest, ManifestTargetEntry entry, IReadOnlyDictionary<string, string> accountsByName)
    {
        if (accountsByName.TryGetValue(entry.Value, out var id))
        {
            return id;
        }

        var stack = manifest.Stacks.First(s => s.Targets.Contains(entry));
        throw new ManifestException(manifest.Path, entry.Line, $"{stack.Key}.targets[{stack.Targets.ToList().IndexOf(entry)}].account",
            $"no account of the organization is named '{entry.Value}' (Get-OrgAccount lists them).");
    }

    private static async Task<IReadOnlyDictionary<string, string>> AccountsByNameAsync(OrganizationsClient organizations, CancellationToken cancellationToken)
    {
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        await foreach (var account in organizations.ListAllAccountsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (account.Name is not null && account.Id is not null)
            {
                byName[account.Name] = account.Id;
            }
        }

        return byName;
    }

    private static async Task<IReadOnlyList<string>> ActiveAccountsBelowAsync(OrganizationsClient organizations, string unitId, CancellationToken cancellationToken)
    {
        var accounts = new List<string>();
        await foreach (var account in OrgAccountQuery.ListAccountsBelowAsync(organizations, unitId, new[] { "ACTIVE" }, cancellationToken).ConfigureAwait(false))
        {
            if (account.Id is not null)
            {
                accounts.Add(account.Id);
            }
        }

        return accounts;
    }
}
