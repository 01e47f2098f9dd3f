using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace CloudPatterns.Core;

internal static class AsyncStreams
{
    /// <summary>
    /// Applies an async selector to up to <paramref name="degree"/> items at once and yields the results in source
    /// order, each as soon as it and those before it are done.
    /// </summary>
    public static async IAsyncEnumerable<TResult> SelectConcurrentlyAsync<TSource, TResult>(
        this IAsyncEnumerable<TSource> source,
        Func<TSource, CancellationToken, Task<TResult>> selector,
        int degree,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (degree < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(degree), degree, "The degree of concurrency must be at least 1.");
        }

        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var window = new Queue<Task<TResult>>();
        try
        {
            await foreach (TSource item in source.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                window.Enqueue(selector(item, abandon.Token));
                if (window.Count >= degree)
                {
                    yield return await window.Dequeue().ConfigureAwait(false);
                }
            }

            while (window.Count > 0)
            {
                yield return await window.Dequeue().ConfigureAwait(false);
            }
        }
        finally
        {
            // The consumer stopped early or something failed: calls still running are no longer wanted.
            abandon.Cancel();
        }
    }
}
