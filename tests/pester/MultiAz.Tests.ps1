# The Multi-AZ pattern end to end against LocalCloud: deploy, preview, update, resilience, cost, remove.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-CloudPatternsUnderTest
    $script:sandbox = Start-CloudSandbox -Force
    $script:caller = '111111111111'
    $script:staging = '444444444444'
    $script:certificate = New-SandboxCertificate
    # The seed's issued certificate of the staging account (docs/localcloud-acm.md).
    $script:stagingCertificate = (Get-MultiAzCertificate -AccountId $staging -Region us-east-2).CertificateArn
    $script:template = Get-Content -Raw (Join-Path (Split-Path (Get-Module CloudPatterns).Path) 'templates/multi-az-web-app.yaml')
    # In other accounts the cmdlets run as the least-privilege roles, not as OrganizationAccountAccessRole: deployment
    # changes as MultiAzDeploy, reads as ReadOnly.
    Install-CloudPatternsRole -Job MultiAzDeploy, ReadOnly -AccountId $staging -TrustExternalId multi-az-test -Confirm:$false | Out-Null
    $PSDefaultParameterValues = @{}
    $roles = @{ 'New-MultiAzStack' = 'MultiAzDeploy'; 'Update-MultiAzStack' = 'MultiAzDeploy'; 'Remove-PatternStack' = 'MultiAzDeploy'; 'Get-PatternStack' = 'ReadOnly'; 'Test-MultiAzResilience' = 'ReadOnly'; 'Get-PatternCostEstimate' = 'ReadOnly' }
    foreach ($command in $roles.Keys) {
        $PSDefaultParameterValues["${command}:RoleName"] = "CloudPatterns$($roles[$command])"
        $PSDefaultParameterValues["${command}:ExternalId"] = 'multi-az-test'
    }

    # Deploys a variant of the bundled template with the AWS CLI (the cmdlets only deploy the bundled one).
    function Deploy-Variant([string] $Name, [string] $Body) {
        $file = Join-Path ([System.IO.Path]::GetTempPath()) "$Name.yaml"
        Set-Content -Path $file -Value $Body
        aws cloudformation create-stack --stack-name $Name --template-body "file://$file" --capabilities CAPABILITY_IAM `
            --parameters "ParameterKey=CertificateArn,ParameterValue=$certificate" --tags 'Key=cloudpatterns:pattern,Value=MultiAz' | Out-Null
        $LASTEXITCODE | Should -Be 0
        $deadline = (Get-Date).AddSeconds(60)
        do { Start-Sleep -Milliseconds 200; $stack = Get-PatternStack -StackName $Name } while ($stack.Status -like '*_IN_PROGRESS' -and (Get-Date) -lt $deadline)
        $stack.Status | Should -Be 'CREATE_COMPLETE'
    }

    # The properties CloudFormation resolved for each resource of a stack (drift detection's ExpectedProperties), by logical id.
    function Get-ResolvedProperties([string] $StackName) {
        $detection = aws cloudformation detect-stack-drift --stack-name $StackName | ConvertFrom-Json
        $LASTEXITCODE | Should -Be 0
        $deadline = (Get-Date).AddSeconds(30)
        do { Start-Sleep -Milliseconds 200; $status = aws cloudformation describe-stack-drift-detection-status --stack-drift-detection-id $detection.StackDriftDetectionId | ConvertFrom-Json }
        while ($status.DetectionStatus -eq 'DETECTION_IN_PROGRESS' -and (Get-Date) -lt $deadline)
        $drifts = aws cloudformation describe-stack-resource-drifts --stack-name $StackName | ConvertFrom-Json
        $LASTEXITCODE | Should -Be 0
        $properties = @{}
        foreach ($drift in $drifts.StackResourceDrifts) { $properties[$drift.LogicalResourceId] = $drift.ExpectedProperties | ConvertFrom-Json }
        $properties
    }

    # The stack's DB instance resource (logical id Database), as CloudFormation describes it.
    function Get-StackDatabase([string] $StackName) {
        $resource = aws cloudformation describe-stack-resource --stack-name $StackName --logical-resource-id Database | ConvertFrom-Json
        $LASTEXITCODE | Should -Be 0
        $resource.StackResourceDetail
    }
}

AfterAll { Stop-CloudSandbox }

Describe 'New-MultiAzStack' {
    It 'deploys two AZs and returns the stack with its outputs resolved' {
        $stack = New-MultiAzStack -StackName web2 -CertificateArn $certificate
        $stack | Should -BeOfType 'CloudPatterns.Core.Stacks.PatternStack'
        $stack.Status | Should -Be 'CREATE_COMPLETE'
        $stack.AccountId | Should -Be $caller
        $stack.Region | Should -Be 'us-east-2'
        $stack.Pattern | Should -Be 'MultiAz'
        $stack.TemplateVersion | Should -Be '1.1.0'
        $stack.Outputs['VpcId'] | Should -Match '^vpc-'
        $stack.Outputs['LoadBalancerDnsName'] | Should -Match '\.elb\.amazonaws\.com$'
        $stack.Outputs['DatabaseEndpoint'] | Should -Not -BeNullOrEmpty
        @($stack.Outputs['PublicSubnetIds'] -split ',') | Should -HaveCount 2
        @($stack.Outputs['AppSubnetIds'] -split ',' | Where-Object { $_ -match '^subnet-' }) | Should -HaveCount 2
    }

    It 'deploys three AZs into another account through the fan-out' {
        $stack = New-MultiAzStack -StackName web3 -AccountId $staging -AzCount 3 -MinSize 3 -CertificateArn $stagingCertificate -ReadReplica -DbProxy
        $stack.AccountId | Should -Be $staging
        $stack.Status | Should -Be 'CREATE_COMPLETE'
        @($stack.Outputs['DataSubnetIds'] -split ',') | Should -HaveCount 3
        $stack.Outputs['DatabaseProxyEndpoint'] | Should -Not -BeNullOrEmpty
        $stack.Parameters['AzCount'] | Should -Be '3'
    }

    It 'refuses a second stack with the same name, saying so' {
        { New-MultiAzStack -StackName web2 -CertificateArn $certificate -ErrorAction Stop } |
            Should -Throw -ErrorId 'StackAlreadyExists,CloudPatterns.PowerShell.Cmdlets.NewMultiAzStackCommand' -ExpectedMessage "*Stack 'web2' already exists in account $caller region us-east-2*"
    }

    It 'refuses <Case> before calling AWS' -ForEach @(
        @{ Case = 'a malformed CIDR'; Arguments = @{ VpcCidr = '10.0.0/16' }; Message = "*VpcCidr '10.0.0/16' is not an IPv4 CIDR block*" }
        @{ Case = 'a CIDR too small for nine subnets'; Arguments = @{ VpcCidr = '10.0.0.0/24' }; Message = '*give /16 to /20*' }
        @{ Case = 'a minimum size of 1'; Arguments = @{ MinSize = 1 }; Message = '*MinSize 1 is below AzCount 2*' }
        @{ Case = 'an unknown AZ count'; Arguments = @{ AzCount = 4; MinSize = 4 }; Message = '*AzCount 4 is not supported: give 2 or 3*' }
        @{ Case = 'a maximum below the minimum'; Arguments = @{ MinSize = 3; MaxSize = 2 }; Message = '*FrontendMaxSize 2 is below FrontendMinSize 3*BackendMaxSize 2 is below BackendMinSize 3*' }
        @{ Case = 'a backend maximum with no room for a rolling replacement'; Arguments = @{ BackendMaxSize = 2 }; Message = '*BackendMaxSize 2 leaves no room above AzCount 2*give at least 3*' }
        @{ Case = 'a malformed AMI id'; Arguments = @{ ImageId = 'ami-12' }; Message = "*ImageId 'ami-12' is not an AMI id*" }
        @{ Case = 'a malformed instance type'; Arguments = @{ FrontendInstanceType = 'large' }; Message = "*FrontendInstanceType 'large' is not an EC2 instance type*" }
    ) {
        Get-CloudSandboxRequestLog -Clear | Out-Null
        { New-MultiAzStack -StackName invalid -CertificateArn $certificate @Arguments -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidMultiAzSettings,CloudPatterns.PowerShell.Cmdlets.NewMultiAzStackCommand' -ExpectedMessage $Message
        @(Get-CloudSandboxRequestLog) | Should -HaveCount 0
    }

    It 'shows the change set with -WhatIf and makes no mutating call' {
        Get-CloudSandboxRequestLog -Clear | Out-Null
        $output = New-MultiAzStack -StackName preview -AzCount 3 -MinSize 3 -CertificateArn $certificate -WhatIf -InformationVariable shown
        $output | Should -BeNullOrEmpty
        $text = ($shown | ForEach-Object { "$_" }) -join "`n"
        $text | Should -Match "What if: Create stack 'preview' in $caller us-east-2: \d+ resource change\(s\)"
        $text | Should -Match 'Add\s+NatGateway3\s+AWS::EC2::NatGateway'
        $text | Should -Match 'Add\s+Database\s+AWS::RDS::DBInstance'
        $requests = @(Get-CloudSandboxRequestLog)
        $requests | Should -Not -BeNullOrEmpty
        @($requests | Where-Object Mutating) | Should -HaveCount 0
        Get-PatternStack -StackName preview | Should -BeNullOrEmpty
    }
}

Describe 'The stack as it must be in AWS' {
    It 'boots Amazon Linux 2023 from the public parameter with user data that serves /health and signals CloudFormation' {
        $resolved = Get-ResolvedProperties web2
        $latest = (aws ssm get-parameter --name /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64 --region us-east-2 | ConvertFrom-Json).Parameter.Value
        $latest | Should -Match '^ami-[0-9a-f]{17}$'
        foreach ($tier in @{ Name = 'Frontend'; Health = 'location = /health'; Port = 'http://127.0.0.1/health' }, @{ Name = 'Backend'; Health = 'self.path == "/health"'; Port = 'http://127.0.0.1:8080/health' }) {
            $launch = $resolved["$($tier.Name)LaunchTemplate"].LaunchTemplateData
            $launch.ImageId | Should -Be $latest
            $userData = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($launch.UserData))
            $userData | Should -BeLike '#!/bin/bash*'
            $userData | Should -BeLike "*$($tier.Health)*"
            $userData | Should -BeLike "*curl --fail --silent --retry 10 --retry-connrefused $($tier.Port)*"
            $userData | Should -BeLike "*/opt/aws/bin/cfn-signal --exit-code `"`$1`" --stack web2 --resource $($tier.Name)AutoScalingGroup --region us-east-2*"
            $userData | Should -Not -BeLike '*${*AWS::*' -Because 'every ${AWS::...} is substituted'
            $group = $resolved["$($tier.Name)AutoScalingGroup"]
            ($group.MinSize, $group.MaxSize, $group.NewInstancesProtectedFromScaleIn) | Should -Be @('2', '20', 'false')
            $resolved["$($tier.Name)ScalingPolicy"].TargetTrackingConfiguration.PredefinedMetricSpecification.PredefinedMetricType | Should -Be 'ASGAverageCPUUtilization'
        }
        $resolved['FrontendTargetGroup'].Protocol | Should -Be 'HTTP'
        @($resolved['FrontendSecurityGroup'].SecurityGroupIngress.FromPort) | Should -Be @(80)
        $resolved.Keys | Should -Not -Contain 'SsmEndpoint'
        $resolved['Database'].DBInstanceClass | Should -Be 'db.t3.small'
        $resolved['Database'].MultiAZ | Should -BeTrue
    }

    It 'waits for a signal from every instance at creation and replaces instances one by one on a launch template change' {
        $events = (aws cloudformation describe-stack-events --stack-name web2 | ConvertFrom-Json).StackEvents
        foreach ($tier in 'Frontend', 'Backend') {
            @($events | Where-Object { $_.LogicalResourceId -eq "$($tier)AutoScalingGroup" -and $_.ResourceStatusReason -like 'Received SUCCESS signal with UniqueId i-*' }) |
                Should -HaveCount 2 -Because "each of the $tier tier's two instances signals once its server answers /health"
        }
        $body = (aws cloudformation get-template --stack-name web2 | ConvertFrom-Json).TemplateBody
        foreach ($tier in 'Frontend', 'Backend') {
            $body | Should -Match "(?s)  $($tier)AutoScalingGroup:.*?CreationPolicy:\s+ResourceSignal:\s+Count: !Ref $($tier)MinSize\s+Timeout: PT15M"
            $body | Should -Match "(?s)  $($tier)AutoScalingGroup:.*?AutoScalingRollingUpdate:\s+MinInstancesInService: !Ref AzCount\s+MaxBatchSize: 1\s+PauseTime: PT15M\s+WaitOnResourceSignals: true"
        }
    }

    It 'scales the frontend out on CPU after its target tracking alarm, not again while new instances warm up, and back in after the low alarm' {
        $group = (aws cloudformation describe-stack-resource --stack-name web2 --logical-resource-id FrontendAutoScalingGroup | ConvertFrom-Json).StackResourceDetail.PhysicalResourceId
        $policy = (aws autoscaling describe-policies --auto-scaling-group-name $group | ConvertFrom-Json).ScalingPolicies
        $policy.PolicyType | Should -Be 'TargetTrackingScaling'
        @($policy.Alarms.AlarmName | Sort-Object) -replace '-[0-9a-f-]{36}$' | Should -Be @("TargetTracking-$group-AlarmHigh", "TargetTracking-$group-AlarmLow")
        # The sandbox's load on the group (docs/localcloud-autoscaling.md, "Driving the metric"): CPU demand in percent of one instance.
        $demand = {
            param($Value)
            $body = @{ accountId = $caller; region = 'us-east-2'; autoScalingGroupName = $group; cpuDemand = $Value } | ConvertTo-Json
            Invoke-RestMethod -Method Put -Uri "$($env:AWS_ENDPOINT_URL.TrimEnd('/'))/_localcloud/autoscaling/cpu-demand" -ContentType 'application/json' -Body $body | Out-Null
        }
        $after = {
            param([int] $Minutes)
            Set-CloudSandboxClock -Advance (New-TimeSpan -Minutes $Minutes) -Confirm:$false | Out-Null
            (aws autoscaling describe-auto-scaling-groups --auto-scaling-group-names $group | ConvertFrom-Json).AutoScalingGroups[0].DesiredCapacity
        }
        try {
            Set-CloudSandboxClock -Advance (New-TimeSpan -Minutes 6) -Confirm:$false | Out-Null  # the first instances past their 300 s warm-up
            & $demand 240  # 100 % on each of 2 instances, target 50 %
            & $after 3 | Should -Be 4 -Because 'three high minutes set the high alarm off: 2 x 100 / 50'
            & $after 3 | Should -Be 4 -Because '60 % on 4 keeps the alarm high, but the 2 new instances warm up for 300 s and do not count yet'
            & $after 4 | Should -Be 5 -Because 'once warm, 4 x 60 / 50'
            & $demand 40  # 8 % on each of 5: under 45 %, the low alarm's threshold
            & $after 12 | Should -Be 5 -Because 'the low alarm needs 15 low minutes'
            & $after 4 | Should -Be 2 -Because 'then the group scales in to its minimum'
        }
        finally { & $demand $null }
        $causes = (aws autoscaling describe-scaling-activities --auto-scaling-group-name $group | ConvertFrom-Json).Activities.Cause
        @($causes -like "*a monitor alarm TargetTracking-$group-AlarmHigh-* in state ALARM triggered policy $($policy.PolicyName) changing the desired capacity from 2 to 4.*") | Should -Not -BeNullOrEmpty
        @($causes -like "*a monitor alarm TargetTracking-$group-AlarmLow-* in state ALARM triggered policy $($policy.PolicyName) changing the desired capacity from 5 to 2.*") | Should -Not -BeNullOrEmpty
    }

    It 'deploys per-tier sizes, memory scaling, scale-in protection, a pinned AMI, end-to-end TLS and the Session Manager endpoints' {
        $stack = New-MultiAzStack -StackName full -CertificateArn $certificate -FrontendMinSize 3 -BackendMinSize 2 -BackendMaxSize 5 -ScalingMetric Memory `
            -TargetMemoryUtilization 65 -ScaleInProtection -EndToEndTls -SsmEndpoints -ImageId ami-0123456789abcdef0 -DbDeletionProtection $false
        $stack.Status | Should -Be 'CREATE_COMPLETE'
        $resolved = Get-ResolvedProperties full
        ($resolved['FrontendAutoScalingGroup'].MinSize, $resolved['FrontendAutoScalingGroup'].MaxSize) | Should -Be @('3', '20')
        ($resolved['BackendAutoScalingGroup'].MinSize, $resolved['BackendAutoScalingGroup'].MaxSize) | Should -Be @('2', '5')
        $resolved['BackendAutoScalingGroup'].NewInstancesProtectedFromScaleIn | Should -Be 'true'
        $memory = $resolved['BackendScalingPolicy'].TargetTrackingConfiguration
        ($memory.CustomizedMetricSpecification.Namespace, $memory.CustomizedMetricSpecification.MetricName, $memory.TargetValue) | Should -Be @('CWAgent', 'mem_used_percent', '65')
        $memory.CustomizedMetricSpecification.Dimensions[0].Value | Should -Be (aws cloudformation describe-stack-resource --stack-name full --logical-resource-id BackendAutoScalingGroup | ConvertFrom-Json).StackResourceDetail.PhysicalResourceId
        $memory.PSObject.Properties.Name | Should -Not -Contain 'PredefinedMetricSpecification'
        $resolved['FrontendLaunchTemplate'].LaunchTemplateData.ImageId | Should -Be 'ami-0123456789abcdef0'
        ($resolved['FrontendTargetGroup'].Protocol, $resolved['FrontendTargetGroup'].Port, $resolved['FrontendTargetGroup'].HealthCheckProtocol) | Should -Be @('HTTPS', 443, 'HTTPS')
        @($resolved['FrontendSecurityGroup'].SecurityGroupIngress.FromPort) | Should -Be @(80, 443)
        @($resolved['FrontendSecurityGroup'].SecurityGroupIngress.SourceSecurityGroupId | Sort-Object -Unique) | Should -HaveCount 1
        @($resolved['LoadBalancerSecurityGroup'].SecurityGroupEgress.FromPort) | Should -Be @(80, 443)
        @('SsmEndpoint', 'SsmMessagesEndpoint', 'Ec2MessagesEndpoint' | ForEach-Object { $resolved[$_].ServiceName }) |
            Should -Be @('com.amazonaws.us-east-2.ssm', 'com.amazonaws.us-east-2.ssmmessages', 'com.amazonaws.us-east-2.ec2messages')
        $resolved['SsmEndpoint'].PrivateDnsEnabled | Should -BeTrue
    }

    It 'switches to scaling on requests per target, labelled with the load balancer and target group, and back to the public image' {
        $stack = Update-MultiAzStack -StackName full -ScalingMetric RequestCount -TargetRequestCount 800 -ImageParameter /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64
        $stack.Parameters['ImageIdOverride'] | Should -Be ''
        $resolved = Get-ResolvedProperties full
        $requests = $resolved['FrontendScalingPolicy'].TargetTrackingConfiguration
        ($requests.PredefinedMetricSpecification.PredefinedMetricType, $requests.TargetValue) | Should -Be @('ALBRequestCountPerTarget', '800')
        $requests.PredefinedMetricSpecification.ResourceLabel | Should -Match '^app/[^/]+/[0-9a-f]+/targetgroup/[^/]+/[0-9a-f]+$'
        $resolved['BackendScalingPolicy'].TargetTrackingConfiguration.PredefinedMetricSpecification.ResourceLabel | Should -Not -Be $requests.PredefinedMetricSpecification.ResourceLabel
        $resolved['FrontendLaunchTemplate'].LaunchTemplateData.ImageId | Should -Match '^ami-[0-9a-f]{17}$'
        Remove-PatternStack -StackName full -Force
    }
}

Describe 'The certificate of the HTTPS listener' {
    It 'is listed by Get-MultiAzCertificate: the seed gives each workload account an issued one per region' {
        $found = @(Get-MultiAzCertificate -AccountId $staging -Region us-east-2, us-west-2 | Sort-Object Region)
        $found | ForEach-Object { $_ | Should -BeOfType 'CloudPatterns.Core.MultiAz.MultiAzCertificate' }
        @($found.Region) | Should -Be @('us-east-2', 'us-west-2')
        @($found.DomainName | Sort-Object -Unique) | Should -Be @('staging.example.com')
        @($found.Status | Sort-Object -Unique) | Should -Be @('ISSUED')
        $found[1].CertificateArn | Should -Match '^arn:aws:acm:us-west-2:444444444444:certificate/'
        @(Get-MultiAzCertificate -AccountId $staging -Status PENDING_VALIDATION) | Should -HaveCount 0
    }

    It 'is refused before any change when it <Case>' -ForEach @(
        @{ Case = 'does not exist'; Arn = { 'arn:aws:acm:us-east-2:111111111111:certificate/00000000-0000-0000-0000-000000000000' }; Region = 'us-east-2'; Message = '*does not exist in account 111111111111 us-east-2*' }
        @{ Case = 'is in another region than the stack'; Arn = { $certificate }; Region = 'us-west-2'; Message = '*is not a certificate of account 111111111111 in us-west-2*own account and region*' }
        @{ Case = 'belongs to another account'; Arn = { $stagingCertificate }; Region = 'us-east-2'; Message = '*is not a certificate of account 111111111111 in us-east-2*' }
        @{ Case = 'is still waiting for DNS validation'; Arn = { aws acm request-certificate --domain-name pending.example.com --validation-method DNS --region us-east-2 --query CertificateArn --output text }; Region = 'us-east-2'; Message = '*is PENDING_VALIDATION, not ISSUED*' }
    ) {
        $arn = & $Arn
        Get-CloudSandboxRequestLog -Clear | Out-Null
        { New-MultiAzStack -StackName refused -Region $Region -CertificateArn $arn -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidMultiAzSettings,CloudPatterns.PowerShell.Cmdlets.NewMultiAzStackCommand' -ExpectedMessage "*CertificateArn '$arn'$Message*Get-MultiAzCertificate*"
        @(Get-CloudSandboxRequestLog | Where-Object Mutating) | Should -HaveCount 0
        Get-PatternStack -StackName refused -Region $Region | Should -BeNullOrEmpty
    }

    It 'cannot be deleted from ACM while the stack''s load balancer uses it' {
        (Get-MultiAzCertificate | Where-Object CertificateArn -eq $certificate).InUse | Should -BeTrue
        aws acm delete-certificate --certificate-arn $certificate --region us-east-2 2>&1 | Out-String | Should -Match 'ResourceInUseException.*in account 111111111111 is in use'
        $LASTEXITCODE | Should -Not -Be 0
    }
}

Describe 'Tab completion of stack names' {
    It 'offers the stacks of the account and region typed on the line' {
        # A bare account id reaches the completer as a number, a quoted one as a string: both name the account.
        Get-CompletionText "Test-MultiAzResilience -AccountId $staging -Region us-east-2 -StackName we" | Should -Be @('web3')
        Get-CompletionText "Remove-PatternStack -AccountId '$staging' -StackName " | Should -Be @('web3')
        Get-CompletionText "Get-PatternStack -AccountId $staging -Region us-west-2 -StackName " | Should -BeNullOrEmpty
    }

    It 'takes what is typed as a prefix with wildcards, and text that is no valid pattern literally' {
        Get-CompletionText "Get-PatternStack -AccountId $staging -StackName *3" | Should -Be @('web3')
        # Called directly: TabExpansion2 would swallow an exception the completer threw.
        @([CloudPatterns.PowerShell.Completion.StackNameCompleter]::new().CompleteArgument('Get-PatternStack', 'StackName', 'web[', $null, @{})) | Should -BeNullOrEmpty
    }

    It 'offers the caller''s stacks, with their status, when no account is typed' {
        $line = 'Test-MultiAzResilience -StackName we'
        $found = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches)
        @($found.CompletionText) | Should -Be @('web2')
        $found[0].ListItemText | Should -Be 'web2 (CREATE_COMPLETE)'
    }
}

Describe 'Update-MultiAzStack' {
    It 'refuses <Case> before calling AWS' -ForEach @(
        @{ Case = 'a minimum size of 1'; Arguments = @{ MinSize = 1 }; Message = '*MinSize 1 is below AzCount 2*' }
        @{ Case = 'three AZs with a maximum of 2'; Arguments = @{ AzCount = 3; MaxSize = 2 }; Message = '*FrontendMaxSize 2 is below FrontendMinSize 3*' }
    ) {
        Get-CloudSandboxRequestLog -Clear | Out-Null
        { Update-MultiAzStack -StackName web2 @Arguments -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidMultiAzSettings,CloudPatterns.PowerShell.Cmdlets.UpdateMultiAzStackCommand' -ExpectedMessage $Message
        @(Get-CloudSandboxRequestLog) | Should -HaveCount 0
    }

    It 'checks the given values against the deployed ones before changing anything' {
        Get-CloudSandboxRequestLog -Clear | Out-Null
        { Update-MultiAzStack -StackName web2 -AzCount 3 -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidMultiAzSettings,CloudPatterns.PowerShell.Cmdlets.UpdateMultiAzStackCommand' -ExpectedMessage '*MinSize 2 is below AzCount 3*'
        @(Get-CloudSandboxRequestLog | Where-Object Mutating) | Should -HaveCount 0
    }

    It 'refuses a certificate of another region before any change' {
        $elsewhere = New-SandboxCertificate -Region us-west-2
        Get-CloudSandboxRequestLog -Clear | Out-Null
        { Update-MultiAzStack -StackName web2 -CertificateArn $elsewhere -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidMultiAzSettings,CloudPatterns.PowerShell.Cmdlets.UpdateMultiAzStackCommand' -ExpectedMessage "*CertificateArn '$elsewhere' is not a certificate of account 111111111111 in us-east-2*"
        @(Get-CloudSandboxRequestLog | Where-Object Mutating) | Should -HaveCount 0
    }

    It 'previews, then changes the minimum size in place' {
        $shown = $null
        Update-MultiAzStack -StackName web2 -MinSize 4 -WhatIf -InformationVariable shown | Should -BeNullOrEmpty
        (($shown | ForEach-Object { "$_" }) -join "`n") | Should -Match 'Modify\s+FrontendAutoScalingGroup\s+AWS::AutoScaling::AutoScalingGroup\s+False'
        (Get-PatternStack -StackName web2).Parameters['FrontendMinSize'] | Should -Be '2'

        $before = (Get-PatternStack -StackName web2).Outputs['VpcId']
        $stack = Update-MultiAzStack -StackName web2 -MinSize 4
        $stack.Status | Should -Be 'UPDATE_COMPLETE'
        $stack.Parameters['FrontendMinSize'] | Should -Be '4'
        $stack.Parameters['BackendMinSize'] | Should -Be '4'
        $stack.Parameters['CertificateArn'] | Should -Be $certificate
        $stack.Outputs['VpcId'] | Should -Be $before
    }
}

Describe 'Test-MultiAzResilience' {
    It 'passes every rule on the bundled template' {
        $checks = @(Get-PatternStack -StackName web2, web3 -AccountId $caller, $staging | Test-MultiAzResilience)
        $checks | Should -HaveCount 18
        $checks | ForEach-Object { $_ | Should -BeOfType 'CloudPatterns.Core.MultiAz.ResilienceCheck' }
        @($checks | Where-Object Result -ne 'Pass' | ForEach-Object { "$($_.StackName) $($_.Rule): $($_.Detail)" }) | Should -BeNullOrEmpty
        @($checks.Rule | Sort-Object -Unique) | Should -Contain 'SecurityGroupChaining'
    }

    It 'fails MultipleAvailabilityZones on a variant with every subnet in one AZ' {
        Deploy-Variant 'single-az' ($template -replace "!Select \[1, !GetAZs ''\]", "!Select [0, !GetAZs '']")
        $failed = @(Test-MultiAzResilience -StackName single-az | Where-Object Result -eq 'Fail')
        $failed | Should -HaveCount 1
        $failed[0].Rule | Should -Be 'MultipleAvailabilityZones'
        $failed[0].Remediation | Should -Match 'AzCount 2 or 3'
    }

    It 'fails SecurityGroupChaining on a variant whose database accepts the internet' {
        Deploy-Variant 'open-db' $template.Replace("SourceSecurityGroupId: !Ref BackendSecurityGroup`n          Description: From the backend instances", "CidrIp: 0.0.0.0/0`n          Description: From anywhere")
        $failed = @(Test-MultiAzResilience -StackName open-db | Where-Object Result -eq 'Fail')
        $failed | Should -HaveCount 1
        $failed[0].Rule | Should -Be 'SecurityGroupChaining'
        $failed[0].Detail | Should -Match 'DatabaseSecurityGroup \(tcp 5432-5432 from 0\.0\.0\.0/0\)'
    }

    It 'fails DatabaseDeletionProtection once the protection is turned off by an update' {
        (Update-MultiAzStack -StackName web3 -AccountId $staging -DbDeletionProtection $false).Parameters['DbDeletionProtection'] | Should -Be 'false'
        $failed = @(Test-MultiAzResilience -StackName web3 -AccountId $staging | Where-Object Result -eq 'Fail')
        $failed | Should -HaveCount 1
        $failed[0].Rule | Should -Be 'DatabaseDeletionProtection'
        $failed[0].Detail | Should -Match 'Database'
    }
}

Describe 'Get-PatternCostEstimate' {
    It 'prices planned settings per line item without calling AWS, with the table date' {
        Get-CloudSandboxRequestLog -Clear | Out-Null
        $items = @(Get-PatternCostEstimate -AzCount 3 -MinSize 3)
        @(Get-CloudSandboxRequestLog) | Should -HaveCount 0
        $items[-1].Item | Should -Be 'Total'
        ($items | Where-Object Item -like 'NAT gateways*').Quantity | Should -Be 3
        ($items | Where-Object Item -like 'RDS postgres*').MonthlyCost | Should -Be ([math]::Round(0.036 * 730 * 2, 2))
        @($items.PriceTableDate | Sort-Object -Unique) | Should -HaveCount 1
        $items[0].PriceTableDate | Should -Match '^\d{4}-\d{2}-\d{2}$'
    }

    It 'prices a deployed stack from its parameters' {
        $items = @(Get-PatternCostEstimate -StackName web3 -AccountId $staging)
        $items | Should -Not -BeNullOrEmpty
        $items[0].AccountId | Should -Be $staging
        ($items | Where-Object Item -like 'RDS Proxy*') | Should -Not -BeNullOrEmpty
        ($items | Where-Object Item -like 'Frontend instances*').Quantity | Should -Be 3
    }

    It 'prices traffic and the region''s own prices, each input changing its line' {
        $us = @(Get-PatternCostEstimate -Region us-east-2 -MonthlyTrafficGB 1000 -MonthlyNatTrafficGB 200)
        $singapore = @(Get-PatternCostEstimate -Region ap-southeast-1 -MonthlyTrafficGB 1000 -MonthlyNatTrafficGB 200)
        @($us.Region | Sort-Object -Unique) | Should -Be @('us-east-2')
        ($us | Where-Object Item -like 'Cross-AZ data transfer*').Quantity | Should -Be 1000
        ($us | Where-Object Item -like 'Cross-AZ data transfer*').MonthlyCost | Should -Be 20
        ($us | Where-Object Item -like 'NAT gateway data processing*').MonthlyCost | Should -Be 9
        ($singapore | Where-Object Item -like 'NAT gateway data processing*').MonthlyCost | Should -Be 11.8
        ($us | Where-Object Item -like 'Data transfer out*').MonthlyCost | Should -Be 90
        ($singapore | Where-Object Item -like 'Frontend instances*').UnitPrice | Should -BeGreaterThan ($us | Where-Object Item -like 'Frontend instances*').UnitPrice
        @(Get-PatternCostEstimate -Region us-east-2 | Where-Object Unit -eq 'GB') | Should -BeNullOrEmpty
        { Get-PatternCostEstimate -Region sa-east-1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'NoPriceForType,CloudPatterns.PowerShell.Cmdlets.GetPatternCostEstimateCommand' -ExpectedMessage "*no prices for region 'sa-east-1'; priced regions: us-east-1*"
    }

    It 'prices the DR pattern: backup copies, transfer, orchestrator, the pilot light at rest, and scaled up apart from the total' {
        Get-CloudSandboxRequestLog -Clear | Out-Null
        $dr = @(Get-PatternCostEstimate -DisasterRecovery -Region us-west-2)
        @(Get-CloudSandboxRequestLog) | Should -HaveCount 0
        ($dr | Where-Object Item -like 'Backup storage, warm*').MonthlyCost | Should -Be 200 -Because '4 vault copies of 1000 GB at $0.05'
        ($dr | Where-Object Item -like 'Cross-region copy transfer*').MonthlyCost | Should -Be 12
        ($dr | Where-Object Item -like 'Pilot light at rest: Transit Gateway*').MonthlyCost | Should -Be 36.5
        $total = $dr | Where-Object Item -eq 'Total'
        $total.MonthlyCost | Should -Be ([math]::Round((($dr | Where-Object { $_.Item -ne 'Total' -and $_.Item -notlike 'Pilot light scaled up*' }).MonthlyCost | Measure-Object -Sum).Sum, 2))
        $scaled = $dr | Where-Object Item -like 'Pilot light scaled up*'
        $scaled.MonthlyCost | Should -Be (Get-PatternCostEstimate -Region us-west-2 | Where-Object Item -eq 'Total').MonthlyCost
        $bigger = @(Get-PatternCostEstimate -DisasterRecovery -Region us-west-2 -BackupStorageGB 1500 -ColdStorageGB 500 -AzCount 3 -MinSize 3)
        ($bigger | Where-Object Item -like 'Backup storage, cold*').MonthlyCost | Should -Be 25
        ($bigger | Where-Object Item -eq 'Total').MonthlyCost | Should -BeGreaterThan 300
        ($bigger | Where-Object Item -like 'Pilot light scaled up*').MonthlyCost | Should -BeGreaterThan $scaled.MonthlyCost
        { Get-PatternCostEstimate -DisasterRecovery -VaultCopyCount 0 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,CloudPatterns.PowerShell.Cmdlets.GetPatternCostEstimateCommand'
    }

    It 'names the types it has a price for when one is unknown' {
        { Get-PatternCostEstimate -FrontendInstanceType z9.huge -ErrorAction Stop } |
            Should -Throw -ErrorId 'NoPriceForType,CloudPatterns.PowerShell.Cmdlets.GetPatternCostEstimateCommand' -ExpectedMessage '*no price for z9.huge*t3.small*'
    }
}

Describe 'Remove-PatternStack' {
    It 'leaves the stack with -WhatIf and makes no mutating call' {
        Get-CloudSandboxRequestLog -Clear | Out-Null
        Remove-PatternStack -StackName web2 -WhatIf
        (Get-PatternStack -StackName web2).Status | Should -Be 'UPDATE_COMPLETE'
        @(Get-CloudSandboxRequestLog | Where-Object Mutating) | Should -HaveCount 0
    }

    It 'refuses while termination protection is on and says how to turn it off' {
        New-MultiAzStack -StackName guarded -CertificateArn $certificate -EnableTerminationProtection | Select-Object -ExpandProperty TerminationProtection | Should -BeTrue
        { Remove-PatternStack -StackName guarded -Force -ErrorAction Stop } |
            Should -Throw -ErrorId 'StackTerminationProtected,CloudPatterns.PowerShell.Cmdlets.RemovePatternStackCommand' -ExpectedMessage '*--no-enable-termination-protection*'
        (Get-PatternStack -StackName guarded).Status | Should -Be 'CREATE_COMPLETE'
    }

    It 'refuses while the database has deletion protection on, naming it and saying how to turn it off' {
        $database = (Get-StackDatabase web2).PhysicalResourceId
        Get-CloudSandboxRequestLog -Clear | Out-Null
        { Remove-PatternStack -StackName web2 -Force -ErrorAction Stop } |
            Should -Throw -ErrorId 'StackDbDeletionProtected,CloudPatterns.PowerShell.Cmdlets.RemovePatternStackCommand' `
                -ExpectedMessage "*DB instance(s) or Aurora cluster(s) $database have deletion protection on*Update-MultiAzStack -StackName web2 -AccountId $caller -Region us-east-2 -DbDeletionProtection `$false*"
        @(Get-CloudSandboxRequestLog -Operation DeleteStack) | Should -HaveCount 0
        (Get-PatternStack -StackName web2).Status | Should -Be 'UPDATE_COMPLETE'
    }

    It 'deletes stacks piped from Get-PatternStack once their databases are unprotected' {
        # web2 through the pattern's parameter (web3 was turned off above); the variants, which Update-MultiAzStack
        # would put back to the bundled template, through the RDS API.
        (Update-MultiAzStack -StackName web2 -DbDeletionProtection $false).Parameters['DbDeletionProtection'] | Should -Be 'false'
        foreach ($variant in 'single-az', 'open-db') {
            aws rds modify-db-instance --db-instance-identifier (Get-StackDatabase $variant).PhysicalResourceId --no-deletion-protection --apply-immediately | Out-Null
            $LASTEXITCODE | Should -Be 0
        }
        $removed = @(Get-PatternStack -StackName web2, web3, single-az, open-db -AccountId $caller, $staging | Remove-PatternStack -Force -PassThru)
        @($removed.StackName | Sort-Object) | Should -Be @('open-db', 'single-az', 'web2', 'web3')
        Get-PatternStack -StackName web2, web3, single-az, open-db -AccountId $caller, $staging | Should -BeNullOrEmpty
    }
}

Describe 'Streams of a Multi-AZ run' {
    It 'hold neither the secret key nor a session token with -Verbose -Debug, and tell each AWS call' {
        Get-CloudSandboxRequestLog -Clear | Out-Null
        $streams = Invoke-WithEveryStream -Variables @{ certificate = $stagingCertificate; staging = $staging } -Script '
            New-MultiAzStack -StackName streams -AccountId $staging -CertificateArn $certificate -DbDeletionProtection $false
            Test-MultiAzResilience -StackName streams -AccountId $staging
            Get-PatternCostEstimate -StackName streams -AccountId $staging
            Update-MultiAzStack -StackName streams -AccountId $staging -MinSize 3 -WhatIf
            Remove-PatternStack -StackName streams -AccountId $staging -Force
            New-MultiAzStack -StackName streams -AccountId 999999999999 -CertificateArn $certificate'
        foreach ($stream in 'Output', 'Error', 'Verbose', 'Debug', 'Information', 'Progress') { $streams.$stream | Should -Not -BeNullOrEmpty -Because "the run writes to $stream" }
        $streams.Information | Should -Match "What if: Update stack 'streams' in $staging"
        foreach ($stream in $streams.PSObject.Properties) { Find-Secret $stream.Value -Secret $env:AWS_SECRET_ACCESS_KEY | Should -BeNullOrEmpty -Because "the $($stream.Name) stream must hold no secret" }
        Compare-VerboseWithRequestLog $streams.Verbose @(Get-CloudSandboxRequestLog) | Should -BeNullOrEmpty
        Get-PatternStack -StackName streams -AccountId $staging | Should -BeNullOrEmpty
    }
}
