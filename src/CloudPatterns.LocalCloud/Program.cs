using System.Globalization;
using CloudPatterns.LocalCloud;

// dotnet CloudPatterns.LocalCloud.dll [--port N] [--seed PATH] [--workload-accounts N] [--state PATH] [--time-scale N] [--auto-advance] [--request-log-size N] [--lambda-environments N] [--exit-on-stdin-close]
// Prints "LocalCloud listening on http://127.0.0.1:<port>" when ready; runs until SIGTERM or Ctrl+C, or, with
// --exit-on-stdin-close, until its standard input closes (how Start-CloudSandbox ties it to the PowerShell session:
// the sandbox ends with the session even when that session is killed); then writes the --state file.
// --time-scale N runs the simulated clock N times as fast as real time (1 to 3600); --auto-advance lets it skip to the
// next pending job's due time when no request has arrived for a second (src/CloudPatterns.LocalCloud/README.md).
// --request-log-size N keeps the last N requests in the request log (default 20,000; docs/localcloud-authorization.md).
const string Usage = "Usage: CloudPatterns.LocalCloud [--port N] [--seed PATH] [--workload-accounts N] [--state PATH] [--time-scale N] [--auto-advance] [--request-log-size N] [--lambda-environments N] [--exit-on-stdin-close]";
// dotnet CloudPatterns.LocalCloud.dll --operations-table prints docs/localcloud-operations.md and exits.
if (args is ["--operations-table"])
{
    Console.Write(CloudPatterns.LocalCloud.Hosting.OperationsTable.Render());
    return 0;
}

// dotnet CloudPatterns.LocalCloud.dll --lambda-host CODE-DIR HANDLER runs one Lambda execution environment (LambdaRuntime starts it; events come on standard input).
if (args is ["--lambda-host", var code, var handler])
{
    return await CloudPatterns.LocalCloud.Services.Lambda.LambdaHost.RunAsync(code, handler);
}

var options = new LocalCloudOptions();
var exitOnStdinClose = false;
for (var index = 0; index < args.Length; index += 2)
{
    if (args[index] == "--exit-on-stdin-close")
    {
        exitOnStdinClose = true;
        index--;
        continue;
    }

    if (args[index] == "--auto-advance")
    {
        options = options with { AutoAdvance = true };
        index--;
        continue;
    }

    var value = index + 1 < args.Length ? args[index + 1] : "";
    var number = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : (int?)null;
    LocalCloudOptions? next = (args[index], number) switch
    {
        ("--port", { } port) => options with { Port = port },
        ("--workload-accounts", { } count) => options with { WorkloadAccountCount = count },
        ("--time-scale", { } scale) when scale is >= 1 and <= LocalCloudClock.MaxScale => options with { TimeScale = scale },
        ("--request-log-size", { } size) when size >= 1 => options with { RequestLogSize = size },
        ("--lambda-environments", { } environments) when environments >= 1 => options with { LambdaEnvironments = environments },
        ("--seed", _) when value.Length > 0 => options with { SeedPath = value },
        ("--state", _) when value.Length > 0 => options with { StatePath = value },
        _ => null,
    };
    if (next is null)
    {
        await Console.Error.WriteLineAsync(args[index] switch
        {
            "--time-scale" => $"--time-scale takes a whole number from 1 to {LocalCloudClock.MaxScale}; '{value}' is not one. {Usage}",
            "--request-log-size" => $"--request-log-size takes a whole number of at least 1; '{value}' is not one. {Usage}",
            "--lambda-environments" => $"--lambda-environments takes a whole number of at least 1; '{value}' is not one. {Usage}",
            _ => $"Unknown or incomplete option '{args[index]}'. {Usage}",
        });
        return 2;
    }

    options = next;
}

await using var server = await LocalCloudServer.StartAsync(options);
Console.WriteLine($"LocalCloud listening on {server.Url.GetLeftPart(UriPartial.Authority)}");
if (exitOnStdinClose)
{
    // Reads until end of input on a background thread; whichever ends first (EOF or a signal) stops the server.
    var stdinClosed = Task.Run(() => { while (Console.In.ReadLine() is not null) { } });
    await Task.WhenAny(stdinClosed, server.WaitForShutdownAsync());
}
else
{
    await server.WaitForShutdownAsync();
}
return 0;
