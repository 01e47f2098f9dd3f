<#
.SYNOPSIS
    Cold Import-Module overhead of CloudPatterns over a bare pwsh start, measured in one run (interleaved, median).
.EXAMPLE
    dotnet pwsh ./bench/import.ps1 -Runs 15
#>
param(
    [int] $Runs = 11,
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/CloudPatterns/CloudPatterns.psd1')
)
$ErrorActionPreference = 'Stop'
if (-not (Test-Path $ModulePath)) { throw "Build first: $ModulePath is missing (./build.ps1 -Task Build)." }
$ModulePath = (Resolve-Path $ModulePath).Path
# The same host the user runs: the pwsh of this process.
$pwsh = [System.Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
[string[]] $prefix = if ([System.IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { @(Join-Path $PSHOME 'pwsh.dll') } else { @() }

function Measure-Start([string] $Command) {
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    & $pwsh @prefix -NoProfile -NonInteractive -Command $Command | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "pwsh -c '$Command' failed." }
    return $watch.Elapsed.TotalMilliseconds
}

Measure-Start '1' | Out-Null   # warm the OS file cache once for both
$bare = [System.Collections.Generic.List[double]]::new()
$import = [System.Collections.Generic.List[double]]::new()
for ($i = 0; $i -lt $Runs; $i++) {
    $bare.Add((Measure-Start '1'))
    $import.Add((Measure-Start "Import-Module '$ModulePath'; 1"))
}
function Median($values) { $s = $values | Sort-Object; $s[[int][math]::Floor($s.Count / 2)] }
$bareMedian = Median $bare
$importMedian = Median $import
'bare pwsh start (median of {0}): {1:0} ms' -f $Runs, $bareMedian
'pwsh start + Import-Module CloudPatterns (median of {0}): {1:0} ms' -f $Runs, $importMedian
'import_overhead_ms={0:0}' -f ($importMedian - $bareMedian)
