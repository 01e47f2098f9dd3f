using System;
using System.Collections.Generic;
using System.Linq;
using CloudPatterns.Aws.CloudFormation;

namespace CloudPatterns.Core.Stacks;

/// <summary>A CloudFormation stack as Get-PatternStack reports it: where, which pattern and version, and its state.</summary>
public sealed class PatternStack
{
    internal PatternStack(string accountId, string region, Stack stack)
    {
        AccountId = accountId;
        Region = region;
        StackName = stack.StackName ?? string.Empty;
        StackId = stack.StackId ?? string.Empty;
        Tags = stack.Tags.Where(t => t.Key is not null).GroupBy(t => t.Key!).ToDictionary(g => g.Key, g => g.Last().Value ?? string.Empty);
        Pattern = Tag(PatternTags.Pattern);
        TemplateVersion = Tag(PatternTags.TemplateVersion);
        Commit = Tag(PatternTags.Commit);
        Status = stack.StackStatus ?? string.Empty;
        StatusReason = stack.StackStatusReason;
        DriftStatus = stack.DriftInformation?.StackDriftStatus ?? "NOT_CHECKED";
        CreationTime = Utc(stack.CreationTime);
        LastUpdatedTime = Utc(stack.LastUpdatedTime) ?? CreationTime;
        TerminationProtection = stack.EnableTerminationProtection ?? false;
        Outputs = stack.Outputs.Where(o => o.OutputKey is not null).ToDictionary(o => o.OutputKey!, o => o.OutputValue ?? string.Empty);
        Parameters = stack.Parameters.Where(p => p.ParameterKey is not null).ToDictionary(p => p.ParameterKey!, p => p.ParameterValue ?? string.Empty);
        StackSetName = Tag(PatternTags.StackSet);
    }

    /// <summary>
    /// A stack set's instance as the administrator account reads it (ListStackInstances): where it is, its stack,
    /// and the instance's status (CURRENT, OUTDATED, INOPERABLE) with its detailed status in <see cref="StatusReason"/>.
    /// </summary>
    internal PatternStack(StackSet stackSet, StackInstanceSummary instance)
    {
        AccountId = instance.Account ?? string.Empty;
        Region = instance.Region ?? string.Empty;
        StackId = instance.StackId ?? string.Empty;
        // arn:aws:cloudformation:<region>:<account>:stack/<name>/<id>
        var parts = StackId.Split('/');
        StackName = parts.Length >= 2 ? parts[1] : string.Empty;
        Tags = stackSet.Tags.Where(t => t.Key is not null).GroupBy(t => t.Key!).ToDictionary(g => g.Key, g => g.Last().Value ?? string.Empty);
        Pattern = Tag(PatternTags.Pattern);
        TemplateVersion = Tag(PatternTags.TemplateVersion);
        Commit = Tag(PatternTags.Commit);
        StackSetName = stackSet.StackSetName;
        InstanceStatus = instance.Status;
        Status = instance.StackInstanceStatus?.DetailedStatus ?? instance.Status ?? string.Empty;
        StatusReason = instance.StatusReason;
        DriftStatus = instance.DriftStatus ?? "NOT_CHECKED";
        Outputs = new Dictionary<string, string>();
        Parameters = stackSet.Parameters.Where(p => p.ParameterKey is not null).ToDictionary(p => p.ParameterKey!, p => p.ParameterValue ?? string.Empty);
    }

    public string AccountId { get; }
    public string Region { get; }
    public string StackName { get; }
    /// <summary>The pattern that deployed the stack (the cloudpatterns:pattern tag); null for stacks we did not deploy.</summary>
    public string? Pattern { get; }
    public string? TemplateVersion { get; }
    /// <summary>The git commit the stack was deployed from (GitOps), when it was.</summary>
    public string? Commit { get; }
    public string Status { get; }
    public string? StatusReason { get; }
    public string DriftStatus { get; }
    public DateTimeOffset? CreationTime { get; }
    public DateTimeOffset? LastUpdatedTime { get; }
    public bool TerminationProtection { get; }
    public string StackId { get; }
    public IReadOnlyDictionary<string, string> Outputs { get; }
    public IReadOnlyDictionary<string, string> Parameters { get; }
    public IReadOnlyDictionary<string, string> Tags { get; }
    /// <summary>The stack set the stack is an instance of, when known (the cloudpatterns:stack-set tag, or read from the stack set).</summary>
    public string? StackSetName { get; }
    /// <summary>For a row read from the stack set: the instance's status (CURRENT, OUTDATED or INOPERABLE); null for a stack read in its account.</summary>
    public string? InstanceStatus { get; }

    private string? Tag(string key) => Tags.TryGetValue(key, out var value) ? value : null;

    private static DateTimeOffset? Utc(DateTime? time) => time is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;
}
