<#
.SYNOPSIS
    The CloudPatterns demo: the patterns run against LocalCloud's sample organization.
#>
param([Parameter(Mandatory)] [string] $ModulePath)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force

function Write-Step([string] $Text) { Write-Host "`n=== $Text" -ForegroundColor Cyan }

Write-Step 'Start LocalCloud with the sample organization'
$sandbox = Start-CloudSandbox
$sandbox | Format-Table | Out-Host
try {
    Write-Step 'The organization, through the Organizations API (SigV4-signed, as against AWS)'
    Get-OrgAccount -Recurse | Format-Table | Out-Host

    Write-Step 'The AWS CLI sees the same organization'
    aws organizations list-accounts --query 'Accounts[].[Id,Name]' --output text | Out-Host

    Write-Step 'What went over the wire'
    Get-CloudSandboxRequestLog | Group-Object Service, Operation | Sort-Object Name | Format-Table Count, Name | Out-Host
}
finally {
    Stop-CloudSandbox
}
