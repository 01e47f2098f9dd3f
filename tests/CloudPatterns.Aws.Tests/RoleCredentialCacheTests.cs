using Amazon.Runtime;
using CloudPatterns.Aws.Credentials;

namespace CloudPatterns.Aws.Tests;

public sealed class RoleCredentialCacheTests
{
    private static readonly RoleKey Production = new("333333333333", "OrganizationAccountAccessRole");
    private static readonly RoleKey Staging = new("444444444444", "OrganizationAccountAccessRole");
    private static readonly TimeSpan RefreshAhead = TimeSpan.FromMinutes(5);

    private DateTimeOffset now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private int calls;

    [Fact]
    public async Task AssumesOncePerKey()
    {
        using var cache = new RoleCredentialCache(IssueForOneHour, () => now, RefreshAhead);

        RoleCredentials first = await cache.GetAsync(Production, CancellationToken.None);
        RoleCredentials again = await cache.GetAsync(Production, CancellationToken.None);
        RoleCredentials other = await cache.GetAsync(Staging, CancellationToken.None);

        Assert.Same(first, again);
        Assert.NotSame(first, other);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task ConcurrentRequestsForOneKeyShareOneCall()
    {
        var issued = new TaskCompletionSource<RoleCredentials>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cache = new RoleCredentialCache((_, _) => { Interlocked.Increment(ref calls); return issued.Task; }, () => now, RefreshAhead);

        Task<RoleCredentials>[] waiting = Enumerable.Range(0, 16)
            .Select(_ => Task.Run(() => cache.GetAsync(Production, CancellationToken.None)))
            .ToArray();
        await Task.Delay(50);
        Assert.All(waiting, task => Assert.False(task.IsCompleted));
        issued.SetResult(NewCredentials(now.AddHours(1)));
        RoleCredentials[] results = await Task.WhenAll(waiting);

        Assert.Equal(1, calls);
        Assert.All(results, result => Assert.Same(results[0], result));
    }

    [Fact]
    public async Task RenewsAheadOfExpiry()
    {
        using var cache = new RoleCredentialCache(IssueForOneHour, () => now, RefreshAhead);
        RoleCredentials first = await cache.GetAsync(Production, CancellationToken.None);

        now = now.AddMinutes(54);
        Assert.Same(first, await cache.GetAsync(Production, CancellationToken.None));
        now = now.AddMinutes(2);
        RoleCredentials renewed = await cache.GetAsync(Production, CancellationToken.None);

        Assert.NotSame(first, renewed);
        Assert.Equal(2, calls);
        Assert.Equal(now.AddHours(1), renewed.Expiration);
    }

    [Fact]
    public async Task RemembersARefusalForTheRun()
    {
        using var cache = new RoleCredentialCache(
            (_, _) => { Interlocked.Increment(ref calls); return Task.FromException<RoleCredentials>(new InvalidOperationException("refused")); },
            () => now,
            RefreshAhead);

        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.GetAsync(Production, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.GetAsync(Production, CancellationToken.None));

        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task ACancelledWaiterDoesNotCancelTheSharedCall()
    {
        var issued = new TaskCompletionSource<RoleCredentials>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cache = new RoleCredentialCache((_, _) => { Interlocked.Increment(ref calls); return issued.Task; }, () => now, RefreshAhead);
        using var impatient = new CancellationTokenSource();

        Task<RoleCredentials> cancelled = cache.GetAsync(Production, impatient.Token);
        Task<RoleCredentials> patient = cache.GetAsync(Production, CancellationToken.None);
        impatient.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        issued.SetResult(NewCredentials(now.AddHours(1)));

        Assert.Equal("ASIA-TEST", (await patient).Credentials.AccessKey);
        Assert.Equal(1, calls);
    }

    private Task<RoleCredentials> IssueForOneHour(RoleKey key, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref calls);
        return Task.FromResult(NewCredentials(now.AddHours(1)));
    }

    private static RoleCredentials NewCredentials(DateTimeOffset expiration) =>
        new(new ImmutableCredentials("ASIA-TEST", "not-a-secret", "token"), expiration);
}
