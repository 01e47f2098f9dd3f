# The DR-Orchestrator Lambda function (src/CloudPatterns.Lambda, built into out/CloudPatterns/lambda) running in
# LocalCloud's Lambda on the sample org, driven by events in EventBridge's shape (docs/orchestrator.md): completed copies
# carried hop by hop into the DR account's vault, a scheduled event starting its share of restores, restore completions
# judged, cleaned up and recorded exactly once (duplicates, concurrency, a failed invocation retried), evidence verified
# by Get-AuditEvidence.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-CloudPatternsUnderTest
    $script:sandbox = Start-CloudSandbox -Force
    $script:admin = $sandbox.Url.ToString().TrimEnd('/') + '/_localcloud'
    $script:logArchive = '222222222222'
    $script:production = '333333333333'
    $script:drAccount = '555555555555'
    $script:python = if (Get-Command python3 -ErrorAction SilentlyContinue) { 'python3' } else { 'python' }
    $script:eventFolder = Join-Path ([System.IO.Path]::GetTempPath()) "orchestrator-events-$PID"
    New-Item -ItemType Directory -Force $eventFolder | Out-Null

    function Invoke-OrchestratorSandbox {
        $output = & $python (Join-Path $PSScriptRoot 'support/orchestrator_sandbox.py') $env:AWS_ENDPOINT_URL @args
        if ($LASTEXITCODE -ne 0) { throw "orchestrator_sandbox.py $args failed: $output" }
        $output | ConvertFrom-Json
    }
    function Get-SandboxNow { (Invoke-RestMethod "$admin/clock").now }
    function Step-SandboxClock([string] $By) { Invoke-RestMethod -Method Post "$admin/clock" -Body "{`"advance`":`"$By`"}" | Out-Null }
    # An event as EventBridge delivers it, written to a file for the invoke command.
    function New-OrchestratorEvent([string] $DetailType, [string] $Source, [string] $Account, [string] $Region, [hashtable] $Detail, [string] $Id = [guid]::NewGuid()) {
        $path = Join-Path $eventFolder "$([guid]::NewGuid()).json"
        [ordered]@{
            version = '0'; id = $Id; 'detail-type' = $DetailType; source = $Source; account = $Account
            time = ([datetimeoffset](Get-SandboxNow)).UtcDateTime.ToString('yyyy-MM-ddTHH:mm:ssZ'); region = $Region; resources = @(); detail = $Detail
        } | ConvertTo-Json -Depth 5 | Set-Content -Path $path -Encoding utf8NoBOM
        $path
    }
    function New-CopyEvent($Job, [string] $Account, [string] $Region) {
        New-OrchestratorEvent 'Copy Job State Change' 'aws.backup' $Account $Region @{
            copyJobId = $Job.CopyJobId; state = $Job.State; resourceArn = $Job.ResourceArn; resourceType = $Job.ResourceType
            sourceBackupVaultArn = $Job.SourceBackupVaultArn; sourceRecoveryPointArn = $Job.SourceRecoveryPointArn
            destinationBackupVaultArn = $Job.DestinationBackupVaultArn; destinationRecoveryPointArn = $Job.DestinationRecoveryPointArn
        }
    }
    function New-RestoreEvent($Job) {
        New-OrchestratorEvent 'Restore Job State Change' 'aws.backup' $drAccount 'us-west-2' @{
            restoreJobId = $Job.RestoreJobId; status = $Job.Status; resourceType = $Job.ResourceType; createdResourceArn = $Job.CreatedResourceArn
        }
    }
    function New-ScheduledEvent { New-OrchestratorEvent 'Scheduled Event' 'aws.events' $logArchive 'us-east-2' @{} }
    function Invoke-Orchestrator([string[]] $Event) { Invoke-OrchestratorSandbox invoke @Event }
    function Get-OrchestratorEvidence { @(Get-AuditEvidence -Bucket org-dr-evidence -EvidenceAccountId $logArchive -EvidenceRegion us-east-2 -WarningAction SilentlyContinue) }

    $midnight = [datetimeoffset]::new((Get-CloudSandboxClock).Now.UtcDateTime.Date.AddDays(1), [timespan]::Zero)
    Set-CloudSandboxClock -To $midnight | Out-Null
    @(Get-OrgAccount | Where-Object Name -eq 'production' |
        Set-CrossAccountBackup -VaultAccountId $logArchive -PrimaryRegion us-east-2 -DrRegion us-west-2 -EvidenceBucketName org-dr-evidence `
            -DrAccountId $drAccount -EvidenceWriterRoleName cloudpatterns-dr-orchestrator -NoOrchestrator) | Should -Not -BeNullOrEmpty
    Step-SandboxClock 'PT26H'
    $zip = Join-Path (Split-Path (Get-Module CloudPatterns).Path) 'lambda/CloudPatterns.Lambda.zip'
    $zip | Should -Exist
    $script:environment = Invoke-OrchestratorSandbox deploy $zip
}

AfterAll {
    Stop-CloudSandbox
    Remove-Item -Recurse -Force $eventFolder -ErrorAction SilentlyContinue
}

Describe 'The DR-Orchestrator function' {
    It 'carries each recovery point hop by hop into the DR account''s vault, one legal hop per completed copy, each hop once' {
        $centralEast = "arn:aws:backup:us-east-2:${logArchive}:backup-vault:central"
        $centralWest = "arn:aws:backup:us-west-2:${logArchive}:backup-vault:central"
        $drVault = "arn:aws:backup:us-west-2:${drAccount}:backup-vault:dr"
        $firstHops = @((Invoke-OrchestratorSandbox copy-jobs $production us-east-2) | Where-Object { $_.State -eq 'COMPLETED' -and $_.DestinationBackupVaultArn -eq $centralEast })
        $firstHops.Count | Should -BeGreaterThan 1 -Because 'the member plan copied several resources into the central vault'
        $script:protected = @($firstHops.ResourceArn | Sort-Object -Unique)

        # All at once, and the first one twice: one copy per recovery point.
        $events = @($firstHops | ForEach-Object { New-CopyEvent $_ $production us-east-2 })
        $results = @(Invoke-Orchestrator (@($events) + $events[0]))
        $results.functionError | Where-Object { $_ } | Should -BeNullOrEmpty -Because ($results.payload | ConvertTo-Json -Depth 5 -Compress)
        @($results.payload | Where-Object action -eq 'CopyStarted').Count | Should -BeIn @($firstHops.Count, ($firstHops.Count + 1))
        $again = @(Invoke-Orchestrator $events[0])
        $again[0].payload.action | Should -Be 'CopyAlreadyStarted'
        $crossRegion = @((Invoke-OrchestratorSandbox copy-jobs $logArchive us-east-2) | Where-Object DestinationBackupVaultArn -eq $centralWest)
        $crossRegion | Should -HaveCount $firstHops.Count -Because 'a duplicate event never starts a second copy of the same recovery point'
        $again[0].payload.items[0] | Should -BeIn $crossRegion.CopyJobId

        Step-SandboxClock 'PT3H'
        $secondHops = @((Invoke-OrchestratorSandbox copy-jobs $logArchive us-east-2) | Where-Object { $_.State -eq 'COMPLETED' -and $_.DestinationBackupVaultArn -eq $centralWest })
        $secondHops | Should -HaveCount $firstHops.Count
        $results = @(Invoke-Orchestrator @($secondHops | ForEach-Object { New-CopyEvent $_ $logArchive us-east-2 }))
        $results.payload.action | Sort-Object -Unique | Should -Be 'CopyStarted'
        $crossAccount = @((Invoke-OrchestratorSandbox copy-jobs $logArchive us-west-2) | Where-Object DestinationBackupVaultArn -eq $drVault)
        $crossAccount | Should -HaveCount $firstHops.Count
        $crossAccount.SourceBackupVaultArn | Sort-Object -Unique | Should -Be $centralWest -Because 'the cross-account hop stays in one region'

        Step-SandboxClock 'PT3H'
        $lastHop = @((Invoke-OrchestratorSandbox copy-jobs $logArchive us-west-2) | Where-Object { $_.State -eq 'COMPLETED' -and $_.DestinationBackupVaultArn -eq $drVault })
        $lastHop | Should -HaveCount $firstHops.Count
        $done = @(Invoke-Orchestrator (New-CopyEvent $lastHop[0] $logArchive us-west-2))
        $done[0].payload.action | Should -Be 'Ignored' -Because 'the DR account''s vault is the last place'
        $inDr = @(Invoke-OrchestratorSandbox recovery-points $drAccount us-west-2 dr)
        @($inDr | Where-Object Status -eq 'COMPLETED').ResourceArn | Sort-Object -Unique | Should -Be $protected
    }

    It 'starts its share of restores on the schedule, and a repeated scheduled event starts no more' {
        $scheduled = New-ScheduledEvent
        $first = @(Invoke-Orchestrator $scheduled)
        $first[0].functionError | Should -BeNullOrEmpty -Because ($first[0].payload | ConvertTo-Json -Depth 5 -Compress)
        $first[0].payload.action | Should -Be 'RestoresStarted'
        # Coverage window 2 days, one run a day: half of the resources (rounded up) per run.
        $script:share = [math]::Ceiling($protected.Count / 2)
        @($first[0].payload.items) | Should -HaveCount $share
        $repeat = @(Invoke-Orchestrator $scheduled)
        @($repeat[0].payload.items) | Should -HaveCount 0
        $script:firstRestores = @($first[0].payload.items)
        @(Invoke-OrchestratorSandbox restore-jobs) | Should -HaveCount $share
    }

    It 'judges each ended restore, deletes it and records it exactly once, with duplicate and concurrent events' {
        Step-SandboxClock 'PT2H'
        $jobs = @(Invoke-OrchestratorSandbox restore-jobs | Where-Object RestoreJobId -in $firstRestores)
        $jobs.Status | Sort-Object -Unique | Should -Be 'COMPLETED'
        $before = Get-OrchestratorEvidence
        $events = @($jobs | ForEach-Object { New-RestoreEvent $_ })
        # Every completion at once, the first delivered twice at the same moment.
        $results = @(Invoke-Orchestrator (@($events) + $events[0]))
        $results.functionError | Where-Object { $_ } | Should -BeNullOrEmpty -Because ($results.payload | ConvertTo-Json -Depth 5 -Compress)
        $results.payload.outcome | Where-Object { $_ } | Sort-Object -Unique | Should -Be "Passed" -Because ($results.payload | ConvertTo-Json -Depth 8 -Compress)
        $late = @(Invoke-Orchestrator $events[-1])
        $late[0].payload.action | Should -Be 'AlreadyRecorded'

        $evidence = Get-OrchestratorEvidence
        $new = @($evidence | Where-Object Key -notin $before.Key)
        $new | Should -HaveCount $jobs.Count -Because 'one record per restore, whatever the deliveries'
        @($new.RestoreJobId | Sort-Object) | Should -Be @($jobs.RestoreJobId | Sort-Object)
        $new.Outcome | Sort-Object -Unique | Should -Be 'Passed'
        @($evidence | Where-Object { -not $_.Verified }) | Should -BeNullOrEmpty -Because 'concurrent writers never fork the chain'
        @(Invoke-OrchestratorSandbox restored) -like 'dro-*' | Should -HaveCount 0 -Because 'each restored resource was deleted'
        @(Invoke-OrchestratorSandbox notes) -like 'dr-validation-restores/*' | Should -HaveCount 0
        $lines = @(Invoke-OrchestratorSandbox logs) | Where-Object { $_ -like '{*' } | ForEach-Object { $_ | ConvertFrom-Json }
        @($lines | Where-Object { $_.level -eq 'INFO' -and $_.result.action -eq 'Recorded' }).Count | Should -BeGreaterOrEqual $jobs.Count
    }

    It 'takes those never validated first on the next day''s run, and a failed invocation retried gives exactly one record' {
        # One day after the first run (the tests before moved the clock 2 hours).
        Step-SandboxClock 'PT22H'
        $next = @(Invoke-Orchestrator (New-ScheduledEvent))
        $second = @($next[0].payload.items)
        $second | Should -HaveCount $share
        $all = @(Invoke-OrchestratorSandbox restore-jobs)
        $validated = @($all | Where-Object RestoreJobId -in $firstRestores).SourceResourceArn
        $rotated = @($all | Where-Object RestoreJobId -in $second).SourceResourceArn
        foreach ($never in @($protected | Where-Object { $_ -notin $validated })) {
            $never | Should -BeIn $rotated -Because 'a resource never validated comes before one validated a day ago'
        }
        Step-SandboxClock 'PT2H'
        $jobs = @(Invoke-OrchestratorSandbox restore-jobs | Where-Object RestoreJobId -in $second)
        $before = Get-OrchestratorEvidence
        $event = New-RestoreEvent $jobs[0]
        # The invocation fails after its record is stored (removing the restore's note is refused): the retry must not add one.
        Invoke-RestMethod -Method Put "$admin/faults" -ContentType 'application/json' -Body '{"service":"s3","operation":"DeleteObject","errorRate":1,"errorCode":"InvalidRequest"}' | Out-Null
        try { $failed = @(Invoke-Orchestrator $event) }
        finally { Invoke-RestMethod -Method Delete "$admin/faults" | Out-Null }
        $failed[0].functionError | Should -Be 'Unhandled'
        $retried = @(Invoke-Orchestrator $event)
        $retried[0].functionError | Should -BeNullOrEmpty -Because ($retried[0].payload | ConvertTo-Json -Depth 5 -Compress)
        $retried[0].payload.action | Should -Be 'Recorded'
        $new = @(Get-OrchestratorEvidence | Where-Object Key -notin $before.Key)
        $new | Should -HaveCount 1
        $new[0].RestoreJobId | Should -Be $jobs[0].RestoreJobId
        @(Get-OrchestratorEvidence | Where-Object { -not $_.Verified }) | Should -BeNullOrEmpty
        $rest = @(Invoke-Orchestrator @($jobs | Select-Object -Skip 1 | ForEach-Object { New-RestoreEvent $_ }))
        $rest.payload.action | Sort-Object -Unique | Should -Be 'Recorded'
    }
}

Describe 'The DR-Orchestrator through EventBridge' {
    It 'runs a simulated day by itself: new recovery points reach the DR vault by two hops, restores are validated and recorded' {
        Invoke-OrchestratorSandbox wire | Out-Null
        $start = [datetimeoffset](Get-SandboxNow)
        $before = Get-OrchestratorEvidence
        foreach ($step in 1..15) {
            Step-SandboxClock 'PT2H'
            # Every delivery the step caused (events, the function's invocations and what they set off) has ended.
            Wait-SandboxDelivery
        }

        $fresh = @(Invoke-OrchestratorSandbox recovery-points $drAccount us-west-2 dr | Where-Object { $_.Status -eq 'COMPLETED' -and [datetimeoffset]$_.CreationDate -gt $start })
        @($fresh.ResourceArn | Sort-Object -Unique) | Should -Be $protected -Because 'the day''s backups reached the DR account''s vault without a cmdlet'
        $rds = @((Invoke-OrchestratorSandbox copy-jobs $logArchive us-west-2) | Where-Object { $_.ResourceType -eq 'RDS' -and $_.State -eq 'COMPLETED' -and [datetimeoffset]$_.CreationDate -gt $start })
        $rds.SourceBackupVaultArn | Sort-Object -Unique | Should -Be "arn:aws:backup:us-west-2:${logArchive}:backup-vault:central" -Because 'RDS reaches the DR account by a cross-region hop, then a cross-account one'

        $new = @(Get-OrchestratorEvidence | Where-Object Key -notin $before.Key)
        $new.Count | Should -BeGreaterThan 0 -Because 'the day''s schedule started restores and their completions were recorded'
        @(Get-OrchestratorEvidence | Where-Object { -not $_.Verified }) | Should -BeNullOrEmpty
        $new.Outcome | Sort-Object -Unique | Should -Be 'Passed'
        @($new.RestoreJobId | Sort-Object -Unique) | Should -HaveCount $new.Count -Because 'one record per restore'
        @(Invoke-OrchestratorSandbox restored) -like 'dro-*' | Should -HaveCount 0
        @(Invoke-OrchestratorSandbox notes) -like 'dr-validation-restores/*' | Should -HaveCount 0
        @(Invoke-OrchestratorSandbox metrics) | Should -Contain 'RestoreValidationSuccess'
    }
}
