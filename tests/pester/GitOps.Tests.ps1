# The GitOps pattern end to end against LocalCloud, from a real git repository made here: sync, drift, self-heal,
# prune, rollback, a failing target, manifest errors and the dirty-tree guard; as the least-privilege GitOpsSync role.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-CloudPatternsUnderTest
    $script:sandbox = Start-CloudSandbox -Force
    $script:production = '333333333333'
    $script:staging = '444444444444'
    $script:dr = '555555555555'
    $script:workloadsOu = (Get-OrgAccount | Where-Object Name -eq 'production').ParentId
    # The flows run in the target accounts as the GitOps sync role, not as OrganizationAccountAccessRole.
    Install-CloudPatternsRole -Job GitOpsSync -AccountId $production, $staging, $dr -TrustExternalId gitops-test -Confirm:$false | Out-Null
    $asRole = @{ RoleName = 'CloudPatternsGitOpsSync'; ExternalId = 'gitops-test' }
    $PSDefaultParameterValues = @{}
    foreach ($command in 'Sync-StackManifest', 'Get-StackSyncStatus', 'Get-StackSyncHistory', 'Get-PatternStack') {
        foreach ($parameter in $asRole.Keys) { $PSDefaultParameterValues["${command}:$parameter"] = $asRole[$parameter] }
    }

    function Invoke-Git {
        git -C $repo -c user.name='Ada Ops' -c user.email='ada@example.com' @args
        if ($LASTEXITCODE -ne 0) { throw "git $args failed" }
    }

    function Save-Commit([string] $Message) {
        Invoke-Git add -A
        Invoke-Git commit -q -m $Message
        (git -C $repo rev-parse HEAD).Trim()
    }

    # The manifest: network (immutable, in production by name and staging by id) and app (mutable, depends on
    # network, in the Workloads OU), in two regions. App is written first: the order comes from layer and dependsOn.
    function Write-Manifest([string] $Retention = '7', [switch] $WithoutApp, [switch] $BrokenDr) {
        $app = @"
  - name: app
    template: templates/app.yaml
    layer: mutable
    dependsOn: [network]
    targets:
      - organizationalUnit: $workloadsOu
$(if ($BrokenDr) { "      - account: dr" })
    parameters:
      Retention: "$Retention"
"@
        $network = @"
  - name: network
    template: templates/network.yaml
    layer: immutable
    targets:
      - account: production
      - account: "$staging"
$(if ($BrokenDr) { "      - account: dr`n        environment: broken" })
    parameters:
      Cidr: 10.20.0.0/16
    environments:
      broken:
        parameters:
          FlowLogRetention: seven
"@
        $text = "version: 1`n" + $(if ($script:manifestId) { "id: $script:manifestId`n" }) + "regions: [us-east-2, us-west-2]`ntags:`n  owner: platform`nstacks:`n" + $(if (-not $WithoutApp) { $app + "`n" }) + $network + "`n"
        Set-Content -Path (Join-Path $repo 'cloudpatterns.yaml') -Value $text
    }

    $script:repo = Join-Path $TestDrive 'infra'
    New-Item -ItemType Directory -Path (Join-Path $repo 'templates') | Out-Null
    git init -q $repo
    Set-Content -Path (Join-Path $repo 'templates/network.yaml') -Value @'
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Cidr:
    Type: String
  FlowLogRetention:
    Type: String
    Default: '30'
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: !Ref Cidr
  FlowLogs:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: !Ref FlowLogRetention
Outputs:
  VpcId:
    Value: !Ref Vpc
'@
    Set-Content -Path (Join-Path $repo 'templates/app.yaml') -Value @'
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Retention:
    Type: String
Resources:
  AppLogs:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: !Ref Retention
'@
    Write-Manifest
    $script:first = Save-Commit 'network and app'
    $script:branch = (git -C $repo rev-parse --abbrev-ref HEAD).Trim()
    $script:manifest = Join-Path $repo 'cloudpatterns.yaml'

    function Get-Status([string] $Name) { @(Get-StackSyncStatus -Path $manifest -StackName $Name) }

}

AfterAll { Stop-CloudSandbox }

Describe 'A manifest that cannot be used' {
    BeforeAll {
        $script:scratch = Join-Path $TestDrive 'scratch'
        git init -q $scratch
        git -C $scratch -c user.name=t -c user.email=t@example.com commit -q --allow-empty -m empty
    }

    It 'names file, line and key: <Case>' -ForEach @(
        @{ Case = 'an unknown layer'; Text = "version: 1`nregions: [us-east-2]`nstacks:`n  - name: web`n    template: pattern:multi-az-web-app`n    layer: mutabel`n    targets:`n      - account: production"; Expected = 'cloudpatterns.yaml:6: stacks[0].layer: ''mutabel'' is not a layer: give immutable or mutable.' }
        @{ Case = 'a misspelt key'; Text = "version: 1`nregions: [us-east-2]`nstacks:`n  - name: web`n    template: pattern:multi-az-web-app`n    targets:`n      - account: production`n    paramters: {}"; Expected = "cloudpatterns.yaml:8: stacks[0].paramters: unknown key 'paramters'" }
        @{ Case = 'a missing template file'; Text = "version: 1`nregions: [us-east-2]`nstacks:`n  - name: web`n    template: stacks/web.yaml`n    targets:`n      - account: production"; Expected = "cloudpatterns.yaml:5: stacks[0].template: the template file 'stacks/web.yaml' does not exist" }
        @{ Case = 'an unknown dependency'; Text = "version: 1`nregions: [us-east-2]`nstacks:`n  - name: web`n    template: pattern:multi-az-web-app`n    dependsOn: [db]`n    targets:`n      - account: production"; Expected = "cloudpatterns.yaml:4: stacks[0].dependsOn: 'db' is not a stack of this manifest." }
        @{ Case = 'broken YAML'; Text = "version: 1`nstacks: a: b"; Expected = 'cloudpatterns.yaml:2:10: (document): not valid YAML: While scanning a plain scalar value, found invalid mapping.' }
    ) {
        Set-Content -Path (Join-Path $scratch 'cloudpatterns.yaml') -Value $Text
        Get-CloudSandboxRequestLog -Clear | Out-Null
        { Get-StackSyncStatus -Path (Join-Path $scratch 'cloudpatterns.yaml') -WarningAction SilentlyContinue -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidManifest,CloudPatterns.PowerShell.Cmdlets.GetStackSyncStatusCommand' -ExpectedMessage "*$([WildcardPattern]::Escape($Expected))*"
        @(Get-CloudSandboxRequestLog) | Should -HaveCount 0
    }

    It 'names the line of an account name no account of the organization has, and changes nothing' {
        Set-Content -Path (Join-Path $scratch 'cloudpatterns.yaml') -Value "version: 1`nregions: [us-east-2]`nstacks:`n  - name: web`n    template: pattern:multi-az-web-app`n    targets:`n      - account: production`n      - account: prodcution"
        Get-CloudSandboxRequestLog -Clear | Out-Null
        { Get-StackSyncStatus -Path (Join-Path $scratch 'cloudpatterns.yaml') -WarningAction SilentlyContinue -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidManifest,CloudPatterns.PowerShell.Cmdlets.GetStackSyncStatusCommand' -ExpectedMessage "*$([WildcardPattern]::Escape("cloudpatterns.yaml:8: stacks[0].targets[1].account: no account of the organization is named 'prodcution'"))*"
        @(Get-CloudSandboxRequestLog | Where-Object Mutating) | Should -HaveCount 0
        @(Get-CloudSandboxRequestLog -Service cloudformation) | Should -HaveCount 0
    }

    It 'is refused by Sync-StackManifest before any AWS call, also when committed' {
        Set-Content -Path (Join-Path $scratch 'cloudpatterns.yaml') -Value "version: 2`nstacks: []"
        git -C $scratch add -A
        git -C $scratch -c user.name=t -c user.email=t@example.com commit -q -m 'bad manifest'
        Get-CloudSandboxRequestLog -Clear | Out-Null
        { Sync-StackManifest -Path (Join-Path $scratch 'cloudpatterns.yaml') -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidManifest,CloudPatterns.PowerShell.Cmdlets.SyncStackManifestCommand' -ExpectedMessage "*cloudpatterns.yaml:1: version: version '2' is not supported: give 1."
        @(Get-CloudSandboxRequestLog) | Should -HaveCount 0
    }
}

Describe 'Sync-StackManifest and Get-StackSyncStatus' {
    It 'refuses a dirty working tree and calls nothing' {
        Set-Content -Path (Join-Path $repo 'notes.txt') -Value 'not committed'
        Get-CloudSandboxRequestLog -Clear | Out-Null
        try {
            { Sync-StackManifest -Path $manifest -ErrorAction Stop } |
                Should -Throw -ErrorId 'DirtyWorkingTree,CloudPatterns.PowerShell.Cmdlets.SyncStackManifestCommand' -ExpectedMessage '*uncommitted changes (notes.txt)*-AllowDirty*'
            @(Get-CloudSandboxRequestLog) | Should -HaveCount 0
        }
        finally { Remove-Item (Join-Path $repo 'notes.txt') }
    }

    It 'reports every declared stack Missing before the first sync, with read-only calls' {
        Get-CloudSandboxRequestLog -Clear | Out-Null
        $statuses = @(Get-StackSyncStatus -Path $manifest)
        @(Get-CloudSandboxRequestLog | Where-Object Mutating) | Should -HaveCount 0
        $statuses | Should -HaveCount 8
        @($statuses | Where-Object Status -ne 'Missing') | Should -BeNullOrEmpty
        @($statuses.AccountId | Sort-Object -Unique) | Should -Be @($production, $staging)
        @($statuses.Region | Sort-Object -Unique) | Should -Be @('us-east-2', 'us-west-2')
    }

    It 'writes a manifest id on the first sync and changes nothing until it is committed' {
        Get-CloudSandboxRequestLog -Clear | Out-Null
        { Sync-StackManifest -Path $manifest -ErrorAction Stop } |
            Should -Throw -ErrorId 'ManifestIdCreated,CloudPatterns.PowerShell.Cmdlets.SyncStackManifestCommand' -ExpectedMessage "*cloudpatterns.yaml had no manifest id: wrote 'id: *' into it, and changed nothing in AWS. Commit it*"
        @(Get-CloudSandboxRequestLog) | Should -HaveCount 0
        $lines = Get-Content $manifest
        $lines[0] | Should -Be 'version: 1'
        $lines[1] | Should -Match '^id: [0-9a-f]{32}$'
        $script:manifestId = $lines[1].Substring(4)
        $script:first = Save-Commit 'manifest id'
    }

    It 'creates everything, immutable layer first, tagged with the commit and the manifest' {
        $results = @(Sync-StackManifest -Path $manifest)
        $results | Should -HaveCount 4
        $results | ForEach-Object { $_ | Should -BeOfType 'CloudPatterns.Core.GitOps.StackSyncResult' }
        @($results | Where-Object Status -ne 'Succeeded') | Should -BeNullOrEmpty
        foreach ($result in $results) {
            @($result.Stacks.StackName) | Should -Be @('network', 'app')
            @($result.Stacks.Action) | Should -Be @('Created', 'Created')
            $result.Commit | Should -Be $first
        }

        $statuses = @(Get-StackSyncStatus -Path $manifest)
        @($statuses | Where-Object Status -ne 'Synced' | ForEach-Object { "$($_.AccountId) $($_.Region) $($_.StackName) $($_.Status) $($_.Differences)" }) | Should -BeNullOrEmpty
        $statuses.DeployedCommit | Sort-Object -Unique | Should -Be $first

        $stacks = @(Get-PatternStack -AccountId $production, $staging -Region us-east-2, us-west-2 -Pattern GitOps)
        $stacks | Should -HaveCount 8
        foreach ($stack in $stacks) {
            $stack.Commit | Should -Be $first
            $stack.Tags['cloudpatterns:manifest'] | Should -Be 'cloudpatterns.yaml'
            $stack.Tags['cloudpatterns:manifest-id'] | Should -Be $manifestId
            $stack.Tags.ContainsKey('cloudpatterns:repository') | Should -BeFalse
            $stack.Tags['owner'] | Should -Be 'platform'
            $stack.Tags['cloudpatterns:deployed-by'] | Should -Match ':111111111111:'
        }
        $network = $stacks | Where-Object { $_.StackName -eq 'network' -and $_.AccountId -eq $staging -and $_.Region -eq 'us-west-2' }
        $app = $stacks | Where-Object { $_.StackName -eq 'app' -and $_.AccountId -eq $staging -and $_.Region -eq 'us-west-2' }
        $app.CreationTime | Should -BeGreaterOrEqual $network.LastUpdatedTime
    }

    It 'shows a committed parameter change as OutOfSync, previews the change set with -WhatIf, then applies it' {
        Write-Manifest -Retention 14
        $script:second = Save-Commit 'app keeps logs 14 days'

        $app = Get-Status app
        $app | Should -HaveCount 4
        foreach ($status in $app) {
            $status.Status | Should -Be 'OutOfSync'
            $status.Differences | Should -Be @("parameter Retention: '7' -> '14'")
            $status.DeployedCommit | Should -Be $first
            $status.DesiredCommit | Should -Be $second
        }
        @(Get-Status network | Where-Object Status -ne 'Synced') | Should -BeNullOrEmpty
        $withChangeSet = Get-StackSyncStatus -Path $manifest -StackName app -AccountId $staging -Region us-west-2 -IncludeChangeSet
        $withChangeSet.Changes | Should -HaveCount 1
        $withChangeSet.Changes[0].Action | Should -Be 'Modify'
        $withChangeSet.Changes[0].LogicalResourceId | Should -Be 'AppLogs'
        $withChangeSet.Changes[0].Replacement | Should -Be 'False'

        $shown = $null
        Sync-StackManifest -Path $manifest -WhatIf -InformationVariable shown | Should -BeNullOrEmpty
        $text = ($shown | ForEach-Object { "$_" }) -join "`n"
        $text | Should -Match "What if: Update stack 'app' in $production us-east-2: 1 resource change\(s\)"
        $text | Should -Match 'Modify\s+AppLogs\s+AWS::Logs::LogGroup\s+False'
        $text | Should -Not -Match "stack 'network'"
        @(Get-Status app | Where-Object Status -ne 'OutOfSync') | Should -BeNullOrEmpty

        $results = @(Sync-StackManifest -Path $manifest)
        foreach ($result in $results) {
            ($result.Stacks | Where-Object StackName -eq 'network').Action | Should -Be 'None'
            $applied = $result.Stacks | Where-Object StackName -eq 'app'
            $applied.Action | Should -Be 'Updated'
            $applied.Changes.LogicalResourceId | Should -Be 'AppLogs'
        }
        $statuses = @(Get-StackSyncStatus -Path $manifest)
        @($statuses | Where-Object Status -ne 'Synced') | Should -BeNullOrEmpty
        ($statuses | Where-Object StackName -eq 'app').DeployedCommit | Sort-Object -Unique | Should -Be $second
        ($statuses | Where-Object StackName -eq 'network').DeployedCommit | Sort-Object -Unique | Should -Be $first
    }

    It 'reports a resource changed outside git as Drifted, with the property' {
        Set-OutOfBandRetention -Endpoint $sandbox.Url -AccountId $production -Region us-east-2 -StackName app -LogicalId AppLogs -Days 1
        $drifted = @(Get-Status app | Where-Object Status -eq 'Drifted')
        $drifted | Should -HaveCount 1
        $drifted[0].AccountId | Should -Be $production
        $drifted[0].Region | Should -Be 'us-east-2'
        $drifted[0].DriftedResources.LogicalResourceId | Should -Be 'AppLogs'
        $drifted[0].DriftedResources.DriftStatus | Should -Be 'MODIFIED'
        $property = $drifted[0].DriftedResources.Properties
        $property.PropertyPath | Should -Be '/RetentionInDays'
        $property.ExpectedValue | Should -Be '14'
        $property.ActualValue | Should -Be '1'
    }

    It '-DetectOnly reports the drift and makes no mutating call' {
        Get-CloudSandboxRequestLog -Clear | Out-Null
        $results = @(Sync-StackManifest -Path $manifest -DetectOnly)
        $results | Should -HaveCount 4
        @($results.Status | Sort-Object -Unique) | Should -Be 'Detected'
        $detected = $results | Where-Object { $_.AccountId -eq $production -and $_.Region -eq 'us-east-2' }
        ($detected.Stacks | Where-Object StackName -eq 'app').Before | Should -Be 'Drifted'
        @($results.Stacks.Action | Sort-Object -Unique) | Should -Be 'None'
        $requests = @(Get-CloudSandboxRequestLog)
        @($requests | Where-Object Operation -eq 'DetectStackDrift') | Should -Not -BeNullOrEmpty
        @($requests | Where-Object Mutating | ForEach-Object { "$($_.Service) $($_.Operation)" }) | Should -BeNullOrEmpty
        @(Get-Status app | Where-Object Status -eq 'Drifted') | Should -HaveCount 1
    }

    It 'leaves drift without -SelfHeal and reverts it with -SelfHeal' {
        $plain = Sync-StackManifest -Path $manifest -AccountId $production -Region us-east-2
        ($plain.Stacks | Where-Object StackName -eq 'app').Message | Should -Match 'SelfHeal'
        @(Get-Status app | Where-Object Status -eq 'Drifted') | Should -HaveCount 1

        $healed = Sync-StackManifest -Path $manifest -StackName app -AccountId $production -Region us-east-2 -SelfHeal
        @($healed.Stacks) | Should -HaveCount 1
        $app = $healed.Stacks[0]
        $app.StackName | Should -Be 'app'
        $app.Action | Should -Be 'Healed'
        $app.Changes.LogicalResourceId | Should -Be 'AppLogs'
        @(Get-Status app | Where-Object Status -ne 'Synced') | Should -BeNullOrEmpty
    }

    It 'reports a stack removed from the manifest as Orphaned; -Prune -WhatIf deletes nothing, -Prune does' {
        Write-Manifest -Retention 14 -WithoutApp
        $script:third = Save-Commit 'app moves elsewhere'
        $orphans = @(Get-Status app)
        $orphans | Should -HaveCount 4
        @($orphans.Status | Sort-Object -Unique) | Should -Be 'Orphaned'

        Get-CloudSandboxRequestLog -Clear | Out-Null
        Sync-StackManifest -Path $manifest -Prune -WhatIf | Should -BeNullOrEmpty
        @(Get-CloudSandboxRequestLog -Operation DeleteStack) | Should -HaveCount 0
        @(Get-Status app | Where-Object Status -eq 'Orphaned') | Should -HaveCount 4

        $results = @(Sync-StackManifest -Path $manifest)
        ($results.Stacks | Where-Object StackName -eq 'app').Action | Sort-Object -Unique | Should -Be 'None'
        @(Get-Status app) | Should -HaveCount 4

        $results = @(Sync-StackManifest -Path $manifest -Prune -Force)
        ($results.Stacks | Where-Object StackName -eq 'app').Action | Sort-Object -Unique | Should -Be 'Pruned'
        @(Get-Status app) | Should -BeNullOrEmpty
        @(Get-PatternStack -StackName app -AccountId $production, $staging -Region us-east-2, us-west-2) | Should -BeNullOrEmpty
    }

    It 'rolls back by syncing an older commit''s checkout, and the history says which commit ran when' {
        Invoke-Git checkout -q $second
        try {
            $results = @(Sync-StackManifest -Path $manifest)
            ($results.Stacks | Where-Object StackName -eq 'app').Action | Sort-Object -Unique | Should -Be 'Created'
            $app = @(Get-Status app)
            @($app.Status | Sort-Object -Unique) | Should -Be 'Synced'
            @($app.DeployedCommit | Sort-Object -Unique) | Should -Be $second

            $history = @(Get-StackSyncHistory -Path $manifest -AccountId $production -Region us-east-2)
            $history | ForEach-Object { $_ | Should -BeOfType 'CloudPatterns.Core.GitOps.StackSyncHistoryEntry' }
            $network = @($history | Where-Object StackName -eq 'network')
            $network | Should -HaveCount 1
            $network[0].Status | Should -Be 'CREATE_COMPLETE'
            $network[0].Commit | Should -Be $first
            $network[0].CommitAuthor | Should -Be 'Ada Ops <ada@example.com>'
            $appHistory = @($history | Where-Object StackName -eq 'app')
            $appHistory | Should -HaveCount 1
            $appHistory[0].Commit | Should -Be $second
            $appHistory[0].DeployedBy | Should -Match ':111111111111:'
        }
        finally { Invoke-Git checkout -q $branch }
    }

    It 'stops a failing target at its failing stack and goes on with the others' {
        Write-Manifest -Retention 14 -BrokenDr
        $fourth = Save-Commit 'dr joins'
        $results = @(Sync-StackManifest -Path $manifest -ErrorVariable failures -ErrorAction SilentlyContinue)
        $results | Should -HaveCount 6
        $failures | Should -HaveCount 2
        $failures | ForEach-Object { $_.FullyQualifiedErrorId | Should -Be 'StackDeploymentFailed,CloudPatterns.PowerShell.Cmdlets.SyncStackManifestCommand' }
        ($failures[0].Exception.Message) | Should -Match 'RetentionInDays: expected type: Integer'

        $broken = @($results | Where-Object AccountId -eq $dr)
        $broken | Should -HaveCount 2
        foreach ($result in $broken) {
            $result.Status | Should -Be 'Failed'
            @($result.Stacks.StackName) | Should -Be @('network', 'app')
            @($result.Stacks.Action) | Should -Be @('Failed', 'Skipped')
        }
        @($results | Where-Object AccountId -ne $dr | Where-Object Status -ne 'Succeeded') | Should -BeNullOrEmpty
        $status = @(Get-StackSyncStatus -Path $manifest -AccountId $dr)
        ($status | Where-Object StackName -eq 'network').Status | Sort-Object -Unique | Should -Be 'Failed'
        ($status | Where-Object StackName -eq 'app').Status | Sort-Object -Unique | Should -Be 'Missing'
        (Get-PatternStack -StackName network -AccountId $staging -Region us-west-2).Commit | Should -Be $first
        $fourth | Should -Not -Be $first
    }
}

Describe 'A stack with a CloudFormation service role' {
    It 'is provisioned as the role its manifest entry names, and a syncing role needs iam:PassRole on it' {
        $svc = Join-Path $TestDrive 'service-role'
        New-Item -ItemType Directory -Path (Join-Path $svc 'templates') | Out-Null
        git init -q $svc
        Set-Content -Path (Join-Path $svc 'templates/logs.yaml') -Value "Resources:`n  Logs:`n    Type: AWS::Logs::LogGroup`n    Properties:`n      RetentionInDays: 7`n"
        $manifest = Join-Path $svc 'cloudpatterns.yaml'
        Set-Content -Path $manifest -Value "version: 1`nregions: [us-east-2]`nstacks:`n  - name: svc-logs`n    template: templates/logs.yaml`n    serviceRole: StackService`n    targets:`n      - account: `"$staging`"`n"
        $policy = Join-Path $TestDrive 'service-role.json'
        Set-Content -Path $policy -Value '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:CreateLogGroup","logs:PutRetentionPolicy","logs:DeleteLogGroup"],"Resource":"*"}]}'
        $role = (Invoke-DrSandbox service-role StackService $policy $staging).role
        # The first sync of a committed manifest writes its id, which is committed too.
        foreach ($message in 'logs under a service role', 'manifest id') {
            git -C $svc add -A
            git -C $svc -c user.name='Ada Ops' -c user.email='ada@example.com' commit -q -m $message
            if ($message -ne 'manifest id') { try { Sync-StackManifest -Path $manifest -RoleName OrganizationAccountAccessRole -ErrorAction Stop | Out-Null } catch { Write-Verbose "$_" } }
        }

        # GitOpsSync has no iam:PassRole: CloudFormation refuses the role it would pass.
        $failures = @()
        $refused = Sync-StackManifest -Path $manifest -ErrorVariable failures -ErrorAction SilentlyContinue
        (@($failures | ForEach-Object { "$_" }) + @($refused.Stacks.Message) -join ' ') | Should -BeLike "*not authorized to perform: iam:PassRole on resource: $role*"

        Get-CloudSandboxRequestLog -Clear | Out-Null
        $synced = Sync-StackManifest -Path $manifest -RoleName OrganizationAccountAccessRole
        $synced.Status | Should -Be 'Succeeded'
        $provisioned = @(Get-CloudSandboxRequestLog | Where-Object Operation -like 'CloudFormation * AWS::Logs::LogGroup')
        $provisioned | Should -Not -BeNullOrEmpty
        $provisioned.Principal | Sort-Object -Unique | Should -Be "arn:aws:sts::${staging}:assumed-role/StackService/AWSCloudFormation"
        $provisioned.Action | Sort-Object -Unique | Should -Be 'logs:CreateLogGroup'
    }
}
