# The Availability Zone failure drill against LocalCloud: the pattern's stack rides it out, a single-zone stack has an outage.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-CloudPatternsUnderTest
    $script:sandbox = Start-CloudSandbox -Force
    $script:admin = $sandbox.Url.ToString().TrimEnd('/') + '/_localcloud'
    $script:certificate = New-SandboxCertificate
    New-MultiAzStack -StackName drill -CertificateArn $certificate | Out-Null

    # A deliberately single-zone web tier (New-MultiAzStack refuses -AzCount 1), deployed with the AWS CLI.
    $file = Join-Path ([System.IO.Path]::GetTempPath()) 'single-zone-web.yaml'
    Set-Content -Path $file -Value @'
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.1.0.0/16}}
  Subnet: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.1.1.0/24, AvailabilityZone: !Select [0, !GetAZs '']}}
  Template: {Type: AWS::EC2::LaunchTemplate, Properties: {LaunchTemplateData: {ImageId: ami-0123456789abcdef0, InstanceType: t3.small}}}
  Targets: {Type: AWS::ElasticLoadBalancingV2::TargetGroup, Properties: {VpcId: !Ref Vpc, Protocol: HTTP, Port: 80, HealthCheckPath: /health, HealthCheckIntervalSeconds: 30, HealthyThresholdCount: 2, UnhealthyThresholdCount: 3}}
  LoadBalancer: {Type: AWS::ElasticLoadBalancingV2::LoadBalancer, Properties: {Subnets: [!Ref Subnet]}}
  Http: {Type: AWS::ElasticLoadBalancingV2::Listener, Properties: {LoadBalancerArn: !Ref LoadBalancer, Port: 80, Protocol: HTTP, DefaultActions: [{Type: forward, TargetGroupArn: !Ref Targets}]}}
  Group:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties: {MinSize: '2', MaxSize: '4', HealthCheckType: ELB, HealthCheckGracePeriod: 300, VPCZoneIdentifier: [!Ref Subnet], TargetGroupARNs: [!Ref Targets], LaunchTemplate: {LaunchTemplateId: !Ref Template, Version: !GetAtt Template.LatestVersionNumber}}
'@
    aws cloudformation create-stack --stack-name single --template-body "file://$file" | Out-Null
    $LASTEXITCODE | Should -Be 0
    $deadline = (Get-Date).AddSeconds(60)
    do { Start-Sleep -Milliseconds 200; $status = (aws cloudformation describe-stacks --stack-name single | ConvertFrom-Json).Stacks[0].StackStatus } while ($status -like '*_IN_PROGRESS' -and (Get-Date) -lt $deadline)
    $status | Should -Be 'CREATE_COMPLETE'

    # Six simulated minutes: every instance has booted, passed its health checks and left its Auto Scaling grace period.
    Invoke-RestMethod -Method Post -Uri "$admin/clock" -Body '{"advance":"PT6M"}' -ContentType application/json | Out-Null
}

AfterAll { Stop-CloudSandbox }

Describe 'Invoke-MultiAzDrill' {
    It 'with -WhatIf fails no zone' {
        Invoke-MultiAzDrill -StackName drill -SimulateAzFailure us-east-2a -WhatIf | Should -BeNullOrEmpty
        (Invoke-RestMethod "$admin/fleet/zone-outages").failedZones | Should -BeNullOrEmpty
    }

    It 'refuses a zone the stack does not run in, naming the ones it does' {
        { Invoke-MultiAzDrill -StackName drill -AvailabilityZone us-east-2c -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ExpectedMessage "*'us-east-2c' is not one the stack's application tier runs in; use one of: us-east-2a, us-east-2b*"
    }

    It 'on the pattern''s stack: capacity back in the other zone and the database failed over within 60-120 s' {
        $result = Invoke-MultiAzDrill -StackName drill -AvailabilityZone us-east-2a -DurationMinutes 8 -Confirm:$false
        $result.GetType().Name | Should -Be 'MultiAzDrillResult'
        $result.Zones | Should -Be @('us-east-2a', 'us-east-2b')
        $result.Outage | Should -BeFalse
        $result.Requests | Should -Be 192
        # Requests to the failed zone fail until the third failed health check (30 s apart): about half the traffic for up to 90 s.
        $result.FailedRequests | Should -BeGreaterThan 0
        $result.ErrorsForSeconds | Should -BeLessOrEqual 95
        $result.AvailabilityPercent | Should -BeGreaterThan 90
        $result.MonthlyAvailabilityPercent | Should -BeGreaterOrEqual 99.95
        # Replacement at the unhealthy mark, then boot (60 s) and two passed checks.
        $result.CapacityRecoverySeconds | Should -BeGreaterThan 100
        $result.CapacityRecoverySeconds | Should -BeLessOrEqual 200
        $result.DatabaseZoneBefore | Should -Be 'us-east-2a'
        $result.DatabaseZoneAfter | Should -Be 'us-east-2b'
        $result.DatabaseFailoverSeconds | Should -BeGreaterOrEqual 60
        $result.DatabaseFailoverSeconds | Should -BeLessOrEqual 120
        $result.Passed | Should -BeTrue
        (Invoke-RestMethod "$admin/fleet/zone-outages").failedZones | Should -BeNullOrEmpty
    }

    It 'on a single-zone stack reports the outage' {
        $result = Invoke-MultiAzDrill -StackName single -AvailabilityZone us-east-2a -DurationMinutes 8 -Confirm:$false
        $result.Outage | Should -BeTrue
        $result.AvailabilityPercent | Should -BeLessThan 5
        $result.CapacityRecoverySeconds | Should -BeNullOrEmpty
        $result.Database | Should -BeNullOrEmpty
        $result.Passed | Should -BeFalse
        $result.Findings[0] | Should -BeLike 'The application runs in one Availability Zone (us-east-2a): losing it is an outage.*'
    }
}
