using System;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>
/// A second line of retries for the steps of a validation: the SDK retries each call, but under sustained throttling
/// and server errors (5xx) a step can still run out of attempts, and one such call must not fail a restore that is
/// fine, nor leave it behind.
/// </summary>
internal static class Transient
{
    public const int Attempts = 4;

    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(200);

    public static async Task<T> RetryAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await call(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (attempt < Attempts && AwsFailure.IsTransient(error))
            {
                await Task.Delay(TimeSpan.FromTicks(FirstPause.Ticks << (attempt - 1)), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public static Task RetryAsync(Func<CancellationToken, Task> call, CancellationToken cancellationToken) =>
        RetryAsync<bool>(
            async token =>
            {
                await call(token).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
}
