using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Core.Stacks;
using CloudPatterns.PowerShell.Infrastructure;

namespace CloudPatterns.PowerShell.Cmdlets;

/// <summary>Get-PatternStack: the stacks CloudPatterns deployed, across accounts and regions.</summary>
[Cmdlet(VerbsCommon.Get, "PatternStack")]
[OutputType(typeof(PatternStack))]
public sealed class GetPatternStackCommand : FanOutCmdlet
{
    [Parameter(Position = 0)]
    [ArgumentCompleter(typeof(Completion.StackNameCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? StackName { get; set; }

    /// <summary>Only stacks of these patterns (the cloudpatterns:pattern tag), e.g. MultiAz, DisasterRecovery, GitOps.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Pattern { get; set; }

    /// <summary>Also stacks that CloudPatterns did not deploy.</summary>
    [Parameter]
    public SwitchParameter All { get; set; }

    /// <summary>
    /// The instances of the stack sets administered from the target (management account or delegated administrator),
    /// one per account and region, read from StackSets instead of from each member account.
    /// </summary>
    [Parameter]
    public SwitchParameter StackSet { get; set; }

    protected override async IAsyncEnumerable<object> RunTargetAsync(AwsSession session, FanOutTarget target, IReadOnlyList<PlannedStep> steps, [EnumeratorCancellation] CancellationToken cancellation)
    {
        var names = StackName?.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToArray();
        var patterns = Pattern is null ? null : new HashSet<string>(Pattern, System.StringComparer.OrdinalIgnoreCase);
        var stacks = StackSet ? PatternStackQuery.StackSetInstancesAsync(session, target, All, cancellation) : PatternStackQuery.RunAsync(session, target, All, cancellation);
        await foreach (var stack in stacks.ConfigureAwait(false))
        {
            if ((names is null || names.Any(n => n.IsMatch(stack.StackName) || (stack.StackSetName is { } set && n.IsMatch(set)))) && (patterns is null || (stack.Pattern is not null && patterns.Contains(stack.Pattern))))
            {
                yield return stack;
            }
        }
    }
}
