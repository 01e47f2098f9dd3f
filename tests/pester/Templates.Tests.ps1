# Every bundled template passes cfn-lint without errors and the AWS Control Tower cfn-guard rules, except for
# suppressions that the template states, with a reason, in the resource's Metadata.
BeforeDiscovery {
    $root = Join-Path $PSScriptRoot '../../templates'
    $script:templates = @(Get-ChildItem $root -Filter '*.yaml' -Recurse | ForEach-Object { @{ Name = [System.IO.Path]::GetRelativePath($root, $_.FullName); Path = $_.FullName } })
}

BeforeAll {
    # Installed by build.ps1 (Install-TemplateTools) before the Pester run; a missing tool fails these tests.
    $script:guardPackage = if ($env:CLOUDPATTERNS_CFN_GUARD_PACKAGE) { $env:CLOUDPATTERNS_CFN_GUARD_PACKAGE } else { Join-Path $PSScriptRoot '../../.build/cfn-guard/node_modules/@cdklabs/cdk-validator-cfnguard' }
    $script:guard = Join-Path $guardPackage 'bin/ubuntu/x86_64/cfn-guard'
    $script:rules = Join-Path $guardPackage 'rules/control-tower/cfn-guard'

    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
}

Describe 'Template <Name>' -ForEach $templates {
    It 'has no cfn-lint errors' {
        $lint = Get-Command cfn-lint -CommandType Application -ErrorAction SilentlyContinue
        $lint | Should -Not -BeNullOrEmpty -Because 'cfn-lint must be installed (pip install cfn-lint) for the template tests'
        $output = & $lint.Source $Path 2>&1 | Out-String
        # cfn-lint's exit code is a bit mask: 1 fatal, 2 errors, 4 warnings, 8 informational.
        ($LASTEXITCODE -band 3) | Should -Be 0 -Because $output
    }

    It 'passes the Control Tower cfn-guard rules, with a stated reason for every suppression' {
        $guard | Should -Exist -Because 'build.ps1 installs npm @cdklabs/cdk-validator-cfnguard before the tests'
        $report = & $guard validate --data $Path --rules $rules --structured --output-format json --show-summary none 2>$null | Out-String
        $report | Should -Not -BeNullOrEmpty
        $failures = foreach ($rule in (ConvertFrom-Json $report -Depth 100)[0].not_compliant) {
            $resources = [regex]::Matches(($rule | ConvertTo-Json -Depth 100 -Compress), '/Resources/([A-Za-z0-9]+)') | ForEach-Object { $_.Groups[1].Value }
            foreach ($resource in $resources | Sort-Object -Unique) { "$resource $($rule.Rule.name)" }
        }

        $template = ConvertFrom-TemplateYaml $Path
        $suppressed = foreach ($entry in $template.Resources.GetEnumerator()) {
            $metadata = $entry.Value['Metadata']
            if ($null -eq $metadata -or $null -eq $metadata['guard']) { continue }
            foreach ($rule in $metadata['guard']['SuppressedRules']) {
                $reason = if ($metadata['cfnGuardSuppressionReasons']) { $metadata['cfnGuardSuppressionReasons'][$rule] }
                "$($entry.Key) $rule" | Should -Not -BeNullOrEmpty
                $reason | Should -Not -BeNullOrEmpty -Because "$($entry.Key) suppresses $rule, so Metadata.cfnGuardSuppressionReasons must say why"
                "$($entry.Key) $rule"
            }
        }

        @($failures | Where-Object { $_ -notin $suppressed } | Sort-Object -Unique) | Should -BeNullOrEmpty -Because 'a rule that fails must be fixed or suppressed with a reason'
        @($suppressed | Where-Object { $_ -notin $failures }) | Should -BeNullOrEmpty -Because 'a suppression of a rule that passes is stale'
    }
}
