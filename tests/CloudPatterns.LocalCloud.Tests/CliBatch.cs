using System.Text.Json;

namespace CloudPatterns.LocalCloud.Tests;

/// <summary>One AWS CLI command line (without --endpoint-url and --output); arguments may use {id.Member} of earlier commands.</summary>
internal sealed record CliCommand(string Id, params string[] Args);

/// <summary>
/// Runs a list of AWS CLI commands in one process of the given CLI (python/cli_batch.py drives the CLI's own
/// clidriver), so conformance over dozens of operations costs one interpreter start per CLI.
/// </summary>
internal static class CliBatch
{
    public static async Task<IReadOnlyDictionary<string, ProcessResult>> RunAsync(AwsCli cli, LocalCloudServer server, AwsCredentials credentials, IReadOnlyList<CliCommand> commands)
    {
        if (cli == AwsCli.V2)
        {
            Assert.True(File.Exists(AwsClients.CliV2Path), $"AWS CLI v2 is missing at {AwsClients.CliV2Path}: install it with 'apt-get update && apt-get install -y awscli'.");
        }

        var commandFile = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(commandFile, JsonSerializer.Serialize(commands.Select(command => new { id = command.Id, args = command.Args })));
            var python = cli == AwsCli.V1 ? "python3" : "/usr/bin/python3";
            var script = Path.Combine(AppContext.BaseDirectory, "python", "cli_batch.py");
            var batch = await AwsClients.RunAsync(python, [script, commandFile], AwsClients.Environment(server, credentials));
            return batch.Json.EnumerateArray().ToDictionary(
                result => result.GetProperty("id").GetString()!,
                result => new ProcessResult(result.GetProperty("exitCode").GetInt32(), result.GetProperty("output").GetString()!, result.GetProperty("error").GetString()!));
        }
        finally
        {
            File.Delete(commandFile);
        }
    }
}
