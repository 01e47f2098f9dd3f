<#
.SYNOPSIS
    The README's disaster-recovery tour against a default sandbox (Start-CloudSandbox with no parameters: real-time
    clock, auto-advance on), never touching LocalCloud's admin API. Before Invoke-DrValidation it backs up production
    on demand and copies the recovery points to the central vault in the DR region (through the Backup API as a user
    would: tests/pester/support/backup_job.py drill), since the plans' nightly schedule has not run in a fresh sandbox.
    Prints each step's wall time and, on its last line, wall_s=<seconds> for the whole tour from Start-CloudSandbox (goal: under 120).
.EXAMPLE
    dotnet pwsh ./bench/dr-tour.ps1
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/CloudPatterns/CloudPatterns.psd1'),
    [string] $WorkingDirectory = (Join-Path ([IO.Path]::GetTempPath()) "dr-tour-$PID")
)
$ErrorActionPreference = 'Stop'
if (-not (Test-Path $ModulePath)) { throw "Build first: $ModulePath is missing (./build.ps1 -Task Build)." }
Import-Module $ModulePath -Force
$python = if (Get-Command python3 -ErrorAction SilentlyContinue) { 'python3' } else { 'python' }
New-Item -ItemType Directory -Force $WorkingDirectory | Out-Null
$total = [Diagnostics.Stopwatch]::StartNew()
function Step([string] $Name, [scriptblock] $Script) {
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $result = & $Script
    'step={0} wall_s={1:0.0}' -f $Name, $watch.Elapsed.TotalSeconds | Write-Host
    $result
}
try {
    Step Start-CloudSandbox { Start-CloudSandbox -Force } | Out-Null
    Step Set-CrossAccountBackup {
        Get-OrgAccount | Where-Object Name -eq production | Set-CrossAccountBackup -VaultAccountId 222222222222 `
            -PrimaryRegion us-east-2 -DrRegion us-west-2 -EvidenceBucketName org-dr-evidence -DrAccountId 555555555555 -NoOrchestrator -Confirm:$false
    } | Out-Null
    Step Get-DrConfiguration { Get-DrConfiguration -VaultAccountId 222222222222 } | Out-Null
    Step Test-CrossAccountBackupReadiness { Get-OrgAccount | Where-Object Name -eq production | Test-CrossAccountBackupReadiness -VaultAccountId 222222222222 } | Out-Null
    $jobs = Step back-up-now {
        $output = & $python (Join-Path $PSScriptRoot '../tests/pester/support/backup_job.py') $env:AWS_ENDPOINT_URL drill
        if ($LASTEXITCODE -ne 0) { throw "backup_job.py drill failed: $output" }
        $output
    }
    "jobs=$jobs"
    $validated = @(Step Invoke-DrValidation { Invoke-DrValidation -VaultAccountId 222222222222 -RtoTarget 02:00:00 -Confirm:$false })
    'validated={0} statuses={1}' -f $validated.Count, (($validated | Group-Object Status | ForEach-Object { "$($_.Name):$($_.Count)" }) -join ',')
    $unverified = @(Step Get-AuditEvidence { Get-AuditEvidence -VaultAccountId 222222222222 | Where-Object { -not $_.Verified } })
    "unverified_evidence=$($unverified.Count)"
    Step Export-AuditReport { Export-AuditReport -VaultAccountId 222222222222 -Path (Join-Path $WorkingDirectory 'dr-audit.html') } | Out-Null
    $total.Stop()
    if ($validated.Count -eq 0) { throw 'Invoke-DrValidation validated nothing: the tour did not restore anything.' }
    $clock = Get-CloudSandboxClock
    'clock_offset={0} auto_advance={1}' -f $clock.Offset, $clock.AutoAdvance
    'wall_s={0:0.0}' -f $total.Elapsed.TotalSeconds
}
finally {
    Stop-CloudSandbox -ErrorAction SilentlyContinue
    Remove-Item -Recurse -Force $WorkingDirectory -ErrorAction SilentlyContinue
}
