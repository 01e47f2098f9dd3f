<#
.SYNOPSIS
    The CloudPatterns demo: the patterns run against LocalCloud's sample organization.
#>
param([Parameter(Mandatory)] [string] $ModulePath)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force

function Write-Step([string] $Text) { Write-Host "`n=== $Text" -ForegroundColor Cyan }

Write-Step 'Start LocalCloud with the sample organization'
$sandbox = Start-CloudSandbox
$sandbox | Format-Table | Out-Host
$production = '333333333333'
$logArchive = '222222222222'
try {
    Write-Step 'The organization, through the Organizations API (SigV4-signed, as against AWS)'
    Get-OrgAccount -Recurse | Format-Table | Out-Host

    Write-Step 'The AWS CLI sees the same organization'
    aws organizations list-accounts --query 'Accounts[].[Id,Name]' --output text | Out-Host

    Write-Step 'Multi-AZ web application: deploy into production, check resilience, estimate cost'
    # The sample organization holds an issued ACM certificate in each workload account and region.
    $certificate = (Get-MultiAzCertificate -AccountId $production -Region us-east-2 | Select-Object -First 1).CertificateArn
    New-MultiAzStack -StackName shop -AccountId $production -Region us-east-2 -CertificateArn $certificate | Format-List AccountId, Region, StackName, Status, Outputs | Out-Host
    Test-MultiAzResilience -StackName shop -AccountId $production -Region us-east-2 | Format-Table | Out-Host
    Get-PatternCostEstimate -StackName shop -AccountId $production -Region us-east-2 | Format-Table | Out-Host
    Get-OrgAccount | Get-PatternStack -Region us-east-2, us-west-2 | Format-Table | Out-Host

    Write-Step 'Disaster recovery: readiness before the central vault exists'
    $readiness = @{ AccountId = $production; Region = 'us-east-2'; VaultAccountId = $logArchive; VaultName = 'central'; DrRegion = 'us-west-2'; SourceVaultName = 'workload' }
    Test-CrossAccountBackupReadiness @readiness | Format-Table | Out-Host

    # From midnight, the 26 hours below hold exactly one run of the 05:00 UTC schedule.
    Set-CloudSandboxClock -To ([datetimeoffset]::new((Get-CloudSandboxClock).Now.UtcDateTime.Date.AddDays(1), [timespan]::Zero)) | Out-Null
    Write-Step 'Set up cross-account backup: org opt-in, central vaults in log-archive (both regions), evidence bucket, production plan, pilot-light DR account'
    $setup = @{ VaultAccountId = $logArchive; PrimaryRegion = 'us-east-2'; DrRegion = 'us-west-2'; EvidenceBucketName = 'org-dr-evidence'; DrAccountId = '555555555555'; NoOrchestrator = $true }
    Get-OrgAccount | Where-Object Name -eq 'production' | Set-CrossAccountBackup @setup | Format-Table | Out-Host
    Write-Step 'Run it again: nothing changes'
    Get-OrgAccount | Where-Object Name -eq 'production' | Set-CrossAccountBackup @setup | Format-Table AccountId, Region, Changed, Summary | Out-Host

    Write-Step 'Let the plan run: the simulated clock passes the 05:00 UTC schedule'
    Invoke-RestMethod -Method Put "$($sandbox.Url)/_localcloud/backup/job-timings" -Body '{"restore":{"queued":"PT0S","running":"PT2S"}}' | Out-Null
    Set-CloudSandboxClock -Advance (New-TimeSpan -Hours 26) | Format-Table | Out-Host
    Test-CrossAccountBackupReadiness @readiness | Format-Table | Out-Host

    Write-Step 'Restore validation in the DR region: restore, check, clean up, write evidence'
    $validation = @{
        AccountId = $logArchive; Region = 'us-west-2'; BackupVaultName = 'central'; EvidenceBucket = $setup.EvidenceBucketName
        EvidenceAccountId = $logArchive; EvidenceRegion = 'us-east-2'; PollInterval = [timespan]'00:00:01'; RpoTarget = [timespan]'2.00:00:00'
    }
    Invoke-DrValidation @validation | Format-Table | Out-Host

    Write-Step 'Audit evidence: every record verified (hash, chain, Object Lock retention)'
    $evidence = @{ Bucket = $setup.EvidenceBucketName; EvidenceAccountId = $logArchive; EvidenceRegion = 'us-east-2' }
    Get-AuditEvidence @evidence | Format-Table | Out-Host
    $report = Join-Path ([System.IO.Path]::GetTempPath()) 'cloudpatterns-dr-audit.html'
    Export-AuditReport @evidence -Format Html -Path $report | Out-Null
    Write-Host "Audit report: $report"

    Write-Step 'GitOps: a git repository declares stacks for the Workloads OU; sync, drift, self-heal'
    $repo = Join-Path ([System.IO.Path]::GetTempPath()) "cloudpatterns-gitops-demo-$PID"
    New-Item -ItemType Directory -Path $repo -Force | Out-Null
    git init -q $repo
    Set-Content (Join-Path $repo 'logs.yaml') "Parameters:`n  Retention: {Type: String}`nResources:`n  AppLogs:`n    Type: AWS::Logs::LogGroup`n    Properties:`n      RetentionInDays: !Ref Retention`n"
    Set-Content (Join-Path $repo 'cloudpatterns.yaml') "version: 1`nid: $([guid]::NewGuid().ToString('N'))`nregions: [us-east-2, us-west-2]`nstacks:`n  - name: app-logs`n    template: logs.yaml`n    targets:`n      - organizationalUnit: $((Get-OrgAccount | Where-Object Name -eq production).ParentId)`n    parameters:`n      Retention: '30'`n"
    git -C $repo add -A; git -C $repo -c user.name=Demo -c user.email=demo@example.com commit -q -m 'app logs for the workloads'
    $manifest = Join-Path $repo 'cloudpatterns.yaml'
    Sync-StackManifest -Path $manifest | Format-Table | Out-Host
    # Someone changes the log group's retention in the console: here through the CloudWatch Logs API with the AWS CLI.
    $session = aws sts assume-role --role-arn "arn:aws:iam::${production}:role/OrganizationAccountAccessRole" --role-session-name out-of-band --query Credentials --output json | ConvertFrom-Json
    $saved = @{ Key = $env:AWS_ACCESS_KEY_ID; Secret = $env:AWS_SECRET_ACCESS_KEY; Token = $env:AWS_SESSION_TOKEN }
    try {
        $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY, $env:AWS_SESSION_TOKEN = $session.AccessKeyId, $session.SecretAccessKey, $session.SessionToken
        $group = aws cloudformation describe-stack-resource --region us-east-2 --stack-name app-logs --logical-resource-id AppLogs --query StackResourceDetail.PhysicalResourceId --output text
        aws logs put-retention-policy --region us-east-2 --log-group-name $group --retention-in-days 1
        if ($LASTEXITCODE -ne 0) { throw "aws logs put-retention-policy failed ($LASTEXITCODE)" }
    }
    finally { $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY, $env:AWS_SESSION_TOKEN = $saved.Key, $saved.Secret, $saved.Token }
    Get-StackSyncStatus -Path $manifest | Format-Table | Out-Host
    Sync-StackManifest -Path $manifest -SelfHeal | Format-Table | Out-Host
    Get-StackSyncHistory -Path $manifest | Format-Table | Out-Host
    Remove-Item -Recurse -Force $repo

    Write-Step 'What went over the wire'
    Get-CloudSandboxRequestLog | Group-Object Service, Operation | Sort-Object Count -Descending | Select-Object -First 15 | Format-Table Count, Name | Out-Host
}
finally {
    Stop-CloudSandbox
}
