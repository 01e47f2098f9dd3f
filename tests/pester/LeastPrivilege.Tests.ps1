# Least privilege, proven: each job's flow runs once as the role Install-CloudPatternsRole made from the job's policy
# (the one list in CloudPatterns.Core.Security.JobPolicies), against LocalCloud, which authorizes every request as AWS
# does. Each flow passes and uses every action of its role: IAM's policy simulator (LocalCloud's own evaluator) refuses
# one of the run's logged requests to the policy without any one action, and for one action per role the flow really
# run without it fails naming it (docs/least-privilege.md, "Minimality by simulation"); the shipped execution-role
# template carries the DR statements.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-CloudPatternsUnderTest
    $provenJobs = 'DrValidation', 'DrSetup', 'MultiAzDeploy', 'GitOpsSync', 'DrReadiness', 'ReadOnly'
    # One case per job and action: the policy without that action is simulated on the requests of the job's flow.
    # The resource statements (what CloudFormation's handlers call as the caller) are proven by the sufficiency test:
    # each action the flow's stacks needed is in it (docs/least-privilege.md).
    # Statements outside these flows (docs/least-privilege.md): MultiAzDrillFis, used only by the drill's FIS path (proven in MultiAzDrill.Tests.ps1; AWS,
    # Ctrl+C), and MultiAzAuroraCluster, used only on the Aurora variant, which this flow does not deploy (proven in
    # MultiAzDrill.Tests.ps1); the DR-Orchestrator's code upload, which Set-CrossAccountBackup makes only with -DrAccountId
    # (ServiceRoles.Tests.ps1's DR flow proves it).
    $outsideFlows = 'MultiAzDrillFis', 'MultiAzAuroraCluster', 'DrSetupOrchestratorCode', 'DrSetupOrchestratorCodeLookup', 'DrSetupOrchestratorCodeEncryption'
    # A restored file system has no mount targets (AWS Backup creates none): the validation's clean-up deletes only
    # those a -Validator added, which the flow's validator does not.
    $validationUnexercised = @('elasticfilesystem:DeleteMountTarget')
    $removals = foreach ($job in $provenJobs) {
        $policy = Get-CloudPatternsPolicy -Job $job
        # ReadOnly shares the DrReadiness statement, proven by the DrReadiness flow.
        $own = @($policy.Statements | Where-Object Sid -notlike '*Resources' | Where-Object Sid -notlike '*Pass*Role' | Where-Object Sid -notin $outsideFlows |
                Where-Object { $job -ne 'ReadOnly' -or $_.Sid -ne 'DrReadiness' } | ForEach-Object Actions | Sort-Object -Unique)
        # The validation flow restores one resource of each of production's seven types; only the removal of mount
        # targets is outside it (docs/least-privilege.md).
        if ($job -eq 'DrValidation') { $own = @($policy.Statements | ForEach-Object Actions | Where-Object { $_ -notin $validationUnexercised } | Sort-Object -Unique) }
        foreach ($action in $own) { @{ Job = $job; Action = $action } }
    }
    # One real removal per job, of an action its flow calls early, shows that the simulation agrees with a refusal.
    $realRemovals = @(
        @{ Job = 'DrValidation'; Action = 'backup:StartRestoreJob' }, @{ Job = 'DrSetup'; Action = 'cloudformation:DescribeStacks' }
        @{ Job = 'MultiAzDeploy'; Action = 'acm:DescribeCertificate' }, @{ Job = 'GitOpsSync'; Action = 'cloudformation:DescribeStacks' }
        @{ Job = 'DrReadiness'; Action = 'backup:DescribeBackupVault' }, @{ Job = 'ReadOnly'; Action = 'cloudformation:DescribeStacks' })
    $sufficiencyCases = @($provenJobs | Where-Object { $_ -ne 'DrValidation' } | ForEach-Object { @{ Job = $_; Deploys = $_ -in 'DrSetup', 'MultiAzDeploy', 'GitOpsSync'; OutsideFlows = $outsideFlows } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-CloudPatternsUnderTest
    $script:sandbox = Start-CloudSandbox -Force
    $script:admin = $sandbox.Url.ToString().TrimEnd('/') + '/_localcloud'
    $script:logArchive = '222222222222'
    $script:production = '333333333333'
    $script:staging = '444444444444'
    $script:externalId = 'least-privilege-test'
    $script:certificate = (Get-MultiAzCertificate -AccountId $staging -Region us-east-2).CertificateArn
    $script:roleName = 'CloudPatternsDrValidation'
    $script:policy = Get-CloudPatternsPolicy -Job DrValidation -AccountId $logArchive -EvidenceBucketName org-dr-evidence
    # As in BeforeDiscovery: the one DrValidation action its flow does not exercise.
    $script:validationUnexercised = @('elasticfilesystem:DeleteMountTarget')
    # Where each job's role lives, and the actions LocalCloud checks inside a request that needs them (S3 calling KMS,
    # Backup being handed a role), which the request log shows under the request's own action.
    $script:roleAccounts = @{
        DrValidation = @($logArchive); DrSetup = @($logArchive, $production, $staging); MultiAzDeploy = @($staging); GitOpsSync = @($staging)
        DrReadiness = @($logArchive, $production); ReadOnly = @($logArchive, $production, $staging)
    }
    # Each sufficiency run's request log, for the minimality simulation.
    $script:flowLogs = @{}
    # For each action of the job's policy, the first of the flow's authorizations that the role's policy without it
    # would refuse (Find-NeededPolicyPart: IAM's SimulateCustomPolicy with each logged request's action, resource and
    # condition keys), once per job. The flow ran in the sufficiency test; a job whose test did not run (a filtered run)
    # runs its flow here.
    $script:needed = @{}
    function Find-JobNeeds([string] $Job) {
        if (-not $needed.ContainsKey($Job)) {
            if (-not $flowLogs[$Job]) {
                Get-CloudSandboxRequestLog -Clear | Out-Null
                & $flows[$Job] | Out-Null
                $flowLogs[$Job] = @(Get-CloudSandboxRequestLog)
            }
            $policies = @{}
            foreach ($account in $roleAccounts[$Job]) { $policies[$account] = (Get-CloudPatternsPolicy -Job $Job -AccountId $account -EvidenceBucketName org-dr-evidence).PolicyDocument }
            $needed[$Job] = Find-NeededPolicyPart -RoleName "CloudPatterns$Job" -Requests $flowLogs[$Job] -Policies $policies -By Action
        }
        $needed[$Job]
    }

    function Install-JobRole([string] $Job) {
        Install-CloudPatternsRole -Job $Job -AccountId $roleAccounts[$Job] -TrustExternalId $externalId -EvidenceBucketName org-dr-evidence -Confirm:$false
    }

    # Gives the job's role its policy without $Without (one action): the inline policy Install-CloudPatternsRole wrote.
    function Set-RolePolicy([string] $Job, [string] $Without) {
        foreach ($account in $roleAccounts[$Job]) {
            $document = (Get-CloudPatternsPolicy -Job $Job -AccountId $account -EvidenceBucketName org-dr-evidence).PolicyDocument | ConvertFrom-Json
            $document.Statement = @($document.Statement | ForEach-Object {
                    $_.Action = @($_.Action | Where-Object { $_ -ne $Without })
                    if ($_.Action.Count -gt 0) { $_ }
                })
            $file = Join-Path $TestDrive 'policy.json'
            $document | ConvertTo-Json -Depth 6 | Set-Content -Path $file
            Invoke-DrSandbox put-role "CloudPatterns$Job" $externalId $file $account $Job | Out-Null
        }
    }

    # The text of every error and warning a flow's commands wrote, and of every failed result they returned.
    function Invoke-Collecting([scriptblock] $Flow) { Invoke-FlowAsRoles -ExternalId $externalId -Flow $Flow }

    # The DR setup: the member plan changes with every run (its retention), the vault account's stacks stay as they are;
    # a preview for staging, where nothing is deployed yet, validates the member plan's template.
    $script:retention = 35
    function Invoke-SetupFlow {
        $script:retention++
        $setup = @{ VaultAccountId = $logArchive; Region = 'us-east-2'; DrRegion = 'us-west-2'; EvidenceBucketName = 'org-dr-evidence'; EvidenceWriterRoleName = $roleName; RetentionDays = $retention }
        $run = Invoke-Collecting {
            @{ Role = 'CloudPatternsDrSetup'; Command = 'Set-CrossAccountBackup'; Arguments = $setup + @{ AccountId = $production; Confirm = $false } }
            @{ Role = 'CloudPatternsDrSetup'; Command = 'Set-CrossAccountBackup'; Arguments = $setup + @{ AccountId = $staging; WhatIf = $true } }
        }
        $run.Failures += @($run.Results | ForEach-Object Steps | Where-Object { "$($_.Status)" -match 'FAIL|ROLLBACK' } | ForEach-Object { "$($_.Component): $($_.Status) $($_.Message)" })
        $run
    }

    # Multi-AZ: preview, deploy, turn the database's deletion protection off, preview a change, a one-minute zone drill, remove.
    $script:multiAzRuns = 0
    function Invoke-MultiAzFlow {
        $name = "lp-web-$((++$script:multiAzRuns))"
        $stack = @{ StackName = $name; AccountId = $staging }
        Invoke-Collecting {
            @{ Role = 'CloudPatternsMultiAzDeploy'; Command = 'New-MultiAzStack'; Arguments = $stack + @{ CertificateArn = $certificate; WhatIf = $true } }
            @{ Role = 'CloudPatternsMultiAzDeploy'; Command = 'New-MultiAzStack'; Arguments = $stack + @{ CertificateArn = $certificate } }
            @{ Role = 'CloudPatternsMultiAzDeploy'; Command = 'Update-MultiAzStack'; Arguments = $stack + @{ DbDeletionProtection = $false; Confirm = $false } }
            @{ Role = 'CloudPatternsMultiAzDeploy'; Command = 'Update-MultiAzStack'; Arguments = $stack + @{ MinSize = 3; WhatIf = $true } }
            @{ Role = 'CloudPatternsMultiAzDeploy'; Command = 'Invoke-MultiAzDrill'; Arguments = $stack + @{ AvailabilityZone = 'us-east-2a'; DurationMinutes = 1; Confirm = $false } }
            @{ Role = 'CloudPatternsMultiAzDeploy'; Command = 'Remove-PatternStack'; Arguments = $stack + @{ Force = $true } }
        }
    }

    # GitOps: a committed change previewed (-WhatIf deletes the change set it read) and synced, drift healed, a stack
    # removed from the manifest pruned.
    $script:repo = Join-Path $TestDrive 'infra'
    New-Item -ItemType Directory -Path (Join-Path $repo 'templates') | Out-Null
    git init -q $repo
    Set-Content -Path (Join-Path $repo 'templates/logs.yaml') -Value @"
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Retention:
    Type: String
Resources:
  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: !Ref Retention
"@
    $script:manifest = Join-Path $repo 'cloudpatterns.yaml'
    # Generation N of the manifest sets the Nth of the retentions CloudWatch Logs accepts (400 is left for the drift).
    $script:retentions = @(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)
    function Save-Manifest([int] $Retention, [switch] $WithoutApp) {
        $id = if (Test-Path $manifest) { (Select-String -Path $manifest -Pattern '^id: ').Line }
        $days = $retentions[$Retention % $retentions.Count]
        $stack = { param($name) "  - name: $name`n    template: templates/logs.yaml`n    targets:`n      - account: `"$staging`"`n    parameters:`n      Retention: `"$days`"`n" }
        $text = "version: 1`n" + $(if ($id) { "$id`n" }) + "regions: [us-east-2]`nstacks:`n" + (& $stack 'keep') + $(if (-not $WithoutApp) { & $stack 'app' })
        Set-Content -Path $manifest -Value $text
        git -C $repo add -A
        git -C $repo -c user.name='Ada Ops' -c user.email='ada@example.com' commit -q --allow-empty -m "retention $Retention"
    }
    Save-Manifest 1
    # The first sync writes the manifest's id and changes nothing; the id is committed with the next change.
    try { Sync-StackManifest -Path $manifest -ErrorAction Stop } catch { Write-Verbose "$_" }
    Save-Manifest 1
    # Each flow starts as it ends: keep deployed, app not.
    Sync-StackManifest -Path $manifest | Out-Null
    Save-Manifest 1 -WithoutApp
    Sync-StackManifest -Path $manifest -Prune -Force | Out-Null
    $script:gitOpsRetention = 1
    function Invoke-GitOpsFlow {
        # Every run starts as the first: app not deployed (a run without some action may have left it), as the caller.
        Save-Manifest $script:gitOpsRetention -WithoutApp
        Sync-StackManifest -Path $manifest -Prune -Force | Out-Null
        $retention = ++$script:gitOpsRetention
        $sync = @{ Role = 'CloudPatternsGitOpsSync'; Command = 'Sync-StackManifest' }
        Save-Manifest $retention
        $run = Invoke-Collecting { $sync + @{ Arguments = @{ Path = $manifest; WhatIf = $true } }; $sync + @{ Arguments = @{ Path = $manifest } } }
        Set-OutOfBandRetention -Endpoint $sandbox.Url -AccountId $staging -Region us-east-2 -StackName keep -LogicalId Logs -Days 400
        $healed = Invoke-Collecting { $sync + @{ Arguments = @{ Path = $manifest; SelfHeal = $true } } }
        Save-Manifest $retention -WithoutApp
        $pruned = Invoke-Collecting { $sync + @{ Arguments = @{ Path = $manifest; Prune = $true; Force = $true } } }
        $all = @($run, $healed, $pruned)
        $stacks = @($all.Results | ForEach-Object Stacks)
        $failures = @($all.Failures | Where-Object { $_ }) + @($all.Results | Where-Object Status -ne 'Succeeded' | ForEach-Object { "$($_.Status): $($_.Stacks.Message)" })
        $actions = @($stacks | ForEach-Object { "$($_.StackName) $($_.Action)" })
        foreach ($expected in 'app Created', 'keep Updated', 'keep Healed', 'app Pruned') {
            if ($expected -notin $actions) { $failures += "expected $expected; the sync did: $($actions -join ', '); $($stacks.Message -join ' ')" }
        }
        [pscustomobject]@{ Results = $all.Results; Failures = $failures }
    }

    # The DR validation flow: validate production's seven restorable kinds in the DR region, then one whose validator
    # refuses, which alerts.
    function Invoke-ValidationFlow {
        $errors = [System.Collections.Generic.List[object]]::new()
        $results = [System.Collections.Generic.List[object]]::new()
        $runs = @(@{}, @{ ResourceType = 'DynamoDB'; AlertTopicArn = $alertTopicArn; Validator = { $false } })
        foreach ($run in $runs) {
            try {
                Invoke-DrValidation @common @run -Region us-west-2 -Confirm:$false -ErrorVariable +errors -ErrorAction SilentlyContinue -WarningVariable +errors -WarningAction SilentlyContinue |
                    ForEach-Object { $results.Add($_) }
            }
            catch { $errors.Add($_) }
        }
        $details = @($results | ForEach-Object { @($_.Checks) + $_.Cleanup } | Where-Object { $_ -and $_.Outcome -ne 'Passed' } | ForEach-Object { "$($_.Name): $($_.Detail)" })
        [pscustomobject]@{ Results = $results.ToArray(); Failures = @($errors | ForEach-Object { "$_" }) + $details }
    }

    # Readiness as the DrReadiness role, the validation role's needs included; a check AWS refused is a failure.
    function Invoke-ReadinessFlow([string] $Role = 'CloudPatternsDrReadiness') {
        $run = Invoke-Collecting { @{ Role = $Role; Command = 'Test-CrossAccountBackupReadiness'; Arguments = @{ AccountId = $production; VaultAccountId = $logArchive; ValidationRoleName = $roleName } } }
        $run.Failures += @($run.Results | Where-Object Detail -like 'AWS refused*' | ForEach-Object { "$($_.Check): $($_.Detail)" })
        $run
    }

    # Every reading cmdlet as the ReadOnly role: a Multi-AZ stack, its resilience and certificate, the GitOps status
    # (drift detection) and history, and DR readiness.
    function Invoke-ReadOnlyFlow {
        $reader = 'CloudPatternsReadOnly'
        # A drifted resource, whose differences the status reads.
        Set-OutOfBandRetention -Endpoint $sandbox.Url -AccountId $staging -Region us-east-2 -StackName keep -LogicalId Logs -Days 400
        $run = Invoke-Collecting {
            @{ Role = $reader; Command = 'Get-PatternStack'; Arguments = @{ AccountId = $staging; StackName = 'lp-read' } }
            @{ Role = $reader; Command = 'Test-MultiAzResilience'; Arguments = @{ AccountId = $staging; StackName = 'lp-read' } }
            @{ Role = $reader; Command = 'Get-PatternCostEstimate'; Arguments = @{ AccountId = $staging; StackName = 'lp-read' } }
            @{ Role = $reader; Command = 'Get-MultiAzCertificate'; Arguments = @{ AccountId = $staging; Region = 'us-east-2' } }
            @{ Role = $reader; Command = 'Get-StackSyncStatus'; Arguments = @{ Path = $manifest } }
            @{ Role = $reader; Command = 'Get-StackSyncHistory'; Arguments = @{ Path = $manifest } }
        }
        $readiness = Invoke-ReadinessFlow -Role $reader
        [pscustomobject]@{ Results = @($run.Results) + $readiness.Results; Failures = @($run.Failures) + $readiness.Failures }
    }

    $script:flows = @{
        DrValidation = { Invoke-ValidationFlow }; DrSetup = { Invoke-SetupFlow }; MultiAzDeploy = { Invoke-MultiAzFlow }; GitOpsSync = { Invoke-GitOpsFlow }
        DrReadiness = { Invoke-ReadinessFlow }; ReadOnly = { Invoke-ReadOnlyFlow }
    }
    $script:installed = @('DrValidation', 'DrSetup', 'MultiAzDeploy', 'GitOpsSync' | ForEach-Object { Install-JobRole $_ })
    'DrReadiness', 'ReadOnly' | ForEach-Object { Install-JobRole $_ | Out-Null }
    New-MultiAzStack -StackName lp-read -AccountId $staging -CertificateArn $certificate | Out-Null

    $midnight = [datetimeoffset]::new((Get-CloudSandboxClock).Now.UtcDateTime.Date.AddDays(1), [timespan]::Zero)
    Set-CloudSandboxClock -To $midnight | Out-Null
    # The first DR setup, as the DrSetup role: it deploys every stack anew.
    $script:firstSetup = Invoke-SetupFlow
    $vault = ($firstSetup.Results | Where-Object { $_.AccountId -eq $logArchive -and $_.Region -eq 'us-east-2' }).Steps | Where-Object Component -eq 'CentralVault'
    $script:alertTopicArn = $vault.Outputs['FailedJobsTopicArn']
    Invoke-RestMethod -Method Put "$admin/backup/job-timings" -Body '{"restore":{"queued":"PT0S","running":"PT2S"}}' | Out-Null
    Invoke-RestMethod -Method Post "$admin/clock" -Body '{"advance":"PT26H"}' | Out-Null
    $script:common = @{
        AccountId = $logArchive; BackupVaultName = 'central'; EvidenceBucket = 'org-dr-evidence'; EvidenceAccountId = $logArchive
        EvidenceRegion = 'us-east-2'; PollInterval = [timespan]'00:00:01'; RpoTarget = [timespan]'2.00:00:00'
        RoleName = $roleName; ExternalId = $externalId
    }
}

AfterAll { Stop-CloudSandbox }

Describe 'Get-CloudPatternsPolicy' {
    It 'prints each job''s policy as an IAM policy document' {
        $json = Get-CloudPatternsPolicy -Job DrValidation -AccountId $logArchive -EvidenceBucketName org-dr-evidence -AsJson
        $json | Should -BeOfType [string]
        $document = $json | ConvertFrom-Json
        $document.Version | Should -Be '2012-10-17'
        $document.Statement.Effect | Sort-Object -Unique | Should -Be 'Allow'
        @($document.Statement.Action | Sort-Object -Unique) | Should -Be @($policy.Actions | Sort-Object -Unique)
        ($document.Statement | Where-Object Sid -eq 'DrPassRestoreRole').Resource | Should -Be "arn:aws:iam::${logArchive}:role/service-role/*"
        ($document.Statement | Where-Object Sid -eq 'DrEvidenceWrite').Resource | Should -Be 'arn:aws:s3:::org-dr-evidence/dr-validation*'
        (Get-CloudPatternsPolicy DrReadiness).Actions | Should -Contain 'iam:SimulatePrincipalPolicy'
        { Get-CloudPatternsPolicy -Job NoSuchJob -ErrorAction Stop } | Should -Throw -ExpectedMessage '*DrValidation*DrReadiness*'
    }

    It 'matches the statements of the shipped execution-role template, Sid by Sid' {
        $template = ConvertFrom-TemplateYaml (Join-Path $PSScriptRoot '../../templates/disaster-recovery/execution-roles.yaml')
        $documents = @($template.Resources.ExecutionRole.Properties.Policies.PolicyDocument) + $template.Resources.EvidenceWriter.Properties.PolicyDocument
        $shipped = @{}
        foreach ($statement in $documents.Statement) {
            # A statement under a condition (Fn::If) is its first branch.
            $statement = $statement.ContainsKey('Fn::If') ? $statement['Fn::If'][1] : $statement
            $shipped[$statement.Sid] = @($statement.Action) | Sort-Object
        }
        $expected = @{}
        foreach ($statement in (Get-CloudPatternsPolicy -Job DrValidation, DrReadiness, DrSetup).Statements) { $expected[$statement.Sid] = @($statement.Actions) | Sort-Object }
        @($shipped.Keys | Sort-Object) | Should -Be @($expected.Keys | Sort-Object)
        foreach ($sid in $expected.Keys) { $shipped[$sid] | Should -Be $expected[$sid] -Because "statement $sid" }
    }
}

Describe 'The DrValidation role' {
    It 'is sufficient: the whole validation flow passes as the role, and every action it used is in the policy' {
        Get-CloudSandboxRequestLog -Clear | Out-Null
        $run = Invoke-ValidationFlow
        $run.Failures | Should -HaveCount 1 -Because 'only the alert run''s validator fails'
        @($run.Results.Status) | Should -Be (@('Passed') * 7 + 'Failed')
        @($run.Results.ResourceType | Select-Object -First 7 | Sort-Object) | Should -Be @('Aurora', 'DynamoDB', 'EBS', 'EC2', 'EFS', 'RDS', 'S3')
        $run.Results.Cleanup.Outcome | Sort-Object -Unique | Should -Be 'Passed'
        $flowLogs['DrValidation'] = @(Get-CloudSandboxRequestLog)
        $mine = @($flowLogs['DrValidation'] | Where-Object Principal -like "arn:aws:sts::${logArchive}:assumed-role/$roleName/*")
        $mine | Should -Not -BeNullOrEmpty
        $mine.Decision | Sort-Object -Unique | Should -Be 'Allow' -Because ($mine | Where-Object Decision -ne Allow | ForEach-Object { "$($_.Operation) $($_.Action) $($_.DecidedBy)" })
        # The evidence key's policy, not the role's, lets the role sign: it names the evidence writer role.
        $signed = @($mine | Where-Object Action -eq 'kms:Sign')
        $signed | Should -Not -BeNullOrEmpty
        $signed.DecidedBy | Sort-Object -Unique | Should -BeLike '*#SignOnlyForTheEvidenceWriter'
        # LocalCloud checks iam:PassRole (StartRestoreJob's restore role), kms:GenerateDataKey and kms:Decrypt (SSE-KMS
        # PutObject, GetObject) within the request that needs them; the log lists them among the request's checks.
        $checks = @($mine | ForEach-Object Checks)
        @($checks | Where-Object Decision -ne Allow) | Should -BeNullOrEmpty
        foreach ($inner in 'iam:PassRole', 'kms:GenerateDataKey', 'kms:Decrypt') { $checks.Action | Should -Contain $inner }
        @($checks | Where-Object Action -ne 'kms:Sign' | ForEach-Object Action | Sort-Object -Unique) | Should -Be @($policy.Statements | ForEach-Object Actions | Where-Object { $_ -notin $validationUnexercised } | Sort-Object -Unique)
    }
}

Describe 'Readiness of the DR validation role' {
    It 'fails ValidationRolePassRole and EvidenceKeyAccess, naming what to add, when the role lacks them' {
        try {
            $ready = (Invoke-ReadinessFlow).Results
            ($ready | Where-Object Check -eq ValidationRolePassRole).Status | Should -Be Passed
            ($ready | Where-Object Check -eq EvidenceKeyAccess).Status | Should -Be Passed
            Set-RolePolicy -Job DrValidation -Without 'iam:PassRole'
            $pass = (Invoke-ReadinessFlow).Results | Where-Object Check -eq ValidationRolePassRole
            $pass.Status | Should -Be Failed
            $pass.Detail | Should -BeLike "*role/$roleName may not pass arn:aws:iam::${logArchive}:role/service-role/AWSBackupDefaultServiceRole to backup.amazonaws.com (iam:PassRole: implicitDeny)*"
            $pass.Remediation | Should -BeLike '*DrPassRestoreRole*'
            Set-RolePolicy -Job DrValidation -Without 'kms:GenerateDataKey'
            $key = (Invoke-ReadinessFlow).Results | Where-Object Check -eq EvidenceKeyAccess
            $key.Status | Should -Be Failed
            $key.Detail | Should -BeLike '*(kms:GenerateDataKey: implicitDeny)*'
            $key.Remediation | Should -BeLike '*DrEvidenceEncryption*'
        }
        finally { Install-JobRole DrValidation | Out-Null }
    }
}

Describe 'Install-CloudPatternsRole' {
    It 'created each job''s role with the job''s policy and an ExternalId trust to the caller''s account' {
        $installed | Should -HaveCount 6
        $installed | ForEach-Object { $_ | Should -BeOfType 'CloudPatterns.Core.Security.InstalledRole' }
        @($installed.Action | Sort-Object -Unique) | Should -Be 'Created'
        ($installed | Where-Object Job -eq 'DrSetup').AccountId | Sort-Object | Should -Be @($logArchive, $production, $staging)
        ($installed | Where-Object Job -eq 'GitOpsSync').RoleArn | Should -Be "arn:aws:iam::${staging}:role/CloudPatternsGitOpsSync"
        $asRole = @{ AccountId = $staging; RoleName = 'CloudPatternsGitOpsSync'; ErrorAction = 'Stop' }
        { Get-PatternStack @asRole -ExternalId $externalId } | Should -Not -Throw
        { Get-PatternStack @asRole -ExternalId 'not-the-id' } | Should -Throw -ExpectedMessage '*CloudPatternsGitOpsSync*'
        { Get-PatternStack @asRole } | Should -Throw -ExpectedMessage '*CloudPatternsGitOpsSync*' 
    }

    It 'leaves a matching role alone, restores a changed policy, and changes nothing with -WhatIf' {
        @(Install-JobRole MultiAzDeploy).Action | Should -Be 'Unchanged'
        Set-RolePolicy -Job MultiAzDeploy -Without 'cloudformation:DeleteStack'
        Get-CloudSandboxRequestLog -Clear | Out-Null
        Install-CloudPatternsRole -Job MultiAzDeploy -AccountId $staging -TrustExternalId $externalId -WhatIf | Should -BeNullOrEmpty
        @(Get-CloudSandboxRequestLog | Where-Object Mutating) | Should -BeNullOrEmpty
        @(Install-JobRole MultiAzDeploy).Action | Should -Be 'Updated'
        @(Install-JobRole MultiAzDeploy).Action | Should -Be 'Unchanged'
    }

    It 'installs into every account of an OU, and refuses one role name for two jobs before calling AWS' {
        $workloads = (Get-OrgAccount | Where-Object Name -eq 'production').ParentId
        $roles = @(Install-CloudPatternsRole -Job ReadOnly -OrganizationalUnit $workloads -TrustExternalId $externalId -Confirm:$false)
        $roles.AccountId | Should -Contain $production
        $roles.RoleName | Sort-Object -Unique | Should -Be 'CloudPatternsReadOnly'
        { Install-CloudPatternsRole -Job DrSetup, ReadOnly -ExecutionRoleName Both -TrustExternalId $externalId -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidInvocation*' -ExpectedMessage '*-ExecutionRoleName*DrSetup, ReadOnly*'
    }
}

Describe 'An access denial' {
    It 'is one error naming the role, the action, the resource and what to add' {
        New-MultiAzStack -StackName lp-denied -AccountId $staging -CertificateArn $certificate | Out-Null
        # Test-MultiAzResilience reads the template, which the deployment role has no need of.
        $failures = @()
        Test-MultiAzResilience -StackName lp-denied -AccountId $staging -RoleName CloudPatternsMultiAzDeploy -ExternalId $externalId -ErrorVariable failures -ErrorAction SilentlyContinue | Out-Null
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'AccessDenied,CloudPatterns.PowerShell.Cmdlets.TestMultiAzResilienceCommand'
        $stack = "arn:aws:cloudformation:us-east-2:${staging}:stack/lp-denied/*"
        "$($failures[0])" | Should -BeLike "*assumed-role/CloudPatternsMultiAzDeploy/* is not authorized to perform: cloudformation:GetTemplate on resource: $stack because no identity-based policy allows*"
        "$($failures[0])" | Should -BeLike "*. Add cloudformation:GetTemplate on $stack to role CloudPatternsMultiAzDeploy, or run as a role that has it: Install-CloudPatternsRole -Job GitOpsSync or ReadOnly, then -RoleName CloudPatterns<Job>."
        $failures[0].ErrorDetails.RecommendedAction | Should -BeLike 'Add cloudformation:GetTemplate*'
    }
}

Describe 'Each job''s role' {
    It '<Job> is sufficient: the flow passes as the role, and the actions the role used are the policy''s' -ForEach $sufficiencyCases {
        Get-CloudSandboxRequestLog -Clear | Out-Null
        $run = & $flows[$Job]
        $run.Failures | Should -BeNullOrEmpty
        $flowLogs[$Job] = @(Get-CloudSandboxRequestLog)
        $mine = @($flowLogs[$Job] | Where-Object Principal -like "arn:aws:sts::*:assumed-role/CloudPatterns$Job/*")
        $mine | Should -Not -BeNullOrEmpty
        $mine.Decision | Sort-Object -Unique | Should -Be 'Allow' -Because ($mine | Where-Object Decision -ne Allow | ForEach-Object { "$($_.Operation) $($_.Action) $($_.DecidedBy)" })
        # The cmdlets' own calls are exactly the policy's; CloudFormation's calls for the stacks' resources, logged
        # under the role as "CloudFormation <step> <type>", are all in the job's resource statements.
        $policy = Get-CloudPatternsPolicy -Job $Job
        $provisioning = @($mine | Where-Object Operation -like 'CloudFormation *')
        if ($Deploys) { $provisioning | Should -Not -BeNullOrEmpty } else { $provisioning | Should -BeNullOrEmpty }
        $resourceActions = @($policy.Statements | Where-Object { $_.Sid -like '*Resources' -or $_.Sid -like '*Pass*Role' } | ForEach-Object Actions)
        @($provisioning.Action | Sort-Object -Unique | Where-Object { $_ -notin $resourceActions }) | Should -BeNullOrEmpty
        $own = @($policy.Statements | Where-Object { $_.Sid -notlike '*Resources' -and $_.Sid -notlike '*Pass*Role' -and $_.Sid -notin $OutsideFlows } | ForEach-Object Actions | Sort-Object -Unique)
        @($mine | Where-Object Operation -notlike 'CloudFormation *' | ForEach-Object Checks | ForEach-Object Action | Sort-Object -Unique) | Should -Be $own
    }

    It '<Job> is minimal: without <Action> the policy simulator refuses one of the flow''s requests' -ForEach $removals {
        $refused = (Find-JobNeeds $Job)[$Action]
        $refused | Should -Not -BeNullOrEmpty -Because "no request of the $Job flow needed $Action"
        $refused.action | Should -Be $Action
        $refused.decision | Should -Be 'implicitDeny'
    }

    It '<Job> without <Action>: the flow really fails with an error naming it, as the simulator said' -ForEach $realRemovals {
        (Find-JobNeeds $Job)[$Action] | Should -Not -BeNullOrEmpty
        try {
            Set-RolePolicy -Job $Job -Without $Action
            $run = & $flows[$Job]
            ($run.Failures -join "`n") | Should -BeLike "*$Action*" -Because ($run.Failures -join " | ")
        }
        finally { Install-JobRole $Job | Out-Null }
    }
}
