# What a user judges in the first five minutes: names, help, confirmation, pipeline binding, output types.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-CloudPatternsUnderTest
    $script:cmdlets = @(Get-Command -Module CloudPatterns -CommandType Cmdlet | ForEach-Object { @{ Name = $_.Name } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-CloudPatternsUnderTest
    $script:common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
    # Verbs that change something: they must support -WhatIf/-Confirm. Destructive ones must also ask by default.
    $script:changingVerbs = 'New', 'Set', 'Remove', 'Start', 'Stop', 'Invoke', 'Update', 'Sync', 'Clear', 'Add', 'Export', 'Register', 'Unregister', 'Enable', 'Disable', 'Restore'
    $script:destructiveVerbs = 'Remove', 'Unregister'
    function Get-CmdletAttribute([string] $Name) {
        (Get-Command $Name).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
    }
}

Describe 'The module manifest' {
    It 'exports exactly the cmdlets the assembly defines' {
        $manifest = Test-ModuleManifest $env:CLOUDPATTERNS_MODULE -ErrorAction Stop
        $assembly = (Get-Command Start-CloudSandbox).ImplementingType.Assembly
        $defined = @($assembly.GetExportedTypes() | Where-Object { $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) } |
            ForEach-Object { $a = $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]; "$($a.VerbName)-$($a.NounName)" })
        @($manifest.ExportedCmdlets.Keys | Sort-Object) | Should -Be @($defined | Sort-Object)
    }

    It 'declares both editions, PowerShell 5.1 and a version that matches the build' {
        $manifest = Import-PowerShellDataFile $env:CLOUDPATTERNS_MODULE
        $manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $manifest.PowerShellVersion | Should -Be '5.1'
        $props = [xml](Get-Content -Raw (Join-Path $PSScriptRoot '../../Directory.Build.props'))
        $manifest.ModuleVersion | Should -Be (@($props.Project.PropertyGroup.VersionPrefix) -ne $null)[0]
        $manifest.ContainsKey('RequiredAssemblies') | Should -BeFalse
        $manifest.ContainsKey('NestedModules') | Should -BeFalse
    }
}

Describe '<Name>' -ForEach $cmdlets {
    BeforeAll {
        $command = Get-Command $Name
        $attribute = Get-CmdletAttribute $Name
        $help = Get-Help $Name -Full
        $own = @($command.Parameters.Values | Where-Object Name -notin $common)
    }

    It 'uses an approved verb' {
        (Get-Verb).Verb | Should -Contain $command.Verb
    }

    It 'is a sealed class' {
        $command.ImplementingType.IsSealed | Should -BeTrue
    }

    It 'declares its output type' {
        $command.OutputType | Should -Not -BeNullOrEmpty
    }

    It 'supports -WhatIf and -Confirm when its verb changes something' {
        if ($command.Verb -in $changingVerbs) { $attribute.SupportsShouldProcess | Should -BeTrue -Because "$Name changes state" }
        else { $attribute.SupportsShouldProcess | Should -BeFalse -Because "$Name only reads" }
    }

    It 'asks for confirmation by default when its verb destroys' {
        if ($command.Verb -in $destructiveVerbs) { $attribute.ConfirmImpact | Should -Be 'High' }
        else { $attribute.ConfirmImpact | Should -Not -Be 'High' -Because 'only destructive or irreversible cmdlets ask by default' }
    }

    It 'has a synopsis, a description and at least one example' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match "^\s*$Name\s*\[" -Because 'an auto-generated synopsis means the MAML was not found'
        ($help.description.Text -join '') | Should -Not -BeNullOrEmpty
        @($help.examples.example).Count | Should -BeGreaterThan 0
    }

    It 'documents every parameter, and no parameter it lacks' {
        $documented = @($help.parameters.parameter | Where-Object { ($_.description.Text -join '').Trim() } | ForEach-Object name)
        foreach ($p in $own) { $documented | Should -Contain $p.Name }
        foreach ($d in $documented) { $own.Name | Should -Contain $d }
    }

    It 'binds AccountId and Region from the pipeline by property name when it works per account' -Skip:(-not (Get-Command $Name).Parameters.ContainsKey('AccountId')) {
        foreach ($name in 'AccountId', 'Region') {
            $command.Parameters.Keys | Should -Contain $name
            $command.Parameters[$name].Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] }).ValueFromPipelineByPropertyName |
                Should -Contain $true -Because "-$name must bind from Get-OrgAccount output"
        }
    }

    It 'takes the common AWS parameters when it calls AWS' -Skip:($Name -like '*CloudSandbox*') {
        foreach ($name in 'Region', 'ProfileName', 'AccessKey', 'SecretKey', 'SessionToken', 'EndpointUrl', 'RoleName', 'ExternalId') {
            $command.Parameters.Keys | Should -Contain $name
        }
    }
}
