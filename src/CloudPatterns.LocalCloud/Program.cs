using System.Globalization;
using CloudPatterns.LocalCloud;

// dotnet CloudPatterns.LocalCloud.dll [--port N] [--seed PATH] [--workload-accounts N] [--state PATH]
// Prints "LocalCloud listening on http://127.0.0.1:<port>" when ready; runs until SIGTERM or Ctrl+C, then writes
// the --state file.
const string Usage = "Usage: CloudPatterns.LocalCloud [--port N] [--seed PATH] [--workload-accounts N] [--state PATH]";
var options = new LocalCloudOptions();
for (var index = 0; index < args.Length; index += 2)
{
    var value = index + 1 < args.Length ? args[index + 1] : "";
    var number = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : (int?)null;
    LocalCloudOptions? next = (args[index], number) switch
    {
        ("--port", { } port) => options with { Port = port },
        ("--workload-accounts", { } count) => options with { WorkloadAccountCount = count },
        ("--seed", _) when value.Length > 0 => options with { SeedPath = value },
        ("--state", _) when value.Length > 0 => options with { StatePath = value },
        _ => null,
    };
    if (next is null)
    {
        await Console.Error.WriteLineAsync($"Unknown or incomplete option '{args[index]}'. {Usage}");
        return 2;
    }

    options = next;
}

await using var server = await LocalCloudServer.StartAsync(options);
Console.WriteLine($"LocalCloud listening on {server.Url.GetLeftPart(UriPartial.Authority)}");
await server.WaitForShutdownAsync();
return 0;
