# GitOps `deployment: stackset` end to end against LocalCloud (sample organization plus 20 generated workload
# accounts): the sync creates and updates service-managed stack sets and their instances, Get-StackSyncStatus reports
# every instance per account and region, Get-PatternStack -StackSet reads them from the management account and pipes
# into the other cmdlets, auto-deployment follows OU moves, and -Prune removes only this repository's stack sets.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-CloudPatternsUnderTest
    $script:sandbox = Start-CloudSandbox -Force -WorkloadAccountCount 20
    $script:production = '333333333333'
    $script:workloadsOu = (Get-OrgAccount | Where-Object Name -eq 'production').ParentId
    $script:workloadAccounts = @(Get-OrgAccount -OrganizationalUnitId $workloadsOu -Recurse | ForEach-Object AccountId)
    Invoke-OrgSandbox enable-stacksets | Out-Null

    function New-Repository([string] $Name, [string] $Id) {
        $path = Join-Path $TestDrive $Name
        New-Item -ItemType Directory -Path (Join-Path $path 'templates') | Out-Null
        git init -q $path
        Set-Content -Path (Join-Path $path 'templates/baseline.yaml') -Value @'
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Retention:
    Type: String
Resources:
  AuditLogs:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: !Ref Retention
'@
        [pscustomobject]@{ Path = $path; Id = $Id; Manifest = Join-Path $path 'cloudpatterns.yaml' }
    }

    function Save-Manifest($Repository, [string] $Stacks, [string] $Message) {
        Set-Content -Path $Repository.Manifest -Value ("version: 1`nid: $($Repository.Id)`nregions: [us-east-2, us-west-2]`nstacks:`n" + $Stacks)
        git -C $Repository.Path add -A
        git -C $Repository.Path -c user.name='Ada Ops' -c user.email='ada@example.com' commit -q -m $Message
        if ($LASTEXITCODE -ne 0) { throw "commit failed" }
    }

    function Get-Baseline([string] $Retention = '30', [switch] $WithoutGuardrails) {
        $baseline = @"
  - name: baseline
    template: templates/baseline.yaml
    deployment: stackset
    targets:
      - organizationalUnit: $workloadsOu
    operationPreferences:
      regionConcurrencyType: PARALLEL
      maxConcurrentPercentage: 100
      failureTolerancePercentage: 10
    parameters:
      Retention: "$Retention"
"@
        $guardrails = @"
  - name: guardrails
    template: templates/baseline.yaml
    deployment: stackset
    regions: [us-east-2]
    targets:
      - account: production
    parameters:
      Retention: "7"
"@
        $direct = @"
  - name: app-config
    template: templates/baseline.yaml
    regions: [us-east-2]
    targets:
      - account: "$production"
    parameters:
      Retention: "14"
"@
        $baseline + "`n" + $(if (-not $WithoutGuardrails) { $guardrails + "`n" }) + $direct + "`n"
    }

    $script:repo = New-Repository 'infra' '0123456789abcdef0123456789abcdef'
    Save-Manifest $repo (Get-Baseline) 'baseline stack set'
    $script:manifest = $repo.Manifest
}

AfterAll { Stop-CloudSandbox }

Describe 'A manifest with deployment: stackset' {
    It 'refuses what a stack set cannot take, naming the key: <Case>' -ForEach @(
        @{ Case = 'a service role'; Extra = "    serviceRole: CloudPatternsStackService"; Expected = '*stacks`[0`].serviceRole: not with deployment: stackset*' }
        @{ Case = 'a count and a percentage'; Extra = "    operationPreferences:`n      maxConcurrentCount: 5`n      maxConcurrentPercentage: 50"; Expected = '*operationPreferences.maxConcurrentPercentage: give maxConcurrentCount or maxConcurrentPercentage, not both.*' }
        @{ Case = 'auto-deployment without an OU'; Extra = "    autoDeployment:`n      enabled: true"; Expected = '*autoDeployment.enabled: auto-deployment follows accounts into and out of OUs*' }
        @{ Case = 'an unknown deployment'; Extra = "    deployment: stacksets"; Expected = "*stacks``[0``].deployment: 'stacksets' is not a deployment: give direct (the default) or stackset.*" }
    ) {
        $scratch = New-Repository "bad-$([guid]::NewGuid().ToString('N'))" 'ffffffffffffffffffffffffffffffff'
        $deployment = if ($Case -eq 'an unknown deployment') { '' } else { "    deployment: stackset`n" }
        Save-Manifest $scratch ("  - name: bad`n    template: templates/baseline.yaml`n$deployment    targets:`n      - account: production`n    parameters:`n      Retention: '7'`n$Extra`n") 'bad'
        Get-CloudSandboxRequestLog -Clear | Out-Null
        { Get-StackSyncStatus -Path $scratch.Manifest -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidManifest,CloudPatterns.PowerShell.Cmdlets.GetStackSyncStatusCommand' -ExpectedMessage $Expected
        @(Get-CloudSandboxRequestLog) | Should -HaveCount 0
    }
}

Describe 'Stack sets through the GitOps sync' {
    It 'reports every instance the targets reach as Missing before the first sync, never the management account' {
        $status = @(Get-StackSyncStatus -Path $manifest | Where-Object StackSetName)
        $baseline = @($status | Where-Object StackSetName -eq 'baseline')
        $baseline | Should -HaveCount ($workloadAccounts.Count * 2)
        $baseline.Status | Sort-Object -Unique | Should -Be 'Missing'
        @($baseline | Where-Object AccountId -eq '111111111111') | Should -HaveCount 0
        ($status | Where-Object StackSetName -eq 'guardrails' | ForEach-Object { "$($_.AccountId) $($_.Region)" }) | Should -Be "$production us-east-2"
    }

    It '-WhatIf says which stack sets it would create and where, and changes nothing' {
        Get-CloudSandboxRequestLog -Clear | Out-Null
        Sync-StackManifest -Path $manifest -WhatIf -InformationVariable shown | Out-Null
        $text = ($shown | ForEach-Object { "$_" }) -join "`n"
        $text | Should -BeLike "*What if: Create service-managed stack set baseline in 111111111111 us-east-2 and deploy its instances to $($workloadAccounts.Count) account(s) × us-east-2, us-west-2:*"
        $text | Should -BeLike "*What if: Create service-managed stack set guardrails in 111111111111 us-east-2 and deploy its instances to 1 account(s) × us-east-2: $production*"
        @(Get-CloudSandboxRequestLog | Where-Object Mutating) | Should -HaveCount 0
    }

    It 'creates the stack sets and their instances from the management account, tagged with the commit' {
        $results = @(Sync-StackManifest -Path $manifest -Confirm:$false)
        $admin = $results | Where-Object { $_.AccountId -eq '111111111111' -and $_.Region -eq 'us-east-2' }
        $admin.Status | Should -Be 'Succeeded'
        ($admin.Stacks | Where-Object StackName -eq 'baseline').Action | Should -Be 'Created'
        ($admin.Stacks | Where-Object StackName -eq 'baseline').Message | Should -BeLike "*CREATE instances ($($workloadAccounts.Count) account(s) × 2 region(s)): operation * SUCCEEDED, 0 instance(s) failed*"
        ($admin.Stacks | Where-Object StackName -eq 'guardrails').Action | Should -Be 'Created'
        ($results | Where-Object AccountId -eq $production).Stacks.StackName | Should -Be 'app-config'

        $status = @(Get-StackSyncStatus -Path $manifest | Where-Object StackSetName)
        $status | Should -HaveCount ($workloadAccounts.Count * 2 + 1)
        $status.Status | Sort-Object -Unique | Should -Be 'Synced'
        $status.StackStatus | Sort-Object -Unique | Should -Be 'CURRENT'
        $status.DeployedCommit | Sort-Object -Unique | Should -Be (git -C $repo.Path rev-parse HEAD).Trim()
    }

    It 'leaves the instance stacks in the members, not as orphans of the direct stacks there' {
        $member = @(Get-PatternStack -AccountId '900000000020' -Region us-west-2)
        $member | Should -HaveCount 1
        $member[0].StackName | Should -BeLike 'StackSet-baseline-*'
        $member[0].StackSetName | Should -Be 'baseline'
        $member[0].Pattern | Should -Be 'GitOps'
        $inProduction = @(Get-StackSyncStatus -Path $manifest -AccountId $production -Region us-east-2)
        @($inProduction | Where-Object Status -eq 'Orphaned') | Should -HaveCount 0
        ($inProduction | Where-Object { -not $_.StackSetName }).StackName | Should -Be 'app-config'
    }

    It 'Get-PatternStack -StackSet reads every instance from the management account and pipes into Get-StackSyncStatus' {
        $instances = @(Get-PatternStack -StackSet -Region us-east-2)
        $instances | Should -HaveCount ($workloadAccounts.Count * 2 + 1)
        $instances.InstanceStatus | Sort-Object -Unique | Should -Be 'CURRENT'
        $instances.Status | Sort-Object -Unique | Should -Be 'SUCCEEDED'
        ($instances | Where-Object StackSetName -eq 'guardrails').AccountId | Should -Be $production

        $piped = @(Get-PatternStack -StackSet -StackName guardrails -Region us-east-2 | Get-StackSyncStatus -Path $manifest)
        ($piped | ForEach-Object { "$($_.AccountId) $($_.Region)" } | Sort-Object -Unique) | Should -Be "$production us-east-2"
        ($piped.StackName | Sort-Object) | Should -Be @('app-config', 'baseline', 'guardrails')
        $piped.Status | Sort-Object -Unique | Should -Be 'Synced'
    }

    It 'shows a committed parameter change on every instance as OutOfSync, then updates the stack set' {
        Save-Manifest $repo (Get-Baseline -Retention '60') 'longer retention'
        $before = @(Get-StackSyncStatus -Path $manifest -StackName baseline)
        $before.Status | Sort-Object -Unique | Should -Be 'OutOfSync'
        $before[0].Differences | Should -Contain "parameter Retention: '30' -> '60'"

        # The out-of-sync instances pipe into the sync (StackName, AccountId and Region by property name); AWS updates the set as a whole.
        $admin = $before | Where-Object Status -eq 'OutOfSync' | Sync-StackManifest -Path $manifest -Confirm:$false | Where-Object AccountId -eq '111111111111'
        ($admin.Stacks | Where-Object StackName -eq 'baseline').Action | Should -Be 'Updated'
        (Get-StackSyncStatus -Path $manifest -StackName baseline).Status | Sort-Object -Unique | Should -Be 'Synced'
        (Get-PatternStack -AccountId '900000000001' -Region us-west-2).Parameters.Retention | Should -Be '60'
    }

    It 'follows accounts moved into and out of the targeted OU (auto-deployment)' {
        Invoke-OrgSandbox move 555555555555 Recovery Workloads baseline | Out-Null
        Invoke-OrgSandbox move '900000000020' Workloads Recovery baseline | Out-Null
        $status = @(Get-StackSyncStatus -Path $manifest -StackName baseline)
        ($status | Where-Object AccountId -eq '555555555555').Status | Should -Be @('Synced', 'Synced')
        @($status | Where-Object AccountId -eq '900000000020') | Should -HaveCount 0
        @(Get-PatternStack -AccountId '900000000020' -Region us-east-2) | Should -HaveCount 0
    }

    It '-Prune removes a stack set this manifest no longer declares, and leaves another repository''s' {
        $other = New-Repository 'other' 'fedcba9876543210fedcba9876543210'
        Save-Manifest $other "  - name: foreign`n    template: templates/baseline.yaml`n    deployment: stackset`n    regions: [us-east-2]`n    targets:`n      - account: production`n    parameters:`n      Retention: '7'`n" 'foreign'
        (Sync-StackManifest -Path $other.Manifest -Confirm:$false).Status | Should -Be 'Succeeded'

        Save-Manifest $repo (Get-Baseline -Retention '60' -WithoutGuardrails) 'guardrails retired'
        $orphan = Get-StackSyncStatus -Path $manifest -StackName guardrails
        $orphan.Status | Should -Be 'Orphaned'
        Get-CloudSandboxRequestLog -Clear | Out-Null
        Sync-StackManifest -Path $manifest -Prune -WhatIf | Out-Null
        @(Get-CloudSandboxRequestLog | Where-Object Mutating) | Should -HaveCount 0

        $admin = Sync-StackManifest -Path $manifest -Prune -Force -Confirm:$false | Where-Object { $_.AccountId -eq '111111111111' -and $_.Region -eq 'us-east-2' }
        ($admin.Stacks | Where-Object StackName -eq 'guardrails').Action | Should -Be 'Pruned'
        $foreign = $admin.Stacks | Where-Object StackName -eq 'foreign'
        $foreign.Action | Should -Be 'Skipped'
        $foreign.Message | Should -BeLike 'not pruned: owned by another manifest (id fedcba9876543210fedcba9876543210)*'
        $sets = @(Get-PatternStack -StackSet -Region us-east-2).StackSetName | Sort-Object -Unique
        $sets | Should -Be @('baseline', 'foreign')
    }
}

# The stack sets of a sync are administered in the caller's own (management) account: there the StackSetAdmin job role
# is assumed with -OwnAccountRoleName, while -RoleName stays the members' GitOpsSync role (docs/least-privilege.md,
# "Job roles in the caller's own account"). Proven sufficient by a run, minimal by simulation, and by one real removal.
Describe 'The StackSetAdmin role in the caller''s own account' -Tag OwnAccountRole {
    BeforeAll {
        $script:adminId = 'stackset-admin-test'
        $script:adminPolicy = Get-CloudPatternsPolicy -Job StackSetAdmin -AccountId '111111111111'
        # StackSetMemberBackupPlan is Set-CrossAccountBackup -DeploymentMode StackSet's, proven in StackSets.Tests.ps1.
        $script:syncActions = @($adminPolicy.Statements | Where-Object Sid -ne 'StackSetMemberBackupPlan' | ForEach-Object Actions | Sort-Object -Unique)
        Install-CloudPatternsRole -Job StackSetAdmin -TrustExternalId $adminId -Confirm:$false | Out-Null
        Install-CloudPatternsRole -Job GitOpsSync -AccountId $production -TrustExternalId $adminId -Confirm:$false | Out-Null
        $script:adminRepo = New-Repository 'admin' 'abababababababababababababababab'
        function Save-AdminManifest([string] $Name, [string] $Retention, [string] $Target = "organizationalUnit: $workloadsOu") {
            Save-Manifest $adminRepo "  - name: $Name`n    template: templates/baseline.yaml`n    deployment: stackset`n    regions: [us-east-2]`n    targets:`n      - $Target`n    operationPreferences:`n      maxConcurrentPercentage: 100`n    parameters:`n      Retention: `"$Retention`"`n" $Name
        }
        $asRoles = @{ OwnAccountRoleName = 'CloudPatternsStackSetAdmin' }
        function Invoke-AdminStep([string] $Command, [hashtable] $Arguments) {
            Invoke-FlowAsRoles -ExternalId $adminId -Flow { @{ Command = $Command; Role = 'CloudPatternsGitOpsSync'; Arguments = $asRoles + $Arguments } }
        }
        # Create by OU, read the instances, update, then replace the stack set with another and prune the first.
        Get-CloudSandboxRequestLog -Clear | Out-Null
        $script:adminRuns = @(
            Save-AdminManifest 'admin-set' '30'
            Invoke-AdminStep Get-StackSyncStatus @{ Path = $adminRepo.Manifest }
            Invoke-AdminStep Sync-StackManifest @{ Path = $adminRepo.Manifest; Confirm = $false }
            Invoke-AdminStep Get-PatternStack @{ StackSet = $true; StackName = 'admin-set'; Region = 'us-east-2' }
            Save-AdminManifest 'admin-set' '60'
            Invoke-AdminStep Sync-StackManifest @{ Path = $adminRepo.Manifest; Confirm = $false }
            Save-AdminManifest 'admin-other' '7' "account: `"$production`""
            Invoke-AdminStep Sync-StackManifest @{ Path = $adminRepo.Manifest; Prune = $true; Force = $true; Confirm = $false }
        )
        $script:adminLog = @(Get-CloudSandboxRequestLog)
    }

    It 'is sufficient: the sync''s stack sets are created, updated and pruned as the role, using exactly the policy''s actions' {
        @($adminRuns.Failures | Where-Object { $_ -notlike '*not pruned: owned by another manifest*' }) | Should -BeNullOrEmpty -Because 'only the other repositories'' stack sets are left'
        $admin = @($adminRuns.Results | Where-Object { $_.AccountId -eq '111111111111' -and $_.Stacks })
        @($admin.Stacks | Where-Object StackName -like 'admin-*' | ForEach-Object { "$($_.StackName) $($_.Action)" }) | Should -Be @('admin-set Created', 'admin-set Updated', 'admin-other Created', 'admin-set Pruned')
        @($adminRuns.Results | Where-Object InstanceStatus).Count | Should -Be $workloadAccounts.Count
        $mine = @($adminLog | Where-Object Principal -like 'arn:aws:sts::111111111111:assumed-role/CloudPatternsStackSetAdmin/*')
        $mine.Decision | Sort-Object -Unique | Should -Be 'Allow'
        @($adminLog | Where-Object { $_.Principal -like 'arn:aws:iam::111111111111:*' -and $_.Operation -notin 'GetCallerIdentity', 'AssumeRole' } | ForEach-Object Operation) |
            Should -BeNullOrEmpty -Because 'the caller''s own credentials only find out who it is and assume the roles'
        @($mine | ForEach-Object Checks | ForEach-Object Action | Sort-Object -Unique) | Should -Be $syncActions
    }

    It 'is minimal: without any one action the policy simulator refuses one of the flow''s requests' {
        $needed = Find-NeededPolicyPart -RoleName CloudPatternsStackSetAdmin -Requests $adminLog -Policies @{ '111111111111' = $adminPolicy.PolicyDocument } -By Action
        Get-UnneededAction $needed $syncActions | Should -BeNullOrEmpty
    }

    It 'without cloudformation:ListStackInstances reading the instances really fails naming it, as the simulator said' {
        try {
            Set-OwnAccountRolePolicy CloudPatternsStackSetAdmin StackSetAdmin $adminPolicy.PolicyDocument -Without 'cloudformation:ListStackInstances'
            $run = Invoke-AdminStep Get-PatternStack @{ StackSet = $true; StackName = 'admin-other'; Region = 'us-east-2' }
            ($run.Failures -join "`n") | Should -BeLike '*cloudformation:ListStackInstances*' -Because ($run.Failures -join ' | ')
        }
        finally { Install-CloudPatternsRole -Job StackSetAdmin -TrustExternalId $adminId -Confirm:$false | Out-Null }
    }

    It 'is the template''s StackSetAdminRole, Sid by Sid' {
        Get-TemplateRoleMismatch StackSetAdminRole $adminPolicy | Should -BeNullOrEmpty
    }
}
