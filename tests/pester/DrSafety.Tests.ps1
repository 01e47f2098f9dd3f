# Invoke-DrValidation when things go wrong, against LocalCloud over HTTP: Ctrl+C (SIGINT to a child pwsh), a stopped
# runspace, a killed process (SIGKILL), throttling and server errors. Every interrupted validation is cleaned up and
# recorded as Aborted; what a killed run leaves, the next run removes; faults never lose or duplicate a record.
# The fault scenario repeats CLOUDPATTERNS_DR_FAULT_RUNS times (3 by default; 10 for the issue's full figure).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-CloudPatternsUnderTest
    $script:sandbox = Start-CloudSandbox -Force
    $script:admin = $sandbox.Url.ToString().TrimEnd('/') + '/_localcloud'
    $script:logArchive = '222222222222'
    function Set-RestoreDuration([string] $Running) {
        Invoke-RestMethod -Method Put "$admin/backup/job-timings" -Body "{`"restore`":{`"queued`":`"PT0S`",`"running`":`"$Running`"}}" | Out-Null
    }
    # Waits until LocalCloud has answered StartRestoreJob -Count times (a validation is restoring). The limit only
    # catches a hang: a child pwsh on a loaded machine may take minutes to get there.
    function Wait-RestoreStarted([int] $Count = 1) {
        $deadline = [datetime]::UtcNow.AddSeconds(600)
        while (@(Get-CloudSandboxRequestLog | Where-Object { $_.Operation -eq 'StartRestoreJob' -and $_.StatusCode -eq 200 }).Count -lt $Count) {
            if ([datetime]::UtcNow -gt $deadline) { throw "$Count StartRestoreJob call(s) did not reach LocalCloud within 600 s." }
            Start-Sleep -Milliseconds 100
        }
    }
    # A restore held with Set-RestoreDuration 'PT30M' runs until the clock moves, so a kill always lands mid-restore.
    function Stop-ChildHard($Child) {
        /usr/bin/env kill -KILL $Child.Process.Id
        $Child.Process.WaitForExit(300000) | Should -BeTrue
    }
    # Lets the held restores end: later restores take $Running, and the clock moves past the held ones.
    function Complete-HeldRestores([string] $Running) {
        Set-RestoreDuration $Running
        Invoke-RestMethod -Method Post "$admin/clock" -Body '{"advance":"PT30M"}' | Out-Null
    }
    function Get-Evidence { @(Get-AuditEvidence -Bucket org-dr-evidence -EvidenceAccountId $logArchive -EvidenceRegion us-east-2 -WarningAction SilentlyContinue) }

    $midnight = [datetimeoffset]::new((Get-CloudSandboxClock).Now.UtcDateTime.Date.AddDays(1), [timespan]::Zero)
    Set-CloudSandboxClock -To $midnight | Out-Null
    $setupResults = @(Get-OrgAccount | Where-Object Name -eq 'production' |
        Set-CrossAccountBackup -VaultAccountId $logArchive -PrimaryRegion us-east-2 -DrRegion us-west-2 -EvidenceBucketName org-dr-evidence -DrAccountId 555555555555 -NoOrchestrator)
    $setupResults | Should -Not -BeNullOrEmpty
    Invoke-RestMethod -Method Post "$admin/clock" -Body '{"advance":"PT26H"}' | Out-Null
    $script:common = @{
        AccountId = $logArchive; BackupVaultName = 'central'; EvidenceBucket = 'org-dr-evidence'
        EvidenceAccountId = $logArchive; EvidenceRegion = 'us-east-2'; PollInterval = [timespan]'00:00:00.5'; RpoTarget = [timespan]'2.00:00:00'
    }
    # Production protects seven types (DisasterRecovery.Tests.ps1 validates them all); these runs are about
    # interruptions and faults, so the whole-vault runs take three of them.
    $script:three = @('DynamoDB', 'EBS', 'RDS')
    $script:childRun = "`$ErrorActionPreference = 'Stop'; Import-Module '$((Get-Module CloudPatterns).Path)'; " +
        "Invoke-DrValidation -AccountId $logArchive -Region us-west-2 -BackupVaultName central -EvidenceBucket org-dr-evidence " +
        "-EvidenceAccountId $logArchive -EvidenceRegion us-east-2 -PollInterval 00:00:00.5 -RpoTarget 2.00:00:00 -ResourceType DynamoDB"
}

AfterAll { Stop-CloudSandbox }

Describe 'An interrupted Invoke-DrValidation' {
    BeforeEach {
        # Long enough to interrupt the restore while its job runs.
        Set-RestoreDuration 'PT6S'
        Get-CloudSandboxRequestLog -Clear | Out-Null
    }

    It 'on SIGINT waits for the running restore, deletes it, records Aborted and exits non-zero' {
        $before = Get-Evidence
        $child = Start-PwshChild $childRun
        try {
            Wait-RestoreStarted
            Start-Sleep -Milliseconds 500
            /usr/bin/env kill -INT $child.Process.Id
            $child.Process.WaitForExit(600000) | Should -BeTrue -Because 'the interrupted run ends once it cleaned up'
        }
        finally { if (-not $child.Process.HasExited) { $child.Process.Kill() } }
        $child.Process.ExitCode | Should -Not -Be 0 -Because "an aborted validation must fail the command (stderr: $($child.Error.Result))"
        $aborted = @(Get-Evidence | Where-Object Key -notin $before.Key)
        $aborted | Should -HaveCount 1
        $aborted[0].Outcome | Should -Be 'Aborted'
        $aborted[0].FailedChecks | Should -Contain 'Interrupted'
        $aborted[0].Verified | Should -BeTrue
        @(Invoke-DrSandbox restored us-west-2) -like 'drv-*' | Should -HaveCount 0 -Because 'the restore was deleted once its job ended'
        @(Get-CloudSandboxRequestLog | Where-Object { $_.Operation -eq 'DeleteTable' -and $_.StatusCode -eq 200 }) | Should -HaveCount 1

        $next = Invoke-DrValidation @common -Region us-west-2 -ResourceType DynamoDB -WarningVariable warned -WarningAction SilentlyContinue
        $next.Status | Should -Be 'Passed'
        @($warned) | Should -HaveCount 0 -Because 'the interrupted run removed its own restore and its note'
        @(Invoke-DrSandbox restored us-west-2) -like 'drv-*' | Should -HaveCount 0
    }

    It 'on SIGINT with several restores in flight deletes each, records each as Aborted in one verified chain' {
        # Long enough that none of the three ends before the stop, however far apart they start on a busy machine.
        Set-RestoreDuration 'PT15S'
        $before = Get-Evidence
        $child = Start-PwshChild ($childRun.Replace('-Region us-west-2', '-Region us-east-2').Replace(' -ResourceType DynamoDB', ' -ResourceType DynamoDB, EBS, RDS'))
        try {
            Wait-RestoreStarted -Count 3
            /usr/bin/env kill -INT $child.Process.Id
            $child.Process.WaitForExit(600000) | Should -BeTrue -Because 'the interrupted run ends once it cleaned up'
        }
        finally { if (-not $child.Process.HasExited) { $child.Process.Kill() } }
        $child.Process.ExitCode | Should -Not -Be 0
        $log = @(Get-CloudSandboxRequestLog)
        $restoreStarts = @($log | Where-Object { $_.Operation -eq 'StartRestoreJob' -and $_.StatusCode -eq 200 })
        $restoreStarts | Should -HaveCount 3 -Because 'the three restores the run asked for ran at once, none was started after the stop'
        $aborted = @(Get-Evidence | Where-Object Key -notin $before.Key)
        $aborted | Should -HaveCount 3
        $aborted.Outcome | Sort-Object -Unique | Should -Be 'Aborted'
        $aborted.Verified | Sort-Object -Unique | Should -Be $true
        @($aborted.ResourceType | Sort-Object) | Should -Be @('DynamoDB', 'EBS', 'RDS')
        $left = @(Invoke-DrSandbox restored us-east-2)
        $left -like 'drv-*' | Should -HaveCount 0
        $left -like 'vol-*' | Should -HaveCount 0
    }

    It 'in a stopped runspace ends only after the restore is deleted and recorded as Aborted' {
        $before = Get-Evidence
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript("param(`$Module, `$Common) Import-Module `$Module; Invoke-DrValidation @Common -Region us-west-2 -ResourceType DynamoDB").
                AddArgument((Get-Module CloudPatterns).Path).AddArgument($common)
            $running = $shell.BeginInvoke()
            Wait-RestoreStarted
            $shell.Stop()
            $running.IsCompleted | Should -BeTrue
        }
        finally { $shell.Dispose() }
        $aborted = @(Get-Evidence | Where-Object Key -notin $before.Key)
        $aborted.Outcome | Should -Be 'Aborted'
        @(Invoke-DrSandbox restored us-west-2) -like 'drv-*' | Should -HaveCount 0
    }

    It 'killed (SIGKILL) during a restore leaves a note the next run follows to delete the restore, saying so' {
        # The restore cannot end before the kill, however slow the machine: it runs until the clock is moved. (With 6 s,
        # a loaded CI machine let the child judge and delete its restore first, so nothing was left to follow.)
        Set-RestoreDuration 'PT30M'
        $child = Start-PwshChild $childRun
        try {
            Wait-RestoreStarted
            Stop-ChildHard $child
        }
        finally { if (-not $child.Process.HasExited) { $child.Process.Kill() } }

        Complete-HeldRestores 'PT1S'
        $next = Invoke-DrValidation @common -Region us-west-2 -ResourceType DynamoDB -WarningVariable warned -WarningAction SilentlyContinue
        $next.Status | Should -Be 'Passed'
        @($warned) | Should -HaveCount 1
        "$($warned[0])" | Should -BeLike '*was interrupted while restoring arn:aws:dynamodb:us-east-2:333333333333:table/*Deleted DynamoDB drv-*'
        @(Get-CloudSandboxRequestLog | Where-Object { $_.Operation -eq 'DeleteTable' -and $_.StatusCode -eq 200 }) | Should -HaveCount 2 -Because 'the leftover and the new restore were deleted'
        @(Invoke-DrSandbox restored us-west-2) -like 'drv-*' | Should -HaveCount 0

        $again = Invoke-DrValidation @common -Region us-west-2 -ResourceType DynamoDB -WarningVariable warnedAgain -WarningAction SilentlyContinue
        $again.Status | Should -Be 'Passed'
        @($warnedAgain) | Should -HaveCount 0 -Because 'the note was removed with the leftover'
    }
}

Describe 'Invoke-DrValidation under throttling and server errors' {
    It 'keeps exactly one verified record per validation and no restored resource, run after run' {
        $runs = if ($env:CLOUDPATTERNS_DR_FAULT_RUNS) { [int]$env:CLOUDPATTERNS_DR_FAULT_RUNS } else { 3 }
        Set-RestoreDuration 'PT1S'
        $before = Get-Evidence
        Get-CloudSandboxRequestLog -Clear | Out-Null
        $fast = $common.Clone()
        $fast.PollInterval = [timespan]'00:00:00.2'
        $results = [System.Collections.Generic.List[object]]::new()
        Set-CloudSandboxFault -ThrottleRate 0.2 -ErrorRate 0.05 -ErrorCode InternalFailure
        try {
            foreach ($run in 1..$runs) {
                $results.AddRange(@(Invoke-DrValidation @fast -Region us-east-2 -ResourceType $three -ErrorVariable +failures))
            }
        }
        finally { Clear-CloudSandboxFault }
        $log = @(Get-CloudSandboxRequestLog)
        @($log | Where-Object StatusCode -eq 500).Count | Should -BeGreaterThan 0 -Because 'InternalFailure was injected'
        @($log | Where-Object StatusCode -eq 400).Count | Should -BeGreaterThan 0 -Because 'throttling was injected'
        $failures | Should -HaveCount 0
        $results | Should -HaveCount (3 * $runs)
        $results.Status | Sort-Object -Unique | Should -Be 'Passed'
        $records = @(Get-Evidence | Where-Object Key -notin $before.Key)
        $records | Should -HaveCount (3 * $runs) -Because 'one record per validation, none lost, none duplicated'
        @($records.Key | Sort-Object) | Should -Be @($results.EvidenceKey | Sort-Object)
        $records.Verified | Sort-Object -Unique | Should -Be $true
        $left = @(Invoke-DrSandbox restored us-east-2)
        $left -like 'drv-*' | Should -HaveCount 0
        $left -like 'vol-*' | Should -HaveCount 0
        @($log | Where-Object { $_.Operation -eq 'StartRestoreJob' -and $_.StatusCode -eq 200 }).Count | Should -Be (3 * $runs)
    }
}

Describe 'A resumed Invoke-DrValidation' {
    BeforeAll {
        Set-RestoreDuration 'PT3S'
        function Get-RestoreStarts { @(Get-CloudSandboxRequestLog | Where-Object { $_.Operation -eq 'StartRestoreJob' -and $_.StatusCode -eq 200 }) }
    }

    It 'killed (SIGKILL) mid-run continues with -ResumeRunId: nothing restored twice, no duplicate evidence, the chain verifies' {
        Get-CloudSandboxRequestLog -Clear | Out-Null
        $before = Get-Evidence
        # One restore at a time: the first is judged and stored when the second starts, and the kill lands then.
        $child = Start-PwshChild ($childRun.Replace('-Region us-west-2', '-Region us-east-2').Replace(' -ResourceType DynamoDB', ' -ResourceType DynamoDB, EBS, RDS -RestoresPerRegion 1 -InformationAction Continue'))
        try {
            Wait-RestoreStarted -Count 1
            # The second restore cannot end before the kill, however slow the machine: it runs until the clock is moved.
            Set-RestoreDuration 'PT30M'
            Wait-RestoreStarted -Count 2
            Stop-ChildHard $child
        }
        finally { if (-not $child.Process.HasExited) { $child.Process.Kill() } }
        Complete-HeldRestores 'PT3S'
        $runId = [regex]::Match($child.Output.Result, 'continue it with -ResumeRunId (\S+)\.').Groups[1].Value
        $runId | Should -Match '^\d{8}T\d{9}Z-[0-9a-f]{6}$' -Because "the run tells its id before its first restore (output: $($child.Output.Result))"
        $judged = @(Get-Evidence | Where-Object Key -notin $before.Key)
        $judged | Should -HaveCount 1
        $judged[0].Outcome | Should -Be 'Passed'

        $resumed = @(Invoke-DrValidation @common -Region us-east-2 -ResourceType $three -ResumeRunId $runId -WarningVariable warned -WarningAction SilentlyContinue -InformationVariable told)
        $resumed | Should -HaveCount 2 -Because 'the judged validation is skipped'
        $resumed.Status | Sort-Object -Unique | Should -Be 'Passed'
        $resumed.RunId | Sort-Object -Unique | Should -Be $runId
        $resumed.ResourceArn | Should -Not -Contain $judged[0].ResourceArn
        "$told" | Should -BeLike "*Resuming DR validation run $runId (attempt 2): 1 validation(s) already judged*"
        @($warned) | Should -HaveCount 0 -Because 'the restore in flight was taken over, not swept as a leftover'
        (Get-RestoreStarts).Count | Should -Be 3 -Because 'the restore the killed attempt started was taken over, not started again'
        $records = @(Get-Evidence | Where-Object Key -notin $before.Key)
        $records | Should -HaveCount 3
        @($records.ResourceArn | Sort-Object -Unique) | Should -HaveCount 3
        $records.RunId | Sort-Object -Unique | Should -Be $runId
        @($records.Sequence | Sort-Object) | Should -Be @(1, 2, 3)
        (Get-Evidence).Verified | Sort-Object -Unique | Should -Be $true -Because 'the whole chain verifies after the resumed run'
        $left = @(Invoke-DrSandbox restored us-east-2)
        $left -like 'drv-*' | Should -HaveCount 0
        $left -like 'vol-*' | Should -HaveCount 0

        $again = @(Invoke-DrValidation @common -Region us-east-2 -ResourceType $three -ResumeRunId $runId)
        $again | Should -HaveCount 0 -Because 'every validation of the run is judged'
        (Get-RestoreStarts).Count | Should -Be 3
        @(Get-Evidence | Where-Object Key -notin $before.Key) | Should -HaveCount 3
    }

    It 'refuses a malformed run id and a run the bucket does not hold, before any change' {
        Get-CloudSandboxRequestLog -Clear | Out-Null
        { Invoke-DrValidation @common -Region us-east-2 -ResumeRunId 'yesterday' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidDrValidationInput,CloudPatterns.PowerShell.Cmdlets.InvokeDrValidationCommand' -ExpectedMessage "*-ResumeRunId 'yesterday' is not a run id*"
        @(Get-CloudSandboxRequestLog) | Should -HaveCount 0
        { Invoke-DrValidation @common -Region us-east-2 -ResumeRunId 20261205T040000123Z-1a2b3c -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidDrValidationInput,CloudPatterns.PowerShell.Cmdlets.InvokeDrValidationCommand' -ExpectedMessage '*-ResumeRunId 20261205T040000123Z-1a2b3c: the evidence bucket holds no such run*'
        @(Get-CloudSandboxRequestLog | Where-Object Mutating) | Should -HaveCount 0
    }
}

Describe 'Input refused before any change' {
    BeforeEach { Get-CloudSandboxRequestLog -Clear | Out-Null }
    AfterEach {
        @(Get-CloudSandboxRequestLog -MutatingOnly) | Should -HaveCount 0 -Because 'nothing may change before every check passed'
    }

    It 'Invoke-DrValidation lists every bad value of its input in one error, before any AWS call' {
        $bad = $common.Clone()
        $bad.RtoTarget = [timespan]'-01:00:00'
        $bad.RpoTarget = [timespan]::Zero
        $bad.EvidenceBucket = 'xn--evidence'
        $bad.EvidenceRegion = 'eu-south-9'
        $failure = { Invoke-DrValidation @bad -Region us-west-2, us-east-9 } | Should -Throw -ErrorId 'InvalidDrValidationInput,CloudPatterns.PowerShell.Cmdlets.InvokeDrValidationCommand' -PassThru
        $message = $failure.Exception.Message
        foreach ($text in "-RtoTarget -01:00:00 is not longer than zero", "-RpoTarget 00:00:00 is not longer than zero",
            "-EvidenceBucket 'xn--evidence' is not an S3 bucket name: the prefix xn-- is reserved by S3",
            "-Region 'us-east-9' is not a region of any AWS partition: give one AWS has, such as us-east-1, us-east-2", "-EvidenceRegion 'eu-south-9' is not a region of any AWS partition") {
            $message | Should -BeLike "*$text*"
        }
        @(Get-CloudSandboxRequestLog) | Should -HaveCount 0 -Because 'input is checked before any call'
    }

    It 'Invoke-DrValidation refuses the S3 bucket name <Name> (<Rule>)' -ForEach @(
        @{ Name = '192.168.5.4'; Rule = 'formatted as an IP address' }
        @{ Name = 'evidence..bucket'; Rule = 'two adjacent dots' }
        @{ Name = 'evidence-s3alias'; Rule = 'the suffix -s3alias is reserved' }
        @{ Name = 'evidence--ol-s3'; Rule = 'the suffix --ol-s3 is reserved' }
        @{ Name = 'sthree-evidence'; Rule = 'the prefix sthree- is reserved' }
        @{ Name = 'Evidence'; Rule = 'only lower-case letters' }
        @{ Name = 'ab'; Rule = '3 to 63' }
    ) {
        $bad = $common.Clone()
        $bad.EvidenceBucket = $Name
        $failure = { Invoke-DrValidation @bad -Region us-west-2 } | Should -Throw -ErrorId 'InvalidDrValidationInput,CloudPatterns.PowerShell.Cmdlets.InvokeDrValidationCommand' -PassThru
        $failure.Exception.Message | Should -BeLike "*-EvidenceBucket '$Name' is not an S3 bucket name: *$Rule*"
    }

    It 'Invoke-DrValidation checks with AWS that the region is enabled, the vault and the evidence bucket exist, in one error' {
        $bad = $common.Clone()
        $bad.BackupVaultName = 'no-such-vault'
        $bad.EvidenceBucket = 'no-such-evidence'
        $failure = { Invoke-DrValidation @bad -Region us-west-2 } | Should -Throw -ErrorId 'InvalidDrValidationInput,CloudPatterns.PowerShell.Cmdlets.InvokeDrValidationCommand' -PassThru
        $failure.Exception.Message | Should -BeLike '*Backup vault no-such-vault does not exist in 222222222222 us-west-2 (AWS Backup answered AccessDeniedException*'
        $failure.Exception.Message | Should -BeLike '*Evidence bucket no-such-evidence does not exist in 222222222222*'

        $elsewhere = $common.Clone()
        $elsewhere.EvidenceRegion = 'eu-west-1'
        $disabled = { Invoke-DrValidation @elsewhere -Region us-west-2 } | Should -Throw -ErrorId 'InvalidDrValidationInput,CloudPatterns.PowerShell.Cmdlets.InvokeDrValidationCommand' -PassThru
        $disabled.Exception.Message | Should -BeLike '*Region eu-west-1 is not enabled for account 111111111111 (EC2 DescribeRegions lists us-east-2, us-west-2)*'
    }

    It 'Invoke-DrValidation refuses a region AWS has but the account has not enabled' {
        $failure = { Invoke-DrValidation @common -Region eu-west-1 } | Should -Throw -ErrorId 'InvalidDrValidationInput,CloudPatterns.PowerShell.Cmdlets.InvokeDrValidationCommand' -PassThru
        $failure.Exception.Message | Should -BeLike '*Region eu-west-1 is not enabled for account 111111111111*'
    }

    It 'says it could not connect when the session''s region has no endpoint' {
        # A new process: this one's sessions were made for the sandbox's region.
        $region = $env:AWS_REGION
        $env:AWS_REGION = 'us-east-9'
        try {
            $said = & ([Environment]::ProcessPath) (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command "Import-Module '$((Get-Module CloudPatterns).Path)'; try { Get-OrgAccount } catch { `$_.FullyQualifiedErrorId; `$_.Exception.Message }"
        }
        finally { $env:AWS_REGION = $region }
        "$said" | Should -BeLike 'AwsConnectionFailed,CloudPatterns.PowerShell.Cmdlets.GetOrgAccountCommand*Could not connect to STS for region us-east-9*'
        @(Get-CloudSandboxRequestLog) | Should -HaveCount 0 -Because 'no service saw the request'
    }

    It 'Set-CrossAccountBackup refuses a region no AWS partition has and a reserved bucket name before any AWS call' {
        $bad = @{ AccountId = '333333333333'; VaultAccountId = $logArchive; PrimaryRegion = 'us-east-9'; DrRegion = 'us-west-2'; EvidenceBucketName = 'evidence--ol-s3' }
        $failure = { Set-CrossAccountBackup @bad } | Should -Throw -ErrorId 'InvalidCrossAccountBackupSettings,CloudPatterns.PowerShell.Cmdlets.SetCrossAccountBackupCommand' -PassThru
        $failure.Exception.Message | Should -BeLike "*-PrimaryRegion 'us-east-9' is not a region of any AWS partition*"
        $failure.Exception.Message | Should -BeLike "*-EvidenceBucketName 'evidence--ol-s3' is not an S3 bucket name: the suffix --ol-s3 is reserved by S3*"
        @(Get-CloudSandboxRequestLog) | Should -HaveCount 0
    }

    It 'Set-CrossAccountBackup refuses accounts outside the organization, listing each, before the org-wide backup setting changes' {
        $bad = @{ AccountId = '333333333333', '999999999998'; VaultAccountId = '999999999999'; PrimaryRegion = 'us-east-2'; DrRegion = 'us-west-2'; Force = $true }
        $failure = { Set-CrossAccountBackup @bad } | Should -Throw -ErrorId 'InvalidCrossAccountBackupSettings,CloudPatterns.PowerShell.Cmdlets.SetCrossAccountBackupCommand' -PassThru
        $failure.Exception.Message | Should -BeLike '*-AccountId 999999999998 is not an account of the organization*'
        $failure.Exception.Message | Should -BeLike '*-VaultAccountId 999999999999 is not an account of the organization*'
        @(Get-CloudSandboxRequestLog | Where-Object Operation -eq 'UpdateGlobalSettings') | Should -HaveCount 0
    }

    It 'Set-CrossAccountBackup with an empty pipeline names the missing accounts, not -PrimaryRegion, when -Region was given' {
        $failure = { @() | Set-CrossAccountBackup -Region us-east-2 -VaultAccountId $logArchive -DrRegion us-west-2 } |
            Should -Throw -ErrorId 'InvalidCrossAccountBackupSettings,CloudPatterns.PowerShell.Cmdlets.SetCrossAccountBackupCommand' -PassThru
        $failure.Exception.Message | Should -BeLike '*No workload account given*'
        $failure.Exception.Message | Should -Not -BeLike '*PrimaryRegion*'
    }

    It 'says that a first call failed with server errors after its attempts, not that AWS refused the credentials' {
        Set-CloudSandboxFault -Service sts -Operation GetCallerIdentity -ErrorRate 1 -ErrorCode InternalFailure
        try {
            $failure = { Get-OrgAccount } | Should -Throw -ErrorId 'AwsConnectionFailed,CloudPatterns.PowerShell.Cmdlets.GetOrgAccountCommand' -PassThru
        }
        finally { Clear-CloudSandboxFault }
        $failure.Exception.Message | Should -BeLike '*answered InternalFailure (HTTP 500, request id *) after 10 attempts: AWS was throttling or failing, not refusing the credentials*'
        @(Get-CloudSandboxRequestLog | Where-Object Operation -eq 'GetCallerIdentity') | Should -HaveCount 10 -Because 'a server error is retried like throttling'
    }

    It 'New-MultiAzStack refuses a region no AWS partition has before any AWS call' {
        { New-MultiAzStack -StackName web -Region us-east-9 -CertificateArn "arn:aws:acm:us-east-2:111111111111:certificate/00000000-0000-0000-0000-000000000000" } |
            Should -Throw -ErrorId 'InvalidRegion,CloudPatterns.PowerShell.Cmdlets.NewMultiAzStackCommand'
        @(Get-CloudSandboxRequestLog) | Should -HaveCount 0
    }
}

# Last: it points production's backup plan at another central account.
Describe 'A DR stack whose creation failed (ROLLBACK_COMPLETE)' {
    It 'names the original failure, asks before deleting and recreating it, and with -Force replaces it' {
        # The access-log bucket is created first; taking its name fails the stack before anything (retained) exists.
        $taken = 'dr-replaced-evidence-access-logs'
        aws s3api create-bucket --bucket $taken --region us-east-2 --create-bucket-configuration LocationConstraint=us-east-2 --output json | Out-Null
        $LASTEXITCODE | Should -Be 0
        $elsewhere = @{ AccountId = '333333333333'; VaultAccountId = '444444444444'; PrimaryRegion = 'us-east-2'; DrRegion = 'us-west-2'; EvidenceBucketName = 'dr-replaced-evidence' }
        Set-CrossAccountBackup @elsewhere -ErrorVariable failed -ErrorAction SilentlyContinue | Out-Null
        "$failed" | Should -BeLike "*$taken already exists*" -Because 'the bucket name belongs to another account'
        aws s3api delete-bucket --bucket $taken --region us-east-2 | Out-Null
        $LASTEXITCODE | Should -Be 0

        $declined = Invoke-WithRecordingHost 'no question is expected' { param($Setup) Set-CrossAccountBackup @Setup -Confirm:$false } $elsewhere
        $declined.Prompts | Should -HaveCount 1
        "$($declined.Prompts[0])" | Should -BeLike "*Stack cloudpatterns-dr-evidence in 444444444444 us-east-2 failed to create (*$taken already exists*). Delete it and create it again?*"
        $declined.Errors | Should -HaveCount 1
        "$($declined.Errors[0])" | Should -BeLike "*is ROLLBACK_COMPLETE: its creation failed (*$taken already exists*)*confirm (or give -Force)*"
        "$($declined.Errors[0])" | Should -Not -BeLike '*ValidationError*'

        Get-CloudSandboxRequestLog -Clear | Out-Null
        $replaced = @(Set-CrossAccountBackup @elsewhere -Force -WarningVariable warned -WarningAction SilentlyContinue -ErrorVariable failures)
        $failures | Should -HaveCount 0
        "$warned" | Should -BeLike "*cloudpatterns-dr-evidence*ROLLBACK_COMPLETE*$taken already exists*"
        $evidence = $replaced.Steps | Where-Object Component -eq 'EvidenceBucket'
        $evidence.Action | Should -Be 'Changed'
        @(Get-CloudSandboxRequestLog | Where-Object { $_.Operation -eq 'DeleteStack' -and $_.AccountId -eq '444444444444' }) | Should -HaveCount 1
        $stack = Get-PatternStack -AccountId 444444444444 -Region us-east-2 -StackName cloudpatterns-dr-evidence
        $stack.Status | Should -Be 'CREATE_COMPLETE'
    }
}
