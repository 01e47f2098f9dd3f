using System.Collections.Generic;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Core.Deployment;
using CloudPatterns.Core.MultiAz;
using CloudPatterns.Core.Stacks;
using CloudPatterns.PowerShell.Infrastructure;

namespace CloudPatterns.PowerShell.Cmdlets;

/// <summary>New-MultiAzStack: deploys the Multi-AZ web app template through a change set, per account × region.</summary>
[Cmdlet(VerbsCommon.New, "MultiAzStack", SupportsShouldProcess = true)]
[OutputType(typeof(PatternStack))]
public sealed class NewMultiAzStackCommand : MultiAzSettingsCmdlet
{
    private readonly HashSet<FanOutTarget> _previews = new();

    /// <summary>Turns on termination protection once the stack is created.</summary>
    [Parameter]
    public SwitchParameter EnableTerminationProtection { get; set; }

    protected override void BeginProcessing()
    {
        ThrowIfInvalid(Apply(new MultiAzStackSettings()));
        base.BeginProcessing();
    }

    protected override bool ShouldRun(FanOutTarget target)
    {
        if (ShouldProcess($"stack {StackName} in {target.AccountId} {target.Region}", "Create Multi-AZ stack"))
        {
            return true;
        }

        // -WhatIf still reads the target to show what the change would be; a declined -Confirm does nothing.
        return WhatIfRequested && _previews.Add(target);
    }

    protected override async IAsyncEnumerable<object> RunTargetAsync(AwsSession session, FanOutTarget target, [EnumeratorCancellation] CancellationToken cancellation)
    {
        var stacks = new StackDeployment(await session.GetTargetAsync(target, cancellation).ConfigureAwait(false));
        foreach (var stackName in StackNamesFor(target))
        {
            var request = Apply(new MultiAzStackSettings()).ToDeploymentRequest(stackName);
            if (_previews.Contains(target))
            {
                yield return await stacks.PreviewAsync(request, StackDeploymentMode.Create, cancellation).ConfigureAwait(false);
                continue;
            }

            await foreach (var update in WithProgressAsync(async (progress, token) => await stacks.DeployAsync(request, StackDeploymentMode.Create, progress, token).ConfigureAwait(false), cancellation).ConfigureAwait(false))
            {
                if (update is StackDeploymentResult result)
                {
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
                else
                {
                    yield return update;
                }
            }
        }
    }
}

/// <summary>Update-MultiAzStack: changes a deployed Multi-AZ stack's parameters through a change set.</summary>
[Cmdlet(VerbsData.Update, "MultiAzStack", SupportsShouldProcess = true)]
[OutputType(typeof(PatternStack))]
public sealed class UpdateMultiAzStackCommand : MultiAzSettingsCmdlet
{
    private readonly HashSet<FanOutTarget> _previews = new();

    protected override void BeginProcessing()
    {
        // Before the stack is read only the given values can be checked, each on its own and against each other.
        // Under them go values no given one can conflict with (the smallest group the AZ count allows, the largest
        // maximum); relations to deployed values are checked once those are read, still before any change.
        var floor = new MultiAzStackSettings { CertificateArn = "arn:aws:acm:us-east-1:000000000000:certificate/deployed-value" };
        floor.MinSize = MyInvocation.BoundParameters.ContainsKey(nameof(AzCount)) ? AzCount : floor.AzCount;
        ThrowIfInvalid(Apply(floor));
        base.BeginProcessing();
    }

    protected override bool ShouldRun(FanOutTarget target)
    {
        if (ShouldProcess($"stack {StackName} in {target.AccountId} {target.Region}", "Update Multi-AZ stack"))
        {
            return true;
        }

        return WhatIfRequested && _previews.Add(target);
    }

    protected override async IAsyncEnumerable<object> RunTargetAsync(AwsSession session, FanOutTarget target, [EnumeratorCancellation] CancellationToken cancellation)
    {
        var stacks = new StackDeployment(await session.GetTargetAsync(target, cancellation).ConfigureAwait(false));
        foreach (var stackName in StackNamesFor(target))
        {
            var current = await stacks.DescribeAsync(stackName, cancellation).ConfigureAwait(false) ?? throw new StackNotFoundException(stackName, target.AccountId, target.Region);
            var settings = Apply(MultiAzStackSettings.FromParameters(current.Parameters));
            var request = settings.ToDeploymentRequest(stackName);
            if (_previews.Contains(target))
            {
                yield return await stacks.PreviewAsync(request, StackDeploymentMode.Update, cancellation).ConfigureAwait(false);
                continue;
            }

            await foreach (var update in WithProgressAsync(async (progress, token) => await stacks.DeployAsync(request, StackDeploymentMode.Update, progress, token).ConfigureAwait(false), cancellation).ConfigureAwait(false))
            {
                yield return update is StackDeploymentResult result ? result.Stack : update;
            }
        }
    }
}

/// <summary>Remove-PatternStack: deletes stacks, refusing while termination protection is on.</summary>
[Cmdlet(VerbsCommon.Remove, "PatternStack", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(PatternStack))]
public sealed class RemovePatternStackCommand : StackCmdlet
{
    private readonly Dictionary<FanOutTarget, List<string>> _approved = new();

    /// <summary>Deletes without asking for confirmation (-WhatIf still only shows).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Writes each stack as it was before deletion.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override bool ShouldRun(FanOutTarget target)
    {
        var approved = new List<string>();
        foreach (var stackName in StackNamesFor(target))
        {
            var description = $"stack {stackName} in {target.AccountId} {target.Region}";
            // -Force skips the prompt that ConfirmImpact High brings; -WhatIf still only shows.
            if ((Force && !WhatIfRequested) || ShouldProcess(description, "Remove stack"))
            {
                approved.Add(stackName);
            }
        }

        _approved[target] = approved;
        return approved.Count > 0;
    }

    protected override async IAsyncEnumerable<object> RunTargetAsync(AwsSession session, FanOutTarget target, [EnumeratorCancellation] CancellationToken cancellation)
    {
        var stacks = new StackDeployment(await session.GetTargetAsync(target, cancellation).ConfigureAwait(false));
        foreach (var stackName in _approved[target])
        {
            var before = await stacks.DescribeAsync(stackName, cancellation).ConfigureAwait(false) ?? throw new StackNotFoundException(stackName, target.AccountId, target.Region);
            await foreach (var update in WithProgressAsync(async (progress, token) =>
            {
                await stacks.DeleteAsync(stackName, progress, token).ConfigureAwait(false);
                return PassThru ? before : null;
            }, cancellation).ConfigureAwait(false))
            {
                yield return update;
            }
        }
    }
}

/// <summary>Test-MultiAzResilience: one Pass/Fail object per resilience rule for each deployed stack.</summary>
[Cmdlet(VerbsDiagnostic.Test, "MultiAzResilience")]
[OutputType(typeof(ResilienceCheck))]
public sealed class TestMultiAzResilienceCommand : StackCmdlet
{
    protected override async IAsyncEnumerable<object> RunTargetAsync(AwsSession session, FanOutTarget target, [EnumeratorCancellation] CancellationToken cancellation)
    {
        var stacks = new StackDeployment(await session.GetTargetAsync(target, cancellation).ConfigureAwait(false));
        foreach (var stackName in StackNamesFor(target))
        {
            foreach (var check in await MultiAzResilience.TestStackAsync(stacks, stackName, cancellation).ConfigureAwait(false))
            {
                yield return check;
            }
        }
    }
}

/// <summary>
/// Get-PatternCostEstimate: the monthly cost of a Multi-AZ stack per line item, from the dated price table shipped in
/// the module; of planned settings (no AWS call), or of deployed stacks with any settings given put over theirs.
/// </summary>
[Cmdlet(VerbsCommon.Get, "PatternCostEstimate", DefaultParameterSetName = PlannedParameterSet)]
[OutputType(typeof(Core.Pricing.CostLineItem))]
public sealed class GetPatternCostEstimateCommand : MultiAzSettingsCmdlet
{
    private const string PlannedParameterSet = "Planned";

    protected override void EndProcessing()
    {
        if (ParameterSetName != PlannedParameterSet)
        {
            base.EndProcessing();
            return;
        }

        try
        {
            foreach (var item in Core.Pricing.MultiAzCostEstimate.Estimate(Apply(new MultiAzStackSettings())))
            {
                WriteObject(item);
            }
        }
        catch (System.ArgumentException ex)
        {
            ThrowTerminating(ex, "NoPriceForType", ErrorCategory.InvalidArgument, null);
        }
    }

    protected override async IAsyncEnumerable<object> RunTargetAsync(AwsSession session, FanOutTarget target, [EnumeratorCancellation] CancellationToken cancellation)
    {
        var stacks = new StackDeployment(await session.GetTargetAsync(target, cancellation).ConfigureAwait(false));
        foreach (var stackName in StackNamesFor(target))
        {
            var stack = await stacks.DescribeAsync(stackName, cancellation).ConfigureAwait(false) ?? throw new StackNotFoundException(stackName, target.AccountId, target.Region);
            foreach (var item in Core.Pricing.MultiAzCostEstimate.Estimate(Apply(MultiAzStackSettings.FromParameters(stack.Parameters)), stackName, target.AccountId, target.Region))
            {
                yield return item;
            }
        }
    }
}
