using System;
using System.Linq;
using System.Text;
using CloudPatterns.Core.Deployment;
using CloudPatterns.Core.DisasterRecovery;

namespace CloudPatterns.PowerShell.Infrastructure;

/// <summary>What the cmdlets show while they work: change-set previews as what-if text, Core's progress reports as progress.</summary>
internal static class WhatIfText
{
    /// <summary>The change set as a what-if message: one line per resource with action, type and replacement.</summary>
    public static string Describe(StackChangePreview preview)
    {
        var text = new StringBuilder();
        text.Append($"What if: {preview.Operation} stack '{preview.StackName}' in {preview.AccountId} {preview.Region}: ");
        if (!preview.HasChanges)
        {
            return text.Append("no changes.").ToString();
        }

        text.AppendLine($"{preview.Changes.Count} resource change(s)");
        int logicalWidth = Math.Max(17, preview.Changes.Max(c => c.LogicalResourceId.Length));
        int typeWidth = Math.Max(12, preview.Changes.Max(c => c.ResourceType.Length));
        text.AppendLine($"  {"Action",-8} {"LogicalResourceId".PadRight(logicalWidth)} {"ResourceType".PadRight(typeWidth)} Replacement");
        foreach (var change in preview.Changes)
        {
            text.AppendLine($"  {change.Action,-8} {change.LogicalResourceId.PadRight(logicalWidth)} {change.ResourceType.PadRight(typeWidth)} {change.Replacement ?? "-"}");
        }

        return text.ToString().TrimEnd();
    }

    /// <summary>Stack events as a verbose line and progress under the cmdlet's own.</summary>
    public static IProgress<StackProgress> StackProgress(PipelineQueue queue) => queue.ProgressOf<StackProgress>((q, value) =>
    {
        q.Verbose($"{value.AccountId} {value.Region} {value.StackName}: {value}");
        q.Progress($"Stack {value.StackName} in {value.AccountId} {value.Region}", value.ToString());
    });

    /// <summary>DR validation steps as progress under the cmdlet's own.</summary>
    public static IProgress<DrValidationProgress> DrValidationProgress(PipelineQueue queue) => queue.ProgressOf<DrValidationProgress>((q, step) =>
        q.Progress($"DR validation {step.AccountId} {step.Region}", $"{step.InFlight} restore(s) in flight; {step.Activity}", step.ResourceArn));
}
