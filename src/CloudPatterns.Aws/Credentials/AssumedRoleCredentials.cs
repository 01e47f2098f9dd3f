using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;

namespace CloudPatterns.Aws.Credentials;

/// <summary>The credentials a target's clients sign with: always the cache's current ones, so renewals reach every client.</summary>
internal sealed class AssumedRoleCredentials : AWSCredentials
{
    private readonly RoleCredentialCache cache;
    private readonly RoleKey key;

    public AssumedRoleCredentials(RoleCredentialCache cache, RoleKey key)
    {
        this.cache = cache;
        this.key = key;
    }

    public override ImmutableCredentials GetCredentials() => GetCredentialsAsync().GetAwaiter().GetResult();

    public override async Task<ImmutableCredentials> GetCredentialsAsync() =>
        (await cache.GetAsync(key, CancellationToken.None).ConfigureAwait(false)).Credentials;
}
