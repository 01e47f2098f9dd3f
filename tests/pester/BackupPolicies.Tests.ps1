# Set-CrossAccountBackup -DeploymentMode BackupPolicy on the sample organization plus 30 generated workload accounts:
# an AWS Organizations backup policy holds the member plan (AWS Backup keeps it in every account the policy reaches),
# the member stack brings only the vault, key and role. LocalCloud over HTTP with real SigV4.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-CloudPatternsUnderTest
    $script:sandbox = Start-CloudSandbox -Force -WorkloadAccountCount 30
    $script:workloads = (Get-OrgAccount | Where-Object Name -eq 'production').ParentId
    $script:setup = @{ VaultAccountId = '222222222222'; PrimaryRegion = 'us-east-2'; DrRegion = 'us-west-2'; EvidenceBucketName = 'org-dr-evidence-policies' }
    function Get-PolicyStep($Results) { ($Results | Where-Object AccountId -eq '111111111111').Steps | Where-Object Component -eq 'MemberBackupPolicy' }
}

AfterAll { Stop-CloudSandbox }

Describe 'Set-CrossAccountBackup -DeploymentMode BackupPolicy' {
    It 'refuses BackupPolicy mode while the policy type is off, naming the remedy, before any change' {
        Get-CloudSandboxRequestLog -Clear | Out-Null
        { Set-CrossAccountBackup @setup -OrganizationalUnitId $workloads -DeploymentMode BackupPolicy -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ExpectedMessage "*enable-policy-type --root-id <root id> --policy-type BACKUP_POLICY*"
        @(Get-CloudSandboxRequestLog | Where-Object Mutating) | Should -HaveCount 0
    }

    It 'chooses BackupPolicy once the organization has the type enabled, says why, and -WhatIf shows the policy and its targets' {
        Invoke-OrgSandbox enable-backup-policies | Out-Null
        Invoke-OrgSandbox enable-stacksets | Out-Null
        Get-CloudSandboxRequestLog -Clear | Out-Null
        Set-CrossAccountBackup @setup -OrganizationalUnitId $workloads -WhatIf -InformationVariable shown | Out-Null
        $text = ($shown | ForEach-Object { "$_" }) -join "`n"
        $text | Should -BeLike '*Member backup plan deployment: BackupPolicy (chosen: the organization has backup policies (BACKUP_POLICY) enabled*'
        $text | Should -BeLike "*would create backup policy cloudpatterns-dr-member-backup and attach it to 1 more of 1 target(s) ($workloads) reaching 32 account(s): 333333333333, 444444444444, 900000000001,*"
        foreach ($part in 'Policy: {"plans":{"workload-daily":{"regions":{"@@assign":["us-east-2"]}', '"target_backup_vault_name":{"@@assign":"workload"}',
            '"arn:aws:backup:us-west-2:222222222222:backup-vault:central":{"target_backup_vault_arn"', '"iam_role_arn":{"@@assign":"arn:aws:iam::$account:role/service-role/CloudPatternsBackupRole"}') {
            $text.Contains($part) | Should -BeTrue -Because "the -WhatIf text shows the policy ($part)"
        }
        @(Get-CloudSandboxRequestLog | Where-Object Mutating) | Should -HaveCount 0
    }
}

Describe 'The member backup plan through a backup policy' {
    BeforeAll {
        $script:results = @(Set-CrossAccountBackup @setup -OrganizationalUnitId $workloads -Confirm:$false)
    }

    It 'attaches the policy, and AWS Backup puts the org-managed plan (and no stack plan) in every workload account' {
        $results.DeploymentMode | Sort-Object -Unique | Should -Be 'BackupPolicy'
        $step = Get-PolicyStep $results
        $step.Action | Should -Be 'Changed'
        $step.Detail | Should -BeLike "backup policy cloudpatterns-dr-member-backup (p-*) created, attached to 1 target(s) ($workloads) reaching 32 account(s)*"
        $policy = Invoke-OrgSandbox backup-policy cloudpatterns-dr-member-backup
        $policy.targets | Should -Be @($workloads)
        foreach ($account in '333333333333', '900000000017') {
            $plans = @(Invoke-OrgSandbox plans $account)
            $plans | Should -Be @('workload-daily')
            (Invoke-OrgSandbox org-plans $account) | Should -BeLike 'workload-daily orgs/*'
        }
        Invoke-OrgSandbox plans 222222222222 | Should -BeNullOrEmpty
    }

    It 'changes nothing on a second run, and says so' {
        $again = @(Set-CrossAccountBackup @setup -OrganizationalUnitId $workloads -Confirm:$false)
        (Get-PolicyStep $again).Action | Should -Be 'NoChange'
        (Get-PolicyStep $again).Detail | Should -BeLike 'backup policy cloudpatterns-dr-member-backup (p-*): content as wanted, attached to 1 target(s)*'
        @($again | Where-Object Changed) | Should -HaveCount 0
    }

    It 'runs the org-managed plan: the workload resources are backed up and copied to the central vault' {
        # From the next midnight, 26 simulated hours hold the 05:00 UTC run and the 21 hours its copies may take,
        # whatever the time of day the test runs.
        $midnight = [datetimeoffset]::new((Get-CloudSandboxClock).Now.UtcDateTime.Date.AddDays(1), [timespan]::Zero)
        Set-CloudSandboxClock -To $midnight | Out-Null
        Set-CloudSandboxClock -Advance (New-TimeSpan -Hours 26) | Out-Null
        $points = @(Invoke-DrSandbox recovery-points us-east-2)
        # Production and staging protect RDS, DynamoDB and EBS; production also an Aurora cluster, a bucket, an instance and a file system.
        @($points.resourceType | Sort-Object -Unique) | Should -Be @('Aurora', 'DynamoDB', 'EBS', 'EC2', 'EFS', 'RDS', 'S3')
        $points.status | Should -Not -Contain 'FAILED'
    }

    It 'puts back the content it found when an attach fails' {
        Set-CloudSandboxFault -Service organizations -Operation AttachPolicy -ErrorRate 1 -ErrorCode ServiceException
        try {
            { Set-CrossAccountBackup @setup -OrganizationalUnitId $workloads -AccountId 555555555555 -RetentionDays 90 -Confirm:$false -ErrorAction Stop } |
                Should -Throw -ExpectedMessage '*internal service error*'
        }
        finally { Clear-CloudSandboxFault }
        $policy = Invoke-OrgSandbox backup-policy cloudpatterns-dr-member-backup
        $policy.content.plans.'workload-daily'.rules.daily.lifecycle.delete_after_days.'@@assign' | Should -Be '35'
        $policy.targets | Should -Be @($workloads)
    }

    It 'follows accounts moved into and out of the Workloads OU' {
        Invoke-OrgSandbox org-plans 555555555555 | Should -BeNullOrEmpty
        Invoke-OrgSandbox move 555555555555 Recovery Workloads | Out-Null
        Invoke-OrgSandbox move 900000000030 Workloads Recovery | Out-Null
        Invoke-OrgSandbox org-plans 555555555555 | Should -BeLike 'workload-daily orgs/*'
        Invoke-OrgSandbox org-plans 900000000030 | Should -BeNullOrEmpty
    }
}
