<#
.SYNOPSIS
    StackSets at organization scale: one service-managed stack set of the member backup plan, deployed by a single
    CreateStackInstances to the Workloads OU of a sandbox with -Accounts generated accounts in two regions
    (MaxConcurrentPercentage 100, regions in parallel). Prints the instances, the operation's simulated time (LocalCloud's
    clock), the real time, and LocalCloud's peak memory (VmHWM of its process).
.EXAMPLE
    dotnet pwsh ./bench/stackset.ps1 -Accounts 1000
#>
param(
    [int] $Accounts = 1000,
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/CloudPatterns/CloudPatterns.psd1')
)
$ErrorActionPreference = 'Stop'
if (-not (Test-Path $ModulePath)) { throw "Build first: $ModulePath is missing (./build.ps1 -Task Build)." }
Import-Module $ModulePath -Force
$sandbox = Start-CloudSandbox -WorkloadAccountCount $Accounts -Force
try {
    $regions = @($sandbox.Regions | Select-Object -First 2)
    $python = if (Get-Command python3 -ErrorAction SilentlyContinue) { 'python3' } else { 'python' }
    $env:LOCALCLOUD_URL = $sandbox.Url.ToString().TrimEnd('/')
    $template = Join-Path $PSScriptRoot '../templates/disaster-recovery/member-backup-plan.yaml'
    $output = & $python (Join-Path $PSScriptRoot 'stackset.py') $template @regions
    if ($LASTEXITCODE -ne 0) { throw "stackset.py failed: $output" }
    $result = $output | ConvertFrom-Json
    # VmHWM: the largest resident set the LocalCloud process has had (Linux).
    $peak = (Get-Content "/proc/$($sandbox.ProcessId)/status" | Where-Object { $_ -like 'VmHWM:*' }) -replace '\D', ''
    'accounts={0} regions={1} instances={2} status={3} failed={4}' -f $Accounts, ($regions -join ','), $result.instances, $result.status, $result.failed
    'simulated_operation_s={0:0.###} real_s={1:0.###}' -f $result.simulated_s, $result.real_s
    'localcloud_peak_mb={0:0}' -f ([double]$peak / 1024)
}
finally {
    Stop-CloudSandbox
}
