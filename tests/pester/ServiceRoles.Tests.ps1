# CloudFormation service roles, proven against LocalCloud (which authorizes every call CloudFormation makes for a
# stack's resources as the stack's service role): Install-CloudPatternsRole -WithServiceRole makes the DrSetup and
# MultiAzDeploy jobs' service roles (policy derived from the resource type table) and shrinks the jobs' own roles to
# their CloudFormation calls plus iam:PassRole and iam:GetRole on the service role; the cmdlets pass it with
# -ServiceRoleName. Each flow passes as the shrunk role; every service role statement is needed: IAM's policy simulator
# (LocalCloud's own evaluator) refuses one of the flow's logged requests to the policy without it, and for one
# statement per role the flow really run without it fails naming that request's action; a role that is missing or not
# trusted by CloudFormation is refused before any change.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-CloudPatternsUnderTest
    $statementCases = foreach ($job in 'MultiAzDeploy', 'DrSetup') {
        # The pilot light's NAT gateways (and their addresses) exist only while it is scaled up (Invoke-DrFailover), its RAM
        # share only with -TransitGatewaySharePrincipal: the setup flow creates none of them, so it cannot prove those
        # statements minimal (docs/least-privilege.md).
        $unreached = if ($job -eq 'DrSetup') { 'EC2NatGateway', 'EC2EIP', 'RAMResourceShare' } else { @() }
        foreach ($statement in (Get-CloudPatternsPolicy -Job $job -ServiceRole).Statements | Where-Object Sid -notin $unreached) { @{ Job = $job; Sid = $statement.Sid; Actions = @($statement.Actions) } }
    }
    $jobCases = @(@{ Job = 'MultiAzDeploy' }, @{ Job = 'DrSetup' })
    # One statement per service role is also removed for real: the VPC and the key are the first resources created.
    $realRemovals = @(@{ Job = 'MultiAzDeploy'; Sid = 'EC2VPC' }, @{ Job = 'DrSetup'; Sid = 'KMSKey' })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-CloudPatternsUnderTest
    $script:sandbox = Start-CloudSandbox -Force
    $script:logArchive = '222222222222'
    $script:production = '333333333333'
    $script:staging = '444444444444'
    $script:drAccount = '555555555555'
    $script:externalId = 'service-role-test'
    $script:certificate = (Get-MultiAzCertificate -AccountId $staging -Region us-east-2).CertificateArn
    # A clock set by hand does not skip ahead to scheduled backups, whose recovery points would keep the vaults the
    # flows delete.
    Set-CloudSandboxClock -To ([datetimeoffset]::new((Get-CloudSandboxClock).Now.UtcDateTime.Date.AddDays(1), [timespan]::Zero)) | Out-Null
    $script:roleAccounts = @{ MultiAzDeploy = @($staging); DrSetup = @($logArchive, $production, $staging, $drAccount) }
    $script:installed = foreach ($job in 'MultiAzDeploy', 'DrSetup') {
        Install-CloudPatternsRole -Job $job -AccountId $roleAccounts[$job] -TrustExternalId $externalId -WithServiceRole -Confirm:$false
    }

    # Gives a job's service role (or, with -JobRole, the job's own role) its policy without one statement or action.
    function Set-Policy([string] $Job, [string] $WithoutSid, [string] $WithoutAction, [switch] $JobRole) {
        foreach ($account in $roleAccounts[$Job]) {
            $policy = if ($JobRole) { Get-CloudPatternsPolicy -Job $Job -ServiceRoleName "CloudPatterns${Job}CloudFormation" -AccountId $account }
            else { Get-CloudPatternsPolicy -Job $Job -ServiceRole -AccountId $account }
            $document = $policy.PolicyDocument | ConvertFrom-Json
            $document.Statement = @($document.Statement | Where-Object Sid -ne $WithoutSid | ForEach-Object {
                    $_.Action = @($_.Action | Where-Object { $_ -ne $WithoutAction })
                    if ($_.Action.Count -gt 0) { $_ }
                })
            $file = Join-Path $TestDrive 'policy.json'
            $document | ConvertTo-Json -Depth 6 | Set-Content -Path $file
            $role, $name = if ($JobRole) { "CloudPatterns$Job", $Job } else { "CloudPatterns${Job}CloudFormation", "${Job}Stacks" }
            Invoke-DrSandbox put-role $role $externalId $file $account $name | Out-Null
        }
    }

    function Restore-Roles([string] $Job) {
        Install-CloudPatternsRole -Job $Job -AccountId $roleAccounts[$Job] -TrustExternalId $externalId -WithServiceRole -Confirm:$false | Out-Null
    }

    # The text of every error and warning the flow's commands wrote, and of every failed step of a DR result.
    function Invoke-Collecting([scriptblock] $Flow) {
        $run = Invoke-FlowAsRoles -ExternalId $externalId -Flow $Flow
        $run.Failures += @($run.Results | ForEach-Object { if ($_.PSObject.Properties['Steps']) { $_.Steps } } | Where-Object { "$($_.Status)" -match 'FAIL|ROLLBACK' } | ForEach-Object { "$($_.Component): $($_.Status) $($_.Message)" })
        $run
    }

    # Multi-AZ with every optional resource type: preview a new stack, create it, turn deletion protection off, preview
    # a change, a one-minute zone drill, remove it; then the Aurora variant (its cluster: RDSDBCluster) created without
    # deletion protection and removed. -Short leaves out the previews, the drill and the Aurora variant.
    $script:multiAzRuns = 0
    function Invoke-MultiAzFlow([switch] $Short) {
        $stack = @{ StackName = "svc-web-$((++$script:multiAzRuns))"; AccountId = $staging }
        $aurora = @{ StackName = "svc-aurora-$($script:multiAzRuns)"; AccountId = $staging }
        $deployer = 'CloudPatternsMultiAzDeploy'
        $serviceRole = @{ CertificateArn = $certificate; ServiceRoleName = 'CloudPatternsMultiAzDeployCloudFormation' }
        $new = $stack + $serviceRole + @{ DbProxy = $true; SsmEndpoints = $true; ReadReplica = $true }
        try {
            Invoke-Collecting {
                if (-not $Short) { @{ Role = $deployer; Command = 'New-MultiAzStack'; Arguments = $new + @{ WhatIf = $true } } }
                @{ Role = $deployer; Command = 'New-MultiAzStack'; Arguments = $new }
                @{ Role = $deployer; Command = 'Update-MultiAzStack'; Arguments = $stack + @{ DbDeletionProtection = $false; Confirm = $false } }
                if (-not $Short) {
                    @{ Role = $deployer; Command = 'Update-MultiAzStack'; Arguments = $stack + @{ MinSize = 3; WhatIf = $true } }
                    @{ Role = $deployer; Command = 'Invoke-MultiAzDrill'; Arguments = $stack + @{ AvailabilityZone = 'us-east-2a'; DurationMinutes = 1; Confirm = $false } }
                }
                @{ Role = $deployer; Command = 'Remove-PatternStack'; Arguments = $stack + @{ Force = $true } }
                if (-not $Short) {
                    @{ Role = $deployer; Command = 'New-MultiAzStack'; Arguments = $aurora + $serviceRole + @{ DbEngine = 'aurora-postgresql'; DbDeletionProtection = $false } }
                    @{ Role = $deployer; Command = 'Remove-PatternStack'; Arguments = $aurora + @{ Force = $true } }
                }
            }
        }
        finally {
            # Whatever the run left (a stack that failed to delete) goes, with the service role's full policy.
            Restore-Roles MultiAzDeploy
            foreach ($left in $stack, $aurora) {
                if (Get-PatternStack -StackName $left.StackName -AccountId $staging -ErrorAction SilentlyContinue) {
                    Update-MultiAzStack @left -DbDeletionProtection $false -Confirm:$false -ErrorAction SilentlyContinue | Out-Null
                    Remove-PatternStack @left -Force -ErrorAction SilentlyContinue
                }
            }
        }
    }

    # The DR stacks anew (the vault account's in both regions, a member's, the pilot-light DR account's, the
    # DR-Orchestrator's), as the DrSetup role; then, with -Rerun, the same again with a new retention (the member plan changes, the vault stacks do not)
    # and a preview for an account without stacks (ValidateTemplate).
    $script:drStacks = @(
        @($logArchive, 'us-east-2', 'cloudpatterns-dr-orchestrator'), @($logArchive, 'us-east-2', 'cloudpatterns-dr-central-vault'), @($logArchive, 'us-west-2', 'cloudpatterns-dr-central-vault'),
        @($logArchive, 'us-east-2', 'cloudpatterns-dr-evidence'), @($production, 'us-east-2', 'cloudpatterns-dr-member-backup'),
        @($drAccount, 'us-west-2', 'cloudpatterns-dr-pilot-light'))
    function Remove-DrStacks {
        foreach ($stack in $drStacks) { Remove-PatternStack -AccountId $stack[0] -Region $stack[1] -StackName $stack[2] -Force -ErrorAction SilentlyContinue }
        # The pilot light's vault has a fixed name ('dr') and outlives its stack; the next flow creates it again.
        Invoke-DrSandbox delete-vault $drAccount us-west-2 dr | Out-Null
    }
    $script:retention = 35
    $script:setupRuns = 0
    function Invoke-SetupFlow([switch] $Rerun, [switch] $Anew) {
        $setup = @{ VaultAccountId = $logArchive; Region = 'us-east-2'; DrRegion = 'us-west-2'; EvidenceBucketName = 'org-dr-evidence'; DrAccountId = $drAccount; ServiceRoleName = 'CloudPatternsDrSetupCloudFormation'
            # The daily plan's copies meet a one-day RPO; the one-hour default would be warned about (a warning fails the flow).
            RpoTarget = [timespan]'1.00:00:00' }
        if ($Anew) {
            # The DR stacks keep their vaults and buckets when deleted (DeletionPolicy Retain), so stacks made anew get
            # new names (the pilot light's fixed-name vault is deleted by Remove-DrStacks).
            $run = ++$script:setupRuns
            $setup.VaultName = "central$run"
            $setup.MemberVaultName = "workload$run"
            $setup.EvidenceBucketName = "org-dr-evidence-$run"
        }
        $setter = 'CloudPatternsDrSetup'
        Invoke-Collecting {
            @{ Role = $setter; Command = 'Set-CrossAccountBackup'; Arguments = $setup + @{ AccountId = $production; RetentionDays = (++$script:retention); Confirm = $false } }
            if ($Rerun) { @{ Role = $setter; Command = 'Set-CrossAccountBackup'; Arguments = $setup + @{ AccountId = $staging; WhatIf = $true } } }
        }
    }

    $script:flows = @{ MultiAzDeploy = { Invoke-MultiAzFlow }; DrSetup = { Invoke-SetupFlow -Rerun } }
    $script:shortFlows = @{ MultiAzDeploy = { Invoke-MultiAzFlow -Short }; DrSetup = { try { Invoke-SetupFlow -Anew } finally { Restore-Roles DrSetup; Remove-DrStacks } } }
    # The first DR setup creates the stacks; the sufficiency test's rerun then updates them. Each flow's request log
    # (its authorizations) is kept for the per-statement simulation.
    Get-CloudSandboxRequestLog -Clear | Out-Null
    $script:firstSetup = Invoke-SetupFlow
    $script:flowLogs = @{ DrSetup = @(Get-CloudSandboxRequestLog) }
}

AfterAll { Stop-CloudSandbox }

Describe 'Install-CloudPatternsRole -WithServiceRole' {
    It 'installed each job''s CloudFormation service role and the job''s role that passes it' {
        $installed | Should -HaveCount 10
        $service = @($installed | Where-Object IsServiceRole)
        $service.RoleName | Sort-Object -Unique | Should -Be @('CloudPatternsDrSetupCloudFormation', 'CloudPatternsMultiAzDeployCloudFormation')
        ($service | Where-Object Job -eq DrSetup).AccountId | Sort-Object | Should -Be @($logArchive, $production, $staging, $drAccount)
        @($installed.Action | Sort-Object -Unique) | Should -Be 'Created'
        Install-CloudPatternsRole -Job MultiAzDeploy -AccountId $staging -TrustExternalId $externalId -WithServiceRole -Confirm:$false |
            ForEach-Object Action | Sort-Object -Unique | Should -Be 'Unchanged'
        { Install-CloudPatternsRole -Job ReadOnly -ServiceRoleName Deployer -WithServiceRole -TrustExternalId $externalId -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidInvocation*' -ExpectedMessage '*-ServiceRoleName*DrSetup, MultiAzDeploy*ReadOnly*'
    }
}

Describe 'A CloudFormation service role''s policy' {
    It 'has a statement for each resource type of the <Job> templates, from the table LocalCloud enforces' -ForEach $jobCases {
        $templates = if ($Job -eq 'MultiAzDeploy') { @('multi-az-web-app.yaml') } else { 'central-vault', 'evidence-bucket', 'member-backup-plan', 'pilot-light-dr-account', 'orchestrator' | ForEach-Object { "disaster-recovery/$_.yaml" } }
        $types = @($templates | ForEach-Object { (ConvertFrom-TemplateYaml (Join-Path $PSScriptRoot "../../templates/$_")).Resources.Values.Type } | Sort-Object -Unique)
        $policy = Get-CloudPatternsPolicy -Job $Job -ServiceRole -AccountId $staging
        $sids = @($policy.Statements.Sid)
        # AWS::SNS::TopicPolicy's one action (sns:SetTopicAttributes) is already the topic's, AWS::SQS::QueuePolicy's
        # (sqs:SetQueueAttributes) the queue's.
        foreach ($type in $types | Where-Object { $_ -notin 'AWS::SNS::TopicPolicy', 'AWS::SQS::QueuePolicy' }) { $sids | Should -Contain ($type -replace '^AWS::' -replace '::') }
        $policy.Actions | Should -Not -Contain '*'
        $statements = ($policy.PolicyDocument | ConvertFrom-Json).Statement
        @($statements.Resource | Where-Object { $_ -notlike "*:${staging}:*" -and $_ -notlike 'arn:aws:s3:::*' }) | Should -BeNullOrEmpty
        @($statements | Where-Object Sid -like 'PassRoleTo*' | ForEach-Object { $_.Condition.StringEquals.'iam:PassedToService' }) | Should -Not -BeNullOrEmpty
        # IAM's limit for an inline role policy: 10,240 characters without whitespace.
        ($policy.PolicyDocument -replace '\s').Length | Should -BeLessThan 10240
        $document = Get-CloudPatternsPolicy -Job $Job -ServiceRole -AsJson | ConvertFrom-Json
        $document.Statement.Effect | Sort-Object -Unique | Should -Be 'Allow'
    }

    It 'replaces the <Job> role''s resource statements with iam:PassRole and iam:GetRole on the service role' -ForEach $jobCases {
        $full = Get-CloudPatternsPolicy -Job $Job
        $shrunk = Get-CloudPatternsPolicy -Job $Job -ServiceRoleName Deployer -AccountId $staging
        @($shrunk.Statements.Sid | Where-Object { $_ -like '*Resources' -or $_ -like '*Pass*Role' -and $_ -ne "${Job}PassServiceRole" }) | Should -BeNullOrEmpty
        $pass = ($shrunk.PolicyDocument | ConvertFrom-Json).Statement | Where-Object Sid -eq "${Job}PassServiceRole"
        $pass.Resource | Should -Be "arn:aws:iam::${staging}:role/Deployer"
        $pass.Condition.StringEquals.'iam:PassedToService' | Should -Be 'cloudformation.amazonaws.com'
        ($shrunk.Statements | Where-Object Sid -eq "${Job}CheckServiceRole").Actions | Should -Be 'iam:GetRole'
        $shrunk.Actions.Count | Should -BeLessThan ($full.Actions.Count / 2)
        { Get-CloudPatternsPolicy -Job GitOpsSync -ServiceRole -ErrorAction Stop } | Should -Throw -ExpectedMessage '*GitOpsSync*DrSetup, MultiAzDeploy*'
    }
}

Describe 'Each job with its service role' {
    It '<Job> is sufficient: the flow passes as the shrunk role, CloudFormation acting as the service role' -ForEach $jobCases {
        Get-CloudSandboxRequestLog -Clear | Out-Null
        $run = & $flows[$Job]
        $run.Failures | Should -BeNullOrEmpty
        # The DR flow's log begins with the first setup's (which created the stacks and uploaded the orchestrator's code).
        $log = @(@($flowLogs[$Job]) + @(Get-CloudSandboxRequestLog) | Where-Object { $_ })
        $flowLogs[$Job] = $log
        $mine = @($log | Where-Object Principal -like "arn:aws:sts::*:assumed-role/CloudPatterns$Job/*")
        $service = @($log | Where-Object Principal -like "arn:aws:sts::*:assumed-role/CloudPatterns${Job}CloudFormation/AWSCloudFormation")
        $service | Should -Not -BeNullOrEmpty
        @($mine + $service | Where-Object Decision -ne Allow | ForEach-Object { "$($_.Operation) $($_.Action) $($_.DecidedBy)" }) | Should -BeNullOrEmpty
        # Every call for the stacks' resources is the service role's; the job's role makes only its own calls, and
        # uses every action of its policy (iam:PassRole is checked inside CreateChangeSet, kms:GenerateDataKey inside
        # the upload of the orchestrator's code: the requests' checks).
        @($mine | Where-Object Operation -like 'CloudFormation *') | Should -BeNullOrEmpty
        @($service.Operation | Where-Object { $_ -notlike 'CloudFormation *' }) | Should -BeNullOrEmpty
        $policy = Get-CloudPatternsPolicy -Job $Job -ServiceRoleName "CloudPatterns${Job}CloudFormation"
        # MultiAzDrillFis: the drill's FIS path, which this flow does not take (docs/least-privilege.md).
        $expected = @($policy.Statements | Where-Object Sid -ne 'MultiAzDrillFis' | ForEach-Object Actions | Sort-Object -Unique)
        @($mine | ForEach-Object Checks | ForEach-Object Action | Sort-Object -Unique) | Should -Be $expected
        @($service.Action | Sort-Object -Unique | Where-Object { $_ -notin (Get-CloudPatternsPolicy -Job $Job -ServiceRole).Actions }) | Should -BeNullOrEmpty
    }

    It '<Job> without the service role: CloudFormation acts as the shrunk role, which cannot create the resources' -ForEach $jobCases {
        $failures = @()
        if ($Job -eq 'MultiAzDeploy') {
            New-MultiAzStack -StackName svc-none -AccountId $staging -CertificateArn $certificate -RoleName CloudPatternsMultiAzDeploy -ExternalId $externalId -ErrorVariable failures -ErrorAction SilentlyContinue | Out-Null
            "$failures" | Should -BeLike "*assumed-role/CloudPatternsMultiAzDeploy/* is not authorized to perform: ec2:CreateVpc*"
        }
        else {
            $result = Set-CrossAccountBackup -AccountId $staging -VaultAccountId $logArchive -Region us-east-2 -DrRegion us-west-2 -EvidenceBucketName org-dr-evidence -RoleName CloudPatternsDrSetup -ExternalId $externalId -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue
            ("$failures " + ($result.Steps.Message -join ' ')) | Should -BeLike "*assumed-role/CloudPatternsDrSetup/* is not authorized to perform: *"
            Remove-PatternStack -AccountId $staging -Region us-east-2 -StackName cloudpatterns-dr-member-backup -Force -ErrorAction SilentlyContinue
        }
    }

    It '<Job> is minimal: without <Action> on the service role the flow fails naming it' -ForEach @(
        @{ Job = 'MultiAzDeploy'; Action = 'iam:PassRole' }, @{ Job = 'MultiAzDeploy'; Action = 'iam:GetRole' }
        @{ Job = 'DrSetup'; Action = 'iam:PassRole' }, @{ Job = 'DrSetup'; Action = 'iam:GetRole' }) {
        try {
            Set-Policy -Job $Job -WithoutAction $Action -JobRole
            $run = & $shortFlows[$Job]
            ($run.Failures -join "`n") | Should -BeLike "*not authorized to perform: $Action on resource: arn:aws:iam::*:role/CloudPatterns${Job}CloudFormation*" -Because ($run.Failures -join ' | ')
        }
        finally { Restore-Roles $Job }
    }
}

Describe 'Each service role statement' {
    BeforeAll {
        # For each statement, the first of the flow's authorizations that the service role's policy without it would
        # refuse (Find-NeededPolicyPart: IAM's SimulateCustomPolicy with each logged request's action, resource and
        # condition keys). The flows ran in the sufficiency test (and the first DR setup); run alone, this block runs
        # the Multi-AZ flow itself.
        if (-not $flowLogs['MultiAzDeploy']) {
            Get-CloudSandboxRequestLog -Clear | Out-Null
            Invoke-MultiAzFlow | Out-Null
            $flowLogs['MultiAzDeploy'] = @(Get-CloudSandboxRequestLog)
        }
        $script:needed = @{}
        foreach ($job in 'MultiAzDeploy', 'DrSetup') {
            $policies = @{}
            foreach ($account in $roleAccounts[$job]) { $policies[$account] = (Get-CloudPatternsPolicy -Job $job -ServiceRole -AccountId $account).PolicyDocument }
            $needed[$job] = Find-NeededPolicyPart -RoleName "CloudPatterns${job}CloudFormation" -Requests $flowLogs[$job] -Policies $policies
        }
        Remove-DrStacks
    }

    It '<Job> service role: without <Sid> the policy simulator refuses one of the flow''s requests' -ForEach $statementCases {
        $refused = $needed[$Job][$Sid]
        $refused | Should -Not -BeNullOrEmpty -Because "every request of the $Job flow that $Sid allowed is also allowed by another statement"
        $refused.action | Should -BeIn $Actions
        $refused.decision | Should -Be 'implicitDeny'
    }

    It 'DrSetup service role: <_> is needed by none of the setup flow''s requests (the flow creates no such resource)' -ForEach @('EC2NatGateway', 'EC2EIP', 'RAMResourceShare') {
        $needed['DrSetup'].ContainsKey($_) | Should -BeTrue
        $needed['DrSetup'][$_] | Should -BeNullOrEmpty
    }

    It '<Job> service role: without <Sid> the flow really fails, refused the action the simulator found' -ForEach $realRemovals {
        try {
            Set-Policy -Job $Job -WithoutSid $Sid
            $run = & $shortFlows[$Job]
            $text = $run.Failures -join "`n"
            $text | Should -BeLike "*CloudPatterns${Job}CloudFormation/AWSCloudFormation is not authorized to perform: $($needed[$Job][$Sid].action) *" -Because $text
        }
        finally { Restore-Roles $Job }
    }
}

Describe '-ServiceRoleName' {
    It 'refuses a role that does not exist or that CloudFormation may not assume, before any change' {
        Get-CloudSandboxRequestLog -Clear | Out-Null
        { New-MultiAzStack -StackName svc-refused -AccountId $staging -CertificateArn $certificate -ServiceRoleName NoSuchRole -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidMultiAzSettings*' -ExpectedMessage "*ServiceRoleName 'NoSuchRole': the role arn:aws:iam::${staging}:role/NoSuchRole does not exist; give a role of account $staging whose trust policy allows sts:AssumeRole to the service principal cloudformation.amazonaws.com*"
        { Update-MultiAzStack -StackName svc-refused -AccountId $staging -ServiceRoleName CloudPatternsMultiAzDeploy -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidMultiAzSettings*' -ExpectedMessage '*does not let cloudformation.amazonaws.com assume it*'
        { New-MultiAzStack -StackName svc-refused -AccountId $staging -CertificateArn $certificate -ServiceRoleName CloudPatternsMultiAzDeploy -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidMultiAzSettings*' -ExpectedMessage "*the trust policy of arn:aws:iam::${staging}:role/CloudPatternsMultiAzDeploy does not let cloudformation.amazonaws.com assume it*"
        $setup = @{ VaultAccountId = $logArchive; Region = 'us-east-2'; DrRegion = 'us-west-2'; EvidenceBucketName = 'org-dr-evidence' }
        { Set-CrossAccountBackup @setup -AccountId $production -ServiceRoleName NoSuchRole -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidCrossAccountBackupSettings*' -ExpectedMessage "*role arn:aws:iam::${logArchive}:role/NoSuchRole does not exist*role arn:aws:iam::${production}:role/NoSuchRole does not exist*"
        { Set-CrossAccountBackup @setup -AccountId $production -ServiceRoleName 'bad name!' -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidCrossAccountBackupSettings*' -ExpectedMessage '*-ServiceRoleName*'
        @(Get-CloudSandboxRequestLog | Where-Object Mutating) | Should -BeNullOrEmpty
    }

    It 'keeps a stack''s service role when an update does not name it, as CloudFormation does' {
        $stack = @{ StackName = 'svc-kept'; AccountId = $staging }
        New-MultiAzStack @stack -CertificateArn $certificate -ServiceRoleName CloudPatternsMultiAzDeployCloudFormation | Out-Null
        Get-CloudSandboxRequestLog -Clear | Out-Null
        (Update-MultiAzStack @stack -DbDeletionProtection $false -Confirm:$false).Status | Should -Be 'UPDATE_COMPLETE'
        $changed = @(Get-CloudSandboxRequestLog | Where-Object Operation -like 'CloudFormation Update *')
        $changed | Should -Not -BeNullOrEmpty
        $changed.Principal | Sort-Object -Unique | Should -Be "arn:aws:sts::${staging}:assumed-role/CloudPatternsMultiAzDeployCloudFormation/AWSCloudFormation"
        Remove-PatternStack @stack -Force
    }
}
