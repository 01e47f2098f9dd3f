# The DR pattern on the sample organization, against LocalCloud over HTTP with real SigV4: Set-CrossAccountBackup sets
# up production to back up into log-archive's central vaults in both regions, Invoke-DrValidation restores, checks and
# cleans up, and Get-AuditEvidence verifies the evidence it stored.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-CloudPatternsUnderTest
    $script:sandbox = Start-CloudSandbox -Force
    $script:admin = $sandbox.Url.ToString().TrimEnd('/') + '/_localcloud'
    $script:logArchive = '222222222222'
    $script:python = if (Get-Command python3 -ErrorAction SilentlyContinue) { 'python3' } else { 'python' }
    $script:support = Join-Path $PSScriptRoot 'support/dr_sandbox.py'
    $script:readiness = @{ Region = 'us-east-2'; VaultAccountId = $logArchive; VaultName = 'central'; DrRegion = 'us-west-2' }
    # Production protects one resource of each type (the sample org's seed), all selected by the tag backup=daily.
    $script:protectedTypes = @('Aurora', 'DynamoDB', 'EBS', 'EC2', 'EFS', 'RDS', 'S3')
    $script:backupSetup = @{ VaultAccountId = $logArchive; PrimaryRegion = 'us-east-2'; DrRegion = 'us-west-2'; EvidenceBucketName = 'org-dr-evidence'; DrAccountId = '555555555555'; NoOrchestrator = $true }
    # In the member, vault and DR accounts the setup and the readiness checks run as their least-privilege roles, not
    # as OrganizationAccountAccessRole (Invoke-DrValidation as its role: LeastPrivilege.Tests.ps1).
    Install-CloudPatternsRole -Job DrSetup, DrReadiness -AccountId $logArchive, '333333333333', '444444444444', '555555555555' -TrustExternalId dr-test -Confirm:$false | Out-Null
    $PSDefaultParameterValues = @{
        'Set-CrossAccountBackup:RoleName' = 'CloudPatternsDrSetup'; 'Set-CrossAccountBackup:ExternalId' = 'dr-test'
        'Test-CrossAccountBackupReadiness:RoleName' = 'CloudPatternsDrReadiness'; 'Test-CrossAccountBackupReadiness:ExternalId' = 'dr-test'
    }
}

AfterAll { Stop-CloudSandbox }

Describe 'Test-CrossAccountBackupReadiness before setup' {
    It 'fails each missing piece with its fix' {
        $checks = @(Test-CrossAccountBackupReadiness @readiness -AccountId 333333333333 -SourceVaultName workload -ErrorVariable failures)
        $failures | Should -HaveCount 0
        $checks | ForEach-Object { $_ | Should -BeOfType 'CloudPatterns.Core.DisasterRecovery.ReadinessCheck' }
        $checks.AccountId | Sort-Object -Unique | Should -Be '333333333333'
        $optIn = $checks | Where-Object Check -eq 'CrossAccountBackupEnabled'
        $optIn.Status | Should -Be 'Failed'
        $optIn.Remediation | Should -BeLike '*isCrossAccountBackupEnabled=true*'
        $vaults = @($checks | Where-Object Check -eq 'DestinationVaultExists')
        $vaults | Should -HaveCount 2 -Because 'the primary and the DR region are checked'
        $vaults.Status | Should -Not -Contain 'Passed'
        $vaults[1].Remediation | Should -BeLike 'Create vault central in 222222222222 us-west-2*'
        ($checks | Where-Object Check -eq 'SourceKeyShared').Status | Should -Be 'Failed'
        $role = $checks | Where-Object Check -eq 'BackupRole'
        $role.Status | Should -Be 'Passed' -Because 'the seed gives every member account service-role/AWSBackupDefaultServiceRole'
        $role.Detail | Should -Be 'Role arn:aws:iam::333333333333:role/service-role/AWSBackupDefaultServiceRole exists and trusts backup.amazonaws.com.'
    }

    It 'fails the backup role check for a role that is missing or does not trust AWS Backup' {
        $missing = Test-CrossAccountBackupReadiness @readiness -AccountId 333333333333 -SourceVaultName workload -BackupRoleName service-role/NoSuchBackupRole |
            Where-Object Check -eq 'BackupRole'
        $missing.Status | Should -Be 'Failed'
        $missing.Detail | Should -Be 'Role arn:aws:iam::333333333333:role/service-role/NoSuchBackupRole does not exist.'
        $missing.Remediation | Should -BeLike '*trusting backup.amazonaws.com with the AWS-managed policies AWSBackupServiceRolePolicyForBackup*'
        $untrusted = Test-CrossAccountBackupReadiness @readiness -AccountId 333333333333 -SourceVaultName workload -BackupRoleName OrganizationAccountAccessRole |
            Where-Object Check -eq 'BackupRole'
        $untrusted.Status | Should -Be 'Failed'
        $untrusted.Remediation | Should -BeLike '*allowing sts:AssumeRole to Principal { "Service": "backup.amazonaws.com" }*'
    }
}

Describe 'Set-CrossAccountBackup before setup' {
    It 'refuses bad input before any AWS call, naming each bad value and what is allowed' {
        $accounts = @(Get-OrgAccount)
        Get-CloudSandboxRequestLog -Clear | Out-Null
        $bad = @{ AccountId = '12345'; VaultAccountId = $logArchive; PrimaryRegion = 'us-east'; DrRegion = 'us-west-2'; ResourceTag = 'backup'; Schedule = 'cron(0 5 * * *)'; RetentionDays = 3; VaultLock = $true }
        { Set-CrossAccountBackup @bad -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidCrossAccountBackupSettings,CloudPatterns.PowerShell.Cmdlets.SetCrossAccountBackupCommand'
        $message = try { Set-CrossAccountBackup @bad } catch { $_.Exception.Message }
        $message | Should -BeLike "*-AccountId '12345' is not an AWS account id: give the 12 digits*"
        $message | Should -BeLike "*-PrimaryRegion 'us-east' is not an AWS region name*"
        $message | Should -BeLike "*-ResourceTag 'backup' is not Key=Value*"
        $message | Should -BeLike "*-Schedule 'cron(0 5 * * *)' has 5 fields, not 6: give Hourly, Daily or an AWS cron expression*cron(0 5 ? * * *)*"
        $message | Should -BeLike "*-RetentionDays 3 is outside the Vault Lock's bounds (7 to 36500 days)*"
        { Set-CrossAccountBackup -AccountId 333333333333 -VaultAccountId $logArchive -PrimaryRegion us-east-2 -DrRegion us-east-2 -ErrorAction Stop } | Should -Throw -ExpectedMessage "*-DrRegion 'us-east-2' is the primary region*"
        { $accounts | Set-CrossAccountBackup @backupSetup -ErrorAction Stop } | Should -Throw -ExpectedMessage "*-VaultAccountId $logArchive is also among the workload accounts*"
        @(Get-CloudSandboxRequestLog) | Should -HaveCount 0
    }

    It 'lists every stack and change with -WhatIf and makes no mutating call' {
        Get-CloudSandboxRequestLog -Clear | Out-Null
        $output = Get-OrgAccount | Where-Object Name -eq 'production' | Set-CrossAccountBackup @backupSetup -WhatIf -InformationVariable shown
        $output | Should -BeNullOrEmpty
        $text = ($shown | ForEach-Object { "$_" }) -join "`n"
        foreach ($region in 'us-east-2', 'us-west-2') {
            $text | Should -BeLike "*What if: CrossAccountBackupSetting in 111111111111 ${region}: would set isCrossAccountBackupEnabled to true (now false)*"
            $text | Should -Match "What if: Create stack 'cloudpatterns-dr-central-vault' in $logArchive ${region}: 5 resource change\(s\)"
        }
        $text | Should -Match "What if: Create stack 'cloudpatterns-dr-evidence' in $logArchive us-east-2: \d+ resource change\(s\)"
        $text | Should -Match "What if: Create stack 'cloudpatterns-dr-member-backup' in 333333333333 us-east-2: 5 resource change\(s\)"
        $text | Should -Match "What if: Create stack 'cloudpatterns-dr-pilot-light' in 555555555555 us-west-2: 48 resource change\(s\)"
        $text | Should -Match 'Add\s+Vault\s+AWS::Backup::BackupVault'
        $text | Should -Match 'Add\s+EvidenceBucket\s+AWS::S3::Bucket'
        $requests = @(Get-CloudSandboxRequestLog)
        @($requests | Where-Object operation -eq 'ValidateTemplate') | Should -HaveCount 5
        @($requests | Where-Object Mutating) | Should -HaveCount 0
    }

    It 'asks before a compliance-mode Vault Lock, saying when it becomes permanent, and does nothing when declined' {
        # The host lets the -Confirm question of the Vault Lock through and declines the rest, so the second,
        # irreversible-lock question is asked too, and declined.
        Get-CloudSandboxRequestLog -Clear | Out-Null
        $run = Invoke-WithRecordingHost 'with a compliance-mode Vault Lock' {
            param($Setup)
            Set-CrossAccountBackup @Setup -AccountId 333333333333 -VaultLock -VaultLockChangeableForDays 10 -Confirm
        } $backupSetup
        $run.Errors | Should -HaveCount 0
        $run.Output | Should -HaveCount 0 -Because 'every step was declined'
        $lockPrompts = @($run.Prompts | Where-Object { $_ -like '*Vault Lock*' })
        $lockPrompts | Should -HaveCount 4 -Because '-Confirm and the irreversible-lock question, in each region'
        $lockPrompts[0] | Should -Match "^Irreversible: compliance-mode Vault Lock\|Deploy stack cloudpatterns-dr-central-vault \(central backup vault\) in $logArchive us-east-2 with a compliance-mode Vault Lock \(retention 7 to 36500 days\) that becomes permanent 10 days after it is applied, on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC; after that nobody.*can remove the lock"
        $lockPrompts[1] | Should -Match "Lock vault central in $logArchive us-east-2: it becomes permanent on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC \(10 days after it is applied\)"
        @(Get-CloudSandboxRequestLog -MutatingOnly) | Should -HaveCount 0
    }
}

Describe 'After setup' {
    BeforeAll {
        # From midnight the 26 hours below hold exactly one run of the plans' 05:00 UTC schedule, whatever the time of day.
        $midnight = [datetimeoffset]::new((Get-CloudSandboxClock).Now.UtcDateTime.Date.AddDays(1), [timespan]::Zero)
        Set-CloudSandboxClock -To $midnight | Out-Null
        $script:setupResults = @(Get-OrgAccount | Where-Object Name -eq 'production' | Set-CrossAccountBackup @backupSetup)
        # What Set-CrossAccountBackup never sets up: copies that AWS refuses, for the readiness check to explain.
        Invoke-DrSandbox refused-copies | Out-Null
        $centralVault = ($setupResults | Where-Object { $_.AccountId -eq $logArchive -and $_.Region -eq 'us-east-2' }).Steps | Where-Object Component -eq 'CentralVault'
        $script:setup = @{ vault = 'central'; evidenceBucket = 'org-dr-evidence'; alertTopicArn = $centralVault.Outputs['FailedJobsTopicArn'] }
        # Restores finish two seconds after they start, so validations run at test speed; backups and copies keep
        # LocalCloud's defaults and run when the clock passes the plans' 05:00 UTC schedule.
        Invoke-RestMethod -Method Put "$admin/backup/job-timings" -Body '{"restore":{"queued":"PT0S","running":"PT2S"}}' | Out-Null
        Invoke-RestMethod -Method Post "$admin/clock" -Body '{"advance":"PT26H"}' | Out-Null
        $script:common = @{
            AccountId = $logArchive; BackupVaultName = $setup.vault; EvidenceBucket = $setup.evidenceBucket
            EvidenceAccountId = $logArchive; EvidenceRegion = 'us-east-2'; PollInterval = [timespan]'00:00:01'; RpoTarget = [timespan]'2.00:00:00'
        }
    }

    Describe 'Set-CrossAccountBackup' {
        It 'set up every account and region of the sample org, one result each' {
            $setupResults | ForEach-Object { $_ | Should -BeOfType 'CloudPatterns.Core.DisasterRecovery.CrossAccountBackupResult' }
            @($setupResults | ForEach-Object { "$($_.AccountId) $($_.Region) $($_.Components)" } | Sort-Object) | Should -Be @(
                '111111111111 us-east-2 CrossAccountBackupSetting'
                '111111111111 us-west-2 CrossAccountBackupSetting'
                "$logArchive us-east-2 CentralVault, EvidenceBucket"
                "$logArchive us-west-2 CentralVault"
                '333333333333 us-east-2 MemberBackupPlan'
                '555555555555 us-west-2 PilotLightAccount')
            $setupResults.Changed | Should -Not -Contain $false
            $stacks = @($setupResults.Steps | Where-Object StackName)
            $stacks | Should -HaveCount 5
            $stacks.Status | Should -Be (@('CREATE_COMPLETE') * 5)
            $stacks.Operation | Should -Be (@('Create') * 5)
            $setup.alertTopicArn | Should -Be "arn:aws:sns:us-east-2:${logArchive}:central-backup-failures"
        }

        It 'changes nothing on a second run and says so' {
            Get-CloudSandboxRequestLog -Clear | Out-Null
            $again = @(Get-OrgAccount | Where-Object Name -eq 'production' | Set-CrossAccountBackup @backupSetup)
            $again | Should -HaveCount 6
            $again.Changed | Should -Not -Contain $true
            $again.Steps.Action | Sort-Object -Unique | Should -Be 'NoChange'
            ($again | Where-Object Components -eq 'MemberBackupPlan').Summary | Should -Be 'cloudpatterns-dr-member-backup: no change'
            @(Get-CloudSandboxRequestLog -MutatingOnly | Where-Object operation -notin 'CreateChangeSet', 'DeleteChangeSet') | Should -HaveCount 0 -Because 'change sets are only read and deleted'
        }

        It 'shows with -WhatIf that no stack would change, reading change sets it deletes again' {
            Get-CloudSandboxRequestLog -Clear | Out-Null
            Get-OrgAccount | Where-Object Name -eq 'production' | Set-CrossAccountBackup @backupSetup -WhatIf -InformationVariable shown | Should -BeNullOrEmpty
            $text = ($shown | ForEach-Object { "$_" }) -join "`n"
            foreach ($stack in "cloudpatterns-dr-central-vault' in $logArchive us-east-2", "cloudpatterns-dr-central-vault' in $logArchive us-west-2",
                "cloudpatterns-dr-evidence' in $logArchive us-east-2", "cloudpatterns-dr-member-backup' in 333333333333 us-east-2", "cloudpatterns-dr-pilot-light' in 555555555555 us-west-2") {
                $text | Should -BeLike "*What if: Update stack '$stack`: no changes.*"
            }
            $mutating = @(Get-CloudSandboxRequestLog -MutatingOnly)
            @($mutating | Where-Object operation -eq 'CreateChangeSet') | Should -HaveCount 5
            @($mutating | Where-Object operation -notin 'CreateChangeSet', 'DeleteChangeSet') | Should -HaveCount 0
        }
    }

    Describe 'Tab completion of vault names' {
        It 'offers the vaults of the vault''s account and the region typed on the line' {
            Get-CompletionText "Invoke-DrValidation -AccountId $logArchive -Region us-west-2 -BackupVaultName " | Should -Be @($setup.vault)
            $readinessLine = "Test-CrossAccountBackupReadiness -AccountId 444444444444 -VaultAccountId $logArchive -Region us-east-2"
            Get-CompletionText "$readinessLine -VaultName " | Sort-Object | Should -Be @('central', 'restricted')
            Get-CompletionText "$readinessLine -VaultName central -SourceVaultName " | Sort-Object | Should -Be @('aws-managed', 'private-key', 'shared-key')
        }
    }

    Describe 'The README tour: after setup only the vault account is repeated' {
        It 'reads back what Set-CrossAccountBackup deployed' {
            $configuration = Get-DrConfiguration -VaultAccountId $logArchive -PrimaryRegion us-east-2
            $configuration | Should -BeOfType 'CloudPatterns.Core.DisasterRecovery.DrConfiguration'
            $configuration.VaultAccountId | Should -Be $logArchive
            $configuration.PrimaryRegion | Should -Be 'us-east-2'
            $configuration.DrRegion | Should -Be 'us-west-2'
            $configuration.VaultName | Should -Be 'central'
            $configuration.MemberVaultName | Should -Be 'workload'
            $configuration.EvidenceBucketName | Should -Be 'org-dr-evidence'
            $configuration.DrAccountId | Should -Be '555555555555'
        }

        It 'refuses, saying what to run, for an account Set-CrossAccountBackup did not set up' {
            { Get-DrConfiguration -VaultAccountId 333333333333 -PrimaryRegion us-east-2 -ErrorAction Stop } |
                Should -Throw -ErrorId 'DrConfigurationNotFound,CloudPatterns.PowerShell.Cmdlets.GetDrConfigurationCommand' -ExpectedMessage '*Run Set-CrossAccountBackup first*'
        }

        It 'passes readiness right after setup with the parameters Set-CrossAccountBackup was given' {
            $checks = @(Get-OrgAccount | Where-Object Name -eq 'production' | Test-CrossAccountBackupReadiness -VaultAccountId $backupSetup.VaultAccountId -PrimaryRegion $backupSetup.PrimaryRegion -DrRegion $backupSetup.DrRegion)
            $checks | Should -Not -BeNullOrEmpty
            @($checks | Where-Object Status -eq 'Failed') | Should -HaveCount 0 -Because (($checks | Where-Object Status -eq 'Failed' | ForEach-Object { "$($_.Check): $($_.Detail)" }) -join '; ')
            @($checks.Region | Sort-Object -Unique) | Should -Be @('us-east-2')
            ($checks | Where-Object Check -eq 'SourceKeyShared').Status | Should -Be 'Passed'
        }

        It 'runs readiness, validation, evidence and report from the vault account alone' {
            $checks = @(Get-OrgAccount | Where-Object Name -eq 'production' | Test-CrossAccountBackupReadiness -VaultAccountId $logArchive)
            @($checks | Where-Object Status -eq 'Failed') | Should -HaveCount 0
            @(@($checks | Where-Object Check -eq 'DestinationVaultPolicy').Status) | Should -Be @('Passed', 'Passed') -Because 'the recorded DR region is checked too'

            Get-CloudSandboxRequestLog -Clear | Out-Null
            # Declining -Confirm shows what the recorded configuration chose: the central vault in the DR region and the evidence bucket.
            $declined = Invoke-WithRecordingHost -ConfirmPhrase 'nothing matches this' -Script { param($vault) Invoke-DrValidation -VaultAccountId $vault -Confirm } -Arguments $logArchive
            $declined.Errors | Should -BeNullOrEmpty
            $declined.Output | Should -BeNullOrEmpty
            $declined.Prompts | Should -HaveCount 1
            $declined.Prompts[0] | Should -BeLike '*s3://org-dr-evidence*vault central in 222222222222 us-west-2*'
            @(Get-CloudSandboxRequestLog -MutatingOnly) | Should -HaveCount 0

            $byBucket = @(Get-AuditEvidence -Bucket org-dr-evidence -EvidenceAccountId $logArchive -EvidenceRegion us-east-2 -WarningAction SilentlyContinue)
            $byVault = @(Get-AuditEvidence -VaultAccountId $logArchive -WarningAction SilentlyContinue)
            @($byVault.Key) | Should -Be @($byBucket.Key)
            $report = Join-Path $TestDrive 'tour.json'
            $file = Export-AuditReport -VaultAccountId $logArchive -Path $report -Format Json -WarningAction SilentlyContinue
            $file.AccountId | Should -Be $logArchive
            Test-Path $report | Should -BeTrue
        }

        It 'refuses validation without -VaultAccountId or the values it would supply, before any AWS call' {
            Get-CloudSandboxRequestLog -Clear | Out-Null
            { Invoke-DrValidation -AccountId $logArchive -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidInvocation,CloudPatterns.PowerShell.Cmdlets.InvokeDrValidationCommand' -ExpectedMessage '*-VaultAccountId*'
            { Invoke-DrValidation -VaultAccountId $logArchive -PollInterval 0 -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidDrValidationInput,CloudPatterns.PowerShell.Cmdlets.InvokeDrValidationCommand' -ExpectedMessage '*-PollInterval 00:00:00 is not longer than zero*'
            @(Get-CloudSandboxRequestLog) | Should -HaveCount 0
        }
    }

    Describe 'Test-CrossAccountBackupReadiness' {
        It 'passes production, warning that RDS needs a second hop to the DR region' {
            $checks = @(Test-CrossAccountBackupReadiness @readiness -AccountId 333333333333 -SourceVaultName workload)
            @($checks | Where-Object Status -eq 'Failed') | Should -HaveCount 0
            @($checks | Where-Object Check -eq 'DestinationVaultPolicy').Status | Should -Be @('Passed', 'Passed')
            ($checks | Where-Object Check -eq 'SourceKeyShared').Status | Should -Be 'Passed'
            $hop = $checks | Where-Object Check -eq 'RdsSecondHop'
            $hop.Status | Should -Be 'Warning'
            $hop.Detail | Should -BeLike '*:db:production-db*'
            ($checks | Where-Object Check -eq 'CopyJobs').Status | Should -Be 'Passed'
        }

        It 'explains each copy AWS refused in staging with its cause and fix' {
            $checks = @(Get-OrgAccount | Where-Object Name -eq 'staging' | Test-CrossAccountBackupReadiness @readiness -SourceVaultName aws-managed)
            $key = $checks | Where-Object Check -eq 'SourceKeyShared'
            $key.Status | Should -Be 'Failed'
            $key.Detail | Should -BeLike '*AWS-managed key*cannot be shared*'
            $copies = @($checks | Where-Object Check -eq 'CopyJobs')
            $copies.Status | Should -Be @('Failed', 'Failed', 'Failed')
            ($copies | Where-Object Detail -like '*default CMK*').Remediation | Should -BeLike '*AWS-managed key aws/backup, which cannot be shared*'
            ($copies | Where-Object Detail -like '*restricted*').Remediation | Should -BeLike "*access policy must allow backup:CopyIntoBackupVault*"
            ($copies | Where-Object { $_.Detail -like '*Given key ID is not accessible' }).Remediation | Should -BeLike "*key's policy must let the destination account use it*"
        }
    }

    Describe 'Test-CrossAccountBackupReadiness pitfalls' {
        It 'fails AlertTopicKey while the failed-jobs topic is under the AWS-managed key aws/sns' {
            $changed = Invoke-DrSandbox topic-key us-east-2 alias/aws/sns
            try {
                $alert = @(Test-CrossAccountBackupReadiness @readiness -AccountId 333333333333 -SourceVaultName workload | Where-Object Check -eq 'AlertTopicKey')
                $alert.Status | Should -Be @('Failed', 'Passed') -Because 'only the primary region''s topic was changed'
                $alert[0].Detail | Should -BeLike "*$($changed.topic)*AWS-managed key alias/aws/sns*AWS Backup cannot publish*"
                $alert[0].Remediation | Should -BeLike '*customer-managed KMS key*backup.amazonaws.com*'
                $alert[1].Detail | Should -BeLike '*customer-managed key arn:aws:kms:us-west-2:222222222222:key/*'
            }
            finally { Invoke-DrSandbox topic-key us-east-2 $changed.previous | Out-Null }
        }

        It 'fails the check whose call an SCP denies, naming the SCP, and passes it again once the SCP is gone' {
            $scp = Invoke-DrSandbox scp-deny kms:GetKeyPolicy 333333333333
            try {
                $key = Test-CrossAccountBackupReadiness @readiness -AccountId 333333333333 -SourceVaultName workload | Where-Object Check -eq 'SourceKeyShared'
                $key.Status | Should -Be 'Failed'
                $key.Detail | Should -BeLike "*not authorized to perform: kms:GetKeyPolicy on resource: arn:aws:kms:us-east-2:333333333333:key/* with an explicit deny in a service control policy: $($scp.arn)*"
                $key.Remediation | Should -BeLike "A service control policy ($($scp.arn)) denies kms:GetKeyPolicy in this account*no role policy can override it."
            }
            finally { Invoke-DrSandbox scp-remove $scp.policyId 333333333333 | Out-Null }
            (Test-CrossAccountBackupReadiness @readiness -AccountId 333333333333 -SourceVaultName workload | Where-Object Check -eq 'SourceKeyShared').Status | Should -Be 'Passed'
        }
    }

    Describe 'Invoke-DrValidation' {
        It 'finds the production copies in the central vault of both regions after the clock ran the plan' {
            foreach ($region in 'us-east-2', 'us-west-2') {
                $points = @(Invoke-DrSandbox recovery-points $region)
                @($points.resourceType | Sort-Object) | Should -Be $protectedTypes -Because "copies reach $region"
                $points.status | Should -Not -Contain 'FAILED'
            }
        }

        It 'makes no mutating call with -WhatIf' {
            Get-CloudSandboxRequestLog -Clear | Out-Null
            $results = @(Invoke-DrValidation @common -Region us-west-2 -WhatIf)
            $results | Should -HaveCount 0
            @(Get-CloudSandboxRequestLog -MutatingOnly) | Should -HaveCount 0
        }

        It 'restores each resource in the DR region, checks it, deletes it and stores evidence before returning' {
            Get-CloudSandboxRequestLog -Clear | Out-Null
            $script:validated = @(Invoke-DrValidation @common -Region us-west-2 -Validator { param($restored) "saw $($restored.Name)" } -ErrorVariable failures)
            $failures | Should -HaveCount 0
            $validated | Should -HaveCount 7 -Because 'production protects one resource of each of the seven types'
            foreach ($result in $validated) {
                $result | Should -BeOfType 'CloudPatterns.Core.DisasterRecovery.DrValidationResult'
                $result.Status | Should -Be 'Passed'
                $result.AccountId | Should -Be $logArchive
                $result.Region | Should -Be 'us-west-2'
                $result.SourceAccountId | Should -Be '333333333333'
                @($result.Checks.Name) | Should -Be @('RestoreJobCompleted', 'RpoWithinTarget', 'RtoWithinTarget', 'RestoredResourceAvailable', 'Validator')
                # AWS names a restored EBS volume and EC2 instance; the others get the validation's name.
                ($result.Checks | Where-Object Name -eq 'Validator').Detail | Should -BeLike (@{ EBS = 'saw vol-*'; EC2 = 'saw i-*' }[$result.ResourceType] ?? 'saw drv-*')
                $result.Rto | Should -BeLessOrEqual $result.RtoTarget
                $result.Rpo | Should -BeLessOrEqual $result.RpoTarget
                $result.Cleanup.Outcome | Should -Be 'Passed'
                # A bucket's ARN names no account (arn:aws:s3:::name).
                $result.RestoredResourceArn | Should -Match ($result.ResourceType -eq 'S3' ? '^arn:aws:s3:::drv-' : ':222222222222:')
                $result.EvidenceKey | Should -Match '^dr-validation/\d{4}/\d{2}/\d{2}/[0-9TZ]+-[0-9a-f]{6}/\d+\.json$'
            }
            @($validated.ResourceType | Sort-Object) | Should -Be $protectedTypes
            $volume = $validated | Where-Object ResourceType -eq 'EBS'
            $volume.RestoredResourceArn | Should -Match '^arn:aws:ec2:us-west-2:222222222222:volume/vol-[0-9a-f]{17}$'
            $volume.ResourceArn | Should -Be 'arn:aws:ec2:us-east-2:333333333333:volume/vol-03333333333330001'
            # What each check found usable: the instance booted and passed both status checks, the cluster has the
            # writer the check added, every object reads back as its ETag, the file system holds its 25-byte file.
            $usable = @{}
            foreach ($result in $validated) { $usable[$result.ResourceType] = ($result.Checks | Where-Object Name -eq 'RestoredResourceAvailable').Detail }
            $usable.EC2 | Should -BeLike '*running, system status ok, instance status ok*'
            $usable.Aurora | Should -BeLike '*writer drv-*-writer (added for the check: the restore made no instance) available behind *'
            $usable.S3 | Should -BeLike '*2 objects read back, each matching its ETag*'
            $usable.EFS | Should -BeLike 'EFS drv-* is available, 6169 bytes metered.' -Because '6 KiB of an empty file system and the 25 bytes the restore put back'
            ($validated | Where-Object ResourceType -eq 'EC2').ResourceArn | Should -Be 'arn:aws:ec2:us-east-2:333333333333:instance/i-03333333333330001'
            ($validated | Where-Object ResourceType -eq 'EFS').RestoredResourceArn | Should -Match '^arn:aws:elasticfilesystem:us-west-2:222222222222:file-system/fs-[0-9a-f]{17}$'
            # log-archive holds no volumes, instances or file systems of its own in us-west-2: any there would be a
            # restore left behind.
            $left = @(Invoke-DrSandbox restored us-west-2)
            $left -like 'drv-*' | Should -HaveCount 0 -Because 'validation deletes what it restored'
            $left -like 'vol-*' | Should -HaveCount 0 -Because 'validation deletes the restored volume'
            $left -like 'i-*' | Should -HaveCount 0 -Because 'validation terminates the restored instance'
            $left -like 'fs-*' | Should -HaveCount 0 -Because 'validation deletes the restored file system'
            $calls = Get-CloudSandboxRequestLog -MutatingOnly
            @($calls | Where-Object operation -eq 'StartRestoreJob') | Should -HaveCount 7
            @($calls | Where-Object operation -in 'DeleteTable', 'DeleteVolume', 'DeleteDBCluster', 'DeleteBucket', 'TerminateInstances', 'DeleteFileSystem') | Should -HaveCount 6
            @($calls | Where-Object operation -eq 'DeleteDBInstance') | Should -HaveCount 2 -Because 'the restored DB instance and the writer the Aurora check added are deleted'
            @($calls | Where-Object { $_.operation -eq 'DeleteVolume' -and $_.statusCode -eq 200 -and $_.accountId -eq $logArchive }) | Should -HaveCount 1
            $puts = @($calls | Where-Object { $_.operation -eq 'PutObject' -and $_.statusCode -eq 200 })
            $claims = @($puts | Where-Object { $_.Checks[0].Resource -like '*/dr-validation-claims/*' })
            $claims | Should -HaveCount 7 -Because 'each record first claims its chain position (docs/evidence.md, "Writers at the same moment")'
            @($puts | Where-Object { $_ -notin $claims }) | Should -HaveCount 29 -Because 'the run stores its state once, each validation stores its record and its signed digest, and notes its restore before and after StartRestoreJob'
            $evidenceDeletes = @($calls | Where-Object { $_.operation -eq 'DeleteObject' -and $_.statusCode -eq 204 -and $_.Checks[0].Resource -like 'arn:aws:s3:::org-dr-evidence/*' })
            $evidenceDeletes | Should -HaveCount 7 -Because 'each restore note is removed once its resource is gone'
            @($calls | Where-Object operation -eq 'PutMetricData').Count | Should -BeGreaterThan 0
        }

        It 'fails a validation whose validator refuses, still cleans up, and alerts the SNS topic' {
            Invoke-RestMethod -Method Delete "$admin/sns/messages" | Out-Null
            $result = Invoke-DrValidation @common -Region us-west-2 -ResourceType DynamoDB -AlertTopicArn $setup.alertTopicArn -Validator { $false }
            $result.Status | Should -Be 'Failed'
            ($result.Checks | Where-Object Name -eq 'Validator').Outcome | Should -Be 'Failed'
            $result.Cleanup.Outcome | Should -Be 'Passed'
            $result.EvidenceKey | Should -Not -BeNullOrEmpty
            $messages = @(Invoke-RestMethod "$admin/sns/messages?topicArn=$([uri]::EscapeDataString($setup.alertTopicArn))")
            $messages | Should -HaveCount 1
            $messages[0].subject | Should -BeLike 'DR validation failed: DynamoDB*'
            $messages[0].message | Should -BeLike "*Validator: *$($result.EvidenceKey)*"
        }

        It 'fails RpoWithinTarget when the recovery point is older than -RpoTarget' {
            $result = Invoke-DrValidation @common -Region us-west-2 -ResourceType RDS -RpoTarget 00:01:00
            $result.Status | Should -Be 'Failed'
            ($result.Checks | Where-Object Name -eq 'RpoWithinTarget').Outcome | Should -Be 'Failed'
            ($result.Checks | Where-Object Name -eq 'RestoreJobCompleted').Outcome | Should -Be 'Passed'
        }

        It 'refuses a missing evidence bucket before any restore' {
            Get-CloudSandboxRequestLog -Clear | Out-Null
            { Invoke-DrValidation @common -Region us-west-2 -ResourceType DynamoDB, EBS -EvidenceBucket 'no-such-evidence-bucket' } |
                Should -Throw -ErrorId 'InvalidDrValidationInput,CloudPatterns.PowerShell.Cmdlets.InvokeDrValidationCommand' -ExpectedMessage '*Evidence bucket no-such-evidence-bucket does not exist in 222222222222*'
            @(Get-CloudSandboxRequestLog -MutatingOnly) | Should -HaveCount 0
        }

        It 'still succeeds with 20% of all calls throttled' {
            # With the SDK's default settings: the module retries throttled calls up to ten times (backoff with full
            # jitter), so this run of a few dozen calls fails only if one call is throttled ten times in a row
            # (0.2^10, about 1e-7, each). Three attempts gave each call 0.8%, and such a run about one chance in five.
            # Polling every 100 ms makes enough calls (over 60) that a run with none of them throttled, which would
            # leave nothing tested, has a chance below 0.8^60, about 1e-6.
            $fast = $common.Clone()
            $fast.PollInterval = [timespan]'00:00:00.1'
            Set-CloudSandboxFault -ThrottleRate 0.2
            try {
                # Three of production's types: the retries are the point, not the types (the test above has them all).
            $output = @(Invoke-DrValidation @fast -Region us-east-2 -ResourceType DynamoDB, EBS, RDS -ErrorVariable failures -Verbose 4>&1)
            }
            finally {
                Clear-CloudSandboxFault
            }
            $results = @($output | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
            $calls = @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | Where-Object Message -match ' in \d{12} [a-z0-9-]+: ')
            $retries = ($calls | ForEach-Object { if ($_.Message -match ', (\d+) retries\)$') { [int]$Matches[1] } } | Measure-Object -Sum).Sum
            $failures | Should -HaveCount 0
            $results | Should -HaveCount 3
            $results.Status | Should -Not -Contain 'Failed'
            $retries | Should -BeGreaterThan 0 -Because "throttled calls were retried ($($calls.Count) calls)"
        }
    }

    Describe 'Set-CrossAccountBackup -VaultLock' {
        It 'locks both central vaults with -Force; a second run neither asks nor changes anything' {
            $lock = @{ VaultLock = $true; VaultLockMinRetentionDays = 7; VaultLockMaxRetentionDays = 3650 }
            $locked = @(Set-CrossAccountBackup @backupSetup @lock -AccountId 333333333333 -Force)
            $vaults = @($locked.Steps | Where-Object Component -eq 'CentralVault')
            $vaults.Action | Should -Be @('Changed', 'Changed')
            foreach ($vault in $vaults) { @($vault.Changes | Where-Object { $_.Action -eq 'Modify' -and $_.LogicalResourceId -eq 'Vault' }) | Should -HaveCount 1 }
            foreach ($region in 'us-east-2', 'us-west-2') {
                $state = Invoke-DrSandbox vault-lock $region
                $state.Locked | Should -BeTrue
                $state.MinRetentionDays | Should -Be 7
                $state.MaxRetentionDays | Should -Be 3650
            }

            $again = Invoke-WithRecordingHost 'no question is expected' {
                param($Setup, $Lock)
                Set-CrossAccountBackup @Setup @Lock -AccountId 333333333333
            } $backupSetup, $lock
            $again.Errors | Should -HaveCount 0
            $again.Prompts | Should -HaveCount 0 -Because 'the vaults already hold this lock: nothing irreversible is new'
            $again.Output | Should -HaveCount 6
            $again.Output.Changed | Should -Not -Contain $true
        }
    }

    Describe 'Get-AuditEvidence' {
        It 'verifies the hash, the signature, the chain, the digest and the COMPLIANCE retention of every record' {
            $evidence = @(Get-AuditEvidence -Bucket $setup.evidenceBucket -EvidenceAccountId $logArchive -EvidenceRegion us-east-2)
            $evidence | Should -HaveCount 12 -Because 'seven validations, the refused validator, the RPO failure and three throttled ones'
            $signingKey = (Invoke-DrSandbox signing-key).metadata.Arn
            foreach ($record in $evidence) {
                $record | Should -BeOfType 'CloudPatterns.Core.DisasterRecovery.AuditEvidence'
                $record.Failures | Should -HaveCount 0
                $record.Verified | Should -BeTrue
                $record.SignatureValid | Should -BeTrue
                $record.SignedBy | Should -Be $signingKey
                $record.Anchored | Should -BeTrue
                $record.Versions | Should -HaveCount 1
                $record.Reason | Should -BeLike "Signed by $signingKey, chained to the record before it, anchored by its signed digest, one version, COMPLIANCE until *"
                $record.RetentionMode | Should -Be 'COMPLIANCE'
                $record.RetainUntil | Should -BeGreaterThan $record.RecordedAt.AddDays(364)
            }
            # Results stream as each validation ends; the chain holds them in the order they were stored.
            @($evidence | Select-Object -First 7 | ForEach-Object Key) | Should -Be @($validated.EvidenceKey | Sort-Object { [int]($_ -replace '.*/(\d+)\.json$', '$1') })
            @($evidence | Where-Object Outcome -eq 'Failed') | Should -HaveCount 2
        }

        It 'filters by account from the pipeline and by resource' {
            @(Get-OrgAccount | Where-Object Name -eq 'staging' | Get-AuditEvidence -Bucket $setup.evidenceBucket -EvidenceAccountId $logArchive -EvidenceRegion us-east-2) | Should -HaveCount 0
            @(Get-AuditEvidence -Bucket $setup.evidenceBucket -EvidenceAccountId $logArchive -EvidenceRegion us-east-2 -AccountId 333333333333 -ResourceArn '*:db:*') | Should -HaveCount 3
            @(Get-AuditEvidence -Bucket $setup.evidenceBucket -EvidenceAccountId $logArchive -EvidenceRegion us-east-2 -Region us-west-2) | Should -HaveCount 0 -Because 'every protected resource is in us-east-2'
        }

        It 'detects a record whose content was changed in place' {
            $key = $validated[0].EvidenceKey
            $forged = (& $python $support $env:AWS_ENDPOINT_URL get-evidence $key) -replace '"outcome":"Passed"', '"outcome":"Failed"'
            Invoke-RestMethod -Method Post "$admin/s3/tamper" -ContentType 'application/json' -Body (@{ bucket = $setup.evidenceBucket; key = $key; content = $forged } | ConvertTo-Json) | Out-Null
            $evidence = @(Get-AuditEvidence -Bucket $setup.evidenceBucket -EvidenceAccountId $logArchive -EvidenceRegion us-east-2)
            $tampered = $evidence | Where-Object Key -eq $key
            $tampered.Verified | Should -BeFalse
            $tampered.HashValid | Should -BeFalse
            ($tampered.Failures -join ' ') | Should -BeLike '*content changed after it was sealed*'
            @($evidence | Where-Object { $_.Key -ne $key -and -not $_.Verified }) | Should -HaveCount 0
        }

        It 'detects a record stored under a weaker retention than COMPLIANCE for its period' {
            # The bucket's default retention is COMPLIANCE for 365 days; an object's own retention overrides it.
            Invoke-DrSandbox put-governance 'dr-validation/2099/01/01/20990101T000000Z-ffffff/1.json' | Out-Null
            $last = @(Get-AuditEvidence -Bucket $setup.evidenceBucket -EvidenceAccountId $logArchive -EvidenceRegion us-east-2)[-1]
            $last.Key | Should -Be 'dr-validation/2099/01/01/20990101T000000Z-ffffff/1.json'
            $last.Verified | Should -BeFalse
            $last.RetentionValid | Should -BeFalse
            $last.RetentionMode | Should -Be 'GOVERNANCE'
            ($last.Failures -join ' ') | Should -BeLike "*The object's retention is GOVERNANCE until *; the record requires COMPLIANCE until at least *"
        }

        It 'exports one self-contained HTML report with the controls, the failures and the broken chain' {
            $path = Join-Path $TestDrive 'dr-audit.html'
            Export-AuditReport -Bucket $setup.evidenceBucket -EvidenceAccountId $logArchive -EvidenceRegion us-east-2 -Path $path -WhatIf
            Test-Path $path | Should -BeFalse -Because '-WhatIf writes nothing'
            $file = Export-AuditReport -Bucket $setup.evidenceBucket -EvidenceAccountId $logArchive -EvidenceRegion us-east-2 -Path $path
            $file | Should -BeOfType 'CloudPatterns.Core.DisasterRecovery.AuditReportFile'
            $file.Validations | Should -Be 13 -Because 'the twelve records and the one stored under GOVERNANCE'
            $file.ChainIntact | Should -BeFalse
            $html = Get-Content -Raw $path
            foreach ($text in 'A1.2', 'A1.3', 'CC7.5', 'A.5.30', 'A.8.13', '<svg', 'Evidence chain: BROKEN', 'content changed after it was sealed') { $html | Should -BeLike "*$text*" }
            $html | Should -Not -Match '<script|<link|src='
        }

        It 'exports one CSV row per record' {
            $path = Join-Path $TestDrive 'dr-audit.csv'
            Export-AuditReport -Bucket $setup.evidenceBucket -EvidenceAccountId $logArchive -EvidenceRegion us-east-2 -AccountId 333333333333 -Format Csv -Path $path | Out-Null
            $rows = @(Import-Csv $path)
            $rows | Should -HaveCount 12 -Because 'the record without fields names no account'
            @($rows | Where-Object Outcome -eq 'Failed') | Should -HaveCount 3 -Because 'two validations failed and the tampered record was forged to say so'
            @($rows | Where-Object Verified -eq 'false').Key | Should -Be $validated[0].EvidenceKey
        }
    }

    Describe 'Export-AuditReport over a period' {
        It 'reports the period, the coverage of protected resources per account, the monthly trend, no drill, and no control on an unalerted failure' {
            $evidenceArgs = @{ Bucket = $setup.evidenceBucket; EvidenceAccountId = $logArchive; EvidenceRegion = 'us-east-2' }
            $evidence = @(Get-AuditEvidence @evidenceArgs | Where-Object RecordType -eq 'Validation')
            $from = ($evidence.RecordedAt | Measure-Object -Minimum).Minimum.AddMinutes(-1)
            $to = ($evidence.RecordedAt | Measure-Object -Maximum).Maximum.AddMinutes(1)
            $json = Join-Path $TestDrive 'period.json'
            $html = Join-Path $TestDrive 'period.html'
            $coverage = @{ CoverageRegion = 'us-east-2'; CoverageAccountId = '333333333333' }
            Export-AuditReport @evidenceArgs @coverage -From $from -To $to -Format Json -Path $json | Out-Null
            Export-AuditReport @evidenceArgs @coverage -From $from -To $to -Path $html | Out-Null
            $report = Get-Content -Raw $json | ConvertFrom-Json
            $report.Period.Text | Should -Be "$($from.ToUniversalTime().ToString('u')) to $($to.ToUniversalTime().ToString('u'))"
            $months = for ($month = [datetime]::new($from.Year, $from.Month, 1); $month -le $to; $month = $month.AddMonths(1)) { $month.ToString('yyyy-MM') }
            @($report.Trends.Month) | Should -Be @($months)
            ($report.Trends.Validations | Measure-Object -Sum).Sum | Should -Be $report.Validations
            ($report.Trends.Passed | Measure-Object -Sum).Sum | Should -Be $report.Passed
            $protected = @(Invoke-DrSandbox protected 333333333333 us-east-2)
            $passed = @($evidence | Where-Object { $_.Verified -and $_.Outcome -eq 'Passed' } | ForEach-Object ResourceArn | Sort-Object -Unique)
            $production = @($report.Coverage.Accounts | Where-Object AccountId -eq '333333333333')
            $production | Should -HaveCount 1
            $production[0].Protected | Should -Be $protected.Count
            @($production[0].Validated | Sort-Object) | Should -Be @($protected | Where-Object { $_ -in $passed } | Sort-Object)
            $production[0].Validated | Should -Not -BeNullOrEmpty
            @(@($production[0].NotValidated) + @($production[0].FailedOnly) | Where-Object { $_ } | Sort-Object) | Should -Be @($protected | Where-Object { $_ -notin $passed } | Sort-Object)
            $report.Drills | Should -HaveCount 0
            ($report.Controls | Where-Object Control -eq 'A.5.30').Supported | Should -BeFalse -Because 'no drill was run in the period'
            ($report.Controls | Where-Object Control -eq 'CC7.5').Supported | Should -BeFalse -Because 'the RPO failure was run without -AlertTopicArn: nobody was alerted'
            $text = Get-Content -Raw $html
            foreach ($part in 'id="period"', 'id="coverage"', 'data-chart="coverage-by-account"', 'data-chart="trend-success-rate"', 'data-chart="trend-rto"', 'No DR drills in the period.') { $text | Should -BeLike "*$part*" }
            $text | Should -Not -Match '\d\d:\d\d:\d\d\.\d{7}' -Because 'durations are written for people'
        }
    }

    Describe 'Evidence under attack' {
        BeforeAll {
            $script:evidenceArgs = @{ Bucket = $setup.evidenceBucket; EvidenceAccountId = $logArchive; EvidenceRegion = 'us-east-2' }
            $script:honest = @(Get-AuditEvidence @evidenceArgs | Where-Object Verified)
        }

        It 'is signed by a key only the evidence writer role may sign with, verifiable by everyone in the account' {
            $key = Invoke-DrSandbox signing-key
            $key.metadata.KeySpec | Should -Be 'ECC_NIST_P256'
            $key.metadata.KeyUsage | Should -Be 'SIGN_VERIFY'
            $signers = @($key.policy.Statement | Where-Object { $_.Effect -eq 'Allow' -and (@($_.Action) -contains 'kms:Sign' -or @($_.Action) -contains 'kms:*') })
            $signers | Should -HaveCount 1
            $signers[0].Principal.AWS | Should -Be "arn:aws:iam::${logArchive}:role/OrganizationAccountAccessRole"
            @($key.policy.Statement | Where-Object { @($_.Action) -contains 'kms:Verify' }).Principal.AWS | Should -Be "arn:aws:iam::${logArchive}:root"
        }

        It 'reports a forged record, re-hashed, re-signed with another key and stored as a new version, as tampering naming both versions' {
            $target = ($honest | Where-Object Outcome -eq 'Failed')[0].Key
            $attacker = (Invoke-DrSandbox forge-version $target).attackerKey
            $evidence = @(Get-AuditEvidence @evidenceArgs) | Where-Object Key -eq $target
            $evidence.Verified | Should -BeFalse
            $evidence.Versions | Should -HaveCount 2
            $evidence.Outcome | Should -Be 'Failed' -Because 'the first version, the one Object Lock protected from the start, is the record'
            $evidence.Reason | Should -BeLike "*$target has 2 versions (*): evidence is written once*"
            $attacker | Should -Not -BeNullOrEmpty
        }

        It 'reports a record signed with another key, naming that key' {
            $after = $honest[-1].Key
            $key = 'dr-validation/2099/01/02/20990102T000000000Z-aaaaaa/1.json'
            $attacker = (Invoke-DrSandbox append-foreign $key $after).attackerKey
            $evidence = @(Get-AuditEvidence @evidenceArgs) | Where-Object Key -eq $key
            $evidence.Verified | Should -BeFalse
            $evidence.SignatureValid | Should -BeFalse
            $evidence.HashValid | Should -BeTrue -Because 'the attacker re-hashed it correctly'
            $evidence.Reason | Should -BeLike "*It is signed with KMS key $attacker, not with the evidence signing key arn:aws:kms:us-east-2:${logArchive}:key/*"
        }

        It 'reports a deleted middle record and deleted last records (and their digests), each still shown from its locked version' {
            $middle = $honest[1].Key
            $last = $honest[-1].Key
            foreach ($key in $middle, $last, ($last -replace '^dr-validation/', 'dr-validation-digest/')) { Invoke-DrSandbox delete $key | Out-Null }
            $evidence = @(Get-AuditEvidence @evidenceArgs)
            foreach ($key in $middle, $last) {
                $record = $evidence | Where-Object Key -eq $key
                $record.Verified | Should -BeFalse
                $record.Reason | Should -BeLike "*The record $key was deleted (delete marker *"
                $record.Outcome | Should -Not -BeNullOrEmpty
            }
            ($evidence | Where-Object Key -eq $last).Reason | Should -BeLike '*The digest dr-validation-digest/* was deleted (delete marker *'
        }

        It 'puts every tampered record first in the report, and never says intact or 100%' {
            $unverified = @(Get-AuditEvidence @evidenceArgs | Where-Object { -not $_.Verified })
            $html = Join-Path $TestDrive 'attacked.html'
            $json = Join-Path $TestDrive 'attacked.json'
            $file = Export-AuditReport @evidenceArgs -Path $html
            Export-AuditReport @evidenceArgs -Path $json -Format Json | Out-Null
            $file.ChainIntact | Should -BeFalse
            $file.SuccessRate | Should -BeLessThan 1
            $text = Get-Content -Raw $html
            $text | Should -BeLike "*EVIDENCE TAMPERING DETECTED: $($unverified.Count) of *"
            $text.IndexOf('EVIDENCE TAMPERING DETECTED') | Should -BeLessThan $text.IndexOf('Success rate per account')
            $text | Should -Not -BeLike '*Evidence chain: intact*'
            foreach ($record in $unverified) { $text | Should -BeLike "*$($record.Key)*" }
            $report = Get-Content -Raw $json | ConvertFrom-Json
            $report.Tampered | Should -Be $unverified.Count
            @($report.Tampering.Key) | Should -Be @($unverified.Key)
            $report.Passed | Should -Be @(Get-AuditEvidence @evidenceArgs | Where-Object { $_.Verified -and $_.Outcome -eq 'Passed' }).Count
        }

        It 'refuses -From after -To before reading anything' {
            Get-CloudSandboxRequestLog -Clear | Out-Null
            { Get-AuditEvidence @evidenceArgs -From '2026-02-01' -To '2026-01-01' } | Should -Throw -ErrorId 'InvalidPeriod,CloudPatterns.PowerShell.Cmdlets.GetAuditEvidenceCommand'
            { Export-AuditReport @evidenceArgs -From '2026-02-01' -To '2026-01-01' -Path (Join-Path $TestDrive 'none.html') } | Should -Throw -ErrorId 'InvalidPeriod,CloudPatterns.PowerShell.Cmdlets.ExportAuditReportCommand'
            Test-Path (Join-Path $TestDrive 'none.html') | Should -BeFalse
            @(Get-CloudSandboxRequestLog | Where-Object Service -eq 's3') | Should -HaveCount 0
        }

        It 'warns, naming the period, when the period holds no evidence' {
            $found = @(Get-AuditEvidence @evidenceArgs -From '2001-01-01Z' -To '2001-01-31Z' -WarningVariable warnings -WarningAction SilentlyContinue)
            $found | Should -HaveCount 0
            $warnings | Should -HaveCount 1
            "$($warnings[0])" | Should -Be 'No evidence in s3://org-dr-evidence from 2001-01-01 00:00:00Z to 2001-01-31 00:00:00Z.'
        }
    }

    Describe 'Streams of a DR run' {
        It 'hold neither the secret key nor a session token with -Verbose -Debug, and tell each AWS call' {
            Get-CloudSandboxRequestLog -Clear | Out-Null
            $streams = Invoke-WithEveryStream -Variables @{ common = $common; readiness = $readiness; report = (Join-Path $TestDrive 'streams.html') } -Script '
                Test-CrossAccountBackupReadiness @readiness -AccountId 333333333333, 444444444444 -SourceVaultName workload
                Invoke-DrValidation @common -Region us-west-2 -ResourceType DynamoDB -Confirm:$false
                try { Invoke-DrValidation @common -Region us-west-2 -ResourceType DynamoDB -EvidenceBucket no-such-evidence-bucket -Confirm:$false } catch { Write-Error -ErrorRecord $_ }
                Get-AuditEvidence -Bucket $common.EvidenceBucket -EvidenceAccountId $common.EvidenceAccountId -EvidenceRegion us-east-2
                Export-AuditReport -Bucket $common.EvidenceBucket -EvidenceAccountId $common.EvidenceAccountId -EvidenceRegion us-east-2 -Path $report'
            foreach ($stream in 'Output', 'Verbose', 'Debug', 'Progress') { $streams.$stream | Should -Not -BeNullOrEmpty -Because "the run writes to $stream" }
            $streams.Error | Should -Match 'Evidence bucket no-such-evidence-bucket does not exist' -Because 'a missing evidence bucket is reported before any restore'
            $streams.Progress | Should -Match "DR validation $logArchive us-west-2"
            foreach ($stream in $streams.PSObject.Properties) { Find-Secret $stream.Value -Secret $env:AWS_SECRET_ACCESS_KEY | Should -BeNullOrEmpty -Because "the $($stream.Name) stream must hold no secret" }
            Compare-VerboseWithRequestLog $streams.Verbose @(Get-CloudSandboxRequestLog) | Should -BeNullOrEmpty
        }
    }

    # The runbook of templates/ssm, run as aws:executeScript runs it: its own pwsh, the attachment in the working
    # directory, $env:InputPayload, and an automation role's temporary credentials in the environment (here a session
    # of log-archive's OrganizationAccountAccessRole, so the vault's account is the automation's own).
    Describe 'RPO under one hour' {
        BeforeAll {
            # The daily setup of the tests above warns; re-run with hourly copies and continuous backup (keeping the lock
            # the Vault Lock tests applied), then move to 20 minutes past the next hour: that hour's backups, copies and
            # the first run of the continuous backup have completed.
            $script:dailyRpo = @(Test-CrossAccountBackupReadiness @readiness -AccountId 333333333333 -SourceVaultName workload | Where-Object Check -eq 'AchievableRpo')
            $lock = @{ VaultLock = $true; VaultLockMinRetentionDays = 7; VaultLockMaxRetentionDays = 3650 }
            $script:hourly = @(Get-OrgAccount | Where-Object Name -eq 'production' | Set-CrossAccountBackup @backupSetup @lock -Schedule Hourly -ContinuousBackup -Force)
            $now = (Get-CloudSandboxClock).Now.UtcDateTime
            $nextHour = [datetimeoffset]::new($now.Date.AddHours($now.Hour + 1), [timespan]::Zero)
            Set-CloudSandboxClock -To $nextHour.AddMinutes(20) | Out-Null
            # Invoke-DrValidation's default targets (1 hour), in the vault account and in the member's own vault.
            $script:latest = @{} + $common
            $latest.Remove('RpoTarget')
            $script:memberVault = @{} + $latest
            $memberVault.AccountId = '333333333333'
            $memberVault.BackupVaultName = 'workload'
        }

        It 'warned, per protected resource type, that a daily schedule cannot meet the 1-hour RPO' {
            @($dailyRpo.ResourceType | Sort-Object) | Should -Be $protectedTypes
            @($dailyRpo.Status | Sort-Object -Unique) | Should -Be @('Warning')
            @($dailyRpo.DrRegionRpo) | Should -Be (@([timespan]'1.00:00:00') * 7)
            $dailyRpo[0].Remediation | Should -BeLike '*-Schedule Hourly*-ContinuousBackup*'
        }

        It 'sets up an hourly plan with continuous backup, which readiness reads from the member''s plan' {
            ($hourly | Where-Object Components -eq 'MemberBackupPlan').Changed | Should -BeTrue
            $member = Invoke-DrSandbox member-backup 333333333333
            $member.rules.schedule | Should -Be 'cron(0 * ? * * *)'
            $member.rules.continuous | Should -BeTrue

            $rpo = @(Test-CrossAccountBackupReadiness @readiness -AccountId 333333333333 -SourceVaultName workload | Where-Object Check -eq 'AchievableRpo')
            @($rpo.Status) | Should -Be (@('Passed') * 7)
            # Continuous backup covers RDS, Aurora and S3; the other types keep the hourly schedule.
            foreach ($type in 'RDS', 'Aurora', 'S3') { ($rpo | Where-Object ResourceType -eq $type).PrimaryRegionRpo | Should -Be ([timespan]'00:05:00') -Because $type }
            foreach ($type in 'DynamoDB', 'EBS', 'EC2', 'EFS') { ($rpo | Where-Object ResourceType -eq $type).PrimaryRegionRpo | Should -Be ([timespan]'01:00:00') -Because $type }
            @($rpo.DrRegionRpo) | Should -Be (@([timespan]'01:00:00') * 7)
        }

        It 'keeps one continuous recovery point of the database, brought up to date by the hourly run' {
            $points = @((Invoke-DrSandbox member-backup 333333333333).points | Where-Object resourceType -eq 'RDS')
            $continuous = @($points | Where-Object arn -like '*:recovery-point:continuous:production-db-*')
            $continuous | Should -HaveCount 1
            ([datetimeoffset]$continuous[0].completed) | Should -BeGreaterThan ((Get-CloudSandboxClock).Now.AddMinutes(-20))
        }

        It 'validates the database from its continuous backup, minutes old, within the default 1-hour targets' {
            $result = Invoke-DrValidation @memberVault -Region us-east-2 -ResourceType RDS
            $result.Status | Should -Be 'Passed' -Because (($result.Checks | Where-Object Outcome -ne 'Passed' | ForEach-Object { "$($_.Name): $($_.Detail)" }) -join '; ')
            $result.RecoveryPointArn | Should -BeLike '*:recovery-point:continuous:production-db-*'
            $result.RpoTarget | Should -Be ([timespan]'01:00:00')
            $result.RtoTarget | Should -Be ([timespan]'01:00:00')
            $result.Rpo | Should -Be ([timespan]'00:05:00')
            ($result.Checks | Where-Object Name -eq 'RpoWithinTarget').Detail | Should -BeLike '*latest restorable time*'
        }

        It 'validates the newest hourly copy in the DR region within the default 1-hour RPO' {
            $copies = @((Invoke-DrSandbox member-backup 333333333333).copies | Where-Object { $_.destination -like '*:us-west-2:*' -and $_.resourceType -eq 'DynamoDB' })
            $copies | Where-Object state -ne 'COMPLETED' | Should -BeNullOrEmpty
            $result = Invoke-DrValidation @latest -Region us-west-2 -ResourceType DynamoDB
            $result.Status | Should -Be 'Passed' -Because (($result.Checks | Where-Object Outcome -ne 'Passed' | ForEach-Object { "$($_.Name): $($_.Detail)" }) -join '; ')
            $result.Rpo | Should -BeLessThan ([timespan]'00:30:00')
            $result.RpoTarget | Should -Be ([timespan]'01:00:00')
        }
    }

    # Last in the file: it moves the sandbox clock a day on.
    Describe 'DR monitoring (templates/disaster-recovery/dr-monitoring.yaml)' {
        BeforeAll {
            # Ten minutes on, the failures validated above are out of the failure alarm's five-minute period.
            Set-CloudSandboxClock -Advance (New-TimeSpan -Minutes 10) | Out-Null
            $script:monitoring = Invoke-DrSandbox deploy-monitoring us-west-2 (Join-Path $PSScriptRoot '../../templates/disaster-recovery/dr-monitoring.yaml')
            $script:topicMessages = { @(Invoke-RestMethod "$admin/sns/messages?topicArn=$([uri]::EscapeDataString($monitoring.AlertTopicArn))") }
        }

        It 'puts the failure alarm in ALARM when a validation fails (CloudWatch DescribeAlarms), and its topic gets the alarm and the alert' {
            (Invoke-DrSandbox alarms us-west-2).'cloudpatterns-dr-validation-failed' | Should -Be 'OK' -Because 'no validation failed in the last five minutes'
            $passed = Invoke-DrValidation @common -Region us-west-2 -ResourceType DynamoDB -AlertTopicArn $monitoring.AlertTopicArn
            $passed.Status | Should -Be 'Passed'
            (Invoke-DrSandbox alarms us-west-2).'cloudpatterns-dr-validation-failed' | Should -Be 'OK' -Because 'a passed validation is no failure'
            @(& $topicMessages | Where-Object { $_.subject -like 'ALARM: "cloudpatterns-dr-validation-failed"*' -or $_.subject -like 'DR validation failed*' }) | Should -HaveCount 0

            $failed = Invoke-DrValidation @common -Region us-west-2 -ResourceType DynamoDB -AlertTopicArn $monitoring.AlertTopicArn -Validator { $false }
            $failed.Status | Should -Be 'Failed'
            $states = Invoke-DrSandbox alarms us-west-2
            $states.'cloudpatterns-dr-validation-failed' | Should -Be 'ALARM'
            $states.'cloudpatterns-dr-validation-success-rate' | Should -Be 'ALARM' -Because 'the day holds failed validations'
            $states.'cloudpatterns-dr-recovery-point-age' | Should -Be $(if ($failed.Rpo.TotalHours -gt 1) { 'ALARM' } else { 'OK' }) -Because "the recovery point was $($failed.Rpo) old and the template's RPO target is 1 hour"
            $states.'cloudpatterns-dr-no-validation' | Should -Be 'OK'
            $messages = & $topicMessages
            $alarm = @($messages | Where-Object subject -eq 'ALARM: "cloudpatterns-dr-validation-failed" in us-west-2' | ForEach-Object { $_.message | ConvertFrom-Json })
            $alarm | Should -HaveCount 1
            $alarm[0].NewStateValue | Should -Be 'ALARM'
            $alarm[0].Trigger.MetricName | Should -Be 'RestoreValidationSuccess'
            @($messages | Where-Object subject -like 'DR validation failed: DynamoDB*') | Should -HaveCount 1
            (Get-AuditEvidence -Bucket $setup.evidenceBucket -EvidenceAccountId $logArchive -EvidenceRegion us-east-2 | Where-Object Key -eq $failed.EvidenceKey).AlertTopicArn | Should -Be $monitoring.AlertTopicArn
        }

        It 'puts the no-validation alarm in ALARM when the coverage window passes without a validation' {
            Set-CloudSandboxClock -Advance (New-TimeSpan -Hours 27) | Out-Null
            $states = Invoke-DrSandbox alarms us-west-2
            $states.'cloudpatterns-dr-no-validation' | Should -Be 'ALARM'
            $states.'cloudpatterns-dr-validation-failed' | Should -Be 'OK' -Because 'no data is no failure (TreatMissingData notBreaching)'
        }
    }
}
