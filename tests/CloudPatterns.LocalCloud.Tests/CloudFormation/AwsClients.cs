using System.Diagnostics;
using System.Text.Json.Nodes;

namespace CloudPatterns.LocalCloud.Tests.CloudFormation;

/// <summary>Runs this machine's AWS CLI v1 (`aws`) and Python boto3 against a LocalCloud endpoint.</summary>
internal sealed class AwsClients(LocalCloudServer server)
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public JsonNode Json => JsonNode.Parse(Output) ?? throw new InvalidOperationException("empty output");
    }

    /// <summary>`aws cloudformation ARGS --endpoint-url URL --output json`.</summary>
    public Task<Result> CloudFormationAsync(params string[] arguments) =>
        RunAsync("aws", ["cloudformation", .. arguments, "--endpoint-url", server.Url.ToString().TrimEnd('/'), "--output", "json"], null);

    /// <summary>Runs a Python script (stdin) that may use boto3; ENDPOINT holds the LocalCloud URL.</summary>
    public Task<Result> PythonAsync(string script) => RunAsync("python3", ["-"], script);

    /// <summary>Like <see cref="CloudFormationAsync"/>, but the call must succeed; returns its JSON output.</summary>
    public async Task<JsonNode> CloudFormationJsonAsync(params string[] arguments)
    {
        var result = await CloudFormationAsync(arguments);
        Assert.True(result.ExitCode == 0, $"aws cloudformation {string.Join(' ', arguments)} failed: {result.Error}");
        return result.Output.Length == 0 ? new JsonObject() : result.Json;
    }

    private async Task<Result> RunAsync(string fileName, IEnumerable<string> arguments, string? input)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var credentials = server.Organization.ManagementCredentials;
        start.Environment["AWS_ACCESS_KEY_ID"] = credentials.AccessKeyId;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = credentials.SecretAccessKey;
        start.Environment["AWS_DEFAULT_REGION"] = server.Organization.PrimaryRegion;
        start.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["AWS_PAGER"] = "";
        start.Environment["ENDPOINT"] = server.Url.ToString().TrimEnd('/');
        start.Environment.Remove("AWS_SESSION_TOKEN");
        start.Environment.Remove("AWS_PROFILE");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await output, await error);
    }
}
