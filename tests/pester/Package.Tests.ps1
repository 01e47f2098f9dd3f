# The package installs like any gallery module: from a repository, with PSResourceGet, into a clean user scope.
BeforeAll {
    $root = Join-Path $PSScriptRoot '../..'
    $package = Join-Path $TestDrive 'package'
    New-Item -ItemType Directory $package | Out-Null
    Compress-PSResource -Path (Split-Path $env:CLOUDPATTERNS_MODULE) -DestinationPath $package -ErrorAction Stop
    $script:nupkg = Get-ChildItem $package -Filter 'CloudPatterns.*.nupkg'
    $script:version = (Import-PowerShellDataFile $env:CLOUDPATTERNS_MODULE).ModuleVersion
}

Describe 'The module package' {
    It 'is one nupkg named for the module version' {
        $nupkg | Should -HaveCount 1
        $nupkg.Name | Should -Be "CloudPatterns.$version.nupkg"
    }

    It 'installs from a local repository with Install-PSResource, imports and runs a cmdlet' {
        # A child pwsh whose HOME is the test drive: the repository registration and the CurrentUser scope stay there.
        $homeDir = Join-Path $TestDrive 'home'
        New-Item -ItemType Directory $homeDir | Out-Null
        $script = @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name CloudPatternsTest -Uri '$($nupkg.DirectoryName)' -Trusted
Install-PSResource -Name CloudPatterns -Repository CloudPatternsTest -Scope CurrentUser -TrustRepository
Import-Module CloudPatterns
`$m = Get-Module CloudPatterns
`$m.Version.ToString()
`$m.ModuleBase
(Get-Command Start-CloudSandbox).Name
Start-CloudSandbox -WhatIf
"@
        $pwsh = [System.Environment]::ProcessPath
        [string[]] $prefix = if ([System.IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { @(Join-Path $PSHOME 'pwsh.dll') } else { @() }
        $previousHome = $env:HOME
        try {
            $env:HOME = $homeDir
            $output = & $pwsh @prefix -NoProfile -NonInteractive -Command $script 2>&1
        }
        finally { $env:HOME = $previousHome }
        $LASTEXITCODE | Should -Be 0 -Because ($output | Out-String)
        $output[0] | Should -Be $version
        "$($output[1])" | Should -BeLike "$homeDir*"
        $output[2] | Should -Be 'Start-CloudSandbox'
        "$($output[3])" | Should -Match 'What if'
    }
}
