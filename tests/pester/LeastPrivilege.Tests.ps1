# Least privilege, proven: the DR validation flow runs as a role made from Get-CloudPatternsPolicy (the one list in
# CloudPatterns.Core.Security.JobPolicies), against LocalCloud, which authorizes every request as AWS does. The flow
# uses every action of the role and fails, naming the action, without any one of them; the shipped execution-role
# template carries the same statements.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-CloudPatternsUnderTest
    $actions = (Get-CloudPatternsPolicy -Job DrValidation).Actions
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-CloudPatternsUnderTest
    $script:sandbox = Start-CloudSandbox -Force
    $script:admin = $sandbox.Url.ToString().TrimEnd('/') + '/_localcloud'
    $script:logArchive = '222222222222'
    $script:roleName = 'CloudPatternsDrValidation'
    $script:externalId = 'least-privilege-test'
    $script:policy = Get-CloudPatternsPolicy -Job DrValidation -AccountId $logArchive -EvidenceBucketName org-dr-evidence

    # Gives the role the policy's statements, without $Without (one action) when given.
    function Set-RolePolicy([string] $Without) {
        $document = $policy.PolicyDocument | ConvertFrom-Json
        $document.Statement = @($document.Statement | ForEach-Object {
                $_.Action = @($_.Action | Where-Object { $_ -ne $Without })
                if ($_.Action.Count -gt 0) { $_ }
            })
        $file = Join-Path $TestDrive 'policy.json'
        $document | ConvertTo-Json -Depth 6 | Set-Content -Path $file
        Invoke-DrSandbox put-role $roleName $externalId $file | Out-Null
    }

    # The flow: validate the three restorable kinds in the DR region, then one whose validator refuses, which alerts.
    # Returns the results and the text of every error, warning and failed check.
    function Invoke-ValidationFlow {
        $errors = [System.Collections.Generic.List[object]]::new()
        $results = [System.Collections.Generic.List[object]]::new()
        $runs = @(@{}, @{ ResourceType = 'DynamoDB'; AlertTopicArn = $alertTopicArn; Validator = { $false } })
        foreach ($run in $runs) {
            try {
                Invoke-DrValidation @common @run -Region us-west-2 -Confirm:$false -ErrorVariable +errors -ErrorAction SilentlyContinue -WarningVariable +errors -WarningAction SilentlyContinue |
                    ForEach-Object { $results.Add($_) }
            }
            catch { $errors.Add($_) }
        }
        $details = @($results | ForEach-Object { @($_.Checks) + $_.Cleanup } | Where-Object { $_ -and $_.Outcome -ne 'Passed' } | ForEach-Object { "$($_.Name): $($_.Detail)" })
        [pscustomobject]@{ Results = $results.ToArray(); Failures = @($errors | ForEach-Object { "$_" }) + $details }
    }

    Set-RolePolicy
    $midnight = [datetimeoffset]::new((Get-CloudSandboxClock).Now.UtcDateTime.Date.AddDays(1), [timespan]::Zero)
    Set-CloudSandboxClock -To $midnight | Out-Null
    $setupResults = @(Get-OrgAccount | Where-Object Name -eq 'production' |
            Set-CrossAccountBackup -VaultAccountId $logArchive -PrimaryRegion us-east-2 -DrRegion us-west-2 -EvidenceBucketName org-dr-evidence -EvidenceWriterRoleName $roleName -Confirm:$false)
    $vault = ($setupResults | Where-Object { $_.AccountId -eq $logArchive -and $_.Region -eq 'us-east-2' }).Steps | Where-Object Component -eq 'CentralVault'
    $script:alertTopicArn = $vault.Outputs['FailedJobsTopicArn']
    Invoke-RestMethod -Method Put "$admin/backup/job-timings" -Body '{"restore":{"queued":"PT0S","running":"PT2S"}}' | Out-Null
    Invoke-RestMethod -Method Post "$admin/clock" -Body '{"advance":"PT26H"}' | Out-Null
    $script:common = @{
        AccountId = $logArchive; BackupVaultName = 'central'; EvidenceBucket = 'org-dr-evidence'; EvidenceAccountId = $logArchive
        EvidenceRegion = 'us-east-2'; PollInterval = [timespan]'00:00:01'; RpoTarget = [timespan]'2.00:00:00'
        RoleName = $roleName; ExternalId = $externalId
    }
}

AfterAll { Stop-CloudSandbox }

Describe 'Get-CloudPatternsPolicy' {
    It 'prints each job''s policy as an IAM policy document' {
        $json = Get-CloudPatternsPolicy -Job DrValidation -AccountId $logArchive -EvidenceBucketName org-dr-evidence -AsJson
        $json | Should -BeOfType [string]
        $document = $json | ConvertFrom-Json
        $document.Version | Should -Be '2012-10-17'
        $document.Statement.Effect | Sort-Object -Unique | Should -Be 'Allow'
        @($document.Statement.Action | Sort-Object -Unique) | Should -Be $policy.Actions
        ($document.Statement | Where-Object Sid -eq 'DrPassRestoreRole').Resource | Should -Be "arn:aws:iam::${logArchive}:role/service-role/*"
        ($document.Statement | Where-Object Sid -eq 'DrEvidenceWrite').Resource | Should -Be 'arn:aws:s3:::org-dr-evidence/dr-validation*'
        (Get-CloudPatternsPolicy DrReadiness).Actions | Should -Contain 'backup:DescribeGlobalSettings'
        { Get-CloudPatternsPolicy -Job NoSuchJob -ErrorAction Stop } | Should -Throw -ExpectedMessage '*DrValidation*DrReadiness*'
    }

    It 'matches the statements of the shipped execution-role template, Sid by Sid' {
        $template = ConvertFrom-TemplateYaml (Join-Path $PSScriptRoot '../../templates/disaster-recovery/execution-roles.yaml')
        $documents = @($template.Resources.ExecutionRole.Properties.Policies.PolicyDocument) + $template.Resources.EvidenceWriter.Properties.PolicyDocument
        $shipped = @{}
        foreach ($statement in $documents.Statement) {
            # A statement under a condition (Fn::If) is its first branch.
            $statement = $statement.ContainsKey('Fn::If') ? $statement['Fn::If'][1] : $statement
            $shipped[$statement.Sid] = @($statement.Action) | Sort-Object
        }
        $expected = @{}
        foreach ($statement in (Get-CloudPatternsPolicy -Job DrValidation, DrReadiness).Statements) { $expected[$statement.Sid] = @($statement.Actions) | Sort-Object }
        @($shipped.Keys | Sort-Object) | Should -Be @($expected.Keys | Sort-Object)
        foreach ($sid in $expected.Keys) { $shipped[$sid] | Should -Be $expected[$sid] -Because "statement $sid" }
    }
}

Describe 'The DrValidation role' {
    It 'is sufficient: the whole validation flow passes as the role, and every action it used is in the policy' {
        Get-CloudSandboxRequestLog -Clear | Out-Null
        $run = Invoke-ValidationFlow
        $run.Failures | Should -HaveCount 1 -Because 'only the alert run''s validator fails'
        @($run.Results.Status) | Should -Be @('Passed', 'Passed', 'Passed', 'Failed')
        $run.Results.Cleanup.Outcome | Sort-Object -Unique | Should -Be 'Passed'
        $mine = @(Get-CloudSandboxRequestLog | Where-Object Principal -like "arn:aws:sts::${logArchive}:assumed-role/$roleName/*")
        $mine | Should -Not -BeNullOrEmpty
        $mine.Decision | Sort-Object -Unique | Should -Be 'Allow' -Because ($mine | Where-Object Decision -ne Allow | ForEach-Object { "$($_.Operation) $($_.Action) $($_.DecidedBy)" })
        # The evidence key's policy, not the role's, lets the role sign: it names the evidence writer role.
        $signed = @($mine | Where-Object Action -eq 'kms:Sign')
        $signed | Should -Not -BeNullOrEmpty
        $signed.DecidedBy | Sort-Object -Unique | Should -BeLike '*#SignOnlyForTheEvidenceWriter'
        # LocalCloud checks iam:PassRole (StartRestoreJob's restore role), kms:GenerateDataKey and kms:Decrypt (SSE-KMS
        # PutObject, GetObject) within the request that needs them; the log shows the request's own action. The next
        # test proves each of them used.
        $used = @($mine | Where-Object Action -ne 'kms:Sign').Action + 'iam:PassRole', 'kms:GenerateDataKey', 'kms:Decrypt' | Sort-Object -Unique
        $used | Should -Be $policy.Actions
    }

    It 'is minimal: without <_> the flow fails with an error naming it' -ForEach $actions {
        $action = $_
        try {
            Set-RolePolicy -Without $action
            $run = Invoke-ValidationFlow
            ($run.Failures -join "`n") | Should -BeLike "*$action*" -Because ($run.Failures -join " | ")
        }
        finally { Set-RolePolicy }
    }
}
