using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
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
        OrganizationsClient? organizations = entries.Any(e => e.Kind == ManifestTargetKind.OrganizationalUnit || !AwsIdentifiers.IsAccountId(e.Value))
            ? (await session.GetTargetAsync(session.CallerAccountId, null, cancellationToken).ConfigureAwait(false)).Organizations
            : null;
        var accountsByName = organizations is null ? null : await AccountsByNameAsync(organizations, cancellationToken).ConfigureAwait(false);
        var unitAccounts = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var unit in entries.Where(e => e.Kind == ManifestTargetKind.OrganizationalUnit).Select(e => e.Value).Distinct(StringComparer.Ordinal))
        {
            unitAccounts[unit] = await ActiveAccountsBelowAsync(organizations!, unit, cancellationToken).ConfigureAwait(false);
        }

        return Expand(manifest, entry => entry.Kind == ManifestTargetKind.OrganizationalUnit
            ? unitAccounts[entry.Value]
            : new[] { AwsIdentifiers.IsAccountId(entry.Value) ? entry.Value : AccountIdOf(manifest, entry, accountsByName!) });
    }

    /// <summary>The targets of the manifest, given how each target entry resolves to account ids.</summary>
    internal static IReadOnlyList<DesiredTarget> Expand(StackManifest manifest, Func<ManifestTargetEntry, IReadOnlyList<string>> accountsOf)
    {
        var declared = new Dictionary<(string Account, string Region), List<DesiredStack>>();
        var order = new List<(string Account, string Region)>();
        foreach (var stack in manifest.Stacks)
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
