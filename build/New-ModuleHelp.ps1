<#
.SYNOPSIS
    Writes the module's MAML help (en-US/CloudPatterns.dll-Help.xml) from docs/help/<Cmdlet>.md.
.DESCRIPTION
    platyPS is not available here, so this is the build's own generator. Each markdown file has the sections
    SYNOPSIS, DESCRIPTION, PARAMETERS (### -Name), EXAMPLES (### title, a ```powershell block, then prose),
    RELATED LINKS (- [text](uri) or plain lines). Syntax and parameter attributes come from the built cmdlets
    themselves, so help cannot name a parameter that does not exist: the build fails instead.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$docs = Join-Path $PSScriptRoot '../docs/help'
$commonParameters = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters

function ConvertFrom-HelpMarkdown([string] $Path) {
    $sections = [ordered]@{}
    $current = $null
    foreach ($line in Get-Content $Path) {
        if ($line -match '^## (.+)$') { $current = $Matches[1].Trim(); $sections[$current] = [System.Collections.Generic.List[string]]::new(); continue }
        if ($null -ne $current) { $sections[$current].Add($line) }
    }
    return $sections
}

function Split-Subsections([System.Collections.Generic.List[string]] $Lines) {
    $items = [ordered]@{}
    $current = $null
    foreach ($line in $Lines) {
        if ($line -match '^### (.+)$') { $current = $Matches[1].Trim(); $items[$current] = [System.Collections.Generic.List[string]]::new(); continue }
        if ($null -ne $current) { $items[$current].Add($line) }
    }
    return $items
}

function Get-Paragraphs([System.Collections.Generic.IEnumerable[string]] $Lines) {
    $text = ($Lines -join "`n").Trim()
    if (-not $text) { return @() }
    return @($text -split "\n\s*\n" | ForEach-Object { ($_ -replace '\s*\n\s*', ' ').Trim() })
}

function Add-Element($Parent, [string] $Name, [string] $Text) {
    $prefix, $local = $Name.Split(':')
    $ns = @{ maml = 'http://schemas.microsoft.com/maml/2004/10'; command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'; dev = 'http://schemas.microsoft.com/maml/dev/2004/10' }[$prefix]
    $element = $Parent.OwnerDocument.CreateElement($prefix, $local, $ns)
    if ($PSBoundParameters.ContainsKey('Text')) { $element.InnerText = $Text }
    [void]$Parent.AppendChild($element)
    return $element
}

function Add-Paragraphs($Parent, [string[]] $Paragraphs) {
    foreach ($p in $Paragraphs) { [void](Add-Element $Parent 'maml:para' $p) }
}

$shared = Split-Subsections (ConvertFrom-HelpMarkdown (Join-Path $docs '_CommonParameters.md'))['PARAMETERS']
Import-Module $ModulePath -Force
$module = Get-Module CloudPatterns
$xml = [xml]'<?xml version="1.0" encoding="utf-8"?><helpItems schema="maml" xmlns="http://msh" />'
$problems = [System.Collections.Generic.List[string]]::new()

foreach ($name in $module.ExportedCmdlets.Keys | Sort-Object) {
    $command = Get-Command $name
    $file = Join-Path $docs "$name.md"
    if (-not (Test-Path $file)) { $problems.Add("$name has no help file docs/help/$name.md"); continue }
    $md = ConvertFrom-HelpMarkdown $file
    foreach ($required in 'SYNOPSIS', 'DESCRIPTION', 'EXAMPLES') {
        if (-not $md.Contains($required) -or -not (($md[$required] -join '').Trim())) { $problems.Add("$name help has no $required") }
    }
    $parameterHelp = if ($md.Contains('PARAMETERS')) { Split-Subsections $md['PARAMETERS'] } else { [ordered]@{} }
    $ownParameters = @($command.Parameters.Values | Where-Object { $_.Name -notin $commonParameters })
    foreach ($documented in @($parameterHelp.Keys)) { if ($documented.TrimStart('-') -notin $ownParameters.Name) { $problems.Add("$name help documents $documented, which the cmdlet does not have") } }
    foreach ($p in $ownParameters) {
        if ($parameterHelp.Contains("-$($p.Name)")) { continue }
        if ($shared.Contains("-$($p.Name)")) { $parameterHelp["-$($p.Name)"] = $shared["-$($p.Name)"] }
        else { $problems.Add("$name -$($p.Name) has no help") }
    }

    $verb, $noun = $name.Split('-', 2)
    $cmd = Add-Element $xml.DocumentElement 'command:command'
    $details = Add-Element $cmd 'command:details'
    [void](Add-Element $details 'command:name' $name)
    [void](Add-Element $details 'command:verb' $verb)
    [void](Add-Element $details 'command:noun' $noun)
    Add-Paragraphs (Add-Element $details 'maml:description') (Get-Paragraphs $md['SYNOPSIS'])
    Add-Paragraphs (Add-Element $cmd 'maml:description') (Get-Paragraphs $md['DESCRIPTION'])

    $syntax = Add-Element $cmd 'command:syntax'
    foreach ($set in $command.ParameterSets) {
        $item = Add-Element $syntax 'command:syntaxItem'
        [void](Add-Element $item 'maml:name' $name)
        foreach ($p in $set.Parameters | Where-Object { $_.Name -notin $commonParameters }) {
            $pe = Add-Element $item 'command:parameter'
            $pe.SetAttribute('required', "$($p.IsMandatory)".ToLower())
            $pe.SetAttribute('position', $(if ($p.Position -ge 0) { "$($p.Position)" } else { 'named' }))
            [void](Add-Element $pe 'maml:name' $p.Name)
            if ($p.ParameterType -ne [System.Management.Automation.SwitchParameter]) {
                $type = Add-Element $pe 'command:parameterValue' $p.ParameterType.Name
                $type.SetAttribute('required', 'true')
            }
        }
    }

    $parameters = Add-Element $cmd 'command:parameters'
    foreach ($p in $ownParameters) {
        $attributes = @($p.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
        $pe = Add-Element $parameters 'command:parameter'
        $pe.SetAttribute('required', "$([bool]($attributes | Where-Object Mandatory))".ToLower())
        $pe.SetAttribute('pipelineInput', $(if ($attributes | Where-Object ValueFromPipelineByPropertyName) { 'True (ByPropertyName)' } elseif ($attributes | Where-Object ValueFromPipeline) { 'True (ByValue)' } else { 'False' }))
        $positions = @($attributes | Where-Object Position -ge 0 | ForEach-Object Position)
        $pe.SetAttribute('position', $(if ($positions.Count) { "$($positions[0])" } else { 'named' }))
        $pe.SetAttribute('aliases', $(if ($p.Aliases.Count) { $p.Aliases -join ', ' } else { 'none' }))
        [void](Add-Element $pe 'maml:name' $p.Name)
        Add-Paragraphs (Add-Element $pe 'maml:description') (Get-Paragraphs $parameterHelp["-$($p.Name)"])
        $value = Add-Element $pe 'command:parameterValue' $p.ParameterType.Name
        $value.SetAttribute('required', 'true')
        $type = Add-Element $pe 'dev:type'
        [void](Add-Element $type 'maml:name' $p.ParameterType.FullName)
    }

    $outputs = Add-Element $cmd 'command:returnValues'
    foreach ($t in $command.OutputType) {
        $rv = Add-Element $outputs 'command:returnValue'
        $type = Add-Element $rv 'dev:type'
        [void](Add-Element $type 'maml:name' $t.Name)
    }

    $examples = Add-Element $cmd 'command:examples'
    $index = 0
    foreach ($entry in (Split-Subsections $md['EXAMPLES']).GetEnumerator()) {
        $index++
        $lines = $entry.Value
        $start = $lines.FindIndex([Predicate[string]] { param($l) $l -match '^```' })
        $end = if ($start -ge 0) { $lines.FindIndex($start + 1, [Predicate[string]] { param($l) $l -match '^```' }) } else { -1 }
        if ($start -lt 0 -or $end -lt 0) { $problems.Add("$name example '$($entry.Key)' has no code block"); continue }
        $example = Add-Element $examples 'command:example'
        [void](Add-Element $example 'maml:title' "-------------------------- Example ${index}: $($entry.Key) --------------------------")
        [void](Add-Element $example 'dev:code' (($lines[($start + 1)..($end - 1)]) -join "`n"))
        Add-Paragraphs (Add-Element $example 'dev:remarks') (Get-Paragraphs $lines.GetRange($end + 1, $lines.Count - $end - 1))
    }
    if ($index -eq 0) { $problems.Add("$name help has no example") }

    $links = Add-Element $cmd 'command:relatedLinks'
    if ($md.Contains('RELATED LINKS')) {
        foreach ($line in $md['RELATED LINKS'] | Where-Object { $_.Trim() }) {
            $link = Add-Element $links 'maml:navigationLink'
            if ($line -match '\[(.+?)\]\((.+?)\)') { [void](Add-Element $link 'maml:linkText' $Matches[1]); [void](Add-Element $link 'maml:uri' $Matches[2]) }
            else { [void](Add-Element $link 'maml:linkText' ($line.Trim() -replace '^-\s*', '')); [void](Add-Element $link 'maml:uri' '') }
        }
    }
}

if ($problems.Count) { throw "Help is incomplete:`n  " + ($problems -join "`n  ") }
$target = Join-Path (Split-Path $ModulePath) 'en-US'
New-Item -ItemType Directory -Force $target | Out-Null
$xml.Save((Join-Path $target 'CloudPatterns.dll-Help.xml'))
