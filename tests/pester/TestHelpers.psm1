# Shared by the Pester files: import the built module (never a source copy) and start/stop LocalCloud.
function Import-CloudPatternsUnderTest {
    $manifest = if ($env:CLOUDPATTERNS_MODULE) { $env:CLOUDPATTERNS_MODULE } else { Join-Path $PSScriptRoot '../../out/CloudPatterns/CloudPatterns.psd1' }
    if (-not (Test-Path $manifest)) { throw "The built module was not found at $manifest. Run ./build.ps1 -Task Build first." }
    Import-Module $manifest -Force -Global -ErrorAction Stop
}

Export-ModuleMember -Function Import-CloudPatternsUnderTest
