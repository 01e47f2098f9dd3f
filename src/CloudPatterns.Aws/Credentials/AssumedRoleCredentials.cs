using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;

namespace CloudPatterns.Aws.Credentials;

/// <summary>The credentials a target's clients sign with: always the cache's current ones, so renewals reach every client.</summary>
internal sealed class AssumedRoleCredentials : AWSCredentials
{
    private readonly RoleCredentialCache cache;
    private readonly RoleKey key;
    private volatile RoleCredentials? latest;

    public AssumedRoleCredentials(RoleCredentialCache cache, RoleKey key)
    {
        this.cache = cache;
        this.key = key;
    }

    /// <summary>
    /// The SDK's signer asks asynchronously first (which renews when due) and then synchronously while signing;
    /// the synchronous call returns what the asynchronous one fetched, so it neither blocks nor switches keys mid-request.
    /// </summary>
    public override ImmutableCredentials GetCredentials()
    {
        RoleCredentials? current = latest;
        return current is not null && current.Expiration > cache.Now
            ? current.Credentials
            : GetCredentialsAsync().GetAwaiter().GetResult();
    }

    public override async Task<ImmutableCredentials> GetCredentialsAsync()
    {
        RoleCredentials current = await cache.GetAsync(key, CancellationToken.None).ConfigureAwait(false);
        latest = current;
        return current.Credentials;
    }
}
