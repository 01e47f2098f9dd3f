# Shared by the Pester files: import the built module (never a source copy) and start/stop LocalCloud.
function Get-ManifestUnderTest {
    $manifest = if ($env:CLOUDPATTERNS_MODULE) { $env:CLOUDPATTERNS_MODULE } else { Join-Path $PSScriptRoot '../../out/CloudPatterns/CloudPatterns.psd1' }
    if (-not (Test-Path $manifest)) { throw "The built module was not found at $manifest. Run ./build.ps1 -Task Build first." }
    $manifest
}

function Import-CloudPatternsUnderTest {
    Import-Module (Get-ManifestUnderTest) -Force -Global -ErrorAction Stop
}

# Runs a script with -Verbose, -Debug and every other preference at Continue, in a new runspace of this process (so
# the sandbox's environment applies), and returns the text each stream received. Redirection cannot capture progress;
# the PowerShell API's stream collections can. Output objects are given as JSON and as their table view; errors with
# their exception chain, details and target. A terminating error ends the script and is kept as an error.
function Invoke-WithEveryStream([string] $Script, [hashtable] $Variables = @{}) {
    $runspace = [runspacefactory]::CreateRunspace()
    $runspace.Open()
    $shell = [powershell]::Create()
    $shell.Runspace = $runspace
    try {
        foreach ($name in $Variables.Keys) { $runspace.SessionStateProxy.SetVariable($name, $Variables[$name]) }
        $preamble = "Import-Module '$(Get-ManifestUnderTest)' -ErrorAction Stop`n" +
            "`$VerbosePreference = `$DebugPreference = `$InformationPreference = `$ProgressPreference = `$WarningPreference = 'Continue'`n"
        $null = $shell.AddScript($preamble + $Script)
        $errors = [System.Collections.Generic.List[object]]::new()
        $output = try { @($shell.Invoke()) } catch { $errors.Add($_.Exception.InnerException.ErrorRecord ?? $_); @() }
        $errors.AddRange(@($shell.Streams.Error))
        [pscustomobject]@{
            Output      = ($output | ForEach-Object { ConvertTo-Json -InputObject $_ -Depth 5 -WarningAction SilentlyContinue; $_ | Out-String -Width 400 }) -join "`n"
            Error       = ($errors | ForEach-Object { $_.FullyQualifiedErrorId; $_ | Out-String -Width 400; $_.Exception.ToString(); "$($_.ErrorDetails) $($_.ErrorDetails.RecommendedAction)"; "$($_.TargetObject)" }) -join "`n"
            Warning     = @($shell.Streams.Warning.Message) -join "`n"
            Verbose     = @($shell.Streams.Verbose.Message) -join "`n"
            Debug       = @($shell.Streams.Debug.Message) -join "`n"
            Information = @($shell.Streams.Information | ForEach-Object { "$($_.MessageData)" }) -join "`n"
            Progress    = @($shell.Streams.Progress | ForEach-Object { $_.Activity; $_.StatusDescription; $_.CurrentOperation }) -join "`n"
        }
    }
    finally {
        $shell.Dispose()
        $runspace.Dispose()
    }
}

# Which secrets a text holds: each secret given, found verbatim, and anything shaped like a LocalCloud session token
# (STS session tokens are long base64; LocalCloud's are 240 characters).
function Find-Secret([string] $Text, [string[]] $Secret) {
    foreach ($value in $Secret) { if ($Text.Contains($value)) { "secret $($value.Substring(0, 4))..." } }
    foreach ($match in [regex]::Matches($Text, '[A-Za-z0-9+/]{200,}={0,2}')) { "session token $($match.Value.Substring(0, 8))..." }
}

# Every AWS call LocalCloud received (the request log, one entry per attempt) is told by one verbose line
# "<Service> <Operation> in <account> <region>: ..."; GetCallerIdentity, which each run makes to learn its account,
# says "caller account". Returns the differences as "<operation> <account> <region>: <logged> logged, <told> told".
function Compare-VerboseWithRequestLog([string] $Verbose, [object[]] $Requests) {
    $told = @([regex]::Matches($Verbose, '(?m)^\S+ (?<operation>[A-Za-z0-9]+) in (?<account>\d{12}|caller account) (?<region>[a-z0-9-]+): ') |
        ForEach-Object { "$($_.Groups['operation']) $($_.Groups['account']) $($_.Groups['region'])" })
    # CloudFormation's own calls for a stack's resources are logged under "CloudFormation <step> <type>"; the cmdlet did not make them.
    $logged = @($Requests | Where-Object Operation -notlike 'CloudFormation *' | ForEach-Object { "$($_.Operation) $(if ($_.Operation -eq 'GetCallerIdentity') { 'caller account' } else { $_.AccountId }) $($_.Region)" })
    foreach ($key in @($logged) + @($told) | Sort-Object -Unique) {
        $loggedCount = @($logged -eq $key).Count
        $toldCount = @($told -eq $key).Count
        if ($loggedCount -ne $toldCount) { "${key}: $loggedCount logged, $toldCount told" }
    }
}

# What tab offers at the end of a command line: the completion texts, in the order offered.
function Get-CompletionText([string] $Line) {
    @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches | ForEach-Object CompletionText)
}

# A CloudFormation template (YAML with the short-form tags !Ref, !Sub, ...) as hashtables; a tag becomes its long
# form ({ Ref = ... } or { 'Fn::Sub' = ... }).
function ConvertFrom-TemplateYaml([string] $Path) {
    $python = @'
import json, sys, yaml
def long_form(loader, suffix, node):
    value = loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else loader.construct_sequence(node, deep=True) if isinstance(node, yaml.SequenceNode) else loader.construct_mapping(node, deep=True)
    if suffix == 'GetAtt' and isinstance(value, str):
        value = value.split('.', 1)
    return {suffix if suffix == 'Ref' else 'Fn::' + suffix: value}
yaml.SafeLoader.add_multi_constructor('!', long_form)
print(json.dumps(yaml.safe_load(open(sys.argv[1]))))
'@
    $json = python3 -c $python $Path
    if ($LASTEXITCODE -ne 0) { throw "python3 could not read $Path as YAML." }
    $json | ConvertFrom-Json -AsHashtable
}

# The aws:executeScript step of an Automation document that a template registers (AWS::SSM::Document), with the
# document's parameters and files. A parameter default that refers to a template parameter (!Ref) gets that
# parameter's default, as a stack deployed with the defaults would have it.
function Get-RunbookStep([string] $TemplatePath, [string] $DocumentResource) {
    $template = ConvertFrom-TemplateYaml $TemplatePath
    $content = $template.Resources[$DocumentResource].Properties.Content
    foreach ($parameter in $content.parameters.Values) {
        if ($parameter.default -is [System.Collections.IDictionary] -and $parameter.default.Contains('Ref')) {
            $parameter.default = $template.Parameters[$parameter.default.Ref].Default
        }
    }
    $step = @($content.mainSteps | Where-Object { $_.action -eq 'aws:executeScript' })
    if ($step.Count -ne 1) { throw "$DocumentResource has $($step.Count) aws:executeScript steps; expected one." }
    [pscustomobject]@{ Document = $content; Parameters = $content.parameters; Files = $content.files; Inputs = $step[0].inputs }
}

# Runs a runbook step's script as aws:executeScript would: a pwsh of its own in the working directory (where the
# attachment is), the input payload built from the document's parameters (those given, else their defaults) in
# $env:InputPayload, credentials only from the environment given. Returns the exit code, stdout and stderr.
function Invoke-RunbookScript($Step, [hashtable] $Parameters, [hashtable] $Environment, [string] $WorkingDirectory) {
    $payload = [ordered]@{}
    foreach ($entry in $Step.Inputs.InputPayload.GetEnumerator()) {
        if ($entry.Value -notmatch '^\{\{\s*(\w+)\s*\}\}$') { $payload[$entry.Key] = $entry.Value; continue }
        $name = $Matches[1]
        $declared = $Step.Parameters[$name]
        if ($null -eq $declared) { throw "The input payload names {{ $name }}, which the document does not declare." }
        $value = if ($Parameters.ContainsKey($name)) { $Parameters[$name] } elseif ($declared.ContainsKey('default')) { $declared.default } else { throw "The document parameter $name has no default; give it." }
        $payload[$entry.Key] = switch ($declared.type) { 'Boolean' { [bool]$value } 'StringList' { @($value) } default { [string]$value } }
    }
    $script = Join-Path $WorkingDirectory '.runbook-step.ps1'
    Set-Content -Path $script -Value $Step.Inputs.Script
    $variables = @{ InputPayload = ($payload | ConvertTo-Json -Compress -Depth 5); AWS_PROFILE = $null; AWS_DEFAULT_PROFILE = $null } + $Environment
    $saved = @{}
    # A $null passed to SetEnvironmentVariable arrives as "" (set, empty), which boto3 reads as a profile named "":
    # a variable without a value is removed instead.
    $setVariable = { param($name, $value) if ($null -eq $value) { Remove-Item "env:$name" -ErrorAction SilentlyContinue } else { [Environment]::SetEnvironmentVariable($name, $value) } }
    foreach ($name in $variables.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); & $setVariable $name $variables[$name] }
    $pwsh = [System.Environment]::ProcessPath
    [string[]] $prefix = if ([System.IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { @(Join-Path $PSHOME 'pwsh.dll') } else { @() }
    $stderr = Join-Path $WorkingDirectory '.runbook-step.stderr'
    Push-Location $WorkingDirectory
    try {
        $stdout = & $pwsh @prefix -NoProfile -NonInteractive -File $script 2> $stderr
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($stdout -join "`n"); Error = (Get-Content -Raw $stderr) }
    }
    finally {
        Pop-Location
        foreach ($name in $saved.Keys) { & $setVariable $name $saved[$name] }
        Remove-Item $script, $stderr -ErrorAction SilentlyContinue
    }
}

# A zip of the given folders (name in the zip = folder to copy), as a runbook attachment; the module's own folder
# goes in without the LocalCloud it ships for Start-CloudSandbox, which a runbook never starts.
function New-RunbookBundle([string] $Path, [hashtable] $Folders) {
    $staging = Join-Path ([System.IO.Path]::GetTempPath()) ([guid]::NewGuid())
    try {
        foreach ($entry in $Folders.GetEnumerator()) {
            $target = Join-Path $staging $entry.Key
            New-Item -ItemType Directory -Force $target | Out-Null
            Get-ChildItem -Force $entry.Value | Where-Object Name -ne 'LocalCloud' | Copy-Item -Destination $target -Recurse -Force
        }
        [System.IO.Compression.ZipFile]::CreateFromDirectory($staging, $Path)
    }
    finally { Remove-Item -Recurse -Force $staging -ErrorAction SilentlyContinue }
}


# Runs a script in a runspace whose host records every prompt and answers Yes only to those whose message has
# $ConfirmPhrase (support/RecordingHost.cs).
function Invoke-WithRecordingHost([string] $ConfirmPhrase, [scriptblock] $Script, [object[]] $Arguments) {
    if (-not ('CloudPatterns.Tests.RecordingHost' -as [type])) { Add-Type -TypeDefinition (Get-Content -Raw (Join-Path $PSScriptRoot 'support/RecordingHost.cs')) }
    $recordingHost = [CloudPatterns.Tests.RecordingHost]::new($ConfirmPhrase)
    $runspace = [runspacefactory]::CreateRunspace($recordingHost)
    $runspace.Open()
    try {
        $shell = [powershell]::Create()
        $shell.Runspace = $runspace
        $shell.AddScript('param($Module) Import-Module $Module').AddArgument((Get-Module CloudPatterns).Path).AddStatement() | Out-Null
        $shell.AddScript($Script.ToString()) | Out-Null
        foreach ($argument in $Arguments) { $shell.AddArgument($argument) | Out-Null }
        $output = $shell.Invoke()
        [pscustomobject]@{ Output = @($output); Errors = @($shell.Streams.Error); Prompts = @($recordingHost.Prompts) }
    }
    finally { $runspace.Dispose() }
}

# Runs support/<Script> (boto3 against the sandbox of AWS_ENDPOINT_URL) and returns the JSON it printed.
function Invoke-SupportScript([string] $Script, [object[]] $Arguments) {
    $python = if (Get-Command python3 -ErrorAction SilentlyContinue) { 'python3' } else { 'python' }
    $output = & $python (Join-Path $PSScriptRoot "support/$Script") $env:AWS_ENDPOINT_URL @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Script $Arguments failed: $output" }
    $output | ConvertFrom-Json
}

# support/dr_sandbox.py: the DR side of the sandbox (vaults, plans, jobs, roles).
function Invoke-DrSandbox { Invoke-SupportScript dr_sandbox.py $args }

# support/org_sandbox.py: the organization side (trusted access, backup policies, account moves, plans per account).
function Invoke-OrgSandbox { Invoke-SupportScript org_sandbox.py $args }

# support/failover_sandbox.py: the last copy hop into the DR account, failover records, Route 53 answers, drill leftovers.
function Invoke-FailoverSandbox { Invoke-SupportScript failover_sandbox.py $args }

# Imports a fresh self-signed certificate into ACM of the session's account (ISSUED at once) and returns its ARN.
function New-SandboxCertificate([string] $DomainName = 'shop.example.com', [string] $Region = 'us-east-2') {
    $key = [System.Security.Cryptography.RSA]::Create(2048)
    $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new("CN=$DomainName", $key, [System.Security.Cryptography.HashAlgorithmName]::SHA256, [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
    $now = [DateTimeOffset]::UtcNow
    $certificate = $request.CreateSelfSigned($now.AddDays(-1), $now.AddYears(5))
    $folder = Join-Path ([System.IO.Path]::GetTempPath()) ([guid]::NewGuid())
    $null = New-Item -ItemType Directory $folder
    try {
        Set-Content -Path "$folder/certificate.pem" -Value $certificate.ExportCertificatePem()
        Set-Content -Path "$folder/key.pem" -Value $key.ExportPkcs8PrivateKeyPem()
        $arn = aws acm import-certificate --certificate "fileb://$folder/certificate.pem" --private-key "fileb://$folder/key.pem" --region $Region --query CertificateArn --output text
        if ($LASTEXITCODE -ne 0) { throw "aws acm import-certificate failed ($LASTEXITCODE)" }
        $arn
    }
    finally { Remove-Item -Recurse -Force $folder; $certificate.Dispose(); $key.Dispose() }
}

# An out-of-band change to a stack's log group through CloudWatch Logs' API (what a console user would do).
function Set-OutOfBandRetention([uri] $Endpoint, [string] $AccountId, [string] $Region, [string] $StackName, [string] $LogicalId, [int] $Days) {
    $python = if (Get-Command python3 -ErrorAction SilentlyContinue) { 'python3' } else { 'python' }
    & $python (Join-Path $PSScriptRoot 'support/log_retention.py') $Endpoint.ToString().TrimEnd('/') $AccountId $Region $StackName $LogicalId $Days
    if ($LASTEXITCODE -ne 0) { throw "support/log_retention.py failed with exit code $LASTEXITCODE." }
}

# Starts a pwsh child that runs $Script with this process's environment (the sandbox's endpoint and keys), for tests
# that interrupt a cmdlet (SIGINT, SIGKILL). Python resets SIGINT to its default before it becomes pwsh (exec keeps the
# process id): a shell that started the test run in the background leaves SIGINT ignored, and an ignored signal stays
# ignored across exec.
function Start-PwshChild([string] $Script) {
    $interpreter = if (Get-Command python3 -ErrorAction SilentlyContinue) { 'python3' } else { 'python' }
    $start = [System.Diagnostics.ProcessStartInfo]::new($interpreter)
    $arguments = '-c', 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])',
        [Environment]::ProcessPath, (Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-Command', $Script
    foreach ($argument in $arguments) { $start.ArgumentList.Add($argument) }
    $start.UseShellExecute = $false
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $process = [System.Diagnostics.Process]::Start($start)
    [pscustomobject]@{ Process = $process; Output = $process.StandardOutput.ReadToEndAsync(); Error = $process.StandardError.ReadToEndAsync() }
}

# Runs a flow's steps (@{ Role; Command; Arguments }) each as its role with the ExternalId, collecting instead of
# stopping: the results, and the text of every error and warning the commands wrote.
function Invoke-FlowAsRoles([string] $ExternalId, [scriptblock] $Flow) {
    $errors = [System.Collections.Generic.List[object]]::new()
    $results = [System.Collections.Generic.List[object]]::new()
    $asRole = @{ ExternalId = $ExternalId; ErrorVariable = '+errors'; ErrorAction = 'SilentlyContinue'; WarningVariable = '+errors'; WarningAction = 'SilentlyContinue' }
    foreach ($step in & $Flow) {
        $arguments = $step.Arguments
        try { & $step.Command @asRole @arguments -RoleName $step.Role | ForEach-Object { $results.Add($_) } }
        catch { $errors.Add($_) }
    }
    [pscustomobject]@{ Results = $results.ToArray(); Failures = @($errors | ForEach-Object { "$_" }) }
}

# Minimality by simulation (docs/least-privilege.md): for each statement (or each action) of a role's policy, the first
# authorization of a flow's run that IAM's policy simulator (LocalCloud's own evaluator) refuses to the policy without
# it, or $null when none is. $Requests: the request log of the run; $Policies: account id -> the role's policy document
# (JSON) there, or, with $AccountId instead, the role's inline policies as IAM holds them in those accounts. Only the
# authorizations the role's own policy decided count: one a resource policy granted by itself does not depend on the
# role's statements.
function Find-NeededPolicyPart([string] $RoleName, [object[]] $Requests, [hashtable] $Policies, [string[]] $AccountId, [ValidateSet('Statement', 'Action')] [string] $By = 'Statement') {
    $accounts = foreach ($account in $(if ($Policies) { $Policies.Keys } else { $AccountId })) {
        $checks = @($Requests | Where-Object Principal -like "arn:aws:sts::${account}:assumed-role/$RoleName/*" | ForEach-Object { $_.Checks } |
                Where-Object { $_.Decision -eq 'Allow' -and $_.DecidedBy -like "arn:aws:iam::${account}:role/$RoleName/*" } |
                ForEach-Object { @{ action = $_.Action; resource = $_.Resource; context = $_.Context } })
        $policy = if ($Policies) { @{ policy = $Policies[$account] | ConvertFrom-Json } } else { @{ account = $account; role = $RoleName } }
        $policy + @{ checks = $checks }
    }
    $file = New-TemporaryFile
    try {
        @{ by = $By.ToLowerInvariant(); accounts = @($accounts) } | ConvertTo-Json -Depth 12 -Compress | Set-Content -Path $file
        $answers = Invoke-SupportScript policy_simulation.py @($file.FullName)
        $needed = @{}
        foreach ($property in $answers.PSObject.Properties) { $needed[$property.Name] = $property.Value }
        $needed
    }
    finally { Remove-Item -Path $file }
}

# The actions of $Actions for which Find-NeededPolicyPart's answer $Needed names no implicitly denied request: the
# actions the flow did not need (empty when the policy is minimal).
function Get-UnneededAction([hashtable] $Needed, [string[]] $Actions) {
    @($Actions | Where-Object { -not $Needed[$_] -or $Needed[$_].decision -ne 'implicitDeny' })
}

# Puts $PolicyDocument without the action $Without as the inline policy $PolicyName of the job role $RoleName in the
# caller's own (management) account (docs/least-privilege.md, "Job roles in the caller's own account").
function Set-OwnAccountRolePolicy([string] $RoleName, [string] $PolicyName, [string] $PolicyDocument, [string] $Without) {
    $document = $PolicyDocument | ConvertFrom-Json
    $document.Statement = @($document.Statement | ForEach-Object { $_.Action = @($_.Action | Where-Object { $_ -ne $Without }); if ($_.Action.Count -gt 0) { $_ } })
    $file = New-TemporaryFile
    try {
        $document | ConvertTo-Json -Depth 6 | Set-Content -Path $file
        Invoke-SupportScript gitops_sandbox.py @('put-role-policy', $RoleName, $PolicyName, $file.FullName) | Out-Null
    }
    finally { Remove-Item -Path $file }
}

# Where the role $Resource of templates/disaster-recovery/execution-roles.yaml differs from the job policy $Policy
# (Get-CloudPatternsPolicy), Sid by Sid: one line per statement missing on either side or with other actions.
function Get-TemplateRoleMismatch([string] $Resource, $Policy) {
    $template = ConvertFrom-TemplateYaml (Join-Path $PSScriptRoot '../../templates/disaster-recovery/execution-roles.yaml')
    $shipped = @{}
    foreach ($statement in $template.Resources[$Resource].Properties.Policies.PolicyDocument.Statement) { $shipped[$statement.Sid] = (@($statement.Action) | Sort-Object) -join ', ' }
    $expected = @{}
    foreach ($statement in $Policy.Statements) { $expected[$statement.Sid] = (@($statement.Actions) | Sort-Object) -join ', ' }
    foreach ($sid in @($shipped.Keys) + @($expected.Keys) | Sort-Object -Unique) {
        if ($shipped[$sid] -ne $expected[$sid]) { "${sid}: template [$($shipped[$sid])], job policy [$($expected[$sid])]" }
    }
}

# Waits until the current sandbox has no delivery under way (GET /_localcloud/deliveries, docs/localcloud-delivery.md):
# no event, schedule target or Event invocation of a function still queued or running. Polls a condition, so a loaded
# machine only makes it slower; the timeout is there for a hang, not for pacing.
function Wait-SandboxDelivery([int] $TimeoutSeconds = 600) {
    $url = $env:AWS_ENDPOINT_URL.TrimEnd('/') + '/_localcloud/deliveries'
    $deadline = [datetime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ((Invoke-RestMethod $url).busy) {
        if ([datetime]::UtcNow -gt $deadline) { throw "LocalCloud still had deliveries under way after $TimeoutSeconds s." }
        Start-Sleep -Milliseconds 200
    }
}

Export-ModuleMember -Function Find-NeededPolicyPart, Get-UnneededAction, Set-OwnAccountRolePolicy, Get-TemplateRoleMismatch, Wait-SandboxDelivery, Start-PwshChild, Invoke-FlowAsRoles, Get-ManifestUnderTest, Set-OutOfBandRetention, New-SandboxCertificate, Import-CloudPatternsUnderTest, Get-CompletionText, Invoke-WithEveryStream, Find-Secret, Compare-VerboseWithRequestLog, ConvertFrom-TemplateYaml, Get-RunbookStep, Invoke-RunbookScript, New-RunbookBundle, Invoke-WithRecordingHost, Invoke-DrSandbox, Invoke-OrgSandbox, Invoke-FailoverSandbox
