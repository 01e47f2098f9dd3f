<#
.SYNOPSIS
    Builds, tests and demonstrates CloudPatterns.
.DESCRIPTION
    Build   : the importable module at out/CloudPatterns (module dll, dependencies, formats, help, templates) with
              LocalCloud beside it in out/CloudPatterns/LocalCloud and the Lambda functions' zip in out/CloudPatterns/lambda.
    Test    : Build, then every xunit project (one child process; -UnitTestsAlongside runs it beside Pester) and every
              Pester file (in -PesterWorkers clean pwsh children, longest files first); exits non-zero on any failure.
    Demo    : Build, then the patterns against LocalCloud (build/Demo.ps1).
    Package : Build, then out/package/CloudPatterns.<version>.nupkg, installable with Install-PSResource or
              Install-Module from a repository that holds it.
    NodeSdk : Build, then the AWS SDK for JavaScript v3 clients of src/CloudPatterns.LocalCloud/node-sdk/package.json
              installed with npm into out/CloudPatterns/LocalCloud/node-sdk (about 190 MB), which LocalCloud puts on
              Node.js functions' NODE_PATH (docs/localcloud-lambda.md, "SDKs"). Not part of Build: no test needs it.
    Clean   : removes out/.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Package', 'NodeSdk', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Run only the xunit projects or only Pester.
    [ValidateSet('All', 'Unit', 'Pester')]
    [string] $TestScope = 'All',

    # How many pwsh children run the Pester files at once (1 runs them one after another, as before).
    [ValidateRange(1, 8)]
    [int] $PesterWorkers = 3,

    # Run the xunit projects while the Pester workers run, instead of before them. Off by default: on 2 cores three
    # Pester workers already keep the CPU busy, and the files that time real restores need it.
    [switch] $UnitTestsAlongside
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$root = $PSScriptRoot
$out = Join-Path $root 'out'
$moduleOut = Join-Path $out 'CloudPatterns'

function Invoke-Native {
    param([string] $What, [scriptblock] $Command)
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$What failed with exit code $LASTEXITCODE." }
}

function Get-Version {
    $props = [xml](Get-Content -Raw (Join-Path $root 'Directory.Build.props'))
    return ($props.Project.PropertyGroup | Where-Object { $_['VersionPrefix'] } | Select-Object -First 1).VersionPrefix
}

function Invoke-Build {
    $version = Get-Version
    if (Test-Path $moduleOut) { Remove-Item -Recurse -Force $moduleOut }
    $deps = Join-Path $moduleOut 'deps'
    Invoke-Native 'Module build' { dotnet publish (Join-Path $root 'src/CloudPatterns.PowerShell') -c $Configuration -o $deps --nologo -v quiet }
    # LocalCloud is compiled ahead of time (ReadyToRun) for this machine's platform; it runs with tiered compilation
    # off, so its code is never compiled again while it serves (docs/benchmarks.md, fan-out).
    Invoke-Native 'LocalCloud build' { dotnet publish (Join-Path $root 'src/CloudPatterns.LocalCloud') -c $Configuration -o (Join-Path $moduleOut 'LocalCloud') --use-current-runtime --self-contained false -p:PublishReadyToRun=true --nologo -v quiet }
    # The Lambda functions' deployment package (docs/orchestrator.md): the published files at the zip's root, as the
    # managed .NET runtime expects them; Set-CrossAccountBackup uploads it.
    $lambdaBuild = Join-Path $out 'lambda-publish'
    if (Test-Path $lambdaBuild) { Remove-Item -Recurse -Force $lambdaBuild }
    Invoke-Native 'Lambda build' { dotnet publish (Join-Path $root 'src/CloudPatterns.Lambda') -c $Configuration -o $lambdaBuild --nologo -v quiet }
    Get-ChildItem $lambdaBuild -Include '*.pdb' -Recurse | Remove-Item -Force
    New-Item -ItemType Directory -Force (Join-Path $moduleOut 'lambda') | Out-Null
    [System.IO.Compression.ZipFile]::CreateFromDirectory($lambdaBuild, (Join-Path $moduleOut 'lambda/CloudPatterns.Lambda.zip'))
    # The cmdlet assembly sits at the module root; everything it depends on stays in deps/, which the module loads
    # into its own AssemblyLoadContext on PowerShell 7 (see ModuleInitializer).
    Move-Item (Join-Path $deps 'CloudPatterns.dll') $moduleOut
    Get-ChildItem $deps -Include '*.pdb', '*.deps.json', 'System.Management.Automation*.dll' -Recurse | Remove-Item -Force

    $manifest = Get-Content -Raw (Join-Path $root 'CloudPatterns.psd1')
    $manifest = $manifest -replace "ModuleVersion\s*=\s*'[^']*'", "ModuleVersion        = '$version'"
    Set-Content -Path (Join-Path $moduleOut 'CloudPatterns.psd1') -Value $manifest -Encoding utf8NoBOM
    Copy-Item (Join-Path $root 'src/CloudPatterns.PowerShell/CloudPatterns.format.ps1xml') $moduleOut
    if (Test-Path (Join-Path $root 'templates')) {
        Copy-Item -Recurse (Join-Path $root 'templates') (Join-Path $moduleOut 'templates')
    }
    # In a child process, so this session never loads (and locks) the module it just built.
    Invoke-Native 'Help generation' { dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $root 'build/New-ModuleHelp.ps1') -ModulePath (Join-Path $moduleOut 'CloudPatterns.psd1') }
    Write-Host "Built CloudPatterns $version at $moduleOut"
}

function Get-PesterPath {
    Invoke-Native 'Tool restore' { dotnet restore (Join-Path $root 'build/Tools.csproj') --nologo -v quiet }
    $packages = (dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    $pester = Join-Path $packages.Trim() 'pester/6.2.0/tools/Pester.psd1'
    if (-not (Test-Path $pester)) { throw "Pester 6.2.0 was not found at $pester after restore." }
    return $pester
}

# A dotnet child process with its output in LOG.log and LOG.err.log. Start-Process joins the arguments with spaces, so
# each one that holds a space or a quote is quoted here.
function Start-DotnetChild([string[]] $Arguments, [string] $Log) {
    $quoted = foreach ($argument in $Arguments) { if ($argument -match '[\s"]') { '"' + ($argument -replace '"', '\"') + '"' } else { $argument } }
    Start-Process -FilePath 'dotnet' -ArgumentList $quoted -WorkingDirectory $root -NoNewWindow -PassThru -RedirectStandardOutput "$Log.log" -RedirectStandardError "$Log.err.log"
}

# The xunit projects in a child process of their own, so they can run while the Pester workers run (-UnitTestsAlongside).
function Start-UnitTests {
    $results = Join-Path $out 'test-results'
    New-Item -ItemType Directory -Force $results | Out-Null
    Start-DotnetChild -Log (Join-Path $results 'xunit') -Arguments 'test', (Join-Path $root 'CloudPatterns.sln'), '-c', $Configuration, '--nologo',
        '--logger', 'trx', '--logger', 'console;verbosity=normal', '--results-directory', $results
}

function Complete-UnitTests {
    param([System.Diagnostics.Process] $Process)
    $Process.WaitForExit()
    $results = Join-Path $out 'test-results'
    Write-Host '----- xunit -----'
    Get-Content (Join-Path $results 'xunit.log'), (Join-Path $results 'xunit.err.log') -ErrorAction SilentlyContinue | Out-Host
    $failed = $Process.ExitCode -ne 0
    $passed = 0; $failures = 0
    foreach ($trx in Get-ChildItem $results -Filter '*.trx' -ErrorAction SilentlyContinue) {
        $counters = ([xml](Get-Content -Raw -LiteralPath $trx.FullName)).TestRun.ResultSummary.Counters
        $passed += [int]$counters.passed
        $failures += [int]$counters.failed
    }
    if ($failed -and $failures -eq 0) {
        Write-Host "dotnet test exited with $($Process.ExitCode) but no TRX file names a failed test: a build error or a crashed test host (see above)."
        $failures = 1
    }
    return [pscustomobject]@{ Passed = $passed; Failed = $failures }
}

# The template tests need cfn-guard and the Control Tower rules: npm @cdklabs/cdk-validator-cfnguard ships both.
# Installed once into .build/ (a few seconds from the npm cache; nothing when present).
$cfnGuardVersion = '0.0.62'
function Install-TemplateTools {
    $folder = Join-Path $root '.build/cfn-guard'
    $package = Join-Path $folder 'node_modules/@cdklabs/cdk-validator-cfnguard'
    $installed = Join-Path $package 'package.json'
    if (-not ((Test-Path $installed) -and (Get-Content -Raw $installed | ConvertFrom-Json).version -eq $cfnGuardVersion)) {
        New-Item -ItemType Directory -Force $folder | Out-Null
        Invoke-Native 'cfn-guard install' { npm install --prefix $folder --legacy-peer-deps --no-audit --no-fund --silent "@cdklabs/cdk-validator-cfnguard@$cfnGuardVersion" }
    }
    # npm does not keep the execute bit of the packaged binary.
    if (-not $IsWindows) { Invoke-Native 'chmod cfn-guard' { chmod +x (Join-Path $package 'bin/ubuntu/x86_64/cfn-guard') } }
    $env:CLOUDPATTERNS_CFN_GUARD_PACKAGE = $package
}

# The Pester files spend most of their time waiting (on LocalCloud, Lambda child processes and simulated clocks), so they
# run in parallel workers: clean pwsh children, each with its own sandboxes (ports are picked by LocalCloud), temp folder
# (TMPDIR) and result file. Files are dealt longest first to the least loaded worker, from tests/pester/durations.json.
function Get-PesterBatch {
    param([int] $Workers)
    $table = (Get-Content -Raw (Join-Path $root 'tests/pester/durations.json') | ConvertFrom-Json -AsHashtable).seconds
    $batches = @(foreach ($i in 1..$Workers) { [pscustomobject]@{ Seconds = 0; Files = [System.Collections.Generic.List[string]]::new() } })
    $files = Get-ChildItem (Join-Path $root 'tests/pester') -Filter '*.Tests.ps1' |
        Sort-Object @{ Expression = { if ($table.ContainsKey($_.Name)) { $table[$_.Name] } else { 30 } }; Descending = $true }, Name
    foreach ($file in $files) {
        $batch = $batches | Sort-Object Seconds | Select-Object -First 1
        $batch.Files.Add($file.FullName)
        $batch.Seconds += if ($table.ContainsKey($file.Name)) { $table[$file.Name] } else { 30 }
    }
    return @($batches | Where-Object { $_.Files.Count -gt 0 })
}

function Invoke-PesterTests {
    param([int] $Workers)
    Install-TemplateTools
    $pester = Get-PesterPath
    $results = Join-Path $out 'test-results'
    New-Item -ItemType Directory -Force $results | Out-Null
    # A clean child process: the module is imported from the build output, never from this session.
    $env:CLOUDPATTERNS_MODULE = Join-Path $moduleOut 'CloudPatterns.psd1'
    $started = [datetime]::UtcNow
    $batches = Get-PesterBatch -Workers $Workers
    $tmpdir = $env:TMPDIR
    $tempRoot = [System.IO.Path]::GetTempPath()
    $running = @(for ($i = 0; $i -lt $batches.Count; $i++) {
            $batch = $batches[$i]
            $n = $i + 1
            $paths = ($batch.Files | ForEach-Object { "'$_'" }) -join ', '
            $script = Join-Path $results "pester-worker-$n.ps1"
            Set-Content -Path $script -Encoding utf8NoBOM -Value @"
`$ErrorActionPreference = 'Stop'
Import-Module '$pester'
`$config = New-PesterConfiguration
`$config.Run.Path = @($paths)
`$config.Run.PassThru = `$true
`$config.Output.Verbosity = 'Detailed'
`$config.TestResult.Enabled = `$true
`$config.TestResult.OutputPath = '$(Join-Path $results "pester-$n.xml")'
`$result = Invoke-Pester -Configuration `$config
@{ Passed = `$result.PassedCount; Failed = `$result.FailedCount + `$result.FailedBlocksCount + `$result.FailedContainersCount } | ConvertTo-Json | Set-Content '$(Join-Path $results "pester-summary-$n.json")'
"@
            $temp = Join-Path $tempRoot "cloudpatterns-pester-$PID-$n"
            New-Item -ItemType Directory -Force $temp | Out-Null
            $env:TMPDIR = $temp
            Write-Host "Pester worker ${n}: $($batch.Files.Count) file(s), about $($batch.Seconds) s: $(($batch.Files | Split-Path -Leaf) -join ', ')"
            $process = Start-DotnetChild -Log (Join-Path $results "pester-$n") -Arguments 'pwsh', '-NoProfile', '-NonInteractive', '-File', $script
            [pscustomobject]@{ Number = $n; Process = $process; Temp = $temp }
        })
    $env:TMPDIR = $tmpdir
    $passed = 0; $failed = 0
    foreach ($worker in $running) {
        $worker.Process.WaitForExit()
        $n = $worker.Number
        Write-Host "----- Pester worker $n (exit code $($worker.Process.ExitCode), $([int]([datetime]::UtcNow - $started).TotalSeconds) s since the start) -----"
        Get-Content (Join-Path $results "pester-$n.log"), (Join-Path $results "pester-$n.err.log") -ErrorAction SilentlyContinue | Out-Host
        Remove-Item -Recurse -Force $worker.Temp -ErrorAction SilentlyContinue
        $summary = Join-Path $results "pester-summary-$n.json"
        if (-not (Test-Path $summary)) { $failed += 1; continue }
        $counts = Get-Content -Raw $summary | ConvertFrom-Json
        $passed += [int]$counts.Passed; $failed += [int]$counts.Failed
    }
    Save-PesterDuration
    return [pscustomobject]@{ Passed = $passed; Failed = $failed }
}

# Each file's seconds in this run, in durations.json's shape (out/test-results/pester-durations.json), and the slowest.
function Save-PesterDuration {
    $results = Join-Path $out 'test-results'
    $seconds = [ordered]@{}
    $files = foreach ($xml in Get-ChildItem $results -Filter 'pester-*.xml') {
        ([xml](Get-Content -Raw -LiteralPath $xml.FullName)).SelectNodes('//test-suite') |
            Where-Object { $_.name -like '*.Tests.ps1' } |
            ForEach-Object { [pscustomobject]@{ Name = Split-Path -Leaf $_.name; Seconds = [int][double]$_.time } }
    }
    $files | Sort-Object Seconds -Descending | ForEach-Object { $seconds[$_.Name] = $_.Seconds }
    @{ seconds = $seconds } | ConvertTo-Json | Set-Content (Join-Path $results 'pester-durations.json')
    Write-Host "Slowest Pester files (s): $(($files | Sort-Object Seconds -Descending | Select-Object -First 8 | ForEach-Object { "$($_.Name) $($_.Seconds)" }) -join ', ')"
}

# The failures again at the very end, where a CI log's tail shows them.
function Get-FailedTestName {
    $results = Join-Path $out 'test-results'
    foreach ($trx in Get-ChildItem $results -Filter '*.trx' -ErrorAction SilentlyContinue) {
        ([xml](Get-Content -Raw -LiteralPath $trx.FullName)).TestRun.Results.UnitTestResult |
            Where-Object outcome -eq 'Failed' | ForEach-Object testName
    }
    foreach ($pester in Get-ChildItem $results -Filter 'pester-*.xml' -ErrorAction SilentlyContinue) {
        ([xml](Get-Content -Raw -LiteralPath $pester.FullName)).SelectNodes("//test-case[@result='Failure']") | ForEach-Object name
    }
}

switch ($Task) {
    'Clean' { if (Test-Path $out) { Remove-Item -Recurse -Force $out } }
    'Build' { Invoke-Build }
    'Package' {
        Invoke-Build
        $package = Join-Path $out 'package'
        if (Test-Path $package) { Remove-Item -Recurse -Force $package }
        New-Item -ItemType Directory $package | Out-Null
        Compress-PSResource -Path $moduleOut -DestinationPath $package
        Get-ChildItem $package -Filter '*.nupkg' | ForEach-Object { Write-Host "Packaged $($_.FullName)" }
    }
    'NodeSdk' {
        Invoke-Build
        $sdk = Join-Path $moduleOut 'LocalCloud/node-sdk'
        New-Item -ItemType Directory -Force $sdk | Out-Null
        Copy-Item (Join-Path $root 'src/CloudPatterns.LocalCloud/node-sdk/package.json') $sdk
        Invoke-Native 'npm install' { npm install --prefix $sdk --no-package-lock --no-audit --no-fund --silent }
    }
    'Demo' {
        Invoke-Build
        Push-Location $root
        try { Invoke-Native 'Demo' { dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $root 'build/Demo.ps1') -ModulePath (Join-Path $moduleOut 'CloudPatterns.psd1') } }
        finally { Pop-Location }
    }
    'Test' {
        Invoke-Build
        if (Test-Path (Join-Path $out 'test-results')) { Remove-Item -Recurse -Force (Join-Path $out 'test-results') }
        $totals = [pscustomobject]@{ Passed = 0; Failed = 0 }
        function Add-TestCount([string] $Name, $Counts) {
            Write-Host "${Name}: $($Counts.Passed) passed, $($Counts.Failed) failed"
            $totals.Passed += $Counts.Passed; $totals.Failed += $Counts.Failed
        }
        $unitRun = if ($TestScope -in 'All', 'Unit') { Start-UnitTests }
        if ($unitRun -and -not $UnitTestsAlongside) { Add-TestCount 'xunit' (Complete-UnitTests -Process $unitRun); $unitRun = $null }
        if ($TestScope -in 'All', 'Pester') { Add-TestCount 'Pester' (Invoke-PesterTests -Workers $PesterWorkers) }
        if ($unitRun) { Add-TestCount 'xunit' (Complete-UnitTests -Process $unitRun) }
        Write-Host "Total: $($totals.Passed) passed, $($totals.Failed) failed"
        Get-FailedTestName | ForEach-Object { Write-Host "FAILED: $_" }
        if ($totals.Failed -gt 0 -or $totals.Passed -eq 0) { exit 1 }
    }
}
