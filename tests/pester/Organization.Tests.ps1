# Get-OrgAccount and the fan-out cmdlets against LocalCloud, over HTTP with real SigV4.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-CloudPatternsUnderTest
    $script:sandbox = Start-CloudSandbox -Force
    $script:names = @('dr', 'log-archive', 'management', 'production', 'staging')
    $script:production = '333333333333'
}

AfterAll { Stop-CloudSandbox }

Describe 'Get-OrgAccount' {
    It 'lists the five accounts of the sample organization with their OU paths' {
        $accounts = @(Get-OrgAccount -Recurse)
        $accounts | Should -HaveCount 5
        $accounts | ForEach-Object { $_ | Should -BeOfType 'CloudPatterns.Core.Organizations.OrgAccount' }
        @($accounts.Name | Sort-Object) | Should -Be $names
        ($accounts | Where-Object Name -eq 'production').OrganizationalUnitPath | Should -Be 'Root/Workloads'
        ($accounts | Where-Object Name -eq 'log-archive').OrganizationalUnitPath | Should -Be 'Root/Security'
        ($accounts | Where-Object Name -eq 'production').Email | Should -Be 'production@example.com'
        ($accounts | Where-Object Name -eq 'production').Status | Should -Be 'ACTIVE'
    }

    It 'lists the same accounts as the AWS CLI v1 (through AWS_ENDPOINT_URL) and v2 (through --endpoint-url)' {
        $v1 = aws organizations list-accounts --output json | ConvertFrom-Json
        $LASTEXITCODE | Should -Be 0
        # The Debian CLI v2 (2.9) predates AWS_ENDPOINT_URL support, so it is pointed at the sandbox explicitly.
        $v2 = /usr/bin/aws organizations list-accounts --endpoint-url $env:AWS_ENDPOINT_URL --output json | ConvertFrom-Json
        $LASTEXITCODE | Should -Be 0
        $ours = @(Get-OrgAccount).AccountId | Sort-Object
        @($v1.Accounts.Id | Sort-Object) | Should -Be $ours
        @($v2.Accounts.Id | Sort-Object) | Should -Be $ours
    }

    It 'narrows to an OU, and with -Recurse to everything below it' {
        $workloads = (Get-OrgAccount | Where-Object Name -eq 'production').ParentId
        @(Get-OrgAccount -OrganizationalUnitId $workloads).Name | Sort-Object | Should -Be @('production', 'staging')
        $root = (Get-OrgAccount | Where-Object Name -eq 'management').ParentId
        @(Get-OrgAccount -OrganizationalUnitId $root).Name | Should -Be @('management')
        @(Get-OrgAccount -OrganizationalUnitId $root -Recurse) | Should -HaveCount 5
    }

    It 'filters by status' {
        @(Get-OrgAccount -Status ACTIVE) | Should -HaveCount 5
        @(Get-OrgAccount -Status SUSPENDED) | Should -HaveCount 0
    }

    It 'refuses a malformed OU id before calling AWS' {
        Get-CloudSandboxRequestLog -Clear | Out-Null
        { Get-OrgAccount -OrganizationalUnitId 'workloads' -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,CloudPatterns.PowerShell.Cmdlets.GetOrgAccountCommand'
        @(Get-CloudSandboxRequestLog) | Should -HaveCount 0
    }

    It 'survives ConvertTo-Json with the fields a runbook logs' {
        $json = Get-OrgAccount | Where-Object Name -eq 'production' | ConvertTo-Json -Depth 5 | ConvertFrom-Json
        $json.AccountId | Should -Be $production
        $json.OrganizationalUnitPath | Should -Be 'Root/Workloads'
    }

    It 'ends with AwsConnectionFailed naming SignatureDoesNotMatch when the secret key is wrong' {
        { Get-OrgAccount -AccessKey $env:AWS_ACCESS_KEY_ID -SecretKey 'not-the-secret' -ErrorAction Stop } |
            Should -Throw -ErrorId 'AwsConnectionFailed,CloudPatterns.PowerShell.Cmdlets.GetOrgAccountCommand' -ExpectedMessage '*SignatureDoesNotMatch*'
    }

    It 'the AWS CLI is refused with SignatureDoesNotMatch for a wrong secret too' {
        $previous = $env:AWS_SECRET_ACCESS_KEY
        try {
            $env:AWS_SECRET_ACCESS_KEY = 'not-the-secret'
            $output = aws organizations list-accounts 2>&1 | Out-String
            $LASTEXITCODE | Should -Not -Be 0
            $output | Should -Match 'InvalidSignatureException|SignatureDoesNotMatch'
        }
        finally { $env:AWS_SECRET_ACCESS_KEY = $previous }
    }
}

Describe 'Tab completion from the organization' {
    It 'completes -AccountId with the account ids, showing their names' {
        $line = 'Get-PatternStack -AccountId 33'
        $found = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
        @($found.CompletionText) | Should -Be @($production)
        $found[0].ListItemText | Should -Be "$production (production)"
        Get-CompletionText 'Get-PatternStack -AccountId prod' | Should -Be @($production) -Because 'a name completes to its id'
    }

    It 'completes -OrganizationalUnitId with the OUs, by id or by path' {
        Get-CompletionText 'Get-OrgAccount -OrganizationalUnitId Root/Work' | Should -Be @((Get-OrgAccount | Where-Object Name -eq 'production').ParentId)
    }

    It 'completes -Region with the sandbox regions first' {
        (Get-CompletionText 'Get-OrgAccount -Region us-')[0..1] | Should -Be @('us-east-2', 'us-west-2')
    }

    It 'offers nothing when <Case>' -ForEach @(
        @{ Case = 'the profile typed does not exist'; Line = 'Get-PatternStack -ProfileName no-such-profile -AccountId ' }
        @{ Case = 'the endpoint typed does not answer'; Line = 'Get-PatternStack -EndpointUrl http://127.0.0.1:9 -AccountId ' }
        @{ Case = 'the account typed refuses the role'; Line = 'Get-PatternStack -AccountId 999999999999 -StackName ' }
    ) {
        Get-CompletionText $Line | Should -BeNullOrEmpty
    }

    It 'offers nothing without credentials, and the organization again once they are back' {
        $saved = @{ AWS_ACCESS_KEY_ID = $env:AWS_ACCESS_KEY_ID; AWS_SECRET_ACCESS_KEY = $env:AWS_SECRET_ACCESS_KEY }
        try {
            Remove-Item Env:AWS_ACCESS_KEY_ID, Env:AWS_SECRET_ACCESS_KEY
            $env:AWS_EC2_METADATA_DISABLED = 'true'
            Get-CompletionText 'Get-PatternStack -AccountId ' | Should -BeNullOrEmpty
        }
        finally {
            $env:AWS_ACCESS_KEY_ID = $saved.AWS_ACCESS_KEY_ID; $env:AWS_SECRET_ACCESS_KEY = $saved.AWS_SECRET_ACCESS_KEY
            Remove-Item Env:AWS_EC2_METADATA_DISABLED
        }
        Get-CompletionText 'Get-PatternStack -AccountId ' | Should -HaveCount 5
    }
}

Describe 'Role assumption across the organization' {
    It 'assumes CloudPatternsExecution with the right ExternalId' {
        $stacks = @(Get-PatternStack -AccountId $production -RoleName CloudPatternsExecution -ExternalId $sandbox.ExecutionRoleExternalId -All -ErrorVariable failures)
        $failures | Should -HaveCount 0
        $log = Get-CloudSandboxRequestLog -Service sts -Operation AssumeRole -Clear
        @($log | Where-Object StatusCode -eq 200).Count | Should -BeGreaterThan 0
    }

    It 'reports a wrong ExternalId as a non-terminating AccessDenied naming the role ARN and the account' {
        Get-PatternStack -AccountId $production, '444444444444' -RoleName CloudPatternsExecution -ExternalId 'wrong' -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures | Should -HaveCount 2
        $failures[0].FullyQualifiedErrorId | Should -Be 'AccessDenied,CloudPatterns.PowerShell.Cmdlets.GetPatternStackCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        $mine = $failures | Where-Object { "$($_.TargetObject)" -like "$production/*" }
        $mine.Exception.Message | Should -BeLike "*arn:aws:iam::${production}:role/CloudPatternsExecution*"
        $mine.Exception.Message | Should -BeLike "*in account $production*"
        $mine.Exception.Message | Should -BeLike '*ExternalId*'
    }

    It 'the AWS CLI is refused AccessDenied for the wrong ExternalId and allowed with the right one' {
        $role = "arn:aws:iam::${production}:role/CloudPatternsExecution"
        $denied = aws sts assume-role --role-arn $role --role-session-name test --external-id wrong 2>&1 | Out-String
        $LASTEXITCODE | Should -Not -Be 0
        $denied | Should -Match 'AccessDenied'
        $allowed = aws sts assume-role --role-arn $role --role-session-name test --external-id $sandbox.ExecutionRoleExternalId --output json | ConvertFrom-Json
        $LASTEXITCODE | Should -Be 0
        $allowed.AssumedRoleUser.Arn | Should -Be "arn:aws:sts::${production}:assumed-role/CloudPatternsExecution/test"
    }

    It 'assumes OrganizationAccountAccessRole whatever ExternalId is given, as AWS does' {
        $stacks = Get-PatternStack -AccountId $production -ExternalId 'anything' -All -ErrorVariable failures
        $failures | Should -HaveCount 0
    }

    It 'assumes each role once per account however many regions it visits' {
        Get-CloudSandboxRequestLog -Clear | Out-Null
        Get-OrgAccount | Get-PatternStack -Region us-east-2, us-west-2 -All -ErrorAction Stop | Out-Null
        $log = Get-CloudSandboxRequestLog
        @($log | Where-Object Operation -eq 'AssumeRole').Count | Should -Be 4 -Because 'four member accounts; the caller''s own account is used directly'
        $describes = @($log | Where-Object Operation -eq 'DescribeStacks')
        $describes | Should -HaveCount 10
        @($describes | Group-Object AccountId, Region) | Should -HaveCount 10
    }

    It 'makes as many attempts as AWS_MAX_ATTEMPTS says, also when it is set after the first call' {
        Get-OrgAccount | Out-Null
        $env:AWS_MAX_ATTEMPTS = '4'
        Set-CloudSandboxFault -Service sts -Operation GetCallerIdentity -ThrottleRate 1
        try {
            Get-CloudSandboxRequestLog -Clear | Out-Null
            { Get-OrgAccount -ErrorAction Stop } | Should -Throw -ErrorId 'AwsConnectionFailed,CloudPatterns.PowerShell.Cmdlets.GetOrgAccountCommand' -ExpectedMessage '*Throttling*'
            @(Get-CloudSandboxRequestLog -Service sts -Operation GetCallerIdentity) | Should -HaveCount 4
        }
        finally {
            Clear-CloudSandboxFault
            Remove-Item Env:AWS_MAX_ATTEMPTS
        }
    }

    It 'stops after -FailureTolerance failed targets' {
        { Get-PatternStack -AccountId $production, '444444444444', '555555555555' -Region us-east-2, us-west-2 -RoleName NoSuchRole -ThrottleLimit 1 -FailureTolerance 1 -ErrorAction SilentlyContinue } |
            Should -Throw -ErrorId 'FailureToleranceReached,CloudPatterns.PowerShell.Cmdlets.GetPatternStackCommand'
    }

    It 'keeps the secret key and session tokens out of every stream of a run with -Verbose -Debug, and tells each AWS call' {
        $role = "arn:aws:iam::${production}:role/OrganizationAccountAccessRole"
        $temporary = (aws sts assume-role --role-arn $role --role-session-name secrets-scan --output json | ConvertFrom-Json).Credentials
        $LASTEXITCODE | Should -Be 0
        $secrets = @($env:AWS_SECRET_ACCESS_KEY, $temporary.SecretAccessKey, $temporary.SessionToken)
        Find-Secret "token=$($temporary.SessionToken)" -Secret @() | Should -Not -BeNullOrEmpty -Because 'the pattern must catch a real session token'
        Get-CloudSandboxRequestLog -Clear | Out-Null
        $streams = Invoke-WithEveryStream -Variables @{ production = $production; temporary = $temporary } -Script '
            Get-OrgAccount -Recurse
            Get-PatternStack -AccountId $production -Region us-east-2, us-west-2 -All
            Get-PatternStack -AccountId 444444444444 -RoleName CloudPatternsExecution -ExternalId wrong
            Get-PatternStack -All -AccessKey $temporary.AccessKeyId -SecretKey $temporary.SecretAccessKey -SessionToken $temporary.SessionToken
            Get-OrgAccount -AccessKey $temporary.AccessKeyId -SecretKey not-the-secret -SessionToken $temporary.SessionToken'
        foreach ($stream in 'Output', 'Error', 'Verbose', 'Debug', 'Progress') { $streams.$stream | Should -Not -BeNullOrEmpty -Because "the run writes to $stream" }
        $streams.Error | Should -Match 'AwsConnectionFailed' -Because 'the last command ends the run'
        foreach ($stream in $streams.PSObject.Properties) { Find-Secret $stream.Value -Secret $secrets | Should -BeNullOrEmpty -Because "the $($stream.Name) stream must hold no secret" }
        Compare-VerboseWithRequestLog $streams.Verbose @(Get-CloudSandboxRequestLog) | Should -BeNullOrEmpty
    }
}
