using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace CloudPatterns.PowerShell.Completion;

/// <summary>Completes -Region with the sandbox's regions first (when one runs), then the commercial regions.</summary>
public sealed class RegionCompleter : IArgumentCompleter
{
    private static readonly string[] CommercialRegions =
    {
        "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "ca-west-1", "mx-central-1", "sa-east-1",
        "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2",
        "il-central-1", "me-south-1", "me-central-1", "af-south-1", "ap-east-1", "ap-east-2", "ap-south-1", "ap-south-2",
        "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
        "ap-southeast-4", "ap-southeast-5", "ap-southeast-7",
    };

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var sandboxRegions = Cmdlets.CurrentSandbox.Host?.Organization.Regions ?? Array.Empty<string>();
        return Completions.Matching(sandboxRegions.Concat(CommercialRegions).Distinct(StringComparer.Ordinal), wordToComplete);
    }
}

internal static class Completions
{
    /// <summary>Values starting with what was typed (quotes ignored), in the order given.</summary>
    public static IEnumerable<CompletionResult> Matching(IEnumerable<string> values, string wordToComplete, Func<string, string>? toolTip = null)
    {
        var typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
        return values
            .Where(v => v.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .Select(v => new CompletionResult(v, v, CompletionResultType.ParameterValue, toolTip?.Invoke(v) ?? v));
    }
}
