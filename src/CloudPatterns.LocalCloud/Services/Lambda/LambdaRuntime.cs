using System.Diagnostics;
using System.IO.Compression;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Lambda;

/// <summary>How one run of a function's handler ended.</summary>
internal enum ExecutionOutcome
{
    Succeeded,
    HandlerFailed,
    TimedOut,
    Crashed,
}

/// <summary>One run: how it ended, what the handler returned (or its error payload), its output lines, and how long it took.</summary>
internal sealed record ExecutionResult(ExecutionOutcome Outcome, byte[] Payload, IReadOnlyList<string> Output, TimeSpan Duration);

/// <summary>
/// Runs handlers in child processes (<see cref="LambdaHost"/> in this same assembly for .NET, python3 or node with
/// the bootstrap scripts of Services/Lambda/Runtimes): unpacks a function's zip once per code hash into a directory
/// of this LocalCloud's own, starts the process with the function's environment only, collects its
/// standard output and error, and kills it when the function's timeout passes. Disposing kills what still runs and
/// deletes the directory.
/// </summary>
internal sealed class LambdaRuntime : IDisposable
{
    private static readonly TimeSpan InitLimit = TimeSpan.FromSeconds(10);
    private readonly string root = Path.Combine(Path.GetTempPath(), "localcloud-lambda-" + Guid.NewGuid().ToString("N"));
    private readonly Lock gate = new();
    private readonly HashSet<Process> running = [];
    private readonly CancellationTokenSource stopping = new();

    public async Task<ExecutionResult> RunAsync(LambdaFunction function, string requestId, byte[] payload, IReadOnlyDictionary<string, string> environment)
    {
        var code = Unpack(function);
        var work = Path.Combine(root, "invocations", Guid.NewGuid().ToString("N"));
        var (eventFile, resultFile) = (Path.Combine(work, "event"), Path.Combine(work, "result"));
        var start = StartInfo(function, code, eventFile, resultFile, requestId);
        Directory.CreateDirectory(work);
        await File.WriteAllBytesAsync(eventFile, payload);

        // The function sees its own environment, never LocalCloud's (no AWS_* of the machine, no other secrets).
        foreach (var name in start.Environment.Keys.Where(name => !name.StartsWith("DOTNET_", StringComparison.Ordinal) && name is not ("PATH" or "HOME" or "TMPDIR")).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        // As in Lambda: the code's directory, and a Python handler's output written as it prints.
        start.Environment["LAMBDA_TASK_ROOT"] = code;
        start.Environment["PYTHONUNBUFFERED"] = "1";

        var output = new List<string>();
        var clock = Stopwatch.StartNew();
        var handlerStarts = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data == LambdaHost.ReadyLine)
            {
                handlerStarts.TrySetResult();
            }
            else
            {
                Collect(output, line.Data);
            }
        };
        process.ErrorDataReceived += (_, line) => Collect(output, line.Data);
        process.Start();
        lock (gate)
        {
            running.Add(process);
        }

        try
        {
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
            var outcome = ExecutionOutcome.Crashed;
            try
            {
                // The timeout counts from the end of the init phase (process start and loading the handler), which
                // Lambda limits to 10 seconds on its own (docs/localcloud-lambda.md).
                var exited = process.WaitForExitAsync(timeout.Token);
                timeout.CancelAfter(InitLimit);
                await Task.WhenAny(handlerStarts.Task, exited);
                if (handlerStarts.Task.IsCompleted)
                {
                    timeout.CancelAfter(TimeSpan.FromSeconds(function.Timeout));
                }

                await exited;
                process.WaitForExit();
                outcome = process.ExitCode switch
                {
                    LambdaHost.Succeeded => ExecutionOutcome.Succeeded,
                    LambdaHost.HandlerFailed => ExecutionOutcome.HandlerFailed,
                    _ => ExecutionOutcome.Crashed,
                };
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
                outcome = ExecutionOutcome.TimedOut;
            }

            var result = outcome is ExecutionOutcome.Succeeded or ExecutionOutcome.HandlerFailed && File.Exists(resultFile) ? await File.ReadAllBytesAsync(resultFile) : [];
            lock (output)
            {
                return new ExecutionResult(outcome, result, [.. output], clock.Elapsed);
            }
        }
        finally
        {
            lock (gate)
            {
                running.Remove(process);
            }

            Directory.Delete(work, recursive: true);
        }
    }

    public void Dispose()
    {
        stopping.Cancel();
        lock (gate)
        {
            foreach (var process in running)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // Already exited.
                }
            }
        }

        if (Directory.Exists(root))
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // A process still closing holds a file; the directory is in the temp folder.
            }
        }

        stopping.Dispose();
    }

    private static void Collect(List<string> output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.Add(line);
            }
        }
    }

    /// <summary>
    /// The child process of one invocation: the .NET host in this assembly, or python3/node with LocalCloud's
    /// bootstrap script for the family (the handler, event and result files, the request id, timeout and ARN).
    /// </summary>
    private ProcessStartInfo StartInfo(LambdaFunction function, string code, string eventFile, string resultFile, string requestId)
    {
        var family = LambdaRuntimes.Family(function.Runtime);
        var (program, arguments) = family switch
        {
            RuntimeFamily.Dotnet => (DotnetHost(), new[] { typeof(LambdaHost).Assembly.Location, "--lambda-host", code, function.Handler, eventFile, resultFile }),
            RuntimeFamily.Python or RuntimeFamily.Node => (
                LambdaRuntimes.Interpreter(family.Value) ?? throw MissingInterpreter(function, family.Value),
                new[] { Bootstrap(family.Value), code, function.Handler, eventFile, resultFile, requestId, function.Timeout.ToString(System.Globalization.CultureInfo.InvariantCulture), function.Arn }),
            _ => throw LambdaArns.Error(502, "InvalidRuntimeException",
                $"LocalCloud runs the .NET (dotnet6 and later), Python (python3.x) and Node.js (nodejsNN.x) runtimes only; the runtime {function.Runtime} of {function.Name} is not supported (docs/localcloud-lambda.md)."),
        };
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = code,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private static AwsServiceException MissingInterpreter(LambdaFunction function, RuntimeFamily family) => LambdaArns.Error(502, "InvalidRuntimeException",
        $"LocalCloud runs {function.Runtime} with {(family == RuntimeFamily.Python ? "python3" : "node")} from PATH, which this machine does not have; install it to invoke {function.Name} (docs/localcloud-lambda.md).");

    /// <summary>The family's bootstrap script, written once into this LocalCloud's directory.</summary>
    private string Bootstrap(RuntimeFamily family)
    {
        var name = family == RuntimeFamily.Python ? "bootstrap.py" : "bootstrap.js";
        var path = Path.Combine(root, "runtime", name);
        lock (gate)
        {
            if (!File.Exists(path))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path + ".partial", LambdaRuntimes.Script(name));
                File.Move(path + ".partial", path);
            }
        }

        return path;
    }

    /// <summary>The function's code unpacked, once per code hash.</summary>
    private string Unpack(LambdaFunction function)
    {
        var directory = Path.Combine(root, "code", Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(function.Code)));
        lock (gate)
        {
            if (!Directory.Exists(directory))
            {
                var partial = directory + ".partial";
                using (var zip = new ZipArchive(new MemoryStream(function.Code), ZipArchiveMode.Read))
                {
                    zip.ExtractToDirectory(partial, overwriteFiles: true);
                }

                Directory.Move(partial, directory);
            }
        }

        return directory;
    }

    /// <summary>The dotnet host LocalCloud itself runs on (the test host's when LocalCloud runs inside tests).</summary>
    private static string DotnetHost() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path
        : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : "dotnet";
}
