using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CloudPatterns.Core.Tests.DisasterRecovery;

/// <summary>What the browser made of a page: its DOM after load, what it wrote to its console, what it asked the network for.</summary>
public sealed record BrowserPage(string Dom, IReadOnlyList<string> ConsoleMessages, IReadOnlyList<string> PageRequests);

/// <summary>
/// Debian's <c>chromium</c> (installed by .ci/run), headless, with the network cut off: every host name resolves to
/// nothing and every connection goes to a proxy that is not there. Requests the page makes are read from Chromium's
/// own NetLog (URL_REQUEST_START_JOB events whose network isolation key is the file:// page, so the browser's own
/// background requests do not count), console messages from its log on stderr.
/// </summary>
public static class HeadlessChromium
{
    public const string Executable = "/usr/bin/chromium";

    private static readonly Regex ConsoleLine = new(@":CONSOLE[:(]\d+\)?\] (?<message>.*)$", RegexOptions.Multiline);

    public static async Task<BrowserPage> LoadAsync(string htmlPath, string? screenshotPath = null)
    {
        Assert.True(File.Exists(Executable), $"{Executable} is missing: install Debian's chromium (apt-get install -y chromium; .ci/run does).");
        string work = Path.Combine(Path.GetTempPath(), "chromium-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            string netLog = Path.Combine(work, "netlog.json");
            var arguments = new List<string>
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions", "--disable-sync",
                "--disable-background-networking", "--disable-component-update", "--disable-default-apps",
                $"--user-data-dir={Path.Combine(work, "profile")}", "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9",
                $"--log-net-log={netLog}", "--enable-logging=stderr", "--v=0", "--window-size=1280,2400", "--virtual-time-budget=2000",
            };
            arguments.Add(screenshotPath is null ? "--dump-dom" : $"--screenshot={screenshotPath}");
            arguments.Add(new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri);
            (string stdout, string stderr) = await RunAsync(arguments);
            var console = ConsoleLine.Matches(stderr).Select(m => m.Groups["message"].Value).ToList();
            return new BrowserPage(stdout, console, PageRequests(netLog));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static List<string> PageRequests(string netLog)
    {
        using JsonDocument log = JsonDocument.Parse(File.ReadAllText(netLog));
        int startJob = log.RootElement.GetProperty("constants").GetProperty("logEventTypes").GetProperty("URL_REQUEST_START_JOB").GetInt32();
        var requests = new List<string>();
        foreach (JsonElement entry in log.RootElement.GetProperty("events").EnumerateArray())
        {
            if (entry.GetProperty("type").GetInt32() == startJob && entry.TryGetProperty("params", out JsonElement parameters)
                && parameters.TryGetProperty("url", out JsonElement url) && parameters.TryGetProperty("network_isolation_key", out JsonElement isolation)
                && isolation.GetString()!.StartsWith("file://", StringComparison.Ordinal) && !url.GetString()!.StartsWith("file:", StringComparison.Ordinal))
            {
                requests.Add(url.GetString()!);
            }
        }

        return requests;
    }

    private static async Task<(string Stdout, string Stderr)> RunAsync(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("chromium did not finish within 90 s.");
        }

        Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}: {await stderr}");
        return (await stdout, await stderr);
    }
}
