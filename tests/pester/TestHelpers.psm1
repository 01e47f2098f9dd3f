# Shared by the Pester files: import the built module (never a source copy) and start/stop LocalCloud.
function Import-CloudPatternsUnderTest {
    $manifest = if ($env:CLOUDPATTERNS_MODULE) { $env:CLOUDPATTERNS_MODULE } else { Join-Path $PSScriptRoot '../../out/CloudPatterns/CloudPatterns.psd1' }
    if (-not (Test-Path $manifest)) { throw "The built module was not found at $manifest. Run ./build.ps1 -Task Build first." }
    Import-Module $manifest -Force -Global -ErrorAction Stop
}

# What tab offers at the end of a command line: the completion texts, in the order offered.
function Get-CompletionText([string] $Line) {
    @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches | ForEach-Object CompletionText)
}

Export-ModuleMember -Function Import-CloudPatternsUnderTest, Get-CompletionText
