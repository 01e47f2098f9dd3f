using System.Runtime.CompilerServices;

namespace CloudPatterns.Core.Tests;

public sealed class AsyncStreamsTests
{
    [Fact]
    public async Task KeepsSourceOrderAndTheConcurrencyBound()
    {
        int running = 0;
        int mostRunning = 0;
        var results = new List<int>();

        await foreach (int value in Numbers(12).SelectConcurrentlyAsync(
            async (number, token) =>
            {
                int now = Interlocked.Increment(ref running);
                lock (results)
                {
                    mostRunning = Math.Max(mostRunning, now);
                }

                // Later items finish first, so source order only holds if the results are reordered.
                await Task.Delay(200 - (number * 10), token);
                Interlocked.Decrement(ref running);
                return number * 10;
            },
            degree: 4))
        {
            results.Add(value);
        }

        Assert.Equal(Enumerable.Range(1, 12).Select(n => n * 10), results);
        Assert.Equal(4, mostRunning);
    }

    private static async IAsyncEnumerable<int> Numbers(int count, [EnumeratorCancellation] CancellationToken token = default)
    {
        for (int number = 1; number <= count; number++)
        {
            await Task.Yield();
            yield return number;
        }
    }
}
