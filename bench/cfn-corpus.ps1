<#
.SYNOPSIS
    How much of a corpus of public real-world CloudFormation templates (kept outside the repository, see
    tests/cfn-corpus/README.md for where each comes from and how to put them in place) LocalCloud
    deploys: cfn-lint on every template, then CreateStack of each cfn-lint-clean one in a fresh sandbox with
    plausible parameter values. Prints deployed=<n> of <cfn-lint-clean>, the causes of the failures (grouped), the
    same figure without the templates that fail in AWS too (tests/cfn-corpus/aws-failures.json:
    deploy_rate_aws_deployable=<y>), and deploy_rate=<x> on its last line. -Verbose lists every failing template
    with its message.
.EXAMPLE
    dotnet pwsh ./bench/cfn-corpus.ps1
.EXAMPLE
    dotnet pwsh ./bench/cfn-corpus.ps1 -Verbose -LintCache /tmp/cfn-lint.json

    Template-only sets whose Lambda code the repository's scripts package: the full trees in <Corpus>-src.
.EXAMPLE
    dotnet pwsh ./bench/cfn-corpus.ps1 -Corpus /work/shared/cfn-sets/sra -Sources /work/shared/cfn-sets/sra-src
#>
[CmdletBinding()]
param(
    # The folder holding the templates (one subfolder per source repository, its paths kept). Not in the repository:
    # public templates are not committed here (tests/cfn-corpus/README.md).
    [string] $Corpus = ($env:CLOUDPATTERNS_CFN_CORPUS ? $env:CLOUDPATTERNS_CFN_CORPUS : (Join-Path $PSScriptRoot '../../shared/cfn-corpus')),
    # The templates that fail in AWS too, with their reasons (ours, in the repository).
    [string] $Failures = (Join-Path $PSScriptRoot '../tests/cfn-corpus/aws-failures.json'),
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/CloudPatterns/CloudPatterns.psd1'),
    # A file that keeps cfn-lint's verdicts between runs (read instead of linting again when it exists).
    [string] $LintCache,
    # The source repositories' full trees (one <owner>+<repo>/ each, outside the repository), from which the benchmark
    # zips a function's code that the template expects staged in S3; by default the folder <Corpus>-src next to the
    # corpus, when it exists.
    [string] $Sources = ($Corpus.TrimEnd('/', '\') + '-src'),
    # Measures only the templates whose path under the corpus matches this regular expression (the others still
    # serve as exporters and nested templates); for looking into a few failures.
    [string] $Only
)
$ErrorActionPreference = 'Stop'
if (-not (Test-Path $Corpus -PathType Container)) {
    throw "The corpus folder $Corpus does not exist. Put the templates listed in tests/cfn-corpus/README.md there (or give -Corpus / set CLOUDPATTERNS_CFN_CORPUS)."
}
if (-not (Test-Path $ModulePath)) { throw "Build first: $ModulePath is missing (./build.ps1 -Task Build)." }
if (-not (Get-Command cfn-lint -ErrorAction SilentlyContinue)) { throw 'cfn-lint is missing: pip install cfn-lint.' }
if (-not (Test-Path (Join-Path (Split-Path $ModulePath) 'LocalCloud/node-sdk/node_modules'))) {
    Write-Warning 'Node.js functions run without the AWS SDK for JavaScript, which Lambda includes: ./build.ps1 -Task NodeSdk installs it.'
}
Import-Module $ModulePath -Force
$null = Start-CloudSandbox -Force
try {
    $arguments = @((Join-Path $PSScriptRoot 'cfn-corpus.py'), (Resolve-Path $Corpus).Path)
    if ($VerbosePreference -eq 'Continue') { $arguments += '--verbose' }
    if ($LintCache) { $arguments += @('--lint-cache', $LintCache) }
    if ($Only) { $arguments += @('--only', $Only) }
    if (Test-Path $Sources -PathType Container) { $arguments += @('--sources', (Resolve-Path $Sources).Path) }
    if (Test-Path $Failures) { $arguments += @('--failures', (Resolve-Path $Failures).Path) }
    & python3 @arguments
    if ($LASTEXITCODE -ne 0) { throw "cfn-corpus.py failed with exit code $LASTEXITCODE." }
}
finally {
    Stop-CloudSandbox
}
