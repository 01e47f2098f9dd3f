<#
.SYNOPSIS
    Concurrent DR validation: 60 recovery points across 10 generated accounts (6 DynamoDB tables each, backed up into
    a vault of their own through the Backup API: bench/validation_setup.py), every restore taking one simulated
    minute on a real-time clock (-TimeScale 1, auto-advance off). Measures Invoke-DrValidation over one recovery
    point, then over all 60 with -ThrottleLimit 64, and prints the ratio of the two wall times as
    ratio_to_one_restore=<x> on its last line (goal: at most 2; restoring one at a time would be about 60).
.EXAMPLE
    dotnet pwsh ./bench/validation.ps1
#>
param(
    [int] $Accounts = 10,
    [int] $PointsPerAccount = 6,
    [int] $ThrottleLimit = 64,
    [timespan] $PollInterval = '00:00:05',
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/CloudPatterns/CloudPatterns.psd1')
)
$ErrorActionPreference = 'Stop'
if (-not (Test-Path $ModulePath)) { throw "Build first: $ModulePath is missing (./build.ps1 -Task Build)." }
Import-Module $ModulePath -Force
$python = if (Get-Command python3 -ErrorAction SilentlyContinue) { 'python3' } else { 'python' }
$sandbox = Start-CloudSandbox -WorkloadAccountCount $Accounts -AutoAdvance:$false -Force
try {
    $admin = $sandbox.Url.ToString().TrimEnd('/') + '/_localcloud'
    $region = 'us-east-2'
    $logArchive = '222222222222'
    # The evidence bucket and its signing key, as the DR setup makes them.
    Get-OrgAccount | Where-Object Name -eq production | Set-CrossAccountBackup -VaultAccountId $logArchive -PrimaryRegion $region `
        -DrRegion us-west-2 -EvidenceBucketName org-dr-evidence -DrAccountId 555555555555 -NoOrchestrator -Confirm:$false | Out-Null
    $accountIds = @(Get-OrgAccount | Where-Object Name -like 'workload-*' | ForEach-Object AccountId)
    if ($accountIds.Count -ne $Accounts) { throw "Expected $Accounts generated accounts, found $($accountIds.Count)." }
    Invoke-RestMethod -Method Put "$admin/backup/job-timings" -Body '{"backup":{"queued":"PT0S","running":"PT1S"},"restore":{"queued":"PT0S","running":"PT1M"}}' | Out-Null
    $setup = & $python (Join-Path $PSScriptRoot 'validation_setup.py') $env:AWS_ENDPOINT_URL $region bench $PointsPerAccount @accountIds
    if ($LASTEXITCODE -ne 0) { throw "validation_setup.py failed: $setup" }
    "backup_jobs=$setup"

    $common = @{
        Region = $region; BackupVaultName = 'bench'; EvidenceBucket = 'org-dr-evidence'; EvidenceAccountId = $logArchive
        EvidenceRegion = $region; PollInterval = $PollInterval; Confirm = $false; InformationAction = 'SilentlyContinue'
    }
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $one = @(Invoke-DrValidation @common -AccountId $accountIds[0] -ResourceArn '*:table/bench-1')
    $oneMs = $watch.Elapsed.TotalMilliseconds
    if ($one.Count -ne 1 -or -not $one[0].Passed) { throw "The single validation did not pass: $($one | Out-String)" }

    $log = (Get-CloudSandboxRequestLog -Clear | Measure-Object).Count
    $watch.Restart()
    $all = @(Invoke-DrValidation @common -AccountId $accountIds -ThrottleLimit $ThrottleLimit -ErrorVariable failures)
    $allMs = $watch.Elapsed.TotalMilliseconds
    $calls = @(Get-CloudSandboxRequestLog).Count
    if ($failures.Count) { throw "$($failures.Count) targets failed: $($failures[0])" }
    $expected = $Accounts * $PointsPerAccount
    if ($all.Count -ne $expected) { throw "Expected $expected results, got $($all.Count)." }
    $evidence = @(Get-AuditEvidence -Bucket org-dr-evidence -EvidenceAccountId $logArchive -EvidenceRegion $region -WarningAction SilentlyContinue)
    'recovery_points={0} accounts={1} throttle_limit={2} poll_s={3} passed={4} calls={5}' -f $all.Count, $Accounts, $ThrottleLimit, $PollInterval.TotalSeconds, @($all | Where-Object Passed).Count, $calls
    'evidence_records={0} verified={1}' -f $evidence.Count, @($evidence | Where-Object Verified).Count
    'one_restore_s={0:0.0} all_s={1:0.0}' -f ($oneMs / 1000), ($allMs / 1000)
    'ratio_to_one_restore={0:0.###}' -f ($allMs / $oneMs)
}
finally {
    Stop-CloudSandbox
}
