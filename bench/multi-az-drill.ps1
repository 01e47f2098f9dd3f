<#
.SYNOPSIS
    Issue 18's drill figures, both paths, in one run: a Multi-AZ stack in us-east-2 drilled with LocalCloud's zone
    outage (10 simulated minutes), and one in us-west-2 drilled through the repository's FIS experiment template
    (templates/multi-az/az-failure-experiment.yaml, created with the AWS CLI). Prints, per path, the requests, first
    attempts failed, requests failed after the probe's one retry, availability (first attempt and after retry),
    capacity recovery and database failover seconds (docs/multi-az-drill.md explains the retry decision).
.EXAMPLE
    dotnet pwsh ./bench/multi-az-drill.ps1
#>
$ErrorActionPreference = 'Stop'
Set-Location (Join-Path $PSScriptRoot '..')
Import-Module ./tests/pester/TestHelpers.psm1 -Force
Import-CloudPatternsUnderTest
$sandbox = Start-CloudSandbox -Force
try {
    $admin = $sandbox.Url.ToString().TrimEnd('/') + '/_localcloud'
    $cert = New-SandboxCertificate
    New-MultiAzStack -StackName shop -CertificateArn $cert | Out-Null
    Invoke-RestMethod -Method Post -Uri "$admin/clock" -Body '{"advance":"PT6M"}' -ContentType application/json | Out-Null
    $r = Invoke-MultiAzDrill -StackName shop -AvailabilityZone us-east-2a -DurationMinutes 10 -Confirm:$false
    $r | Select-Object FaultMechanism, Requests, FirstAttemptFailures, FailedRequests, FirstAttemptAvailabilityPercent, AvailabilityPercent, MonthlyAvailabilityPercent, ErrorsForSeconds, CapacityRecoverySeconds, DatabaseFailoverSeconds, Passed | Format-List | Out-String | Write-Output
    $cert2 = New-SandboxCertificate -Region us-west-2
    New-MultiAzStack -StackName shop -Region us-west-2 -CertificateArn $cert2 | Out-Null
    Invoke-RestMethod -Method Post -Uri "$admin/clock" -Body '{"advance":"PT6M"}' -ContentType application/json | Out-Null
    $resources = (aws cloudformation describe-stack-resources --region us-west-2 --stack-name shop | ConvertFrom-Json).StackResources
    $account = (aws sts get-caller-identity | ConvertFrom-Json).Account
    $db = ($resources | Where-Object LogicalResourceId -eq 'Database').PhysicalResourceId
    $lb = ($resources | Where-Object LogicalResourceId -eq 'LoadBalancer').PhysicalResourceId
    aws cloudformation create-stack --region us-west-2 --stack-name shop-az-drill --template-body file://templates/multi-az/az-failure-experiment.yaml --capabilities CAPABILITY_IAM --parameters ParameterKey=StackName,ParameterValue=shop ParameterKey=AvailabilityZone,ParameterValue=us-west-2a ParameterKey=Duration,ParameterValue=PT10M "ParameterKey=DatabaseArn,ParameterValue=arn:aws:rds:us-west-2:${account}:db:$db" "ParameterKey=LoadBalancerFullName,ParameterValue=$(($lb -split ':loadbalancer/')[1])" | Out-Null
    Start-Sleep 3
    $r = Invoke-MultiAzDrill -StackName shop -Region us-west-2 -AvailabilityZone us-west-2a -Confirm:$false
    $r | Select-Object FaultMechanism, ExperimentState, Requests, FirstAttemptFailures, FailedRequests, FirstAttemptAvailabilityPercent, AvailabilityPercent, MonthlyAvailabilityPercent, ErrorsForSeconds, CapacityRecoverySeconds, DatabaseFailoverSeconds, Passed | Format-List | Out-String | Write-Output
} finally { Stop-CloudSandbox }
