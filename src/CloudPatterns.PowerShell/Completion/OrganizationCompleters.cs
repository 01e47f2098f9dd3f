using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Core.Organizations;

namespace CloudPatterns.PowerShell.Completion;

/// <summary>
/// Completion from AWS, listed once per endpoint, access key and scope (the account and region typed on the line)
/// and kept for a few minutes, so tab stays instant. Completion uses the default credential chain (or
/// -ProfileName/-EndpointUrl typed on the line), gives up quietly after two seconds, and never throws.
/// </summary>
public abstract class AwsListingCompleter : IArgumentCompleter
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(2);
    private static readonly ConcurrentDictionary<string, (DateTime Listed, IReadOnlyList<OrgEntry> Entries)> Cache = new();

    protected abstract Task<IReadOnlyList<OrgEntry>> ListAsync(AwsSession session, IDictionary boundParameters, CancellationToken cancellationToken);

    /// <summary>What the listing depends on besides the connection (e.g. the account and region typed so far).</summary>
    protected virtual string Scope(IDictionary boundParameters) => string.Empty;

    /// <summary>The first value of a parameter typed on the line (a single value or the first of an array).</summary>
    protected static string? FirstBound(IDictionary boundParameters, params string[] names) =>
        names.Select(name => boundParameters[name] switch
        {
            string value => value,
            IEnumerable values => values.Cast<object?>().FirstOrDefault()?.ToString(),
            _ => null,
        }).FirstOrDefault(value => !string.IsNullOrEmpty(value));

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var settings = new AwsConnectionSettings
        {
            ProfileName = fakeBoundParameters["ProfileName"] as string,
            EndpointUrl = fakeBoundParameters["EndpointUrl"] as string,
        };
        var key = string.Join("|", GetType().Name, settings.ProfileName, settings.EndpointUrl,
            Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL"), Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID"), Scope(fakeBoundParameters));
        if (!Cache.TryGetValue(key, out var cached) || DateTime.UtcNow - cached.Listed > KeepFor)
        {
            var entries = TryList(settings, fakeBoundParameters);
            if (entries is null)
            {
                return Array.Empty<CompletionResult>();
            }
            cached = (DateTime.UtcNow, entries);
            Cache[key] = cached;
        }
        var typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
        return cached.Entries
            .Where(e => e.Id.StartsWith(typed, StringComparison.OrdinalIgnoreCase) || e.Name.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .Select(e => new CompletionResult(e.Id, $"{e.Id} ({e.Name})", CompletionResultType.ParameterValue, e.Name));
    }

    private IReadOnlyList<OrgEntry>? TryList(AwsConnectionSettings settings, IDictionary boundParameters)
    {
        using var timeout = new CancellationTokenSource(GiveUpAfter);
        try
        {
            return Task.Run(async () =>
            {
                using var session = await AwsSession.CreateAsync(settings, timeout.Token).ConfigureAwait(false);
                return await ListAsync(session, boundParameters, timeout.Token).ConfigureAwait(false);
            }).GetAwaiter().GetResult();
        }
#pragma warning disable CA1031 // Completion must never fail the user's typing; no listing means no suggestions.
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }
}

/// <summary>Completes -AccountId with the organization's account ids (shown with their names).</summary>
public sealed class AccountIdCompleter : AwsListingCompleter
{
    protected override Task<IReadOnlyList<OrgEntry>> ListAsync(AwsSession session, IDictionary boundParameters, CancellationToken cancellationToken) =>
        OrgDirectory.ListAccountsAsync(session, cancellationToken);
}

/// <summary>Completes -OrganizationalUnitId with the root and OU ids (shown with their paths).</summary>
public sealed class OrganizationalUnitCompleter : AwsListingCompleter
{
    protected override Task<IReadOnlyList<OrgEntry>> ListAsync(AwsSession session, IDictionary boundParameters, CancellationToken cancellationToken) =>
        OrgDirectory.ListOrganizationalUnitsAsync(session, cancellationToken);
}

/// <summary>Completes -StackName with the stacks of the -AccountId and -Region typed (else the caller's), with their status.</summary>
public sealed class StackNameCompleter : AwsListingCompleter
{
    protected override string Scope(IDictionary boundParameters) => $"{FirstBound(boundParameters, "AccountId")}/{FirstBound(boundParameters, "Region")}";

    protected override Task<IReadOnlyList<OrgEntry>> ListAsync(AwsSession session, IDictionary boundParameters, CancellationToken cancellationToken) =>
        TargetDirectory.ListStacksAsync(session, FirstBound(boundParameters, "AccountId"), FirstBound(boundParameters, "Region"), cancellationToken);
}

/// <summary>Completes vault names with the vaults of the vault's account (-VaultAccountId, else -AccountId) and -Region.</summary>
public sealed class VaultNameCompleter : AwsListingCompleter
{
    protected override string Scope(IDictionary boundParameters) => $"{FirstBound(boundParameters, "VaultAccountId", "AccountId")}/{FirstBound(boundParameters, "Region")}";

    protected override Task<IReadOnlyList<OrgEntry>> ListAsync(AwsSession session, IDictionary boundParameters, CancellationToken cancellationToken) =>
        TargetDirectory.ListBackupVaultsAsync(session, FirstBound(boundParameters, "VaultAccountId", "AccountId"), FirstBound(boundParameters, "Region"), cancellationToken);
}
