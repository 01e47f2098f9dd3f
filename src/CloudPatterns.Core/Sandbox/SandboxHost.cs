using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace CloudPatterns.Core.Sandbox;

/// <summary>Starts LocalCloud as a child process and talks to its admin API. One per sandbox.</summary>
public sealed class SandboxHost : IDisposable
{
    private const string ReadyPrefix = "LocalCloud listening on ";
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Process _process;

    private SandboxHost(Process process, Uri url, SandboxOrganization organization)
    {
        _process = process;
        Url = url;
        Organization = organization;
    }

    public Uri Url { get; }
    public SandboxOrganization Organization { get; }
    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>Starts LocalCloud and returns once it answers; the org is read back from its admin API.</summary>
    public static async Task<SandboxHost> StartAsync(SandboxStartOptions options, CancellationToken cancellationToken)
    {
        if (!File.Exists(options.LocalCloudPath))
        {
            throw new FileNotFoundException(
                $"LocalCloud was not found at '{options.LocalCloudPath}'. Build the module with './build.ps1 -Task Build' so that LocalCloud sits beside it.",
                options.LocalCloudPath);
        }

        var startInfo = new ProcessStartInfo(options.DotnetPath)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        startInfo.Arguments = BuildArguments(options);
        // The child must not inherit credentials or endpoints of the session that starts it.
        foreach (var name in SandboxEnvironment.VariableNames)
        {
            startInfo.Environment.Remove(name);
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start '{options.DotnetPath}'.");
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (stderr) { stderr.AppendLine(e.Data); } } };
        process.BeginErrorReadLine();
        try
        {
            var url = await ReadReadyUrlAsync(process, options.StartTimeout, cancellationToken).ConfigureAwait(false);
            // Keep draining stdout so LocalCloud never blocks on a full pipe.
            _ = Task.Run(() => process.StandardOutput.ReadToEnd(), CancellationToken.None);
            var organization = await GetOrganizationAsync(url, cancellationToken).ConfigureAwait(false);
            return new SandboxHost(process, url, organization);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !process.HasExited)
        {
            Stop(process);
            string errors;
            lock (stderr) { errors = stderr.ToString().Trim(); }
            if (ex is OperationCanceledException) { throw; }
            throw new SandboxException($"LocalCloud did not start: {ex.Message}{(errors.Length > 0 ? " LocalCloud said: " + errors : string.Empty)}", ex);
        }
    }

    private static string BuildArguments(SandboxStartOptions options)
    {
        var args = new List<string> { Quote(options.LocalCloudPath), "--exit-on-stdin-close", "--port", options.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (!string.IsNullOrEmpty(options.SeedPath)) { args.Add("--seed"); args.Add(Quote(options.SeedPath!)); }
        if (options.WorkloadAccountCount > 0) { args.Add("--workload-accounts"); args.Add(options.WorkloadAccountCount.ToString(System.Globalization.CultureInfo.InvariantCulture)); }
        if (!string.IsNullOrEmpty(options.StatePath)) { args.Add("--state"); args.Add(Quote(options.StatePath!)); }
        if (options.TimeScale != 1) { args.Add("--time-scale"); args.Add(options.TimeScale.ToString(System.Globalization.CultureInfo.InvariantCulture)); }
        if (options.AutoAdvance) { args.Add("--auto-advance"); }
        return string.Join(" ", args);
    }

    private static string Quote(string value) => "\"" + value.Replace("\"", "\\\"") + "\"";

    private static async Task<Uri> ReadReadyUrlAsync(Process process, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        var readLine = Task.Run(async () =>
        {
            string? line;
            while ((line = await process.StandardOutput.ReadLineAsync().ConfigureAwait(false)) is not null)
            {
                if (line.StartsWith(ReadyPrefix, StringComparison.Ordinal))
                {
                    return new Uri(line.Substring(ReadyPrefix.Length).Trim());
                }
            }
            throw new SandboxException($"LocalCloud exited with code {(process.WaitForExit(2000) ? process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "unknown")} before it was ready.");
        }, CancellationToken.None);
        var finished = await Task.WhenAny(readLine, Task.Delay(Timeout.Infinite, timeoutSource.Token)).ConfigureAwait(false);
        if (finished != readLine)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new SandboxException($"LocalCloud was not ready within {timeout.TotalSeconds:0} s.");
        }
        return await readLine.ConfigureAwait(false);
    }

    public static async Task<SandboxOrganization> GetOrganizationAsync(Uri url, CancellationToken cancellationToken)
    {
        using var document = await GetJsonAsync(url, "org", cancellationToken).ConfigureAwait(false);
        return SandboxOrganization.FromJson(document.RootElement, url);
    }

    internal static Task<JsonDocument> GetJsonAsync(Uri url, string adminPath, CancellationToken cancellationToken) =>
        SendForJsonAsync(url, HttpMethod.Get, adminPath, null, cancellationToken);

    internal static async Task SendAsync(Uri url, HttpMethod method, string adminPath, string? jsonBody, CancellationToken cancellationToken)
    {
        using var response = await SendRequestAsync(url, method, adminPath, jsonBody, cancellationToken).ConfigureAwait(false);
    }

    internal static async Task<JsonDocument> SendForJsonAsync(Uri url, HttpMethod method, string adminPath, string? jsonBody, CancellationToken cancellationToken)
    {
        using var response = await SendRequestAsync(url, method, adminPath, jsonBody, cancellationToken).ConfigureAwait(false);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync().ConfigureAwait(false));
    }

    private static async Task<HttpResponseMessage> SendRequestAsync(Uri url, HttpMethod method, string adminPath, string? jsonBody, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, AdminUri(url, adminPath));
        if (jsonBody is not null)
        {
            request.Content = new StringContent(jsonBody, Encoding.UTF8, "application/json");
        }
        var response = await Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureSuccessAsync(response, adminPath).ConfigureAwait(false);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static Uri AdminUri(Uri url, string adminPath) => new(url, "/_localcloud/" + adminPath);

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string adminPath)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            throw new SandboxException($"LocalCloud admin call '{adminPath}' failed with HTTP {(int)response.StatusCode}: {body}");
        }
    }

    public void Dispose() => Stop(_process);

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                // Closing stdin asks LocalCloud to shut down; kill it if it does not.
                try { process.StandardInput.Close(); } catch (IOException) { }
                if (!process.WaitForExit(3000))
                {
                    process.Kill();
                    process.WaitForExit(3000);
                }
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            process.Dispose();
        }
    }
}

public sealed class SandboxStartOptions
{
    public SandboxStartOptions(string dotnetPath, string localCloudPath)
    {
        DotnetPath = dotnetPath;
        LocalCloudPath = localCloudPath;
    }

    public string DotnetPath { get; }
    public string LocalCloudPath { get; }
    public int Port { get; set; }
    public string? SeedPath { get; set; }
    public int WorkloadAccountCount { get; set; }
    public string? StatePath { get; set; }
    /// <summary>Simulated seconds per real second (LocalCloud's --time-scale, 1 to 3600).</summary>
    public int TimeScale { get; set; } = 1;
    /// <summary>Whether the simulated clock skips ahead to the next pending job when LocalCloud is idle (--auto-advance).</summary>
    public bool AutoAdvance { get; set; }
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);
}

public sealed class SandboxException : Exception
{
    public SandboxException(string message, Exception? inner = null) : base(message, inner) { }
}
