using System.Diagnostics;
using System.Net;
using Amazon.Runtime;

namespace CloudPatterns.Aws.Tests;

public sealed class FanOutTests
{
    private static IReadOnlyList<FanOutTarget> Targets(int count) =>
        Enumerable.Range(1, count).Select(i => new FanOutTarget($"9000000000{i:00}", "us-east-2", $"arn:aws:iam::9000000000{i:00}:role/Test")).ToList();

    [Fact]
    public async Task NeverRunsMoreTargetsAtOnceThanTheThrottleLimit()
    {
        int running = 0;
        int mostRunning = 0;
        var items = new List<FanOutItem<string>>();

        await foreach (FanOutItem<string> item in FanOut.RunAsync(
            Targets(12),
            async (target, token) =>
            {
                int now = Interlocked.Increment(ref running);
                InterlockedMax(ref mostRunning, now);
                await Task.Delay(100, token);
                Interlocked.Decrement(ref running);
                return target.AccountId;
            },
            new FanOutOptions { ThrottleLimit = 3 }))
        {
            items.Add(item);
        }

        Assert.Equal(3, mostRunning);
        Assert.Equal(12, items.Count);
        Assert.Equal(Targets(12).Select(t => t.AccountId).OrderBy(x => x), items.Select(i => i.Value).OrderBy(x => x));
    }

    [Fact]
    public async Task StreamsResultsAsTargetsFinish()
    {
        var slowReleased = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        IReadOnlyList<FanOutTarget> targets = Targets(2);
        await using IAsyncEnumerator<FanOutItem<string>> results = FanOut.RunAsync(
                targets,
                async (target, token) =>
                {
                    if (target == targets[0])
                    {
                        await slowReleased.Task.WaitAsync(token);
                    }

                    return target.AccountId;
                },
                new FanOutOptions { ThrottleLimit = 2 })
            .GetAsyncEnumerator();

        Assert.True(await results.MoveNextAsync());
        Assert.Equal(targets[1].AccountId, results.Current.Value);
        slowReleased.SetResult(true);
        Assert.True(await results.MoveNextAsync());
        Assert.Equal(targets[0].AccountId, results.Current.Value);
        Assert.False(await results.MoveNextAsync());
    }

    [Fact]
    public async Task StreamsEveryValueOfATargetAsItIsProduced()
    {
        var values = new List<string>();
        await foreach (FanOutItem<string> item in FanOut.RunAsync(Targets(1), (target, token) => Pages(target, token), new FanOutOptions()))
        {
            values.Add(item.Value!);
        }

        Assert.Equal(new[] { "page-1", "page-2", "page-3" }, values);
    }

    [Fact]
    public async Task AFailedTargetBecomesAFailureItemAndTheOthersGoOn()
    {
        IReadOnlyList<FanOutTarget> targets = Targets(4);
        var items = new List<FanOutItem<string>>();
        await foreach (FanOutItem<string> item in FanOut.RunAsync(
            targets,
            (target, _) => target == targets[1]
                ? Task.FromException<string>(new AmazonServiceException("User is not authorized", ErrorType.Sender, "AccessDeniedException", "req-42", HttpStatusCode.BadRequest))
                : Task.FromResult(target.AccountId),
            new FanOutOptions { ThrottleLimit = 2 }))
        {
            items.Add(item);
        }

        Assert.Equal(3, items.Count(i => !i.IsFailure));
        AwsFailure failure = Assert.Single(items, i => i.IsFailure).Failure!;
        Assert.Equal(targets[1].AccountId, failure.AccountId);
        Assert.Equal("us-east-2", failure.Region);
        Assert.Equal(targets[1].RoleArn, failure.RoleArn);
        Assert.Equal("AccessDeniedException", failure.ErrorCode);
        Assert.Equal("req-42", failure.RequestId);
        Assert.Equal("User is not authorized", failure.Message);
        Assert.Contains("-RoleName", failure.Hint);
    }

    [Fact]
    public async Task StopsOnceFailureToleranceTargetsHaveFailed()
    {
        IReadOnlyList<FanOutTarget> targets = Targets(10);
        var failures = new List<AwsFailure>();

        FanOutStoppedException stopped = await Assert.ThrowsAsync<FanOutStoppedException>(async () =>
        {
            await foreach (FanOutItem<string> item in FanOut.RunAsync<string>(
                targets,
                async (target, token) =>
                {
                    if (target == targets[0] || target == targets[1])
                    {
                        throw new InvalidOperationException("broken " + target.AccountId);
                    }

                    await Task.Delay(Timeout.Infinite, token);
                    return target.AccountId;
                },
                new FanOutOptions { ThrottleLimit = 1, FailureTolerance = 2 }))
            {
                failures.Add(item.Failure!);
            }
        });

        Assert.Equal(new[] { targets[0].AccountId, targets[1].AccountId }, failures.Select(f => f.AccountId));
        Assert.Equal(2, stopped.FailedTargets);
        Assert.Equal(8, stopped.TargetsNotRun);
    }

    [Fact]
    public async Task CancellationStopsInFlightWorkWithinASecond()
    {
        using var cancellation = new CancellationTokenSource();
        var allRunning = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        int started = 0;
        int cleanedUp = 0;
        Task drain = Task.Run(async () =>
        {
            await foreach (FanOutItem<string> item in FanOut.RunAsync<string>(
                Targets(6),
                async (target, token) =>
                {
                    if (Interlocked.Increment(ref started) == 3)
                    {
                        allRunning.SetResult(true);
                    }

                    try
                    {
                        await Task.Delay(Timeout.Infinite, token);
                        return target.AccountId;
                    }
                    finally
                    {
                        Interlocked.Increment(ref cleanedUp);
                    }
                },
                new FanOutOptions { ThrottleLimit = 3 },
                cancellation.Token))
            {
                Assert.Fail("No target can finish before the cancellation: " + item.Target);
            }
        });
        await allRunning.Task.WaitAsync(TimeSpan.FromSeconds(5));

        var stopwatch = Stopwatch.StartNew();
        cancellation.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => drain);

        // The calls would never end on their own; the bound proves cancellation reaches them. It is looser than the
        // "about a second" users see, so that a loaded CI machine does not fail it.
        Assert.InRange(stopwatch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.Equal(3, started);
        Assert.Equal(3, cleanedUp);
    }

    private static async IAsyncEnumerable<string> Pages(FanOutTarget target, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken token)
    {
        for (int page = 1; page <= 3; page++)
        {
            await Task.Delay(5, token);
            yield return $"page-{page}";
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
