<#
.SYNOPSIS
    Evidence at scale: generates -Records signed, hash-chained evidence records spread over -Days (one run per day,
    written through the module's own evidence writer: Object Lock COMPLIANCE, KMS signature, signed digest), then
    measures in fresh processes Get-AuditEvidence streaming and verifying them (time to the first record, records per
    second, peak working set) and Export-AuditReport over the same set (time, peak working set). Goals (issue 16):
    first record within 2 s, Get-AuditEvidence under 200 MB, Export-AuditReport under 300 MB.
.EXAMPLE
    dotnet pwsh ./bench/evidence.ps1 -Records 100000
.EXAMPLE
    dotnet pwsh ./bench/evidence.ps1 -Records 5000 -Days 30
#>
param(
    [int] $Records = 100000,
    [int] $Days = 365,
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/CloudPatterns/CloudPatterns.psd1')
)
$ErrorActionPreference = 'Stop'
if (-not (Test-Path $ModulePath)) { throw "Build first: $ModulePath is missing (./build.ps1 -Task Build)." }
$ModulePath = (Resolve-Path $ModulePath).Path
Import-Module $ModulePath -Force
$pwsh = [Environment]::ProcessPath
[string[]] $prefix = if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { @(Join-Path $PSHOME 'pwsh.dll') } else { @() }
$logArchive = '222222222222'
$region = 'us-east-2'
$bucket = 'org-dr-evidence-bench'

# Runs a script in a fresh pwsh (the sandbox's AWS_* environment is inherited) and returns its output lines.
function Invoke-Fresh([string] $Script) {
    $output = & $pwsh @prefix -NoProfile -NonInteractive -Command $Script 2>&1
    if ($LASTEXITCODE -ne 0) { throw "child pwsh failed ($LASTEXITCODE): $($output -join "`n")" }
    $output
}

$sandbox = Start-CloudSandbox -Force
try {
    # The evidence bucket and its signing key (alias/cloudpatterns-dr-evidence-<bucket>), as the DR setup makes them.
    Get-OrgAccount | Where-Object Name -eq production | Set-CrossAccountBackup -VaultAccountId $logArchive -PrimaryRegion $region `
        -DrRegion us-west-2 -EvidenceBucketName $bucket -Confirm:$false | Out-Null

    # The generator loads the engine assemblies by themselves (no module) and writes through EvidenceStore.WriteAsync,
    # the one write path of the evidence, so the records are exactly what Invoke-DrValidation writes.
    $deps = Join-Path (Split-Path $ModulePath) 'deps'
    $generate = @"
`$ErrorActionPreference = 'Stop'
foreach (`$name in 'AWSSDK.Core', 'AWSSDK.S3', 'AWSSDK.KeyManagementService', 'AWSSDK.SecurityToken', 'CloudPatterns.Aws', 'CloudPatterns.Core') {
    Add-Type -Path (Join-Path '$deps' "`$name.dll")
}
`$settings = [CloudPatterns.Aws.AwsConnectionSettings]::new()
`$settings.Region = '$region'
`$session = [CloudPatterns.Aws.AwsSession]::CreateAsync(`$settings, [Threading.CancellationToken]::None).GetAwaiter().GetResult()
`$target = `$session.GetTargetAsync('$logArchive', '$region', [Threading.CancellationToken]::None).GetAwaiter().GetResult()
`$signer = [CloudPatterns.Core.DisasterRecovery.KmsEvidenceSigner]::new(`$target.Kms, [CloudPatterns.Core.DisasterRecovery.EvidenceSigningKey]::DefaultAlias('$bucket'))
`$now = [DateTime]::UtcNow
`$perDay = [Math]::Ceiling($Records / $Days)
`$written = 0
`$watch = [Diagnostics.Stopwatch]::StartNew()
for (`$day = $Days; `$day -ge 1 -and `$written -lt $Records; `$day--) {
    `$runStart = `$now.Date.AddDays(-`$day).AddHours(2)
    `$store = [CloudPatterns.Core.DisasterRecovery.EvidenceStore]::new(`$target.S3, `$signer, '$bucket', 365 + $Days, `$runStart)
    for (`$i = 0; `$i -lt `$perDay -and `$written -lt $Records; `$i++) {
        `$account = '9{0:D11}' -f (`$written % 500)
        `$arn = "arn:aws:dynamodb:${region}:`$account:table/orders-`$(`$written % 7)"
        `$record = [CloudPatterns.Core.DisasterRecovery.EvidenceRecord]::new()
        `$record.ToolVersion = '0.1.0'
        `$record.CallerArn = 'arn:aws:iam::${logArchive}:role/CloudPatternsDrValidation'
        `$record.Source = [CloudPatterns.Core.DisasterRecovery.EvidenceResource]@{ AccountId = `$account; Region = '$region'; ResourceArn = `$arn; ResourceType = 'DynamoDB' }
        `$record.Target = [CloudPatterns.Core.DisasterRecovery.EvidenceRestoreTarget]@{ AccountId = '$logArchive'; Region = 'us-west-2'; BackupVaultName = 'central' }
        `$record.RecoveryPointArn = "arn:aws:backup:us-west-2:${logArchive}:recovery-point:rp-`$written"
        `$record.Rto = [CloudPatterns.Core.DisasterRecovery.EvidenceMeasure]@{ MeasuredSeconds = 600 + `$written % 1800; TargetSeconds = 3600 }
        `$record.Rpo = [CloudPatterns.Core.DisasterRecovery.EvidenceMeasure]@{ MeasuredSeconds = 1800; TargetSeconds = 3600 }
        `$outcome = if (`$written % 50 -eq 49) { 'Failed' } else { 'Passed' }
        `$record.Checks.Add([CloudPatterns.Core.DisasterRecovery.EvidenceCheck]@{ Name = 'Validator'; Outcome = `$outcome; Detail = 'rows counted' })
        `$record.Cleanup = [CloudPatterns.Core.DisasterRecovery.EvidenceCheck]@{ Name = 'Cleanup'; Outcome = 'Passed'; Detail = 'deleted' }
        `$record.Outcome = `$outcome
        `$record.StartedAt = `$runStart.AddSeconds(`$i * 60)
        `$record.RecordedAt = `$record.StartedAt.AddSeconds(`$record.Rto.MeasuredSeconds)
        `$store.WriteAsync(`$record, [Threading.CancellationToken]::None).GetAwaiter().GetResult() | Out-Null
        `$written++
    }
    `$store.Dispose()
}
'generated_records={0} generate_s={1:0.0} write_rate_per_s={2:0.0}' -f `$written, `$watch.Elapsed.TotalSeconds, (`$written / `$watch.Elapsed.TotalSeconds)
"@
    Invoke-Fresh $generate

    $from = [DateTime]::UtcNow.Date.AddDays(-$Days - 1).ToString('o')
    $common = "-Bucket $bucket -EvidenceAccountId $logArchive -EvidenceRegion $region -From '$from'"
    Invoke-Fresh @"
Import-Module '$ModulePath'
`$watch = [Diagnostics.Stopwatch]::StartNew()
`$first = `$null; `$count = 0; `$verified = 0
Get-AuditEvidence $common -WarningAction SilentlyContinue | ForEach-Object {
    if (`$null -eq `$first) { `$first = `$watch.Elapsed.TotalSeconds }
    `$count++
    if (`$_.Verified) { `$verified++ }
}
`$total = `$watch.Elapsed.TotalSeconds
'evidence_records={0} verified={1} first_record_s={2:0.00} verify_s={3:0.0} verify_rate_per_s={4:0.0} get_peak_working_set_mb={5:0}' -f `$count, `$verified, `$first, `$total, (`$count / `$total), ([Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64 / 1MB)
"@
    $report = Join-Path ([IO.Path]::GetTempPath()) "evidence-bench-$PID.html"
    Invoke-Fresh @"
Import-Module '$ModulePath'
`$watch = [Diagnostics.Stopwatch]::StartNew()
Export-AuditReport $common -Path '$report' -WarningAction SilentlyContinue | Out-Null
'report_s={0:0.0} report_mb={1:0.0} report_peak_working_set_mb={2:0}' -f `$watch.Elapsed.TotalSeconds, ((Get-Item '$report').Length / 1MB), ([Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64 / 1MB)
"@
    Remove-Item $report -ErrorAction SilentlyContinue
}
finally {
    Stop-CloudSandbox
}
