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

# Windows PowerShell 5.1 cannot run here; what can be checked is what would stop it: .NET Framework compiles a method
# as a whole, so a method it runs must not name a type it lacks (System.Runtime.Loader), or it fails before it runs.
Describe 'The Windows PowerShell 5.1 path of the module initializer' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-CloudPatternsUnderTest
        $script:initializer = (Get-Command Get-OrgAccount).ImplementingType.Assembly.GetType('CloudPatterns.PowerShell.Infrastructure.ModuleInitializer', $true)
        $flags = [System.Reflection.BindingFlags]'Static, NonPublic'
        $opCodes = @{}
        foreach ($field in [System.Reflection.Emit.OpCodes].GetFields()) { $code = $field.GetValue($null); $opCodes[[uint16]($code.Value -band 0xFFFF)] = $code }
        # Every method, field and type a method's IL names, as text.
        function Get-ReferencedMember([string] $Name) {
            $method = $initializer.GetMethod($Name, $flags)
            $il = $method.GetMethodBody().GetILAsByteArray()
            $i = 0
            while ($i -lt $il.Length) {
                $value = if ($il[$i] -eq 0xFE) { $i++; [uint16](0xFE00 -bor $il[$i]) } else { [uint16]$il[$i] }
                $code = $opCodes[$value]; $i++
                $size = switch ($code.OperandType) {
                    'InlineNone' { 0 } { $_ -in 'ShortInlineBrTarget', 'ShortInlineI', 'ShortInlineVar' } { 1 } 'InlineVar' { 2 }
                    { $_ -in 'InlineI8', 'InlineR' } { 8 } 'InlineSwitch' { 4 + 4 * [BitConverter]::ToInt32($il, $i) } default { 4 }
                }
                if ($code.OperandType -in 'InlineMethod', 'InlineField', 'InlineType', 'InlineTok') {
                    $member = $method.Module.ResolveMember([BitConverter]::ToInt32($il, $i))
                    "$($member.DeclaringType) $member"
                }
                $i += $size
            }
        }
    }

    It 'names no AssemblyLoadContext type in the methods .NET Framework runs' {
        $initialize = @(Get-ReferencedMember 'Initialize')
        $initialize | Should -Contain 'System.AppDomain System.AppDomain get_CurrentDomain()' -Because 'the IL was read'
        $initialize + @(Get-ReferencedMember 'OnNetFramework') + @(Get-ReferencedMember 'ResolveFromDependencyDirectory') |
            Should -Not -Match 'System\.Runtime\.Loader|AssemblyLoadContext'
    }

    It 'leaves the load context to a method of its own, compiled only on .NET' {
        Get-ReferencedMember 'ResolveThroughPrivateContext' | Should -Match 'AssemblyLoadContext' -Because 'this is the method the check above must not see'
        $initializer.GetMethod('ResolveThroughPrivateContext', [System.Reflection.BindingFlags]'Static, NonPublic').MethodImplementationFlags | Should -Match 'NoInlining'
    }
}
