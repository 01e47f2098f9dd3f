# Start-CloudSandbox's simulated time: by default an idle sandbox skips its clock to the next pending Backup job, so a
# job that takes six simulated minutes completes within seconds without the admin API; -TimeScale runs the clock
# faster than real time; setting the clock by hand turns auto-advance off.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-CloudPatternsUnderTest
    $script:python = if (Get-Command python3 -ErrorAction SilentlyContinue) { 'python3' } else { 'python' }
    $script:support = Join-Path $PSScriptRoot 'support/backup_job.py'
    function Invoke-BackupJob {
        $output = & $python $support $env:AWS_ENDPOINT_URL @args
        if ($LASTEXITCODE -ne 0) { throw "backup_job.py $args failed: $output" }
        $output
    }
}

AfterAll {
    Stop-CloudSandbox -ErrorAction SilentlyContinue
}

Describe 'A default sandbox' {
    BeforeAll {
        $script:sandbox = Start-CloudSandbox -Force
    }

    It 'runs at real time and skips ahead when idle' {
        $clock = Get-CloudSandboxClock
        $clock.Scale | Should -Be 1
        $clock.AutoAdvance | Should -BeTrue
    }

    It 'completes a six-minute backup job within seconds, landing on its completion time' {
        $jobId = Invoke-BackupJob start
        $watch = [Diagnostics.Stopwatch]::StartNew()
        do {
            # Each look is a request, which keeps the sandbox busy for a second: look every three seconds.
            Start-Sleep -Seconds 3
            $job = Invoke-BackupJob describe $jobId | ConvertFrom-Json
        } until ($job.State -eq 'COMPLETED' -or $watch.Elapsed.TotalSeconds -gt 60)
        $job.State | Should -Be 'COMPLETED'
        [math]::Round($job.CompletionDate - $job.CreationDate) | Should -Be 360 -Because 'one queued and five running simulated minutes (the default job timing)'
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 60
        $ahead = ((Get-CloudSandboxClock).Now - [DateTimeOffset]::FromUnixTimeMilliseconds([long]($job.CompletionDate * 1000))).TotalSeconds
        $ahead | Should -BeLessThan 120 -Because 'the clock stopped at the completion and then ran in real time, with nothing left to skip to'
    }

    It 'stops skipping ahead once the clock is set by hand' {
        (Set-CloudSandboxClock -Advance (New-TimeSpan -Minutes 1)).AutoAdvance | Should -BeFalse
        (Get-CloudSandboxClock).AutoAdvance | Should -BeFalse
    }
}

Describe 'Start-CloudSandbox -TimeScale and -AutoAdvance' {
    It 'runs the clock sixty times as fast, without skipping ahead when -AutoAdvance:$false' {
        Start-CloudSandbox -TimeScale 60 -AutoAdvance:$false -Force | Out-Null
        $first = Get-CloudSandboxClock
        $first.Scale | Should -Be 60
        $first.AutoAdvance | Should -BeFalse
        $watch = [Diagnostics.Stopwatch]::StartNew()
        Start-Sleep -Seconds 2
        $second = Get-CloudSandboxClock
        $real = $watch.Elapsed.TotalSeconds
        ($second.Now - $first.Now).TotalSeconds | Should -BeGreaterOrEqual (59 * 2) -Because "$real real seconds passed"
    }

    It 'refuses a scale of <Scale> before touching the running sandbox' -ForEach @(@{ Scale = 0 }, @{ Scale = 3601 }) {
        $url = $env:AWS_ENDPOINT_URL
        { Start-CloudSandbox -TimeScale $Scale -Force -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,CloudPatterns.PowerShell.Cmdlets.StartCloudSandboxCommand'
        $env:AWS_ENDPOINT_URL | Should -Be $url
        (Get-CloudSandboxClock).Scale | Should -Be 60
    }

    It 'documents both parameters with an example' {
        $help = Get-Help Start-CloudSandbox -Full
        ($help.parameters.parameter | Where-Object name -eq 'TimeScale').description.Text | Should -Match 'simulated seconds pass per real second'
        ($help.parameters.parameter | Where-Object name -eq 'AutoAdvance').description.Text | Should -Match 'next time such a job changes state'
        @($help.examples.example.code) -join "`n" | Should -Match '-TimeScale 60 -AutoAdvance:\$false'
    }
}
