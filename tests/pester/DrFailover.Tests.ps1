# Invoke-DrFailover on the sample organization, against LocalCloud over HTTP with real SigV4: a Multi-AZ application
# in production backs up hourly (continuous backup for its database) into log-archive's central vaults; the copies
# reach the DR account's vault (the DR-Orchestrator's last hop, done here by the support script); a drill brings the
# application up from the pilot light in us-west-2 in an isolated copy and leaves nothing; a failover moves the DNS
# record only once the DR side is healthy; the failback returns it. Times are LocalCloud's simulated clock (-TimeScale
# 20: twenty simulated seconds per real second).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-CloudPatternsUnderTest
    $script:sandbox = Start-CloudSandbox -Force -TimeScale 20
    $script:admin = $sandbox.Url.ToString().TrimEnd('/') + '/_localcloud'
    $script:logArchive = '222222222222'
    $script:production = '333333333333'
    $script:drAccount = '555555555555'
    $script:record = 'www.shop.example.com'
    # Invoke-DrFailover runs as its least-privilege role in the production, DR and vault accounts; the drill writes
    # evidence, so the evidence bucket and key name that role as their writer.
    $script:externalId = 'failover-test'
    Install-CloudPatternsRole -Job DrFailover -AccountId $logArchive, $production, $drAccount -TrustExternalId $externalId -EvidenceBucketName org-dr-evidence -Confirm:$false | Out-Null
    $PSDefaultParameterValues = @{ 'Invoke-DrFailover:RoleName' = 'CloudPatternsDrFailover'; 'Invoke-DrFailover:ExternalId' = $externalId }

    $now = (Get-CloudSandboxClock).Now.UtcDateTime
    Set-CloudSandboxClock -To ([datetimeoffset]::new($now.Date.AddHours($now.Hour + 1).AddMinutes(30), [timespan]::Zero)) | Out-Null
    $setup = @{ VaultAccountId = $logArchive; PrimaryRegion = 'us-east-2'; DrRegion = 'us-west-2'; EvidenceBucketName = 'org-dr-evidence'; DrAccountId = $drAccount; NoOrchestrator = $true
        Schedule = 'Hourly'; ContinuousBackup = $true; EvidenceWriterRoleName = 'CloudPatternsDrFailover'; RetentionDays = 35; ResourceTag = 'cloudpatterns:backup-plan=cloudpatterns-dr' }
    Set-CrossAccountBackup @setup -AccountId $production -Confirm:$false | Out-Null
    $certificate = (Get-MultiAzCertificate -AccountId $production -Region us-east-2).CertificateArn
    $script:shop = New-MultiAzStack -StackName shop -AccountId $production -Region us-east-2 -CertificateArn $certificate
    # The next hourly run backs the database up (continuous) and copies a snapshot of it into both central vaults
    # (done at :12 with LocalCloud's job timings); at :15 the last hop brings them into the DR account. The copies keep
    # the snapshot's date, so the RPO counts from the run, not from the hop.
    $now = (Get-CloudSandboxClock).Now.UtcDateTime
    $script:runHour = $now.Date.AddHours($now.Hour + 1)
    Set-CloudSandboxClock -To ([datetimeoffset]::new($runHour.AddMinutes(15), [timespan]::Zero)) | Out-Null
    # Backups and copies from now on take one simulated minute, restores two (3 and 6 real seconds), not
    # LocalCloud's usual six: the tests time what the failover does around them.
    Invoke-RestMethod -Method Put "$admin/backup/job-timings" -Body '{"backup":{"queued":"PT0S","running":"PT1M"},"copy":{"queued":"PT0S","running":"PT1M"},"restore":{"queued":"PT0S","running":"PT2M"}}' | Out-Null
    $script:copies = @(Invoke-FailoverSandbox copy-to-dr)
    $script:common = @{ StackName = 'shop'; AccountId = $production; Region = 'us-east-2'; VaultAccountId = $logArchive; PollInterval = [timespan]'00:00:00.5'; Confirm = $false }
    $script:pilotLight = Get-PatternStack -StackName cloudpatterns-dr-pilot-light -AccountId $drAccount -Region us-west-2
}

AfterAll { Stop-CloudSandbox }

Describe 'The sample organization before a failover' {
    It 'has the database''s recovery point in the DR account''s vault, and the pilot light at zero' {
        $copies.state | Sort-Object -Unique | Should -Be 'COMPLETED'
        @(Invoke-FailoverSandbox dr-points).resourceArn | Should -Contain "arn:aws:rds:us-east-2:${production}:db:$(($shop.Outputs.DatabaseEndpoint -split '\.')[0])"
        $pilotLight.Parameters.FrontendDesiredCapacity | Should -Be '0'
    }
}

Describe 'Invoke-DrFailover before it changes anything' {
    It 'asks before each step, naming it, and changes nothing when they are declined or with -WhatIf' {
        Get-CloudSandboxRequestLog -Clear | Out-Null
        $ask = @{} + $common + @{ RoleName = 'CloudPatternsDrFailover'; ExternalId = $externalId }
        $ask.Remove('Confirm')
        $declined = Invoke-WithRecordingHost -ConfirmPhrase 'nothing matches this' -Script { param($Ask) Invoke-DrFailover @Ask -Confirm } -Arguments $ask
        $declined.Errors | Should -BeNullOrEmpty
        $declined.Output | Should -BeNullOrEmpty
        $declined.Prompts | Should -HaveCount 4
        $declined.Prompts[0] | Should -BeLike "*Failover Restore: Restore recovery point arn:aws:backup:us-west-2:${drAccount}:recovery-point:* as dr-shop-database-*RDS arn:aws:rds:us-east-2:${production}:db:shop-database-* in $drAccount us-west-2*"
        $declined.Prompts[1] | Should -BeLike "*Failover Scale: Scale the pilot light to production's size: frontend 2, backend 2 instance(s)*stack cloudpatterns-dr-pilot-light in $drAccount us-west-2*"
        $declined.Prompts[2] | Should -BeLike '*Failover WaitHealthy: Wait until 2 target(s) are healthy*'
        $declined.Prompts[3] | Should -BeLike '*Failover SwitchTraffic: Return the DR endpoint*'
        Invoke-DrFailover @common -WhatIf | Should -BeNullOrEmpty
        @(Get-CloudSandboxRequestLog -MutatingOnly) | Should -BeNullOrEmpty
    }

    It 'refuses bad input before any AWS call, naming each problem' {
        Get-CloudSandboxRequestLog -Clear | Out-Null
        { Invoke-DrFailover -StackName shop -Drill -Failback -HostedZoneId Z0123456789 -DrAccountId $drAccount -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidDrFailoverInput,CloudPatterns.PowerShell.Cmdlets.InvokeDrFailoverCommand' -ExpectedMessage '*-Drill and -Failback*-HostedZoneId and -RecordName*-DrAccountId and -DrRegion*'
        @(Get-CloudSandboxRequestLog) | Should -BeNullOrEmpty
    }
}

Describe 'Invoke-DrFailover -Drill' {
    BeforeAll {
        $script:drill = Get-PatternStack -StackName shop -AccountId $production -Region us-east-2 | Invoke-DrFailover -Drill -VaultAccountId $logArchive -PollInterval 00:00:00.5 -Confirm:$false
    }

    It 'brings the application up from the pilot light in us-west-2, healthy, within 1-hour RTO and RPO' {
        $drill | Should -BeOfType 'CloudPatterns.Core.DisasterRecovery.Failover.DrFailoverTimeline'
        $drill.Status | Should -Be 'Succeeded' -Because (($drill.Steps | ForEach-Object { "$($_.Name) $($_.Outcome): $($_.Detail)" }) -join ' | ')
        ($drill.AccountId, $drill.Region) | Should -Be ($drAccount, 'us-west-2')
        @($drill.Steps.Name) | Should -Be @('CreateDrillCopy', 'Restore', 'WaitHealthy', 'Check', 'TearDown', 'RecordEvidence')
        $drill.Steps.Outcome | Sort-Object -Unique | Should -Be 'Passed'
        ($drill.Step('WaitHealthy').Detail) | Should -BeLike '2 of 2 target(s) healthy*'
        $drill.Rto | Should -BeGreaterThan ([timespan]'00:01:00') -Because 'instances boot and pass two health checks on the simulated clock'
        $drill.RtoMet | Should -BeTrue
        $drill.RpoMet | Should -BeTrue
        $drill.TrafficSwitched | Should -BeFalse
    }

    It 'uses the recovery point of this hour''s run of the continuous backup, dated by its capture, not by the copy into the DR vault' {
        # The run starts at the hour; its snapshot is copied on at :06 (LocalCloud's job timings) and reaches the DR
        # vault from :15. How long after that the drill starts depends on the machine, so the RPO is checked against
        # the drill's own start.
        $captured = @($drill.Resources.CapturedAt)
        $captured | Should -HaveCount 1
        $captured[0] | Should -BeGreaterThan $runHour
        $captured[0] | Should -BeLessThan $runHour.AddMinutes(15)
        $drill.Rpo | Should -Be ($drill.StartedAt - $captured[0])
        $drill.Rpo | Should -BeLessThan ([timespan]'01:00:00')
    }

    It 'tears the copy and the restores down: nothing is left in the DR account' {
        $left = Invoke-FailoverSandbox dr-leftovers
        @($left.stacks) + @($left.databases) + @($left.tables) | Should -BeNullOrEmpty
        ($drill.Step('TearDown').Detail) | Should -BeLike "*Deleted stack $($drill.DrillStackName).*"
    }

    It 'is written as verified evidence of kind drill, which the audit report shows as a drill' {
        $record = Get-AuditEvidence -Bucket org-dr-evidence -EvidenceAccountId $logArchive -EvidenceRegion us-east-2 -WarningAction SilentlyContinue | Where-Object Key -eq $drill.EvidenceKey
        $record | Should -Not -BeNullOrEmpty
        $record.Kind | Should -Be 'drill'
        $record.Outcome | Should -Be 'Passed'
        $record.Verified | Should -BeTrue
        @($record.Timeline.Name) | Should -Be @('CreateDrillCopy', 'Restore', 'WaitHealthy', 'Check', 'TearDown')
        $report = Join-Path $TestDrive 'report.html'
        Export-AuditReport -Bucket org-dr-evidence -EvidenceAccountId $logArchive -EvidenceRegion us-east-2 -Path $report -WarningAction SilentlyContinue | Out-Null
        Get-Content -Raw $report | Should -Match "data-drill=`"$([regex]::Escape($drill.EvidenceKey))`""
    }
}

Describe 'Invoke-DrFailover moving traffic' {
    BeforeAll {
        # The next hourly run's points, so that the RPO of the failovers below counts from a run minutes before them,
        # however long the drill above took on this machine.
        $now = (Get-CloudSandboxClock).Now.UtcDateTime
        Set-CloudSandboxClock -To ([datetimeoffset]::new($now.Date.AddHours($now.Hour + 1).AddMinutes(15), [timespan]::Zero)) | Out-Null
        Invoke-FailoverSandbox copy-to-dr | Out-Null
        $productionDns = $shop.Outputs.LoadBalancerDnsName
        $script:drDns = $pilotLight.Outputs.LoadBalancerDnsName
        $script:zoneId = (Invoke-FailoverSandbox zone $record $productionDns Z3AADJGX6KTTL2 $drDns $pilotLight.Outputs.LoadBalancerHostedZoneId).zoneId
        $script:move = $common + @{ HostedZoneId = $zoneId; RecordName = $record }
        $script:productionAnswer = Invoke-FailoverSandbox resolve $record
    }

    It 'fails, naming the action, and leaves the record alone when its role may not change the record' {
        $policy = (Get-CloudPatternsPolicy -Job DrFailover -AccountId $production -EvidenceBucketName org-dr-evidence).PolicyDocument | ConvertFrom-Json
        $policy.Statement = @($policy.Statement | Where-Object Sid -ne 'DrFailoverTraffic')
        $file = Join-Path $TestDrive 'policy.json'
        $policy | ConvertTo-Json -Depth 6 | Set-Content -Path $file
        Invoke-DrSandbox put-role CloudPatternsDrFailover $externalId $file $production DrFailover | Out-Null
        try { $denied = Invoke-DrFailover @move -ErrorVariable failures -ErrorAction SilentlyContinue }
        finally { Install-CloudPatternsRole -Job DrFailover -AccountId $production -TrustExternalId $externalId -EvidenceBucketName org-dr-evidence -Confirm:$false | Out-Null }
        $failures | Should -HaveCount 1
        "$($failures[0])" | Should -BeLike '*route53:ChangeResourceRecordSets*'
        $denied.Step('WaitHealthy').Outcome | Should -Be 'Passed'
        $denied.Step('SwitchTraffic').Outcome | Should -Be 'Failed'
        $denied.TrafficSwitched | Should -BeFalse
        (Invoke-FailoverSandbox resolve $record).values | Should -Be $productionAnswer.values
    }

    It 'moves the record to the DR load balancer only after its targets are healthy, within 1-hour RTO and RPO (the rerun finishes)' {
        $script:failover = Invoke-DrFailover @move
        $failover.Status | Should -Be 'Succeeded' -Because (($failover.Steps | ForEach-Object { "$($_.Name) $($_.Outcome): $($_.Detail)" }) -join ' | ')
        ($failover.Step('Restore').Detail) | Should -BeLike '*Available*'
        $failover.Step('SwitchTraffic').StartedAt | Should -BeGreaterOrEqual $failover.Step('WaitHealthy').EndedAt
        $failover.TrafficSwitched | Should -BeTrue
        $failover.RtoMet | Should -BeTrue
        $failover.RpoMet | Should -BeTrue
        $answer = Invoke-FailoverSandbox resolve $record
        $answer.failover | Should -Be 'PRIMARY'
        $answer.values | Should -Be "$($drDns.ToLowerInvariant())."
        (Get-PatternStack -StackName cloudpatterns-dr-pilot-light -AccountId $drAccount -Region us-west-2).Parameters.FrontendDesiredCapacity | Should -Be '2'
    }

    It 'restores the database into the pilot light''s data subnets, behind the database security group the backend tier may reach' {
        $database = @($failover.Resources | Where-Object ResourceType -eq 'RDS')
        $database | Should -HaveCount 1
        $placed = Invoke-FailoverSandbox database $drAccount us-west-2 $database[0].RestoredName
        $placed.subnetGroup | Should -Be $pilotLight.Outputs.DatabaseSubnetGroupName
        @($placed.securityGroups) | Should -Be @($pilotLight.Outputs.DatabaseSecurityGroupId)
        # Read back with DescribeSecurityGroups: the database's group admits, on its port, the group the scaled-up
        # backend instances run in.
        $reach = Invoke-FailoverSandbox reaches $drAccount us-west-2 $database[0].RestoredName $pilotLight.Outputs.BackendAutoScalingGroupName
        @($reach.tierGroups) | Should -HaveCount 1
        @($reach.ingress | Where-Object { $_.group -eq $reach.tierGroups[0] -and $_.from -le $reach.port -and $_.to -ge $reach.port }) | Should -HaveCount 1
    }

    It 'fails back: the DR database''s data is restored in production first, then production answers again and the pilot light is back at zero' {
        $failback = Invoke-DrFailover @move -Failback
        $failback.Status | Should -Be 'Succeeded' -Because (($failback.Steps | ForEach-Object { "$($_.Name) $($_.Outcome): $($_.Detail)" }) -join ' | ')
        @($failback.Steps.Name) | Should -Be @('CheckProduction', 'CopyBack', 'SwitchTraffic', 'ScaleDown')
        $failback.Step('SwitchTraffic').StartedAt | Should -BeGreaterOrEqual $failback.Step('CopyBack').EndedAt
        # The database the failover restored in the DR account was backed up, copied into production's vault and
        # restored in production, in production's database network.
        $failback.Step('CopyBack').Detail -match "RDS dr-shop-database-\S+ backed up, copied to vault \S+ of $production us-east-2 \(arn:aws:backup:us-east-2:${production}:recovery-point:\S+\) and restored there as (?<name>failback-[a-z0-9-]+)" | Should -BeTrue -Because $failback.Step('CopyBack').Detail
        $back = Invoke-FailoverSandbox database $production us-east-2 $Matches.name
        $original = Invoke-FailoverSandbox database $production us-east-2 (($shop.Outputs.DatabaseEndpoint -split '\.')[0])
        $back.status | Should -Be 'available'
        $back.subnetGroup | Should -Be $original.subnetGroup
        $back.subnetGroup | Should -Not -BeNullOrEmpty
        @($back.securityGroups) | Should -Be @($original.securityGroups)
        $failback.RtoMet | Should -BeTrue
        $answer = Invoke-FailoverSandbox resolve $record
        $answer.failover | Should -Be 'PRIMARY'
        $answer.values | Should -Be $productionAnswer.values
        (Get-PatternStack -StackName cloudpatterns-dr-pilot-light -AccountId $drAccount -Region us-west-2).Parameters.FrontendDesiredCapacity | Should -Be '0'
    }

    It 'leaves the record alone when the DR side never becomes healthy (a failover after the failback)' {
        foreach ($zone in 'us-west-2a', 'us-west-2b') {
            Invoke-RestMethod -Method Put "$admin/fleet/zone-outages" -Body (@{ accountId = $drAccount; region = 'us-west-2'; availabilityZone = $zone; failed = $true } | ConvertTo-Json) | Out-Null
        }
        try {
            $failed = Invoke-DrFailover @move -Timeout 00:02:00 -ErrorVariable failures -ErrorAction SilentlyContinue
        }
        finally {
            foreach ($zone in 'us-west-2a', 'us-west-2b') {
                Invoke-RestMethod -Method Put "$admin/fleet/zone-outages" -Body (@{ accountId = $drAccount; region = 'us-west-2'; availabilityZone = $zone; failed = $false } | ConvertTo-Json) | Out-Null
            }
        }
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'DrFailoverFailed,CloudPatterns.PowerShell.Cmdlets.InvokeDrFailoverCommand'
        $failed.Status | Should -Be 'Failed'
        $failed.Step('WaitHealthy').Outcome | Should -Be 'Failed'
        $failed.Step('SwitchTraffic') | Should -BeNullOrEmpty
        $failed.TrafficSwitched | Should -BeFalse
        (Invoke-FailoverSandbox resolve $record).values | Should -Be $productionAnswer.values
        (Invoke-FailoverSandbox resolve $record).failover | Should -Be 'PRIMARY'
    }
}

Describe 'An interrupted drill' {
    BeforeAll {
        # What these drills prove is their teardown, so their RTO and RPO targets are wide: the sandbox's clock has run
        # on since the recovery points were made (the first drill proves the 1-hour targets).
        $script:wide = @{ RtoTarget = [timespan]'1.00:00:00'; RpoTarget = [timespan]'1.00:00:00' }
        $script:drillScript = "Import-Module '$((Get-Module CloudPatterns).Path)'; " +
            "Invoke-DrFailover -StackName shop -AccountId $production -Region us-east-2 -VaultAccountId $logArchive -Drill -PollInterval 00:00:00.5 -RtoTarget 1.00:00:00 -RpoTarget 1.00:00:00 " +
            "-RoleName CloudPatternsDrFailover -ExternalId $externalId -Confirm:`$false"
        # Waits until LocalCloud has seen one more StartRestoreJob than $Before: the drill is restoring.
        function Get-RestoreStarts { @(Get-CloudSandboxRequestLog | Where-Object { $_.Operation -eq 'StartRestoreJob' -and $_.StatusCode -eq 200 }).Count }
        function Wait-RestoreStarted([int] $Before) {
            $deadline = [datetime]::UtcNow.AddSeconds(90)
            while ((Get-RestoreStarts) -le $Before) {
                if ([datetime]::UtcNow -gt $deadline) { throw 'No StartRestoreJob reached LocalCloud within 90 s.' }
                Start-Sleep -Milliseconds 100
            }
        }
        function Get-Drills { @(Get-AuditEvidence -Bucket org-dr-evidence -EvidenceAccountId $logArchive -EvidenceRegion us-east-2 -WarningAction SilentlyContinue | Where-Object Kind -eq 'drill') }
    }

    It 'stopped (PowerShell.Stop) while restoring, tears its copy and restore down and records Aborted' {
        # A restore that runs four simulated minutes (12 real seconds) is stopped while it runs.
        Invoke-RestMethod -Method Put "$admin/backup/job-timings" -Body '{"restore":{"queued":"PT0S","running":"PT4M"}}' | Out-Null
        $starts = Get-RestoreStarts
        $before = Get-Drills
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript($drillScript)
            $running = $shell.BeginInvoke()
            Wait-RestoreStarted $starts
            $shell.Stop()
            $running.IsCompleted | Should -BeTrue
        }
        finally {
            $shell.Dispose()
            Invoke-RestMethod -Method Put "$admin/backup/job-timings" -Body '{"restore":{"queued":"PT0S","running":"PT2M"}}' | Out-Null
        }
        $left = Invoke-FailoverSandbox dr-leftovers
        @($left.stacks) + @($left.databases) + @($left.tables) | Should -BeNullOrEmpty
        $aborted = @(Get-Drills | Where-Object Key -notin $before.Key)
        $aborted | Should -HaveCount 1
        $aborted[0].Outcome | Should -Be 'Aborted'
        $aborted[0].Verified | Should -BeTrue
        ($aborted[0].Timeline | Where-Object Name -eq 'TearDown').Outcome | Should -Be 'Passed'
    }

    It 'killed (SIGKILL) before its teardown leaves a copy that the next drill removes' {
        $starts = Get-RestoreStarts
        $start = [System.Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
        foreach ($argument in (Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-Command', $drillScript) { $start.ArgumentList.Add($argument) }
        $start.UseShellExecute = $false
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $child = [System.Diagnostics.Process]::Start($start)
        try {
            Wait-RestoreStarted $starts
            # The process dies while its restore runs (two simulated minutes) and its copy exists.
            $deadline = [datetime]::UtcNow.AddSeconds(60)
            while (-not (Get-PatternStack -AccountId $drAccount -Region us-west-2 | Where-Object StackName -like 'cloudpatterns-dr-drill-*')) {
                if ([datetime]::UtcNow -gt $deadline) { throw 'The drill copy was not created within 60 s.' }
                Start-Sleep -Milliseconds 100
            }
            $child.Kill()
            $child.WaitForExit(30000) | Should -BeTrue
        }
        finally { if (-not $child.HasExited) { $child.Kill() } }
        $left = Invoke-FailoverSandbox dr-leftovers
        @($left.stacks) | Should -HaveCount 1 -Because 'the killed drill never tore its copy down'

        $next = Invoke-DrFailover @common @wide -Drill -WarningVariable warned -WarningAction SilentlyContinue
        $next.Status | Should -Be 'Succeeded' -Because (($next.Steps | ForEach-Object { "$($_.Name) $($_.Outcome): $($_.Detail)" }) -join ' | ')
        "$warned" | Should -BeLike "*was interrupted before its teardown*Deleted stack $($left.stacks[0]).*"
        $after = Invoke-FailoverSandbox dr-leftovers
        @($after.stacks) + @($after.databases) + @($after.tables) | Should -BeNullOrEmpty
        @(Get-CloudSandboxRequestLog | Where-Object { $_.Operation -eq 'ListRestoreJobs' -and $_.Principal -like '*assumed-role/CloudPatternsDrFailover/*' -and $_.Decision -eq 'Allow' }) | Should -Not -BeNullOrEmpty
    }
}

Describe 'The DrFailover role' {
    It 'is what the flows used: every action of its own statements, and nothing else' {
        # Every flow above since the bad-input test cleared the log: the drills (a stopped one, a killed one, the one
        # after it), the failover that waited in vain, the denied one, the failover and the failback.
        $mine = @(Get-CloudSandboxRequestLog | Where-Object Principal -like 'arn:aws:sts::*:assumed-role/CloudPatternsDrFailover/*')
        $mine | Should -Not -BeNullOrEmpty
        $policy = Get-CloudPatternsPolicy -Job DrFailover
        $provisioning = @($mine | Where-Object Operation -like 'CloudFormation *')
        $resourceActions = @($policy.Statements | Where-Object { $_.Sid -like '*Resources' -or $_.Sid -like '*Pass*Role' } | ForEach-Object Actions)
        @($provisioning.Action | Sort-Object -Unique | Where-Object { $_ -notin $resourceActions }) | Should -BeNullOrEmpty
        # The restore of the other resource types is not part of this application (docs/least-privilege.md).
        $own = @($policy.Statements | Where-Object { $_.Sid -notlike '*Resources' -and $_.Sid -notlike '*Pass*Role' -and $_.Sid -ne 'DrFailoverRestoreOtherTypes' } | ForEach-Object Actions | Sort-Object -Unique)
        # LocalCloud checks iam:PassRole (the restore role) and the evidence key's kms actions inside the request that
        # needs them; kms:Sign is the evidence key's policy's to allow (it names the writer role).
        $used = @(@($mine | Where-Object { $_.Operation -notlike 'CloudFormation *' -and $_.Action -ne 'kms:Sign' }).Action + 'kms:GenerateDataKey', 'kms:Decrypt' | Sort-Object -Unique)
        $used | Should -Be $own -Because "used but not in the policy: $($used | Where-Object { $_ -notin $own }); in the policy but not used: $($own | Where-Object { $_ -notin $used })"
    }

    It 'is minimal: without any one of its own statements the policy simulator refuses one of the flows'' requests' {
        # The same flows' log (docs/least-privilege.md, "Minimality by simulation"); the removal of DrFailoverTraffic
        # above is the real run that agrees with it.
        $policies = @{}
        foreach ($account in $logArchive, $production, $drAccount) { $policies[$account] = (Get-CloudPatternsPolicy -Job DrFailover -AccountId $account -EvidenceBucketName org-dr-evidence).PolicyDocument }
        $needed = Find-NeededPolicyPart -RoleName CloudPatternsDrFailover -Requests @(Get-CloudSandboxRequestLog) -Policies $policies
        $own = @((Get-CloudPatternsPolicy -Job DrFailover).Statements.Sid | Where-Object { $_ -notlike '*Resources' -and $_ -notlike '*Pass*Role' -and $_ -ne 'DrFailoverRestoreOtherTypes' })
        $own | Should -Contain 'DrFailoverTraffic'
        @($own | Where-Object { $null -eq $needed[$_] }) | Should -BeNullOrEmpty -Because 'no logged request of the flows needed these statements'
        $needed['DrFailoverTraffic'].action | Should -Be 'route53:ChangeResourceRecordSets'
    }
}
