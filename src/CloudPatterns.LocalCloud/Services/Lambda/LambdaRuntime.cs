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

/// <summary>One run: how it ended, what the handler returned (or its error payload), its output lines, how long it took, and its environment's log stream.</summary>
internal sealed record ExecutionResult(ExecutionOutcome Outcome, byte[] Payload, IReadOnlyList<string> Output, TimeSpan Duration, string LogStream);

/// <summary>
/// Runs handlers in execution environments (<see cref="LambdaEnvironment"/>: a child process of <see cref="LambdaHost"/>
/// in this same assembly for .NET, or python3/node with the bootstrap scripts of Services/Lambda/Runtimes), kept warm
/// and reused per function revision as Lambda does (docs/localcloud-lambda.md, "Execution environments"): an idle
/// environment of the same revision takes the next event, one event at a time; a new revision (code or configuration
/// update) starts new environments and ends the old ones; an environment whose event timed out or crashed is not
/// reused; idle environments are reclaimed after <see cref="IdleLimit"/> of real time and none lives longer than
/// <see cref="MaxAge"/> on the sandbox clock. Unpacks a function's zip once per code hash into a directory of this
/// LocalCloud's own. Disposing ends every environment and deletes the directory.
/// </summary>
internal sealed class LambdaRuntime : IDisposable
{
    /// <summary>How long an idle environment is kept (real time) before its process is ended.</summary>
    public static readonly TimeSpan IdleLimit = TimeSpan.FromMinutes(2);

    /// <summary>How long (sandbox time) an environment serves events before it is replaced, well within its credentials' 12 hours.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(2);

    private const int MaxIdle = 32;
    private readonly string root = Path.Combine(Path.GetTempPath(), "localcloud-lambda-" + Guid.NewGuid().ToString("N"));
    private readonly Lock gate = new();
    private readonly List<LambdaEnvironment> idle = [];
    private readonly HashSet<LambdaEnvironment> busy = [];
    private readonly CancellationTokenSource stopping = new();
    private readonly Timer sweeper;

    // The AWS SDK for JavaScript that Node.js functions load with require, as Lambda's Node.js runtimes include it
    // (docs/localcloud-lambda.md, "SDKs"): a node_modules folder put on NODE_PATH, or null when none is installed.
    private readonly string? nodeModules;

    /// <param name="nodeModules">The folder Node.js functions' NODE_PATH names; by default node-sdk/node_modules
    /// beside LocalCloud (build.ps1 -Task NodeSdk installs it), when it exists.</param>
    public LambdaRuntime(string? nodeModules = null)
    {
        var installed = Path.Combine(AppContext.BaseDirectory, "node-sdk", "node_modules");
        this.nodeModules = nodeModules ?? (Directory.Exists(installed) ? installed : null);
        sweeper = new Timer(_ => Sweep(), null, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// Runs one event in an idle environment of the function's revision, or in a new one started with the variables
    /// <paramref name="environment"/> gives for a log stream name (it is called only for a new environment).
    /// </summary>
    public async Task<ExecutionResult> RunAsync(LambdaFunction function, string requestId, byte[] payload, DateTimeOffset now, Func<string, IReadOnlyDictionary<string, string>> environment)
    {
        var environ = Acquire(function, now) ?? Start(function, now, environment);
        try
        {
            return await environ.RunAsync(requestId, payload, function.Timeout, stopping.Token);
        }
        finally
        {
            Release(environ);
        }
    }

    public void Dispose()
    {
        sweeper.Dispose();
        stopping.Cancel();
        List<LambdaEnvironment> all;
        lock (gate)
        {
            all = [.. idle, .. busy];
            idle.Clear();
            busy.Clear();
        }

        all.ForEach(environ => environ.Dispose());
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

    private static string Key(LambdaFunction function) => function.Arn + "#" + function.RevisionId;

    /// <summary>An idle environment of this revision, young enough; ends the function's environments of other revisions.</summary>
    private LambdaEnvironment? Acquire(LambdaFunction function, DateTimeOffset now)
    {
        var key = Key(function);
        var prefix = function.Arn + "#";
        List<LambdaEnvironment> ended;
        LambdaEnvironment? found;
        lock (gate)
        {
            ended = idle.Where(environ => !environ.Reusable || now - environ.Created >= MaxAge || (environ.Key.StartsWith(prefix, StringComparison.Ordinal) && environ.Key != key)).ToList();
            idle.RemoveAll(ended.Contains);
            found = idle.LastOrDefault(environ => environ.Key == key);
            if (found is not null)
            {
                idle.Remove(found);
                busy.Add(found);
            }
        }

        ended.ForEach(environ => environ.Dispose());
        return found;
    }

    private LambdaEnvironment Start(LambdaFunction function, DateTimeOffset now, Func<string, IReadOnlyDictionary<string, string>> environment)
    {
        var code = Unpack(function);
        var id = Guid.NewGuid().ToString("N");
        var directory = Path.Combine(root, "environments", id);
        var temp = Path.Combine(directory, "tmp");
        Directory.CreateDirectory(temp);
        var stream = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{now:yyyy'/'MM'/'dd}/[$LATEST]{id}");
        var start = StartInfo(function, code);

        // The function sees its own environment, never LocalCloud's (no AWS_* of the machine, no other secrets).
        foreach (var name in start.Environment.Keys.Where(name => !name.StartsWith("DOTNET_", StringComparison.Ordinal) && name is not ("PATH" or "HOME")).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment(stream))
        {
            start.Environment[name] = value;
        }

        // As in Lambda: the code's directory, the environment's own temporary directory, and a Python handler's
        // output written as it prints.
        start.Environment["LAMBDA_TASK_ROOT"] = code;
        start.Environment["TMPDIR"] = temp;
        start.Environment["PYTHONUNBUFFERED"] = "1";
        if (nodeModules is not null && LambdaRuntimes.Family(function.Runtime) == RuntimeFamily.Node)
        {
            start.Environment["NODE_PATH"] = nodeModules;
        }

        var environ = new LambdaEnvironment(start, directory, Key(function), stream, now);
        lock (gate)
        {
            busy.Add(environ);
        }

        return environ;
    }

    private void Release(LambdaEnvironment environ)
    {
        List<LambdaEnvironment> ended = [];
        lock (gate)
        {
            busy.Remove(environ);
            if (environ.Reusable && !stopping.IsCancellationRequested)
            {
                idle.Add(environ);
                if (idle.Count > MaxIdle)
                {
                    ended.Add(idle[0]);
                    idle.RemoveAt(0);
                }
            }
            else
            {
                ended.Add(environ);
            }
        }

        ended.ForEach(item => item.Dispose());
    }

    /// <summary>Ends environments idle longer than <see cref="IdleLimit"/> (and those whose process is gone).</summary>
    private void Sweep()
    {
        List<LambdaEnvironment> ended;
        lock (gate)
        {
            ended = idle.Where(environ => !environ.Reusable || Stopwatch.GetElapsedTime(environ.IdleSince) >= IdleLimit).ToList();
            idle.RemoveAll(ended.Contains);
        }

        ended.ForEach(environ => environ.Dispose());
    }

    /// <summary>
    /// The child process of one environment: the .NET host in this assembly, or python3/node with LocalCloud's
    /// bootstrap script for the family (the code directory, the handler and the function's ARN); events come on its
    /// standard input.
    /// </summary>
    private const string TieredCompilationVariable = "DOTNET_TieredCompilation";

    private ProcessStartInfo StartInfo(LambdaFunction function, string code)
    {
        var family = LambdaRuntimes.Family(function.Runtime);
        var (program, arguments) = family switch
        {
            RuntimeFamily.Dotnet => (DotnetHost(), new[] { typeof(LambdaHost).Assembly.Location, "--lambda-host", code, function.Handler }),
            RuntimeFamily.Python or RuntimeFamily.Node => (
                LambdaRuntimes.Interpreter(family.Value) ?? throw MissingInterpreter(function, family.Value),
                new[] { Bootstrap(family.Value), code, function.Handler, function.Arn }),
            _ => throw LambdaArns.Error(502, "InvalidRuntimeException",
                $"LocalCloud runs the .NET (dotnet6 and later), Python (python3.x) and Node.js (nodejsNN.x) runtimes only; the runtime {function.Runtime} of {function.Name} is not supported (docs/localcloud-lambda.md)."),
        };
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = code,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // LocalCloud's own runtime configuration turns tiered compilation off (a server that is compiled ahead of
        // time); a .NET function's host gets .NET's default back, unless LocalCloud was started with a setting of its own.
        if (family == RuntimeFamily.Dotnet && !start.Environment.ContainsKey(TieredCompilationVariable))
        {
            start.Environment[TieredCompilationVariable] = "1";
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
