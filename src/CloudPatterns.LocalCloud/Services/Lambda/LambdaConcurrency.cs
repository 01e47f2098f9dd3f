using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Lambda;

/// <summary>
/// Who may run now (docs/localcloud-lambda.md, "Concurrency"): each function's reserved concurrency, as Lambda counts
/// it, and LocalCloud's own cap on execution environments running at once on this machine (<see cref="MachineLimit"/>).
/// A synchronous invocation beyond its function's reserved concurrency is throttled (429); one that finds the machine
/// cap used up waits, ahead of queued events. An asynchronous event waits in the queue until its function is under
/// its reserved concurrency and the machine has a free slot; events start in the order they were queued (an event
/// whose function is at its limit lets later events of other functions pass).
/// </summary>
internal sealed class LambdaConcurrency(int machineLimit)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, int> running = new(StringComparer.Ordinal);
    private readonly LinkedList<Waiter> waiting = [];
    private int machine;

    /// <summary>The most execution environments running at once (LocalCloud's limit, not AWS's).</summary>
    public int MachineLimit { get; } = machineLimit >= 1 ? machineLimit : throw new ArgumentOutOfRangeException(nameof(machineLimit));

    /// <summary>A synchronous invocation's slot: 429 TooManyRequestsException at once when the function's reserved concurrency is used up.</summary>
    public Task<IDisposable> EnterSyncAsync(LambdaFunction function)
    {
        lock (gate)
        {
            var count = running.GetValueOrDefault(function.Arn);
            if (function.ReservedConcurrency is { } reserved && count >= reserved)
            {
                throw Throttled();
            }

            running[function.Arn] = count + 1;
            var waiter = new Waiter(function.Arn, null, HoldsFunctionSlot: true);
            var before = waiting.First;
            while (before is { Value.HoldsFunctionSlot: true })
            {
                before = before.Next;
            }

            if (before is null)
            {
                waiting.AddLast(waiter);
            }
            else
            {
                waiting.AddBefore(before, waiter);
            }

            Pump();
            return waiter.Granted.Task;
        }
    }

    /// <summary>An asynchronous event's slot, granted in queue order when the function and the machine have room.</summary>
    public Task<IDisposable> EnterEventAsync(LambdaFunction function)
    {
        lock (gate)
        {
            var waiter = new Waiter(function.Arn, function.ReservedConcurrency, HoldsFunctionSlot: false);
            waiting.AddLast(waiter);
            Pump();
            return waiter.Granted.Task;
        }
    }

    /// <summary>The error Lambda answers when a function's reserved concurrency is used up.</summary>
    public static AwsServiceException Throttled() => new(429, "TooManyRequestsException", "Rate Exceeded.")
    {
        JsonMessageMember = "message",
        Fields = [KeyValuePair.Create("Reason", "ReservedFunctionConcurrentInvocationLimitExceeded"), KeyValuePair.Create("Type", "User")],
    };

    /// <summary>Grants slots to waiters in order while the machine has room (the caller holds the lock).</summary>
    private void Pump()
    {
        var node = waiting.First;
        while (node is not null && machine < MachineLimit)
        {
            var next = node.Next;
            var waiter = node.Value;
            if (waiter.HoldsFunctionSlot || waiter.Reserved is not { } reserved || running.GetValueOrDefault(waiter.Arn) < reserved)
            {
                if (!waiter.HoldsFunctionSlot)
                {
                    running[waiter.Arn] = running.GetValueOrDefault(waiter.Arn) + 1;
                }

                machine++;
                waiting.Remove(node);
                waiter.Granted.TrySetResult(new Slot(this, waiter.Arn));
            }

            node = next;
        }
    }

    private void Release(string arn)
    {
        lock (gate)
        {
            running[arn]--;
            machine--;
            Pump();
        }
    }

    private sealed record Waiter(string Arn, int? Reserved, bool HoldsFunctionSlot)
    {
        public TaskCompletionSource<IDisposable> Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Slot(LambdaConcurrency owner, string arn) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                owner.Release(arn);
            }
        }
    }
}
