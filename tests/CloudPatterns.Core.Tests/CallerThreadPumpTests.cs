using System.Runtime.CompilerServices;

namespace CloudPatterns.Core.Tests;

public sealed class CallerThreadPumpTests
{
    [Fact]
    public void RunsItemsAndPostedActionsOnTheCallingThreadInOrder()
    {
        var pump = new CallerThreadPump();
        int callingThread = Environment.CurrentManagedThreadId;
        var seen = new List<string>();
        var threads = new HashSet<int>();

        pump.Run(
            Produce(pump, message => { seen.Add(message); threads.Add(Environment.CurrentManagedThreadId); }),
            item => { seen.Add(item); threads.Add(Environment.CurrentManagedThreadId); },
            CancellationToken.None);

        Assert.Equal(new[] { "message 1", "item 1", "message 2", "item 2" }, seen);
        Assert.Equal(new[] { callingThread }, threads);
    }

    [Fact]
    public void RunsPostedActionsWhileTheStreamIsStillWaiting()
    {
        var pump = new CallerThreadPump();
        var released = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var seen = new List<string>();

        pump.Run(
            WaitForRelease(pump, released, seen),
            seen.Add,
            CancellationToken.None);

        Assert.Equal(new[] { "posted while waiting", "released" }, seen);
    }

    [Fact]
    public void DeliversWhatCameBeforeAFailureThenRethrowsIt()
    {
        var pump = new CallerThreadPump();
        var seen = new List<string>();

        var error = Assert.Throws<InvalidOperationException>(() => pump.Run(Failing(), seen.Add, CancellationToken.None));

        Assert.Equal("stream failed", error.Message);
        Assert.Equal(new[] { "before the failure" }, seen);
    }

    [Fact]
    public void CancellationEndsTheRun()
    {
        var pump = new CallerThreadPump();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        Assert.ThrowsAny<OperationCanceledException>(() => pump.Run(Endless(), _ => { }, cancellation.Token));
    }

    private static async IAsyncEnumerable<string> Produce(CallerThreadPump pump, Action<string> onMessage)
    {
        for (int i = 1; i <= 2; i++)
        {
            await Task.Delay(10);
            int number = i;
            await Task.Run(() => pump.Post(() => onMessage($"message {number}")));
            yield return $"item {i}";
        }
    }

    private static async IAsyncEnumerable<string> WaitForRelease(CallerThreadPump pump, TaskCompletionSource<bool> released, List<string> seen)
    {
        // The posted action itself releases the stream: it can only run if the pump runs actions while waiting.
        _ = Task.Run(() => pump.Post(() => { seen.Add("posted while waiting"); released.SetResult(true); }));
        await released.Task;
        yield return "released";
    }

    private static async IAsyncEnumerable<string> Failing()
    {
        yield return "before the failure";
        await Task.Yield();
        throw new InvalidOperationException("stream failed");
    }

    private static async IAsyncEnumerable<string> Endless([EnumeratorCancellation] CancellationToken token = default)
    {
        while (true)
        {
            await Task.Delay(Timeout.Infinite, token);
            yield return "never";
        }
    }
}
