using System.Diagnostics;
using System.Globalization;

namespace CloudPatterns.LocalCloud.Services.Lambda;

/// <summary>
/// One execution environment (docs/localcloud-lambda.md, "Execution environments"): a child process that runs one
/// function revision's handler, one event at a time. The process starts with the environment's variables, initializes
/// the handler on its first event, and then reads one request line per event on standard input
/// (<c>EVENT-FILE\tRESULT-FILE\tREQUEST-ID\tTIMEOUT</c>). For each it writes <see cref="LambdaHost.ReadyLine"/> to
/// standard output when the handler starts, and <see cref="LambdaHost.DoneLine"/> with the exit code to both standard
/// output and standard error when the handler has answered, so that each stream's lines are known to belong to the
/// event. A process that exits instead ends the environment (exit code <see cref="LambdaHost.HandlerFailed"/>: an
/// init error whose payload is in the result file).
/// </summary>
internal sealed class LambdaEnvironment : IDisposable
{
    private static readonly TimeSpan InitLimit = TimeSpan.FromSeconds(10);
    private readonly Process process;
    private readonly string directory;
    private readonly TaskCompletionSource exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Turn current = new();
    private bool initialized;

    public LambdaEnvironment(ProcessStartInfo start, string directory, string key, string logStream, DateTimeOffset created)
    {
        (this.directory, Key, LogStream, Created) = (directory, key, logStream, created);
        process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, line) => Receive(line.Data, error: false);
        process.ErrorDataReceived += (_, line) => Receive(line.Data, error: true);
        process.Exited += (_, _) => exited.TrySetResult();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The function revision (ARN and RevisionId) this environment runs.</summary>
    public string Key { get; }

    /// <summary>The log stream of this environment (Lambda writes one stream per execution environment).</summary>
    public string LogStream { get; }

    /// <summary>When the environment started, on the sandbox clock.</summary>
    public DateTimeOffset Created { get; }

    /// <summary>When the environment last finished an event (real time), for reclaiming idle environments.</summary>
    public long IdleSince { get; private set; } = Stopwatch.GetTimestamp();

    /// <summary>Whether the environment can take another event: its process runs and no event ended it.</summary>
    public bool Reusable => !exited.Task.IsCompleted && !Ended;

    private bool Ended { get; set; }

    /// <summary>
    /// Runs one event. The timeout counts from the handler's start (the first event also has the 10-second init limit
    /// before it); when it passes, the process tree is killed and the environment ends.
    /// </summary>
    public async Task<ExecutionResult> RunAsync(string requestId, byte[] payload, int timeoutSeconds, CancellationToken stopping)
    {
        var (eventFile, resultFile) = (Path.Combine(directory, "event"), Path.Combine(directory, "result"));
        File.Delete(resultFile);
        await File.WriteAllBytesAsync(eventFile, payload, CancellationToken.None);
        var turn = current;
        var clock = Stopwatch.StartNew();
        var outcome = ExecutionOutcome.Crashed;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        try
        {
            timeout.CancelAfter(initialized ? TimeSpan.FromSeconds(timeoutSeconds) : InitLimit);
            await process.StandardInput.WriteLineAsync(string.Join('\t', eventFile, resultFile, requestId, timeoutSeconds.ToString(CultureInfo.InvariantCulture)));
            await process.StandardInput.FlushAsync(CancellationToken.None);
            await Task.WhenAny(turn.Ready.Task, exited.Task).WaitAsync(timeout.Token);
            if (turn.Ready.Task.IsCompleted)
            {
                initialized = true;
                timeout.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
            }

            var done = Task.WhenAll(turn.OutputDone.Task, turn.ErrorDone.Task);
            await Task.WhenAny(done, exited.Task).WaitAsync(timeout.Token);
            outcome = (done.IsCompleted ? turn.OutputDone.Task.Result : ExitCode()) switch
            {
                LambdaHost.Succeeded => ExecutionOutcome.Succeeded,
                LambdaHost.HandlerFailed => ExecutionOutcome.HandlerFailed,
                _ => ExecutionOutcome.Crashed,
            };
        }
        catch (OperationCanceledException)
        {
            Kill();
            await exited.Task;
            outcome = ExecutionOutcome.TimedOut;
        }
        catch (IOException)
        {
            // The process ended before it took the event (its standard input is closed).
        }

        Ended |= outcome is ExecutionOutcome.TimedOut or ExecutionOutcome.Crashed;
        current = new Turn();
        IdleSince = Stopwatch.GetTimestamp();
        var result = outcome is ExecutionOutcome.Succeeded or ExecutionOutcome.HandlerFailed && File.Exists(resultFile) ? await File.ReadAllBytesAsync(resultFile, CancellationToken.None) : [];
        lock (turn.Output)
        {
            return new ExecutionResult(outcome, result, [.. turn.Output], clock.Elapsed, LogStream);
        }
    }

    /// <summary>Ends the environment: kills its process tree and deletes its directory (its /tmp).</summary>
    public void Dispose()
    {
        Kill();
        process.Dispose();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A process still closing holds a file; the directory is in the temp folder.
        }
    }

    private int ExitCode()
    {
        process.WaitForExit();
        return process.ExitCode;
    }

    private void Kill()
    {
        Ended = true;
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    private void Receive(string? line, bool error)
    {
        var turn = current;
        if (line is null)
        {
            return;
        }

        if (!error && line == LambdaHost.ReadyLine)
        {
            turn.Ready.TrySetResult();
        }
        else if (line.StartsWith(LambdaHost.DoneLine, StringComparison.Ordinal) && int.TryParse(line.AsSpan(LambdaHost.DoneLine.Length), CultureInfo.InvariantCulture, out var code))
        {
            (error ? turn.ErrorDone : turn.OutputDone).TrySetResult(code);
        }
        else
        {
            lock (turn.Output)
            {
                turn.Output.Add(line);
            }
        }
    }

    /// <summary>One event's share of the process's output: its lines, the handler's start and its end on each stream.</summary>
    private sealed class Turn
    {
        public List<string> Output { get; } = [];

        public TaskCompletionSource Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<int> OutputDone { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<int> ErrorDone { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
