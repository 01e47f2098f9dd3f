# Another module that already loaded an older AWSSDK.Core must not break CloudPatterns, nor CloudPatterns it.
BeforeAll {
    $packages = ((dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim()
    $script:olderSdk = Join-Path $packages 'awssdk.core/4.0.3.3/lib/netstandard2.0/AWSSDK.Core.dll'
    # A tiny module, made here, that loads AWSSDK.Core 4.0.3.3 and uses it.
    $script:otherModule = Join-Path $TestDrive 'OtherAwsModule/OtherAwsModule.psm1'
    New-Item -ItemType Directory (Split-Path $otherModule) | Out-Null
    Set-Content $otherModule @"
Add-Type -Path '$olderSdk'
function Get-OtherSdkVersion { [Amazon.Runtime.AmazonServiceClient].Assembly.GetName().Version.ToString() + ' ' + [System.Diagnostics.FileVersionInfo]::GetVersionInfo([Amazon.Runtime.AmazonServiceClient].Assembly.Location).FileVersion }
"@
    function Invoke-Child([string] $Script) {
        $pwsh = [System.Environment]::ProcessPath
        [string[]] $prefix = if ([System.IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { @(Join-Path $PSHOME 'pwsh.dll') } else { @() }
        $output = & $pwsh @prefix -NoProfile -NonInteractive -Command $Script 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = @($output | ForEach-Object { "$_" }) }
    }
    $script:exercise = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$env:CLOUDPATTERNS_MODULE'
Start-CloudSandbox | Out-Null
try { 'accounts=' + @(Get-OrgAccount).Count } finally { Stop-CloudSandbox }
"@
}

Describe 'Assembly isolation on PowerShell 7' {
    It 'the older SDK is really there to load' {
        $olderSdk | Should -Exist
    }

    It 'works after another module loaded AWSSDK.Core 4.0.x' {
        $result = Invoke-Child "`$ErrorActionPreference = 'Stop'; Import-Module '$otherModule'; 'other=' + (Get-OtherSdkVersion)`n$exercise"
        $result.ExitCode | Should -Be 0 -Because ($result.Output -join "`n")
        $result.Output | Should -Contain 'accounts=5'
        ($result.Output | Where-Object { $_ -like 'other=*' }) | Should -BeLike 'other=4.0.0.0 4.0.3.3*'
    }

    It 'leaves another module working that loads AWSSDK.Core 4.0.x after it' {
        $result = Invoke-Child "$exercise`nImport-Module '$otherModule'; 'other=' + (Get-OtherSdkVersion)"
        $result.ExitCode | Should -Be 0 -Because ($result.Output -join "`n")
        $result.Output | Should -Contain 'accounts=5'
        ($result.Output | Where-Object { $_ -like 'other=*' }) | Should -BeLike 'other=4.0.0.0 4.0.3.3*'
    }
}
