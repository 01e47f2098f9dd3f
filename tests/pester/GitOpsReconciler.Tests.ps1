# The GitOps reconciler (docs/gitops-reconciler.md) deployed from templates/gitops-reconciler.yaml into LocalCloud's
# management account, with the forwarder template in production: Publish-StackManifest uploads bundles; the function,
# driven only by the sandbox clock (its schedule) and EventBridge (CloudTrail change events), deploys them, reverts an
# out-of-band change, refuses a tampered bundle and never touches another repository's stacks. Its role's policy is
# shown minimal: each action removed makes a run fail, naming it.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-CloudPatternsUnderTest
    $script:sandbox = Start-CloudSandbox -Force
    $script:admin = $sandbox.Url.ToString().TrimEnd('/') + '/_localcloud'
    $script:production = '333333333333'
    $script:externalId = 'gitops-reconciler-test'
    $script:python = if (Get-Command python3 -ErrorAction SilentlyContinue) { 'python3' } else { 'python' }
    $script:eventFolder = Join-Path ([System.IO.Path]::GetTempPath()) "gitops-reconciler-events-$PID"
    New-Item -ItemType Directory -Force $eventFolder | Out-Null

    function Invoke-GitOpsSandbox {
        $output = & $python (Join-Path $PSScriptRoot 'support/gitops_sandbox.py') $env:AWS_ENDPOINT_URL @args
        if ($LASTEXITCODE -ne 0) { throw "gitops_sandbox.py $args failed: $output" }
        $output | ConvertFrom-Json
    }
    function Step-SandboxClock([string] $By) { Invoke-RestMethod -Method Post "$admin/clock" -Body "{`"advance`":`"$By`"}" | Out-Null }
    # Waits until the function ran at least once more than in $Before and every invocation started has ended.
    function Wait-Reconciler($Before) {
        $deadline = [datetime]::UtcNow.AddSeconds(180)
        do {
            Start-Sleep -Milliseconds 1000
            $now = Invoke-GitOpsSandbox in-flight
            if ($now.started -gt $Before.started -and $now.started -eq $now.ended) { return $now }
        } while ([datetime]::UtcNow -lt $deadline)
        throw "The reconciler did not run, or did not finish, within 180 s: before $($Before | ConvertTo-Json -Compress), now $($now | ConvertTo-Json -Compress)"
    }
    function Get-Runs { @(Get-StackSyncHistory -HistoryBucket $bucket) }
    function Get-AppRetention { Invoke-GitOpsSandbox retention-of $production reconciled-app-logs }

    function New-Repository([string] $Name, [string] $Remote, [string] $Stack, [string] $Group, [string] $Retention, [string] $Reconcile = '') {
        $path = Join-Path $TestDrive $Name
        New-Item -ItemType Directory -Path (Join-Path $path 'templates') | Out-Null
        git init -q $path
        git -C $path remote add origin $Remote
        Set-Content -Path (Join-Path $path 'templates/app.yaml') -Value @"
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Retention:
    Type: String
Resources:
  AppLogs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: $Group
      RetentionInDays: !Ref Retention
"@
        $id = [guid]::NewGuid().ToString('N')
        Set-Content -Path (Join-Path $path 'cloudpatterns.yaml') -Value ("version: 1`nid: $id`nregions: [us-east-2]`n$Reconcile" + "stacks:`n  - name: $Stack`n    template: templates/app.yaml`n    targets:`n      - account: `"$production`"`n    parameters:`n      Retention: `"$Retention`"`n")
        Save-Commit $path 'first' | Out-Null
        $path
    }
    function Save-Commit([string] $Path, [string] $Message) {
        git -C $Path add -A
        git -C $Path -c user.name='Ada Ops' -c user.email='ada@example.com' commit -q -m $Message
        (git -C $Path rev-parse HEAD).Trim()
    }

    # The reconciler assumes the GitOps sync role (trusting the management account with an ExternalId) in production.
    Install-CloudPatternsRole -Job GitOpsSync -AccountId $production -TrustExternalId $externalId -Confirm:$false | Out-Null
    $asRole = @{ RoleName = 'CloudPatternsGitOpsSync'; ExternalId = $externalId }
    $script:repo = New-Repository infra 'https://git.example.com/platform/infra.git' reconciled-app reconciled-app-logs 7 "reconcile:`n  drift: heal`n  prune: true`n"
    $script:manifest = Join-Path $repo 'cloudpatterns.yaml'
    $script:firstCommit = (git -C $repo rev-parse HEAD).Trim()
    # Another repository's manifest, of the same path, deployed by hand into the same account.
    $script:other = New-Repository other 'https://git.example.com/shop/infra.git' other-app other-app-logs 30
    $script:otherManifest = Join-Path $other 'cloudpatterns.yaml'
    $script:otherCommit = (git -C $other rev-parse HEAD).Trim()
    (Sync-StackManifest -Path $otherManifest @asRole).Status | Should -Be 'Succeeded'

    $zip = Join-Path (Split-Path (Get-Module CloudPatterns).Path) 'lambda/CloudPatterns.Lambda.zip'
    $zip | Should -Exist
    $script:deployed = Invoke-GitOpsSandbox deploy $zip (Join-Path $PSScriptRoot '../../templates') $externalId $production
    $script:bucket = $deployed.bucket
    $script:statusOf = { param($Path, $Stack) @(Get-StackSyncStatus -Path $Path -StackName $Stack @asRole) }
}

AfterAll {
    Stop-CloudSandbox
    Remove-Item -Recurse -Force $eventFolder -ErrorAction SilentlyContinue
}

Describe 'The reconciler before the first publish' {
    It 'records that there is no bundle, which S3 says only to a role that may list the bucket; without s3:ListBucket the read is refused' {
        # In AWS a missing key is NoSuchKey only to a caller with s3:ListBucket, AccessDenied to anyone else (docs/gitops-reconciler.md).
        function Invoke-RunBeforePublish {
            $file = Join-Path $eventFolder 'before-publish.json'
            [ordered]@{ version = '0'; id = [guid]::NewGuid().ToString(); 'detail-type' = 'Scheduled Event'; source = 'aws.scheduler'; account = $deployed.account
                time = [datetime]::UtcNow.ToString('yyyy-MM-ddTHH:mm:ss.fffZ'); region = 'us-east-2'; resources = @(); detail = @{} } |
                ConvertTo-Json | Set-Content -Path $file -Encoding utf8NoBOM
            Invoke-GitOpsSandbox invoke $file
        }
        $run = Invoke-RunBeforePublish
        $said = $run | ConvertTo-Json -Depth 8 -Compress
        $run.functionError | Should -BeNullOrEmpty -Because $said
        $said | Should -Match 'No bundle at'
        try {
            Invoke-GitOpsSandbox policy-without s3:ListBucket | Should -Not -Contain 's3:ListBucket'
            $refused = Invoke-RunBeforePublish
        }
        finally { Invoke-GitOpsSandbox policy-without | Out-Null }
        $said = $refused | ConvertTo-Json -Depth 8 -Compress
        ($refused.functionError -or $refused.payload.status -eq 'Failed') | Should -BeTrue -Because $said
        $said | Should -Match 'Access ?Denied'
        $said | Should -Not -Match 'No bundle at'
    }
}

Describe 'Publish-StackManifest' {
    It 'uploads nothing with -WhatIf, publishes a bundle of the commit, and says NoChange for the same content' {
        Get-CloudSandboxRequestLog -Clear | Out-Null
        @(Publish-StackManifest -Path $manifest -Bucket $bucket -WhatIf) | Should -BeNullOrEmpty
        @(Get-CloudSandboxRequestLog | Where-Object Mutating) | Should -BeNullOrEmpty

        $published = Publish-StackManifest -Path $manifest -Bucket $bucket -Confirm:$false
        $published.Status | Should -Be 'Published'
        $published.Commit | Should -Be $firstCommit
        $published.Digest | Should -Match '^sha256:[0-9a-f]{64}$'
        $published.Templates | Should -Be 1
        $published.VersionId | Should -Not -BeNullOrEmpty
        $again = Publish-StackManifest -Path $manifest -Bucket $bucket -Confirm:$false
        $again.Status | Should -Be 'NoChange'
        $again.VersionId | Should -Be $published.VersionId
    }

    It 'refuses a dirty tree, a bucket without versioning and a template outside the repository, uploading nothing' {
        Set-Content -Path (Join-Path $repo 'notes.txt') -Value 'not committed'
        try { { Publish-StackManifest -Path $manifest -Bucket $bucket -Confirm:$false } | Should -Throw -ErrorId 'DirtyWorkingTree,CloudPatterns.PowerShell.Cmdlets.PublishStackManifestCommand' }
        finally { Remove-Item (Join-Path $repo 'notes.txt') }

        $plain = "cloudpatterns-lambda-code-$($deployed.account)"
        { Publish-StackManifest -Path $manifest -Bucket $plain -Confirm:$false } | Should -Throw -ErrorId 'BundleBucketNotVersioned,CloudPatterns.PowerShell.Cmdlets.PublishStackManifestCommand'

        $escape = Join-Path $TestDrive 'escape'
        New-Item -ItemType Directory $escape | Out-Null
        git init -q $escape
        Set-Content -Path (Join-Path $TestDrive 'outside.yaml') -Value "Resources: {}"
        Set-Content -Path (Join-Path $escape 'cloudpatterns.yaml') -Value "version: 1`nid: $([guid]::NewGuid().ToString('N'))`nregions: [us-east-2]`nstacks:`n  - name: escape`n    template: ../outside.yaml`n    targets:`n      - account: `"$production`"`n"
        Save-Commit $escape 'escape' | Out-Null
        Get-CloudSandboxRequestLog -Clear | Out-Null
        $failure = { Publish-StackManifest -Path (Join-Path $escape 'cloudpatterns.yaml') -Bucket $bucket -Confirm:$false } | Should -Throw -ErrorId 'InvalidManifest,CloudPatterns.PowerShell.Cmdlets.PublishStackManifestCommand' -PassThru
        $failure.Exception.Message | Should -Match 'leaves the repository'
        @(Get-CloudSandboxRequestLog | Where-Object Mutating) | Should -BeNullOrEmpty
    }
}

Describe 'The GitOps reconciler function' {
    It 'deploys the published commit on its next scheduled run, and a newer commit on the run after' {
        (& $statusOf $manifest reconciled-app).Status | Should -Be 'Missing'
        $before = Invoke-GitOpsSandbox in-flight
        Step-SandboxClock 'PT1H'
        $before = Wait-Reconciler $before
        $status = & $statusOf $manifest reconciled-app
        $status.Status | Should -Be 'Synced'
        $status.DeployedCommit | Should -Be $firstCommit
        Get-AppRetention | Should -Be 7

        (Get-Content -Raw $manifest) -replace 'Retention: "7"', 'Retention: "14"' | Set-Content -Path $manifest -NoNewline
        $script:secondCommit = Save-Commit $repo 'retention 14'
        (Publish-StackManifest -Path $manifest -Bucket $bucket -Confirm:$false).Status | Should -Be 'Published'
        Step-SandboxClock 'PT1H'
        Wait-Reconciler $before | Out-Null
        (& $statusOf $manifest reconciled-app).DeployedCommit | Should -Be $secondCommit
        Get-AppRetention | Should -Be 14

        $runs = @(Get-StackSyncHistory -HistoryBucket $bucket -StackName reconciled-app)
        $runs.Trigger | Sort-Object -Unique | Should -Be 'Schedule'
        $runs[0].Action | Should -Be 'Updated'
        $runs[0].Commit | Should -Be $secondCommit
        $runs[-1].Action | Should -Be 'Created'
        $runs[-1].Commit | Should -Be $firstCommit
        @(Get-StackSyncHistory -HistoryBucket $bucket -StackName reconciled-app -From $runs[0].Time.UtcDateTime.AddSeconds(-1)).Commit | Should -Be $secondCommit
        @(Get-StackSyncHistory -HistoryBucket $bucket -StackName reconciled-app -To $runs[-1].Time.UtcDateTime.AddSeconds(-1)) | Should -BeNullOrEmpty
        @(Get-StackSyncHistory -HistoryBucket $bucket -StackName reconciled-app -AccountId 444444444444) | Should -BeNullOrEmpty
    }

    It 'reverts an out-of-band change by another principal within one change event, with no cmdlet and no clock step' {
        $before = Invoke-GitOpsSandbox in-flight
        $runsBefore = Get-Runs
        Set-OutOfBandRetention -Endpoint $sandbox.Url -AccountId $production -Region us-east-2 -StackName reconciled-app -LogicalId AppLogs -Days 1
        Wait-Reconciler $before | Out-Null
        Get-AppRetention | Should -Be 14 -Because 'the drift was reverted to the manifest''s value'
        $new = @(Get-Runs | Where-Object HistoryKey -notin $runsBefore.HistoryKey)
        $new.RunId | Sort-Object -Unique | Should -HaveCount 1 -Because 'one CloudTrail event, one run'
        $healed = $new | Where-Object StackName -eq 'reconciled-app'
        $healed.Trigger | Should -Be 'Change'
        $healed.Cause | Should -Match '^logs\.amazonaws\.com PutRetentionPolicy by arn:aws:sts::333333333333:assumed-role/OrganizationAccountAccessRole/'
        $healed.Before | Should -Be 'Drifted'
        $healed.Action | Should -Be 'Healed'
        (& $statusOf $manifest reconciled-app).Status | Should -Be 'Synced'
    }

    It 'never touches another repository''s stack, even drifted and with prune on' {
        $before = Invoke-GitOpsSandbox in-flight
        $runsBefore = Get-Runs
        Set-OutOfBandRetention -Endpoint $sandbox.Url -AccountId $production -Region us-east-2 -StackName other-app -LogicalId AppLogs -Days 1
        Wait-Reconciler $before | Out-Null
        Invoke-GitOpsSandbox retention-of $production other-app-logs | Should -Be 1 -Because 'the drift of a stack the bundle does not own is left alone'
        $other = & $statusOf $otherManifest other-app
        $other.Status | Should -Be 'Drifted'
        $other.DeployedCommit | Should -Be $otherCommit
        $run = @(Get-Runs | Where-Object HistoryKey -notin $runsBefore.HistoryKey)
        $run | Should -Not -BeNullOrEmpty
        $left = $run | Where-Object StackName -eq 'other-app'
        $left.Before | Should -Be 'NotOwned'
        $left.Action | Should -Be 'Skipped'
        $left.Message | Should -Match 'not pruned'
    }

    It 'refuses a tampered bundle (digest mismatch), records why, and deploys nothing' {
        $tampered = Invoke-GitOpsSandbox tamper $bucket 'cloudpatterns/bundle.json'
        $runsBefore = Get-Runs
        $before = Invoke-GitOpsSandbox in-flight
        Step-SandboxClock 'PT1H'
        Wait-Reconciler $before | Out-Null
        $refused = @(Get-Runs | Where-Object HistoryKey -notin $runsBefore.HistoryKey)
        $refused | Should -HaveCount 1
        $refused[0].RunStatus | Should -Be 'Refused'
        $refused[0].BundleVersionId | Should -Be $tampered.versionId
        $refused[0].Message | Should -Match 'digest'
        $refused[0].StackName | Should -BeNullOrEmpty
        Get-AppRetention | Should -Be 14
        (& $statusOf $manifest reconciled-app).DeployedCommit | Should -Be $secondCommit

        (Publish-StackManifest -Path $manifest -Bucket $bucket -Confirm:$false).Status | Should -Be 'Published' -Because 'the tampered latest version is not the same content'
    }
}

Describe 'The reconciler''s execution role' {
    BeforeAll {
        $script:scheduled = Join-Path $eventFolder 'scheduled.json'
        function Invoke-ScheduledRun {
            [ordered]@{ version = '0'; id = [guid]::NewGuid().ToString(); 'detail-type' = 'Scheduled Event'; source = 'aws.scheduler'; account = $deployed.account
                time = [datetime]::UtcNow.ToString('yyyy-MM-ddTHH:mm:ss.fffZ'); region = 'us-east-2'; resources = @(); detail = @{} } |
                ConvertTo-Json | Set-Content -Path $scheduled -Encoding utf8NoBOM
            Invoke-GitOpsSandbox invoke $scheduled
        }
    }

    It 'runs with the template''s policy' {
        $run = Invoke-ScheduledRun
        $run.functionError | Should -BeNullOrEmpty -Because ($run.payload | ConvertTo-Json -Depth 6 -Compress)
        $run.payload.status | Should -Be 'Succeeded'
    }

    It 'fails a run without <Action>, naming it' -ForEach @(
        @{ Action = 's3:GetObject' }
        @{ Action = 's3:PutObject' }
        @{ Action = 'sts:AssumeRole' }
    ) {
        $remaining = Invoke-GitOpsSandbox policy-without $Action
        $remaining | Should -Not -Contain $Action
        try { $run = Invoke-ScheduledRun }
        finally { Invoke-GitOpsSandbox policy-without | Out-Null }
        $said = ($run | ConvertTo-Json -Depth 8 -Compress)
        ($run.functionError -or $run.payload.status -eq 'Failed') | Should -BeTrue -Because $said
        $said | Should -Match ([regex]::Escape($Action))
    }
}

# Publishing and reading the history happen in the account of the reconciler's buckets, here the caller's own
# (management) account: the GitOpsPublish job role is assumed there with -OwnAccountRoleName (docs/least-privilege.md,
# "Job roles in the caller's own account"), proven sufficient by a run, minimal by simulation, and by one real removal.
Describe 'The GitOpsPublish role in the caller''s own account' -Tag OwnAccountRole {
    BeforeAll {
        $script:management = $deployed.account
        $script:publishId = 'gitops-publish-test'
        Install-CloudPatternsRole -Job GitOpsPublish -TrustExternalId $publishId -Confirm:$false | Out-Null
        $script:publisher = New-Repository publisher 'https://git.example.com/platform/publisher.git' publisher-app publisher-app-logs 7
        $script:publisherManifest = Join-Path $publisher 'cloudpatterns.yaml'
        $script:publishKey = 'role-test/bundle.json'
        $script:publishRun = 0
        # A new commit published to its own key (the reconciler's bundle is left alone), then the history read back.
        function Invoke-PublishFlow {
            $script:publishRun++
            (Get-Content -Raw $publisherManifest) -replace 'Retention: "\d+"', "Retention: `"$(7 + $publishRun)`"" | Set-Content -Path $publisherManifest -NoNewline
            Save-Commit $publisher "retention $(7 + $publishRun)" | Out-Null
            $own = @{ OwnAccountRoleName = 'CloudPatternsGitOpsPublish' }
            Invoke-FlowAsRoles -ExternalId $publishId -Flow {
                @{ Command = 'Publish-StackManifest'; Role = 'CloudPatternsGitOpsPublish'; Arguments = $own + @{ Path = $publisherManifest; Bucket = $bucket; Key = $publishKey; Confirm = $false } }
                @{ Command = 'Get-StackSyncHistory'; Role = 'CloudPatternsGitOpsPublish'; Arguments = $own + @{ HistoryBucket = $bucket; StackName = 'reconciled-app' } }
            }
        }
        $script:publishPolicy = Get-CloudPatternsPolicy -Job GitOpsPublish -AccountId $management
        Get-CloudSandboxRequestLog -Clear | Out-Null
        $script:publishFlow = Invoke-PublishFlow
        $script:publishLog = @(Get-CloudSandboxRequestLog)
    }

    It 'is sufficient: publishing and the history run as the role in the caller''s account, using exactly the policy''s actions' {
        $publishFlow.Failures | Should -BeNullOrEmpty
        @($publishFlow.Results | Where-Object Status -eq 'Published').Count | Should -Be 1
        $runs = @($publishFlow.Results | Where-Object { $_.GetType().Name -ne 'PublishedBundle' })
        @($runs | ForEach-Object { "$($_.Time) $($_.Commit)" }) | Should -Be @(Get-StackSyncHistory -HistoryBucket $bucket -StackName reconciled-app | ForEach-Object { "$($_.Time) $($_.Commit)" }) -Because 'the role reads the same runs as the caller'
        $mine = @($publishLog | Where-Object Principal -like "arn:aws:sts::${management}:assumed-role/CloudPatternsGitOpsPublish/*")
        $mine | Should -Not -BeNullOrEmpty
        @($publishLog | Where-Object { $_.Principal -like "arn:aws:iam::${management}:*" -and $_.Operation -notin 'GetCallerIdentity', 'AssumeRole' } | ForEach-Object Operation) |
            Should -BeNullOrEmpty -Because 'the caller''s own credentials only find out who it is and assume the role'
        $mine.Decision | Sort-Object -Unique | Should -Be 'Allow'
        @($mine | ForEach-Object Checks | ForEach-Object Action | Sort-Object -Unique) | Should -Be @($publishPolicy.Actions | Sort-Object -Unique)
    }

    It 'is minimal: without any one action the policy simulator refuses one of the flow''s requests' {
        $needed = Find-NeededPolicyPart -RoleName CloudPatternsGitOpsPublish -Requests $publishLog -Policies @{ $management = $publishPolicy.PolicyDocument } -By Action
        Get-UnneededAction $needed $publishPolicy.Actions | Should -BeNullOrEmpty
    }

    It 'without s3:PutObject the flow really fails naming it, as the simulator said' {
        try {
            Set-OwnAccountRolePolicy CloudPatternsGitOpsPublish GitOpsPublish $publishPolicy.PolicyDocument -Without 's3:PutObject'
            $run = Invoke-PublishFlow
            ($run.Failures -join "`n") | Should -BeLike '*s3:PutObject*' -Because ($run.Failures -join ' | ')
        }
        finally { Install-CloudPatternsRole -Job GitOpsPublish -TrustExternalId $publishId -Confirm:$false | Out-Null }
    }

    It 'is the template''s GitOpsPublishRole, Sid by Sid, and a role name that is not one is refused' {
        Get-TemplateRoleMismatch GitOpsPublishRole $publishPolicy | Should -BeNullOrEmpty
        { Get-StackSyncHistory -HistoryBucket $bucket -OwnAccountRoleName 'not a role' -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,CloudPatterns.PowerShell.Cmdlets.GetStackSyncHistoryCommand'
    }
}
