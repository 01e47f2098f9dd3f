<#
.SYNOPSIS
    The DR-Orchestrator at scale: -Resources protected resources across -Accounts generated accounts (one in five a
    DynamoDB table, the others EBS volumes; bench/orchestrator_setup.py backs them up and copies the recovery points
    into the DR account's vault through log-archive's central vault, as the architecture's hops do), validated by the
    function in LocalCloud's Lambda (warm environments) with no cmdlet called: one scheduled event starts the restores
    (every restore takes -RestoreTime of simulated time), and the restore events, forwarded by EventBridge from the
    DR account to log-archive, bring each one to the function, which checks, deletes and records it. The simulated
    clock moves -Step at a time, waiting for the deliveries after each step.
    Prints one figure a line; the last is ratio_to_longest_restore=<x>: the simulated time from the scheduled event to
    the last record over the longest single restore (goal: at most 2). real_s is the real time of the measured part.
.EXAMPLE
    dotnet pwsh ./bench/orchestrator.ps1
.EXAMPLE
    dotnet pwsh ./bench/orchestrator.ps1 -Resources 20 -Accounts 2
#>
param(
    [ValidateRange(1, 1000)] [int] $Resources = 200,
    [ValidateRange(1, 100)] [int] $Accounts = 20,
    [timespan] $RestoreTime = '00:20:00',
    [timespan] $Step = '00:01:00',
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/CloudPatterns/CloudPatterns.psd1')
)
$ErrorActionPreference = 'Stop'
if ($Resources % $Accounts) { throw "-Resources $Resources is not a multiple of -Accounts ${Accounts}: each account holds as many." }
if (-not (Test-Path $ModulePath)) { throw "Build first: $ModulePath is missing (./build.ps1 -Task Build)." }
$zip = Join-Path (Split-Path $ModulePath) 'lambda/CloudPatterns.Lambda.zip'
Import-Module $ModulePath -Force
$python = if (Get-Command python3 -ErrorAction SilentlyContinue) { 'python3' } else { 'python' }
$support = Join-Path $PSScriptRoot '../tests/pester/support/orchestrator_sandbox.py'
$setup = Join-Path $PSScriptRoot 'orchestrator_setup.py'
function Invoke-Python([string] $Script) {
    $output = & $python $Script $env:AWS_ENDPOINT_URL @args
    if ($LASTEXITCODE -ne 0) { throw "$Script $args failed: $output" }
    $output
}
$iso = { param([timespan] $span) [System.Xml.XmlConvert]::ToString($span) }

$sandbox = Start-CloudSandbox -WorkloadAccountCount $Accounts -Force
$events = Join-Path ([System.IO.Path]::GetTempPath()) "bench-orchestrator-$PID"
New-Item -ItemType Directory -Force $events | Out-Null
try {
    $admin = $sandbox.Url.ToString().TrimEnd('/') + '/_localcloud'
    $logArchive = '222222222222'
    $midnight = [datetimeoffset]::new((Get-CloudSandboxClock).Now.UtcDateTime.Date.AddDays(1), [timespan]::Zero)
    Set-CloudSandboxClock -To $midnight | Out-Null
    Get-OrgAccount | Where-Object Name -eq production | Set-CrossAccountBackup -VaultAccountId $logArchive -PrimaryRegion us-east-2 `
        -DrRegion us-west-2 -EvidenceBucketName org-dr-evidence -DrAccountId 555555555555 -EvidenceWriterRoleName cloudpatterns-dr-orchestrator `
        -NoOrchestrator -RpoTarget 1.00:00:00 -Confirm:$false -WarningAction SilentlyContinue | Out-Null
    $accountIds = @(Get-OrgAccount | Where-Object Name -like 'workload-*' | ForEach-Object AccountId)
    if ($accountIds.Count -ne $Accounts) { throw "Expected $Accounts generated accounts, found $($accountIds.Count)." }
    Invoke-RestMethod -Method Put "$admin/backup/job-timings" -ContentType 'application/json' -Body (@{
            backup = @{ queued = 'PT0S'; running = 'PT1S' }; copy = @{ queued = 'PT0S'; running = 'PT1S' }
            restore = @{ queued = 'PT0S'; running = (& $iso $RestoreTime) }
        } | ConvertTo-Json) | Out-Null
    "recovery_points_by_type=$(Invoke-Python $setup setup ($Resources / $Accounts) @accountIds)"

    # Every resource is due in one run: a one-day coverage window and a daily schedule; a run may start them all.
    Invoke-Python $support deploy $zip DR_COVERAGE_DAYS=1 DR_SCHEDULE_HOURS=24 DR_RPO_HOURS=48 DR_RTO_MINUTES=120 "DR_MAX_RESTORES_PER_RUN=$Resources" | Out-Null
    Invoke-Python $support wire restores | Out-Null
    $now = ([datetimeoffset](Invoke-RestMethod "$admin/clock").now).UtcDateTime.ToString('yyyy-MM-ddTHH:mm:ssZ')
    $scheduled = Join-Path $events 'scheduled.json'
    [ordered]@{
        version = '0'; id = [guid]::NewGuid().ToString(); 'detail-type' = 'Scheduled Event'; source = 'aws.events'; account = $logArchive
        time = $now; region = 'us-east-2'; resources = @(); detail = @{}
    } | ConvertTo-Json | Set-Content -Path $scheduled -Encoding utf8NoBOM

    $watch = [Diagnostics.Stopwatch]::StartNew()
    $started = Invoke-Python $support invoke $scheduled | ConvertFrom-Json
    if ($started[0].functionError) { throw "The scheduled run failed: $($started[0].payload | ConvertTo-Json -Depth 5 -Compress)" }
    $measured = Invoke-Python $setup measure $Resources (& $iso $Step) | ConvertFrom-Json
    $watch.Stop()

    $evidence = @(Get-AuditEvidence -Bucket org-dr-evidence -EvidenceAccountId $logArchive -EvidenceRegion us-east-2 -WarningAction SilentlyContinue)
    $lines = @(Invoke-Python $support logs | ConvertFrom-Json) | Where-Object { $_ -like '{*' } | ForEach-Object { $_ | ConvertFrom-Json }
    'resources={0} accounts={1} restores_started={2} warnings={3}' -f $Resources, $Accounts, @($started[0].payload.items).Count, @($started[0].payload.warnings).Count
    'restores_ended={0} restores_failed={1} invocations_logged={2}' -f $measured.restores, $measured.failed, $lines.Count
    'evidence_records={0} verified={1} passed={2}' -f $evidence.Count, @($evidence | Where-Object Verified).Count, @($evidence | Where-Object Outcome -eq 'Passed').Count
    'simulated_s={0:0} longest_restore_s={1:0} step_s={2:0} clock_steps={3}' -f $measured.simulated_s, $measured.longest_restore_s, $Step.TotalSeconds, $measured.steps
    'real_s={0:0.0}' -f $watch.Elapsed.TotalSeconds
    'ratio_to_longest_restore={0:0.###}' -f ($measured.simulated_s / $measured.longest_restore_s)
}
finally {
    Stop-CloudSandbox
    Remove-Item -Recurse -Force $events -ErrorAction SilentlyContinue
}
