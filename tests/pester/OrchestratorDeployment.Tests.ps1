# The DR-Orchestrator as Set-CrossAccountBackup deploys it (docs/orchestrator.md, "Deployment"), on the sample org in
# LocalCloud: after the one cmdlet call, simulated days run with no cmdlet called. Recovery points reach the DR
# account's vault by legal hops, the function starts, checks and deletes restores, evidence verifies, metrics and logs
# are there, and a validation that fails publishes to the alert topic.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-CloudPatternsUnderTest
    $script:sandbox = Start-CloudSandbox -Force
    $script:admin = $sandbox.Url.ToString().TrimEnd('/') + '/_localcloud'
    $script:logArchive = '222222222222'
    $script:drAccount = '555555555555'
    $script:python = if (Get-Command python3 -ErrorAction SilentlyContinue) { 'python3' } else { 'python' }
    # A daily plan cannot meet the default one-hour RPO target, so the day's validations are judged against a day.
    # Production protects seven resources (one of each type); a three-day coverage window makes each daily run
    # validate three of them, so three days reach every type (a week's window would validate one a day).
    $script:setup = @{ VaultAccountId = $logArchive; PrimaryRegion = 'us-east-2'; DrRegion = 'us-west-2'; EvidenceBucketName = 'org-dr-evidence'; DrAccountId = $drAccount; RpoTarget = [timespan]'1.00:00:00'; CoverageWindow = [timespan]'3.00:00:00' }

    function Invoke-OrchestratorSandbox {
        $output = & $python (Join-Path $PSScriptRoot 'support/orchestrator_sandbox.py') $env:AWS_ENDPOINT_URL @args
        if ($LASTEXITCODE -ne 0) { throw "orchestrator_sandbox.py $args failed: $output" }
        $output | ConvertFrom-Json
    }
    function Get-SandboxNow { [datetimeoffset](Invoke-RestMethod "$admin/clock").now }
    function Get-OrchestratorEvidence { @(Get-AuditEvidence -Bucket org-dr-evidence -EvidenceAccountId $logArchive -EvidenceRegion us-east-2 -WarningAction SilentlyContinue) }
    # Moves the clock in 2-hour steps; after each, waits until every delivery it caused (events, the function's
    # invocations and what they set off) has ended.
    function Step-Day([int] $Steps = 13) {
        foreach ($step in 1..$Steps) {
            Invoke-RestMethod -Method Post "$admin/clock" -Body '{"advance":"PT2H"}' | Out-Null
            Wait-SandboxDelivery
        }
    }

    $midnight = [datetimeoffset]::new((Get-CloudSandboxClock).Now.UtcDateTime.Date.AddDays(1), [timespan]::Zero)
    Set-CloudSandboxClock -To $midnight | Out-Null
    $script:production = @(Get-OrgAccount | Where-Object Name -eq 'production')
    $script:preview = @($production | Set-CrossAccountBackup @setup -WhatIf -InformationVariable shown)
    $script:previewText = ($shown | ForEach-Object { "$_" }) -join "`n"
    $script:setupResults = @($production | Set-CrossAccountBackup @setup)
    $script:start = Get-SandboxNow
}

AfterAll { Stop-CloudSandbox }

Describe 'Set-CrossAccountBackup with a DR account' {
    It 'lists the orchestrator under -WhatIf, deploys it in the vault account, and a rerun changes nothing' {
        $preview | Should -BeNullOrEmpty
        $previewText | Should -Match "What if: Create stack 'cloudpatterns-dr-orchestrator' in $logArchive us-east-2: \d+ resource change\(s\)"
        $previewText | Should -Match 'Add\s+Function\s+AWS::Lambda::Function'
        $previewText | Should -Match 'Add\s+ValidationSchedule\s+AWS::Scheduler::Schedule'

        $step = @($setupResults.Steps | Where-Object Component -eq 'Orchestrator')
        $step | Should -HaveCount 1
        $step[0].Action | Should -Be 'Changed'
        $step[0].Status | Should -Be 'CREATE_COMPLETE'
        $step[0].Outputs['FunctionArn'] | Should -Be "arn:aws:lambda:us-east-2:${logArchive}:function:cloudpatterns-dr-orchestrator"
        $function = Invoke-OrchestratorSandbox function
        $function.Runtime | Should -Be 'dotnet10'
        $function.Environment.Variables.DR_ACCOUNT_ID | Should -Be $drAccount
        $function.Environment.Variables.DR_RESTORE_ROLE_ARN | Should -Be "arn:aws:iam::${drAccount}:role/service-role/CloudPatternsDrRestoreRole"
        $function.DeadLetterConfig.TargetArn | Should -BeLike "arn:aws:sqs:us-east-2:${logArchive}:*"
        $function.Environment.Variables.DR_RTO_MINUTES, $function.Environment.Variables.DR_RPO_HOURS, $function.Environment.Variables.DR_COVERAGE_DAYS | Should -Be '60', '24', '3' -Because 'the targets are the cmdlet''s (RTO by default, RPO and coverage as given)'
        (Invoke-OrchestratorSandbox code-keys) | Should -BeLike 'dr-orchestrator-code/CloudPatterns.Lambda-*.zip' -Because 'the package is kept in the evidence bucket'

        $again = @($production | Set-CrossAccountBackup @setup)
        ($again.Steps | Where-Object Component -eq 'Orchestrator').Action | Should -Be 'NoChange'
        $again.Steps.Action | Sort-Object -Unique | Should -Be 'NoChange'
    }

    It 'leaves the orchestrator out with -NoOrchestrator' {
        $without = @($production | Set-CrossAccountBackup @setup -NoOrchestrator -WhatIf -InformationVariable shown)
        $without | Should -BeNullOrEmpty
        (($shown | ForEach-Object { "$_" }) -join "`n") | Should -Not -Match 'cloudpatterns-dr-orchestrator'
    }
}

Describe 'The deployed DR-Orchestrator, with no cmdlet called' {
    It 'carries a day''s recovery points into the DR account''s vault by legal hops, and validates, cleans up and records restores' {
        Step-Day

        $protected = @((Invoke-OrchestratorSandbox recovery-points $production.AccountId us-east-2 workload).ResourceArn | Sort-Object -Unique)
        $protected.Count | Should -BeGreaterThan 1
        $fresh = @(Invoke-OrchestratorSandbox recovery-points $drAccount us-west-2 dr | Where-Object { $_.Status -eq 'COMPLETED' -and [datetimeoffset]$_.CreationDate -gt $start })
        @($fresh.ResourceArn | Sort-Object -Unique) | Should -Be $protected -Because 'every protected resource reached the DR account''s vault'
        $intoDr = @((Invoke-OrchestratorSandbox copy-jobs $logArchive us-west-2) | Where-Object { $_.DestinationBackupVaultArn -eq "arn:aws:backup:us-west-2:${drAccount}:backup-vault:dr" })
        $intoDr.SourceBackupVaultArn | Sort-Object -Unique | Should -Be "arn:aws:backup:us-west-2:${logArchive}:backup-vault:central" -Because 'the last hop is cross-account within the DR region'
        $crossRegion = @((Invoke-OrchestratorSandbox copy-jobs $logArchive us-east-2) | Where-Object { $_.DestinationBackupVaultArn -eq "arn:aws:backup:us-west-2:${logArchive}:backup-vault:central" })
        @($crossRegion | Where-Object ResourceType -eq 'RDS') | Should -Not -BeNullOrEmpty -Because 'RDS takes the cross-region hop within the vault account first'
        $memberCopies = @((Invoke-OrchestratorSandbox copy-jobs $production.AccountId us-east-2).DestinationBackupVaultArn | Sort-Object -Unique)
        $memberCopies | Should -Be "arn:aws:backup:us-east-2:${logArchive}:backup-vault:central" -Because 'the member plan no longer copies across account and region at once'

        $restores = @(Invoke-OrchestratorSandbox restore-jobs)
        $restores | Should -Not -BeNullOrEmpty -Because 'the daily schedule started validations'
        $restores.Status | Sort-Object -Unique | Should -Be 'COMPLETED'
        $restores.IamRoleArn | Sort-Object -Unique | Should -Be "arn:aws:iam::${drAccount}:role/service-role/CloudPatternsDrRestoreRole"
        @(Invoke-OrchestratorSandbox restored) -like 'dro-*' | Should -HaveCount 0 -Because 'the function deleted what it restored'
        @(Invoke-OrchestratorSandbox notes) -like 'dr-validation-restores/*' | Should -HaveCount 0

        $evidence = Get-OrchestratorEvidence
        @($evidence.RestoreJobId | Sort-Object) | Should -Be @($restores.RestoreJobId | Sort-Object) -Because 'one record per restore'
        $evidence.Outcome | Sort-Object -Unique | Should -Be 'Passed'
        @($evidence | Where-Object { -not $_.Verified }) | Should -BeNullOrEmpty
        @(Invoke-OrchestratorSandbox metrics) | Should -Contain 'RestoreValidationSuccess'
        $lines = @(Invoke-OrchestratorSandbox logs) | Where-Object { $_ -like '{*' } | ForEach-Object { $_ | ConvertFrom-Json }
        @($lines | Where-Object { $_.result.action -eq 'Recorded' }) | Should -HaveCount $restores.Count
        @($lines | Where-Object { $_.result.action -eq 'CopyStarted' }).Count | Should -BeGreaterOrEqual ($protected.Count * 2)
    }

    It 'publishes a validation that fails to the alert topic, and records it' {
        $topic = "arn:aws:sns:us-east-2:${logArchive}:central-backup-failures"
        Invoke-RestMethod -Method Delete "$admin/sns/messages" | Out-Null
        $before = Get-OrchestratorEvidence
        # Restores now take 5 hours, longer than the orchestrator's RTO target (the default 60 minutes).
        $timings = Invoke-RestMethod "$admin/backup/job-timings"
        Invoke-RestMethod -Method Put "$admin/backup/job-timings" -Body '{"restore":{"queued":"PT0S","running":"PT5H"}}' | Out-Null
        try { Step-Day -Steps 15 }
        finally { Invoke-RestMethod -Method Put "$admin/backup/job-timings" -Body ($timings | ConvertTo-Json -Compress) | Out-Null }

        $new = @(Get-OrchestratorEvidence | Where-Object Key -notin $before.Key)
        $new | Should -Not -BeNullOrEmpty -Because "the day's validation was recorded (restore jobs: $(Invoke-OrchestratorSandbox restore-jobs | ConvertTo-Json -Depth 3 -Compress); log: $((Invoke-OrchestratorSandbox logs | Select-Object -Last 20) -join ' | '))"
        $new.Outcome | Sort-Object -Unique | Should -Be 'Failed'
        @(Get-OrchestratorEvidence | Where-Object { -not $_.Verified }) | Should -BeNullOrEmpty
        # Invoke-RestMethod writes a JSON array as one object: ForEach-Object unrolls it, whatever its length.
        $alerts = @(Invoke-RestMethod "$admin/sns/messages?topicArn=$([uri]::EscapeDataString($topic))" | ForEach-Object { $_ })
        $alerts | Should -HaveCount $new.Count
        $alerts.Subject | Should -BeLike 'DR validation failed: *'
    }

    It 'holds in its two roles only what it uses: every action was allowed to the function''s sessions, and nothing was refused' {
        # A third day: the rotation (three a day) reaches the last resource never validated, so each of production's
        # seven types has been restored.
        Step-Day
        @(Invoke-OrchestratorSandbox restore-jobs).ResourceType | Sort-Object -Unique | Should -Be @('Aurora', 'DynamoDB', 'EBS', 'EC2', 'EFS', 'RDS', 'S3')
        function Get-RoleAction($Role) {
            foreach ($statement in $Role.Properties.Policies.PolicyDocument.Statement) {
                # A statement under a condition (Fn::If) is its first branch.
                $statement = $statement.ContainsKey('Fn::If') ? $statement['Fn::If'][1] : $statement
                @($statement.Action)
            }
        }
        $templates = Join-Path $PSScriptRoot '../../templates/disaster-recovery'
        $executionRole = (ConvertFrom-TemplateYaml (Join-Path $templates 'orchestrator.yaml')).Resources.ExecutionRole
        $drAccountRole = (ConvertFrom-TemplateYaml (Join-Path $templates 'pilot-light-dr-account.yaml')).Resources.OrchestratorAccessRole
        # Not requests of their own in the log: Lambda uses the execution role for the function's log lines and dead
        # letters (OrchestratorPolicies.UsedForTheFunction); iam:PassRole is checked within StartCopyJob and
        # StartRestoreJob, and the evidence key's kms:GenerateDataKey and kms:Decrypt within S3's requests
        # (docs/localcloud-authorization.md).
        $forTheFunction = 'logs:CreateLogStream', 'logs:PutLogEvents', 'sqs:SendMessage', 'iam:PassRole', 'kms:GenerateDataKey', 'kms:Decrypt'
        # A restored file system has no mount targets (AWS Backup creates none), so the clean-up deletes none.
        $unexercised = 'elasticfilesystem:DeleteMountTarget'
        $log = @(Get-CloudSandboxRequestLog)
        foreach ($role in @{ Account = $logArchive; Actions = @(Get-RoleAction $executionRole) }, @{ Account = $drAccount; Actions = @(Get-RoleAction $drAccountRole) }) {
            $mine = @($log | Where-Object Principal -like "arn:aws:sts::$($role.Account):assumed-role/cloudpatterns-dr-orchestrator/*")
            $mine | Should -Not -BeNullOrEmpty
            $mine.Decision | Sort-Object -Unique | Should -Be 'Allow' -Because ($mine | Where-Object Decision -ne Allow | ForEach-Object { "$($_.Operation) $($_.Action) $($_.DecidedBy)" })
            $unused = @($role.Actions | Where-Object { $_ -notin $mine.Action -and $_ -notin $forTheFunction -and $_ -ne $unexercised })
            $unused | Should -BeNullOrEmpty -Because "every action of the role in $($role.Account) is one the function calls"
        }
        # Each statement is needed: IAM's policy simulator refuses one of the function's logged requests to the role's
        # policy without it (docs/least-privilege.md, "Minimality by simulation"); Logs and DeadLetters are Lambda's.
        $sids = foreach ($role in $executionRole, $drAccountRole) {
            foreach ($statement in $role.Properties.Policies.PolicyDocument.Statement) { ($statement.ContainsKey('Fn::If') ? $statement['Fn::If'][1] : $statement).Sid }
        }
        $script:needed = Find-NeededPolicyPart -RoleName cloudpatterns-dr-orchestrator -Requests $log -AccountId $logArchive, $drAccount
        @($needed.Keys | Sort-Object) | Should -Be @($sids | Sort-Object)
        $outsideFlow = 'Logs', 'DeadLetters'
        @($needed.Keys | Where-Object { $null -eq $needed[$_] -and $_ -notin $outsideFlow }) | Should -BeNullOrEmpty -Because 'no logged request of the function needed these statements'
    }

    # The simulation tied to a real refusal, once per role: the role's inline policy without the statement, swapped in
    # place (no redeploy), and one scheduled run, which uses both roles early (docs/least-privilege.md).
    It 'without <Sid> in its <Account> role, a scheduled run really fails, refused the action the simulator found' -ForEach @(
        @{ Account = '222222222222'; Sid = 'EvidenceListing' }, @{ Account = '555555555555'; Sid = 'Restores' }) {
        $found = $needed[$Sid].action
        $found | Should -Not -BeNullOrEmpty -Because "the simulation named an action of $Sid"
        $original = Invoke-OrchestratorSandbox role-policy $Account
        $without = [ordered]@{ Version = $original.document.Version; Statement = @($original.document.Statement | Where-Object Sid -ne $Sid) }
        $without.Statement.Count | Should -Be (@($original.document.Statement).Count - 1)
        $policyFile = New-TemporaryFile
        $eventFile = New-TemporaryFile
        try {
            $without | ConvertTo-Json -Depth 10 | Set-Content -Path $policyFile -Encoding utf8NoBOM
            Invoke-OrchestratorSandbox put-role-policy $Account $original.name $policyFile.FullName | Out-Null
            [ordered]@{
                version = '0'; id = [guid]::NewGuid().ToString(); 'detail-type' = 'Scheduled Event'; source = 'aws.events'; account = $logArchive
                time = (Get-SandboxNow).UtcDateTime.ToString('yyyy-MM-ddTHH:mm:ssZ'); region = 'us-east-2'; resources = @(); detail = @{}
            } | ConvertTo-Json | Set-Content -Path $eventFile -Encoding utf8NoBOM
            $run = @(Invoke-OrchestratorSandbox invoke $eventFile.FullName)[0]
            $run.functionError | Should -Not -BeNullOrEmpty -Because ($run.payload | ConvertTo-Json -Depth 5 -Compress)
            ($run.payload | ConvertTo-Json -Depth 5 -Compress) | Should -BeLike "*assumed-role/cloudpatterns-dr-orchestrator/* is not authorized to perform: $found *"
        }
        finally {
            $original.document | ConvertTo-Json -Depth 10 | Set-Content -Path $policyFile -Encoding utf8NoBOM
            Invoke-OrchestratorSandbox put-role-policy $Account $original.name $policyFile.FullName | Out-Null
            Remove-Item -Path $policyFile, $eventFile
        }
    }
}
