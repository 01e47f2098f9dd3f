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

    /// <summary>
    /// The function a FunctionName parameter names (a name in the caller's account and region, a partial or full ARN),
    /// resolved for its qualifier or <paramref name="qualifier"/> (the Qualifier parameter): a version's record, or the
    /// record of the version an alias points to with the alias's policy.
    /// </summary>
    public LambdaFunction Get(string accountId, string region, string functionName, string? qualifier = null)
    {
        var named = LambdaArns.Parse(accountId, region, functionName);
        if (named is { Qualifier: { } derived } && qualifier is not null && qualifier != "$LATEST" && qualifier != derived)
        {
            throw LambdaArns.InvalidParameter("The derived qualifier from the function name does not match the specified qualifier.");
        }

        var wanted = named?.Qualifier ?? (qualifier == "$LATEST" ? null : qualifier);
        var arn = named is { } target ? LambdaArns.Function(target.AccountId, target.Region, target.Name) + (wanted is null ? "" : ":" + wanted) : functionName;
        return (named is { } found && Find(found) is { } function ? Resolve(function, wanted) : null) ?? throw LambdaArns.NotFound(arn);
    }

    /// <summary>The function (or its version or alias) an ARN names (what EventBridge and Scheduler targets, and authorization, give), or null.</summary>
    public LambdaFunction? FindByArn(string arn) =>
        LambdaArns.Parse("", "", arn) is { AccountId.Length: > 0 } named && Find(named) is { } function ? Resolve(function, named.Qualifier) : null;

    private LambdaFunction? Find((string AccountId, string Region, string Name, string? Qualifier) named)
    {
        lock (gate)
        {
            return functions.GetValueOrDefault(Key(named.AccountId, named.Region, named.Name));
        }
    }

    /// <summary>The record a qualifier names: the function itself, a published version, or an alias's version with the alias's policy; null when there is none.</summary>
    private static LambdaFunction? Resolve(LambdaFunction function, string? qualifier)
    {
        if (qualifier is null)
        {
            return function;
        }

        if (LambdaArns.IsVersionNumber(qualifier))
        {
            return function.Versions.Find(version => version.Version == qualifier) is { } version ? version with { Qualifier = qualifier } : null;
        }

        if (!function.Aliases.TryGetValue(qualifier, out var alias))
        {
            return null;
        }

        var target = alias.FunctionVersion == "$LATEST" ? function : function.Versions.Find(version => version.Version == alias.FunctionVersion);
        return target is null ? null : target with { Qualifier = alias.Name, PolicyStatements = alias.PolicyStatements, Versions = [], Aliases = new(StringComparer.Ordinal) };
    }

    public IReadOnlyList<LambdaFunction> List(string accountId, string region)
    {
        lock (gate)
        {
            return functions.Values.Where(function => function.AccountId == accountId && function.Region == region).ToList();
        }
    }

    /// <summary>Replaces a function (never a version or alias: a qualifier in the name is ignored) by what <paramref name="change"/> makes of it, with a new revision id.</summary>
    public LambdaFunction Update(string accountId, string region, string functionName, Func<LambdaFunction, LambdaFunction> change)
    {
        lock (gate)
        {
            var current = Get(accountId, region, functionName);
            var function = current.Qualifier is null ? current : Get(accountId, region, current.Arn);
            var changed = change(function) with { RevisionId = Guid.NewGuid().ToString() };
            functions[Key(function.AccountId, function.Region, function.Name)] = changed;
            return changed;
        }
    }

    /// <summary>Adds a statement to the policy of the function, version or alias named; a statement id already there is 409 ResourceConflictException.</summary>
    public void AddPermission(string accountId, string region, string functionName, string? qualifier, string statementId, string statement) =>
        ChangePolicy(accountId, region, functionName, qualifier, statements => statements.TryAdd(statementId, statement)
            ? statements
            : throw LambdaArns.Error(409, "ResourceConflictException", $"The statement id ({statementId}) provided already exists. Please provide a new statement id, or remove the existing statement."));

    public void RemovePermission(string accountId, string region, string functionName, string? qualifier, string statementId) =>
        ChangePolicy(accountId, region, functionName, qualifier, statements => statements.Remove(statementId)
            ? statements
            : throw LambdaArns.Error(404, "ResourceNotFoundException", $"Statement {statementId} is not found in resource policy."));

    /// <summary>Changes a copy of the policy statements of the function, or of the version or alias the name or qualifier names.</summary>
    private void ChangePolicy(string accountId, string region, string functionName, string? qualifier, Func<Dictionary<string, string>, Dictionary<string, string>> change)
    {
        lock (gate)
        {
            var target = Get(accountId, region, functionName, qualifier);
            Update(accountId, region, target.Arn, function =>
            {
                if (target.Qualifier is not { } named)
                {
                    return function with { PolicyStatements = change(new(function.PolicyStatements, StringComparer.Ordinal)) };
                }

                if (function.Aliases.TryGetValue(named, out var alias))
                {
                    var changedAlias = alias with { PolicyStatements = change(new(alias.PolicyStatements, StringComparer.Ordinal)) };
                    return function with { Aliases = new(function.Aliases, StringComparer.Ordinal) { [named] = changedAlias } };
                }

                return function with
                {
                    Versions = [.. function.Versions.Select(version => version.Version == named
                        ? version with { PolicyStatements = change(new(version.PolicyStatements, StringComparer.Ordinal)) }
                        : version)],
                };
            });
        }
    }

    /// <summary>
    /// PublishVersion: a snapshot of $LATEST as the next version number; none when the code and configuration are
    /// those of the last version (then that version is returned). A CodeSha256 or RevisionId given must be $LATEST's.
    /// </summary>
    public LambdaFunction PublishVersion(string accountId, string region, string functionName, string? description, string? codeSha256, string? revisionId)
    {
        lock (gate)
        {
            var function = Get(accountId, region, functionName);
            LambdaArns.RequireRevision(revisionId, function.RevisionId);
            if (codeSha256 is not null && codeSha256 != function.CodeSha256)
            {
                throw LambdaArns.InvalidParameter($"CodeSHA256 ({codeSha256}) is different from current CodeSHA256 in $LATEST ({function.CodeSha256}). Please try again with the CodeSHA256 in $LATEST.");
            }

            if (function.Versions.Count > 0 && SameCodeAndConfiguration(function.Versions[^1], function))
            {
                return function.Versions[^1] with { Qualifier = function.Versions[^1].Version };
            }

            var number = (function.LastVersion + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var version = function with
            {
                Version = number,
                Description = description ?? function.Description,
                Versions = [],
                Aliases = new(StringComparer.Ordinal),
                PolicyStatements = new(StringComparer.Ordinal),
                LastVersion = 0,
                RevisionId = Guid.NewGuid().ToString(),
            };
            Update(accountId, region, function.Arn, current => current with { Versions = [.. current.Versions, version], LastVersion = current.LastVersion + 1 });
            return version with { Qualifier = number };
        }
    }

    private static bool SameCodeAndConfiguration(LambdaFunction version, LambdaFunction latest) =>
        version.CodeSha256 == latest.CodeSha256 && version.Runtime == latest.Runtime && version.Handler == latest.Handler && version.Role == latest.Role
        && version.Timeout == latest.Timeout && version.MemorySize == latest.MemorySize && version.DeadLetterTarget == latest.DeadLetterTarget
        && version.Environment.Count == latest.Environment.Count && version.Environment.All(pair => latest.Environment.GetValueOrDefault(pair.Key) == pair.Value);

    /// <summary>DeleteFunction with a version qualifier: the version goes unless an alias points to it.</summary>
    public void DeleteVersion(string accountId, string region, string functionName, string version)
    {
        lock (gate)
        {
            var target = Get(accountId, region, functionName, version);
            var function = Get(accountId, region, target.Arn);
            var aliases = function.Aliases.Values.Where(alias => alias.FunctionVersion == version || alias.AdditionalVersionWeights.ContainsKey(version)).Select(alias => alias.Name).ToList();
            if (aliases.Count > 0)
            {
                throw LambdaArns.Error(409, "ResourceConflictException", $"Unable to delete version because the following aliases reference it: [{string.Join(", ", aliases)}]");
            }

            Update(accountId, region, function.Arn, current => current with { Versions = [.. current.Versions.Where(kept => kept.Version != version)] });
        }
    }

    /// <summary>CreateAlias (<paramref name="create"/>) or UpdateAlias: the versions it names must exist.</summary>
    public LambdaAlias PutAlias(string accountId, string region, string functionName, string name, bool create, Func<LambdaAlias?, LambdaAlias> change)
    {
        lock (gate)
        {
            var function = Get(accountId, region, functionName);
            var existing = function.Aliases.GetValueOrDefault(name);
            if (create && existing is not null)
            {
                throw LambdaArns.Error(409, "ResourceConflictException", $"Alias already exists: {function.Arn}:{name}");
            }

            if (!create && existing is null)
            {
                throw LambdaArns.AliasNotFound($"{function.Arn}:{name}");
            }

            var alias = change(existing) with { RevisionId = Guid.NewGuid().ToString() };
            foreach (var version in alias.AdditionalVersionWeights.Keys.Prepend(alias.FunctionVersion))
            {
                if (version != "$LATEST" && function.Versions.TrueForAll(published => published.Version != version))
                {
                    throw LambdaArns.NotFound($"{function.Arn}:{version}");
                }
            }

            Update(accountId, region, function.Arn, current => current with { Aliases = new(current.Aliases, StringComparer.Ordinal) { [name] = alias } });
            return alias;
        }
    }

    /// <summary>The URL of $LATEST or of the alias a resolved record names, or null.</summary>
    public LambdaFunctionUrl? FindUrl(LambdaFunction target) =>
        FindByArn(target.Arn)?.Urls.GetValueOrDefault(target.Qualifier ?? "");

    /// <summary>The function or alias a URL request names: a version number is refused, as URLs serve $LATEST or an alias.</summary>
    public LambdaFunction UrlTarget(string accountId, string region, string functionName, string? qualifier)
    {
        var target = Get(accountId, region, functionName, qualifier);
        return target.Qualifier is { } named && LambdaArns.IsVersionNumber(named)
            ? throw LambdaArns.InvalidParameter($"A function URL serves $LATEST or an alias, not a version: {target.QualifiedArn}.")
            : target;
    }

    /// <summary>Creates the URL of $LATEST or an alias (one each), or changes its settings (keeping its id and creation time).</summary>
    public LambdaFunctionUrl PutUrl(LambdaFunction target, LambdaFunctionUrl url, bool create)
    {
        var key = target.Qualifier ?? "";
        LambdaFunctionUrl? kept = null;
        Update(target.AccountId, target.Region, target.Arn, function =>
        {
            var existing = function.Urls.GetValueOrDefault(key);
            kept = (create, existing) switch
            {
                (true, not null) => throw LambdaArns.Error(409, "ResourceConflictException", $"Failed to create function url config for [functionArn = {target.QualifiedArn}]. Error message:  FunctionUrlConfig exists for this Lambda function"),
                (false, null) => throw LambdaArns.Error(404, "ResourceNotFoundException", "The resource you requested does not exist."),
                (false, _) => url with { UrlId = existing.UrlId, Created = existing.Created },
                _ => url,
            };
            return function with { Urls = new(function.Urls, StringComparer.Ordinal) { [key] = kept } };
        });
        return kept!;
    }

    public void DeleteUrl(LambdaFunction target) =>
        Update(target.AccountId, target.Region, target.Arn, function =>
        {
            var urls = new Dictionary<string, LambdaFunctionUrl>(function.Urls, StringComparer.Ordinal);
            urls.Remove(target.Qualifier ?? "");
            return function with { Urls = urls };
        });

    public void DeleteAlias(string accountId, string region, string functionName, string name)
    {
        lock (gate)
        {
            var function = Get(accountId, region, functionName);
            if (function.Aliases.ContainsKey(name))
            {
                Update(accountId, region, function.Arn, current =>
                {
                    var aliases = new Dictionary<string, LambdaAlias>(current.Aliases, StringComparer.Ordinal);
                    aliases.Remove(name);
                    var urls = new Dictionary<string, LambdaFunctionUrl>(current.Urls, StringComparer.Ordinal);
                    urls.Remove(name);
                    return current with { Aliases = aliases, Urls = urls };
                });
            }
        }
    }

    public void Delete(string accountId, string region, string functionName)
    {
        lock (gate)
        {
            var current = Get(accountId, region, LambdaArns.Parse(accountId, region, functionName) is { } named ? LambdaArns.Function(named.AccountId, named.Region, named.Name) : functionName);
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
