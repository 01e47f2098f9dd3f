<#
.SYNOPSIS
    Load time and retained memory of the CloudFormation resource specification LocalCloud validates templates with.
.EXAMPLE
    dotnet pwsh ./bench/cfn-spec.ps1
#>
param([string] $LocalCloudPath = (Join-Path $PSScriptRoot '../out/CloudPatterns/LocalCloud'))
$ErrorActionPreference = 'Stop'
$assembly = Join-Path $LocalCloudPath 'CloudPatterns.LocalCloud.CloudFormation.dll'
if (-not (Test-Path $assembly)) { throw "Build first: $assembly is missing (./build.ps1 -Task Build)." }
Add-Type -Path (Join-Path $LocalCloudPath 'YamlDotNet.dll')
$loaded = [System.Reflection.Assembly]::LoadFrom((Resolve-Path $assembly).Path)
$type = $loaded.GetType('CloudPatterns.LocalCloud.CloudFormation.Specification.ResourceSpecification')
$stream = $loaded.GetManifestResourceStream('aws-service-spec.db.json.gz')
[GC]::Collect()
$before = [GC]::GetTotalMemory($true)
$watch = [System.Diagnostics.Stopwatch]::StartNew()
$spec = $type::Load($stream)
$watch.Stop()
$retained = [GC]::GetTotalMemory($true) - $before
'resource_types={0}' -f $spec.ResourceTypeCount
'load_ms={0:0}' -f $watch.Elapsed.TotalMilliseconds
'retained_mib={0:0.0}' -f ($retained / 1MB)
