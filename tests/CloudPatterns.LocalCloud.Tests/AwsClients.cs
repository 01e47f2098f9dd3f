using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CloudPatterns.LocalCloud.Tests;

/// <summary>Credentials a client signs with.</summary>
internal sealed record AwsCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken = null)
{
    public static AwsCredentials Of(SeedAccessKey key) => new(key.AccessKeyId, key.SecretAccessKey);

    /// <summary>The temporary credentials of an AssumeRole response.</summary>
    public static AwsCredentials FromAssumeRole(JsonElement assumed)
    {
        var credentials = assumed.GetProperty("Credentials");
        return new AwsCredentials(
            credentials.GetProperty("AccessKeyId").GetString()!,
            credentials.GetProperty("SecretAccessKey").GetString()!,
            credentials.GetProperty("SessionToken").GetString());
    }

    public override string ToString() => AccessKeyId;
}

/// <summary>What a client process printed.</summary>
internal sealed partial record ProcessResult(int ExitCode, string Output, string Error)
{
    public JsonElement Json
    {
        get
        {
            Assert.True(ExitCode == 0, $"The client failed (exit {ExitCode}): {Error}");
            return JsonDocument.Parse(Output).RootElement;
        }
    }

    /// <summary>The AWS error code the CLI reported ("An error occurred (Code) when calling …").</summary>
    public string ErrorCode
    {
        get
        {
            Assert.True(ExitCode != 0, $"The client succeeded but an error was expected: {Output}");
            var match = CliErrorPattern().Match(Error);
            Assert.True(match.Success, $"No AWS error in: {Error}");
            return match.Groups[1].Value;
        }
    }

    [GeneratedRegex(@"An error occurred \(([^)]+)\)")]
    private static partial Regex CliErrorPattern();
}

internal enum AwsCli
{
    /// <summary>AWS CLI v1 of this machine's Python (pip awscli).</summary>
    V1,

    /// <summary>AWS CLI v2 (Debian package awscli, /usr/bin/aws).</summary>
    V2,
}

/// <summary>Runs the real AWS clients of this machine against a LocalCloud server.</summary>
internal static class AwsClients
{
    public const string CliV2Path = "/usr/bin/aws";
    // A guard against a hung client, not a pace: a loaded 2-core CI machine runs a long boto3 script for minutes.
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    // The interpreter behind python3 (pyenv's shim costs a shell start per call; the tests start many clients).
    internal static readonly Lazy<Task<string>> Python = new(async () =>
    {
        var result = await RunAsync("python3", ["-c", "import sys; print(sys.executable)"], []);
        Assert.True(result.ExitCode == 0, $"python3 does not run: {result.Error}");
        return result.Output.Trim();
    });

    public static async Task<ProcessResult> RunCliAsync(AwsCli cli, LocalCloudServer server, AwsCredentials credentials, params string[] arguments)
    {
        if (cli == AwsCli.V2)
        {
            Assert.True(File.Exists(CliV2Path), $"AWS CLI v2 is missing at {CliV2Path}: install it with 'apt-get update && apt-get install -y awscli'.");
        }

        string[] common = ["--endpoint-url", server.Url.ToString(), "--output", "json"];
        return await (cli == AwsCli.V1
            ? RunAsync(await Python.Value, ["-m", "awscli", .. arguments, .. common], Environment(server, credentials))
            : RunAsync(CliV2Path, [.. arguments, .. common], Environment(server, credentials)));
    }

    /// <summary>Runs a scenario of python/boto3_client.py (or another script there) and returns the JSON it printed.</summary>
    public static Task<JsonElement> RunBoto3Async(LocalCloudServer server, AwsCredentials credentials, string scenario, string scriptName = "boto3_client.py") =>
        RunPythonScriptAsync(server, credentials, scriptName, scenario);

    /// <summary>Runs python/<paramref name="script"/> with arguments and returns the JSON it printed.</summary>
    public static Task<JsonElement> RunPythonScriptAsync(LocalCloudServer server, AwsCredentials credentials, string script, params string[] arguments) =>
        RunPythonScriptAsync(server, credentials, Timeout, script, arguments);

    /// <summary>As above, for a scenario that needs more than the usual time limit (each Lambda invocation starts a process).</summary>
    public static async Task<JsonElement> RunPythonScriptAsync(LocalCloudServer server, AwsCredentials credentials, TimeSpan timeLimit, string script, params string[] arguments)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "python", script);
        var result = await RunAsync(await Python.Value, [path, .. arguments], Environment(server, credentials), timeLimit);
        return result.Json;
    }

    internal static Dictionary<string, string?> Environment(LocalCloudServer server, AwsCredentials credentials) => new()
    {
        ["LOCALCLOUD_URL"] = server.Url.ToString().TrimEnd('/'),
        ["AWS_ACCESS_KEY_ID"] = credentials.AccessKeyId,
        ["AWS_SECRET_ACCESS_KEY"] = credentials.SecretAccessKey,
        ["AWS_SESSION_TOKEN"] = credentials.SessionToken,
        ["AWS_DEFAULT_REGION"] = server.Organization.PrimaryRegion,
        ["AWS_MAX_ATTEMPTS"] = "1",
        ["AWS_RETRY_MODE"] = "standard",
        ["AWS_PAGER"] = "",
        ["AWS_CONFIG_FILE"] = "/dev/null",
        ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
        ["AWS_EC2_METADATA_DISABLED"] = "true",
    };

    internal static async Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, Dictionary<string, string?> environment, TimeSpan? timeLimit = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Only the variables given here reach the client: no profile, region or key of the machine leaks in.
        foreach (var name in start.Environment.Keys.Where(name => name.StartsWith("AWS_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment.Where(variable => variable.Value is not null))
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        var limit = timeLimit ?? Timeout;
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{fileName} {string.Join(' ', start.ArgumentList)} did not finish within {limit}.");
        }

        return new ProcessResult(process.ExitCode, await output, await error);
    }
}
