namespace CloudPatterns.LocalCloud.CloudFormation.Stacks;

/// <summary>
/// Runs one step per resource once the resources it waits for are done, independent ones in parallel. After a
/// step fails nothing new starts (steps already running finish), as CloudFormation stops on the first failure.
/// </summary>
internal static class DependencyRunner
{
    /// <param name="waitsFor">The resources (among <paramref name="ids"/>) a resource waits for.</param>
    /// <returns>Whether every step ran and succeeded.</returns>
    public static async Task<bool> RunAsync(IReadOnlyCollection<string> ids, Func<string, IEnumerable<string>> waitsFor, Func<string, Task<bool>> step)
    {
        var members = new HashSet<string>(ids, StringComparer.Ordinal);
        var tasks = new Dictionary<string, Task<bool>>(StringComparer.Ordinal);
        var failed = 0;
        foreach (var id in TopologicalOrder(members, waitsFor))
        {
            var prerequisites = waitsFor(id).Where(members.Contains).Select(dependency => tasks[dependency]).ToArray();
            tasks[id] = RunStepAsync(id, prerequisites);
        }
        var results = await Task.WhenAll(tasks.Values);
        return results.All(result => result);

        async Task<bool> RunStepAsync(string id, Task<bool>[] prerequisites)
        {
            var ready = (await Task.WhenAll(prerequisites)).All(result => result);
            if (!ready || Volatile.Read(ref failed) != 0)
            {
                return false;
            }
            // Yield so independent steps run in parallel rather than inline in the caller's loop.
            await Task.Yield();
            var succeeded = await step(id);
            if (!succeeded)
            {
                Interlocked.Exchange(ref failed, 1);
            }
            return succeeded;
        }
    }

    /// <summary>Orders ids so that each comes after what it waits for (ids in a cycle are left out; templates have none).</summary>
    public static List<string> TopologicalOrder(IReadOnlySet<string> ids, Func<string, IEnumerable<string>> waitsFor)
    {
        var order = new List<string>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            Visit(id);
        }
        return order;

        void Visit(string id)
        {
            if (!visited.Add(id))
            {
                return;
            }
            foreach (var dependency in waitsFor(id).Where(ids.Contains))
            {
                Visit(dependency);
            }
            order.Add(id);
        }
    }
}
