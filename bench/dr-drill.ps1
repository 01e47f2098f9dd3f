<#
.SYNOPSIS
    Issue 17's drill figures: on the sample organization in LocalCloud, a Multi-AZ application in production backs up
    hourly (continuous backup for its database), the copies reach the DR account's vault, and Invoke-DrFailover runs a
    drill and then a failover (no hosted zone: the DR endpoint is returned) from the pilot light in us-west-2. Prints,
    per run, the RTO, the RPO (from the data's capture), each step's simulated seconds, and whether the 1-hour targets
    were met, as key=value lines (docs/benchmarks.md, "bench/dr-drill.ps1").
.PARAMETER TimeScale
    Simulated seconds per real second (LocalCloud's clock). The figures are simulated time; real time only bounds how
    long the bench runs, but a loaded machine adds its slowness times this scale to the RTO.
.EXAMPLE
    dotnet pwsh ./bench/dr-drill.ps1
#>
param([int] $TimeScale = 20)
$ErrorActionPreference = 'Stop'
Set-Location (Join-Path $PSScriptRoot '..')
Import-Module ./tests/pester/TestHelpers.psm1 -Force
Import-CloudPatternsUnderTest
$sandbox = Start-CloudSandbox -Force -TimeScale $TimeScale
try {
    $admin = $sandbox.Url.ToString().TrimEnd('/') + '/_localcloud'
    $logArchive = '222222222222'; $production = '333333333333'; $drAccount = '555555555555'
    function Set-NextHour([int] $Minutes) {
        $now = (Get-CloudSandboxClock).Now.UtcDateTime
        Set-CloudSandboxClock -To ([datetimeoffset]::new($now.Date.AddHours($now.Hour + 1).AddMinutes($Minutes), [timespan]::Zero)) | Out-Null
    }
    Set-NextHour 30
    Set-CrossAccountBackup -AccountId $production -VaultAccountId $logArchive -PrimaryRegion us-east-2 -DrRegion us-west-2 -EvidenceBucketName org-dr-evidence `
        -DrAccountId $drAccount -NoOrchestrator -Schedule Hourly -ContinuousBackup -RetentionDays 35 -ResourceTag 'cloudpatterns:backup-plan=cloudpatterns-dr' -Confirm:$false | Out-Null
    $certificate = (Get-MultiAzCertificate -AccountId $production -Region us-east-2).CertificateArn
    New-MultiAzStack -StackName shop -AccountId $production -Region us-east-2 -CertificateArn $certificate | Out-Null
    # The next hourly run captures the database; its copies reach the central vaults by :12, the DR account at :16.
    Set-NextHour 15
    Invoke-FailoverSandbox copy-to-dr | Out-Null
    $common = @{ StackName = 'shop'; AccountId = $production; Region = 'us-east-2'; VaultAccountId = $logArchive; PollInterval = [timespan]'00:00:00.5'; Confirm = $false }
    $runs = [ordered]@{ drill = Invoke-DrFailover @common -Drill; failover = Invoke-DrFailover @common }
    foreach ($run in $runs.GetEnumerator()) {
        $timeline = $run.Value
        "$($run.Key)_status=$($timeline.Status)"
        "$($run.Key)_rto_seconds=$([math]::Round($timeline.Rto.TotalSeconds))"
        "$($run.Key)_rpo_seconds=$([math]::Round($timeline.Rpo.TotalSeconds))"
        "$($run.Key)_rto_met=$($timeline.RtoMet)"
        "$($run.Key)_rpo_met=$($timeline.RpoMet)"
        foreach ($step in $timeline.Steps) { "$($run.Key)_step_$($step.Name)_seconds=$([math]::Round(($step.EndedAt - $step.StartedAt).TotalSeconds))" }
    }
    "load_average=$((Get-Content /proc/loadavg -ErrorAction SilentlyContinue) -split ' ' | Select-Object -First 1)"
} finally { Stop-CloudSandbox }
