using System.Collections.Concurrent;

namespace CloudPatterns.LocalCloud.Services.CloudFormation;

/// <summary>A stack as DescribeStacks and ListStacks report it.</summary>
internal sealed record StackRecord(
    string StackId,
    string StackName,
    string? Description,
    DateTimeOffset CreationTime,
    DateTimeOffset? LastUpdatedTime,
    DateTimeOffset? DeletionTime,
    string StackStatus,
    string? StackStatusReason,
    IReadOnlyDictionary<string, string> Tags)
{
    public bool IsDeleted => StackStatus == "DELETE_COMPLETE";
}

/// <summary>Stacks per account and region, keyed by stack id. Thread-safe. The CloudFormation engine fills it.</summary>
internal sealed class StackStore
{
    private readonly ConcurrentDictionary<(string AccountId, string Region), ConcurrentDictionary<string, StackRecord>> stacks = new();

    /// <summary>Adds or replaces a stack (by stack id).</summary>
    public void Put(string accountId, string region, StackRecord stack) => StacksOf(accountId, region)[stack.StackId] = stack;

    /// <summary>
    /// Finds a stack as CloudFormation resolves a StackName parameter: by stack id (deleted stacks included) or by
    /// the name of a live stack.
    /// </summary>
    public StackRecord? Find(string accountId, string region, string nameOrId)
    {
        var regionStacks = StacksOf(accountId, region);
        return regionStacks.GetValueOrDefault(nameOrId)
            ?? regionStacks.Values.FirstOrDefault(stack => stack.StackName == nameOrId && !stack.IsDeleted);
    }

    /// <summary>All stacks, deleted ones included, newest first as CloudFormation lists them.</summary>
    public IReadOnlyList<StackRecord> List(string accountId, string region) =>
        [.. StacksOf(accountId, region).Values.OrderByDescending(stack => stack.CreationTime)];

    private ConcurrentDictionary<string, StackRecord> StacksOf(string accountId, string region) =>
        stacks.GetOrAdd((accountId, region), _ => new ConcurrentDictionary<string, StackRecord>(StringComparer.Ordinal));
}
