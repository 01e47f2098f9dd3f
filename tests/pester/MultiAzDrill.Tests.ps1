# The Availability Zone failure drill against LocalCloud: the pattern's stack rides it out, through LocalCloud's admin
# zone outage and through the stack's AWS FIS experiment template; a single-zone stack has an outage; Ctrl+C clears the fault.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-CloudPatternsUnderTest
    $script:sandbox = Start-CloudSandbox -Force
    $script:admin = $sandbox.Url.ToString().TrimEnd('/') + '/_localcloud'
    $script:certificate = New-SandboxCertificate
    New-MultiAzStack -StackName drill -CertificateArn $certificate | Out-Null
    # The FIS drills run in us-west-2: outages are per account, region and zone, so the admin drill in us-east-2 leaves
    # this stack alone.
    $westCertificate = New-SandboxCertificate -Region us-west-2
    New-MultiAzStack -StackName fisdrill -Region us-west-2 -CertificateArn $westCertificate | Out-Null

    # Waits for a stack the AWS CLI creates; returns its outputs by key.
    function Wait-CliStack([string] $Name, [string] $Region) {
        $deadline = (Get-Date).AddSeconds(60)
        do { Start-Sleep -Milliseconds 200; $stack = (aws cloudformation describe-stacks --region $Region --stack-name $Name | ConvertFrom-Json).Stacks[0] } while ($stack.StackStatus -like '*_IN_PROGRESS' -and (Get-Date) -lt $deadline)
        $stack.StackStatus | Should -Be 'CREATE_COMPLETE'
        $outputs = @{}
        foreach ($output in $stack.Outputs) { $outputs[$output.OutputKey] = $output.OutputValue }
        $outputs
    }
    # The repository's FIS experiment template (templates/multi-az/az-failure-experiment.yaml) for a stack and zone,
    # deployed next to it with the AWS CLI as the docs say; returns its ExperimentTemplateId.
    function Deploy-DrillExperiment([string] $Stack, [string] $Zone, [string] $Duration) {
        $region = $Zone.Substring(0, $Zone.Length - 1)
        $resources = (aws cloudformation describe-stack-resources --region $region --stack-name $Stack | ConvertFrom-Json).StackResources
        $account = (aws sts get-caller-identity | ConvertFrom-Json).Account
        # An Aurora stack's database is its cluster (logical id DatabaseCluster), which the experiment fails over.
        $cluster = ($resources | Where-Object LogicalResourceId -eq 'DatabaseCluster').PhysicalResourceId
        $type, $database = if ($cluster) { 'aurora-cluster', "arn:aws:rds:${region}:${account}:cluster:$cluster" }
        else { 'instance', "arn:aws:rds:${region}:${account}:db:$(($resources | Where-Object LogicalResourceId -eq 'Database').PhysicalResourceId)" }
        $balancer = ($resources | Where-Object LogicalResourceId -eq 'LoadBalancer').PhysicalResourceId
        $template = Join-Path $PSScriptRoot '../../templates/multi-az/az-failure-experiment.yaml'
        aws cloudformation create-stack --region $region --stack-name "$Stack-drill-$Duration" --template-body "file://$template" --capabilities CAPABILITY_IAM --parameters `
            "ParameterKey=StackName,ParameterValue=$Stack" "ParameterKey=AvailabilityZone,ParameterValue=$Zone" "ParameterKey=Duration,ParameterValue=$Duration" "ParameterKey=DatabaseType,ParameterValue=$type" `
            "ParameterKey=DatabaseArn,ParameterValue=$database" "ParameterKey=LoadBalancerFullName,ParameterValue=$(($balancer -split ':loadbalancer/')[1])" | Out-Null
        $LASTEXITCODE | Should -Be 0
        (Wait-CliStack "$Stack-drill-$Duration" $region).ExperimentTemplateId
    }
    $script:experimentTemplate = Deploy-DrillExperiment fisdrill us-west-2a PT5M

    # The FIS drill runs as the MultiAzDeploy job's role (its policy from Get-CloudPatternsPolicy), as the caller's own
    # session in the stack's account, so that its requests prove the drill statements (docs/least-privilege.md).
    $script:account = (aws sts get-caller-identity | ConvertFrom-Json).Account
    $script:drillPolicy = Get-CloudPatternsPolicy -Job MultiAzDeploy -AccountId $account
    $trust = Join-Path $TestDrive 'trust.json'
    @{ Version = '2012-10-17'; Statement = @(@{ Effect = 'Allow'; Principal = @{ AWS = "arn:aws:iam::${account}:root" }; Action = 'sts:AssumeRole' }) } | ConvertTo-Json -Depth 6 | Set-Content -Path $trust
    aws iam create-role --role-name CloudPatternsMultiAzDeploy --assume-role-policy-document "file://$trust" | Out-Null
    $LASTEXITCODE | Should -Be 0
    # Gives the role the job's policy without the statement $WithoutSid (none: all of it).
    function Set-DrillRolePolicy([string] $WithoutSid) {
        $document = $drillPolicy.PolicyDocument | ConvertFrom-Json
        $document.Statement = @($document.Statement | Where-Object Sid -ne $WithoutSid)
        $file = Join-Path $TestDrive 'policy.json'
        $document | ConvertTo-Json -Depth 6 | Set-Content -Path $file
        aws iam put-role-policy --role-name CloudPatternsMultiAzDeploy --policy-name MultiAzDeploy --policy-document "file://$file" | Out-Null
        $LASTEXITCODE | Should -Be 0
    }
    # Runs $Command with the role's session as the caller's credentials.
    function Invoke-AsDrillRole([scriptblock] $Command) {
        $session = (aws sts assume-role --role-arn "arn:aws:iam::${account}:role/CloudPatternsMultiAzDeploy" --role-session-name drill | ConvertFrom-Json).Credentials
        $saved = $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY, $env:AWS_SESSION_TOKEN
        $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY, $env:AWS_SESSION_TOKEN = $session.AccessKeyId, $session.SecretAccessKey, $session.SessionToken
        try { & $Command }
        finally { $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY, $env:AWS_SESSION_TOKEN = $saved }
    }
    Set-DrillRolePolicy

    # The Aurora variant, in us-west-2 too, deployed as the MultiAzDeploy role (CloudFormation creates the cluster as
    # the role's session): its request log proves the role's cluster statements (docs/least-privilege.md). The FIS
    # experiments there touch only fisdrill's database; the Aurora drills run last.
    Get-CloudSandboxRequestLog -Clear | Out-Null
    Invoke-AsDrillRole { New-MultiAzStack -StackName auroradrill -Region us-west-2 -DbEngine aurora-postgresql -CertificateArn $westCertificate } | Out-Null
    $script:auroraLog = @(Get-CloudSandboxRequestLog)

    # The Aurora stack's cluster, with its writer's and its reader's zone.
    function Get-DrillCluster {
        $cluster = (aws rds describe-db-clusters --region us-west-2 | ConvertFrom-Json).DBClusters | Where-Object DBClusterIdentifier -like 'auroradrill-*'
        $zoneOf = { param($member) (aws rds describe-db-instances --region us-west-2 --db-instance-identifier $member.DBInstanceIdentifier | ConvertFrom-Json).DBInstances[0].AvailabilityZone }
        [pscustomobject]@{ Cluster = $cluster; WriterZone = & $zoneOf ($cluster.DBClusterMembers | Where-Object IsClusterWriter); ReaderZone = & $zoneOf ($cluster.DBClusterMembers | Where-Object { -not $_.IsClusterWriter }) }
    }
    # A drill on the Aurora stack moved the writer from $From to $To, timed from the writer switch (RDS-EVENT-0073
    # started to RDS-EVENT-0071 completed, the latest pair as the AWS CLI reads them) within 120 s, passed, and left no zone down.
    function Assert-ClusterFailover($Result, [string] $Cluster, [string] $From, [string] $To) {
        $Result.Database | Should -Be $Cluster
        $Result.DatabaseIsCluster | Should -BeTrue
        $Result.DatabaseZoneBefore | Should -Be $From
        $Result.DatabaseZoneAfter | Should -Be $To
        $events = (aws rds describe-events --region us-west-2 --source-type db-cluster --source-identifier $Cluster --duration 60 | ConvertFrom-Json).Events
        $started = ($events | Where-Object Message -like 'Started cross AZ failover*' | ForEach-Object { [datetime]$_.Date } | Sort-Object)[-1]
        $completed = ($events | Where-Object Message -like 'Completed failover*' | ForEach-Object { [datetime]$_.Date } | Sort-Object)[-1]
        $Result.DatabaseFailoverSeconds | Should -Be ($completed - $started).TotalSeconds
        $Result.DatabaseFailoverSeconds | Should -BeGreaterThan 0
        $Result.DatabaseFailoverSeconds | Should -BeLessOrEqual 120
        $Result.AvailabilityPercent | Should -BeGreaterOrEqual 99.9
        $Result.Passed | Should -BeTrue -Because ($Result.Findings -join ' ')
        (Invoke-RestMethod "$admin/fleet/zone-outages").failedZones | Should -BeNullOrEmpty
    }

    # Moves the sandbox clock 30 s at a time (at most 10 minutes) until every Auto Scaling group of the stack runs its
    # desired capacity InService in each of $Zones with nothing else: the groups rebalanced after a drill. Then moves
    # it on by the groups' health check grace period, so that the new instances are past it and healthy, as the stacks
    # of the other drills are (a zone's instances still in their grace period are not replaced when it fails).
    function Wait-DrillRebalanced([string] $Stack, [string] $Region, [string[]] $Zones) {
        $resources = (aws cloudformation describe-stack-resources --region $Region --stack-name $Stack | ConvertFrom-Json).StackResources
        $groupNames = @($resources | Where-Object ResourceType -eq 'AWS::AutoScaling::AutoScalingGroup' | ForEach-Object PhysicalResourceId)
        $groupNames | Should -Not -BeNullOrEmpty
        for ($step = 0; $step -lt 20; $step++) {
            $groups = (aws autoscaling describe-auto-scaling-groups --region $Region --auto-scaling-group-names @groupNames | ConvertFrom-Json).AutoScalingGroups
            $balanced = @($groups | Where-Object {
                $inService = @($_.Instances | Where-Object LifecycleState -eq 'InService')
                $_.Instances.Count -eq $_.DesiredCapacity -and $inService.Count -eq $_.DesiredCapacity -and
                    @($Zones | Where-Object { $_ -notin $inService.AvailabilityZone }).Count -eq 0
            })
            if ($balanced.Count -eq $groups.Count) {
                $grace = ($groups | Measure-Object -Property HealthCheckGracePeriod -Maximum).Maximum
                Invoke-RestMethod -Method Post -Uri "$admin/clock" -Body (@{ advance = "PT$($grace)S" } | ConvertTo-Json) -ContentType application/json | Out-Null
                return
            }
            Invoke-RestMethod -Method Post -Uri "$admin/clock" -Body '{"advance":"PT30S"}' -ContentType application/json | Out-Null
        }
        throw "The Auto Scaling groups of $Stack did not rebalance over $($Zones -join ', ') within 10 simulated minutes."
    }

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
        $result.FaultMechanism | Should -BeLike 'LocalCloud zone outage*'
        $result.Requests | Should -Be 192
        # First attempts to the failed zone fail until the third failed health check (30 s apart), up to 90 s of the
        # 480. The probe's one retry of the GET goes to the next target, in the other zone; the retries take their turn
        # in the round robin, so in that window nearly every first attempt meets the failed zone.
        $result.FirstAttemptFailures | Should -BeGreaterThan 0
        $result.FirstAttemptAvailabilityPercent | Should -BeGreaterThan 75
        $result.FirstAttemptAvailabilityPercent | Should -BeLessThan 99.9
        $result.FailedRequests | Should -Be 0
        $result.AvailabilityPercent | Should -BeGreaterOrEqual 99.9
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

    It 'runs the stack''s FIS experiment template when it has one: the zone''s subnets are cut, the database fails over, the experiment completes' {
        Get-CloudSandboxRequestLog -Clear | Out-Null
        $result = Invoke-AsDrillRole { Invoke-MultiAzDrill -StackName fisdrill -Region us-west-2 -AvailabilityZone us-west-2a -Confirm:$false }
        $script:drillLog = @(Get-CloudSandboxRequestLog)
        $result.FaultMechanism | Should -Be "AWS FIS experiment template $experimentTemplate"
        $result.ExperimentState | Should -Be 'completed'
        # The experiment's PT5M and one more probe step: 61 steps of 2 requests.
        $result.Requests | Should -Be 122
        $result.FirstAttemptFailures | Should -BeGreaterThan 0
        $result.AvailabilityPercent | Should -BeGreaterOrEqual 99.9
        $result.CapacityRecoverySeconds | Should -Not -BeNullOrEmpty
        $result.DatabaseZoneBefore | Should -Be 'us-west-2a'
        $result.DatabaseZoneAfter | Should -Be 'us-west-2b'
        $result.DatabaseFailoverSeconds | Should -BeGreaterOrEqual 60
        $result.DatabaseFailoverSeconds | Should -BeLessOrEqual 120
        $result.Passed | Should -BeTrue
        (aws fis get-experiment --region us-west-2 --id $result.ExperimentId | ConvertFrom-Json).experiment.state.status | Should -Be 'completed'
        (Invoke-RestMethod "$admin/fleet/zone-outages").failedZones | Should -BeNullOrEmpty
    }

    It 'as the MultiAzDeploy role needs both drill statements, and without MultiAzDrillFis is refused the action the simulator found, before any change' {
        # Minimality by simulation over the FIS drill's requests (docs/least-privilege.md): each statement is needed.
        $needed = Find-NeededPolicyPart -RoleName CloudPatternsMultiAzDeploy -Requests $drillLog -Policies @{ $account = $drillPolicy.PolicyDocument }
        $needed['MultiAzDrill'].action | Should -Not -BeNullOrEmpty
        $found = $needed['MultiAzDrillFis'].action
        $found | Should -BeLike 'fis:*'
        # One real removal ties the simulation to a refusal.
        Get-CloudSandboxRequestLog -Clear | Out-Null
        try {
            Set-DrillRolePolicy -WithoutSid MultiAzDrillFis
            { Invoke-AsDrillRole { Invoke-MultiAzDrill -StackName fisdrill -Region us-west-2 -AvailabilityZone us-west-2a -Confirm:$false -ErrorAction Stop } } |
                Should -Throw -ExpectedMessage "*assumed-role/CloudPatternsMultiAzDeploy/drill is not authorized to perform: $found *"
        }
        finally { Set-DrillRolePolicy }
        @(Get-CloudSandboxRequestLog | Where-Object { $_.Operation -in 'StartExperiment', 'PutClock' }) | Should -BeNullOrEmpty
        (Invoke-RestMethod "$admin/fleet/zone-outages").failedZones | Should -BeNullOrEmpty
    }

    It '-UseFis refuses a stack without an experiment template for the zone, before any change' {
        Get-CloudSandboxRequestLog -Clear | Out-Null
        { Invoke-MultiAzDrill -StackName drill -AvailabilityZone us-east-2a -UseFis -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ExpectedMessage "*Stack 'drill' has no AWS FIS experiment template for us-east-2a: deploy templates/multi-az/az-failure-experiment.yaml*"
        @(Get-CloudSandboxRequestLog | Where-Object { $_.Operation -in 'StartExperiment', 'PutClock' }) | Should -BeNullOrEmpty
        (Invoke-RestMethod "$admin/fleet/zone-outages").failedZones | Should -BeNullOrEmpty
    }

    It 'on Ctrl+C (SIGINT) brings the zone back: the admin outage is lifted, the FIS experiment stopped' {
        $long = Deploy-DrillExperiment fisdrill us-west-2a PT2H
        $module = (Get-Module CloudPatterns).Path
        foreach ($case in @(
                @{ Drill = "Invoke-MultiAzDrill -StackName drill -AvailabilityZone us-east-2b -DurationMinutes 120 -Confirm:`$false" }
                @{ Drill = "Invoke-MultiAzDrill -StackName fisdrill -Region us-west-2 -AvailabilityZone us-west-2a -ExperimentTemplateId $long -Confirm:`$false" })) {
            $child = Start-PwshChild "`$ErrorActionPreference = 'Stop'; Import-Module '$module'; $($case.Drill)"
            try {
                $deadline = [datetime]::UtcNow.AddSeconds(90)
                while (-not (Invoke-RestMethod "$admin/fleet/zone-outages").failedZones) {
                    if ([datetime]::UtcNow -gt $deadline -or $child.Process.HasExited) { throw "The drill did not take a zone down within 90 s: $($child.Error.Result)" }
                    Start-Sleep -Milliseconds 100
                }
                /usr/bin/env kill -INT $child.Process.Id
                $child.Process.WaitForExit(60000) | Should -BeTrue -Because 'the interrupted drill ends once it cleared the fault'
            }
            finally { if (-not $child.Process.HasExited) { $child.Process.Kill() } }
            (Invoke-RestMethod "$admin/fleet/zone-outages").failedZones | Should -BeNullOrEmpty -Because "$($case.Drill) was interrupted"
        }
        $stopped = @((aws fis list-experiments --region us-west-2 | ConvertFrom-Json).experiments | Where-Object experimentTemplateId -eq $long)
        $stopped | Should -HaveCount 1
        $stopped[0].state.status | Should -Be 'stopped'
        $stopped[0].state.reason | Should -Be 'Experiment stopped by user.'
    }

    It 'when FIS keeps failing, ends with the error and leaves no zone down' {
        # Two attempts per call keep the retries short; the faults outlast them: the probe's DescribeTargetHealth fails,
        # then so does the StopExperiment of the drill's clean-up.
        # Three simulated minutes first: the database's failover from the Ctrl+C case (60-120 s) is over, so the
        # experiment's own failover action can start.
        Invoke-RestMethod -Method Post -Uri "$admin/clock" -Body '{"advance":"PT3M"}' -ContentType application/json | Out-Null
        $env:AWS_MAX_ATTEMPTS = '2'
        try {
            Set-CloudSandboxFault -Service elasticloadbalancing -Operation DescribeTargetHealth -ErrorRate 1 -ErrorCode ServiceUnavailable
            Set-CloudSandboxFault -Service fis -Operation StopExperiment -ErrorRate 1 -ErrorCode ServiceUnavailable
            { Invoke-MultiAzDrill -StackName fisdrill -Region us-west-2 -AvailabilityZone us-west-2a -Confirm:$false -ErrorAction Stop } |
                Should -Throw -ExpectedMessage '*temporary failure of the server*'
            (Invoke-RestMethod "$admin/fleet/zone-outages").failedZones | Should -BeNullOrEmpty
        }
        finally {
            Clear-CloudSandboxFault
            Remove-Item Env:AWS_MAX_ATTEMPTS
        }
        # FIS never heard the stop: the experiment runs on (without its cut) until it is stopped here.
        $experiments = (aws fis list-experiments --region us-west-2 | ConvertFrom-Json).experiments
        $running = @($experiments | Where-Object { $_.state.status -eq 'running' })
        $running | Should -HaveCount 1 -Because ($experiments | ConvertTo-Json -Depth 5 -Compress)
        aws fis stop-experiment --region us-west-2 --id $running[0].id | Out-Null
        $LASTEXITCODE | Should -Be 0
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

    It 'on the Aurora variant, as the MultiAzDeploy role: the cluster''s writer moves to the reader''s zone, timed from the cluster''s failover events' {
        $drilled = Get-DrillCluster
        $drilled.Cluster.Engine | Should -Be 'aurora-postgresql'
        $drilled.Cluster.DBClusterMembers | Should -HaveCount 2
        $drilled.ReaderZone | Should -Not -Be $drilled.WriterZone
        Get-CloudSandboxRequestLog -Clear | Out-Null
        $result = Invoke-AsDrillRole { Invoke-MultiAzDrill -StackName auroradrill -Region us-west-2 -AvailabilityZone $drilled.WriterZone -DurationMinutes 3 -Confirm:$false }
        $script:auroraLog += @(Get-CloudSandboxRequestLog)
        Assert-ClusterFailover $result $drilled.Cluster.DBClusterIdentifier -From $drilled.WriterZone -To $drilled.ReaderZone
    }

    It 'on the Aurora variant through its FIS experiment template, as the MultiAzDeploy role: aws:rds:failover-db-cluster moves the writer, timed from the cluster''s events' {
        $drilled = Get-DrillCluster
        # The admin drill above left the application tier in one zone; once that zone was back, Auto Scaling rebalanced
        # the groups (docs/localcloud-autoscaling.md, "Rebalancing across zones"). Wait for it on the sandbox clock, so
        # that the experiment can cut the writer's zone as an AZ-failure drill should. The zone cut is a network
        # disruption, which moves no writer by itself: the experiment's aws:rds:failover-db-cluster does (docs/localcloud-fis.md).
        # PT5M, as the instance drill's: the cut zone's capacity comes back in the other zone after the unhealthy mark
        # (90 s), a boot and two passed checks, beyond a 2-minute cut.
        Wait-DrillRebalanced auroradrill us-west-2 $drilled.WriterZone, $drilled.ReaderZone
        $template = Deploy-DrillExperiment auroradrill $drilled.WriterZone PT5M
        $experiment = (aws fis get-experiment-template --region us-west-2 --id $template | ConvertFrom-Json).experimentTemplate
        $experiment.actions.FailDatabaseOver.actionId | Should -Be 'aws:rds:failover-db-cluster'
        $experiment.targets.Database.resourceType | Should -Be 'aws:rds:cluster'
        $experiment.targets.Database.resourceArns | Should -Be $drilled.Cluster.DBClusterArn
        Get-CloudSandboxRequestLog -Clear | Out-Null
        $result = Invoke-AsDrillRole { Invoke-MultiAzDrill -StackName auroradrill -Region us-west-2 -AvailabilityZone $drilled.WriterZone -UseFis -Confirm:$false }
        $script:auroraLog += @(Get-CloudSandboxRequestLog)
        $result.FaultMechanism | Should -Be "AWS FIS experiment template $template"
        $result.ExperimentState | Should -Be 'completed'
        Assert-ClusterFailover $result $drilled.Cluster.DBClusterIdentifier -From $drilled.WriterZone -To $drilled.ReaderZone
    }

    It 'Remove-PatternStack on the Aurora variant, as the MultiAzDeploy role: without MultiAzAuroraCluster, or while the cluster is protected, refused before any change; removed once protection is off' {
        $cluster = (Get-DrillCluster).Cluster.DBClusterIdentifier
        Get-CloudSandboxRequestLog -Clear | Out-Null
        # One real removal of the statement ties the simulation below to a refusal: the cluster's protection is read first.
        try {
            Set-DrillRolePolicy -WithoutSid MultiAzAuroraCluster
            { Invoke-AsDrillRole { Remove-PatternStack -StackName auroradrill -Region us-west-2 -Force -ErrorAction Stop } } |
                Should -Throw -ExpectedMessage "*assumed-role/CloudPatternsMultiAzDeploy/drill is not authorized to perform: rds:DescribeDBClusters *"
        }
        finally { Set-DrillRolePolicy }
        { Invoke-AsDrillRole { Remove-PatternStack -StackName auroradrill -Region us-west-2 -Force -ErrorAction Stop } } |
            Should -Throw -ExpectedMessage "*its DB instance(s) or Aurora cluster(s) $cluster have deletion protection on*-DbDeletionProtection `$false*"
        @(Get-CloudSandboxRequestLog | Where-Object Operation -eq 'DeleteStack') | Should -BeNullOrEmpty
        Invoke-AsDrillRole {
            (Update-MultiAzStack -StackName auroradrill -Region us-west-2 -DbDeletionProtection $false -Confirm:$false).Status | Should -Be 'UPDATE_COMPLETE'
            Remove-PatternStack -StackName auroradrill -Region us-west-2 -Force
        }
        $script:auroraLog += @(Get-CloudSandboxRequestLog)
        @((aws rds describe-db-clusters --region us-west-2 | ConvertFrom-Json).DBClusters | Where-Object DBClusterIdentifier -eq $cluster) | Should -BeNullOrEmpty
    }

    It 'on the Aurora variant the MultiAzDeploy role needs MultiAzAuroraCluster and each cluster action of its resources' {
        # Minimality by simulation over the Aurora variant's requests as the role: deploy, both drills, removal
        # (docs/least-privilege.md); the real removal is the case above.
        $policies = @{ $account = $drillPolicy.PolicyDocument }
        $byStatement = Find-NeededPolicyPart -RoleName CloudPatternsMultiAzDeploy -Requests $auroraLog -Policies $policies
        $byStatement['MultiAzAuroraCluster'].action | Should -Be 'rds:DescribeDBClusters'
        $byStatement['MultiAzAuroraCluster'].decision | Should -Be 'implicitDeny'
        $byAction = Find-NeededPolicyPart -RoleName CloudPatternsMultiAzDeploy -Requests $auroraLog -Policies $policies -By Action
        foreach ($action in 'rds:CreateDBCluster', 'rds:ModifyDBCluster', 'rds:DeleteDBCluster') {
            $byAction[$action].decision | Should -Be 'implicitDeny' -Because "$action is needed by one of the Aurora variant's requests"
        }
        # Every request the role made for the Aurora variant was allowed.
        @($auroraLog | Where-Object Principal -like '*:assumed-role/CloudPatternsMultiAzDeploy/*' | Where-Object Decision -ne Allow | Where-Object Operation -notin 'DescribeDBClusters' |
                ForEach-Object { "$($_.Operation) $($_.Action)" }) | Should -BeNullOrEmpty
    }
}
