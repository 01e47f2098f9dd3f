using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Core.Organizations;

namespace CloudPatterns.PowerShell.Completion;

/// <summary>
/// Completion from AWS. A listing is made once per connection (endpoint, credentials, profile, region) and target
/// (the account and region typed on the line), in the background, and kept a while, so tab stays instant: a tab
/// waits at most two seconds, and a slower listing is still there for the next tab. It uses the default credential
/// chain (or -ProfileName/-EndpointUrl typed on the line), never prompts and never throws: no credentials, a refusal
/// or a timeout just means no suggestions.
/// </summary>
public abstract class AwsListingCompleter : IArgumentCompleter
{
    private static readonly TimeSpan WaitAtMost = TimeSpan.FromSeconds(2);
    // An endpoint that never answers (or credential probing that hangs) must not keep a listing alive forever.
    private static readonly TimeSpan AbandonAfter = TimeSpan.FromSeconds(30);
    // Without this, every tab after a refusal would wait for another one.
    private static readonly TimeSpan RetryFailedAfter = TimeSpan.FromSeconds(15);
    private static readonly ConcurrentDictionary<string, Listing> Listings = new();

    /// <summary>How long a listing stays good: the organization changes rarely, stacks and vaults more often.</summary>
    protected abstract TimeSpan KeepFor { get; }

    /// <summary>Whether what was typed may also match an entry's name (an account's name, an OU's path).</summary>
    protected virtual bool CompletesByName => false;

    /// <summary>The account and region to list, from the parameters typed on the line (null = the caller's/session's).</summary>
    protected virtual (string? AccountId, string? Region) TargetOnLine(string parameterName, IDictionary parametersOnLine) => (null, null);

    protected abstract Task<IReadOnlyList<OrgEntry>> ListAsync(AwsSession session, string? accountId, string? region, CancellationToken cancellationToken);

    /// <summary>Drops every listing: a new sandbox is another cloud, even on an endpoint URL used before.</summary>
    internal static void Forget() => Listings.Clear();

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var settings = new AwsConnectionSettings
        {
            ProfileName = TextOnLine(fakeBoundParameters, "ProfileName"),
            EndpointUrl = TextOnLine(fakeBoundParameters, "EndpointUrl"),
        };
        var (accountId, region) = TargetOnLine(parameterName, fakeBoundParameters);
        var key = string.Join("|", GetType().Name, settings.ProfileName, settings.EndpointUrl, accountId, region,
            Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL"), Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID"),
            Environment.GetEnvironmentVariable("AWS_PROFILE"), Environment.GetEnvironmentVariable("AWS_REGION") ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION"));
        if (!Listings.TryGetValue(key, out var listing) || !listing.StillGood(KeepFor))
        {
            listing = new Listing(Task.Run(() => TryListAsync(settings, accountId, region)));
            Listings[key] = listing;
        }
        var entries = listing.Wait(WaitAtMost);
        if (entries is null)
        {
            return Array.Empty<CompletionResult>();
        }
        var typed = PatternFor((wordToComplete ?? string.Empty).Trim('\'', '"'));
        return entries
            .Where(e => typed.IsMatch(e.Id) || (CompletesByName && typed.IsMatch(e.Name)))
            .Select(e => new CompletionResult(e.Id, $"{e.Id} ({e.Name})", CompletionResultType.ParameterValue, e.Name));
    }

    /// <summary>
    /// An account id typed on the line. A bare 12-digit id reaches completion as a number (PowerShell parses it so),
    /// which has lost any leading zeros: account ids always have 12 digits.
    /// </summary>
    protected static string? AccountIdOnLine(IDictionary parametersOnLine, params string[] names) =>
        names.Select(name => FirstValue(parametersOnLine[name]) switch
        {
            string { Length: > 0 } text => text,
            (long or int) and var number => Convert.ToInt64(number, CultureInfo.InvariantCulture).ToString("D12", CultureInfo.InvariantCulture),
            _ => null,
        }).FirstOrDefault(id => id is not null);

    /// <summary>What was typed as a prefix, wildcards allowed (-StackName we*b); typed text that is no valid pattern (an unclosed '[') is taken literally.</summary>
    private static WildcardPattern PatternFor(string typed)
    {
        const WildcardOptions Options = WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant;
        var pattern = WildcardPattern.Get(typed + "*", Options);
        try
        {
            pattern.IsMatch(string.Empty);
            return pattern;
        }
        catch (WildcardPatternException)
        {
            return WildcardPattern.Get(WildcardPattern.Escape(typed) + "*", Options);
        }
    }

    protected static string? TextOnLine(IDictionary parametersOnLine, string name) =>
        FirstValue(parametersOnLine[name]) is string { Length: > 0 } text ? text : null;

    /// <summary>A value typed on the line: the value itself, or the first of a list (-Region us-east-2, us-west-2).</summary>
    private static object? FirstValue(object? value) => value switch
    {
        PSObject wrapped => FirstValue(wrapped.BaseObject),
        string text => text,
        IEnumerable values => values.Cast<object?>().Select(FirstValue).FirstOrDefault(),
        _ => value,
    };

    private async Task<IReadOnlyList<OrgEntry>?> TryListAsync(AwsConnectionSettings settings, string? accountId, string? region)
    {
        using var abandon = new CancellationTokenSource(AbandonAfter);
        try
        {
            using var session = await AwsSession.CreateAsync(settings, abandon.Token).ConfigureAwait(false);
            return await ListAsync(session, accountId, region, abandon.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Completion must never fail the user's typing; no listing means no suggestions.
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    /// <summary>One listing, in flight or done; null entries mean it failed.</summary>
    private sealed class Listing
    {
        private readonly DateTime started = DateTime.UtcNow;
        private readonly Task<IReadOnlyList<OrgEntry>?> entries;

        public Listing(Task<IReadOnlyList<OrgEntry>?> entries) => this.entries = entries;

        public bool StillGood(TimeSpan keepFor)
        {
            var age = DateTime.UtcNow - started;
            return !entries.IsCompleted || age < (entries.Result is null ? RetryFailedAfter : keepFor);
        }

        public IReadOnlyList<OrgEntry>? Wait(TimeSpan atMost) => entries.Wait(atMost) ? entries.Result : null;
    }
}

/// <summary>Completes -AccountId with the organization's account ids (shown with their names; a name completes too).</summary>
public sealed class AccountIdCompleter : AwsListingCompleter
{
    protected override TimeSpan KeepFor => TimeSpan.FromMinutes(5);

    protected override bool CompletesByName => true;

    protected override Task<IReadOnlyList<OrgEntry>> ListAsync(AwsSession session, string? accountId, string? region, CancellationToken cancellationToken) =>
        OrgDirectory.ListAccountsAsync(session, cancellationToken);
}

/// <summary>Completes -OrganizationalUnitId with the root and OU ids (shown with their paths; a path completes too).</summary>
public sealed class OrganizationalUnitCompleter : AwsListingCompleter
{
    protected override TimeSpan KeepFor => TimeSpan.FromMinutes(5);

    protected override bool CompletesByName => true;

    protected override Task<IReadOnlyList<OrgEntry>> ListAsync(AwsSession session, string? accountId, string? region, CancellationToken cancellationToken) =>
        OrgDirectory.ListOrganizationalUnitsAsync(session, cancellationToken);
}

/// <summary>Completes -StackName with the stacks of the -AccountId and -Region typed (else the caller's), with their status.</summary>
public sealed class StackNameCompleter : AwsListingCompleter
{
    protected override TimeSpan KeepFor => TimeSpan.FromSeconds(30);

    protected override (string? AccountId, string? Region) TargetOnLine(string parameterName, IDictionary parametersOnLine) =>
        (AccountIdOnLine(parametersOnLine, "AccountId"), TextOnLine(parametersOnLine, "Region"));

    protected override Task<IReadOnlyList<OrgEntry>> ListAsync(AwsSession session, string? accountId, string? region, CancellationToken cancellationToken) =>
        TargetDirectory.ListStacksAsync(session, accountId, region, cancellationToken);
}

/// <summary>
/// Completes a vault name with the vaults of its account and -Region: -SourceVaultName lives in -AccountId, any other
/// vault in -VaultAccountId when given (the central vault), else in -AccountId, else in the caller's account.
/// </summary>
public sealed class VaultNameCompleter : AwsListingCompleter
{
    protected override TimeSpan KeepFor => TimeSpan.FromSeconds(30);

    protected override (string? AccountId, string? Region) TargetOnLine(string parameterName, IDictionary parametersOnLine) =>
        (parameterName == "SourceVaultName" ? AccountIdOnLine(parametersOnLine, "AccountId") : AccountIdOnLine(parametersOnLine, "VaultAccountId", "AccountId"),
         TextOnLine(parametersOnLine, "Region"));

    protected override Task<IReadOnlyList<OrgEntry>> ListAsync(AwsSession session, string? accountId, string? region, CancellationToken cancellationToken) =>
        TargetDirectory.ListBackupVaultsAsync(session, accountId, region, cancellationToken);
}
