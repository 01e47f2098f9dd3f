# GitOps as an attacker (or an unlucky neighbour) would try it: two repositories with the default manifest name and the
# same stack names in one account, a copy of a repository, manifests naming files outside the repository, a create
# that rolled back, and YAML that does not parse. Each repository is a real git repository made here.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-CloudPatternsUnderTest
    $script:sandbox = Start-CloudSandbox -Force
    $script:account = '333333333333'
    $script:region = 'us-east-2'

    function Invoke-Git([string] $Repo) {
        git -C $Repo -c user.name='Eve Ops' -c user.email='eve@example.com' @args
        if ($LASTEXITCODE -ne 0) { throw "git $args failed" }
    }

    function Save-Commit([string] $Repo, [string] $Message) {
        Invoke-Git $Repo add -A
        Invoke-Git $Repo commit -q -m $Message
    }

    # A repository with cloudpatterns.yaml declaring the given stacks (each a log group from templates/logs.yaml) in
    # one account and region, and a remote when given.
    function New-Repository([string] $Name, [string] $Remote) {
        $repo = Join-Path $TestDrive $Name
        New-Item -ItemType Directory -Path (Join-Path $repo 'templates') | Out-Null
        git init -q $repo
        if ($Remote) { Invoke-Git $repo remote add origin $Remote }
        Set-Content -Path (Join-Path $repo 'templates/logs.yaml') -Value @'
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Retention:
    Type: String
    Default: '7'
Resources:
  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: !Ref Retention
'@
        $repo
    }

    function Write-Manifest([string] $Repo, [string[]] $Stacks, [string] $Template = 'templates/logs.yaml') {
        $path = Join-Path $Repo 'cloudpatterns.yaml'
        $id = if (Test-Path $path) { [regex]::Match((Get-Content -Raw $path), '(?m)^id: (\S+)').Groups[1].Value } else { '' }
        $text = "version: 1`n" + $(if ($id) { "id: $id`n" }) + "regions: [$region]`nstacks:`n"
        foreach ($stack in $Stacks) { $text += "  - name: $stack`n    template: $Template`n    targets:`n      - account: `"$account`"`n" }
        Set-Content -Path $path -Value $text
        $path
    }

    # The first sync of a manifest writes its id and changes nothing; committed, the next sync deploys.
    function Initialize-Manifest([string] $Repo, [string[]] $Stacks) {
        $manifest = Write-Manifest $Repo $Stacks
        Save-Commit $Repo 'manifest'
        { Sync-StackManifest -Path $manifest -ErrorAction Stop } | Should -Throw -ErrorId 'ManifestIdCreated,CloudPatterns.PowerShell.Cmdlets.SyncStackManifestCommand' -ExpectedMessage '*Commit it*'
        $id = [regex]::Match((Get-Content -Raw $manifest), '(?m)^id: ([0-9a-f]{32})$').Groups[1].Value
        $id | Should -Not -BeNullOrEmpty
        Save-Commit $Repo 'manifest id'
        $results = @(Sync-StackManifest -Path $manifest)
        $results.Status | Should -Be 'Succeeded'
        $id
    }

    function Get-Stack([string] $Name) { Get-PatternStack -AccountId $account -Region $region | Where-Object StackName -eq $Name }
}

AfterAll { Stop-CloudSandbox }

Describe 'Ownership: a sync changes and prunes only its own stacks' {
    BeforeAll {
        $script:teamA = New-Repository 'team-a' 'https://ci-bot:s3cr3t-token@Git.Example.com:8443/team-a/infra.git'
        $script:teamB = New-Repository 'team-b' 'git@git.example.com:team-b/infra.git'
    }

    It 'writes an id into a manifest that has none, changes nothing in AWS, and tags every stack with the id and the remote without its credentials' {
        Get-CloudSandboxRequestLog -Clear | Out-Null
        $script:idA = Initialize-Manifest $teamA @('shared', 'a-only')
        @(Get-CloudSandboxRequestLog -Operation CreateChangeSet) | Should -HaveCount 2
        foreach ($name in 'shared', 'a-only') {
            $tags = (Get-Stack $name).Tags
            $tags['cloudpatterns:manifest-id'] | Should -Be $idA
            $tags['cloudpatterns:repository'] | Should -Be 'git.example.com/team-a/infra'
            ($tags.Values -join ' ') | Should -Not -Match 's3cr3t'
        }
    }

    It 'refuses to change a stack of the same name another repository owns, and says whose it is' {
        $manifest = Write-Manifest $teamB @('shared', 'b-only')
        Save-Commit $teamB 'manifest'
        { Sync-StackManifest -Path $manifest -ErrorAction Stop } | Should -Throw -ErrorId 'ManifestIdCreated,CloudPatterns.PowerShell.Cmdlets.SyncStackManifestCommand'
        Save-Commit $teamB 'manifest id'

        $status = @(Get-StackSyncStatus -Path $manifest)
        $status | Should -HaveCount 2
        ($status | Where-Object StackName -eq 'shared').Status | Should -Be 'NotOwned'
        ($status | Where-Object StackName -eq 'shared').Reason | Should -Be "owned by another manifest (id $idA, repository git.example.com/team-a/infra)"
        ($status | Where-Object StackName -eq 'b-only').Status | Should -Be 'Missing'
        @($status | Where-Object Status -eq 'Orphaned') | Should -BeNullOrEmpty

        Get-CloudSandboxRequestLog -Clear | Out-Null
        $result = Sync-StackManifest -Path $manifest -ErrorAction SilentlyContinue -ErrorVariable refused
        $refused | Should -HaveCount 1
        $refused[0].FullyQualifiedErrorId | Should -Be 'StackNotOwned,CloudPatterns.PowerShell.Cmdlets.SyncStackManifestCommand'
        $refused[0].Exception.Message | Should -BeLike "Stack 'shared' in account $account region $region is not this manifest's (owned by another manifest (id $idA*"
        ($result.Stacks | Where-Object StackName -eq 'shared').Action | Should -Be 'Failed'
        ($result.Stacks | Where-Object StackName -eq 'b-only').Action | Should -Be 'Skipped'
        @(Get-CloudSandboxRequestLog | Where-Object Operation -in 'CreateChangeSet', 'ExecuteChangeSet', 'UpdateStack', 'DeleteStack') | Should -BeNullOrEmpty
        (Get-Stack 'shared').Tags['cloudpatterns:manifest-id'] | Should -Be $idA
    }

    It '-Prune in one repository never deletes the other''s stacks, and says which it skipped and why' {
        $manifest = Write-Manifest $teamB @('b-only')
        Save-Commit $teamB 'only b-only'
        Get-CloudSandboxRequestLog -Clear | Out-Null
        $result = Sync-StackManifest -Path $manifest -Prune -Force -WarningVariable warnings -WarningAction SilentlyContinue
        $result.Status | Should -Be 'Succeeded'
        ($result.Stacks | Where-Object StackName -eq 'b-only').Action | Should -Be 'Created'
        @($warnings | ForEach-Object { "$_" } | Sort-Object) | Should -Be @(
            "Stack a-only in $account $region not pruned: owned by another manifest (id $idA, repository git.example.com/team-a/infra)."
            "Stack shared in $account $region not pruned: owned by another manifest (id $idA, repository git.example.com/team-a/infra).")
        foreach ($name in 'shared', 'a-only') {
            $skipped = $result.Stacks | Where-Object StackName -eq $name
            $skipped.Before | Should -Be 'NotOwned'
            $skipped.Action | Should -Be 'Skipped'
            $skipped.Message | Should -Be "not pruned: owned by another manifest (id $idA, repository git.example.com/team-a/infra)"
            Get-Stack $name | Should -Not -BeNullOrEmpty
        }
        @(Get-CloudSandboxRequestLog -Operation DeleteStack) | Should -HaveCount 0
    }

    It 'a copy of a repository (same remote, its own manifest id) is not the owner either' {
        $copy = Join-Path $TestDrive 'team-a-copy'
        git clone -q $teamA $copy
        Invoke-Git $copy remote set-url origin 'https://git.example.com/team-a/infra'
        $manifest = Join-Path $copy 'cloudpatterns.yaml'
        Set-Content -Path $manifest -Value ((Get-Content $manifest) -notmatch '^id: ')
        Save-Commit $copy 'copied without the id'
        $copyId = Initialize-Manifest $copy @('copy-only')
        $copyId | Should -Not -Be $idA

        $result = Sync-StackManifest -Path $manifest -Prune -Force
        foreach ($name in 'shared', 'a-only') {
            ($result.Stacks | Where-Object StackName -eq $name).Action | Should -Be 'Skipped'
            Get-Stack $name | Should -Not -BeNullOrEmpty
        }
        @(Get-StackSyncStatus -Path $manifest | Where-Object Status -eq 'Orphaned') | Should -BeNullOrEmpty
    }

    It 'prunes its own stack (and only that) from its own repository' {
        $manifest = Write-Manifest $teamA @('shared')
        Save-Commit $teamA 'a-only goes'
        @(Get-StackSyncStatus -Path $manifest | Where-Object Status -eq 'Orphaned').StackName | Should -Be 'a-only'
        $result = Sync-StackManifest -Path $manifest -Prune -Force
        ($result.Stacks | Where-Object StackName -eq 'a-only').Action | Should -Be 'Pruned'
        @($result.Stacks | Where-Object StackName -in 'b-only', 'copy-only').Action | Sort-Object -Unique | Should -Be 'Skipped'
        Get-Stack 'a-only' | Should -BeNullOrEmpty
        Get-Stack 'b-only' | Should -Not -BeNullOrEmpty
        Get-Stack 'copy-only' | Should -Not -BeNullOrEmpty
    }
}

Describe 'Confinement: a manifest names only files git tracks inside its repository' {
    BeforeAll {
        $script:outsideRepo = New-Repository 'confined' $null
        Set-Content -Path (Join-Path $TestDrive 'x') -Value "Resources: {}"
        Set-Content -Path (Join-Path $TestDrive 'elsewhere.yaml') -Value "Resources: {}"
        New-Item -ItemType SymbolicLink -Path (Join-Path $outsideRepo 'templates/passwd.yaml') -Target '/etc/passwd' | Out-Null
        New-Item -ItemType SymbolicLink -Path (Join-Path $outsideRepo 'templates/alias.yaml') -Target 'logs.yaml' | Out-Null
        Set-Content -Path (Join-Path $outsideRepo '.gitignore') -Value 'templates/ignored.yaml'
        Set-Content -Path (Join-Path $outsideRepo 'templates/ignored.yaml') -Value "Resources: {}"
        $script:confinedManifest = Join-Path $outsideRepo 'cloudpatterns.yaml'
        $stacks = @(
            @{ Name = 'traversal'; Template = '../../x' }
            @{ Name = 'absolute'; Template = (Join-Path $TestDrive 'elsewhere.yaml') }
            @{ Name = 'passwd'; Template = 'templates/passwd.yaml' }
            @{ Name = 'alias'; Template = 'templates/alias.yaml' }
            @{ Name = 'untracked'; Template = 'templates/ignored.yaml' }
        )
        $text = "version: 1`nid: 0123456789abcdef0123456789abcdef`nregions: [$region]`nstacks:`n"
        foreach ($stack in $stacks) { $text += "  - name: $($stack.Name)`n    template: $($stack.Template)`n    targets:`n      - account: `"$account`"`n" }
        Set-Content -Path $confinedManifest -Value $text
        Save-Commit $outsideRepo 'every kind of path'
    }

    It 'refuses ../.., an absolute path, a committed symlink out of the repository and an untracked file in one error naming each key, with no AWS call' {
        Get-CloudSandboxRequestLog -Clear | Out-Null
        $failure = $null
        try { Sync-StackManifest -Path $confinedManifest -ErrorAction Stop } catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -Be 'InvalidManifest,CloudPatterns.PowerShell.Cmdlets.SyncStackManifestCommand'
        $lines = $failure.Exception.Message -split "`r?`n"
        $lines | Should -HaveCount 4
        $lines[0] | Should -BeLike "*cloudpatterns.yaml:6: stacks[[]0].template: '../../x' leaves the repository's working tree*"
        $lines[1] | Should -BeLike "*cloudpatterns.yaml:10: stacks[[]1].template: '$TestDrive*elsewhere.yaml' is an absolute path*"
        $lines[2] | Should -BeLike "*cloudpatterns.yaml:14: stacks[[]2].template: 'templates/passwd.yaml' is a symbolic link (or goes through one) that resolves to /etc/passwd, outside*"
        $lines[3] | Should -BeLike "*cloudpatterns.yaml:22: stacks[[]4].template: 'templates/ignored.yaml' (templates/ignored.yaml) is not tracked by git at commit *"
        $failure.Exception.Message | Should -Not -Match 'stacks\[3\]'
        $failure.Exception.Message | Should -Not -Match 'root:'
        @(Get-CloudSandboxRequestLog) | Should -HaveCount 0
    }

    It 'accepts a committed symlink to a tracked file inside the repository, and refuses one that is not committed' {
        $manifest = Join-Path $outsideRepo 'cloudpatterns.yaml'
        Set-Content -Path $manifest -Value "version: 1`nid: 0123456789abcdef0123456789abcdef`nregions: [$region]`nstacks:`n  - name: alias`n    template: templates/alias.yaml`n    targets:`n      - account: `"$account`"`n"
        Save-Commit $outsideRepo 'only the alias'
        @(Get-StackSyncStatus -Path $manifest).Status | Should -Be 'Missing'

        New-Item -ItemType SymbolicLink -Path (Join-Path $outsideRepo 'templates/new-alias.yaml') -Target 'logs.yaml' | Out-Null
        Set-Content -Path $manifest -Value ((Get-Content -Raw $manifest) -replace 'templates/alias.yaml', 'templates/new-alias.yaml')
        Get-CloudSandboxRequestLog -Clear | Out-Null
        { Sync-StackManifest -Path $manifest -AllowDirty -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidManifest,CloudPatterns.PowerShell.Cmdlets.SyncStackManifestCommand' -ExpectedMessage "*stacks[[]0].template: 'templates/new-alias.yaml' (templates/new-alias.yaml, a link to templates/logs.yaml) is not tracked by git as a link at commit *"
        @(Get-CloudSandboxRequestLog) | Should -HaveCount 0
    }
}

Describe 'No stuck states' {
    It 'recreates a stack left in ROLLBACK_COMPLETE by a bad template once a good one is committed' {
        $repo = New-Repository 'rollback' $null
        Set-Content -Path (Join-Path $repo 'templates/logs.yaml') -Value "Resources:`n  Logs:`n    Type: AWS::Logs::LogGroup`n    Properties:`n      RetentionInDays: seven`n"
        $manifest = Write-Manifest $repo @('fragile')
        Save-Commit $repo 'bad template'
        { Sync-StackManifest -Path $manifest -ErrorAction Stop } | Should -Throw -ErrorId 'ManifestIdCreated,CloudPatterns.PowerShell.Cmdlets.SyncStackManifestCommand'
        Save-Commit $repo 'manifest id'
        $failed = Sync-StackManifest -Path $manifest -ErrorAction SilentlyContinue -ErrorVariable failures
        $failed.Status | Should -Be 'Failed'
        $failures[0].Exception.Message | Should -Match 'RetentionInDays'
        (Get-Stack 'fragile').Status | Should -Be 'ROLLBACK_COMPLETE'
        (Get-StackSyncStatus -Path $manifest).Status | Should -Be 'Failed'

        Set-Content -Path (Join-Path $repo 'templates/logs.yaml') -Value "Resources:`n  Logs:`n    Type: AWS::Logs::LogGroup`n    Properties:`n      RetentionInDays: 7`n"
        Save-Commit $repo 'good template'
        $fixed = Sync-StackManifest -Path $manifest
        $fixed.Status | Should -Be 'Succeeded'
        $fixed.Stacks[0].Action | Should -Be 'Created'
        $fixed.Stacks[0].Message | Should -BeLike 'stack status ROLLBACK_COMPLETE*: the failed create was deleted and the stack created again'
        (Get-Stack 'fragile').Status | Should -Be 'CREATE_COMPLETE'
        (Get-StackSyncStatus -Path $manifest).Status | Should -Be 'Synced'
    }
}

Describe 'Errors that say where' {
    It 'names the line and column of a YAML syntax error, and what is wrong: <Case>' -ForEach @(
        @{ Case = 'a mapping in a plain value'; Text = "version: 1`nstacks:`n  - name: a`n    template: x`n   targets: y"; Expected = "cloudpatterns.yaml:5:4: (document): not valid YAML: While parsing a block collection, did not find expected '-' indicator." }
        @{ Case = 'an unclosed quote'; Text = "version: 1`nstacks: `"abc"; Expected = 'cloudpatterns.yaml:2:9: (document): not valid YAML: While scanning a quoted scalar, found unexpected end of stream. (found at line 3, column 1)' }
        @{ Case = 'a duplicate key'; Text = "version: 1`nversion: 1"; Expected = 'cloudpatterns.yaml:2:1: (document): not valid YAML: Duplicate key version' }
    ) {
        $repo = Join-Path $TestDrive "yaml-$([guid]::NewGuid().ToString('N'))"
        git init -q $repo
        Set-Content -Path (Join-Path $repo 'cloudpatterns.yaml') -Value $Text
        Save-Commit $repo 'broken'
        Get-CloudSandboxRequestLog -Clear | Out-Null
        { Sync-StackManifest -Path (Join-Path $repo 'cloudpatterns.yaml') -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidManifest,CloudPatterns.PowerShell.Cmdlets.SyncStackManifestCommand' -ExpectedMessage "*$([WildcardPattern]::Escape($Expected))"
        @(Get-CloudSandboxRequestLog) | Should -HaveCount 0
    }
}
