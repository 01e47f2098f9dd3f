<#
.SYNOPSIS
    Fan-out throughput: a per-account read over 200 generated accounts × 2 regions with 50 ms injected latency on
    every LocalCloud call and -ThrottleLimit 16. Prints the wall time over the latency bound
    (calls per target × 50 ms × ceil(targets / 16)) as ratio_to_bound=<x> on its last line, and before it the CPU
    milliseconds per call of the module (this pwsh process) and of LocalCloud (its process) during the measured part.
.EXAMPLE
    dotnet pwsh ./bench/fanout.ps1
#>
param(
    [int] $Accounts = 200,
    [int] $LatencyMs = 50,
    [int] $ThrottleLimit = 16,
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/CloudPatterns/CloudPatterns.psd1')
)
$ErrorActionPreference = 'Stop'
if (-not (Test-Path $ModulePath)) { throw "Build first: $ModulePath is missing (./build.ps1 -Task Build)." }
Import-Module $ModulePath -Force
$sandbox = Start-CloudSandbox -WorkloadAccountCount $Accounts -Force
try {
    $regions = $sandbox.Regions | Select-Object -First 2
    $accountIds = @(Get-OrgAccount | Where-Object Name -like 'workload-*' | ForEach-Object AccountId)
    if ($accountIds.Count -ne $Accounts) { throw "Expected $Accounts generated accounts, found $($accountIds.Count)." }
    $targets = $accountIds.Count * $regions.Count

    # LocalCloud is the child process Start-CloudSandbox started from this session.
    $localCloud = Get-Process | Where-Object { $_.Parent.Id -eq $PID -and $_.CommandLine -like '*CloudPatterns.LocalCloud.dll*' } | Select-Object -First 1
    if (-not $localCloud) { throw "LocalCloud's process (a child of $PID) was not found." }
    $module = Get-Process -Id $PID

    Set-CloudSandboxFault -LatencyMs $LatencyMs
    Get-CloudSandboxRequestLog -Clear | Out-Null
    $module.Refresh(); $localCloud.Refresh()
    $moduleCpu = $module.TotalProcessorTime
    $localCloudCpu = $localCloud.TotalProcessorTime
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $stacks = @(Get-PatternStack -AccountId $accountIds -Region $regions -ThrottleLimit $ThrottleLimit -All -ErrorVariable failures)
    $watch.Stop()
    $module.Refresh(); $localCloud.Refresh()
    $moduleCpu = ($module.TotalProcessorTime - $moduleCpu).TotalMilliseconds
    $localCloudCpu = ($localCloud.TotalProcessorTime - $localCloudCpu).TotalMilliseconds
    $calls = @(Get-CloudSandboxRequestLog).Count
    Clear-CloudSandboxFault
    if ($failures.Count) { throw "$($failures.Count) targets failed: $($failures[0])" }

    $callsPerTarget = $calls / $targets
    $boundMs = $callsPerTarget * $LatencyMs * [math]::Ceiling($targets / $ThrottleLimit)
    'targets={0} calls={1} calls_per_target={2:0.###} latency_ms={3} throttle_limit={4}' -f $targets, $calls, $callsPerTarget, $LatencyMs, $ThrottleLimit
    'wall_ms={0:0} bound_ms={1:0}' -f $watch.Elapsed.TotalMilliseconds, $boundMs
    'module_cpu_ms_per_call={0:0.###} localcloud_cpu_ms_per_call={1:0.###} cpu_cores_busy={2:0.##}' -f ($moduleCpu / $calls), ($localCloudCpu / $calls), (($moduleCpu + $localCloudCpu) / $watch.Elapsed.TotalMilliseconds)
    'ratio_to_bound={0:0.###}' -f ($watch.Elapsed.TotalMilliseconds / $boundMs)
}
finally {
    Stop-CloudSandbox
}
