BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-CloudPatternsUnderTest
    $script:before = @{ AWS_ACCESS_KEY_ID = 'AKIAOUTSIDESANDBOX01'; AWS_REGION = 'eu-central-1'; AWS_PROFILE = 'someprofile' }
    foreach ($k in $before.Keys) { Set-Item "env:$k" $before[$k] }
    $script:sandbox = Start-CloudSandbox
}

AfterAll {
    Stop-CloudSandbox -ErrorAction SilentlyContinue
    foreach ($k in 'AWS_ACCESS_KEY_ID', 'AWS_REGION', 'AWS_PROFILE') { Remove-Item "env:$k" -ErrorAction SilentlyContinue }
}

Describe 'Start-CloudSandbox' {
    It 'returns the sample organization with its five accounts and two regions' {
        $sandbox | Should -BeOfType 'CloudPatterns.Core.Sandbox.CloudSandbox'
        $sandbox.Url | Should -Match '^http://127\.0\.0\.1:\d+$'
        @($sandbox.Accounts.Name | Sort-Object) | Should -Be @('dr', 'log-archive', 'management', 'production', 'staging')
        $sandbox.Regions | Should -Be @('us-east-2', 'us-west-2')
        $sandbox.AccountId | Should -Be $sandbox.ManagementAccountId
    }

    It 'points the session at the sandbox management account' {
        $env:AWS_ENDPOINT_URL | Should -Be $sandbox.Url
        $env:AWS_REGION | Should -Be 'us-east-2'
        $env:AWS_DEFAULT_REGION | Should -Be 'us-east-2'
        $env:AWS_ACCESS_KEY_ID | Should -Not -Be 'AKIAOUTSIDESANDBOX01'
        $env:AWS_PROFILE | Should -BeNullOrEmpty
    }

    It 'never puts the secret key in its output' {
        $json = $sandbox | ConvertTo-Json -Depth 5
        $json | Should -Not -Match ([regex]::Escape($env:AWS_SECRET_ACCESS_KEY))
    }

    It 'refuses to start a second sandbox without -Force' {
        { Start-CloudSandbox -ErrorAction Stop } | Should -Throw -ErrorId 'SandboxAlreadyRunning,CloudPatterns.PowerShell.Cmdlets.StartCloudSandboxCommand'
    }

    It 'names a missing seed file before starting anything' {
        { Start-CloudSandbox -SeedPath (Join-Path $TestDrive 'nope.yaml') -Force -ErrorAction Stop } |
            Should -Throw -ErrorId 'SeedNotFound,CloudPatterns.PowerShell.Cmdlets.StartCloudSandboxCommand'
        # The running sandbox is untouched.
        $env:AWS_ENDPOINT_URL | Should -Be $sandbox.Url
    }
}

Describe 'Sandbox faults and the request log' {
    BeforeEach { Get-CloudSandboxRequestLog -Clear | Out-Null }
    AfterEach { Clear-CloudSandboxFault }

    It 'logs the calls the AWS CLI makes, attributed to account and region' {
        aws sts get-caller-identity --output json | Out-Null
        $LASTEXITCODE | Should -Be 0
        $entry = Get-CloudSandboxRequestLog -Service sts -Operation GetCallerIdentity
        $entry | Should -HaveCount 1
        $entry.AccountId | Should -Be $sandbox.ManagementAccountId
        $entry.Region | Should -Be 'us-east-2'
        $entry.StatusCode | Should -Be 200
        $entry.Mutating | Should -BeFalse
    }

    It 'injects an error code that the AWS CLI reports' {
        Set-CloudSandboxFault -Service sts -Operation GetCallerIdentity -ErrorRate 1 -ErrorCode InternalFailure
        $output = aws sts get-caller-identity --output json 2>&1 | Out-String
        $LASTEXITCODE | Should -Not -Be 0
        $output | Should -Match 'InternalFailure'
    }

    It 'injects latency' {
        Set-CloudSandboxFault -Service sts -LatencyMs 300
        aws sts get-caller-identity --output json | Out-Null
        (Get-CloudSandboxRequestLog -Service sts).DurationMs | Should -BeGreaterOrEqual 300
    }

    It 'requires -ErrorCode with -ErrorRate and changes nothing' {
        { Set-CloudSandboxFault -ErrorRate 0.5 -ErrorAction Stop } | Should -Throw -ErrorId 'ErrorCodeRequired,CloudPatterns.PowerShell.Cmdlets.SetCloudSandboxFaultCommand'
    }

    It '-WhatIf sets no fault' {
        Set-CloudSandboxFault -Service sts -ErrorRate 1 -ErrorCode InternalFailure -WhatIf
        aws sts get-caller-identity --output json | Out-Null
        $LASTEXITCODE | Should -Be 0
    }
}

Describe 'The sandbox clock' {
    It 'moves forward and reports the new time' {
        $before = Get-CloudSandboxClock
        $after = Set-CloudSandboxClock -Advance (New-TimeSpan -Hours 26)
        $after | Should -BeOfType 'CloudPatterns.Core.Sandbox.SandboxClock'
        ($after.Offset - $before.Offset) | Should -Be (New-TimeSpan -Hours 26)
        ($after.Now - $before.Now).TotalHours | Should -BeGreaterOrEqual 26
    }

    It 'moves to a given time' {
        $target = (Get-CloudSandboxClock).Now.AddDays(2)
        (Set-CloudSandboxClock -To $target).Now | Should -BeGreaterOrEqual $target
    }

    It 'refuses to go back, and -WhatIf moves nothing' {
        $before = (Get-CloudSandboxClock).Offset
        { Set-CloudSandboxClock -Advance (New-TimeSpan -Hours -1) -ErrorAction Stop } | Should -Throw -ErrorId 'ClockCannotGoBack,CloudPatterns.PowerShell.Cmdlets.SetCloudSandboxClockCommand'
        Set-CloudSandboxClock -Advance (New-TimeSpan -Days 3) -WhatIf
        (Get-CloudSandboxClock).Offset | Should -Be $before
    }
}

Describe 'Stop-CloudSandbox' {
    It 'stops LocalCloud and restores the environment it replaced' {
        $process = Get-Process -Id $sandbox.ProcessId
        Stop-CloudSandbox
        $process.WaitForExit(5000) | Should -BeTrue
        $env:AWS_ACCESS_KEY_ID | Should -Be 'AKIAOUTSIDESANDBOX01'
        $env:AWS_REGION | Should -Be 'eu-central-1'
        $env:AWS_PROFILE | Should -Be 'someprofile'
        $env:AWS_ENDPOINT_URL | Should -BeNullOrEmpty
    }

    It 'without a running sandbox, warns and does nothing' {
        Stop-CloudSandbox -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -HaveCount 1
    }

    It 'admin cmdlets then say that no sandbox runs' {
        { Get-CloudSandboxRequestLog -ErrorAction Stop } | Should -Throw -ErrorId 'NoSandboxRunning,CloudPatterns.PowerShell.Cmdlets.GetCloudSandboxRequestLogCommand'
    }
}
