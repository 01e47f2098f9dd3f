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
/// Completion from the organization, listed once per endpoint and access key and kept for a few minutes, so tab
/// stays instant. Completion uses the default credential chain (or -ProfileName/-EndpointUrl typed on the line),
/// gives up quietly after two seconds, and never throws.
/// </summary>
public abstract class OrganizationCompleter : IArgumentCompleter
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(2);
    private static readonly ConcurrentDictionary<string, (DateTime Listed, IReadOnlyList<OrgEntry> Entries)> Cache = new();

    protected abstract Task<IReadOnlyList<OrgEntry>> ListAsync(AwsSession session, CancellationToken cancellationToken);

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var settings = new AwsConnectionSettings
        {
            ProfileName = fakeBoundParameters["ProfileName"] as string,
            EndpointUrl = fakeBoundParameters["EndpointUrl"] as string,
        };
        var key = string.Join("|", GetType().Name, settings.ProfileName, settings.EndpointUrl,
            Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL"), Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID"));
        if (!Cache.TryGetValue(key, out var cached) || DateTime.UtcNow - cached.Listed > KeepFor)
        {
            var entries = TryList(settings);
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

    private IReadOnlyList<OrgEntry>? TryList(AwsConnectionSettings settings)
    {
        using var timeout = new CancellationTokenSource(GiveUpAfter);
        try
        {
            return Task.Run(async () =>
            {
                using var session = await AwsSession.CreateAsync(settings, timeout.Token).ConfigureAwait(false);
                return await ListAsync(session, timeout.Token).ConfigureAwait(false);
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
public sealed class AccountIdCompleter : OrganizationCompleter
{
    protected override Task<IReadOnlyList<OrgEntry>> ListAsync(AwsSession session, CancellationToken cancellationToken) =>
        OrgDirectory.ListAccountsAsync(session, cancellationToken);
}

/// <summary>Completes -OrganizationalUnitId with the root and OU ids (shown with their paths).</summary>
public sealed class OrganizationalUnitCompleter : OrganizationCompleter
{
    protected override Task<IReadOnlyList<OrgEntry>> ListAsync(AwsSession session, CancellationToken cancellationToken) =>
        OrgDirectory.ListOrganizationalUnitsAsync(session, cancellationToken);
}
