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
    $script:changingVerbs = 'New', 'Set', 'Remove', 'Start', 'Stop', 'Invoke', 'Update', 'Sync', 'Clear', 'Add', 'Export', 'Register', 'Unregister', 'Enable', 'Disable', 'Restore', 'Install', 'Publish'
    $script:destructiveVerbs = 'Remove', 'Unregister'
    # Disruptive under another verb: a failover moves production's traffic (and its restores and capacity cost money).
    $script:highImpactCommands = 'Invoke-DrFailover'
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
        if ($command.Verb -in $destructiveVerbs -or $Name -in $highImpactCommands) { $attribute.ConfirmImpact | Should -Be 'High' }
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

    # Get-CloudPatternsPolicy calls no AWS API: its -AccountId only fills in the policy's resources.
    It 'binds AccountId and Region from the pipeline by property name when it works per account' -Skip:(-not (Get-Command $Name).Parameters.ContainsKey('AccountId') -or $Name -eq 'Get-CloudPatternsPolicy') {
        foreach ($name in 'AccountId', 'Region') {
            $command.Parameters.Keys | Should -Contain $name
            $command.Parameters[$name].Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] }).ValueFromPipelineByPropertyName |
                Should -Contain $true -Because "-$name must bind from Get-OrgAccount output"
        }
    }

    It 'takes the common AWS parameters when it calls AWS' -Skip:($Name -like '*CloudSandbox*' -or $Name -eq 'Get-CloudPatternsPolicy') {
        foreach ($name in 'Region', 'ProfileName', 'AccessKey', 'SecretKey', 'SessionToken', 'EndpointUrl', 'RoleName', 'ExternalId') {
            $command.Parameters.Keys | Should -Contain $name
        }
    }
}

# The one cmdlet skeleton (issue 13): shallow hierarchy, ErrorIds from the closed list, progress always completed,
# and a prompt that fails never leaves the command waiting.
Describe 'The cmdlet skeleton' {
    BeforeAll {
        $script:assembly = (Get-Command Start-CloudSandbox).ImplementingType.Assembly
        $script:reasons = [enum]::GetNames([CloudPatterns.PowerShell.Infrastructure.ErrorReason])
        # PowerShell's own ids for what the engine refuses before a cmdlet runs (parameter binding and validation).
        $script:engineIds = 'ParameterArgumentValidationError', 'ParameterArgumentTransformationError', 'NamedParameterNotFound', 'MissingMandatoryParameter', 'AmbiguousParameterSet', 'HostFunctionNotImplemented'
        $script:manifestPath = Join-Path (Get-Module CloudPatterns).ModuleBase 'CloudPatterns.psd1'
        # Our base classes: every class between the cmdlet and PSCmdlet that PowerShell itself does not define.
        function Get-OwnBaseCount([type] $Type) {
            $count = 0
            for ($base = $Type.BaseType; $base -ne [System.Management.Automation.PSCmdlet]; $base = $base.BaseType) {
                if ($base.Assembly -ne [System.Management.Automation.PSCmdlet].Assembly) { $count++ }
            }
            $count
        }
        function Get-CompletedProgress([string] $Script) {
            $runspace = [runspacefactory]::CreateRunspace()
            $runspace.Open()
            $shell = [powershell]::Create()
            $shell.Runspace = $runspace
            try {
                $null = $shell.AddScript("Import-Module '$manifestPath' -ErrorAction Stop`n`$ProgressPreference = 'Continue'`n$Script")
                $null = $shell.Invoke()
                [pscustomobject]@{ Records = @($shell.Streams.Progress); Errors = @($shell.Streams.Error) }
            }
            finally {
                $shell.Dispose()
                $runspace.Dispose()
            }
        }
    }

    It 'has no cmdlet more than two of our classes above PSCmdlet' {
        $cmdletTypes = @($assembly.GetExportedTypes() | Where-Object { $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) })
        $cmdletTypes.Count | Should -BeGreaterThan 20
        foreach ($type in $cmdletTypes) {
            Get-OwnBaseCount $type | Should -BeLessOrEqual 2 -Because "$($type.Name) derives from $($type.BaseType.Name)"
        }
    }

    It 'counts a third level of base class as too deep' {
        # The rule above must be able to fail: a cmdlet under a third base class of ours counts three.
        $module = [System.Reflection.Emit.AssemblyBuilder]::DefineDynamicAssembly([System.Reflection.AssemblyName]::new('ConventionProbe'), 'Run').DefineDynamicModule('ConventionProbe')
        $attributes = [System.Reflection.TypeAttributes]'Public, Abstract, Class'
        $third = $module.DefineType('ThirdBase', $attributes, [CloudPatterns.PowerShell.Infrastructure.FanOutCmdlet]).CreateType()
        $probe = $module.DefineType('ProbeCommand', $attributes, $third).CreateType()
        Get-OwnBaseCount $probe | Should -Be 3
        Get-OwnBaseCount ([CloudPatterns.PowerShell.Cmdlets.NewMultiAzStackCommand]) | Should -Be 2
    }

    It 'writes ErrorRecords only through the one mapping (ErrorRecords), with reasons from the closed list' {
        $sources = Get-ChildItem (Join-Path $PSScriptRoot '../../src/CloudPatterns.PowerShell') -Recurse -Filter *.cs | Where-Object FullName -notmatch '[\\/](obj|bin)[\\/]'
        $sources.Count | Should -BeGreaterThan 10
        foreach ($file in $sources | Where-Object Name -ne 'ErrorRecords.cs') {
            $text = Get-Content -Raw $file.FullName
            $text | Should -Not -Match 'new ErrorRecord\(' -Because "$($file.Name) must map errors through ErrorRecords"
            $text | Should -Not -Match 'ThrowTerminating\w*\([^;]*"[A-Za-z]+",\s*ErrorCategory' -Because "$($file.Name) must name an ErrorReason, not a string"
        }
    }

    It 'asserts only ErrorIds from the closed list in the module tests' {
        $ids = foreach ($file in Get-ChildItem $PSScriptRoot -Filter *.Tests.ps1) {
            [regex]::Matches((Get-Content -Raw $file.FullName), "'([A-Za-z]+),CloudPatterns\.PowerShell\.Cmdlets\.\w+'") | ForEach-Object { $_.Groups[1].Value }
        }
        @($ids).Count | Should -BeGreaterThan 10
        foreach ($id in $ids | Sort-Object -Unique) { ($reasons + $engineIds) | Should -Contain $id }
    }

    Context 'against a sandbox' {
        BeforeAll {
            $script:sandbox = Start-CloudSandbox -Force
            $script:certificate = New-SandboxCertificate
        }

        AfterAll { Stop-CloudSandbox }

        It 'writes a failing target''s ErrorId from the closed list, with AWS''s details in the exception data' {
            $errors = @(Test-MultiAzResilience -StackName missing -ErrorAction SilentlyContinue -ErrorVariable failed; $failed)
            $errors | Should -Not -BeNullOrEmpty
            foreach ($record in $errors) { $reasons | Should -Contain ($record.FullyQualifiedErrorId -split ',')[0] }
        }

        It 'completes every progress activity it opens, in a reader and in a deployment' {
            foreach ($script in "Get-PatternStack -Region us-east-2, us-west-2", "New-MultiAzStack -StackName conventions -CertificateArn '$certificate' -Confirm:`$false") {
                $run = Get-CompletedProgress $script
                $run.Errors | Should -BeNullOrEmpty
                $run.Records | Should -Not -BeNullOrEmpty -Because "$script reports progress"
                foreach ($activity in $run.Records | Group-Object ActivityId) {
                    $activity.Group[-1].RecordType | Should -Be 'Completed' -Because "activity $($activity.Name) ($($activity.Group[0].Activity)) of '$script' must be completed"
                }
            }
        }

        It 'ends with an error, not a wait, when the host cannot prompt' {
            # A runspace without a host UI cannot ask -Confirm's question: the prompt throws on the pipeline thread
            # while the plan waits for the answer on a worker.
            $shell = [powershell]::Create()
            try {
                $null = $shell.AddScript("Import-Module '$manifestPath' -ErrorAction Stop; New-MultiAzStack -StackName prompted -CertificateArn '$certificate' -Confirm")
                $handle = $shell.BeginInvoke()
                $handle.AsyncWaitHandle.WaitOne([timespan]::FromSeconds(60)) | Should -BeTrue -Because 'the command must end'
                $null = $shell.EndInvoke($handle)
                @($shell.Streams.Error.FullyQualifiedErrorId) | Should -Be @('HostFunctionNotImplemented,CloudPatterns.PowerShell.Cmdlets.NewMultiAzStackCommand')
                @(Get-PatternStack -StackName prompted -WarningAction SilentlyContinue) | Should -BeNullOrEmpty -Because 'nothing was approved'
            }
            finally { $shell.Dispose() }
        }
    }
}
