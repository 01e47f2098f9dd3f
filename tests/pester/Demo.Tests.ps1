# The README's first command runs build/Demo.ps1: it must keep working as the module and LocalCloud change.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:manifest = Get-ManifestUnderTest
}

Describe 'The demo (build/Demo.ps1)' {
    It 'runs every pattern against a fresh sandbox and ends with the drifted stack healed' {
        $demo = Join-Path $PSScriptRoot '../../build/Demo.ps1'
        $output = & ([Environment]::ProcessPath) (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File $demo -ModulePath $manifest *>&1 | Out-String
        $LASTEXITCODE | Should -Be 0 -Because $output
        $output | Should -Match 'Drifted->Healed'
        $output | Should -Match 'Audit report: '
    }
}
