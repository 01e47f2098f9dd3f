using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Core.Deployment;
using CloudPatterns.Core.MultiAz;
using CloudPatterns.Core.Security;
using CloudPatterns.Core.Stacks;
using CloudPatterns.PowerShell.Completion;
using CloudPatterns.PowerShell.Infrastructure;

namespace CloudPatterns.PowerShell.Cmdlets;

/// <summary>New-MultiAzStack: deploys the Multi-AZ web app template through a change set, per account × region.</summary>
[Cmdlet(VerbsCommon.New, "MultiAzStack", SupportsShouldProcess = true)]
[OutputType(typeof(PatternStack))]
public sealed class NewMultiAzStackCommand : FanOutCmdlet, IDynamicParameters
{
    private readonly MultiAzParameters _settings = new();

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(StackNameCompleter))]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.StackName))]
    public string StackName { get; set; } = string.Empty;

    /// <summary>The CloudFormation service role (a role name in each target account) the stack's resources are created, changed and deleted as.</summary>
    [Parameter]
    [ValidatePattern("^[A-Za-z0-9+=,.@_-]{1,64}$")]
    public string? ServiceRoleName { get; set; }

    /// <summary>Turns on termination protection once the stack is created.</summary>
    [Parameter]
    public SwitchParameter EnableTerminationProtection { get; set; }

    public object GetDynamicParameters() => _settings;

    protected override string? PipelineItem => StackName;

    protected override void ValidateInvocation() => ThrowIfInvalid(this, Settings(), StackName);

    protected override IEnumerable<PlannedStep> StepsFor(FanOutTarget target) => ItemsFor(target).Select(stackName =>
        PlannedStep.Change(target, $"stack {stackName} in {target.AccountId} {target.Region}", "Create Multi-AZ stack", stackName).Previewable());

    protected override async IAsyncEnumerable<object> RunTargetAsync(AwsSession session, FanOutTarget target, IReadOnlyList<PlannedStep> steps, [EnumeratorCancellation] CancellationToken cancellation)
    {
        var awsTarget = await session.GetTargetAsync(target, cancellation).ConfigureAwait(false);
        await MultiAzCertificates.EnsureUsableAsync(awsTarget, Settings().CertificateArn, cancellation).ConfigureAwait(false);
        var serviceRole = await ServiceRolePolicies.RequireAsync(awsTarget, ServiceRoleName, problem => new InvalidMultiAzSettingsException([problem]), cancellation).ConfigureAwait(false);
        var stacks = new StackDeployment(awsTarget);
        foreach (var step in steps)
        {
            var stackName = (string)step.Item!;
            var request = Settings().ToDeploymentRequest(stackName);
            request.ServiceRoleArn = serviceRole;
            if (step.Preview)
            {
                yield return await stacks.PreviewAsync(request, StackDeploymentMode.Create, cancellation).ConfigureAwait(false);
                continue;
            }

            var result = await stacks.DeployAsync(request, StackDeploymentMode.Create, WhatIfText.StackProgress(Queue), cancellation).ConfigureAwait(false);
            if (EnableTerminationProtection)
            {
                await stacks.SetTerminationProtectionAsync(stackName, enabled: true, cancellation).ConfigureAwait(false);
                yield return await stacks.DescribeAsync(stackName, cancellation).ConfigureAwait(false) ?? result.Stack;
            }
            else
            {
                yield return result.Stack;
            }
        }
    }

    private MultiAzStackSettings Settings() => _settings.Apply(new MultiAzStackSettings(), MyInvocation.BoundParameters);

    /// <summary>Ends the command before any AWS call when the settings cannot make a valid stack.</summary>
    internal static void ThrowIfInvalid(AwsCmdlet cmdlet, MultiAzStackSettings settings, object target)
    {
        var problems = settings.Problems();
        if (problems.Count > 0)
        {
            cmdlet.ThrowTerminating(new InvalidMultiAzSettingsException(problems), ErrorReason.InvalidMultiAzSettings, ErrorCategory.InvalidArgument, target);
        }
    }
}

/// <summary>Update-MultiAzStack: changes a deployed Multi-AZ stack's parameters through a change set.</summary>
[Cmdlet(VerbsData.Update, "MultiAzStack", SupportsShouldProcess = true)]
[OutputType(typeof(PatternStack))]
public sealed class UpdateMultiAzStackCommand : FanOutCmdlet, IDynamicParameters
{
    private readonly MultiAzParameters _settings = new();

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(StackNameCompleter))]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.StackName))]
    public string StackName { get; set; } = string.Empty;

    /// <summary>The CloudFormation service role (a role name in each target account) the stack's resources are changed and deleted as; without it the stack keeps the role it has.</summary>
    [Parameter]
    [ValidatePattern("^[A-Za-z0-9+=,.@_-]{1,64}$")]
    public string? ServiceRoleName { get; set; }

    public object GetDynamicParameters() => _settings;

    protected override string? PipelineItem => StackName;

    protected override void ValidateInvocation()
    {
        // Before the stack is read only the given values can be checked, each on its own and against each other.
        // Under them go values no given one can conflict with (the smallest group the AZ count allows, the largest
        // maximum); relations to deployed values are checked once those are read, still before any change.
        var floor = new MultiAzStackSettings { CertificateArn = "arn:aws:acm:us-east-1:000000000000:certificate/deployed-value" };
        floor.FrontendMinSize = floor.BackendMinSize = MyInvocation.BoundParameters.ContainsKey(nameof(MultiAzParameters.AzCount)) ? _settings.AzCount : floor.AzCount;
        NewMultiAzStackCommand.ThrowIfInvalid(this, _settings.Apply(floor, MyInvocation.BoundParameters), StackName);
    }

    protected override IEnumerable<PlannedStep> StepsFor(FanOutTarget target) => ItemsFor(target).Select(stackName =>
        PlannedStep.Change(target, $"stack {stackName} in {target.AccountId} {target.Region}", "Update Multi-AZ stack", stackName).Previewable());

    protected override async IAsyncEnumerable<object> RunTargetAsync(AwsSession session, FanOutTarget target, IReadOnlyList<PlannedStep> steps, [EnumeratorCancellation] CancellationToken cancellation)
    {
        var awsTarget = await session.GetTargetAsync(target, cancellation).ConfigureAwait(false);
        var serviceRole = await ServiceRolePolicies.RequireAsync(awsTarget, ServiceRoleName, problem => new InvalidMultiAzSettingsException([problem]), cancellation).ConfigureAwait(false);
        var stacks = new StackDeployment(awsTarget);
        foreach (var step in steps)
        {
            var stackName = (string)step.Item!;
            var current = await stacks.DescribeAsync(stackName, cancellation).ConfigureAwait(false) ?? throw new StackNotFoundException(stackName, target.AccountId, target.Region);
            var settings = _settings.Apply(MultiAzStackSettings.FromParameters(current.Parameters), MyInvocation.BoundParameters);
            settings.ValidateChangeFrom(MultiAzStackSettings.FromParameters(current.Parameters));
            await MultiAzCertificates.EnsureUsableAsync(awsTarget, settings.CertificateArn, cancellation).ConfigureAwait(false);
            var request = settings.ToDeploymentRequest(stackName);
            request.ServiceRoleArn = serviceRole;
            if (step.Preview)
            {
                yield return await stacks.PreviewAsync(request, StackDeploymentMode.Update, cancellation).ConfigureAwait(false);
                continue;
            }

            yield return (await stacks.DeployAsync(request, StackDeploymentMode.Update, WhatIfText.StackProgress(Queue), cancellation).ConfigureAwait(false)).Stack;
        }
    }
}

/// <summary>Get-MultiAzCertificate: the ACM certificates of each account and region that a Multi-AZ stack's HTTPS listener can name.</summary>
[Cmdlet(VerbsCommon.Get, "MultiAzCertificate")]
[OutputType(typeof(MultiAzCertificate))]
public sealed class GetMultiAzCertificateCommand : FanOutCmdlet
{
    /// <summary>Only certificates with these statuses; ISSUED (the ones a stack can use) by default.</summary>
    [Parameter(Position = 0)]
    [ValidateSet("PENDING_VALIDATION", "ISSUED", "INACTIVE", "EXPIRED", "VALIDATION_TIMED_OUT", "REVOKED", "FAILED")]
    public string[] Status { get; set; } = ["ISSUED"];

    protected override async IAsyncEnumerable<object> RunTargetAsync(AwsSession session, FanOutTarget target, IReadOnlyList<PlannedStep> steps, [EnumeratorCancellation] CancellationToken cancellation)
    {
        var awsTarget = await session.GetTargetAsync(target, cancellation).ConfigureAwait(false);
        await foreach (var certificate in MultiAzCertificates.ListAsync(awsTarget, Status, cancellation).ConfigureAwait(false))
        {
            yield return certificate;
        }
    }
}

/// <summary>Remove-PatternStack: deletes stacks, refusing while termination protection is on.</summary>
[Cmdlet(VerbsCommon.Remove, "PatternStack", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(PatternStack))]
public sealed class RemovePatternStackCommand : FanOutCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(StackNameCompleter))]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.StackName))]
    public string StackName { get; set; } = string.Empty;

    /// <summary>Deletes without asking for confirmation (-WhatIf still only shows).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Writes each stack as it was before deletion.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override string? PipelineItem => StackName;

    protected override bool SkipsConfirmation => Force;

    protected override IEnumerable<PlannedStep> StepsFor(FanOutTarget target) => ItemsFor(target).Select(stackName =>
        PlannedStep.Change(target, $"stack {stackName} in {target.AccountId} {target.Region}", "Remove stack", stackName));

    protected override async IAsyncEnumerable<object> RunTargetAsync(AwsSession session, FanOutTarget target, IReadOnlyList<PlannedStep> steps, [EnumeratorCancellation] CancellationToken cancellation)
    {
        var stacks = new StackDeployment(await session.GetTargetAsync(target, cancellation).ConfigureAwait(false));
        foreach (var step in steps)
        {
            var stackName = (string)step.Item!;
            var before = await stacks.DescribeAsync(stackName, cancellation).ConfigureAwait(false) ?? throw new StackNotFoundException(stackName, target.AccountId, target.Region);
            await stacks.DeleteAsync(stackName, WhatIfText.StackProgress(Queue), cancellation).ConfigureAwait(false);
            if (PassThru)
            {
                yield return before;
            }
        }
    }
}

/// <summary>Test-MultiAzResilience: one Pass/Fail object per resilience rule for each deployed stack.</summary>
[Cmdlet(VerbsDiagnostic.Test, "MultiAzResilience")]
[OutputType(typeof(ResilienceCheck))]
public sealed class TestMultiAzResilienceCommand : FanOutCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(StackNameCompleter))]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.StackName))]
    public string StackName { get; set; } = string.Empty;

    protected override string? PipelineItem => StackName;

    protected override async IAsyncEnumerable<object> RunTargetAsync(AwsSession session, FanOutTarget target, IReadOnlyList<PlannedStep> steps, [EnumeratorCancellation] CancellationToken cancellation)
    {
        var stacks = new StackDeployment(await session.GetTargetAsync(target, cancellation).ConfigureAwait(false));
        foreach (var stackName in ItemsFor(target))
        {
            foreach (var check in await MultiAzResilience.TestStackAsync(stacks, stackName, cancellation).ConfigureAwait(false))
            {
                yield return check;
            }
        }
    }
}

/// <summary>
/// Invoke-MultiAzDrill: fails one Availability Zone of a deployed Multi-AZ stack in LocalCloud and measures what the
/// users saw (availability through the load balancer), when capacity was back and how long the database failed over.
/// A cmdlet of its own rather than Test-MultiAzResilience -SimulateAzFailure: Test- cmdlets only read (docs/multi-az-drill.md).
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "MultiAzDrill", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(MultiAzDrillResult))]
public sealed class InvokeMultiAzDrillCommand : FanOutCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(StackNameCompleter))]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.StackName))]
    public string StackName { get; set; } = string.Empty;

    /// <summary>The zone that fails, e.g. us-east-2a.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [Alias("SimulateAzFailure")]
    [ValidatePattern("^[a-z]{2}(-[a-z]+)+-[0-9][a-z]$")]
    public string AvailabilityZone { get; set; } = string.Empty;

    /// <summary>How long the zone stays down, in simulated minutes (the probe runs throughout).</summary>
    [Parameter]
    [ValidateRange(1, 120)]
    public int DurationMinutes { get; set; } = 10;

    /// <summary>Fail the zone through the stack's AWS FIS experiment template even in LocalCloud (always so in AWS).</summary>
    [Parameter]
    public SwitchParameter UseFis { get; set; }

    /// <summary>The FIS experiment template to run, instead of the one tagged cloudpatterns:drill-of with the stack.</summary>
    [Parameter]
    [ValidatePattern("^[A-Za-z0-9]{1,64}$")]
    public string? ExperimentTemplateId { get; set; }

    protected override string? PipelineItem => StackName;

    protected override IEnumerable<PlannedStep> StepsFor(FanOutTarget target) => ItemsFor(target).Select(stackName =>
        PlannedStep.Change(target, $"stack {stackName} in {target.AccountId} {target.Region}",
            UseFis || ExperimentTemplateId is not null ? $"Fail Availability Zone {AvailabilityZone} with an AWS FIS experiment" : $"Fail Availability Zone {AvailabilityZone} (FIS experiment if the stack has one, else for {DurationMinutes} minutes in LocalCloud)", stackName));

    protected override async IAsyncEnumerable<object> RunTargetAsync(AwsSession session, FanOutTarget target, IReadOnlyList<PlannedStep> steps, [EnumeratorCancellation] CancellationToken cancellation)
    {
        var drill = new MultiAzDrill(await session.GetTargetAsync(target, cancellation).ConfigureAwait(false)) 
        {
            Duration = TimeSpan.FromMinutes(DurationMinutes),
            UseFis = UseFis,
            ExperimentTemplateId = ExperimentTemplateId,
        };
        foreach (var step in steps)
        {
            yield return await drill.RunAsync((string)step.Item!, AvailabilityZone, cancellation).ConfigureAwait(false);
        }
    }
}

/// <summary>
/// Get-PatternCostEstimate: the monthly cost of a Multi-AZ stack per line item, from the dated price table shipped in
/// the module; of planned settings (no AWS call), or of deployed stacks with any settings given put over theirs.
/// </summary>
[Cmdlet(VerbsCommon.Get, "PatternCostEstimate", DefaultParameterSetName = PlannedParameterSet)]
[OutputType(typeof(Core.Pricing.CostLineItem))]
public sealed class GetPatternCostEstimateCommand : FanOutCmdlet, IDynamicParameters
{
    private const string PlannedParameterSet = "Planned";
    private const string StackParameterSet = "Stack";
    private const string DrParameterSet = "DisasterRecovery";
    private readonly MultiAzParameters _settings = new();
    private readonly Core.Pricing.DrCostSettings _dr = new();

    /// <summary>Prices the DR pattern (backup storage, copies, orchestrator, pilot light) instead of a Multi-AZ stack alone.</summary>
    [Parameter(Mandatory = true, ParameterSetName = DrParameterSet)]
    public SwitchParameter DisasterRecovery { get; set; }

    [Parameter(ParameterSetName = DrParameterSet)]
    [ValidateRange(0d, 1e9d)]
    public double BackupStorageGB { get => _dr.WarmBackupGb; set => _dr.WarmBackupGb = value; }

    [Parameter(ParameterSetName = DrParameterSet)]
    [ValidateRange(0d, 1e9d)]
    public double ColdStorageGB { get => _dr.ColdBackupGb; set => _dr.ColdBackupGb = value; }

    [Parameter(ParameterSetName = DrParameterSet)]
    [ValidateRange(1, 100)]
    public int VaultCopyCount { get => _dr.VaultCopies; set => _dr.VaultCopies = value; }

    [Parameter(ParameterSetName = DrParameterSet)]
    [ValidateRange(0d, 1e9d)]
    public double MonthlyCrossRegionGB { get => _dr.MonthlyCrossRegionGb; set => _dr.MonthlyCrossRegionGb = value; }

    [Parameter(ParameterSetName = DrParameterSet)]
    [ValidateRange(0d, 1e12d)]
    public double MonthlyOrchestratorInvocations { get => _dr.MonthlyOrchestratorInvocations; set => _dr.MonthlyOrchestratorInvocations = value; }

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = StackParameterSet)]
    [ArgumentCompleter(typeof(StackNameCompleter))]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.StackName))]
    public string StackName { get; set; } = string.Empty;

    /// <summary>GB a month the stack serves to clients: data out to the internet and cross-AZ transfer between the tiers.</summary>
    [Parameter]
    [ValidateRange(0d, 1e9d)]
    public double MonthlyTrafficGB { get; set; }

    /// <summary>GB a month the instances send out through the NAT gateways (updates, external APIs).</summary>
    [Parameter]
    [ValidateRange(0d, 1e9d)]
    public double MonthlyNatTrafficGB { get; set; }

    public object GetDynamicParameters() => _settings;

    protected override string? PipelineItem => StackName;

    private Core.Pricing.MonthlyTraffic Traffic => new(MonthlyTrafficGB, MonthlyNatTrafficGB);

    protected override void EndProcessing()
    {
        if (ParameterSetName == StackParameterSet)
        {
            base.EndProcessing();
            return;
        }

        // Planned settings are priced in each region given, else in the session's default region.
        var regions = Region ?? [System.Environment.GetEnvironmentVariable("AWS_REGION") ?? System.Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION") ?? "us-east-1"];
        try
        {
            foreach (var region in regions)
            {
                var planned = _settings.Apply(new MultiAzStackSettings(), MyInvocation.BoundParameters);
                foreach (var item in DisasterRecovery ? Core.Pricing.DrCostEstimate.Estimate(_dr, planned, region, Traffic) : Core.Pricing.MultiAzCostEstimate.Estimate(planned, region, Traffic))
                {
                    WriteObject(item);
                }
            }
        }
        catch (System.ArgumentException ex)
        {
            ThrowTerminating(ex, ErrorReason.NoPriceForType, ErrorCategory.InvalidArgument, null);
        }
    }

    protected override async IAsyncEnumerable<object> RunTargetAsync(AwsSession session, FanOutTarget target, IReadOnlyList<PlannedStep> steps, [EnumeratorCancellation] CancellationToken cancellation)
    {
        var stacks = new StackDeployment(await session.GetTargetAsync(target, cancellation).ConfigureAwait(false));
        foreach (var stackName in ItemsFor(target))
        {
            var stack = await stacks.DescribeAsync(stackName, cancellation).ConfigureAwait(false) ?? throw new StackNotFoundException(stackName, target.AccountId, target.Region);
            foreach (var item in Core.Pricing.MultiAzCostEstimate.Estimate(_settings.Apply(MultiAzStackSettings.FromParameters(stack.Parameters), MyInvocation.BoundParameters), target.Region, Traffic, stackName, target.AccountId))
            {
                yield return item;
            }
        }
    }
}
