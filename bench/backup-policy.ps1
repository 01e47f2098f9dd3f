<#
.SYNOPSIS
    Organizations backup policies at organization scale: one policy attached to the Workloads OU of a sandbox with
    -Accounts generated accounts. LocalCloud recomputes every account's effective backup policy and puts the
    org-managed plans (two regions) in place before AttachPolicy answers. Prints the AttachPolicy, UpdatePolicy and
    DescribeEffectivePolicy times and LocalCloud's peak memory (VmHWM of its process).
.EXAMPLE
    dotnet pwsh ./bench/backup-policy.ps1 -Accounts 1000
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
    $python = if (Get-Command python3 -ErrorAction SilentlyContinue) { 'python3' } else { 'python' }
    $env:LOCALCLOUD_URL = $sandbox.Url.ToString().TrimEnd('/')
    $output = & $python (Join-Path $PSScriptRoot 'backup-policy.py')
    if ($LASTEXITCODE -ne 0) { throw "backup-policy.py failed: $output" }
    $result = $output | ConvertFrom-Json
    $peak = (Get-Content "/proc/$($sandbox.ProcessId)/status" | Where-Object { $_ -like 'VmHWM:*' }) -replace '\D', ''
    'accounts={0} org_plans_in_production={1}' -f ($Accounts + 5), $result.plans
    'attach_policy_ms={0:0} update_policy_ms={1:0} describe_effective_policy_ms={2:0.#}' -f $result.attach_ms, $result.update_ms, $result.describe_ms
    'localcloud_peak_mb={0:0}' -f ([double]$peak / 1024)
}
finally {
    Stop-CloudSandbox
}
