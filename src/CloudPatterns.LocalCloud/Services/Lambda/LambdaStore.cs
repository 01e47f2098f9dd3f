namespace CloudPatterns.LocalCloud.Services.Lambda;

/// <summary>Lambda functions of every account and region, under one lock; a function is an immutable record replaced on change.</summary>
internal sealed class LambdaStore
{
    private readonly Lock gate = new();
    private readonly SortedDictionary<string, LambdaFunction> functions = new(StringComparer.Ordinal);

    public LambdaFunction Create(LambdaFunction function)
    {
        lock (gate)
        {
            if (!functions.TryAdd(Key(function.AccountId, function.Region, function.Name), function))
            {
                throw LambdaArns.Error(409, "ResourceConflictException", $"Function already exist: {function.Name}");
            }

            return function;
        }
    }

    /// <summary>The function a FunctionName parameter names (a name in the caller's account and region, a partial or full ARN).</summary>
    public LambdaFunction Get(string accountId, string region, string functionName)
    {
        var named = LambdaArns.Parse(accountId, region, functionName);
        return (named is { } found ? Find(found) : null)
            ?? throw LambdaArns.NotFound(named is { } target ? LambdaArns.Function(target.AccountId, target.Region, target.Name) : functionName);
    }

    /// <summary>The function an ARN names (what EventBridge and Scheduler targets, and authorization, give), or null.</summary>
    public LambdaFunction? FindByArn(string arn) => LambdaArns.Parse("", "", arn) is { AccountId.Length: > 0 } named ? Find(named) : null;

    private LambdaFunction? Find((string AccountId, string Region, string Name) named)
    {
        lock (gate)
        {
            return functions.GetValueOrDefault(Key(named.AccountId, named.Region, named.Name));
        }
    }

    public IReadOnlyList<LambdaFunction> List(string accountId, string region)
    {
        lock (gate)
        {
            return functions.Values.Where(function => function.AccountId == accountId && function.Region == region).ToList();
        }
    }

    /// <summary>Replaces a function by what <paramref name="change"/> makes of it (with a new revision id).</summary>
    public LambdaFunction Update(string accountId, string region, string functionName, Func<LambdaFunction, LambdaFunction> change)
    {
        lock (gate)
        {
            var current = Get(accountId, region, functionName);
            var changed = change(current) with { RevisionId = Guid.NewGuid().ToString() };
            functions[Key(current.AccountId, current.Region, current.Name)] = changed;
            return changed;
        }
    }

    /// <summary>Adds a statement to the function's policy; a statement id already there is 409 ResourceConflictException.</summary>
    public void AddPermission(string accountId, string region, string functionName, string statementId, string statement) =>
        Update(accountId, region, functionName, current => current.PolicyStatements.ContainsKey(statementId)
            ? throw LambdaArns.Error(409, "ResourceConflictException", $"The statement id ({statementId}) provided already exists. Please provide a new statement id, or remove the existing statement.")
            : current with { PolicyStatements = new Dictionary<string, string>(current.PolicyStatements, StringComparer.Ordinal) { [statementId] = statement } });

    public void RemovePermission(string accountId, string region, string functionName, string statementId) =>
        Update(accountId, region, functionName, current =>
        {
            var statements = new Dictionary<string, string>(current.PolicyStatements, StringComparer.Ordinal);
            return statements.Remove(statementId)
                ? current with { PolicyStatements = statements }
                : throw LambdaArns.Error(404, "ResourceNotFoundException", $"Statement {statementId} is not found in resource policy.");
        });

    public void Delete(string accountId, string region, string functionName)
    {
        lock (gate)
        {
            var current = Get(accountId, region, functionName);
            functions.Remove(Key(current.AccountId, current.Region, current.Name));
        }
    }

    public List<LambdaFunction> Snapshot()
    {
        lock (gate)
        {
            return [.. functions.Values];
        }
    }

    public void Restore(List<LambdaFunction> snapshot)
    {
        lock (gate)
        {
            functions.Clear();
            foreach (var function in snapshot)
            {
                functions[Key(function.AccountId, function.Region, function.Name)] = function;
            }
        }
    }

    private static string Key(string accountId, string region, string name) => $"{accountId}\n{region}\n{name}";
}
