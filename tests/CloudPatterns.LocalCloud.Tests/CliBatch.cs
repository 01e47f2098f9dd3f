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
    /// <summary>A timestamp as the CLI takes it on its command line.</summary>
    public static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

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
            var python = cli == AwsCli.V1 ? await AwsClients.Python.Value : "/usr/bin/python3";
            var script = Path.Combine(AppContext.BaseDirectory, "python", "cli_batch.py");
            // A batch is many commands: on a loaded machine it needs more time than one client call.
            var timeLimit = TimeSpan.FromSeconds(60 + (3 * commands.Count));
            var batch = await AwsClients.RunAsync(python, [script, commandFile], AwsClients.Environment(server, credentials), timeLimit);
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

/// <summary>
/// A LocalCloud server and one batch of commands run through one AWS CLI against it, in the fixture, so that the
/// tests of a class assert on one batch's results instead of starting the CLI per test.
/// </summary>
public abstract class CliBatchFixture : IAsyncLifetime
{
    private readonly AwsCli cli;
    private LocalCloudServer? server;
    private IReadOnlyDictionary<string, ProcessResult> results = new Dictionary<string, ProcessResult>();

    private protected CliBatchFixture(AwsCli cli) => this.cli = cli;

    public LocalCloudServer Server => server ?? throw new InvalidOperationException("The server has not started.");

    public async Task InitializeAsync()
    {
        server = await LocalCloudServer.StartAsync(new LocalCloudOptions());
        var credentials = AwsCredentials.Of(server.Organization.ManagementCredentials);
        results = await CliBatch.RunAsync(cli, server, credentials, await CommandsAsync(server.Clock.GetUtcNow()));
        await AfterBatchAsync();
    }

    public virtual async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    internal ProcessResult Result(string id) => results[id];

    /// <summary>The JSON the command printed (asserting that it succeeded).</summary>
    internal JsonElement Json(string id) => Result(id).Json;

    /// <summary>The AWS error code the command reported (asserting that it failed).</summary>
    internal string Error(string id) => Result(id).ErrorCode;

    /// <summary>The commands, given LocalCloud's simulated time when the batch starts.</summary>
    private protected abstract Task<IReadOnlyList<CliCommand>> CommandsAsync(DateTimeOffset now);

    /// <summary>Gathers what the tests need from the server after the batch (admin API reads).</summary>
    private protected virtual Task AfterBatchAsync() => Task.CompletedTask;
}
