@{
    RootModule           = 'CloudPatterns.dll'
    # build.ps1 writes the version from Directory.Build.props (the one version source) into the built manifest.
    ModuleVersion        = '0.1.0'
    GUID                 = '6c0f3f6e-2b0e-4f57-9a8e-5d1c2b7a9e41'
    Author               = 'CloudPatterns contributors'
    CompanyName          = 'CloudPatterns'
    Copyright            = '(c) CloudPatterns contributors. Apache-2.0.'
    Description          = 'Run AWS architecture patterns across an AWS Organization: cross-account, cross-region disaster recovery with restore validation and immutable audit evidence; a Multi-AZ web application; GitOps reconciliation of CloudFormation stacks. Ships LocalCloud, an emulated AWS Organization for demos and tests.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('CloudPatterns.format.ps1xml')
    CmdletsToExport      = @(
        'Get-OrgAccount'
        'Get-PatternStack'
        'Invoke-DrValidation'
        'Invoke-DrFailover'
        'Invoke-MultiAzDrill'
        'Get-AuditEvidence'
        'Export-AuditReport'
        'Test-CrossAccountBackupReadiness'
        'Set-CrossAccountBackup'
        'Get-DrConfiguration'
        'Start-CloudSandbox'
        'Stop-CloudSandbox'
        'Set-CloudSandboxFault'
        'Clear-CloudSandboxFault'
        'Get-CloudSandboxRequestLog'
        'Set-CloudSandboxClock'
        'Get-CloudSandboxClock'
        'New-MultiAzStack'
        'Update-MultiAzStack'
        'Get-MultiAzCertificate'
        'Remove-PatternStack'
        'Test-MultiAzResilience'
        'Get-PatternCostEstimate'
        'Get-StackSyncStatus'
        'Sync-StackManifest'
        'Get-StackSyncHistory'
        'Publish-StackManifest'
        'Get-CloudPatternsPolicy'
        'Install-CloudPatternsRole'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('AWS', 'Organizations', 'Backup', 'DisasterRecovery', 'CloudFormation', 'GitOps', 'MultiAZ', 'LocalCloud', 'PSEdition_Core', 'PSEdition_Desktop')
            LicenseUri   = 'https://www.apache.org/licenses/LICENSE-2.0'
            ProjectUri   = 'https://example.com/cloudpatterns'
            ReleaseNotes = '0.1.0: LocalCloud (STS, IAM, Organizations, Backup, KMS, S3 Object Lock, CloudFormation, CloudWatch, SNS, RDS/EC2/DynamoDB restore targets); Get-OrgAccount; the Multi-AZ pattern; DR set-up (Set-CrossAccountBackup), restore validation with verified audit evidence; GitOps (Get-StackSyncStatus, Sync-StackManifest, Get-StackSyncHistory).'
        }
    }
}
