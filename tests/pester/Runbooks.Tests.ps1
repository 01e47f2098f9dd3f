# The SSM Automation runbooks of templates/ssm: what each document declares, and the GitOps sync runbook's script run
# as aws:executeScript runs it (its own pwsh, the attachment in the working directory, $env:InputPayload, credentials
# from the environment) against LocalCloud. There is no DR validation runbook: a restore can outlast a step's 600 s, so
# the DR-Orchestrator validates on its schedule (docs/runbooks.md). cfn-lint and cfn-guard check the template in
# Templates.Tests.ps1.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-CloudPatternsUnderTest
    # Sync-StackManifest comes with the GitOps branch; until it is merged, the run that needs it is skipped (and says so).
    $script:syncAvailable = [bool](Get-Command Sync-StackManifest -Module CloudPatterns -ErrorAction SilentlyContinue)
    $script:documents = @(
        @{ Resource = 'StackSyncRunbook'; Attachment = 'stack-sync.zip'; Checksum = 'SyncBundleSha256'; Cmdlet = 'Sync-StackManifest'; Schedule = 'DriftDetectionSchedule' }
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-CloudPatternsUnderTest
    $script:templatePath = Join-Path $PSScriptRoot '../../templates/ssm/cloudpatterns-runbooks.yaml'
    $script:template = ConvertFrom-TemplateYaml $templatePath
}

Describe 'Runbook <Resource>' -ForEach $documents {
    BeforeAll {
        $script:document = $template.Resources[$Resource]
        $script:step = Get-RunbookStep $templatePath $Resource
    }

    It 'is an Automation document of schema 0.3 that runs its role' {
        $document.Type | Should -Be 'AWS::SSM::Document'
        $document.Properties.DocumentType | Should -Be 'Automation'
        $step.Document.schemaVersion | Should -Be '0.3'
        $step.Document.assumeRole | Should -Be '{{ AutomationAssumeRole }}'
        $step.Parameters.AutomationAssumeRole.default.'Fn::GetAtt' | Should -Be @('AutomationRole', 'Arn')
    }

    It 'runs a PowerShell 7 script with the module attached and its checksum declared' {
        $step.Inputs.Runtime | Should -Match '^PowerShell 7\.\d+$'
        $step.Inputs.Attachment | Should -Be $Attachment
        @($document.Properties.Attachments.Name) | Should -Be @($Attachment)
        $document.Properties.Attachments[0].Key | Should -Be 'S3FileUrl'
        $step.Files[$Attachment].checksums.sha256.Ref | Should -Be $Checksum
        $step.Inputs.Script | Should -Match ([regex]::Escape("'$Attachment'"))
        $step.Inputs.Script | Should -Match "\b$Cmdlet @"
    }

    It 'passes every input through the payload, and names only declared parameters' {
        foreach ($entry in $step.Inputs.InputPayload.GetEnumerator()) {
            $entry.Value | Should -Be "{{ $($entry.Key) }}"
            $step.Parameters.Keys | Should -Contain $entry.Key
        }
        @($step.Parameters.Keys | Where-Object { $_ -ne 'AutomationAssumeRole' -and $_ -notin $step.Inputs.InputPayload.Keys }) | Should -BeNullOrEmpty
    }

    It 'parses, and neither prompts nor asks for credentials of its own' {
        $errors = $null
        [System.Management.Automation.Language.Parser]::ParseInput($step.Inputs.Script, [ref] $null, [ref] $errors) | Out-Null
        $errors | Should -BeNullOrEmpty
        $step.Inputs.Script | Should -Match 'Confirm\s+=\s+\$false'
        $step.Inputs.Script | Should -Not -Match 'Read-Host|Get-Credential|-ProfileName|-AccessKey|-SecretKey'
        $step.Inputs.Script | Should -Match 'ConvertTo-Json'
    }

    It 'is started by a schedule through the scheduler role, which may pass the automation role and nothing else' {
        $schedule = $template.Resources[$Schedule]
        $schedule.Type | Should -Be 'AWS::Scheduler::Schedule'
        $schedule.Properties.Target.Arn.'Fn::Sub' | Should -Be 'arn:${AWS::Partition}:scheduler:::aws-sdk:ssm:startAutomationExecution'
        $schedule.Properties.Target.Input.'Fn::Sub' | Should -Match ([regex]::Escape("""DocumentName"": ""`${$Resource}"""))
        $statements = $template.Resources.SchedulerRole.Properties.Policies[0].PolicyDocument.Statement
        ($statements | Where-Object Action -eq 'iam:PassRole').Resource.'Fn::GetAtt' | Should -Be @('AutomationRole', 'Arn')
        @(($statements | Where-Object Action -eq 'ssm:StartAutomationExecution').Resource.'Fn::Sub') -match "automation-definition/\`$\{$Resource\}" | Should -HaveCount 1
    }
}

Describe 'The runbook template' {
    It 'has no runbook that waits on restores: no document runs Invoke-DrValidation, whose restores outlast a 600 s step' {
        $documentResources = @($template.Resources.GetEnumerator() | Where-Object { $_.Value.Type -eq 'AWS::SSM::Document' })
        $documentResources.Key | Should -Be @('StackSyncRunbook')
        foreach ($resource in $documentResources) {
            (Get-RunbookStep $templatePath $resource.Key).Inputs.Script | Should -Not -Match 'Invoke-DrValidation'
        }
    }
}

Describe 'The stack sync runbook run against LocalCloud' {
    BeforeAll {
        $script:sandbox = Start-CloudSandbox -Force
        $script:step = Get-RunbookStep $templatePath 'StackSyncRunbook'

        # A repository with a committed manifest: one stack in production, one region.
        $repository = Join-Path $TestDrive 'repository'
        New-Item -ItemType Directory -Path (Join-Path $repository 'templates') | Out-Null
        Set-Content -Path (Join-Path $repository 'templates/logs.yaml') -Value @'
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: 7
'@
        Set-Content -Path (Join-Path $repository 'cloudpatterns.yaml') -Value @'
version: 1
id: 5d0b9a3c6f1e4e2b8a7c9d0e1f2a3b4c
regions: [us-east-2]
stacks:
  - name: runbook-logs
    template: templates/logs.yaml
    targets:
      - account: production
'@
        git init -q $repository
        git -C $repository -c user.name='Ada Ops' -c user.email='ada@example.com' add -A
        git -C $repository -c user.name='Ada Ops' -c user.email='ada@example.com' commit -q -m 'A log group in production'
        $LASTEXITCODE | Should -Be 0
        $script:commit = (git -C $repository rev-parse HEAD).Trim()

        # The attachment as the runbook receives it: the module and the repository (with .git) in one zip.
        $script:work = Join-Path $TestDrive 'automation'
        New-Item -ItemType Directory $work | Out-Null
        New-RunbookBundle -Path (Join-Path $work 'stack-sync.zip') -Folders @{ CloudPatterns = (Split-Path (Get-Module CloudPatterns).Path); repository = $repository }

        # LocalCloud has no roles in the management account to stand in for the automation role, so the runbook gets
        # the management account's keys, through the environment only, as it would get the role's.
        $script:automation = @{
            AWS_ACCESS_KEY_ID = $env:AWS_ACCESS_KEY_ID; AWS_SECRET_ACCESS_KEY = $env:AWS_SECRET_ACCESS_KEY; AWS_SESSION_TOKEN = $null
            AWS_REGION = 'us-east-2'; AWS_ENDPOINT_URL = $env:AWS_ENDPOINT_URL
        }
    }

    AfterAll { Stop-CloudSandbox }

    It 'fails with a non-zero exit and says why when the manifest is not in the attached repository, changing nothing' {
        Get-CloudSandboxRequestLog -Clear | Out-Null
        $run = Invoke-RunbookScript $step -Parameters @{ ManifestPath = 'nope.yaml'; DetectOnly = $false } -Environment $automation -WorkingDirectory $work
        $run.ExitCode | Should -Not -Be 0
        $run.Error | Should -Match 'The manifest nope\.yaml is not in the attached repository'
        @(Get-CloudSandboxRequestLog -MutatingOnly) | Should -HaveCount 0
    }

    It 'deploys the manifest and reports it as JSON, then detects only by default' -Skip:(-not $syncAvailable) {
        $deploy = Invoke-RunbookScript $step -Parameters @{ DetectOnly = $false; ExternalId = $sandbox.ExecutionRoleExternalId } -Environment $automation -WorkingDirectory $work
        $deploy.ExitCode | Should -Be 0 -Because $deploy.Error
        $results = @($deploy.Output | ConvertFrom-Json)
        $results | Should -HaveCount 1
        $results[0].AccountId | Should -Be '333333333333'
        $results[0].Status | Should -Be 'Succeeded'
        $results[0].Commit | Should -Be $commit
        (Get-PatternStack -StackName runbook-logs -AccountId 333333333333 -Region us-east-2).Status | Should -Be 'CREATE_COMPLETE'

        Get-CloudSandboxRequestLog -Clear | Out-Null
        $detect = Invoke-RunbookScript $step -Parameters @{ ExternalId = $sandbox.ExecutionRoleExternalId } -Environment $automation -WorkingDirectory $work
        $detect.ExitCode | Should -Be 0 -Because $detect.Error
        @($detect.Output | ConvertFrom-Json)[0].Status | Should -Be 'Detected'
        @(Get-CloudSandboxRequestLog -MutatingOnly | Where-Object Operation -notin 'DetectStackDrift') | Should -HaveCount 0
    }
}
