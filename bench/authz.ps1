<#
.SYNOPSIS
    Authorization overhead: LocalCloud's request rate for a role carrying 20 policies of 10 statements each, in an
    account 3 OUs deep whose every level has a 10-statement SCP, relative to a role carrying only AdministratorAccess in
    an account directly under the root. Both call organizations:DescribeOrganization, the allowing statement being the
    last one evaluated for the heavy role. Prints authz_overhead_ratio=<heavy time / light time> on its last line
    (goal: at most 1.15).
.EXAMPLE
    dotnet pwsh ./bench/authz.ps1
#>
param(
    [int] $Requests = 3000,
    [int] $Concurrency = 16,
    [int] $Rounds = 6,
    [string] $LocalCloudPath = (Join-Path $PSScriptRoot '../out/CloudPatterns/LocalCloud'),
    [string] $SdkPath = (Join-Path $PSScriptRoot '../out/CloudPatterns/deps/AWSSDK.Core.dll')
)
$ErrorActionPreference = 'Stop'
$server = Join-Path $LocalCloudPath 'CloudPatterns.LocalCloud.dll'
if (-not (Test-Path $server) -or -not (Test-Path $SdkPath)) { throw "Build first: $server or $SdkPath is missing (./build.ps1 -Task Build)." }
Add-Type -Path $SdkPath

$trust = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}]}'
$seed = @"
organization: { id: o-benchauthz01, rootId: r-bnch, managementAccountId: "111111111111" }
regions: [us-east-2]
organizationalUnits:
  - name: Deep
    children: [{ name: Deeper, children: [{ name: Deepest }] }]
memberAccountRoles:
  - name: Light
    trustPolicy: '$trust'
    managedPolicies: [arn:aws:iam::aws:policy/AdministratorAccess]
  - name: Heavy
    trustPolicy: '$trust'
accounts:
  - { id: "111111111111", name: management, admin: { accessKeyId: AKIALC111111111111AD, secretAccessKey: bench-management } }
  - { id: "222222222222", name: light, organizationalUnit: /, admin: { accessKeyId: AKIALC222222222222AD, secretAccessKey: bench-light } }
  - { id: "333333333333", name: heavy, organizationalUnit: /Deep/Deeper/Deepest, admin: { accessKeyId: AKIALC333333333333AD, secretAccessKey: bench-heavy } }
"@
$seedPath = Join-Path ([IO.Path]::GetTempPath()) "authz-bench-$PID.yaml"
Set-Content -Path $seedPath -Value $seed
$output = Join-Path ([IO.Path]::GetTempPath()) "authz-bench-$PID.out"
$process = Start-Process dotnet -ArgumentList @($server, '--seed', $seedPath) -RedirectStandardOutput $output -PassThru -NoNewWindow
try {
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    while (-not ((Test-Path $output) -and (Get-Content $output -Raw) -match 'listening on (\S+)')) {
        if ([DateTime]::UtcNow -gt $deadline -or $process.HasExited) { throw "LocalCloud did not start: $(Get-Content $output -Raw -ErrorAction SilentlyContinue)" }
        Start-Sleep -Milliseconds 100
    }
    $endpoint = [Uri]$Matches[1]
    $region = [Amazon.RegionEndpoint]::GetBySystemName('us-east-2')

    function New-Client([Amazon.Runtime.AWSCredentials] $Credentials, [string] $Service) {
        [System.Net.Http.HttpClient]::new([Amazon.Runtime.Signing.SigV4SigningHandler]::new($Credentials, $region, $Service, [System.Net.Http.HttpClientHandler]::new()))
    }
    function Invoke-Query($Client, [hashtable] $Parameters) {
        $pairs = [System.Collections.Generic.Dictionary[string, string]]::new()
        foreach ($entry in $Parameters.GetEnumerator()) { $pairs[$entry.Key] = $entry.Value }
        $form = [System.Net.Http.FormUrlEncodedContent]::new($pairs)
        $response = $Client.PostAsync($endpoint, $form).GetAwaiter().GetResult()
        $body = $response.Content.ReadAsStringAsync().GetAwaiter().GetResult()
        if (-not $response.IsSuccessStatusCode) { throw "$($Parameters.Action): $body" }
        $body
    }
    function New-JsonRequest([string] $Target, [string] $Body) {
        $request = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::Post, $endpoint)
        $request.Content = [System.Net.Http.StringContent]::new($Body, [Text.Encoding]::UTF8, 'application/x-amz-json-1.1')
        $request.Headers.Add('X-Amz-Target', $Target)
        $request
    }
    function Invoke-Json($Client, [string] $Target, [string] $Body) {
        $response = $Client.SendAsync((New-JsonRequest $Target $Body)).GetAwaiter().GetResult()
        $text = $response.Content.ReadAsStringAsync().GetAwaiter().GetResult()
        if (-not $response.IsSuccessStatusCode) { throw "${Target}: $text" }
        $text | ConvertFrom-Json
    }
    # Ten statements that never match organizations:DescribeOrganization; the last policy's last one allows it.
    function New-Policy([string] $Effect, [int] $Index, [string] $Final) {
        $statements = foreach ($n in 1..9) { '{"Effect":"' + $Effect + '","Action":"svc' + $Index + ':Op' + $n + '*","Resource":"*"}' }
        '{"Version":"2012-10-17","Statement":[' + (@($statements) + $Final -join ',') + ']}'
    }

    $managementKey = [Amazon.Runtime.BasicAWSCredentials]::new('AKIALC111111111111AD', 'bench-management')
    $heavyAdmin = New-Client ([Amazon.Runtime.BasicAWSCredentials]::new('AKIALC333333333333AD', 'bench-heavy')) 'iam'
    $filler = '{"Effect":"Allow","Action":"svc0:Other","Resource":"*"}'
    foreach ($n in 1..10) {
        $arn = ([xml](Invoke-Query $heavyAdmin @{ Action = 'CreatePolicy'; Version = '2010-05-08'; PolicyName = "managed-$n"; PolicyDocument = (New-Policy Allow $n $filler) })).CreatePolicyResponse.CreatePolicyResult.Policy.Arn
        Invoke-Query $heavyAdmin @{ Action = 'AttachRolePolicy'; Version = '2010-05-08'; RoleName = 'Heavy'; PolicyArn = $arn } | Out-Null
        $final = if ($n -eq 10) { '{"Effect":"Allow","Action":"organizations:DescribeOrganization","Resource":"*"}' } else { $filler }
        Invoke-Query $heavyAdmin @{ Action = 'PutRolePolicy'; Version = '2010-05-08'; RoleName = 'Heavy'; PolicyName = "inline-$n"; PolicyDocument = (New-Policy Allow (10 + $n) $final) } | Out-Null
    }

    $organizations = New-Client $managementKey 'organizations'
    $roots = Invoke-Json $organizations 'AWSOrganizationsV20161128.ListRoots' '{}'
    $targets = @(); $parent = $roots.Roots[0].Id
    foreach ($depth in 1..3) {
        $unit = (Invoke-Json $organizations 'AWSOrganizationsV20161128.ListOrganizationalUnitsForParent' (@{ ParentId = $parent } | ConvertTo-Json)).OrganizationalUnits[0]
        $targets += $unit.Id; $parent = $unit.Id
    }
    $targets += '333333333333'
    foreach ($target in $targets) {
        $content = New-Policy Deny (100 + $targets.IndexOf($target)) '{"Effect":"Deny","Action":"svc9:Never","Resource":"*"}'
        $policy = Invoke-Json $organizations 'AWSOrganizationsV20161128.CreatePolicy' (@{ Name = "scp-$target"; Description = 'bench'; Type = 'SERVICE_CONTROL_POLICY'; Content = $content } | ConvertTo-Json)
        Invoke-Json $organizations 'AWSOrganizationsV20161128.AttachPolicy' (@{ PolicyId = $policy.Policy.PolicySummary.Id; TargetId = $target } | ConvertTo-Json) | Out-Null
    }

    $sts = New-Client $managementKey 'sts'
    function Get-Session([string] $Account, [string] $Role) {
        $xml = [xml](Invoke-Query $sts @{ Action = 'AssumeRole'; Version = '2011-06-15'; RoleArn = "arn:aws:iam::${Account}:role/$Role"; RoleSessionName = 'bench' })
        $c = $xml.AssumeRoleResponse.AssumeRoleResult.Credentials
        New-Client ([Amazon.Runtime.SessionAWSCredentials]::new($c.AccessKeyId, $c.SecretAccessKey, $c.SessionToken)) 'organizations'
    }
    $clients = @{ light = (Get-Session '222222222222' 'Light'); heavy = (Get-Session '333333333333' 'Heavy') }
    foreach ($name in 'light', 'heavy') { Invoke-Json $clients[$name] 'AWSOrganizationsV20161128.DescribeOrganization' '{}' | Out-Null }

    # Requests in flight at once, rounds alternating between the principals so machine noise falls on both.
    function Measure-Rate($Client) {
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        for ($sent = 0; $sent -lt $Requests; $sent += $Concurrency) {
            $tasks = foreach ($i in 1..$Concurrency) { $Client.SendAsync((New-JsonRequest 'AWSOrganizationsV20161128.DescribeOrganization' '{}')) }
            foreach ($response in [System.Threading.Tasks.Task]::WhenAll([System.Threading.Tasks.Task[System.Net.Http.HttpResponseMessage][]]@($tasks)).GetAwaiter().GetResult()) {
                if (-not $response.IsSuccessStatusCode) { throw "Refused: $($response.Content.ReadAsStringAsync().GetAwaiter().GetResult())" }
                $response.Dispose()
            }
        }
        $watch.Elapsed.TotalSeconds
    }
    foreach ($name in 'light', 'heavy', 'light', 'heavy') { Measure-Rate $clients[$name] | Out-Null }   # warm-up (JIT, connections)
    $seconds = @{ light = 0.0; heavy = 0.0 }
    foreach ($round in 1..$Rounds) {
        $order = if ($round % 2) { 'light', 'heavy' } else { 'heavy', 'light' }
        foreach ($name in $order) { $seconds[$name] += Measure-Rate $clients[$name] }
    }
    $total = $Requests * $Rounds
    'requests_per_principal={0} concurrency={1} heavy_policies=20x10 scp_levels=root+3 OUs+account' -f $total, $Concurrency
    'light_rps={0:0} heavy_rps={1:0}' -f ($total / $seconds.light), ($total / $seconds.heavy)
    'authz_overhead_ratio={0:0.###}' -f ($seconds.heavy / $seconds.light)
}
finally {
    if (-not $process.HasExited) { $process.Kill() }
    $process.WaitForExit()
    Remove-Item $seedPath, $output -ErrorAction SilentlyContinue
}
