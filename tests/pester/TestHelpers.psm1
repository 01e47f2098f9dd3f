# Shared by the Pester files: import the built module (never a source copy) and start/stop LocalCloud.
function Get-ManifestUnderTest {
    $manifest = if ($env:CLOUDPATTERNS_MODULE) { $env:CLOUDPATTERNS_MODULE } else { Join-Path $PSScriptRoot '../../out/CloudPatterns/CloudPatterns.psd1' }
    if (-not (Test-Path $manifest)) { throw "The built module was not found at $manifest. Run ./build.ps1 -Task Build first." }
    $manifest
}

function Import-CloudPatternsUnderTest {
    Import-Module (Get-ManifestUnderTest) -Force -Global -ErrorAction Stop
}

# Runs a script with -Verbose, -Debug and every other preference at Continue, in a new runspace of this process (so
# the sandbox's environment applies), and returns the text each stream received. Redirection cannot capture progress;
# the PowerShell API's stream collections can. Output objects are given as JSON and as their table view; errors with
# their exception chain, details and target. A terminating error ends the script and is kept as an error.
function Invoke-WithEveryStream([string] $Script, [hashtable] $Variables = @{}) {
    $runspace = [runspacefactory]::CreateRunspace()
    $runspace.Open()
    $shell = [powershell]::Create()
    $shell.Runspace = $runspace
    try {
        foreach ($name in $Variables.Keys) { $runspace.SessionStateProxy.SetVariable($name, $Variables[$name]) }
        $preamble = "Import-Module '$(Get-ManifestUnderTest)' -ErrorAction Stop`n" +
            "`$VerbosePreference = `$DebugPreference = `$InformationPreference = `$ProgressPreference = `$WarningPreference = 'Continue'`n"
        $null = $shell.AddScript($preamble + $Script)
        $errors = [System.Collections.Generic.List[object]]::new()
        $output = try { @($shell.Invoke()) } catch { $errors.Add($_.Exception.InnerException.ErrorRecord ?? $_); @() }
        $errors.AddRange(@($shell.Streams.Error))
        [pscustomobject]@{
            Output      = ($output | ForEach-Object { ConvertTo-Json -InputObject $_ -Depth 5 -WarningAction SilentlyContinue; $_ | Out-String -Width 400 }) -join "`n"
            Error       = ($errors | ForEach-Object { $_.FullyQualifiedErrorId; $_ | Out-String -Width 400; $_.Exception.ToString(); "$($_.ErrorDetails) $($_.ErrorDetails.RecommendedAction)"; "$($_.TargetObject)" }) -join "`n"
            Warning     = @($shell.Streams.Warning.Message) -join "`n"
            Verbose     = @($shell.Streams.Verbose.Message) -join "`n"
            Debug       = @($shell.Streams.Debug.Message) -join "`n"
            Information = @($shell.Streams.Information | ForEach-Object { "$($_.MessageData)" }) -join "`n"
            Progress    = @($shell.Streams.Progress | ForEach-Object { $_.Activity; $_.StatusDescription; $_.CurrentOperation }) -join "`n"
        }
    }
    finally {
        $shell.Dispose()
        $runspace.Dispose()
    }
}

# Which secrets a text holds: each secret given, found verbatim, and anything shaped like a LocalCloud session token
# (STS session tokens are long base64; LocalCloud's are 240 characters).
function Find-Secret([string] $Text, [string[]] $Secret) {
    foreach ($value in $Secret) { if ($Text.Contains($value)) { "secret $($value.Substring(0, 4))..." } }
    foreach ($match in [regex]::Matches($Text, '[A-Za-z0-9+/]{200,}={0,2}')) { "session token $($match.Value.Substring(0, 8))..." }
}

# Every AWS call LocalCloud received (the request log, one entry per attempt) is told by one verbose line
# "<Service> <Operation> in <account> <region>: ..."; GetCallerIdentity, which each run makes to learn its account,
# says "caller account". Returns the differences as "<operation> <account> <region>: <logged> logged, <told> told".
function Compare-VerboseWithRequestLog([string] $Verbose, [object[]] $Requests) {
    $told = @([regex]::Matches($Verbose, '(?m)^\S+ (?<operation>[A-Za-z0-9]+) in (?<account>\d{12}|caller account) (?<region>[a-z0-9-]+): ') |
        ForEach-Object { "$($_.Groups['operation']) $($_.Groups['account']) $($_.Groups['region'])" })
    $logged = @($Requests | ForEach-Object { "$($_.Operation) $(if ($_.Operation -eq 'GetCallerIdentity') { 'caller account' } else { $_.AccountId }) $($_.Region)" })
    foreach ($key in @($logged) + @($told) | Sort-Object -Unique) {
        $loggedCount = @($logged -eq $key).Count
        $toldCount = @($told -eq $key).Count
        if ($loggedCount -ne $toldCount) { "${key}: $loggedCount logged, $toldCount told" }
    }
}

# What tab offers at the end of a command line: the completion texts, in the order offered.
function Get-CompletionText([string] $Line) {
    @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches | ForEach-Object CompletionText)
}

Export-ModuleMember -Function Import-CloudPatternsUnderTest, Get-CompletionText, Invoke-WithEveryStream, Find-Secret, Compare-VerboseWithRequestLog
