using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using CloudPatterns.Aws;
using CloudPatterns.Core.Sandbox;
using CloudPatterns.PowerShell.Infrastructure;

namespace CloudPatterns.PowerShell.Cmdlets;

/// <summary>The sandbox this PowerShell process started, shared by the sandbox cmdlets.</summary>
internal static class CurrentSandbox
{
    private static readonly object Gate = new();
    private static SandboxHost? _host;
    private static SandboxEnvironment? _environment;

    public static SandboxHost? Host { get { lock (Gate) { return _host is { HasExited: false } ? _host : null; } } }

    public static void Set(SandboxHost host, SandboxEnvironment environment)
    {
        lock (Gate) { _host = host; _environment = environment; }
    }

    public static SandboxHost? Take(out SandboxEnvironment? environment)
    {
        lock (Gate)
        {
            var host = _host;
            environment = _environment;
            _host = null;
            _environment = null;
            return host;
        }
    }

    /// <summary>The URL given, else the running sandbox's; a clear error when there is neither.</summary>
    public static Uri ResolveUrl(string? url)
    {
        if (!string.IsNullOrEmpty(url))
        {
            if (Uri.TryCreate(url, UriKind.Absolute, out var parsed) && (parsed.Scheme == Uri.UriSchemeHttp || parsed.Scheme == Uri.UriSchemeHttps))
            {
                return parsed;
            }
            throw new ArgumentException($"'{url}' is not an http(s) URL. Give the URL LocalCloud printed, e.g. http://127.0.0.1:5000.");
        }
        return Host?.Url ?? throw new InvalidOperationException("No CloudSandbox is running in this session. Run Start-CloudSandbox first, or give -Url.");
    }

    public static string LocalCloudPath()
    {
        var moduleDirectory = Path.GetDirectoryName(typeof(CurrentSandbox).Assembly.Location) ?? ".";
        return Path.Combine(moduleDirectory, "LocalCloud", "CloudPatterns.LocalCloud.dll");
    }

    /// <summary>The dotnet host that can run LocalCloud: this process when it is one, else DOTNET_ROOT, else PATH.</summary>
    public static string DotnetPath()
    {
        var executable = "dotnet" + (Environment.OSVersion.Platform == PlatformID.Win32NT ? ".exe" : string.Empty);
        using var current = Process.GetCurrentProcess();
        var self = current.MainModule?.FileName;
        if (self is not null && string.Equals(Path.GetFileName(self), executable, StringComparison.OrdinalIgnoreCase))
        {
            return self;
        }
        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (!string.IsNullOrEmpty(root) && File.Exists(Path.Combine(root, executable)))
        {
            return Path.Combine(root, executable);
        }
        return executable;
    }
}

/// <summary>Start-CloudSandbox: starts LocalCloud and points this session at its management account.</summary>
[Cmdlet(VerbsLifecycle.Start, "CloudSandbox", SupportsShouldProcess = true)]
[OutputType(typeof(CloudSandbox))]
public sealed class StartCloudSandboxCommand : CloudPatternsCmdlet
{
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? SeedPath { get; set; }

    [Parameter]
    [ValidateRange(0, 5000)]
    public int WorkloadAccountCount { get; set; }

    [Parameter]
    [ValidateRange(0, 65535)]
    public int Port { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? StatePath { get; set; }

    /// <summary>The region the session's AWS_REGION is set to; the seed's first region when not given.</summary>
    [Parameter]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.Region))]
    public string? Region { get; set; }

    /// <summary>Simulated seconds per real second: 60 makes a simulated minute pass in a real second.</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int TimeScale { get; set; } = 1;

    /// <summary>On unless given as -AutoAdvance:$false: idle LocalCloud skips its clock to the next pending job's due time.</summary>
    [Parameter]
    public SwitchParameter AutoAdvance { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void EndProcessing()
    {
        // Everything is checked before the running sandbox is touched.
        var seed = SeedPath is null ? null : GetUnresolvedProviderPathFromPSPath(SeedPath);
        if (seed is not null && !File.Exists(seed))
        {
            ThrowTerminating(new FileNotFoundException($"The seed file '{seed}' does not exist. Give a YAML org file, or leave -SeedPath out for the sample org."),
                ErrorReason.SeedNotFound, ErrorCategory.ObjectNotFound, SeedPath);
        }
        if (CurrentSandbox.Host is { } running)
        {
            if (!Force)
            {
                ThrowTerminating(new InvalidOperationException($"A CloudSandbox is already running at {running.Url}. Run Stop-CloudSandbox first, or use -Force to replace it."),
                    ErrorReason.SandboxAlreadyRunning, ErrorCategory.ResourceExists, running.Url);
            }
            if (!ShouldProcess(running.Url.ToString(), "Stop the running CloudSandbox"))
            {
                return;
            }
            StopCloudSandboxCommand.StopCurrent();
        }
        if (!ShouldProcess("LocalCloud on 127.0.0.1", "Start a CloudSandbox and point this session's AWS environment variables at it"))
        {
            return;
        }

        var options = new SandboxStartOptions(CurrentSandbox.DotnetPath(), CurrentSandbox.LocalCloudPath())
        {
            Port = Port,
            SeedPath = seed,
            WorkloadAccountCount = WorkloadAccountCount,
            StatePath = StatePath is null ? null : GetUnresolvedProviderPathFromPSPath(StatePath),
            TimeScale = TimeScale,
            AutoAdvance = !MyInvocation.BoundParameters.ContainsKey(nameof(AutoAdvance)) || AutoAdvance.IsPresent,
        };
        SandboxHost? host = null;
        try
        {
            RunOnWorker(async (_, cancellation) => host = await SandboxHost.StartAsync(options, cancellation).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is SandboxException or FileNotFoundException)
        {
            ThrowTerminating(ex, ErrorReason.SandboxStartFailed, ErrorCategory.OpenError, options.LocalCloudPath);
        }

        var region = Region ?? host!.Organization.Regions.FirstOrDefault() ?? "us-east-1";
        var environment = SandboxEnvironment.Apply(host!.Organization, region);
        CurrentSandbox.Set(host, environment);
        Completion.AwsListingCompleter.Forget();
        WriteVerbose($"LocalCloud is listening on {host.Url} (process {host.ProcessId}); AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_REGION now point at account {host.Organization.ManagementAccountId}.");
        WriteObject(new CloudSandbox(host.Organization, host.ProcessId, region));
    }
}

/// <summary>Stop-CloudSandbox: stops the sandbox this session started and restores the environment it replaced.</summary>
[Cmdlet(VerbsLifecycle.Stop, "CloudSandbox", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class StopCloudSandboxCommand : CloudPatternsCmdlet
{
    protected override void EndProcessing()
    {
        var running = CurrentSandbox.Host;
        if (running is null)
        {
            WriteWarning("No CloudSandbox is running in this session; nothing to stop.");
            return;
        }
        if (ShouldProcess(running.Url.ToString(), "Stop CloudSandbox and restore the AWS environment variables"))
        {
            StopCurrent();
        }
    }

    internal static void StopCurrent()
    {
        var host = CurrentSandbox.Take(out var environment);
        environment?.Restore();
        host?.Dispose();
        Completion.AwsListingCompleter.Forget();
    }
}

/// <summary>Set-CloudSandboxFault: injects latency, throttling or errors into matching LocalCloud calls.</summary>
[Cmdlet(VerbsCommon.Set, "CloudSandboxFault", SupportsShouldProcess = true)]
[OutputType(typeof(SandboxFault))]
public sealed class SetCloudSandboxFaultCommand : CloudPatternsCmdlet
{
    [Parameter(Position = 0)]
    [ValidatePattern("^[a-z0-9-]+$")]
    public string? Service { get; set; }

    [Parameter(Position = 1)]
    [ValidatePattern("^[A-Za-z0-9]+$")]
    public string? Operation { get; set; }

    [Parameter]
    [ValidateRange(0, 600000)]
    public int LatencyMs { get; set; }

    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double ThrottleRate { get; set; }

    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double ErrorRate { get; set; }

    [Parameter]
    [ValidatePattern("^[A-Za-z0-9.]+$")]
    public string? ErrorCode { get; set; }

    [Parameter]
    public string? Url { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void EndProcessing()
    {
        if (ErrorRate > 0 && ErrorCode is null)
        {
            ThrowTerminating(new ArgumentException("-ErrorRate needs -ErrorCode: the AWS error code LocalCloud should answer with, e.g. InternalFailure."),
                ErrorReason.ErrorCodeRequired, ErrorCategory.InvalidArgument, ErrorRate);
        }
        var url = SandboxUrl.Resolve(this, Url);
        var fault = new SandboxFault { Service = Service, Operation = Operation, LatencyMs = LatencyMs, ThrottleRate = ThrottleRate, ErrorRate = ErrorRate, ErrorCode = ErrorCode };
        var scope = $"{Service ?? "every service"}/{Operation ?? "every operation"}";
        if (ShouldProcess(scope, $"Inject latency {LatencyMs} ms, throttle rate {ThrottleRate}, error rate {ErrorRate}"))
        {
            RunOnWorker((_, cancellation) => SandboxAdmin.SetFaultAsync(url, fault, cancellation));
            if (PassThru) { WriteObject(fault); }
        }
    }
}

/// <summary>Clear-CloudSandboxFault: removes every injected fault.</summary>
[Cmdlet(VerbsCommon.Clear, "CloudSandboxFault", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class ClearCloudSandboxFaultCommand : CloudPatternsCmdlet
{
    [Parameter]
    public string? Url { get; set; }

    protected override void EndProcessing()
    {
        var url = SandboxUrl.Resolve(this, Url);
        if (ShouldProcess(url.ToString(), "Clear every injected fault"))
        {
            RunOnWorker((_, cancellation) => SandboxAdmin.ClearFaultsAsync(url, cancellation));
        }
    }
}

/// <summary>Get-CloudSandboxRequestLog: the calls LocalCloud received, for asserting what a command did.</summary>
[Cmdlet(VerbsCommon.Get, "CloudSandboxRequestLog")]
[OutputType(typeof(SandboxRequest))]
public sealed class GetCloudSandboxRequestLogCommand : CloudPatternsCmdlet
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    public string? Service { get; set; }

    [Parameter(Position = 1)]
    [SupportsWildcards]
    public string? Operation { get; set; }

    [Parameter]
    public SwitchParameter MutatingOnly { get; set; }

    /// <summary>Empties the log after reading it, so the next read shows only newer calls.</summary>
    [Parameter]
    public SwitchParameter Clear { get; set; }

    [Parameter]
    public string? Url { get; set; }

    protected override void EndProcessing()
    {
        var url = SandboxUrl.Resolve(this, Url);
        var service = Service is null ? null : new WildcardPattern(Service, WildcardOptions.IgnoreCase);
        var operation = Operation is null ? null : new WildcardPattern(Operation, WildcardOptions.IgnoreCase);
        RunOnWorker(async (queue, cancellation) =>
        {
            var requests = await SandboxAdmin.GetRequestLogAsync(url, cancellation).ConfigureAwait(false);
            var status = await SandboxAdmin.GetRequestLogStatusAsync(url, cancellation).ConfigureAwait(false);
            if (status.Dropped > 0)
            {
                queue.Post(() => WriteWarning($"The request log dropped its {status.Dropped} oldest entries since it was last cleared (it keeps {status.Capacity}): clear it between flows, or start LocalCloud with a larger --request-log-size."));
            }

            if (Clear)
            {
                await SandboxAdmin.ClearRequestLogAsync(url, cancellation).ConfigureAwait(false);
            }
            foreach (var request in requests)
            {
                if ((service is null || service.IsMatch(request.Service)) && (operation is null || operation.IsMatch(request.Operation)) && (!MutatingOnly || request.Mutating))
                {
                    queue.Post(() => WriteObject(request));
                }
            }
        });
    }
}

internal static class SandboxUrl
{
    public static Uri Resolve(CloudPatternsCmdlet cmdlet, string? url)
    {
        try
        {
            return CurrentSandbox.ResolveUrl(url);
        }
        catch (ArgumentException ex)
        {
            cmdlet.ThrowTerminating(ex, ErrorReason.InvalidSandboxUrl, ErrorCategory.InvalidArgument, url);
            throw;
        }
        catch (InvalidOperationException ex)
        {
            cmdlet.ThrowTerminating(ex, ErrorReason.NoSandboxRunning, ErrorCategory.ResourceUnavailable, null);
            throw;
        }
    }
}

/// <summary>Set-CloudSandboxClock: moves LocalCloud's simulated clock so schedules, jobs and expiries fall due.</summary>
[Cmdlet(VerbsCommon.Set, "CloudSandboxClock", SupportsShouldProcess = true, DefaultParameterSetName = "Advance")]
[OutputType(typeof(SandboxClock))]
public sealed class SetCloudSandboxClockCommand : CloudPatternsCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Advance")]
    public TimeSpan Advance { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "To")]
    public DateTimeOffset To { get; set; }

    [Parameter]
    public string? Url { get; set; }

    protected override void EndProcessing()
    {
        var url = SandboxUrl.Resolve(this, Url);
        var advancing = ParameterSetName == "Advance";
        if (advancing && Advance < TimeSpan.Zero)
        {
            ThrowTerminating(new ArgumentException($"-Advance {Advance} goes backwards; the simulated clock only moves forward. Give a positive TimeSpan, e.g. (New-TimeSpan -Hours 26)."),
                ErrorReason.ClockCannotGoBack, ErrorCategory.InvalidArgument, Advance);
        }
        var target = advancing ? $"forward by {Advance}" : $"to {To:o}";
        if (!ShouldProcess(url.ToString(), $"Move the simulated clock {target} and run what falls due"))
        {
            return;
        }
        SandboxClock? clock = null;
        try
        {
            RunOnWorker(async (_, cancellation) => clock = await SandboxAdmin.MoveClockAsync(url, advancing ? Advance : null, advancing ? null : To, cancellation).ConfigureAwait(false));
        }
        catch (SandboxException ex)
        {
            ThrowTerminating(ex, ErrorReason.ClockNotMoved, ErrorCategory.InvalidArgument, advancing ? Advance : To);
        }
        WriteObject(clock);
    }
}

/// <summary>Get-CloudSandboxClock: LocalCloud's simulated time and how far it is ahead of real time.</summary>
[Cmdlet(VerbsCommon.Get, "CloudSandboxClock")]
[OutputType(typeof(SandboxClock))]
public sealed class GetCloudSandboxClockCommand : CloudPatternsCmdlet
{
    [Parameter]
    public string? Url { get; set; }

    protected override void EndProcessing()
    {
        var url = SandboxUrl.Resolve(this, Url);
        RunOnWorker(async (queue, cancellation) =>
        {
            var clock = await SandboxAdmin.GetClockAsync(url, cancellation).ConfigureAwait(false);
            queue.Post(() => WriteObject(clock));
        });
    }
}
