using System.Globalization;
using CloudPatterns.LocalCloud;

// dotnet CloudPatterns.LocalCloud.dll [--port N] [--seed PATH] [--workload-accounts N] [--state PATH]
// Prints "LocalCloud listening on http://127.0.0.1:<port>" when ready; runs until SIGTERM or Ctrl+C.
var options = new LocalCloudOptions();
for (var index = 0; index < args.Length; index++)
{
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
        await Console.Error.WriteLineAsync($"Unknown or incomplete option '{args[index]}'. Usage: CloudPatterns.LocalCloud [--port N] [--seed PATH] [--workload-accounts N] [--state PATH]");
        return 2;
    }

    index++;
}

await using var server = await LocalCloudServer.StartAsync(options);
Console.WriteLine($"LocalCloud listening on {server.Url.GetLeftPart(UriPartial.Authority)}");
await server.WaitForShutdownAsync();
return 0;
