using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;

namespace CloudPatterns.Aws.Credentials;

internal readonly record struct RoleKey(string AccountId, string RoleName);

/// <summary>Temporary credentials of one assumed role and when they expire.</summary>
internal sealed class RoleCredentials
{
    public RoleCredentials(ImmutableCredentials credentials, DateTimeOffset expiration)
    {
        Credentials = credentials;
        Expiration = expiration;
    }

    public ImmutableCredentials Credentials { get; }

    public DateTimeOffset Expiration { get; }
}

/// <summary>
/// AssumeRole once per (account, role) for the run: concurrent requests for a key share one call, credentials are
/// renewed <c>refreshAhead</c> before they expire (a run can outlive a one-hour chained session), and a refusal is
/// remembered so every region of that account reports it without asking STS again.
/// </summary>
internal sealed class RoleCredentialCache : IDisposable
{
    private readonly Func<RoleKey, CancellationToken, Task<RoleCredentials>> assumeRole;
    private readonly Func<DateTimeOffset> clock;
    private readonly TimeSpan refreshAhead;
    // Written only under the gate; read without it on the fast path (every signed request asks for credentials).
    private readonly ConcurrentDictionary<RoleKey, Task<RoleCredentials>> entries = new();
    private readonly object gate = new();

    // A shared AssumeRole call must not die with whichever caller started it; it ends when the cache is disposed.
    private readonly CancellationTokenSource lifetime = new();

    public RoleCredentialCache(Func<RoleKey, CancellationToken, Task<RoleCredentials>> assumeRole, Func<DateTimeOffset> clock, TimeSpan refreshAhead)
    {
        this.assumeRole = assumeRole;
        this.clock = clock;
        this.refreshAhead = refreshAhead;
    }

    public DateTimeOffset Now => clock();

    public Task<RoleCredentials> GetAsync(RoleKey key, CancellationToken cancellationToken)
    {
        // Fast path without the lock: an entry that is current or still being fetched (docs/benchmarks.md, fan-out).
        if (entries.TryGetValue(key, out Task<RoleCredentials>? current) && !NeedsNewCall(current))
        {
            return WaitAsync(current, cancellationToken);
        }

        Task<RoleCredentials> entry;
        TaskCompletionSource<RoleCredentials>? started = null;
        lock (gate)
        {
            if (!entries.TryGetValue(key, out entry!) || NeedsNewCall(entry))
            {
                started = new TaskCompletionSource<RoleCredentials>(TaskCreationOptions.RunContinuationsAsynchronously);
                entry = started.Task;
                entries[key] = entry;
            }
        }

        // The call starts outside the lock: its synchronous part (signing, the SDK pipeline) would otherwise hold up
        // every other caller, of every account, that only wants cached credentials (docs/benchmarks.md).
        if (started is not null)
        {
            _ = CallAsync(key, started);
        }

        return WaitAsync(entry, cancellationToken);
    }

    private async Task CallAsync(RoleKey key, TaskCompletionSource<RoleCredentials> result)
    {
        try
        {
            result.TrySetResult(await assumeRole(key, lifetime.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            result.TrySetCanceled();
        }
        catch (Exception error)
        {
            result.TrySetException(error);
        }
    }

    public void Dispose()
    {
        lifetime.Cancel();
        lifetime.Dispose();
    }

    private bool NeedsNewCall(Task<RoleCredentials> entry) => entry.Status switch
    {
        TaskStatus.RanToCompletion => entry.Result.Expiration - refreshAhead <= clock(),
        TaskStatus.Canceled => true,
        _ => false,
    };

    // A completed entry, or a caller that cannot cancel, gets the entry itself: no state machine per request.
    private static Task<RoleCredentials> WaitAsync(Task<RoleCredentials> entry, CancellationToken cancellationToken) =>
        entry.IsCompleted || !cancellationToken.CanBeCanceled ? entry : WaitCancellableAsync(entry, cancellationToken);

    private static async Task<RoleCredentials> WaitCancellableAsync(Task<RoleCredentials> entry, CancellationToken cancellationToken)
    {
        var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using (cancellationToken.Register(() => cancelled.TrySetResult(true)))
        {
            if (await Task.WhenAny(entry, cancelled.Task).ConfigureAwait(false) != entry)
            {
                throw new OperationCanceledException(cancellationToken);
            }
        }

        return await entry.ConfigureAwait(false);
    }
}
