using System;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;

namespace CloudPatterns.Core.Sandbox;

/// <summary>
/// The time a drill or failover measures itself against: LocalCloud's simulated clock when the target is LocalCloud
/// (its admin API answers at the endpoint URL), else the machine's UTC clock.
/// </summary>
public sealed class RunClock
{
    private RunClock(Uri? sandbox) => Sandbox = sandbox;

    /// <summary>LocalCloud's URL when the target is LocalCloud, else null.</summary>
    public Uri? Sandbox { get; }

    public static async Task<RunClock> ForAsync(AwsTarget target, CancellationToken cancellationToken) =>
        new(await LocalCloudAsync(target, cancellationToken).ConfigureAwait(false));

    public async Task<DateTime> NowAsync(CancellationToken cancellationToken) =>
        Sandbox is null ? DateTime.UtcNow : (await SandboxAdmin.GetClockAsync(Sandbox, cancellationToken).ConfigureAwait(false)).Now.UtcDateTime;

    private static async Task<Uri?> LocalCloudAsync(AwsTarget target, CancellationToken cancellationToken)
    {
        if (target.EndpointUrl is not { } endpoint || !Uri.TryCreate(endpoint, UriKind.Absolute, out var url))
        {
            return null;
        }

        try
        {
            using var health = await SandboxHost.GetJsonAsync(url, "health", cancellationToken).ConfigureAwait(false);
            return url;
        }
        catch (Exception error) when (error is HttpRequestException or SandboxException or JsonException)
        {
            return null;
        }
    }
}
