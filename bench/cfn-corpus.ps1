<#
.SYNOPSIS
    How much of a corpus of public real-world CloudFormation templates (tests/cfn-corpus, see its README) LocalCloud
    deploys: cfn-lint on every template, then CreateStack of each cfn-lint-clean one in a fresh sandbox with
    plausible parameter values. Prints deployed=<n> of <cfn-lint-clean>, the causes of the failures (grouped), the
    same figure without the templates that fail in AWS too (tests/cfn-corpus/aws-failures.json:
    deploy_rate_aws_deployable=<y>), and deploy_rate=<x> on its last line. -Verbose lists every failing template
    with its message.
.EXAMPLE
    dotnet pwsh ./bench/cfn-corpus.ps1
.EXAMPLE
    dotnet pwsh ./bench/cfn-corpus.ps1 -Verbose -LintCache /tmp/cfn-lint.json
#>
[CmdletBinding()]
param(
    [string] $Corpus = (Join-Path $PSScriptRoot '../tests/cfn-corpus'),
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/CloudPatterns/CloudPatterns.psd1'),
    # A file that keeps cfn-lint's verdicts between runs (read instead of linting again when it exists).
    [string] $LintCache
)
$ErrorActionPreference = 'Stop'
if (-not (Test-Path $ModulePath)) { throw "Build first: $ModulePath is missing (./build.ps1 -Task Build)." }
if (-not (Get-Command cfn-lint -ErrorAction SilentlyContinue)) { throw 'cfn-lint is missing: pip install cfn-lint.' }
Import-Module $ModulePath -Force
$null = Start-CloudSandbox -Force
try {
    $arguments = @((Join-Path $PSScriptRoot 'cfn-corpus.py'), (Resolve-Path $Corpus).Path)
    if ($VerbosePreference -eq 'Continue') { $arguments += '--verbose' }
    if ($LintCache) { $arguments += @('--lint-cache', $LintCache) }
    & python3 @arguments
    if ($LASTEXITCODE -ne 0) { throw "cfn-corpus.py failed with exit code $LASTEXITCODE." }
}
finally {
    Stop-CloudSandbox
}
