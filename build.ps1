<#
.SYNOPSIS
    Builds, tests and demonstrates CloudPatterns.
.DESCRIPTION
    Build   : the importable module at out/CloudPatterns (module dll, dependencies, formats, help, templates) with
              LocalCloud beside it in out/CloudPatterns/LocalCloud and the Lambda functions' zip in out/CloudPatterns/lambda.
    Test    : Build, then every xunit project and every Pester file (in a clean pwsh child); exits non-zero on any failure.
    Demo    : Build, then the patterns against LocalCloud (build/Demo.ps1).
    Package : Build, then out/package/CloudPatterns.<version>.nupkg, installable with Install-PSResource or
              Install-Module from a repository that holds it.
    Clean   : removes out/.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Package', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Run only the xunit projects or only Pester.
    [ValidateSet('All', 'Unit', 'Pester')]
    [string] $TestScope = 'All'
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
    Invoke-Native 'LocalCloud build' { dotnet publish (Join-Path $root 'src/CloudPatterns.LocalCloud') -c $Configuration -o (Join-Path $moduleOut 'LocalCloud') --nologo -v quiet }
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

function Invoke-UnitTests {
    $results = Join-Path $out 'test-results'
    dotnet test (Join-Path $root 'CloudPatterns.sln') -c $Configuration --nologo --logger 'trx' --logger 'console;verbosity=normal' --results-directory $results | Out-Host
    $failed = $LASTEXITCODE -ne 0
    $passed = 0; $failures = 0
    foreach ($trx in Get-ChildItem $results -Filter '*.trx' -ErrorAction SilentlyContinue) {
        $counters = ([xml](Get-Content -Raw -LiteralPath $trx.FullName)).TestRun.ResultSummary.Counters
        $passed += [int]$counters.passed
        $failures += [int]$counters.failed
    }
    if ($failed -and $failures -eq 0) {
        Write-Host "dotnet test exited with $LASTEXITCODE but no TRX file names a failed test: a build error or a crashed test host (see above)."
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

function Invoke-PesterTests {
    Install-TemplateTools
    $pester = Get-PesterPath
    $results = Join-Path $out 'test-results'
    New-Item -ItemType Directory -Force $results | Out-Null
    $summary = Join-Path $results 'pester-summary.json'
    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$pester'
`$config = New-PesterConfiguration
`$config.Run.Path = '$(Join-Path $root 'tests/pester')'
`$config.Run.PassThru = `$true
`$config.Output.Verbosity = 'Detailed'
`$config.TestResult.Enabled = `$true
`$config.TestResult.OutputPath = '$(Join-Path $results 'pester.xml')'
`$result = Invoke-Pester -Configuration `$config
@{ Passed = `$result.PassedCount; Failed = `$result.FailedCount + `$result.FailedBlocksCount + `$result.FailedContainersCount } | ConvertTo-Json | Set-Content '$summary'
"@
    # A clean child process: the module is imported from the build output, never from this session.
    $env:CLOUDPATTERNS_MODULE = Join-Path $moduleOut 'CloudPatterns.psd1'
    Push-Location $root
    try { dotnet pwsh -NoProfile -NonInteractive -Command $script | Out-Host } finally { Pop-Location }
    if (-not (Test-Path $summary)) { return [pscustomobject]@{ Passed = 0; Failed = 1 } }
    $counts = Get-Content -Raw $summary | ConvertFrom-Json
    return [pscustomobject]@{ Passed = [int]$counts.Passed; Failed = [int]$counts.Failed }
}

# The failures again at the very end, where a CI log's tail shows them.
function Get-FailedTestName {
    $results = Join-Path $out 'test-results'
    foreach ($trx in Get-ChildItem $results -Filter '*.trx' -ErrorAction SilentlyContinue) {
        ([xml](Get-Content -Raw -LiteralPath $trx.FullName)).TestRun.Results.UnitTestResult |
            Where-Object outcome -eq 'Failed' | ForEach-Object testName
    }
    $pester = Join-Path $results 'pester.xml'
    if (Test-Path $pester) {
        ([xml](Get-Content -Raw -LiteralPath $pester)).SelectNodes("//test-case[@result='Failure']") | ForEach-Object name
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
        if ($TestScope -in 'All', 'Unit') {
            $unit = Invoke-UnitTests
            Write-Host "xunit: $($unit.Passed) passed, $($unit.Failed) failed"
            $totals.Passed += $unit.Passed; $totals.Failed += $unit.Failed
        }
        if ($TestScope -in 'All', 'Pester') {
            $pesterCounts = Invoke-PesterTests
            Write-Host "Pester: $($pesterCounts.Passed) passed, $($pesterCounts.Failed) failed"
            $totals.Passed += $pesterCounts.Passed; $totals.Failed += $pesterCounts.Failed
        }
        Write-Host "Total: $($totals.Passed) passed, $($totals.Failed) failed"
        Get-FailedTestName | ForEach-Object { Write-Host "FAILED: $_" }
        if ($totals.Failed -gt 0 -or $totals.Passed -eq 0) { exit 1 }
    }
}
