# Set-CrossAccountBackup hands the member backup plan to CloudFormation StackSets on the sample organization plus
# 200 generated workload accounts: the plan reaches every workload account, an account moved into the Workloads OU
# gets it automatically and one moved out loses it. LocalCloud over HTTP with real SigV4.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-CloudPatternsUnderTest
    $script:sandbox = Start-CloudSandbox -Force -WorkloadAccountCount 200
    $script:workloads = (Get-OrgAccount | Where-Object Name -eq 'production').ParentId
    $script:setup = @{ VaultAccountId = '222222222222'; PrimaryRegion = 'us-east-2'; DrRegion = 'us-west-2'; EvidenceBucketName = 'org-dr-evidence-stacksets' }
}

AfterAll { Stop-CloudSandbox }

Describe 'Set-CrossAccountBackup -DeploymentMode' {
    It 'chooses Direct while StackSets trusted access is off, and says why' {
        $results = @(Set-CrossAccountBackup @setup -AccountId 333333333333 -WhatIf -InformationVariable shown)
        $results | Should -BeNullOrEmpty
        $text = ($shown | ForEach-Object { "$_" }) -join "`n"
        $text | Should -Match "What if: Create stack 'cloudpatterns-dr-member-backup' in 333333333333 us-east-2"
        $text | Should -BeLike "*Member backup plan deployment: Direct (chosen: StackSets' trusted access is off in the organization).*"
        $text | Should -Not -BeLike '*stack set*'
    }

    It 'refuses StackSet mode while trusted access is off, before any change' {
        Get-CloudSandboxRequestLog -Clear | Out-Null
        { Set-CrossAccountBackup @setup -OrganizationalUnitId $workloads -DeploymentMode StackSet -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*member.org.stacksets.cloudformation.amazonaws.com*'
        @(Get-CloudSandboxRequestLog | Where-Object Mutating) | Should -HaveCount 0
    }

    It 'refuses an OU id that is not one, naming it' {
        { Set-CrossAccountBackup @setup -OrganizationalUnitId 'Workloads' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidCrossAccountBackupSettings,CloudPatterns.PowerShell.Cmdlets.SetCrossAccountBackupCommand' -ExpectedMessage "*-OrganizationalUnitId 'Workloads' is not an OU id*"
    }

    It '-WhatIf shows the stack set operation and the 202 accounts it reaches, and changes nothing' {
        Invoke-OrgSandbox enable-stacksets | Out-Null
        Get-CloudSandboxRequestLog -Clear | Out-Null
        Set-CrossAccountBackup @setup -OrganizationalUnitId $workloads -WhatIf -InformationVariable shown | Out-Null
        $text = ($shown | ForEach-Object { "$_" }) -join "`n"
        $text | Should -BeLike '*What if: MemberBackupPlan in 111111111111 us-east-2: -DeploymentMode StackSet: would create service-managed stack set cloudpatterns-dr-member-backup and run a CREATE instances operation reaching 202 account(s) in us-east-2: 333333333333, 444444444444, 900000000001,*900000000200*'
        $text | Should -Not -BeLike '*reaching*111111111111*'
        @(Get-CloudSandboxRequestLog | Where-Object Mutating) | Should -HaveCount 0
    }
}

# The management account's part runs as the StackSetAdmin role through -OwnAccountRoleName (docs/least-privilege.md,
# "Job roles in the caller's own account"): proven sufficient by this run, minimal by simulation, and by one real removal.
Describe 'The member backup plan through a stack set' {
    BeforeAll {
        $script:adminId = 'stackset-dr-test'
        $script:adminPolicy = Get-CloudPatternsPolicy -Job StackSetAdmin -AccountId '111111111111'
        $script:memberPlanActions = @($adminPolicy.Statements | Where-Object Sid -eq 'StackSetMemberBackupPlan' | ForEach-Object Actions | Sort-Object -Unique)
        Install-CloudPatternsRole -Job StackSetAdmin -TrustExternalId $adminId -Confirm:$false | Out-Null
        $script:asAdmin = @{ OwnAccountRoleName = 'CloudPatternsStackSetAdmin'; ExternalId = $adminId }
        Get-CloudSandboxRequestLog -Clear | Out-Null
        $script:results = @(Set-CrossAccountBackup @setup @asAdmin -OrganizationalUnitId $workloads -Confirm:$false)
        $script:adminLog = @(Get-CloudSandboxRequestLog)
    }

    It 'reaches every workload account, and every result says the mode and why' {
        $results.DeploymentMode | Sort-Object -Unique | Should -Be 'StackSet'
        $results[0].DeploymentModeReason | Should -BeLike '*OUs*trusted access is on*'
        $member = ($results | Where-Object AccountId -eq '111111111111').Steps | Where-Object Component -eq 'MemberBackupPlan'
        $member.Action | Should -Be 'Changed'
        $member.Detail | Should -BeLike '*SUCCEEDED: 202 account(s) in us-east-2, 0 failed*'
        @($results | Where-Object AccountId -like '9000000000*') | Should -HaveCount 0
        Invoke-OrgSandbox plans 900000000137 | Should -Be 'workload-daily'
        Invoke-OrgSandbox plans 444444444444 | Should -Be 'workload-daily'
    }

    It 'ran as the StackSetAdmin role in the management account, using the policy''s actions and all of its member-plan statement' {
        $mine = @($adminLog | Where-Object Principal -like 'arn:aws:sts::111111111111:assumed-role/CloudPatternsStackSetAdmin/*')
        $mine | Should -Not -BeNullOrEmpty
        $mine.Decision | Sort-Object -Unique | Should -Be 'Allow'
        @($adminLog | Where-Object { $_.Principal -like 'arn:aws:iam::111111111111:*' -and $_.Operation -notin 'GetCallerIdentity', 'AssumeRole' } | ForEach-Object Operation) |
            Should -BeNullOrEmpty -Because 'the caller''s own credentials only find out who it is and assume the roles'
        $used = @($mine | ForEach-Object Checks | ForEach-Object Action | Sort-Object -Unique)
        @($used | Where-Object { $_ -notin $adminPolicy.Actions }) | Should -BeNullOrEmpty
        @($memberPlanActions | Where-Object { $_ -notin $used }) | Should -BeNullOrEmpty
    }

    It 'is minimal: without any one action it used, the policy simulator refuses one of the run''s requests' {
        $needed = Find-NeededPolicyPart -RoleName CloudPatternsStackSetAdmin -Requests $adminLog -Policies @{ '111111111111' = $adminPolicy.PolicyDocument } -By Action
        $used = @($adminLog | Where-Object Principal -like 'arn:aws:sts::111111111111:assumed-role/CloudPatternsStackSetAdmin/*' | ForEach-Object Checks | ForEach-Object Action | Sort-Object -Unique)
        Get-UnneededAction $needed $used | Should -BeNullOrEmpty
    }

    It 'without cloudformation:DescribeOrganizationsAccess the deployment really fails naming it, before any change' {
        try {
            Set-OwnAccountRolePolicy CloudPatternsStackSetAdmin StackSetAdmin $adminPolicy.PolicyDocument -Without 'cloudformation:DescribeOrganizationsAccess'
            Get-CloudSandboxRequestLog -Clear | Out-Null
            Set-CrossAccountBackup @setup @asAdmin -OrganizationalUnitId $workloads -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable refused | Out-Null
            ($refused | ForEach-Object { "$_" }) -join "`n" | Should -BeLike '*cloudformation:DescribeOrganizationsAccess*'
            @(Get-CloudSandboxRequestLog | Where-Object Mutating | Where-Object Operation -ne 'AssumeRole') | Should -HaveCount 0
        }
        finally { Install-CloudPatternsRole -Job StackSetAdmin -TrustExternalId $adminId -Confirm:$false | Out-Null }
    }

    It 'leaves instance stacks that carry the stack set''s tags, so Get-PatternStack finds them in the member account' {
        $stack = @(Get-PatternStack -AccountId 900000000137 -Region us-east-2)
        $stack | Should -HaveCount 1
        $stack[0].StackName | Should -BeLike 'StackSet-cloudpatterns-dr-member-backup-*'
        $stack[0].Pattern | Should -Be 'DisasterRecovery'
        $stack[0].Status | Should -Be 'CREATE_COMPLETE'
    }

    It 'changes nothing on a second run, and says so' {
        $again = @(Set-CrossAccountBackup @setup -OrganizationalUnitId $workloads -Confirm:$false)
        $member = ($again | Where-Object AccountId -eq '111111111111').Steps | Where-Object Component -eq 'MemberBackupPlan'
        $member.Action | Should -Be 'NoChange'
        $member.Detail | Should -Be 'stack set cloudpatterns-dr-member-backup: all 202 account(s) in us-east-2 CURRENT, no change'
        @($again | Where-Object Changed) | Should -HaveCount 0
    }

    It 'follows accounts moved into and out of the Workloads OU' {
        Invoke-OrgSandbox plans 555555555555 | Should -BeNullOrEmpty
        Invoke-OrgSandbox move 555555555555 Recovery Workloads | Out-Null
        $moved = Invoke-OrgSandbox move 900000000200 Workloads Recovery
        $moved.operations | Should -Be @('DELETE:SUCCEEDED', 'CREATE:SUCCEEDED', 'CREATE:SUCCEEDED')
        Invoke-OrgSandbox plans 555555555555 | Should -Be 'workload-daily'
        Invoke-OrgSandbox plans 900000000200 | Should -BeNullOrEmpty
    }
}
