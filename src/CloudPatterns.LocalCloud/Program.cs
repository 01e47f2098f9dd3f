using System.Globalization;
using CloudPatterns.LocalCloud;

// dotnet CloudPatterns.LocalCloud.dll [--port N] [--seed PATH] [--workload-accounts N] [--state PATH] [--exit-on-stdin-close]
// Prints "LocalCloud listening on http://127.0.0.1:<port>" when ready; runs until SIGTERM or Ctrl+C, or, with
// --exit-on-stdin-close, until its standard input closes (how Start-CloudSandbox ties it to the PowerShell session:
// the sandbox ends with the session even when that session is killed).
var options = new LocalCloudOptions();
var exitOnStdinClose = false;
for (var index = 0; index < args.Length; index++)
{
    if (args[index] == "--exit-on-stdin-close")
    {
        exitOnStdinClose = true;
        continue;
    }

    var value = index + 1 < args.Length ? args[index + 1] : null;
    options = (args[index], value) switch
    {
        ("--port", { } port) when int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) => options with { Port = number },
        ("--seed", { } path) => options with { SeedPath = path },
        ("--workload-accounts", { } count) when int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var number) => options with { WorkloadAccountCount = number },
        ("--state", { } path) => options with { StatePath = path },
        _ => null!,
    };
    if (options is null)
    {
        await Console.Error.WriteLineAsync($"Unknown or incomplete option '{args[index]}'. Usage: CloudPatterns.LocalCloud [--port N] [--seed PATH] [--workload-accounts N] [--state PATH] [--exit-on-stdin-close]");
        return 2;
    }

    index++;
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
