using System;
using System.Collections.Generic;
using System.Linq;
using CloudPatterns.Core.Deployment;
using CloudPatterns.Core.Stacks;

namespace CloudPatterns.Core.DisasterRecovery;

public enum DrSetupAction
{
    /// <summary>The step changed something (created or updated the stack, turned the setting on).</summary>
    Changed,

    /// <summary>Everything was already as asked.</summary>
    NoChange,

    /// <summary>-WhatIf: the step would change something.</summary>
    WouldChange,
}

/// <summary>What one step did (or, with -WhatIf, would do).</summary>
public sealed class DrSetupOutcome
{
    private DrSetupOutcome(DrSetupStep step, DrSetupAction action, string? operation, IReadOnlyList<StackResourceChange> changes, PatternStack? stack, StackChangePreview? preview, string detail)
    {
        Component = step.Component.ToString();
        StackName = step.StackName;
        Action = action.ToString();
        Operation = operation;
        Changes = changes;
        Status = stack?.Status;
        Outputs = stack?.Outputs ?? new Dictionary<string, string>();
        Preview = preview;
        Detail = detail;
    }

    /// <summary>A <see cref="DrSetupComponent"/> name (strings, so that the object logs readably as JSON).</summary>
    public string Component { get; }

    /// <summary>The stack; null for the org setting.</summary>
    public string? StackName { get; }

    /// <summary>A <see cref="DrSetupAction"/> name: Changed, NoChange or (with -WhatIf) WouldChange.</summary>
    public string Action { get; }

    /// <summary>Create or Update for stacks; null for the org setting.</summary>
    public string? Operation { get; }

    /// <summary>The resource changes applied (or, with -WhatIf, that would be).</summary>
    public IReadOnlyList<StackResourceChange> Changes { get; }

    /// <summary>The stack's status after the step; null with -WhatIf and for the org setting.</summary>
    public string? Status { get; }

    /// <summary>The stack's outputs (VaultArn, KeyArn, FailedJobsTopicArn, BucketName ...).</summary>
    public IReadOnlyDictionary<string, string> Outputs { get; }

    /// <summary>With -WhatIf, the change set the step previewed; null otherwise.</summary>
    public StackChangePreview? Preview { get; }

    /// <summary>One line: what was (or would be) done.</summary>
    public string Detail { get; }

    public override string ToString() => StackName is null ? $"{Component}: {Detail}" : $"{StackName}: {Detail}";

    internal static DrSetupOutcome Setting(DrSetupStep step, DrSetupAction action, string detail) =>
        new(step, action, null, Array.Empty<StackResourceChange>(), null, null, detail);

    internal static DrSetupOutcome Stack(DrSetupStep step, DrSetupAction action, string operation, IReadOnlyList<StackResourceChange> changes, PatternStack? stack, StackChangePreview? preview)
    {
        string detail = action switch
        {
            DrSetupAction.NoChange => "no change",
            DrSetupAction.WouldChange => $"would {operation.ToLowerInvariant()} ({changes.Count} resource change(s))",
            _ => $"{(operation == "Create" ? "created" : "updated")} ({changes.Count} resource change(s)), {stack?.Status}",
        };
        return new(step, action, operation, changes, stack, preview, detail);
    }
}

/// <summary>Set-CrossAccountBackup's result for one account and region: each step there and what it did.</summary>
public sealed class CrossAccountBackupResult
{
    internal CrossAccountBackupResult(string accountId, string region, IReadOnlyList<DrSetupOutcome> steps)
    {
        AccountId = accountId;
        Region = region;
        Steps = steps;
    }

    public string AccountId { get; }

    public string Region { get; }

    public IReadOnlyList<DrSetupOutcome> Steps { get; }

    /// <summary>How the member plan was deployed: Direct (a stack per account) or StackSet.</summary>
    public string DeploymentMode { get; internal init; } = nameof(BackupDeploymentMode.Direct);

    /// <summary>Why: asked for with -DeploymentMode, or what the default was chosen from.</summary>
    public string DeploymentModeReason { get; internal init; } = string.Empty;

    /// <summary>What this account and region is for in the setup (e.g. "CentralVault, EvidenceBucket").</summary>
    public string Components => string.Join(", ", Steps.Select(s => s.Component));

    /// <summary>True when any step changed something; false on a run that found everything in place.</summary>
    public bool Changed => Steps.Any(s => s.Action == nameof(DrSetupAction.Changed));

    public string Summary => string.Join("; ", Steps.Select(s => s.ToString()));
}
