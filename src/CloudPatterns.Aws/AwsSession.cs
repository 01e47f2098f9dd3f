using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.SecurityToken.Model;
using CloudPatterns.Aws.Credentials;
using CloudPatterns.Aws.Diagnostics;
using CloudPatterns.Aws.Protocol;

namespace CloudPatterns.Aws;

/// <summary>
/// One run's connection to AWS: knows the caller (one GetCallerIdentity) and hands out clients per account and
/// region, assuming <see cref="RoleName"/> in accounts other than the caller's (once per account, renewed before expiry),
/// and <see cref="AwsConnectionSettings.OwnAccountRoleName"/> in the caller's own account when given.
/// </summary>
public sealed class AwsSession : IDisposable
{
    // Chained role sessions last at most one hour; renewing five minutes early keeps slow calls inside it.
    private static readonly TimeSpan RefreshAhead = TimeSpan.FromMinutes(5);
    private static readonly Regex SessionNameInvalidCharacters = new("[^A-Za-z0-9_+=,.@-]");
    private const int MaxSessionNameLength = 64;

    private readonly AwsClientContext callerContext;
    private readonly StsClient sts;
    private readonly RoleCredentialCache roles;
    private readonly string? externalId;
    private readonly string? ownAccountRoleName;
    private readonly string partition;
    private readonly ConcurrentDictionary<(string AccountId, string Region), Lazy<AwsTarget>> targets = new();

    private AwsSession(AwsConnectionSettings settings, ResolvedCredentials credentials, GetCallerIdentityResponse identity, AwsCallObserver? observer, Func<DateTimeOffset> clock)
    {
        CallerAccountId = identity.Account;
        CallerArn = identity.Arn;
        CredentialSource = credentials.Source;
        Region = credentials.Region;
        RoleName = string.IsNullOrEmpty(settings.RoleName) ? AwsConnectionSettings.DefaultRoleName : settings.RoleName;
        externalId = string.IsNullOrEmpty(settings.ExternalId) ? null : settings.ExternalId;
        ownAccountRoleName = string.IsNullOrEmpty(settings.OwnAccountRoleName) ? null : settings.OwnAccountRoleName;
        partition = AwsArn.Parse(CallerArn).Partition;
        SessionName = SessionNameFor(CallerArn);
        callerContext = new AwsClientContext(credentials.Credentials, Region, EndpointOf(settings), CallerAccountId, observer);
        sts = new StsClient(callerContext);
        roles = new RoleCredentialCache(AssumeRoleAsync, clock, RefreshAhead);
    }

    public string CallerAccountId { get; }

    public string CallerArn { get; }

    /// <summary>Where the credentials came from, e.g. "profile 'ops'" or "default credential chain: environment variables".</summary>
    public string CredentialSource { get; }

    /// <summary>The default region for targets.</summary>
    public string Region { get; }

    public string RoleName { get; }

    /// <summary>The RoleSessionName used for every AssumeRole: identifies the tool and the caller in CloudTrail.</summary>
    public string SessionName { get; }

    /// <summary>Resolves credentials and region, then asks STS who the caller is (this also proves the credentials work).</summary>
    public static Task<AwsSession> CreateAsync(AwsConnectionSettings settings, CancellationToken cancellationToken = default) =>
        CreateAsync(settings, () => DateTimeOffset.UtcNow, cancellationToken);

    /// <summary>With the clock that decides when assumed-role credentials are renewed (tests use LocalCloud's simulated one).</summary>
    internal static async Task<AwsSession> CreateAsync(AwsConnectionSettings settings, Func<DateTimeOffset> clock, CancellationToken cancellationToken)
    {
        if (EndpointOf(settings) is { } endpointUrl && !Uri.TryCreate(endpointUrl, UriKind.Absolute, out _))
        {
            throw new AwsConnectionException($"EndpointUrl '{settings.EndpointUrl}' is not an absolute URL such as http://127.0.0.1:4566.");
        }

        ResolvedCredentials credentials = await CredentialResolver.ResolveAsync(settings).ConfigureAwait(false);
        AwsCallObserver? observer = settings.AwsCallCompleted is null ? null : new AwsCallObserver(settings.AwsCallCompleted);
        var probeContext = new AwsClientContext(credentials.Credentials, credentials.Region, EndpointOf(settings), accountId: null, observer);
        using var probe = new StsClient(probeContext);
        GetCallerIdentityResponse identity;
        try
        {
            identity = await probe.GetCallerIdentityAsync(new GetCallerIdentityRequest(), cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonServiceException exception) when (AwsFailure.IsTransient(exception))
        {
            throw new AwsConnectionException(
                $"STS in {credentials.Region} answered {exception.ErrorCode} (HTTP {(int)exception.StatusCode}, request id {exception.RequestId}) after {ThrottlingRetryPolicy.AttemptsBefore(exception)} attempts: AWS was throttling or failing, not refusing the credentials from {credentials.Source}. Try again later, or allow more attempts with AWS_MAX_ATTEMPTS.",
                exception);
        }
        catch (AmazonServiceException exception)
        {
            throw new AwsConnectionException(
                $"AWS refused the credentials from {credentials.Source} ({exception.ErrorCode}, request id {exception.RequestId}): {exception.Message} {AwsErrorHints.For(exception.ErrorCode)}".TrimEnd(),
                exception);
        }
        catch (Exception exception) when (exception is System.IO.IOException or System.Net.Http.HttpRequestException)
        {
            throw new AwsConnectionException($"Could not connect to STS for region {credentials.Region} (the connection ended without an answer: {exception.Message}). There is no endpoint for that region, or the account cannot use it: check the region (-Region, AWS_REGION) and the endpoint.", exception);
        }
        catch (AmazonClientException exception)
        {
            throw new AwsConnectionException($"Could not call STS in {credentials.Region} with the credentials from {credentials.Source}: {exception.Message}", exception);
        }

        return new AwsSession(settings, credentials, identity, observer, clock);
    }

    /// <summary>The role assumed in <paramref name="accountId"/>, or null for the caller's own account without <see cref="AwsConnectionSettings.OwnAccountRoleName"/>.</summary>
    public string? RoleArnFor(string accountId) =>
        RoleNameFor(accountId) is { } role ? $"arn:{partition}:iam::{accountId}:role/{role}" : null;

    /// <summary>-RoleName in other accounts; in the caller's own, its own role name or none.</summary>
    private string? RoleNameFor(string accountId) => accountId == CallerAccountId ? ownAccountRoleName : RoleName;

    /// <summary>
    /// Accounts × regions (the session's region when none are given), region by region: every account's first
    /// target assumes its role while no other target waits for it, and later regions find the role cached. (Account by
    /// account, a second worker would sit idle waiting for the same AssumeRole.)
    /// </summary>
    public IReadOnlyList<FanOutTarget> CreateTargets(IEnumerable<string> accountIds, IEnumerable<string>? regions = null)
    {
        string[] regionList = regions?.ToArray() is { Length: > 0 } given ? given : new[] { Region };
        string[] accounts = accountIds.ToArray();
        return regionList
            .SelectMany(region => accounts.Select(accountId => new FanOutTarget(accountId, region, RoleArnFor(accountId))))
            .ToList();
    }

    /// <summary>
    /// Clients for one account and region. For another account the role is assumed first (or taken from the cache),
    /// so a refusal surfaces here as <see cref="AwsRoleAssumptionException"/>.
    /// </summary>
    public async Task<AwsTarget> GetTargetAsync(string accountId, string? region = null, CancellationToken cancellationToken = default)
    {
        if (!AwsIdentifiers.IsAccountId(accountId))
        {
            throw new ArgumentException($"'{accountId}' is not an AWS account id (12 digits).", nameof(accountId));
        }

        string targetRegion = string.IsNullOrEmpty(region) ? Region : region!;
        if (RoleNameFor(accountId) is { } role)
        {
            await roles.GetAsync(new RoleKey(accountId, role), cancellationToken).ConfigureAwait(false);
        }

        // Looked up before GetOrAdd: its factory is a new delegate per call, and adding takes a lock.
        return targets.TryGetValue((accountId, targetRegion), out Lazy<AwsTarget>? existing)
            ? existing.Value
            : targets.GetOrAdd((accountId, targetRegion), key => new Lazy<AwsTarget>(() => CreateTarget(key.AccountId, key.Region))).Value;
    }

    public Task<AwsTarget> GetTargetAsync(FanOutTarget target, CancellationToken cancellationToken = default) =>
        GetTargetAsync(target.AccountId, target.Region, cancellationToken);

    public void Dispose()
    {
        foreach (Lazy<AwsTarget> target in targets.Values.Where(t => t.IsValueCreated))
        {
            target.Value.Dispose();
        }

        roles.Dispose();
        sts.Dispose();
    }

    private static string? EndpointOf(AwsConnectionSettings settings) =>
        string.IsNullOrEmpty(settings.EndpointUrl) ? null : settings.EndpointUrl;

    internal static string SessionNameFor(string callerArn)
    {
        string callerName = callerArn.Substring(callerArn.LastIndexOfAny(new[] { '/', ':' }) + 1);
        string name = SessionNameInvalidCharacters.Replace("CloudPatterns-" + callerName, "-");
        return name.Length > MaxSessionNameLength ? name.Substring(0, MaxSessionNameLength) : name;
    }

    private AwsTarget CreateTarget(string accountId, string region)
    {
        string? roleArn = RoleArnFor(accountId);
        AWSCredentials credentials = RoleNameFor(accountId) is { } role
            ? new AssumedRoleCredentials(roles, new RoleKey(accountId, role))
            : callerContext.Credentials;
        return new AwsTarget(callerContext.ForAccount(credentials, accountId, region), roleArn);
    }

    // STS always sends Expiration; should an emulator leave it out, assume the shortest session STS grants.
    private DateTimeOffset ExpirationOf(Amazon.SecurityToken.Model.Credentials issued) => issued.Expiration switch
    {
        null => roles.Now.AddMinutes(15),
        { Kind: DateTimeKind.Local } local => new DateTimeOffset(local.ToUniversalTime()),
        { } utc => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)),
    };

    private async Task<RoleCredentials> AssumeRoleAsync(RoleKey key, CancellationToken cancellationToken)
    {
        string roleArn = $"arn:{partition}:iam::{key.AccountId}:role/{key.RoleName}";
        var request = new AssumeRoleRequest { RoleArn = roleArn, RoleSessionName = SessionName, ExternalId = externalId };
        try
        {
            AssumeRoleResponse response = await sts.AssumeRoleAsync(request, cancellationToken).ConfigureAwait(false);
            Amazon.SecurityToken.Model.Credentials issued = response.Credentials;
            return new RoleCredentials(
                new ImmutableCredentials(issued.AccessKeyId, issued.SecretAccessKey, issued.SessionToken),
                ExpirationOf(issued));
        }
        catch (AmazonServiceException exception)
        {
            throw new AwsRoleAssumptionException(key.AccountId, roleArn, CallerArn, externalId is not null, exception);
        }
    }
}
